"""A scenario compiled for play: indices, compiled expressions, sorted calendars, the phase machine."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import Any

from negotiation.engine.actions import Action
from negotiation.engine.machine import PhaseMachine, SessionMachine
from negotiation.engine.state import GameState, join_title
from negotiation.errors import ExpressionError
from negotiation.scenario.checks import ARTICLE_ATTRS, namespace
from negotiation.scenario.expr import Getter, compile_node, parse
from negotiation.scenario.loader import LoadedScenario
from negotiation.scenario.models import (
    ARTICLE_MOVES,
    Actor,
    AllyAI,
    Article,
    CounterpartAI,
    Decision,
    Effect,
    Ending,
    Event,
    Line,
    MediatorAI,
    Option,
    PrincipalAI,
    Scenario,
)


@dataclass(frozen=True, slots=True)
class ArticleRules:
    """An article's ladder as numbers, for the hot path."""

    model: Article
    index: int
    ids: tuple[str, ...]
    player_value: tuple[float, ...]
    counter_value: tuple[float, ...]
    historical: int
    floor: int
    floor_unless: Getter | None
    offset: float
    ally_lever: float
    adjust: Getter | None
    counter_weight: float
    ceiling: int
    grant: Getter | None
    lines: dict[str, tuple[CompiledLine, ...]]
    name: str

    def position(self, ident: str) -> int:
        """Return the ladder index of a position id."""
        return self.ids.index(ident)


@dataclass(frozen=True, slots=True)
class CompiledLine:
    """One of the counterpart's lines with its condition compiled."""

    text: str
    when: Getter | None
    after: str
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class CompiledEffect:
    """An effect with its condition compiled and its positions as ladder rungs (only what it does)."""

    when: Getter | None
    add: tuple[tuple[str, float], ...]
    set: tuple[tuple[str, float], ...]
    demand: tuple[tuple[str, int], ...]
    settle: tuple[tuple[str, int], ...]
    reopen: tuple[tuple[str, int], ...]
    mandate: tuple[tuple[str, int], ...]
    days: int
    log: str


@dataclass(frozen=True, slots=True)
class DecisionRules:
    """A decision with its condition compiled and its moves resolved."""

    model: Decision
    article: str | None  # the article it puts on the table (the model's, read often)
    when: Getter | None  # None: always (the condition reads nothing and holds)
    moves: tuple[str, ...]
    option_when: tuple[Getter | None, ...]
    demand: int
    text: str
    index: int  # position in its phase's list of decisions
    options_open: bool = False  # every option's condition always holds: all are legal whenever the decision is


class Rules:
    """Everything a game needs from a scenario, computed once and shared by every game."""

    def __init__(self, loaded: LoadedScenario) -> None:
        s: Scenario = loaded.scenario
        self.loaded = loaded
        self.scenario = s
        self.hash = loaded.hash
        self.start = s.scenario.start_date.toordinal()
        self.end = s.scenario.end_date.toordinal()
        self.player_side = s.scenario.player_side
        self.counter_side = s.scenario.counterpart_side
        self.variables = {v.id: v for v in s.variables}
        self.bounds = {v.id: (v.min, v.max) for v in s.variables}
        self.article_index = {a.id: i for i, a in enumerate(s.articles)}
        self.names = namespace(s)
        self.actors: dict[str, Actor] = {a.id: a for a in s.actors}
        ais = [a.ai for a in s.actors if a.ai is not None]
        self.counterpart: CounterpartAI | None = next((x for x in ais if isinstance(x, CounterpartAI)), None)
        self.principal: PrincipalAI | None = next((x for x in ais if isinstance(x, PrincipalAI)), None)
        self.ally: AllyAI | None = next((x for x in ais if isinstance(x, AllyAI)), None)
        self.mediator: MediatorAI | None = next((x for x in ais if isinstance(x, MediatorAI)), None)
        self.phases = {p.id: p for p in s.phases}
        self.articles: dict[str, ArticleRules] = {}
        ai = next((a.ai for a in s.actors if isinstance(a.ai, CounterpartAI)), None)
        self.lines: dict[str, tuple[CompiledLine, ...]] = self._lines(ai.lines if ai is not None else {})
        self._effects: dict[int, tuple[CompiledEffect, ...]] = {}
        self._keep: list[object] = []
        self._pools: dict[tuple[str, str | None, str | None],
                          tuple[tuple[tuple[CompiledLine, ...], ...], tuple[CompiledLine, ...] | None]] = {}
        for i, a in enumerate(s.articles):
            ids = tuple(p.id for p in a.positions)
            cp = a.counterpart
            pr = a.principal
            self.articles[a.id] = ArticleRules(
                model=a, index=i, ids=ids,
                player_value=tuple(p.value[self.player_side] for p in a.positions),
                counter_value=tuple(p.value[self.counter_side] for p in a.positions),
                historical=ids.index(a.historical),
                floor=ids.index(cp.floor) if cp.floor else 0,
                floor_unless=self.compile(cp.floor_unless) if cp.floor_unless else None,
                offset=cp.offset, ally_lever=cp.ally_lever,
                adjust=self.compile(cp.adjust) if cp.adjust else None,
                counter_weight=cp.weight if cp.weight is not None else a.weight,
                ceiling=ids.index(pr.ceiling) if pr.ceiling else len(ids) - 1,
                grant=self.compile(pr.grant) if pr.grant else None,
                lines=self._lines(cp.lines),
                name=a.name or a.title,
            )
        self.events: tuple[tuple[Event, Getter | None], ...] = tuple(
            (e, self.condition(e.when)) for e in sorted(s.events, key=lambda e: e.date)
        )
        self.event_days = tuple(e.date.toordinal() for e, _ in self.events)
        by_phase: dict[str, list[Decision]] = {p.id: [] for p in s.phases}
        for d in s.decisions:
            by_phase[d.phase].append(d)
        self.decisions: dict[str, DecisionRules] = {}
        self.by_phase: dict[str, tuple[DecisionRules, ...]] = {}
        for ph, items in by_phase.items():
            ordered = []
            for j, d in enumerate(sorted(items, key=lambda d: d.date)):
                moves = tuple(d.moves) if d.moves is not None else (ARTICLE_MOVES if d.article else ())
                demand = self.articles[d.article].position(d.demand) if d.article and d.demand else -1
                text = join_title(d.title, d.text)
                option_when = tuple(self.condition(o.when) for o in d.options)
                rules = DecisionRules(d, d.article, self.condition(d.when), moves, option_when, demand, text, j,
                                      all(w is None for w in option_when))
                self.decisions[d.id] = rules
                ordered.append(rules)
            self.by_phase[ph] = tuple(ordered)
        self.phase_days = {ph: tuple(d.model.date.toordinal() for d in lst) for ph, lst in self.by_phase.items()}
        self.endings: tuple[tuple[Ending, Getter], ...] = tuple((e, self.compile(e.when)) for e in s.endings)
        self.ending_by_id = {e.id: e for e in s.endings}
        self.ending_watch = self._watch(set().union(*(parse(e.when).names() for e in s.endings)))
        cp_ai = self.counterpart
        self.aspiration = self.compile(cp_ai.aspiration) if cp_ai else _zero
        legacy = cp_ai is not None and cp_ai.sign_margin is None and cp_ai.sign_aspiration is not None
        self.sign_margin: Getter | None = None if legacy else self.compile(
            cp_ai.sign_margin if cp_ai is not None and cp_ai.sign_margin is not None else "0")
        self.sign_aspiration: Getter | None = self.compile(cp_ai.sign_aspiration) \
            if legacy and cp_ai is not None and cp_ai.sign_aspiration is not None else None
        self.walkout_break = self.compile(cp_ai.walkout_break) if cp_ai else _zero
        self.grant = self.compile(self.principal.grant) if self.principal else _zero
        self.ratify = self.compile(self.principal.ratify) if self.principal else _one
        self.ally_gain = self.compile(self.ally.gain) if self.ally else _zero
        self._available: dict[str, Getter | None] = {
            role: self.condition(ai.available) for role, ai in (("ally", self.ally), ("mediator", self.mediator))
            if ai is not None}
        self.pressure = self.compile(self.mediator.pressure) if self.mediator else _zero
        self.mediator_lines = self._lines(self.mediator.lines) if self.mediator is not None else {}
        self.signing_opens = s.signing.opens.toordinal() if s.signing.opens else None
        self.signing_when = self.compile(s.signing.when)
        self.machine = PhaseMachine(
            [p.id for p in s.phases], s.start_phase,
            [(p.id, t.to, self.compile(t.when)) for p in s.phases for t in p.transitions],
        )
        self.sessions = SessionMachine()
        self.legal_fns: dict[str, tuple[Callable[..., None], ...]] = {}  # the game's cache: decision -> handlers
        self.visible = tuple(v.id for v in s.variables if v.show and v.kind == "meter")
        if len(self.visible) > 1:
            self.meters_of: Callable[[Mapping[str, float]], tuple[float, ...]] = itemgetter(*self.visible)
        elif self.visible:
            only = self.visible[0]
            self.meters_of = lambda v: (v[only],)
        else:
            self.meters_of = lambda v: ()
        self.counter_actions: dict[str, tuple[Action, ...]] = {
            k: tuple(Action("counter", i) for i in a.ids) for k, a in self.articles.items()}
        self.options: dict[str, dict[str, Option]] = {d.id: {o.id: o for o in d.options} for d in s.decisions}
        self.option_actions: dict[str, tuple[Action, ...]] = {
            d.id: tuple(Action("option", o.id) for o in d.options) for d in s.decisions}
        with_ai = [a for a in s.actors if a.ai is not None or a.role == "player"]
        self.role_names: dict[str, str] = {a.role: a.name for a in reversed(with_ai)}
        self.role_ids: dict[str, str] = {a.role: a.id for a in reversed(with_ai)}
        self.player = self.role_ids["player"]
        self.speaker_of_counterpart = next(
            (a.id for a in s.actors if a.ai is not None and a.ai.kind == "counterpart"), None)

    @cached_property
    def session_days(self) -> tuple[int, ...]:
        """Every date on which the scenario schedules a session, in order."""
        return tuple(sorted({d.model.date.toordinal() for d in self.decisions.values()}))

    def compile(self, text: str) -> Getter:
        """Compile an expression of this scenario into a closure over a GameState."""
        return compile_node(parse(text), self._resolve)

    def condition(self, text: str) -> Getter | None:
        """Compile a condition; None if it always holds (it reads nothing and is true), so callers skip the test."""
        tree = parse(text)
        test = compile_node(tree, self._resolve)
        if not tree.names() and test(None):
            return None
        return test

    def available(self, role: str, state: GameState) -> bool:
        """Whether the scenario's ally or mediator (``role``) can be asked now: it exists and its condition holds."""
        if role not in self._available:
            return False
        cond = self._available[role]
        return cond is None or bool(cond(state))

    def effects_of(self, effects: Sequence[Effect]) -> tuple[CompiledEffect, ...]:
        """A list of effects compiled once (cached for the rules' lifetime, by the list's identity)."""
        found = self._effects.get(id(effects))
        if found is None:
            def rungs(m: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
                return tuple((k, self.articles[k].position(v)) for k, v in m.items())

            found = tuple(CompiledEffect(
                self.condition(e.when), tuple(e.add.items()), tuple(e.set.items()),
                rungs(e.demand), rungs(e.settle), rungs(e.reopen), rungs(e.mandate), e.days, e.log) for e in effects)
            self._effects[id(effects)] = found
            self._keep.append(effects)  # the id stays this list's while the rules live
        return found

    def line_pools(self, key: str, article: str | None, fallback: str | None = None
                   ) -> tuple[tuple[tuple[CompiledLine, ...], ...], tuple[CompiledLine, ...] | None]:
        """The counterpart's lines for a situation, in order of preference, and the first pool again when it
        has no condition at all (cached)."""
        cache_key = (key, article, fallback)
        found = self._pools.get(cache_key)
        if found is None:
            art = self.articles[article] if article is not None else None
            keys = (key,) if fallback is None else (key, fallback)
            pools = tuple(p for k in keys for p in ((art.lines.get(k, ()),) if art is not None else ()) +
                          (self.lines.get(k, ()),) if p)
            plain = pools[0] if pools and all(ln.when is None and ln.after == "any" for ln in pools[0]) else None
            found = self._pools[cache_key] = (pools, plain)
        return found

    def _watch(self, names: set[str]) -> Callable[[GameState], object]:
        """A cheap key of everything the endings read: when it has not changed, no ending can have become due.

        The key holds exactly what the names read: the variables, the date (``date``, ``days``),
        the signature, the phase, the asks, and each article's fields (``position`` reads ``settled``).
        """
        variables = sorted(n for n in names if n in self.variables)
        of_vars = itemgetter(*variables) if variables else (lambda v: ())
        heads = {n.partition(".")[0] for n in names}
        parts: list[Callable[[GameState], object]] = [lambda s: of_vars(s.variables)]
        if names & {"date", "days"}:
            parts.append(attrgetter("date"))
        if "signed" in names:
            parts.append(attrgetter("signed_on"))
        if "phase" in heads:
            parts.append(attrgetter("phase"))
        if "asks" in heads:
            parts.append(lambda s: tuple(s.asks.values()))
        fields: dict[str, set[str]] = {}
        for n in names:
            head, _, attr = n.partition(".")
            if head in self.articles and attr in ARTICLE_ATTRS:
                fields.setdefault(head, set()).add("settled" if attr == "position" else attr)
        for art_id in sorted(fields):
            get = attrgetter(*sorted(fields[art_id]))
            parts.append(lambda s, a=art_id, g=get: g(s.articles[a]))  # type: ignore[misc]
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            p0, p1 = parts
            return lambda s: (p0(s), p1(s))
        if len(parts) == 3:
            p0, p1, p2 = parts
            return lambda s: (p0(s), p1(s), p2(s))
        return lambda s: tuple([p(s) for p in parts])

    def _lines(self, lines: Mapping[Any, Sequence[str | Line]]) -> dict[str, tuple[CompiledLine, ...]]:
        out: dict[str, tuple[CompiledLine, ...]] = {}
        for key, items in lines.items():
            out[key] = tuple(
                CompiledLine(x, None, "any") if isinstance(x, str)
                else CompiledLine(x.text, self.condition(x.when), x.after, x.speaker)
                for x in items)
        return out

    def _resolve(self, name: str) -> Callable[[GameState], float]:
        if name not in self.names:
            raise ExpressionError(f"unknown name {name!r}")
        start = self.start
        if name in self.variables:
            return lambda s: s.variables[name]
        if name == "date":
            return lambda s: s.date
        if name == "days":
            return lambda s: s.date - start
        if name == "signed":
            return lambda s: s.signed_on is not None
        if name.startswith("asks."):
            key = "ally" if name == "asks.us" else name[5:]
            return lambda s: s.asks.get(key, 0)
        head, _, attr = name.partition(".")
        if head == "phase" and attr in self.phases:
            return lambda s: s.phase == attr
        if head in {a.id for a in self.scenario.articles}:
            art = head
            ids = [p.id for a in self.scenario.articles if a.id == art for p in a.positions]
            if attr == "settled":
                return lambda s: s.articles[art].settled >= 0
            if attr == "position":
                return lambda s: s.articles[art].settled
            if attr in ARTICLE_ATTRS:
                return lambda s: getattr(s.articles[art], attr)
            if attr in ids:
                const = ids.index(attr)
                return lambda s: const
        raise ExpressionError(f"unknown name {name!r}")

    def value_of(self, name: str, state: GameState) -> Any:
        """The value of an expression's name in ``state`` (raise ExpressionError if it names nothing)."""
        return self._resolve(name)(state)

    def date_of(self, ordinal: int) -> dt.date:
        """Return a calendar date."""
        return dt.date.fromordinal(ordinal)


def _zero(_: object) -> float:
    return 0.0


def _one(_: object) -> float:
    return 1.0


_cache: OrderedDict[str, Rules] = OrderedDict()
CACHE_SIZE = 8  # scenarios kept compiled; hot reloads add a new one each time


def rules_for(loaded: LoadedScenario) -> Rules:
    """Return the compiled rules of a scenario, built once per content hash (the last few are kept)."""
    rules = _cache.get(loaded.hash)
    if rules is None:
        rules = Rules(loaded)
        _cache[loaded.hash] = rules
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(loaded.hash)
    return rules


__all__ = ["ArticleRules", "CompiledEffect", "CompiledLine", "DecisionRules", "Rules", "rules_for"]
