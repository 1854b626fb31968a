"""Cross-reference checks of a validated scenario: every name must point at something."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from negotiation.errors import ExpressionError
from negotiation.scenario.expr import FUNCTIONS, KEYWORDS, parse
from negotiation.scenario.models import ARTICLE_MOVES, MOVE_ALIASES, Effect, Scenario
from negotiation.text import Suggester, listing, show

Problem = tuple[tuple[str | int, ...], str, str]

ARTICLE_ATTRS = ("settled", "position", "demand", "offer", "mandate")
GLOBAL_NAMES = ("date", "days", "signed", "asks.mandate", "asks.ally", "asks.mediator", "asks.us")
RESERVED = frozenset({"date", "days", "signed", "asks", "phase"} | KEYWORDS | set(FUNCTIONS))


def names_of(variables: Iterable[str], phases: Iterable[str], articles: dict[str, list[str]]) -> set[str]:
    """Every name an expression may read, given the ids of variables, phases and articles' positions."""
    names = set(GLOBAL_NAMES)
    names.update(variables)
    names.update(f"phase.{p}" for p in phases)
    for art, positions in articles.items():
        names.update(f"{art}.{attr}" for attr in ARTICLE_ATTRS)
        names.update(f"{art}.{p}" for p in positions)
    return names


def namespace(s: Scenario) -> set[str]:
    """Return every name an expression of this scenario may read."""
    return names_of((v.id for v in s.variables), (p.id for p in s.phases),
                    {a.id: [p.id for p in a.positions] for a in s.articles})


def parse_action(text: str) -> tuple[str, str]:
    """Split an action id such as ``counter:plebiscite`` into (kind, argument); older names are read as today's."""
    kind, _, arg = text.partition(":")
    return MOVE_ALIASES.get(kind, kind), arg


def _dupes(items: Iterable[str], path: tuple[str | int, ...], what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, ident in enumerate(items):
        if ident in seen:
            yield path + (i, "id"), f"duplicate {what} id '{ident}'", "give each one its own id"
        seen.add(ident)


class _Closest:
    """'Did you mean' over many lists of known names: each list indexed once, 50 suggestions per file."""

    def __init__(self, budget: int = 50) -> None:
        self.budget = budget
        self.index: dict[frozenset[str], Suggester] = {}

    def __call__(self, name: str, choices: Iterable[str]) -> str:
        if self.budget <= 0:
            return ""
        key = frozenset(choices)
        suggester = self.index.get(key)
        if suggester is None:
            suggester = self.index[key] = Suggester(key)
        self.budget -= 1
        return suggester.hint(name)


def check(s: Scenario) -> list[Problem]:  # noqa: C901 - one flat list of rules reads best
    """Return every broken reference, each with its path, message and hint."""
    out: list[Problem] = []
    sides = {x.id for x in s.sides}
    actors = {a.id: a for a in s.actors}
    variables = {v.id: v for v in s.variables}
    articles = {a.id: a for a in s.articles}
    positions = {a.id: [p.id for p in a.positions] for a in s.articles}
    phases = {p.id: p for p in s.phases}
    endings = {e.id for e in s.endings}
    names = frozenset(namespace(s))
    sources = frozenset(s.scenario.sources)
    _closest = _Closest()

    def ref(path: tuple[str | int, ...], value: str, known: Iterable[str], what: str) -> None:
        known = list(known)
        if value not in known:
            hint = _closest(value, known) or f"known: {listing(known)}"
            out.append((path, f"unknown {what} '{show(value)}'", hint))

    def pos(path: tuple[str | int, ...], article: str, value: str) -> None:
        if article in positions:
            ref(path, value, positions[article], f"position of '{article}'")

    def expr(path: tuple[str | int, ...], text: str | None) -> None:
        if text is None:
            return
        try:
            node = parse(text)
        except ExpressionError:
            return  # already reported by the model
        for name in sorted(node.names() - names):
            out.append((path, f"expression names unknown '{show(name)}'",
                        _closest(name, names) or "see the reference"))

    def cite(path: tuple[str | int, ...], keys: Iterable[str]) -> None:
        if not sources:
            return
        for k in keys:
            if k not in sources:
                out.append((path, f"unknown source key '{show(k)}'",
                            _closest(k, sources) or "add it to scenario.sources"))

    def effects(path: tuple[str | int, ...], effs: tuple[Effect, ...]) -> None:
        for i, e in enumerate(effs):
            p = path + (i,)
            for var in list(e.add) + list(e.set):
                ref(p + ("add" if var in e.add else "set", var), var, variables, "variable")
            for key in ("demand", "settle", "reopen", "mandate"):
                for art, value in getattr(e, key).items():
                    ref(p + (key, art), art, articles, "article")
                    pos(p + (key, art), art, value)

    for key, items, what in (
        ("sides", [x.id for x in s.sides], "side"),
        ("actors", [x.id for x in s.actors], "actor"),
        ("variables", [x.id for x in s.variables], "variable"),
        ("articles", [x.id for x in s.articles], "article"),
        ("phases", [x.id for x in s.phases], "phase"),
        ("events", [x.id for x in s.events], "event"),
        ("decisions", [x.id for x in s.decisions], "decision"),
        ("endings", [x.id for x in s.endings], "ending"),
    ):
        out.extend(_dupes(items, (key,), what))
    clash = set(variables) & set(articles)
    for name in sorted(clash):
        out.append((("variables",), f"'{name}' is both a variable and an article", "rename one of them"))
    for key, idents in (("variables", [v.id for v in s.variables]), ("articles", [a.id for a in s.articles])):
        for i, ident in enumerate(idents):
            if ident in RESERVED:
                out.append(((key, i, "id"), f"'{ident}' is a reserved name in expressions",
                            f"rename it; reserved: {', '.join(sorted(RESERVED))}"))

    meta = s.scenario
    ref(("scenario", "player_side"), meta.player_side, sides, "side")
    ref(("scenario", "counterpart_side"), meta.counterpart_side, sides, "side")
    if meta.end_date < meta.start_date:
        out.append((("scenario", "end_date"), "end_date is before start_date", "swap them"))
    cite(("scenario",), [])

    roles = [a.role for a in s.actors]
    if roles.count("player") != 1:
        out.append((("actors",), f"expected exactly one actor with role 'player', found {roles.count('player')}", ""))
    for i, actor in enumerate(s.actors):
        ref(("actors", i, "side"), actor.side, sides, "side")
        if actor.ai is not None:
            if actor.ai.kind != actor.role:
                out.append((("actors", i, "ai", "kind"), f"ai kind '{actor.ai.kind}' does not fit role '{actor.role}'",
                            f"give this actor role '{actor.ai.kind}', or another ai"))
            for field in ("patience", "confidence", "support", "goodwill"):
                var = getattr(actor.ai, field, None)
                if var is not None:
                    ref(("actors", i, "ai", field), var, variables, "variable")
            for field in ("aspiration", "sign_aspiration", "sign_margin", "walkout_break", "grant", "gain", "ratify",
                          "pressure", "available"):
                expr(("actors", i, "ai", field), getattr(actor.ai, field, None))
            for key, lines in (getattr(actor.ai, "lines", None) or {}).items():
                for j, line in enumerate(lines):
                    if not isinstance(line, str):
                        expr(("actors", i, "ai", "lines", key, j, "when"), line.when)
                        if line.speaker is not None:
                            ref(("actors", i, "ai", "lines", key, j, "speaker"), line.speaker, actors, "actor")
            repudiation = getattr(actor.ai, "repudiation", None)
            if repudiation is not None:
                ref(("actors", i, "ai", "repudiation"), repudiation, endings, "ending")
                if repudiation in endings and next(e for e in s.endings if e.id == repudiation).signed:
                    out.append((("actors", i, "ai", "repudiation"), f"ending '{repudiation}' is a treaty ending",
                                "name an ending with signed: false: the treaty is not signed"))
    kinds = [a.ai.kind for a in s.actors if a.ai is not None]
    for i, actor in enumerate(s.actors):
        if actor.ai is not None and kinds.count(actor.ai.kind) > 1 and \
                next(a for a in s.actors if a.ai is not None and a.ai.kind == actor.ai.kind) is not actor:
            out.append((("actors", i, "ai"), f"a second ai of kind '{actor.ai.kind}': the engine plays one of each",
                        "give the other voices of that side no ai (they can still speak: a line's 'speaker')"))
    if not any(a.ai is not None and a.ai.kind == "counterpart" for a in s.actors):
        out.append((("actors",), "no actor has an 'ai' of kind 'counterpart'", "give the main counterpart one"))

    for i, v in enumerate(s.variables):
        if not v.min <= v.initial <= v.max:
            out.append((("variables", i, "initial"), f"initial {v.initial} is outside {v.min}..{v.max}", ""))

    for i, a in enumerate(s.articles):
        p = ("articles", i)
        out.extend(_dupes([x.id for x in a.positions], p + ("positions",), "position"))
        for field in ("historical", "demand", "mandate"):
            pos(p + (field,), a.id, getattr(a, field))
        if a.counterpart.floor:
            pos(p + ("counterpart", "floor"), a.id, a.counterpart.floor)
        expr(p + ("counterpart", "floor_unless"), a.counterpart.floor_unless)
        expr(p + ("counterpart", "adjust"), a.counterpart.adjust)
        for key, lines in a.counterpart.lines.items():
            for j, line in enumerate(lines):
                if not isinstance(line, str):
                    expr(p + ("counterpart", "lines", key, j, "when"), line.when)
                    if line.speaker is not None:
                        ref(p + ("counterpart", "lines", key, j, "speaker"), line.speaker, actors, "actor")
        if a.principal.ceiling:
            pos(p + ("principal", "ceiling"), a.id, a.principal.ceiling)
        expr(p + ("principal", "grant"), a.principal.grant)
        if a.unsigned is not None:
            for side in (meta.player_side,):
                if side in sides and side not in a.unsigned.value:
                    out.append((p + ("unsigned", "value"), f"no value for side '{side}'", f"add '{side}: 0..100'"))
            for side, val in a.unsigned.value.items():
                ref(p + ("unsigned", "value", side), side, sides, "side")
                if not 0 <= val <= 100:
                    out.append((p + ("unsigned", "value", side), f"value {val} is outside 0..100", ""))
        cite(p + ("sources",), a.sources)
        for j, x in enumerate(a.positions):
            for side in (meta.player_side, meta.counterpart_side):
                if side in sides and side not in x.value:  # an unknown side is reported once, above
                    out.append((p + ("positions", j, "value"), f"no value for side '{side}'", f"add '{side}: 0..100'"))
            for side, val in x.value.items():
                ref(p + ("positions", j, "value", side), side, sides, "side")
                if not 0 <= val <= 100:
                    out.append((p + ("positions", j, "value", side), f"value {val} is outside 0..100", ""))
            cite(p + ("positions", j, "sources"), x.sources)
        vals = [x.value.get(meta.player_side, 0) for x in a.positions]
        rises = [j for j in range(1, len(vals)) if vals[j] > vals[j - 1]]
        if rises:
            j = rises[0]
            out.append((p + ("positions", j, "value", meta.player_side),
                        f"the ladder must run from the player's best to worst, but '{a.positions[j].id}' is worth "
                        f"{vals[j]:g} to '{meta.player_side}', more than '{a.positions[j - 1].id}' above it "
                        f"({vals[j - 1]:g})", "reorder the positions, or correct the values"))

    ref(("start_phase",), s.start_phase, phases, "phase")
    for i, ph in enumerate(s.phases):
        if ph.end < ph.start:
            out.append((("phases", i, "end"), "the phase ends before it starts", ""))
        for j, t in enumerate(ph.transitions):
            ref(("phases", i, "transitions", j, "to"), t.to, phases, "phase")
            expr(("phases", i, "transitions", j, "when"), t.when)

    for i, ev in enumerate(s.events):
        p = ("events", i)
        expr(p + ("when",), ev.when)
        if ev.speaker:
            ref(p + ("speaker",), ev.speaker, actors, "actor")
        effects(p + ("effects",), ev.effects)
        cite(p + ("sources",), ev.sources)

    for i, d in enumerate(s.decisions):
        p = ("decisions", i)
        ref(p + ("phase",), d.phase, phases, "phase")
        ref(p + ("speaker",), d.speaker, actors, "actor")
        expr(p + ("when",), d.when)
        cite(p + ("sources",), d.sources)
        if d.phase in phases and not phases[d.phase].start <= d.date <= phases[d.phase].end:
            ph = phases[d.phase]
            out.append((p + ("date",), f"{d.date} is outside phase '{d.phase}' ({ph.start}..{ph.end})", ""))
        if d.article is not None:
            ref(p + ("article",), d.article, articles, "article")
            if d.demand is not None:
                pos(p + ("demand",), d.article, d.demand)
        elif d.demand is not None:
            out.append((p + ("demand",), "a demand needs an article", "add 'article'"))
        moves = d.moves if d.moves is not None else (ARTICLE_MOVES if d.article else ())
        if d.article is None:
            for m in moves:
                if m in ("accept", "counter", "hold", "mandate", "mediate"):
                    out.append((p + ("moves",), f"move '{m}' needs an article on the table", "add 'article'"))
        if not moves and not d.options:
            out.append((p,"the decision offers no choice", "add options or moves"))
        out.extend(_dupes([o.id for o in d.options], p + ("options",), "option"))
        for j, o in enumerate(d.options):
            expr(p + ("options", j, "when"), o.when)
            for art, value in o.offer.items():
                ref(p + ("options", j, "offer", art), art, articles, "article")
                pos(p + ("options", j, "offer", art), art, value)
            for key in ("effects", "on_accept", "on_refuse"):
                effects(p + ("options", j, key), getattr(o, key))
        if not d.options and moves and all(m in ("mandate", "ally", "mediate") for m in moves):
            out.append((p + ("moves",), "the decision offers only requests to the principal, the ally or the "
                        "mediator, which "
                        "run out: the player could be left with nothing to do",
                        "add a move that always stays (hold, accept, walkout, sign) or an option"))
        options = [o.id for o in d.options]
        if not d.historical and not d.off_path:
            out.append((p, f"decision '{d.id}' has no historical actions",
                        "list what the real delegation did here (historical: [...]), or mark it off_path: true if "
                        "history never came this way"))
        for j, act in enumerate(d.historical):
            kind, arg = parse_action(act)
            hp = p + ("historical", j)
            if kind == "option":
                ref(hp, arg, options, "option")
            elif kind not in moves:
                out.append((hp, f"historical action '{show(act)}' is not offered here",
                            f"use one of: {', '.join([*moves, *('option:' + o for o in options)])}"))
            elif kind == "counter" and d.article:
                pos(hp, d.article, arg)
            elif arg:
                out.append((hp, f"'{show(kind)}' takes no argument", f"write '{show(kind)}'"))

    for i, e in enumerate(s.endings):
        expr(("endings", i, "when"), e.when)
        for art, value in e.terms.items():
            ref(("endings", i, "terms", art), art, articles, "article")
            pos(("endings", i, "terms", art), art, value)
    ref(("default_ending",), s.default_ending, endings, "ending")
    expr(("signing", "when"), s.signing.when)
    ref(("history", "ending"), s.history.ending, endings, "ending")
    cite(("history", "sources"), s.history.sources)
    for i, doc in enumerate(s.briefing):
        cite(("briefing", i, "sources"), doc.sources)
    if s.map is not None:
        for i, shape in enumerate(s.map.shapes):
            if shape.article:
                ref(("map", "shapes", i, "article"), shape.article, articles, "article")
            expr(("map", "shapes", i, "when"), shape.when)
        for i, place in enumerate(s.map.places):
            if place.article:
                ref(("map", "places", i, "article"), place.article, articles, "article")
    return out
