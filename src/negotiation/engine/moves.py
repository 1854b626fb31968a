"""Each kind of move with its handler: when it is legal, what it does, and what it puts at stake.

A handler's ``legal`` adds the move's actions for the decision on the table; ``resolve`` carries
it out through the game's own primitives (emit, settle, patience, lines) and returns whether the
decision is done; ``info`` says, as data, what the move sets in motion (for the presenter's
risk lines and stakes). The front ends never list moves of their own: they ask the game.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negotiation.engine import counterparts as cp
from negotiation.engine.actions import Action, MoveKind
from negotiation.engine.events import GameEvent, Kind
from negotiation.engine.rng import next_float
from negotiation.engine.rules import ArticleRules, DecisionRules
from negotiation.engine.state import ArticleState

if TYPE_CHECKING:
    from negotiation.engine.game import Game

Events = list[GameEvent]
Open = tuple[str, ArticleRules, ArticleState]
"""The article on the table while it is open: its id, its rules and its state."""


@dataclass(frozen=True, slots=True)
class MoveInfo:
    """What a move sets in motion, as far as the rules say before it is made (no dice rolled)."""

    kind: str
    article: str | None = None
    rung: int = -1  # the rung it would put in the draft (accept, counter)
    beyond_mandate: int = 0  # rungs beyond the mandate
    patience_cost: float = 0.0  # if refused (counter) or always (hold, walkout)
    confidence_cost: float = 0.0
    arrives: int | None = None  # a cable's answer (date ordinal)
    after_end: bool = False  # the answer would come after the last day of the game
    break_chance: float = 0.0  # walkout
    ends_decision: bool = False


class Move:
    """Base of the handlers: the kind, and whether its actions carry an argument."""

    kind: MoveKind

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        """Append this move's legal actions for ``dec`` to ``out`` (``art``: the open article on the table)."""
        raise NotImplementedError

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        """Carry the move out; return whether the decision is done."""
        raise NotImplementedError

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        """What the move sets in motion."""
        return MoveInfo(str(self.kind))

    def why_not(self, g: Game, dec: DecisionRules, art: Open | None, action: Action) -> str:
        """Why ``action`` is not legal at ``dec`` now, in an author's words (called only when it is not)."""
        return _no_article(g, dec) if art is None else "it is not legal now"


def open_article(g: Game, dec: DecisionRules) -> Open | None:
    art_id = dec.model.article
    if art_id is None:
        return None
    a = g.state.articles[art_id]
    if a.settled >= 0:
        return None
    return art_id, g.rules.articles[art_id], a


def _no_article(g: Game, dec: DecisionRules) -> str:
    """Why an article move cannot be made: no article on the table, or it is already agreed."""
    art_id = dec.model.article
    if art_id is None:
        return f"decision '{dec.model.id}' puts no article on the table"
    a = g.state.articles[art_id]
    return f"article '{art_id}' is already agreed, at '{g.rules.articles[art_id].ids[a.settled]}'"


def _rung(art: ArticleRules, i: int) -> str:
    return f"'{art.ids[i]}' (rung {i})"


# Read once (an Enum member read from its class costs a metaclass hook on Python 3.11): every move emits these.
_REPLIED, _OFFER_ACCEPTED, _OFFER_REFUSED = Kind.REPLIED, Kind.OFFER_ACCEPTED, Kind.OFFER_REFUSED
_DEMAND_LOWERED, _ACCEPT_KIND = Kind.DEMAND_LOWERED, MoveKind.ACCEPT

_ACCEPT = Action(MoveKind.ACCEPT)
_HOLD = Action(MoveKind.HOLD)
_MANDATE = Action(MoveKind.MANDATE)
_ALLY = Action(MoveKind.ALLY)
_MEDIATE = Action(MoveKind.MEDIATE)
_WALKOUT = Action(MoveKind.WALKOUT)
_SIGN = Action(MoveKind.SIGN)


class Accept(Move):
    """Take the demand on the table: the article is agreed at it."""

    kind = MoveKind.ACCEPT

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        if art is not None:
            out.append(_ACCEPT)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        found = open_article(g, dec)
        assert found is not None
        art_id, _, a = found
        g.say(events, _REPLIED, "accept", art_id, a.demand)
        g.settle(art_id, a.demand, events)
        ai = g.rules.counterpart
        if ai is not None:
            g.add_var(ai.patience, ai.accept_gain)
        return True

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        found = open_article(g, dec)
        assert found is not None
        art_id, _, a = found
        return MoveInfo(str(self.kind), art_id, a.demand, _beyond(g, a, a.demand), ends_decision=True)


def _beyond(g: Game, a: ArticleState, rung: int) -> int:
    return max(0, rung - a.mandate) if g.rules.principal is not None else 0


def _concede_or_refuse(g: Game, dec: DecisionRules, art_id: str, art: ArticleRules, a: ArticleState, toward: int,
                       events: Events) -> bool:
    """His answer to a refusal: one rung toward the player if he can bear it, else no.

    A concession is always answered: the decision goes on so that the player can take the new
    demand (it lapses with the session otherwise). A flat refusal spends one of the decision's
    rounds; when they are spent the decision is done.
    """
    new = cp.concession(g.rules, g.state, art, toward)
    if new < a.demand:
        g.concede(art_id, new)
        g.say(events, _DEMAND_LOWERED, "concede", art_id, new)
        g.threaten(events, art_id)
        return False
    g.say(events, _OFFER_REFUSED, "refuse", art_id, a.demand)
    g.threaten(events, art_id)
    return g.next_round(dec)


class Counter(Move):
    """Propose a rung better for the player than the demand on the table."""

    kind = MoveKind.COUNTER

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        if art is not None:
            out.extend(g.rules.counter_actions[art[0]][: art[2].demand])

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        found = open_article(g, dec)
        assert found is not None
        art_id, art, a = found
        rung = art.ids.index(action.arg)
        a.offer = rung
        if cp.acceptable(g.rules, g.state, art, rung):
            g.say(events, _OFFER_ACCEPTED, "accept", art_id, rung)
            g.settle(art_id, rung, events)
            return True
        ai = g.rules.counterpart
        if ai is not None:
            g.add_var(ai.patience, -ai.refusal_cost)
            if ai.concede_within is not None and a.demand - rung > ai.concede_within:
                g.say(events, _OFFER_REFUSED, "refuse", art_id, a.demand)  # too far off to meet
                g.threaten(events, art_id)
                return g.next_round(dec)
        return _concede_or_refuse(g, dec, art_id, art, a, rung, events)

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        found = open_article(g, dec)
        assert found is not None
        art_id, art, a = found
        rung = art.ids.index(action.arg)
        ai = g.rules.counterpart
        return MoveInfo(str(self.kind), art_id, rung, _beyond(g, a, rung),
                        patience_cost=ai.refusal_cost if ai is not None else 0.0)

    def why_not(self, g: Game, dec: DecisionRules, art: Open | None, action: Action) -> str:
        if art is None:
            return _no_article(g, dec)
        art_id, rules, a = art
        if action.arg not in rules.ids:
            return f"'{action.arg}' is not a position of article '{art_id}' (its ladder: {', '.join(rules.ids)})"
        return (f"the demand on '{art_id}' is already {_rung(rules, a.demand)}: a counter-offer must ask for more "
                f"than the demand on the table (a rung above {a.demand})")


class Hold(Move):
    """Refuse the demand and wait: it costs patience, and he may come down a rung."""

    kind = MoveKind.HOLD

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        if art is not None:
            out.append(_HOLD)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        found = open_article(g, dec)
        assert found is not None
        art_id, art, a = found
        ai = g.rules.counterpart
        if ai is not None:
            g.add_var(ai.patience, -ai.hold_cost)
        return _concede_or_refuse(g, dec, art_id, art, a, 0, events)

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        found = open_article(g, dec)
        ai = g.rules.counterpart
        return MoveInfo(str(self.kind), found[0] if found else None,
                        patience_cost=ai.hold_cost if ai is not None else 0.0,
                        ends_decision=dec.model.rounds <= g.state.round)


class Mandate(Move):
    """Cable the principal for a wider mandate on the article; the answer arrives between sessions."""

    kind = MoveKind.MANDATE

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        p = g.rules.principal
        if p is None or art is None or g.state.asks["mandate"] >= p.max_asks:
            return
        art_id, rules, a = art
        if a.mandate < len(rules.ids) - 1 and not any(k == "mandate" and x == art_id for _, k, x in g.state.pending):
            out.append(_MANDATE)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        p = g.rules.principal
        found = open_article(g, dec)
        assert p is not None and found is not None
        art_id = found[0]
        st = g.state
        st.asks["mandate"] += 1
        g.add_var(p.confidence, -p.ask_cost)
        arrives = st.date + p.ask_days
        st.pending.append((arrives, "mandate", art_id))
        g.emit(events, Kind.MANDATE_ASKED, "", g.rules.player, art_id, {"arrives": arrives})
        g.say(events, _REPLIED, "ask_principal", art_id, None, optional=True)
        return False

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        p = g.rules.principal
        assert p is not None
        arrives = g.state.date + p.ask_days
        return MoveInfo(str(self.kind), dec.model.article, confidence_cost=p.ask_cost, arrives=arrives,
                        after_end=arrives > g.last_session_day())

    def why_not(self, g: Game, dec: DecisionRules, art: Open | None, action: Action) -> str:
        p = g.rules.principal
        if p is None:
            return "the scenario has no principal (an actor with ai kind 'principal') to ask"
        if art is None:
            return _no_article(g, dec)
        art_id, rules, a = art
        if g.state.asks["mandate"] >= p.max_asks:
            return f"the principal's appeals are used up ({g.state.asks['mandate']} of max_asks {p.max_asks})"
        if a.mandate >= len(rules.ids) - 1:
            return f"the mandate on '{art_id}' already reaches the last rung"
        return f"an appeal on '{art_id}' is already on its way (its answer comes between sessions)"


class Ally(Move):
    """Ask the ally for support; the answer arrives between sessions."""

    kind = MoveKind.ALLY

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        al = g.rules.ally
        if al is not None and g.state.asks["ally"] < al.max_asks and \
                not any(k == "ally" for _, k, _ in g.state.pending) and g.rules.available("ally", g.state):
            out.append(_ALLY)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        al = g.rules.ally
        assert al is not None
        st = g.state
        st.asks["ally"] += 1
        arrives = st.date + al.ask_days
        st.pending.append((arrives, "ally", ""))
        g.emit(events, Kind.SUPPORT_ASKED, "", g.rules.player, dec.model.article, {"arrives": arrives})
        g.say(events, _REPLIED, "ask_ally", dec.model.article, None, optional=True)
        return False

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        al = g.rules.ally
        assert al is not None
        arrives = g.state.date + al.ask_days
        return MoveInfo(str(self.kind), arrives=arrives, after_end=arrives > g.last_session_day())

    def why_not(self, g: Game, dec: DecisionRules, art: Open | None, action: Action) -> str:
        al = g.rules.ally
        if al is None:
            return "the scenario has no ally (an actor with ai kind 'ally') to ask"
        if g.state.asks["ally"] >= al.max_asks:
            return f"the ally's requests are used up ({g.state.asks['ally']} of max_asks {al.max_asks})"
        if any(k == "ally" for _, k, _ in g.state.pending):
            return "a request to the ally is already on its way (its answer comes between sessions)"
        return f"the ally cannot be asked now: '{al.available}' does not hold ({g.values_in(al.available)})"


class Mediate(Move):
    """Ask the mediator to propose terms: the best the counterpart can be brought to under his pressure."""

    kind = MoveKind.MEDIATE

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        m = g.rules.mediator
        if m is not None and art is not None and g.state.asks.get("mediator", 0) < m.max_asks \
                and g.rules.available("mediator", g.state):
            out.append(_MEDIATE)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        r = g.rules
        m = r.mediator
        found = open_article(g, dec)
        assert m is not None and found is not None
        art_id, art, a = found
        st = g.state
        st.asks["mediator"] = st.asks.get("mediator", 0) + 1
        g.add_var(m.goodwill, -m.ask_cost)
        if r.counterpart is not None:
            g.add_var(r.counterpart.patience, -m.patience_cost)
        pressure = float(r.pressure(st))
        proposal = cp.bridge(r, st, art, pressure)
        data = {"rung": proposal, "from": a.demand, "pressure": round(pressure, 6)}
        if proposal < a.demand:
            g.concede(art_id, proposal)
            g.mediator_says(events, Kind.MEDIATED, "propose", art_id, proposal, data)
            g.say(events, _REPLIED, "mediated", art_id, proposal, optional=True)
            return False
        g.mediator_says(events, Kind.NO_BRIDGE, "no_bridge", art_id, a.demand, data)
        return g.next_round(dec)

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        m = g.rules.mediator
        ai = g.rules.counterpart
        return MoveInfo(str(self.kind), dec.model.article,
                        patience_cost=m.patience_cost if m is not None and ai is not None else 0.0)

    def why_not(self, g: Game, dec: DecisionRules, art: Open | None, action: Action) -> str:
        m = g.rules.mediator
        if m is None:
            return "the scenario has no mediator (an actor with ai kind 'mediator') to ask"
        if art is None:
            return _no_article(g, dec)
        used = g.state.asks.get("mediator", 0)
        if used >= m.max_asks:
            return f"the mediator's proposals are used up ({used} of max_asks {m.max_asks})"
        return f"the mediator is not available: '{m.available}' does not hold ({g.values_in(m.available)})"


class Walkout(Move):
    """Walk out of the session: it may break the talks, or soften him on the article."""

    kind = MoveKind.WALKOUT

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        out.append(_WALKOUT)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        r = g.rules
        st = g.state
        ai = r.counterpart
        art_id = dec.model.article
        if ai is None:
            g.emit(events, Kind.WALKED_OUT, "", r.speaker_of_counterpart, art_id)
            g.end_session()
            return True
        g.add_var(ai.patience, -ai.walkout_cost)
        p_break = g.walkout_chance()
        draw, st.rng = next_float(st.rng)
        if draw < p_break:
            g.set_var(ai.patience, r.variables[ai.patience].min)
            g.say(events, Kind.TALKS_BROKEN, "break", art_id, None)
            return True
        if art_id is not None and st.articles[art_id].settled < 0:
            st.articles[art_id].softening += ai.walkout_softening
        g.say(events, Kind.WALKED_OUT, "walkout", art_id, None)
        g.end_session()
        return True

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        ai = g.rules.counterpart
        return MoveInfo(str(self.kind), dec.model.article, patience_cost=ai.walkout_cost if ai else 0.0,
                        break_chance=g.walkout_chance(after_cost=True), ends_decision=True)


class Sign(Move):
    """Propose signing the treaty as it stands: open articles at the demands on the table."""

    kind = MoveKind.SIGN

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        if g.signing_open():
            out.append(_SIGN)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        r = g.rules
        st = g.state
        positions = g.terms_on_table()
        short = cp.treaty_shortfall(r, st, positions)
        ai = r.counterpart
        if short <= 0:
            if not g.ratified(positions):
                principal = r.principal
                assert principal is not None
                g.emit(events, Kind.SIGNING_VETOED, "", r.role_ids.get("principal"), None,
                       {"ending": principal.repudiation})
                if principal.repudiation is not None:
                    g.charge_mandate(positions, events)
                    g.end(principal.repudiation, events)
                    return True
                return g.next_round(dec)
            for art_id, rung in positions.items():
                if st.articles[art_id].settled < 0:
                    g.settle(art_id, rung, events)
            st.signed_on = st.date
            g.say(events, Kind.TREATY_SIGNED, "sign", None, None)
            return True
        if ai is not None:
            g.add_var(ai.patience, -ai.refusal_cost)
        terms = cp.retable(r, st, positions)
        if not terms:
            g.say(events, Kind.SIGNING_REFUSED, "refuse_sign", None, None)
            g.threaten(events, None)
            return g.next_round(dec)
        for art_id, rung in terms.items():
            g.retable_article(art_id, rung, events)
        g.say(events, Kind.TERMS_RETABLED, "retable", None, None,
              data={"terms": {k: v for k, v in sorted(terms.items())}}, fallback="refuse_sign")
        g.threaten(events, None)
        return False  # the player answers his terms in the same decision

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        return MoveInfo(str(self.kind))

    def why_not(self, g: Game, dec: DecisionRules, art: Open | None, action: Action) -> str:
        r = g.rules
        st = g.state
        if not r.phases[st.phase].allow_signing:
            return f"phase '{st.phase}' does not allow signing (allow_signing is false)"
        if r.signing_opens is not None and st.date < r.signing_opens:
            return f"signing opens on {r.date_of(r.signing_opens).isoformat()} (signing.opens)"
        when = r.scenario.signing.when
        return f"signing.when '{when}' does not hold ({g.values_in(when)})"


class Option(Move):
    """One of the scenario's authored choices: effects, a reply, perhaps a package he judges."""

    kind = MoveKind.OPTION

    def legal(self, g: Game, dec: DecisionRules, art: Open | None, out: list[Action]) -> None:
        actions = g.rules.option_actions[dec.model.id]
        if dec.options_open:
            out.extend(actions)
            return
        st = g.state
        for act, when in zip(actions, dec.option_when, strict=True):
            if when is None or when(st):
                out.append(act)

    def resolve(self, g: Game, dec: DecisionRules, action: Action, events: Events) -> bool:
        r = g.rules
        st = g.state
        o = r.options[dec.model.id][action.arg]
        art_id = dec.model.article
        g.effects(o.effects, events)
        if o.offer:
            offer = {k: r.articles[k].ids.index(v) for k, v in o.offer.items()}
            who = r.speaker_of_counterpart
            if cp.package_margin(r, st, offer) >= 0:
                if o.reply_accept:
                    g.emit(events, _OFFER_ACCEPTED, o.reply_accept, who, art_id, {"offer": offer})
                else:
                    g.say(events, _OFFER_ACCEPTED, "accept", art_id, None, data={"offer": offer})
                for k, rung in offer.items():
                    if st.articles[k].settled < 0 or st.articles[k].settled != rung:
                        g.settle(k, rung, events)
                g.effects(o.on_accept, events)
            else:
                ai = r.counterpart
                if ai is not None:
                    g.add_var(ai.patience, -ai.refusal_cost)
                if o.reply_refuse:
                    g.emit(events, _OFFER_REFUSED, o.reply_refuse, who, art_id, {"offer": offer})
                else:
                    demand = st.articles[art_id].demand if art_id is not None else None
                    g.say(events, _OFFER_REFUSED, "refuse", art_id, demand, data={"offer": offer})
                g.effects(o.on_refuse, events)
                g.threaten(events, art_id)
        elif o.reply:
            g.emit(events, _REPLIED, o.reply, dec.model.speaker, art_id)
        return True

    def info(self, g: Game, dec: DecisionRules, action: Action) -> MoveInfo:
        return MoveInfo(str(self.kind), dec.model.article, ends_decision=True)

    def why_not(self, g: Game, dec: DecisionRules, art: Open | None, action: Action) -> str:
        options = g.rules.options[dec.model.id]
        if action.arg not in options:
            shown = ", ".join(options) or "none"
            return f"decision '{dec.model.id}' has no option '{action.arg}' (its options: {shown})"
        when = options[action.arg].when
        return f"option '{action.arg}' has a condition that does not hold: '{when}' ({g.values_in(when)})"


HANDLERS: dict[str, Move] = {str(m.kind): m for m in (
    Option(), Accept(), Counter(), Hold(), Mandate(), Ally(), Mediate(), Walkout(), Sign())}
"""The handler of each kind of move, in the order legal actions are listed: the scenario's own
options first, then the article's moves, then consulting, walking out and signing."""

ORDER = tuple(HANDLERS)


def move_data(g: Game, dec: DecisionRules, action: Action) -> dict[str, Any]:
    """What the log keeps of a move: the action, and the rung it named (an accept names the demand)."""
    data: dict[str, Any] = {"action": action.id, "decision": dec.model.id}
    if action.kind == _ACCEPT_KIND and dec.model.article is not None:
        data["rung"] = g.state.articles[dec.model.article].demand
    return data


__all__ = ["HANDLERS", "ORDER", "Move", "MoveInfo", "move_data"]
