"""The Game facade: a small pull API that every front end, AI and test drives the same way.

``legal_actions()``, ``apply(action) -> events``, ``undo()``, ``is_over()``, ``outcome()``.
The action log is the truth: undo replays it from the start, and saves store it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from negotiation.engine import counterparts as cp
from negotiation.engine.actions import Action
from negotiation.engine.rng import next_float, seed_state
from negotiation.engine.rules import DecisionRules, Rules, rules_for
from negotiation.engine.state import ArticleState, GameEvent, GameState, join_title
from negotiation.errors import GameOverError, IllegalActionError
from negotiation.scenario.loader import LoadedScenario
from negotiation.scenario.models import Effect


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a finished game ended and the terms that stand."""

    ending: str
    title: str
    signed: bool
    signed_on: dt.date | None
    terms: dict[str, str]


_DEFAULT_LINES = {
    "accept": ["Agreed."],
    "refuse": ["That is not acceptable."],
    "concede": ["Very well: {position}. Further we cannot go."],
    "threat": ["If there is no agreement, we shall act without one."],
    "sign": ["Then let us sign."],
    "refuse_sign": ["There is nothing yet to sign."],
    "walkout": ["You may go home and consult. We shall wait."],
    "break": ["Then there is nothing more to discuss."],
}


class Game:
    """One game of a scenario, from a seed and the player's actions."""

    def __init__(self, scenario: LoadedScenario | Rules, seed: int = 0) -> None:
        self.rules: Rules = scenario if isinstance(scenario, Rules) else rules_for(scenario)
        self.seed = seed
        self._actions: list[tuple[str, str]] = []
        self._legal: list[Action] | None = None
        self._move_labels: dict[str, str] = {}
        self.state = self._initial_state(seed)
        first = self.rules.phases[self.state.phase]
        self._emit([], "PhaseEntered", join_title(first.title, first.description))
        self._advance([])

    # ----------------------------------------------------------------- construction
    def _initial_state(self, seed: int) -> GameState:
        r = self.rules
        s = r.scenario
        phase = r.phases[s.start_phase]
        articles = {
            a.id: ArticleState(demand=ar.position(a.demand), mandate=ar.position(a.mandate))
            for a in s.articles
            for ar in (r.articles[a.id],)
        }
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
        other._move_labels = self._move_labels
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
        out: list[Action] = []
        art_id = d.model.article
        a = st.articles[art_id] if art_id else None
        for move in d.moves:
            if move == "counter":
                if a is not None and art_id is not None:
                    out.extend(r.counter_actions[art_id][: a.demand])
            elif move == "mandate":
                p = r.principal
                if p is not None and a is not None and art_id is not None and st.asks["mandate"] < p.max_asks \
                        and a.mandate < len(r.articles[art_id].ids) - 1:
                    out.append(_MOVES["mandate"])
            elif move == "us":
                if r.ally is not None and st.asks["us"] < r.ally.max_asks:
                    out.append(_MOVES["us"])
            elif move == "sign":
                if r.phases[st.phase].allow_signing:
                    out.append(_MOVES["sign"])
            else:
                out.append(_MOVES[move])
        for action, when in zip(r.option_actions[d.model.id], d.option_when, strict=True):
            if when(st):
                out.append(action)
        return out

    def historical_action(self) -> str | None:
        """What the real delegation did at this point (the decision's n-th historical action)."""
        d = self.decision()
        if d is None:
            return None
        hist = d.model.historical
        return hist[min(self.state.step, len(hist) - 1)]

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
            if ending.signed and a.settled >= 0:
                rung = a.settled
            elif ending.open_articles == "worst":
                rung = len(art.ids) - 1
            elif ending.open_articles == "best":
                rung = 0
            else:
                rung = a.demand
            terms[art_id] = art.ids[rung]
        terms.update(ending.terms)
        signed_on = dt.date.fromordinal(st.signed_on) if ending.signed and st.signed_on is not None else None
        return Outcome(ending.id, ending.title, ending.signed, signed_on, terms)

    def describe(self, action: Action) -> tuple[str, str]:
        """A label for an action and what it risks, as far as the player would know."""
        r = self.rules
        st = self.state
        d = self.decision()
        art_id = d.model.article if d else None
        art = r.articles[art_id] if art_id else None
        a = st.articles[art_id] if art_id else None
        k = action.kind
        if k == "option" and d is not None:
            o = next(o for o in d.model.options if o.id == action.arg)
            return o.label, o.risk
        if k in ("accept", "counter") and art is not None and a is not None:
            rung = a.demand if k == "accept" else art.ids.index(action.arg)
            pos = art.model.positions[rung]
            verb = "Accept" if k == "accept" else "Propose"
            risk = f"beyond your mandate: costs {self._role_name('principal', 'your principal')}'s confidence" \
                if rung > a.mandate else ""
            if r.principal is None:
                risk = ""
            if k == "counter" and not risk:
                risk = "a refusal costs patience"
            return f"{verb}: {pos.label}", risk
        p = r.principal
        ally = r.ally
        boss = self._role_name("principal", "your principal")
        friend = self._role_name("ally", "your ally")
        labels = {
            "hold": ("Hold firm", "costs patience"),
            "mandate": (f"Ask {boss} for a wider mandate", f"{_days(p.ask_days)}; costs confidence" if p else ""),
            "us": (f"Ask {friend} for support", _days(ally.ask_days) if ally else ""),
            "walkout": ("Walk out of the session", "the talks may break down"),
            "sign": ("Propose signing now", "open articles fall to the demands on the table"),
        }
        return labels.get(k, (action.id, ""))

    def _label(self, dec: DecisionRules, action: Action) -> str:
        """The log line for the player's move (the label half of :meth:`describe`, fast)."""
        k = action.kind
        art_id = dec.model.article
        if art_id is not None and k in ("accept", "counter"):
            art = self.rules.articles[art_id]
            rung = self.state.articles[art_id].demand if k == "accept" else art.ids.index(action.arg)
            return f"{'Accept' if k == 'accept' else 'Propose'}: {art.model.positions[rung].label}"
        if k == "option":
            return self.rules.option_labels[dec.model.id][action.arg]
        label = self._move_labels.get(k)
        if label is None:
            label = self._move_labels[k] = self.describe(action)[0]
        return label

    def _role_name(self, role: str, default: str) -> str:
        return self.rules.role_names.get(role, default)

    # ----------------------------------------------------------------- play
    def apply(self, action: Action | str) -> list[GameEvent]:
        """Play one action; return what happened. Raise if it is malformed or illegal."""
        if isinstance(action, str):
            action = Action.parse(action)
        st = self.state
        if st.ending is not None:
            raise GameOverError(f"the game is over ({st.ending}); no action is legal")
        legal = self._legal if self._legal is not None else self.legal_actions()
        if not any(a is action for a in legal) and action not in legal:  # the usual case is one of ours
            d = st.decision
            raise IllegalActionError(
                f"{action.id!r} is not legal at decision {d!r}; legal: {', '.join(x.id for x in legal)}"
            )
        dec = self.rules.decisions[st.decision]  # type: ignore[index]
        self._actions.append((dec.model.id, action.id))
        self._legal = None
        st.turn += 1
        events: list[GameEvent] = []
        done = self._resolve(dec, action, events)
        if self.rules.variables:
            st.trace.append((st.turn, st.date, dict(st.variables)))

        if done:
            st.cursor[st.phase] = st.cursor.get(st.phase, 0) + 1
            st.decision = None
            self._advance(events)
        else:
            st.step += 1
            self._fire_events(events)
            self._check_endings(events)
        return events

    def undo(self, steps: int = 1) -> None:
        """Take back the last ``steps`` actions (any number, back to the start)."""
        if steps < 0 or steps > len(self._actions):
            raise IllegalActionError(f"cannot undo {steps} step(s): {len(self._actions)} taken")
        keep = self.actions[: len(self._actions) - steps]
        fresh = Game.replay(self.rules, self.seed, keep)
        self.state = fresh.state
        self._actions = fresh._actions
        self._legal = None

    # ----------------------------------------------------------------- internals
    def _emit(self, events: list[GameEvent], kind: str, text: str,
              speaker: str | None = None, article: str | None = None, date: int | None = None) -> None:
        st = self.state
        ev = GameEvent(kind, st.turn, st.date if date is None else date, text, speaker, article)
        events.append(ev)
        st.log.append(ev)

    def _line(self, key: str, article: str | None = None, rung: int | None = None) -> str:
        """One of the counterpart's lines for a situation, with {article} and {position} filled in.

        The position defaults to the demand on the table. With no article to name, lines that need one
        are passed over where others exist, and the placeholders otherwise read 'this' and 'these terms'.
        """
        ai = self.rules.counterpart
        lines = (ai.lines.get(key) if ai is not None else None) or _DEFAULT_LINES[key]  # type: ignore[call-overload]
        art = self.rules.articles[article] if article is not None else None
        if article is not None and rung is None:
            rung = self.state.articles[article].demand  # the demand on the table
        if art is None or rung is None:
            plain = [ln for ln in lines if ("{article}" not in ln or art is not None) and "{position}" not in ln]
            lines = plain or lines
        text = lines[self.state.turn % len(lines)]
        text = text.replace("{article}", art.model.title if art is not None else "this")
        if art is not None and rung is not None:
            return text.replace("{position}", art.model.positions[rung].label)
        return text.replace("{position}", "these terms")

    def _set_var(self, name: str, value: float) -> None:
        v = self.rules.variables[name]
        self.state.variables[name] = min(v.max, max(v.min, value))

    def _add_var(self, name: str | None, delta: float) -> None:
        if name is not None and name in self.rules.variables:
            self._set_var(name, self.state.variables[name] + delta)

    def _settle(self, art_id: str, rung: int, events: list[GameEvent], charged: bool = True) -> None:
        st = self.state
        a = st.articles[art_id]
        a.settled = rung
        a.demand = rung
        pos = self.rules.articles[art_id].model.positions[rung]
        self._emit(events, "ArticleSettled", f"{self.rules.articles[art_id].model.title}: {pos.label}.", None, art_id)
        p = self.rules.principal
        if charged and p is not None:
            cost = cp.overreach(self.rules, st, art_id, rung)
            if cost:
                self._add_var(p.confidence, -cost)
                self._emit(events, "MandateExceeded",
                           f"Beyond the mandate on {self.rules.articles[art_id].model.title}: confidence falls.",
                           None, art_id)

    def _patience(self, delta: float) -> None:
        ai = self.rules.counterpart
        if ai is not None:
            self._add_var(ai.patience, delta)

    def _after_refusal(self, events: list[GameEvent], art_id: str | None) -> None:
        ai = self.rules.counterpart
        if ai is None:
            return
        if self.state.variables.get(ai.patience, 100.0) < ai.threat_below:
            self._emit(events, "Threatened", self._line("threat", art_id), self.rules.speaker_of_counterpart, art_id)

    def _resolve(self, dec: DecisionRules, action: Action, events: list[GameEvent]) -> bool:
        """Carry out the player's move and the others' answers; return whether the decision is done."""
        r = self.rules
        st = self.state
        ai = r.counterpart
        who = r.speaker_of_counterpart
        art_id = dec.model.article
        art = r.articles[art_id] if art_id else None
        a = st.articles[art_id] if art_id else None
        kind = action.kind
        self._emit(events, "MoveMade", self._label(dec, action), r.player, art_id)

        if kind == "accept" and art is not None and a is not None and art_id is not None:
            self._settle(art_id, a.demand, events)
            if ai is not None:
                self._patience(ai.accept_gain)
            return True
        if kind in ("counter", "hold") and art is not None and a is not None and art_id is not None:
            toward = art.ids.index(action.arg) if kind == "counter" else 0
            if kind == "counter":
                a.offer = toward
                if cp.acceptable(r, st, art, toward):
                    self._emit(events, "OfferAccepted", self._line("accept", art_id, toward), who, art_id)
                    self._settle(art_id, toward, events)
                    return True
                self._patience(-(ai.refusal_cost if ai else 0))
            else:
                self._patience(-(ai.hold_cost if ai else 0))
            new = cp.concession(r, st, art, toward)
            if new < a.demand:
                a.demand = new
                self._emit(events, "DemandLowered", self._line("concede", art_id, new), who, art_id)
            else:
                self._emit(events, "OfferRefused", self._line("refuse", art_id, a.demand), who, art_id)
            self._after_refusal(events, art_id)
            return self._next_round(dec)
        if kind == "mandate" and art is not None and a is not None and r.principal is not None:
            p = r.principal
            st.asks["mandate"] += 1
            self._add_var(p.confidence, -p.ask_cost)
            st.date += p.ask_days
            principal = r.role_ids.get("principal")
            if r.grant(st) and a.mandate < len(art.ids) - 1:
                a.mandate += 1
                self._emit(events, "MandateWidened",
                           f"The mandate on {art.model.title} now reaches: {art.model.positions[a.mandate].label}.",
                           principal, art_id)
            else:
                self._emit(events, "MandateRefused", f"No wider mandate on {art.model.title}.", principal, art_id)
            return False
        if kind == "us" and r.ally is not None:
            al = r.ally
            gain = float(r.ally_gain(st))
            st.asks["us"] += 1
            st.date += al.ask_days
            self._add_var(al.support, gain)
            ally = r.role_ids.get("ally")
            self._emit(events, "SupportGained" if gain > 0 else "SupportDenied",
                       f"Support {'rises' if gain > 0 else 'does not move'} ({gain:+.0f}).", ally, None)
            return False
        if kind == "walkout":
            cost = ai.walkout_cost if ai else 0
            self._patience(-cost)
            p_break = float(r.walkout_break(st))
            draw, st.rng = next_float(st.rng)
            if ai is not None and draw < p_break:
                self._set_var(ai.patience, r.variables[ai.patience].min)
                self._emit(events, "TalksBroken", self._line("break", art_id), who, art_id)
                return True
            if a is not None and ai is not None:
                a.softening += ai.walkout_softening
            self._emit(events, "WalkedOut", self._line("walkout", art_id), who, art_id)
            st.date += 1
            return True
        if kind == "sign":
            positions = {k: (x.settled if x.settled >= 0 else x.demand) for k, x in st.articles.items()}
            if cp.package_value(r, positions) >= float(r.sign_aspiration(st)):
                for k, x in st.articles.items():
                    if x.settled < 0:
                        self._settle(k, x.demand, events)
                st.signed_on = st.date
                self._emit(events, "TreatySigned", self._line("sign"), who, None)
                return True
            self._patience(-(ai.refusal_cost if ai else 0))
            self._emit(events, "SigningRefused", self._line("refuse_sign"), who, None)
            self._after_refusal(events, None)
            return self._next_round(dec)
        if kind == "option":
            o = next(o for o in dec.model.options if o.id == action.arg)
            self._effects(o.effects, events)
            if o.offer:
                offer = {k: r.articles[k].ids.index(v) for k, v in o.offer.items()}
                if cp.package_margin(r, st, offer) >= 0:
                    if o.reply_accept:
                        self._emit(events, "OfferAccepted", o.reply_accept, who, art_id)
                    for k, rung in offer.items():
                        self._settle(k, rung, events)
                    self._effects(o.on_accept, events)
                else:
                    self._patience(-(ai.refusal_cost if ai else 0))
                    demand = st.articles[art_id].demand if art_id is not None else None
                    self._emit(events, "OfferRefused", o.reply_refuse or self._line("refuse", art_id, demand), who,
                               art_id)
                    self._effects(o.on_refuse, events)
                    self._after_refusal(events, art_id)
            return True
        raise IllegalActionError(f"{action.id!r} cannot be carried out here")  # pragma: no cover

    def _next_round(self, dec: DecisionRules) -> bool:
        st = self.state
        if st.round >= dec.model.rounds:
            return True
        st.round += 1
        return False

    def _effects(self, effects: list[Effect], events: list[GameEvent]) -> None:
        r = self.rules
        st = self.state
        for e in effects:
            for k, x in e.add.items():
                self._add_var(k, x)
            for k, x in e.set.items():
                self._set_var(k, x)
            for k, v in e.demand.items():
                st.articles[k].demand = r.articles[k].position(v)
            for k, v in e.settle.items():
                self._settle(k, r.articles[k].position(v), events, charged=False)
            for k, v in e.reopen.items():
                a = st.articles[k]
                rung = r.articles[k].position(v)
                if a.settled >= 0 and rung != a.settled:
                    a.settled = -1
                    self._emit(events, "ArticleReopened",
                               f"{r.articles[k].model.title} is reopened: {r.articles[k].model.positions[rung].label}.",
                               r.speaker_of_counterpart, k)
                if a.settled < 0:
                    a.demand = rung
            for k, v in e.mandate.items():
                st.articles[k].mandate = r.articles[k].position(v)
            if e.days:
                st.date += e.days
            if e.log:
                self._emit(events, "Logged", e.log)

    def _fire_events(self, events: list[GameEvent]) -> None:
        st = self.state
        evs = self.rules.events
        while st.event_cursor < len(evs) and evs[st.event_cursor][0].date.toordinal() <= st.date:
            ev, when = evs[st.event_cursor]
            st.event_cursor += 1
            if when(st):
                self._emit(events, "EventOccurred", join_title(ev.title, ev.text), ev.speaker, None,
                           ev.date.toordinal())
                self._effects(ev.effects, events)

    def _check_endings(self, events: list[GameEvent]) -> bool:
        st = self.state
        if st.ending is not None:
            return True
        for ending, when in self.rules.endings:
            if when(st):
                self._end(ending.id, events)
                return True
        if st.date > self.rules.end:
            self._end(self.rules.scenario.default_ending, events)
            return True
        return False

    def _end(self, ending_id: str, events: list[GameEvent]) -> None:
        st = self.state
        st.ending = ending_id
        st.decision = None
        e = self.rules.ending_by_id[ending_id]
        self._emit(events, "GameEnded", join_title(e.title, e.text))

    def _advance(self, events: list[GameEvent]) -> None:
        """Move the game on to the next decision the player must answer, or to its end.

        Time moves to a decision's date (and the events before it fire) before its condition is
        tested; a decision with no legal action is passed over; a phase with no way out, or phases
        that hand over to each other with nothing to play, end the game with the default ending.
        """
        r = self.rules
        st = self.state
        seen: set[tuple[str, int]] = set()  # phases entered in this call with nothing played
        while True:
            self._fire_events(events)
            if self._check_endings(events):
                return
            lst = r.by_phase[st.phase]
            i = st.cursor.get(st.phase, 0)
            if i < len(lst):
                d = lst[i]
                day = d.model.date.toordinal()
                if day > st.date:
                    st.date = day
                    continue
                art = d.model.article
                if (art is None or st.articles[art].settled < 0) and d.when(st) and self._present(d, events):
                    return
                st.cursor[st.phase] = i + 1
                continue
            nxt = r.machine.advance(st.phase, st)
            if nxt is None or (nxt, st.date) in seen:
                self._end(r.scenario.default_ending, events)
                return
            seen.add((nxt, st.date))
            ph = r.phases[nxt]
            start = ph.start.toordinal()
            if start > st.date:  # what happens before the new phase begins is told first
                st.date = start - 1
                self._fire_events(events)
                if self._check_endings(events):
                    return
                st.date = max(st.date, start)
            st.phase = nxt
            self._emit(events, "PhaseEntered", join_title(ph.title, ph.description))

    def _present(self, d: DecisionRules, events: list[GameEvent]) -> bool:
        """Put a decision before the player; return False (changing nothing) if it offers no legal action."""
        st = self.state
        art_id = d.model.article
        a = st.articles[art_id] if art_id is not None else None
        before = a.demand if a is not None else -1
        if a is not None and d.demand >= 0:
            a.demand = d.demand if d.model.raise_demand else min(a.demand, d.demand)
        st.decision, st.round, st.step = d.model.id, 1, 0
        self._legal = self._compute_legal()
        if not self._legal:
            st.decision = None
            self._legal = None
            if a is not None:
                a.demand = before
            return False
        self._emit(events, "DecisionPresented", d.text, d.model.speaker, art_id)
        return True


def _days(n: int) -> str:
    """'1 day', '3 days', or 'no time' for 0."""
    return "no time" if n == 0 else f"{n} day{'s' if n != 1 else ''}"


_MOVES = {k: Action(k) for k in ("accept", "hold", "mandate", "us", "walkout", "sign")}
