"""Words at the edge: the one presenter both front ends use (pygame-free).

The engine's events carry data; :class:`Presenter` turns them into lines of the log, labels and
risk lines for the moves on offer (with the stakes the delegation can estimate), the calendar
(dates, places and meetings, never what will happen there), the historical shadow and the
state of each article. The window and the terminal only lay these out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from negotiation.engine import counterparts as cp
from negotiation.engine.actions import Action, MoveKind
from negotiation.engine.events import BAD, GOOD, NEWS, GameEvent, Kind
from negotiation.engine.game import Game
from negotiation.engine.moves import MoveInfo
from negotiation.engine.rules import ArticleRules, DecisionRules, Rules
from negotiation.errors import InvalidActionError

KEYS = {MoveKind.HOLD: "H", MoveKind.MANDATE: "C", MoveKind.ALLY: "A", MoveKind.MEDIATE: "G", MoveKind.WALKOUT: "W",
        MoveKind.SIGN: "S"}
"""The fixed keys of the standard moves, the same in the window and the terminal; the scenario's own
options, accepting and counter-offers are numbered 1-9 and 0, and any beyond the tenth get letters
from MORE_KEYS (G is the mediator's: his good offices)."""
MORE_KEYS = "JKNPRVXYZIF"

HIDDEN = frozenset({Kind.DECISION_PRESENTED, Kind.SESSION_ADJOURNED})
"""Kinds the log does not show as lines of their own."""


def long_date(day: dt.date) -> str:
    """'Monday 2 July 1945'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """'2 Jul'."""
    return f"{day.day} {day:%b}"


def iso_to_text(text: str) -> str:
    """'1945-07-02' -> '2 July 1945' (unchanged if not a date)."""
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{d.day} {d:%B %Y}"


def signed_number(x: float) -> str:
    """'+5', '−15' (a real minus sign), '0'."""
    n = round(x)
    return f"+{n}" if n > 0 else f"−{-n}" if n < 0 else "0"


def days(n: int) -> str:
    """'1 day', '3 days', or 'no time'."""
    return "no time" if n == 0 else f"{n} day{'s' if n != 1 else ''}"


@dataclass(frozen=True, slots=True)
class Line:
    """One message of the log as the front ends show it."""

    date: dt.date
    who: str
    text: str
    tone: str  # good, bad, news, move, end, meters, session, plain
    kind: str = ""
    markers: tuple[tuple[str, float], ...] = ()  # (meter label, change) for MetersChanged


@dataclass(frozen=True, slots=True)
class Stakes:
    """What the delegation can tell of a move before it is made."""

    term: str = ""  # the term it would put in the draft
    against_history: str = ""  # 'better than 1945', 'as in 1945', 'worse than 1945'
    answer: str = ""  # the likely answer, as an estimate ('he will probably accept')
    meters: tuple[tuple[str, float], ...] = ()  # expected changes (label, delta); ' if refused' when conditional
    warnings: tuple[str, ...] = ()  # escalating, in words; '! ' marks one that may end the game
    said: str = ""  # what the delegation would say (an option's text)
    note: str = ""  # what the scenario says the option risks
    terms: tuple[tuple[str, str, str], ...] = ()  # a package: (article title, term, against history)
    changes: tuple[tuple[str, float], ...] = ()  # the expected meter changes by variable id (for previews)


@dataclass(frozen=True, slots=True)
class Choice:
    """A move on offer: its key, label, one risk line and its stakes."""

    action: Action
    key: str
    label: str
    risk: str
    stakes: Stakes = field(default_factory=Stakes)
    standard: bool = False  # a standard move with a fixed letter key
    confirm: str = ""  # a question to confirm before the move (signing)
    danger: bool = False  # the move may end the game
    short: str = ""  # a few words for a button ('Hold firm', 'Cable Chiang Kai-shek'); the label if not given

    @property
    def tone(self) -> str:
        """How its risk line reads at a glance: danger, cost, gain or plain (never a hint of history)."""
        if self.danger:
            return "danger"
        deltas = [x for _, x in self.stakes.meters]
        if any(x < 0 for x in deltas) or self.stakes.warnings:
            return "cost"
        if any(x > 0 for x in deltas):
            return "gain"
        return "plain"


@dataclass(frozen=True, slots=True)
class MandateLine:
    """One article of the delegation's mandate as it stands now (the dossier's live page)."""

    article: str  # the article's title
    mandate: str  # the furthest term the principal allows now
    status: str  # 'Agreed: …' or 'Open · their demand: …'
    beyond: bool = False  # agreed beyond the mandate
    final: bool = False  # the principal will go no further, whatever is cabled


@dataclass(frozen=True, slots=True)
class Closing:
    """The closing scene of a finished game: how it ended, in a stamp, a headline and a few lines."""

    kind: str  # signed, broken, recalled, ended
    stamp: str  # 'TREATY SIGNED', 'TALKS BROKEN OFF', 'RECALLED', 'NO TREATY'
    title: str
    date: dt.date
    text: str
    lines: tuple[Line, ...] = ()
    epilogue: str = ""  # what follows, in a few sentences


@dataclass(frozen=True, slots=True)
class Shadow:
    """One decision of the game set beside what the real delegation did."""

    title: str
    date: dt.date
    yours: tuple[str, ...]
    theirs: tuple[str, ...]
    history: str
    same: bool
    sources: tuple[str, ...] = ()  # the decision's source keys


@dataclass(frozen=True, slots=True)
class Coming:
    """An entry of the calendar: a phase, a meeting, or an event known in advance."""

    date: dt.date
    title: str
    kind: str  # phase, session, event
    place: str = ""


CALENDAR_LEGEND = (("phase", "a new stage of the negotiation"), ("session", "a meeting"),
                   ("event", "an event known in advance"))


@dataclass(slots=True)
class _Acc:
    """What :meth:`Presenter.stakes` gathers about a move, before it becomes a :class:`Stakes`."""

    term: str = ""
    against: str = ""
    answer: str = ""
    said: str = ""
    note: str = ""
    meters: list[tuple[str, float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    changes: dict[str, float] = field(default_factory=dict)
    at_risk: float = 0.0  # what a refusal, or the move itself, would cost his patience

    def meter(self, p: Presenter, var: str, delta: float) -> None:
        """A certain change of a meter."""
        self.meters.append((p.labels.get(var, var), delta))
        self.changes[var] = self.changes.get(var, 0.0) + delta


class Presenter:
    """Turns one scenario's engine data into words."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        s = rules.scenario
        self.year = str(s.history.signed_on.year) if s.history.signed_on else "history"
        self.labels = {v.id: v.label for v in s.variables}
        self.principal = rules.role_names.get("principal", "your principal")
        self.ally = rules.role_names.get("ally", "your ally")
        self.mediator = rules.role_names.get("mediator", "the mediator")
        self.counterpart = rules.role_names.get("counterpart", "the other side")
        self.words = s.moves

    # ------------------------------------------------------------------ names
    def actor(self, actor_id: str | None) -> str:
        """An actor's name, or ''."""
        if actor_id is None:
            return ""
        a = self.rules.actors.get(actor_id)
        return a.name if a is not None else actor_id

    def article_name(self, art_id: str) -> str:
        """The short name of an article for sentences ('the railways')."""
        return self.rules.articles[art_id].name

    def title(self, art_id: str) -> str:
        """An article's title ('The Manchurian railways')."""
        return self.rules.articles[art_id].model.title

    def headed(self, art_id: str) -> str:
        """An article's title as the head of a line: 'Dairen:', but 'A new treaty?' (no colon after its own mark)."""
        t = self.title(art_id)
        return t if t[-1:] in "?!:" else t + ":"

    def rung(self, art_id: str, rung: int) -> str:
        """A rung's label."""
        positions = self.rules.articles[art_id].model.positions
        return positions[rung].label if 0 <= rung < len(positions) else "?"

    def _fill(self, text: str, art_id: str | None = None, rung: int | None = None) -> str:
        name = self.article_name(art_id) if art_id else "the article"
        pos = self.rung(art_id, rung) if art_id is not None and rung is not None else ""
        meter = self.labels.get(self.rules.principal.confidence, "") if self.rules.principal else ""
        return (text.replace("{article}", name).replace("{Article}", name[:1].upper() + name[1:])
                .replace("{position}", pos).replace("{principal}", self.principal).replace("{ally}", self.ally)
                .replace("{mediator}", self.mediator)
                .replace("{counterpart}", self.counterpart).replace("{meter}", meter))

    # ------------------------------------------------------------------ moves
    def move_label(self, kind: str, art_id: str | None = None, rung: int | None = None,
                   option: str | None = None, decision: DecisionRules | None = None) -> str:
        """A move in words, from the scenario's wording."""
        if kind == MoveKind.OPTION and decision is not None and option is not None:
            o = self.rules.options[decision.model.id].get(option)
            return o.label if o is not None else option
        template = getattr(self.words, kind, kind)
        return self._fill(str(template), art_id, rung)

    def action_label(self, game: Game, action: Action) -> str:
        """A legal action's label, now."""
        d = game.decision()
        art_id = d.model.article if d is not None else None
        rung = None
        if art_id is not None:
            art = game.rules.articles[art_id]
            if action.kind == MoveKind.ACCEPT:
                rung = game.state.articles[art_id].demand
            elif action.kind == MoveKind.COUNTER and action.arg in art.ids:
                rung = art.ids.index(action.arg)
        return self.move_label(action.kind, art_id, rung, action.arg, d)

    def past_action_label(self, dec: DecisionRules, text: str, rung: int | None = None) -> str:
        """A past action in words (for the log and the historical shadow)."""
        try:
            a = Action.parse(text)
        except InvalidActionError:
            return text
        art_id = dec.model.article
        art = self.rules.articles[art_id] if art_id else None
        if a.kind == MoveKind.COUNTER and art is not None and a.arg in art.ids:
            rung = art.ids.index(a.arg)
        if a.kind == MoveKind.ACCEPT and rung is None:
            return "Accept the demand on the table"
        return self.move_label(a.kind, art_id, rung, a.arg, dec)

    def choices(self, game: Game) -> list[Choice]:
        """The moves on offer: the scenario's options and the article's moves numbered, the rest lettered."""
        out: list[Choice] = []
        n = 0
        for action in game.legal_actions():
            standard = action.kind in KEYS
            if standard:
                key = KEYS[MoveKind(action.kind)]
            else:
                n += 1
                key = str(n % 10) if n <= 10 else MORE_KEYS[(n - 11) % len(MORE_KEYS)]
            stakes = self.stakes(game, action)
            confirm = ""
            if action.kind == MoveKind.SIGN:
                confirm = "Propose signing the treaty as it stands? Open articles fall to the demands on the table."
            danger = any(w.startswith("!") for w in stakes.warnings)
            label = self.action_label(game, action)
            out.append(Choice(action, key, label, self.risk_line(stakes), stakes, standard, confirm, danger,
                              self.short_label(action.kind) or label))
        return out

    def short_label(self, kind: str) -> str:
        """A standard move in a word or two, for a row of buttons ('' for the others)."""
        return {MoveKind.HOLD: "Hold firm", MoveKind.MANDATE: "Cable home", MoveKind.ALLY: "Ask your ally",
                MoveKind.MEDIATE: "Mediation", MoveKind.WALKOUT: "Walk out",
                MoveKind.SIGN: "Sign"}.get(MoveKind(kind), "") if kind in KEYS else ""

    def stakes(self, game: Game, action: Action) -> Stakes:
        """What a move puts at stake, as the delegation would estimate it."""
        r = game.rules
        info = game.info(action)
        acc = _Acc()
        ai = r.counterpart
        if info.rung >= 0 and info.article is not None:
            art = r.articles[info.article]
            acc.term = art.model.positions[info.rung].label
            acc.against = self.against(art, info.rung)
        if info.beyond_mandate and r.principal is not None:
            self._overreach(game, info.beyond_mandate, acc)
        kind = action.kind
        if kind == MoveKind.COUNTER and info.article is not None:
            acc.answer, likely = self._estimate(game, info.article, info.rung)
            if ai is not None:
                acc.at_risk = 0.0 if acc.answer == "he will probably accept" else info.patience_cost
                if not likely:
                    acc.meters.append((self.labels.get(ai.patience, "patience") + " if refused", -info.patience_cost))
        elif kind == MoveKind.HOLD and ai is not None:
            self._hold(game, info, acc)
        elif kind == MoveKind.ACCEPT and ai is not None:
            acc.meter(self, ai.patience, ai.accept_gain)
            acc.answer = "agreed at once"
        elif kind in (MoveKind.MANDATE, MoveKind.ALLY):
            self._consult(game, kind, info, acc)
        elif kind == MoveKind.MEDIATE:
            self._mediate(game, info, acc)
        elif kind == MoveKind.WALKOUT:
            if ai is not None:
                acc.meter(self, ai.patience, -info.patience_cost)
            chance = info.break_chance
            acc.answer = ("the session ends; he may soften on this article" if info.article is not None
                          else "the session ends")
            band = "small" if chance < 0.2 else "real" if chance < 0.45 else "high" if chance < 0.75 else "very high"
            acc.warnings.append(f"{'! ' if chance >= 0.45 else ''}the risk that he breaks off the talks is {band}")
        elif kind == MoveKind.SIGN:
            acc.answer = self._sign_estimate(game)
            still = [self.article_name(k) for k, a in game.state.articles.items() if a.settled < 0]
            if still:
                acc.warnings.append(f"open, and signed at his demand: {', '.join(still)}")
            pr = r.principal
            if pr is not None and not game.ratified(game.terms_on_table()):
                if pr.repudiation is not None:
                    title = r.ending_by_id[pr.repudiation].title
                    acc.warnings.append(f"! {self.principal} would disown it, and the game would end: {title}")
                else:
                    acc.warnings.append(f"{self.principal} would withhold the signature")
        elif kind == MoveKind.OPTION:
            self._option(game, action, acc)
        self._lapse(game, kind, acc)
        self._escalate(game, kind, acc)
        meters = [m for m in acc.meters if m[0] and m[1]]
        changes = {k: v for k, v in acc.changes.items() if v and k in r.visible}
        return Stakes(acc.term, acc.against, acc.answer, tuple(meters), tuple(acc.warnings), acc.said, acc.note,
                      tuple(acc.terms), tuple(changes.items()))

    def against(self, art: ArticleRules, rung: int) -> str:
        """'better than 1945', 'as in 1945' or 'worse than 1945' for a rung of an article."""
        diff = art.player_value[rung] - art.player_value[art.historical]
        if diff:
            return f"{'better' if diff > 0 else 'worse'} than {self.year}"
        return f"as in {self.year}"

    def _overreach(self, game: Game, steps: int, acc: _Acc) -> None:
        pr = game.rules.principal
        assert pr is not None
        cost = pr.overreach_cost * steps
        acc.meters.append((self.labels.get(pr.confidence, "confidence"), -cost))
        acc.changes[pr.confidence] = -cost
        if game.state.variables.get(pr.confidence, 0.0) - cost <= 0:
            acc.warnings.append(f"! {self.principal} would recall you over this")
        else:
            acc.warnings.append(f"{steps} step{'s' if steps != 1 else ''} beyond your mandate: "
                                f"{self.principal} will not like it")

    def _hold(self, game: Game, info: MoveInfo, acc: _Acc) -> None:
        r, st = game.rules, game.state
        ai = r.counterpart
        assert ai is not None
        acc.meter(self, ai.patience, -info.patience_cost)
        acc.at_risk = info.patience_cost
        if info.article is None:
            return
        a = st.articles[info.article]
        step = a.demand - 1
        if step >= 0 and cp.acceptable(r, st, r.articles[info.article], step):
            acc.answer = "he may come down a step"
        else:
            acc.answer = "he is unlikely to move"

    def _consult(self, game: Game, kind: str, info: MoveInfo, acc: _Acc) -> None:
        pr = game.rules.principal
        if kind == MoveKind.MANDATE and pr is not None:
            acc.meter(self, pr.confidence, -info.confidence_cost)
            conf = game.state.variables.get(pr.confidence, 0.0)
            if info.confidence_cost and conf - info.confidence_cost <= 0:
                acc.warnings.append(f"! {self.principal} would recall you over this")
        if info.arrives is not None:
            when = short_date(dt.date.fromordinal(info.arrives))
            acc.answer = f"the answer will come by {when}, between sessions"
            ally = game.rules.ally
            if kind == MoveKind.MANDATE and pr is not None and info.article is not None:
                acc.warnings.append(f"a yes widens your mandate on {self.article_name(info.article)} by one step")
            elif kind == MoveKind.ALLY and ally is not None:
                label = self.labels.get(ally.support, "support")
                acc.warnings.append(f"a yes adds to {label}, which lowers his demands where it counts")
            if info.after_end:
                acc.warnings.append("! the answer would come after the last meeting on the calendar")

    def _mediate(self, game: Game, info: MoveInfo, acc: _Acc) -> None:
        r, st = game.rules, game.state
        m, ai = r.mediator, r.counterpart
        assert m is not None
        if ai is not None and info.patience_cost:
            acc.meter(self, ai.patience, -info.patience_cost)
            acc.at_risk = info.patience_cost
        if m.goodwill is not None and m.ask_cost:
            acc.meter(self, m.goodwill, -m.ask_cost)
        left = m.max_asks - st.asks.get("mediator", 0) - 1
        acc.answer = f"{self.mediator} will propose terms between you; the demand may come down"
        acc.warnings.append(f"your last request to {self.mediator}" if left < 1 else
                            f"{left} more request{'s' if left != 1 else ''} to {self.mediator} after this one")

    def _option(self, game: Game, action: Action, acc: _Acc) -> None:
        r, st = game.rules, game.state
        ai, pr = r.counterpart, r.principal
        d = game.decision()
        assert d is not None
        o = r.options[d.model.id][action.arg]
        acc.said, acc.note = o.text, o.risk
        for e in o.effects:
            for k, x in e.add.items():
                if k not in r.visible:
                    continue
                acc.meter(self, k, x)
                if ai is not None and k == ai.patience and x < 0:
                    acc.at_risk += -x
                if pr is not None and k == pr.confidence and x < 0 and st.variables.get(k, 0.0) + x <= 0:
                    acc.warnings.append(f"! {self.principal} would recall you over this")
        if not o.offer:
            return
        offer = {k: r.articles[k].ids.index(v) for k, v in o.offer.items() if k in r.articles}
        acc.answer = self._package_estimate(game, offer)
        for k, rung in offer.items():
            art = r.articles[k]
            acc.terms.append((art.model.title, art.model.positions[rung].label, self.against(art, rung)))
        if ai is not None:
            refusal = ai.refusal_cost - sum(e.add.get(ai.patience, 0.0) for e in o.on_refuse)
            if refusal and not acc.answer.startswith(("he will probably accept", "he may accept")):
                acc.meters.append((self.labels.get(ai.patience, "patience") + " if refused", -refusal))
            acc.at_risk += refusal

    def _lapse(self, game: Game, kind: str, acc: _Acc) -> None:
        """On the decision's last exchange, a move that may pass it by lets what he conceded lapse (rule R6)."""
        d = game.decision()
        st = game.state
        if d is None or d.model.article is None:
            return
        a = st.articles[d.model.article]
        if a.settled >= 0 or a.demand == a.standing:
            return
        if kind == MoveKind.COUNTER and acc.answer in ("he will probably accept", "he may accept"):
            return
        if kind == MoveKind.WALKOUT or (kind in (MoveKind.HOLD, MoveKind.COUNTER) and st.round >= d.model.rounds):
            art = d.model.article
            lapse = f"what he conceded ({self.rung(art, a.demand)}) lapses with the session unless you accept it"
            acc.warnings.append(lapse if kind == MoveKind.WALKOUT else
                                f"the last exchange on {self.article_name(art)}: {lapse}")

    def _escalate(self, game: Game, kind: str, acc: _Acc) -> None:
        """The warning that grows as his patience nears its end: wearing thin, then 'may end the talks'."""
        r = game.rules
        ai = r.counterpart
        if ai is None or acc.at_risk <= 0:
            return
        pat = game.state.variables.get(ai.patience, 0.0)
        floor = r.variables[ai.patience].min if ai.patience in r.variables else 0.0
        if pat - acc.at_risk <= floor:
            again = "another refusal" if kind in (MoveKind.COUNTER, MoveKind.OPTION) else "this"
            acc.warnings.append(f"! {again} may end the talks: his patience is all but gone")
        elif pat - acc.at_risk < ai.threat_below:
            acc.warnings.append("his patience is wearing thin: expect threats")

    def _estimate(self, game: Game, art_id: str, rung: int) -> tuple[str, bool]:
        """The delegation's estimate of his answer to an offer (a band, not his exact numbers), and if it is likely."""
        r = game.rules
        art = r.articles[art_id]
        st = game.state
        if rung < cp.floor(art, st):
            return "he has made this a point of principle: he will refuse", False
        margin = art.counter_value[rung] - cp.aspiration(r, st, art)
        if margin >= 8:
            return "he will probably accept", True
        if margin >= 0:
            return "he may accept", True
        if margin >= -8:
            return "he will probably refuse, but it is close", False
        return "he will refuse", False

    def _package_estimate(self, game: Game, offer: dict[str, int]) -> str:
        margin = cp.package_margin(game.rules, game.state, offer)
        weight = sum(game.rules.articles[k].counter_weight for k in offer) or 1.0
        per = margin / weight
        if per == float("-inf"):
            return "it crosses a point of principle: he will refuse"
        if per >= 8:
            return "he will probably accept"
        if per >= 0:
            return "he may accept"
        if per >= -8:
            return "he will probably refuse, but it is close"
        return "he will refuse"

    def _sign_estimate(self, game: Game) -> str:
        positions = game.terms_on_table()
        short = cp.treaty_shortfall(game.rules, game.state, positions)
        if not game.ratified(positions):
            return f"{self.principal} will not stand behind these terms"
        if short <= -5:
            return "he is ready to sign these terms"
        if short <= 0:
            return "he may sign"
        return "he will want more before he signs: expect him to name his price"

    def risk_line(self, stakes: Stakes) -> str:
        """One line for a move, never empty: the worst warning, the likely answer, the term against history,
        the meters, what the scenario says it risks."""
        parts: list[str] = [w.lstrip("! ") for w in stakes.warnings if w.startswith("!")]
        if stakes.answer:
            parts.append(stakes.answer)
        if stakes.term and stakes.against_history:
            parts.append(stakes.against_history)
        elif stakes.terms:
            parts.append(", ".join(dict.fromkeys(t[2] for t in stakes.terms)))
        if stakes.meters:
            parts.append(", ".join(f"{k} {signed_number(v)}" for k, v in stakes.meters))
        parts += [w for w in stakes.warnings if not w.startswith("!")]
        if stakes.note:
            parts.append(stakes.note.rstrip("."))
        return "; ".join(parts) if parts else "no cost you can foresee"

    # ------------------------------------------------------------------ events
    def event_line(self, e: GameEvent) -> Line | None:
        """How one event reads (None for the kinds that are not shown as lines)."""
        if e.kind in HIDDEN:
            return None
        who = self.actor(e.speaker)
        text = e.text or self._words(e)
        markers: tuple[tuple[str, float], ...] = ()
        if e.kind == Kind.MOVE_MADE:
            who, tone = "You", "move"
        elif e.kind == Kind.METERS_CHANGED:
            delta = e.get("delta") or {}
            markers = tuple((self.labels.get(k, k), float(v)) for k, v in delta.items())
            text = " · ".join(f"{k} {signed_number(v)}" for k, v in markers)
            tone = "meters"
        elif e.kind in GOOD:
            tone = "good"
        elif e.kind in BAD:
            tone = "bad"
        elif e.kind in NEWS:
            tone = "news"
        elif e.kind == Kind.GAME_ENDED:
            tone = "end"
        elif e.kind == Kind.SESSION_OPENED:
            tone = "session"
        else:
            tone = "plain"
        if not text:
            return None
        return Line(e.day, who, text, tone, e.kind, markers)

    def lines(self, events: list[GameEvent]) -> list[Line]:
        """The lines of a list of events, in order."""
        out = []
        for e in events:
            ln = self.event_line(e)
            if ln is not None:
                out.append(ln)
        return out

    def _words(self, e: GameEvent) -> str:
        """Words for an event that carries data but no authored text."""
        r = self.rules
        k = e.kind
        art = e.article
        rung = e.get("rung")
        if k == Kind.MOVE_MADE:
            return self._move_words(e)
        if k == Kind.ARTICLE_SETTLED and art is not None:
            return f"Agreed — {self.headed(art)} {self.rung(art, rung)}."
        if k == Kind.ARTICLE_REOPENED and art is not None:
            return f"Reopened — {self.title(art)}. His demand: {self.rung(art, rung)}."
        if k == Kind.CONCESSION_LAPSED and art is not None:
            return (f"{self.headed(art)} what he conceded lapses with the session. His demand stands again: "
                    f"{self.rung(art, e.get('standing', -1))}.")
        if k == Kind.MANDATE_EXCEEDED and art is not None:
            cost = e.get("cost", 0)
            return f"You went beyond your mandate on {self.article_name(art)}: {self.principal}'s confidence " \
                   f"{signed_number(-cost)}."
        if k == Kind.MANDATE_ASKED and art is not None:
            when = dt.date.fromordinal(int(e.get("arrives", e.date)))
            return f"You cable {self.principal} for a wider mandate on {self.article_name(art)}; the answer will " \
                   f"come by {short_date(when)}."
        if k in (Kind.MANDATE_WIDENED, Kind.MANDATE_REFUSED) and art is not None and e.get("agreed"):
            return f"{self.principal}'s answer on {self.article_name(art)} comes after it was agreed: it changes " \
                   "nothing in the draft."
        if k == Kind.MANDATE_WIDENED and art is not None:
            return f"{self.principal} widens your mandate on {self.article_name(art)}. It now reaches: " \
                   f"{self.rung(art, rung)}."
        if k == Kind.MANDATE_REFUSED and art is not None:
            if e.get("ceiling"):
                return f"{self.principal} will go no further on {self.article_name(art)}."
            return f"{self.principal} will not widen your mandate on {self.article_name(art)} for now."
        if k == Kind.SUPPORT_ASKED:
            when = dt.date.fromordinal(int(e.get("arrives", e.date)))
            return f"You ask {self.ally} for support; the answer will come by {short_date(when)}."
        if k in (Kind.SUPPORT_GAINED, Kind.SUPPORT_DENIED):
            gain = float(e.get("gain", 0))
            label = self.labels.get(r.ally.support, "support") if r.ally else "support"
            if gain > 0:
                return f"Backing from {self.ally}: {label} {signed_number(gain)}."
            return f"{self.ally} will do nothing more for now."
        if k == Kind.MEDIATED and art is not None:
            return f"{self.mediator} proposes, on {self.article_name(art)}: {self.rung(art, rung)}. The demand comes " \
                   f"down to it for this session."
        if k == Kind.NO_BRIDGE and art is not None:
            return f"{self.mediator} finds nothing between you on {self.article_name(art)}."
        if k == Kind.SIGNING_VETOED:
            return f"{self.principal} will not stand behind a treaty on these terms."
        if k == Kind.TERMS_RETABLED:
            terms = e.get("terms") or {}
            items = [f"{self.headed(a)} {self.rung(a, int(x))}" for a, x in terms.items()]
            return "His terms for a signature — " + "; ".join(items) + "."
        if k == Kind.SESSION_OPENED:
            ph = r.phases.get(str(e.get("phase", "")))
            place = ph.location if ph is not None and ph.location else ""
            return f"Session of {e.day.day} {e.day:%B}" + (f", {place}" if place else "")
        if k == Kind.WALKED_OUT:
            return "You leave the room. The session is over."
        if k == Kind.TALKS_BROKEN:
            return "The talks are broken off."
        if k == Kind.TREATY_SIGNED:
            return "The treaty is signed."
        return ""

    def _move_words(self, e: GameEvent) -> str:
        text = str(e.get("action", ""))
        dec_id = e.get("decision")
        dec = self.rules.decisions.get(dec_id) if isinstance(dec_id, str) else None
        if dec is None:
            return text
        return self.past_action_label(dec, text, e.get("rung"))

    # ------------------------------------------------------------------ the world
    def calendar(self, game: Game, limit: int = 40) -> list[Coming]:
        """What is scheduled after today: phases, meetings, and events known in advance; never outcomes."""
        r = self.rules
        s = r.scenario
        today = game.state.date
        items: list[Coming] = []
        for ev, _ in r.events:
            if ev.announced and ev.date.toordinal() > today:
                items.append(Coming(ev.date, ev.title, "event"))
        seen: set[tuple[dt.date, str]] = set()
        for d in s.decisions:
            if d.date.toordinal() <= today:
                continue
            who = self.actor(d.speaker)
            key = (d.date, who)
            if key in seen:
                continue
            seen.add(key)
            ph = r.phases[d.phase]
            items.append(Coming(d.date, f"Meeting: {who}" if who else "Meeting", "session", ph.location))
        for ph in s.phases:
            if ph.start.toordinal() > today:
                items.append(Coming(ph.start, ph.title, "phase", ph.location))
        order = {"phase": 0, "event": 1, "session": 2}
        items.sort(key=lambda c: (c.date, order[c.kind], c.title))
        return items[:limit]

    def shadow(self, game: Game) -> list[Shadow]:
        """The historical shadow: each decision taken, your moves and the delegation's in history."""
        r = game.rules
        out: list[Shadow] = []
        groups: list[tuple[str, list[str]]] = []
        for d_id, act in game.action_log:
            if groups and groups[-1][0] == d_id:
                groups[-1][1].append(act)
            else:
                groups.append((d_id, [act]))
        for d_id, acts in groups:
            dec = r.decisions[d_id]
            hist = [Action.parse(h).id for h in dec.model.historical]
            out.append(Shadow(
                dec.model.title, dec.model.date,
                tuple(self.past_action_label(dec, a) for a in acts),
                tuple(self.past_action_label(dec, a) for a in hist),
                dec.model.history, acts == hist[: len(acts)] and len(acts) == len(hist), tuple(dec.model.sources),
            ))
        return out

    def meters(self, game: Game) -> list[tuple[str, str, float, float, float]]:
        """The visible meters: (id, label, value, min, max)."""
        vs = {v.id: v for v in self.rules.scenario.variables}
        return [(k, vs[k].label, game.state.variables[k], vs[k].min, vs[k].max) for k in self.rules.visible]

    def consultations(self, game: Game, short: bool = False) -> list[str]:
        """What the player may still ask of the principal and the ally, and what is on its way (``short``: in
        a few words, for a narrow column: 'Cables left: 6', 'Awaiting Washington, by 14 Jul')."""
        r = self.rules
        st = game.state
        out = []
        principal = self.principal.split(" (")[0]
        ally = self.ally.split(" (")[0]
        if r.principal is not None:
            left = r.principal.max_asks - st.asks.get("mandate", 0)
            out.append(f"Cables left: {left}" if short else f"Cables to {self.principal} left: {left}")
        if r.ally is not None:
            left = r.ally.max_asks - st.asks.get("ally", 0)
            now = "" if not left or r.available("ally", st) else " (not now)"
            out.append(f"Requests left: {left}{now}" if short else f"Requests to {self.ally} left: {left}{now}")
        if r.mediator is not None:
            left = r.mediator.max_asks - st.asks.get("mediator", 0)
            now = "" if not left or r.available("mediator", st) else " (not now)"
            out.append(f"Mediations left: {left}{now}" if short
                       else f"Proposals {self.mediator} may still make: {left}{now}")
        for arrives, kind, art in st.pending:
            who = principal if kind == "mandate" else ally
            about = f" on {self.article_name(art)}" if art and not short else ""
            out.append(f"Awaiting {who if short else (self.principal if kind == 'mandate' else self.ally)}{about}, "
                       f"by {short_date(dt.date.fromordinal(arrives))}")
        return out

    def where(self, game: Game) -> str:
        """The phase and its place, without saying a place twice ('Washington and Chungking', not '… · Washington;
        Chungking')."""
        ph = self.rules.phases[game.state.phase]
        places = [p.strip() for p in ph.location.replace(";", ",").split(",") if p.strip()]
        if not places or all(p.lower() in ph.title.lower() for p in places):
            return ph.title
        return f"{ph.title} · {ph.location}"

    def role(self, actor_id: str | None) -> str:
        """An actor's title and side ('Chairman of the Council of People's Commissars, Soviet Union'), without
        naming the side twice ('President of the United States')."""
        a = self.rules.actors.get(actor_id or "")
        if a is None:
            return ""
        side = next((x.name for x in self.rules.scenario.sides if x.id == a.side), "")
        if side and (side.lower() in a.title.lower() or side.lower() in a.name.lower()):
            side = ""
        return ", ".join(x for x in (a.title, side) if x)

    def citations(self, keys: list[str] | tuple[str, ...]) -> list[str]:
        """Readable citations for source keys (the scenario's ``sources``); an unknown key stays as it is."""
        table = self.rules.scenario.scenario.sources
        return [table.get(k, k) for k in dict.fromkeys(keys)]

    def meter_changes(self, events: list[GameEvent]) -> dict[str, float]:
        """The net change of each visible meter over some events (for the markers after a move)."""
        out: dict[str, float] = {}
        for e in events:
            if e.kind == Kind.METERS_CHANGED:
                for k, v in (e.get("delta") or {}).items():
                    if k in self.rules.visible:
                        out[k] = out.get(k, 0.0) + float(v)
        return {k: v for k, v in out.items() if round(v)}

    def mandate(self, game: Game) -> list[MandateLine]:
        """Where the mandate stands on every article now (the dossier's live page)."""
        out: list[MandateLine] = []
        for art_id, art in self.rules.articles.items():
            a = game.state.articles[art_id]
            pos = art.model.positions
            if a.settled >= 0:
                status = "Agreed: " + pos[a.settled].label
            else:
                status = "Open · their demand: " + pos[a.demand].label
            out.append(MandateLine(art.model.title, pos[a.mandate].label, status,
                                   a.settled > a.mandate, a.mandate >= art.ceiling))
        return out

    def closing(self, game: Game, events: list[GameEvent] | None = None) -> Closing | None:
        """The closing scene of a finished game: its stamp, headline, the ending's text and the last lines."""
        out = game.outcome()
        if out is None:
            return None
        r = self.rules
        ending = r.ending_by_id[out.ending]
        st = game.state
        ai, pr = r.counterpart, r.principal
        if out.signed:
            kind, stamp = "signed", "TREATY SIGNED"
        elif ai is not None and st.variables.get(ai.patience, 1.0) <= r.variables[ai.patience].min:
            kind, stamp = "broken", "TALKS BROKEN OFF"
        elif pr is not None and st.variables.get(pr.confidence, 1.0) <= r.variables[pr.confidence].min:
            kind, stamp = "recalled", "RECALLED"
        else:
            kind, stamp = "ended", "NO TREATY"
        lines = tuple(ln for ln in self.lines(events or []) if ln.kind not in (Kind.GAME_ENDED, Kind.METERS_CHANGED))
        return Closing(kind, stamp, out.title, st.day, ending.text, lines[-6:], ending.epilogue)

    def signing_note(self, game: Game) -> str:
        """Why a signature cannot be proposed yet, if it cannot ('' otherwise)."""
        r = self.rules
        if game.is_over() or game.signing_open():
            return ""
        note = r.scenario.signing.note
        if r.signing_opens is not None and game.state.date < r.signing_opens:
            when = short_date(dt.date.fromordinal(r.signing_opens))
            return note or f"Nothing can be signed before {when}."
        return note


__all__ = ["CALENDAR_LEGEND", "KEYS", "Choice", "Closing", "Coming", "Line", "MandateLine", "Presenter", "Shadow",
           "Stakes", "days",
           "iso_to_text", "long_date", "short_date", "signed_number"]
