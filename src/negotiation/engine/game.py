"""The Game facade: a small pull API that every front end, AI and test drives the same way.

``legal_actions()``, ``apply(action) -> events``, ``undo()``, ``is_over()``, ``outcome()``.
The action log is the truth: undo replays it from the start, and saves store it.

The order of play: a phase holds sessions (its decisions that share a date); between sessions
the calendar moves to the next session's date, and what falls due on the way happens in date
order: dated events, then the answers to cables sent earlier. Convening a session tables the
counterpart's terms (every demand its decisions name, at once); inside a session the calendar
stands still; adjourning it lets his unaccepted concessions lapse. See docs/rules.md.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from negotiation.engine import counterparts as cp
from negotiation.engine.actions import Action, MoveKind
from negotiation.engine.events import GameEvent, Kind
from negotiation.engine.moves import HANDLERS, MoveInfo, move_data, open_article
from negotiation.engine.rng import seed_state
from negotiation.engine.rules import ArticleRules, CompiledLine, DecisionRules, Rules, rules_for
from negotiation.engine.state import ADJOURNED, IN_SESSION, OVER, ArticleState, GameState, join_title
from negotiation.errors import ExpressionError, GameOverError, IllegalActionError, InvalidActionError, RuleError
from negotiation.scenario.expr import parse
from negotiation.scenario.loader import LoadedScenario
from negotiation.scenario.models import Effect

UNSIGNED = "~unsigned"
_event = tuple.__new__  # a GameEvent from its fields, without the named tuple's argument parsing (hot)
# The kinds emitted on every decision, read once: a member read from its Enum class goes through the
# metaclass's __getattr__ hook on Python 3.11, three times the cost of a plain attribute (hot path).
_MOVE_MADE, _METERS_CHANGED, _DECISION_PRESENTED = Kind.MOVE_MADE, Kind.METERS_CHANGED, Kind.DECISION_PRESENTED
_SESSION_OPENED, _SESSION_ADJOURNED, _CONCESSION_LAPSED = Kind.SESSION_OPENED, Kind.SESSION_ADJOURNED, \
    Kind.CONCESSION_LAPSED
_ARTICLE_SETTLED, _EVENT_OCCURRED = Kind.ARTICLE_SETTLED, Kind.EVENT_OCCURRED
_NAMES_ARTICLE = re.compile(r"\{(?:article|Article|position)\}")
"""The term of an article that stands without a treaty (the article's ``unsigned`` entry)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a finished game ended and the terms that stand (a position id, or UNSIGNED)."""

    ending: str
    title: str
    signed: bool
    signed_on: dt.date | None
    terms: dict[str, str]


_DEFAULT_LINES: dict[str, tuple[CompiledLine, ...]] = {k: tuple(CompiledLine(t, None, "any") for t in v) for k, v in {
    "accept": ("Agreed.",),
    "refuse": ("That is not acceptable.",),
    "concede": ("Very well: {position}.",),
    "threat": ("If there is no agreement, we shall act without one.",),
    "sign": ("Then let us sign.",),
    "refuse_sign": ("There is nothing yet to sign.",),
    "retable": ("Not on these terms. Here is what we can sign.",),
    "walkout": ("You may go home and consult. We shall wait.",),
    "break": ("Then there is nothing more to discuss.",),
}.items()}


class Game:
    """One game of a scenario, from a seed and the player's actions."""

    def __init__(self, scenario: LoadedScenario | Rules, seed: int = 0) -> None:
        self.rules: Rules = scenario if isinstance(scenario, Rules) else rules_for(scenario)
        self.seed = seed
        self._actions: list[tuple[str, str]] = []
        self._legal: list[Action] | None = None
        self._pending_events: list[GameEvent] = []  # where the session machine's callbacks emit
        self._firing = False  # inside a session-machine trigger
        self._found = False
        self._agenda: list[DecisionRules] = []
        self._agenda_end = 0
        self._conceded: set[str] = set()  # articles whose demand he lowered in this session (see concede)
        self._seen: set[tuple[str, int]] = set()
        self._watched: object = None  # what the endings read when they were last tested
        self.state = self._initial_state(seed)
        first = self.rules.phases[self.state.phase]
        events: list[GameEvent] = []
        try:
            self.emit(events, Kind.PHASE_ENTERED, join_title(first.title, first.description), None, None,
                      {"phase": first.id})
            self._advance(events)
        finally:
            self.state.log += events

    # ----------------------------------------------------------------- construction
    def _initial_state(self, seed: int) -> GameState:
        r = self.rules
        s = r.scenario
        phase = r.phases[s.start_phase]
        articles = {}
        for a in s.articles:
            ar = r.articles[a.id]
            demand = ar.position(a.demand)
            articles[a.id] = ArticleState(demand=demand, mandate=ar.position(a.mandate), standing=demand)
        return GameState(
            seed=seed, rng=seed_state(seed), phase=phase.id,
            date=max(r.start, phase.start.toordinal()),
            variables={v.id: v.initial for v in s.variables}, articles=articles,
        )

    @classmethod
    def replay(cls, scenario: LoadedScenario | Rules, seed: int, actions: Iterable[str]) -> Game:
        """Play ``actions`` (text forms) from the start; raise on the first illegal one."""
        game = cls(scenario, seed)
        for i, text in enumerate(actions):
            try:
                game.apply(text)
            except IllegalActionError as exc:
                raise type(exc)(f"action {i + 1} ({text!r}): {exc}") from None
        return game

    def clone(self) -> Game:
        """Return an independent copy of this game (for look-ahead)."""
        other = Game.__new__(Game)
        other.rules = self.rules
        other.seed = self.seed
        other._actions = list(self._actions)
        other._legal = self._legal
        other._pending_events = []
        other._firing = False
        other._found = False
        other._agenda = []
        other._agenda_end = 0
        other._conceded = set(self._conceded)
        other._seen = set()
        other._watched = None
        other.state = self.state.copy()
        return other

    # ----------------------------------------------------------------- queries
    @property
    def actions(self) -> list[str]:
        """The action log so far, as text forms."""
        return [a for _, a in self._actions]

    @property
    def action_log(self) -> list[tuple[str, str]]:
        """The action log so far, as (decision id, action) pairs."""
        return list(self._actions)

    def is_over(self) -> bool:
        """Whether the game has ended."""
        return self.state.ending is not None

    def decision(self) -> DecisionRules | None:
        """The decision waiting for the player, if any."""
        d = self.state.decision
        return self.rules.decisions[d] if d is not None else None

    def legal_actions(self) -> list[Action]:
        """Every action the player may take now (empty once the game is over)."""
        if self._legal is None:
            self._legal = self._compute_legal()
        return list(self._legal)

    def _compute_legal(self) -> list[Action]:
        st = self.state
        if st.ending is not None or st.decision is None:
            return []
        r = self.rules
        d = r.decisions[st.decision]
        fns = r.legal_fns.get(d.model.id)
        if fns is None:  # the handlers' legal methods, in order, found once per decision
            kinds = ("option",) * bool(d.model.options) + d.moves
            fns = r.legal_fns[d.model.id] = tuple(HANDLERS[k].legal for k in kinds)
        out: list[Action] = []
        art = open_article(self, d)
        for legal in fns:
            legal(self, d, art, out)
        return out

    def info(self, action: Action | str) -> MoveInfo:
        """What a legal action sets in motion, as the rules say before it is made."""
        if isinstance(action, str):
            action = Action.parse(action)
        d = self.decision()
        if d is None:
            raise GameOverError("no decision is waiting")
        return HANDLERS[action.kind].info(self, d, action)

    def why_not(self, action: Action | str) -> str | None:
        """Why ``action`` is not legal now, in an author's words; None if it is legal."""
        try:
            act = Action.parse(action) if isinstance(action, str) else action
        except InvalidActionError as exc:
            return str(exc)
        if self.state.ending is not None:
            return f"the game is over (ending '{self.state.ending}')"
        d = self.decision()
        if d is None:
            return "no decision is waiting"
        if act in self.legal_actions():
            return None
        if act.kind != MoveKind.OPTION and act.kind not in d.moves:
            return f"decision '{d.model.id}' does not offer '{act.kind}' (its moves: {', '.join(d.moves) or 'none'})"
        return HANDLERS[act.kind].why_not(self, d, open_article(self, d), act)

    def values_in(self, text: str) -> str:
        """The current value of each name an expression uses: 'support = 60, date = 1945-07-02'."""
        shown = []
        for name in sorted(parse(text).names()):
            try:
                value = self.rules.value_of(name, self.state)
            except ExpressionError:
                continue
            if name == "date":
                shown.append(f"date = {dt.date.fromordinal(int(value)).isoformat()}")
            elif isinstance(value, bool):
                shown.append(f"{name} = {'true' if value else 'false'}")
            else:
                shown.append(f"{name} = {value:g}")
        return ", ".join(shown) or "it names nothing that changes"

    def historical_action(self) -> str | None:
        """What the real delegation did at this point (the decision's n-th historical action)."""
        d = self.decision()
        if d is None:
            return None
        hist = d.model.historical
        if not hist:
            return None  # a decision off the historical path
        return Action.parse(hist[min(self.state.step, len(hist) - 1)]).id

    def terms_on_table(self) -> dict[str, int]:
        """The treaty as it would be signed now: agreed articles, and open ones at the demand on the table."""
        return {k: (a.settled if a.settled >= 0 else a.demand) for k, a in self.state.articles.items()}

    def signing_open(self) -> bool:
        """Whether a signature may be proposed now (the phase, the date and the scenario's condition)."""
        r = self.rules
        st = self.state
        return bool(r.phases[st.phase].allow_signing and (r.signing_opens is None or st.date >= r.signing_opens)
                    and r.signing_when(st))

    def walkout_chance(self, after_cost: bool = False) -> float:
        """The chance (0-1) that a walkout breaks the talks, from the state (after its patience cost)."""
        r = self.rules
        ai = r.counterpart
        if ai is None:
            return 0.0
        st = self.state
        if after_cost:
            was = st.variables.get(ai.patience)
            self.add_var(ai.patience, -ai.walkout_cost)
            try:
                return self._chance()
            finally:
                if was is not None:
                    st.variables[ai.patience] = was
        return self._chance()

    def _chance(self) -> float:
        p = float(self.rules.walkout_break(self.state))
        return 0.0 if math.isnan(p) else min(1.0, max(0.0, p))

    def last_session_day(self) -> int:
        """The date of the last session the scenario schedules (or its last day)."""
        days = self.rules.session_days
        return days[-1] if days else self.rules.end

    def ratified(self, positions: Mapping[str, int]) -> bool:
        """Whether the principal would stand behind a treaty on these terms (after the mandate charges)."""
        r = self.rules
        p = r.principal
        if p is None:
            return True
        trial = self.state.copy()
        cost = sum(cp.overreach(r, trial, k, rung) for k, rung in positions.items()
                   if trial.articles[k].settled < 0)
        v = r.variables.get(p.confidence)
        if v is not None:
            trial.variables[p.confidence] = min(v.max, max(v.min, trial.variables[p.confidence] - cost))
        return bool(r.ratify(trial))

    def outcome(self) -> Outcome | None:
        """The ending and the terms that stand, once the game is over."""
        st = self.state
        if st.ending is None:
            return None
        r = self.rules
        ending = r.ending_by_id[st.ending]
        terms: dict[str, str] = {}
        for art_id, art in r.articles.items():
            a = st.articles[art_id]
            if (ending.signed or ending.open_articles == "draft") and a.settled >= 0:
                terms[art_id] = art.ids[a.settled]
            elif ending.open_articles == "worst":
                terms[art_id] = art.ids[-1]
            elif ending.open_articles == "best":
                terms[art_id] = art.ids[0]
            elif ending.open_articles == "unsigned":
                terms[art_id] = UNSIGNED if art.model.unsigned is not None else art.ids[-1]
            else:
                terms[art_id] = art.ids[a.demand]
        terms.update(ending.terms)
        signed_on = dt.date.fromordinal(st.signed_on) if ending.signed and st.signed_on is not None else None
        return Outcome(ending.id, ending.title, ending.signed, signed_on, terms)

    # ----------------------------------------------------------------- play
    def apply(self, action: Action | str) -> list[GameEvent]:
        """Play one action; return what happened. Raise if it is malformed or illegal."""
        if isinstance(action, str):
            action = Action.parse(action)
        st = self.state
        if st.ending is not None:
            raise GameOverError(f"the game is over ({st.ending}); no action is legal")
        legal = self._legal if self._legal is not None else self.legal_actions()
        for a in legal:  # the usual case is one of ours: found by identity, without comparing
            if a is action:
                break
        else:
            if action not in legal:
                shown = ", ".join(x.id for x in legal) or "nothing"
                raise IllegalActionError(f"{action.id!r} is not legal at decision {st.decision!r}: "
                                         f"{self.why_not(action)}; legal: {shown}")
        dec = self.rules.decisions[st.decision]  # type: ignore[index]
        self._actions.append((dec.model.id, action.id))
        self._legal = None
        st.turn += 1
        st.last_move = action.kind
        events: list[GameEvent] = []
        self._pending_events = events
        try:
            events.append(_event(GameEvent, (_MOVE_MADE, st.turn, st.date, "", self.rules.player, dec.model.article,
                                             move_data(self, dec, action))))  # emit, inlined (every move)
            before = self.rules.meters_of(st.variables)
            try:
                done = HANDLERS[action.kind].resolve(self, dec, action, events)
            except RuleError as exc:
                raise RuleError(f"{exc} (at decision '{dec.model.id}', move '{action.id}')") from None
            after = self._meters_changed(before, events)
            if after:
                st.trace.append((st.turn, st.date, after))
            if st.ending is not None:
                return events
            if not done:
                st.step += 1
                if self._check_endings(events):
                    return events
                self._legal = self._compute_legal()
                done = not self._legal  # the decision's moves have run out: it is passed over
            if done:
                if st.decision is not None and st.cursor.get(st.phase, 0) <= dec.index:
                    st.cursor[st.phase] = dec.index + 1
                st.decision = None
                self._legal = None
                self._advance(events)
            return events
        finally:
            st.log += events  # what happened, in order (a rule error's part too)

    def undo(self, steps: int = 1) -> None:
        """Take back the last ``steps`` actions (any number, back to the start)."""
        if steps < 0 or steps > len(self._actions):
            raise IllegalActionError(f"cannot undo {steps} step(s): {len(self._actions)} taken")
        keep = self.actions[: len(self._actions) - steps]
        fresh = Game.replay(self.rules, self.seed, keep)
        self.state = fresh.state
        self._actions = fresh._actions
        self._conceded = fresh._conceded
        self._legal = None
        self._watched = None  # what the endings read was remembered from the later state

    # ----------------------------------------------------------------- primitives for the move handlers
    def emit(self, events: list[GameEvent], kind: str, text: str = "", speaker: str | None = None,
             article: str | None = None, data: dict[str, Any] | None = None, date: int | None = None) -> None:
        """Record an event in ``events`` (the move's: the game adds them to its log when the move is done)."""
        st = self.state
        events.append(_event(GameEvent, (kind, st.turn, st.date if date is None else date, text, speaker, article,
                                         data)))

    def say(self, events: list[GameEvent], kind: str, key: str, article: str | None, rung: int | None,
            data: dict[str, Any] | None = None, optional: bool = False, fallback: str | None = None) -> None:
        """The counterpart's side answers: one of its lines for the situation, as an event of ``kind``."""
        text, speaker = self.line(key, article, rung, fallback)
        if not text and optional:
            return
        payload = dict(data) if data else {}
        if rung is not None:
            payload["rung"] = rung
        self.emit(events, kind, text, speaker or self.rules.speaker_of_counterpart, article, payload or None)

    def line(self, key: str, article: str | None = None, rung: int | None = None,
             fallback: str | None = None) -> tuple[str, str | None]:
        """Choose one of the counterpart's lines for a situation; return its text and its speaker (None: him).

        The article's own lines come first, then his general ones, then the engine's defaults;
        a line's ``when`` is tested on the state and its ``after`` against the player's last move.
        Lines rotate per situation and article, so that none repeats while another is unsaid.
        {article}, {Article} and {position} are filled in.
        """
        r = self.rules
        st = self.state
        art = r.articles[article] if article is not None else None
        if art is not None and rung is None:
            rung = st.articles[article].demand  # type: ignore[index]
        pools, plain = r.line_pools(key, article, fallback)
        chosen: Sequence[CompiledLine] = ()
        if plain is not None and art is not None:
            chosen = plain  # the usual case: the first pool has no conditions to test
        else:
            for pool in pools:
                fits = [ln for ln in pool if (ln.after == "any" or ln.after == st.last_move)
                        and (ln.when is None or ln.when(st))]
                # with no article to name, lines that need one give way to others (and read 'this' if none is left)
                chosen = [ln for ln in fits if art is not None or not _NAMES_ARTICLE.search(ln.text)] or fits
                if chosen:
                    break
        if not chosen:
            chosen = _DEFAULT_LINES.get(key, ()) or _DEFAULT_LINES.get(fallback or "", ())
        if not chosen:
            return "", None
        pick = self._rotate(chosen, f"{key}:{article or ''}")
        return self._fill(pick.text, art, rung), pick.speaker

    def _rotate(self, chosen: Sequence[CompiledLine], count_key: str) -> CompiledLine:
        """The next line of a pool, so that none repeats while another is unsaid."""
        said = self.state.said
        n = said.get(count_key, 0)
        said[count_key] = n + 1
        return chosen[n % len(chosen)]

    @staticmethod
    def _fill(text: str, art: ArticleRules | None, rung: int | None) -> str:
        """Fill in {article}, {Article} and {position}."""
        if "{" not in text:
            return text
        if art is not None:
            name = art.name
            text = text.replace("{article}", name).replace("{Article}", name[:1].upper() + name[1:])
            if rung is not None and 0 <= rung < len(art.ids):
                text = text.replace("{position}", art.model.positions[rung].label)
        return text.replace("{position}", "these terms").replace("{article}", "this").replace("{Article}", "This")

    def mediator_says(self, events: list[GameEvent], kind: str, key: str, article: str, rung: int,
                      data: dict[str, Any]) -> None:
        """The mediator speaks: one of his lines for ``key`` (or none: the event alone says what happened)."""
        st = self.state
        fits = [ln for ln in self.rules.mediator_lines.get(key, ()) if ln.when is None or ln.when(st)]
        text = ""
        if fits:
            text = self._fill(self._rotate(fits, f"mediator:{key}:{article}").text, self.rules.articles[article],
                              rung)
        self.emit(events, kind, text, self.rules.role_ids.get("mediator"), article, data)

    def set_var(self, name: str, value: float) -> None:
        """Set a variable, clamped to its bounds; a value that is not a finite number is a rule error."""
        lo, hi = self.rules.bounds[name]
        if not math.isfinite(value):
            raise RuleError(f"variable '{name}' would become {value}")
        x = value if value > lo else lo  # min(hi, max(lo, value)), as the built-ins pick between equals
        self.state.variables[name] = x if x < hi else hi

    def add_var(self, name: str | None, delta: float) -> None:
        """Add to a variable (clamped), if the scenario has it."""
        bounds = self.rules.bounds.get(name) if name is not None else None
        if bounds is None:
            return
        value = self.state.variables[name] + delta  # type: ignore[index]
        if not math.isfinite(value):
            raise RuleError(f"variable '{name}' would become {value}")
        lo, hi = bounds  # set_var, inlined: most moves add to a meter (hot)
        x = value if value > lo else lo
        self.state.variables[name] = x if x < hi else hi  # type: ignore[index]

    def settle(self, art_id: str, rung: int, events: list[GameEvent], charged: bool = True) -> None:
        """Write an article into the draft at ``rung``; charge the principal's confidence beyond the mandate."""
        st = self.state
        a = st.articles[art_id]
        a.settled = a.demand = a.standing = rung
        self.emit(events, _ARTICLE_SETTLED, "", None, art_id, {"rung": rung})
        p = self.rules.principal
        if charged and p is not None:
            cost = cp.overreach(self.rules, st, art_id, rung)
            if cost:
                self.add_var(p.confidence, -cost)
                self.emit(events, Kind.MANDATE_EXCEEDED, "", self.rules.role_ids.get("principal"), art_id,
                          {"rung": rung, "mandate": a.mandate, "cost": cost})

    def charge_mandate(self, positions: Mapping[str, int], events: list[GameEvent]) -> None:
        """Charge the principal for the open articles of a treaty beyond the mandate (without settling them)."""
        p = self.rules.principal
        if p is None:
            return
        for art_id, rung in positions.items():
            a = self.state.articles[art_id]
            if a.settled < 0:
                cost = cp.overreach(self.rules, self.state, art_id, rung)
                if cost:
                    self.add_var(p.confidence, -cost)
                    self.emit(events, Kind.MANDATE_EXCEEDED, "", self.rules.role_ids.get("principal"), art_id,
                              {"rung": rung, "mandate": a.mandate, "cost": cost})

    def concede(self, art_id: str, rung: int) -> None:
        """Lower the demand on the table within the session: it lapses at the adjournment unless agreed.

        Every in-session change of a demand alone goes through here (effects, retabling and settling
        change the standing demand too), so that the adjournment checks only these articles.
        """
        self.state.articles[art_id].demand = rung
        self._conceded.add(art_id)

    def retable_article(self, art_id: str, rung: int, events: list[GameEvent]) -> None:
        """The counterpart puts a new demand on an article, reopening it if it was agreed."""
        a = self.state.articles[art_id]
        if a.settled >= 0:
            a.settled = -1
            text, speaker = self.line("reopen", art_id, rung, "retable")
            self.emit(events, Kind.ARTICLE_REOPENED, text, speaker or self.rules.speaker_of_counterpart, art_id,
                      {"rung": rung})
        a.demand = a.standing = rung

    def threaten(self, events: list[GameEvent], article: str | None) -> None:
        """Below his threat level, a refusal comes with a threat."""
        ai = self.rules.counterpart
        if ai is not None and self.state.variables.get(ai.patience, 100.0) < ai.threat_below:
            self.say(events, Kind.THREATENED, "threat", article, None)

    def next_round(self, dec: DecisionRules) -> bool:
        """Go on to the next exchange of the decision; return True when its rounds are spent."""
        st = self.state
        if st.round >= dec.model.rounds:
            return True
        st.round += 1
        return False

    def end_session(self) -> None:
        """Leave the session at once: its remaining decisions are passed over."""
        st = self.state
        if st.protocol == IN_SESSION:
            st.cursor[st.phase] = max(st.cursor.get(st.phase, 0), st.session_end)

    def end(self, ending_id: str, events: list[GameEvent]) -> None:
        """End the game with ``ending_id`` (inside a session-machine trigger, the machine finishes it)."""
        st = self.state
        st.ending = ending_id
        st.decision = None
        self._legal = None
        if not self._firing:
            self._pending_events = events
            self.rules.sessions.fire("finish", self)

    def effects(self, effects: Sequence[Effect], events: list[GameEvent]) -> None:
        """Apply a scenario's effects in order (``days`` inside a session wait for its adjournment)."""
        if not effects:
            return
        r = self.rules
        st = self.state
        for e in r.effects_of(effects):
            if e.when is not None and not e.when(st):
                continue
            for k, x in e.add:
                self.add_var(k, x)
            for k, x in e.set:
                self.set_var(k, x)
            for k, rung in e.demand:
                a = st.articles[k]
                if a.settled < 0:
                    a.demand = a.standing = rung
            for k, rung in e.settle:
                self.settle(k, rung, events, charged=False)
            for k, rung in e.reopen:
                a = st.articles[k]
                if a.settled >= 0 and rung != a.settled:
                    a.settled = -1
                    self.emit(events, Kind.ARTICLE_REOPENED, "", r.speaker_of_counterpart, k, {"rung": rung})
                if a.settled < 0:
                    a.demand = a.standing = rung
            for k, rung in e.mandate:
                st.articles[k].mandate = rung
            if e.days:
                if st.protocol == IN_SESSION:
                    st.delay += e.days
                else:
                    st.date += e.days
            if e.log:
                self.emit(events, Kind.LOGGED, e.log)

    # ----------------------------------------------------------------- internals
    def _meters(self) -> tuple[float, ...]:
        return self.rules.meters_of(self.state.variables)

    def _meters_changed(self, before: tuple[float, ...], events: list[GameEvent],
                        source: str = "") -> tuple[float, ...]:
        """Emit MetersChanged if a visible meter moved; return the meters now."""
        after = self.rules.meters_of(self.state.variables)
        if after != before:
            delta = {}
            for k, a, b in zip(self.rules.visible, before, after, strict=True):
                if a != b:
                    d = b - a
                    delta[k] = round(d, 6) if d % 1 else d  # the same value: round() is slow, and most steps are whole
            self.emit(events, _METERS_CHANGED, "", None, None, {"delta": delta, "source": source} if source
                      else {"delta": delta})
        return after

    def _check_endings(self, events: list[GameEvent]) -> bool:
        st = self.state
        if st.ending is not None:
            return True
        key = self.rules.ending_watch(st)
        if key != self._watched:  # else nothing an ending reads has changed since they were last tested
            self._watched = key
            for ending, when in self.rules.endings:
                if when(st):
                    self._finish(ending.id, events)
                    return True
        if st.date > self.rules.end:
            self._finish(self.rules.scenario.default_ending, events)
            return True
        return False

    def _finish(self, ending_id: str, events: list[GameEvent]) -> None:
        self.end(ending_id, events)

    def _pass_time(self, day: int, events: list[GameEvent]) -> bool:
        """Move the calendar to ``day``: events, then cabled answers, in date order; return True if the game ended."""
        r = self.rules
        st = self.state
        evs = r.events
        if st.date >= day and not st.pending and (st.event_cursor >= len(evs) or r.event_days[st.event_cursor] > day):
            return False  # nothing falls due
        while True:
            next_event = r.event_days[st.event_cursor] if st.event_cursor < len(evs) else None
            next_cable = min(st.pending)[0] if st.pending else None
            if next_event is not None and next_event <= day and (next_cable is None or next_event <= next_cable):
                ev, when = evs[st.event_cursor]
                st.event_cursor += 1
                st.date = max(st.date, next_event)
                if when is None or when(st):
                    before = self._meters()
                    self.emit(events, _EVENT_OCCURRED, join_title(ev.title, ev.text), ev.speaker, None,
                              {"event": ev.id}, next_event)
                    self.effects(ev.effects, events)
                    self._meters_changed(before, events, ev.id)
                    if self._check_endings(events):
                        return True
            elif next_cable is not None and next_cable <= day:
                st.date = max(st.date, next_cable)
                cable = next(c for c in st.pending if c[0] == next_cable)
                st.pending.remove(cable)
                self._answer(cable, events)
                if self._check_endings(events):
                    return True
            else:
                break
        st.date = max(st.date, day)
        return self._check_endings(events)

    def _answer(self, cable: tuple[int, str, str], events: list[GameEvent]) -> None:
        """A cabled answer arrives: the principal's on the mandate, or the ally's support."""
        r = self.rules
        st = self.state
        _, kind, art_id = cable
        before = self._meters()
        if kind == "mandate" and art_id in r.articles:
            art = r.articles[art_id]
            a = st.articles[art_id]
            who = r.role_ids.get("principal")
            late = {"agreed": True} if a.settled >= 0 else {}  # the article was agreed while the cable travelled
            if cp.grants(r, st, art):
                a.mandate += 1
                self.emit(events, Kind.MANDATE_WIDENED, "", who, art_id, {"rung": a.mandate, **late})
            else:
                self.emit(events, Kind.MANDATE_REFUSED, "", who, art_id,
                          {"rung": a.mandate, "ceiling": a.mandate >= art.ceiling, **late})
        elif kind == "ally" and r.ally is not None:
            gain = float(r.ally_gain(st))
            if not math.isfinite(gain):
                raise RuleError(f"the ally's gain '{r.ally.gain}' is {gain}")
            self.add_var(r.ally.support, gain)
            self.emit(events, Kind.SUPPORT_GAINED if gain > 0 else Kind.SUPPORT_DENIED, "", r.role_ids.get("ally"),
                      None, {"gain": gain})
        self._meters_changed(before, events, kind)

    # the session machine's callbacks (engine.machine.Table): called only from its triggers
    def find_session(self) -> None:
        """Run the calendar to the next session with something to present, into the next phases if need be."""
        r = self.rules
        st = self.state
        events = self._pending_events
        self._found = False
        while st.ending is None:
            lst = r.by_phase[st.phase]
            days = r.phase_days[st.phase]
            i = st.cursor.get(st.phase, 0)
            if i >= len(lst):
                if not self._next_phase(events):
                    return
                continue
            if self._pass_time(max(days[i], st.date), events):
                return
            end = _session_end(days, i, st.date)
            arts = st.articles
            agenda = []
            # A decision is eligible when its article is still open and its condition holds (tested here
            # for the agenda, and again by _advance as each is reached: both inline, on the hot path).
            for j in range(i, end):
                d = lst[j]
                if (d.article is None or arts[d.article].settled < 0) and (d.when is None or d.when(st)):
                    agenda.append(d)
            if agenda:
                self._found = True
                self._agenda = agenda
                self._agenda_end = end
                return
            st.cursor[st.phase] = end  # nothing to present: the session is passed over

    def _next_phase(self, events: list[GameEvent]) -> bool:
        """Hand over to the next phase through the phase machine; return False if the game ended instead.

        A phase with no way out, or phases that hand over to each other with nothing to play, end
        the game with the default ending.
        """
        r = self.rules
        st = self.state
        nxt = r.machine.advance(st.phase, self)
        if nxt is None or (nxt, st.date) in self._seen:
            self._finish(r.scenario.default_ending, events)
            return False
        self._seen.add((nxt, st.date))
        ph = r.phases[nxt]
        start = ph.start.toordinal()
        if start > st.date and self._pass_time(start - 1, events):  # what happens before it is told first
            return False
        st.date = max(st.date, start)
        st.phase = nxt
        self.emit(events, Kind.PHASE_ENTERED, join_title(ph.title, ph.description), None, None, {"phase": nxt})
        return not self._check_endings(events)

    def found_session(self) -> bool:
        return self._found and self.state.ending is None

    def on_convene(self) -> None:
        st = self.state
        i = st.cursor.get(st.phase, 0)
        st.session_end = self._agenda_end  # found by find_session, with the agenda
        # Between sessions every open article's demand is its standing one (what he conceded lapsed at the
        # adjournment; effects set both): only the articles the agenda names are tabled anew.
        for d in self._agenda:  # the session's decisions whose 'when' holds, found by find_session
            art_id = d.article
            if d.demand >= 0 and art_id is not None:
                a = st.articles[art_id]
                a.standing = d.demand if d.model.raise_demand else min(a.standing, d.demand)
                if a.settled < 0:
                    a.demand = a.standing
        ph = self.rules.phases[st.phase]
        self.emit(self._pending_events, _SESSION_OPENED, "", None, None,
                  {"phase": ph.id, "items": st.session_end - i})

    def on_adjourn(self) -> None:
        st = self.state
        events = self._pending_events
        if self._conceded:  # what he conceded in the session and the player did not take lapses, in article order
            order = self.rules.article_index
            for art_id in sorted(self._conceded, key=order.__getitem__):
                a = st.articles[art_id]
                if a.settled < 0 and a.demand != a.standing:
                    self.emit(events, _CONCESSION_LAPSED, "", None, art_id,
                              {"rung": a.demand, "standing": a.standing})
                    a.demand = a.standing
            self._conceded = set()
        st.decision = None
        st.protocol = ADJOURNED  # between sessions now (the machine confirms it when its trigger is done)
        self.emit(events, _SESSION_ADJOURNED, "", None, None, None)
        if st.delay:
            st.date += st.delay
            st.delay = 0

    def on_finish(self) -> None:
        st = self.state
        assert st.ending is not None
        e = self.rules.ending_by_id[st.ending]
        self.emit(self._pending_events, Kind.GAME_ENDED, join_title(e.title, e.text), None, None,
                  {"ending": e.id})

    def _advance(self, events: list[GameEvent]) -> None:
        """Move the game on to the next decision the player must answer, or to its end.

        Inside a session, its decisions are presented in order (those whose article is agreed or
        whose condition fails are passed over). When the session has nothing more, the session
        machine convenes the next one: it adjourns this one, lets the calendar run (into the next
        phases if need be) and tables the next session's terms, or finds that the game is over.
        """
        self._pending_events = events
        if self._seen:
            self._seen = set()  # phases entered in this call with nothing played
        r = self.rules
        st = self.state
        if self._check_endings(events):
            return
        while st.ending is None:
            if st.protocol == IN_SESSION:
                i = st.cursor.get(st.phase, 0)
                if i < st.session_end:
                    d = r.by_phase[st.phase][i]
                    # still eligible (as find_session tests it): its article open and its condition true
                    if (d.article is None or st.articles[d.article].settled < 0) and \
                            (d.when is None or d.when(st)) and self._present(d, events):
                        return
                    st.cursor[st.phase] = i + 1
                    continue
            elif st.protocol == OVER:
                return
            r.sessions.fire("convene", self)
            if st.protocol != IN_SESSION and st.ending is None:  # pragma: no cover - find_session ends the game
                self._finish(r.scenario.default_ending, events)

    def _present(self, d: DecisionRules, events: list[GameEvent]) -> bool:
        """Put a decision before the player; return False (changing nothing) if it offers no legal action."""
        st = self.state
        st.decision, st.round, st.step = d.model.id, 1, 0
        self._legal = self._compute_legal()
        if not self._legal:
            st.decision = None
            self._legal = None
            return False
        art_id = d.model.article
        data = {"demand": st.articles[art_id].demand} if art_id is not None else None
        events.append(_event(GameEvent, (_DECISION_PRESENTED, st.turn, st.date, d.text, d.model.speaker, art_id,
                                         data)))  # emit, inlined (every decision)
        return True


def _session_end(days: tuple[int, ...], i: int, date: int) -> int:
    """The index of the first decision after ``i`` (in a phase whose decisions fall on ``days``) of a later session."""
    return max(bisect_right(days, date, i), min(i + 1, len(days)))
