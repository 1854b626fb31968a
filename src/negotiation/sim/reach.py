"""Targeted search: look for a game that reaches one thing (an ending, a decision, an option, an event, a phase).

Lint's broad exploration samples a game graph far too large to enumerate, so what it misses may be
deep rather than dead. For each target it missed, this module runs a best-first search steered by
the target's *distance*: how far a state is from satisfying what the target needs (its condition,
scored as a branch distance in the manner of search-based testing; its phase; its date not yet
passed; its article still open). States from which the target can no longer come up (its date
passed in its phase, its event gone by) are pruned. The search ends with the target reached, or
with a verdict: no state that could still lead there is left (as far as the pruning can tell), or
the budget ran out, with the closest approach and what was still missing there.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from negotiation.engine.game import Game
from negotiation.engine.rules import Rules
from negotiation.engine.state import GameState
from negotiation.scenario.expr import Compare, Logic, Node, Unary, compile_node, parse

if TYPE_CHECKING:
    from collections.abc import Iterator

Distance = Callable[[GameState], float]
INF = math.inf
PHASE_STEP = 1.0  # one phase away (time moves phases on by itself: the condition matters more)
ARTICLE_AGREED = 10.0  # a decision on an agreed article is passed over (it may be reopened)
DAY = 0.05  # a day still to go counts for a little: ties are broken toward games that move on
MAX_DEPTH = 64  # logical nesting followed by the distance; deeper parts count as true/false only

FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def _truth(getter: Callable[[GameState], object], negate: bool) -> Distance:
    if negate:
        return lambda s: min(abs(float(getter(s))), 1.0)  # type: ignore[arg-type]
    return lambda s: 0.0 if getter(s) else 1.0


def _compare(op: str, left: Callable[[GameState], float], right: Callable[[GameState], float]) -> Distance:
    if op == "<":
        return lambda s: max(0.0, float(left(s)) - float(right(s)) + 1.0) if left(s) >= right(s) else 0.0
    if op == "<=":
        return lambda s: max(0.0, float(left(s)) - float(right(s)))
    if op == ">":
        return lambda s: max(0.0, float(right(s)) - float(left(s)) + 1.0) if left(s) <= right(s) else 0.0
    if op == ">=":
        return lambda s: max(0.0, float(right(s)) - float(left(s)))
    if op == "==":
        return lambda s: abs(float(left(s)) - float(right(s)))
    return lambda s: 0.0 if left(s) != right(s) else 1.0


def condition_distance(rules: Rules, text: str) -> Distance:
    """How far a state is from making the condition ``text`` true (0 when it holds)."""
    resolve = rules._resolve  # the names as the engine compiles them

    def build(node: Node, negate: bool, depth: int) -> Distance:
        if depth < MAX_DEPTH:
            if isinstance(node, Unary) and node.op in ("not", "bool"):
                return build(node.operand, negate != (node.op == "not"), depth + 1)
            if isinstance(node, Logic):
                parts = [build(c, negate, depth + 1) for c in node.operands]
                if (node.op == "and") != negate:
                    return lambda s: sum(p(s) for p in parts)
                return lambda s: min(p(s) for p in parts)
            if isinstance(node, Compare):
                op = FLIP[node.op] if negate else node.op
                return _compare(op, compile_node(node.left, resolve), compile_node(node.right, resolve))
        return _truth(compile_node(node, resolve), negate)  # a value: true when not 0

    return build(parse(text), False, 0)


@dataclass
class Target:
    """Something lint wants to see reached, with how to tell and how far a state is from it."""

    kind: str  # ending, decision, option, event, phase
    ident: str  # the ending's, decision's, event's or phase's id; 'decision/option' for an option
    reached: Callable[[Game], bool]
    distance: Callable[[Game], float]
    missing: Callable[[Game], str]  # what the state still lacks, in words
    preempted: Callable[[Game], str | None] = lambda g: None  # an ending that came first while this one was due

    @property
    def label(self) -> str:
        """'decision 'd0813_withdrawal''."""
        return f"{self.kind} '{self.ident}'"


def _phase_hops(rules: Rules) -> dict[str, dict[str, int]]:
    """For every pair of phases, the fewest transitions from the first to the second."""
    edges = {p.id: [t.to for t in p.transitions] for p in rules.scenario.phases}
    hops: dict[str, dict[str, int]] = {}
    for start in edges:
        seen = {start: 0}
        frontier = [start]
        while frontier:
            nxt = []
            for p in frontier:
                for q in edges.get(p, ()):
                    if q not in seen:
                        seen[q] = seen[p] + 1
                        nxt.append(q)
            frontier = nxt
        hops[start] = seen
    return hops


class Targets:
    """Builds the targets of one scenario (compiled once)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.hops = _phase_hops(rules)
        self._conds: dict[str, Distance] = {}

    def cond(self, text: str) -> Distance:
        found = self._conds.get(text)
        if found is None:
            found = self._conds[text] = condition_distance(self.rules, text)
        return found

    def phase_distance(self, game: Game, phase: str) -> float:
        hop = self.hops.get(game.state.phase, {}).get(phase)
        return INF if hop is None else hop * PHASE_STEP

    def ending(self, ident: str) -> Target:
        e = self.rules.ending_by_id[ident]
        when = self.cond(e.when)
        def first(g: Game) -> str | None:
            other = g.state.ending
            return other if other is not None and other != ident and when(g.state) == 0 else None

        return Target("ending", ident, lambda g: g.state.ending == ident,
                      lambda g: INF if g.state.ending is not None else when(g.state),
                      lambda g: f"'{e.when}' did not hold ({g.values_in(e.when)})", first)

    def phase(self, ident: str) -> Target:
        return Target("phase", ident, lambda g: g.state.phase == ident,
                      lambda g: INF if g.state.ending is not None else self.phase_distance(g, ident),
                      lambda g: f"the game was in phase '{g.state.phase}'")

    def decision(self, ident: str) -> Target:
        d = self.rules.decisions[ident]
        when = self.cond(d.model.when)
        date = d.model.date.toordinal()
        art = d.model.article

        def distance(g: Game) -> float:
            st = g.state
            if st.ending is not None:
                return INF
            if st.phase == d.model.phase:
                if st.cursor.get(st.phase, 0) > d.index or st.date > date:
                    return INF  # its turn in its phase has gone by
                far = 0.0
            else:
                far = self.phase_distance(g, d.model.phase)
            agreed = ARTICLE_AGREED if art is not None and st.articles[art].settled >= 0 else 0.0
            return far + agreed + when(st) + DAY * max(0, date - st.date)

        def missing(g: Game) -> str:
            st = g.state
            why = []
            if st.phase != d.model.phase:
                why.append(f"the game was in phase '{st.phase}', not '{d.model.phase}'")
            if art is not None and st.articles[art].settled >= 0:
                why.append(f"article '{art}' was already agreed (a decision on an agreed article is passed over)")
            if when(st) > 0:
                why.append(f"its condition '{d.model.when}' did not hold ({g.values_in(d.model.when)})")
            if not why and st.date < date:
                why.append(f"the game had come only to {st.day.isoformat()}")
            return "; ".join(why) or "its session had not come"

        return Target("decision", ident, lambda g: g.state.decision == ident, distance, missing)

    def option(self, decision: str, option: str) -> Target:
        dec = self.decision(decision)
        o = self.rules.options[decision][option]
        when = self.cond(o.when)
        return Target("option", f"{decision}/{option}",
                      lambda g: g.state.decision == decision and any(
                          a.kind == "option" and a.arg == option for a in g.legal_actions()),
                      lambda g: dec.distance(g) + when(g.state),
                      lambda g: dec.missing(g) if g.state.decision != decision else
                      f"its condition '{o.when}' did not hold ({g.values_in(o.when)})")

    def event(self, ident: str) -> Target:
        index = next(i for i, (e, _) in enumerate(self.rules.events) if e.id == ident)
        ev = self.rules.events[index][0]
        when = self.cond(ev.when)

        def happened(g: Game) -> bool:
            return any(e.kind == "EventOccurred" and e.get("event") == ident for e in g.state.log)

        def reached(g: Game) -> bool:
            return g.state.event_cursor > index and happened(g)

        date = ev.date.toordinal()

        def distance(g: Game) -> float:
            st = g.state
            if st.event_cursor > index or st.ending is not None:
                return INF
            return when(st) + DAY * max(0, date - st.date)

        def missing(g: Game) -> str:
            if when(g.state) > 0:
                return f"its condition '{ev.when}' did not hold ({g.values_in(ev.when)})"
            return f"the game had come only to {g.state.day.isoformat()} (the event falls on {ev.date.isoformat()})"

        return Target("event", ident, reached, distance, missing)


@dataclass
class Verdict:
    """What a targeted search found for one target."""

    target: Target
    reached: bool
    exhausted: bool  # no state that could still lead there was left unexplored
    states: int
    closest: tuple[float, tuple[str, ...], str] | None = None  # distance, actions, what was missing
    preempted: dict[str, int] | None = None  # ending -> games it ended while this target's condition held

    def text(self) -> str:
        """The verdict in words, for a lint message."""
        if self.reached:
            return f"reached by a search aimed at it ({self.states} states)"
        if self.exhausted:
            head = (f"not reachable: a search aimed at it explored every state that could still lead there "
                    f"({self.states} states)")
        else:
            head = f"not reached by a search aimed at it ({self.states} states)"
        if self.preempted:
            first = ", ".join(f"'{k}' ({n} game{'s' if n != 1 else ''})" for k, n in sorted(
                self.preempted.items(), key=lambda kv: (-kv[1], kv[0])))
            head += f"; its condition held, but an ending checked before it ended the game first: {first}"
        if self.closest is None:
            return head
        _, actions, missing = self.closest
        return f"{head}; it came closest after {len(actions)} actions, where {missing}"


def search(target: Target, starts: Iterable[Game], key: Callable[[GameState], Hashable], budget: int = 2000,
           seen: set[Hashable] | None = None) -> tuple[Verdict, Game | None]:
    """Best-first search from ``starts`` toward ``target``; return the verdict and the game that reached it."""
    queue: list[tuple[float, int, int, Game]] = []
    visited: set[Hashable] = set() if seen is None else seen
    order = itertools.count()  # breaks ties between equal distances and lengths, first come first
    closest: tuple[float, tuple[str, ...], str] | None = None
    preempted: dict[str, int] = {}

    def visit(g: Game, grown: bool = True) -> bool:
        """Take a game into the search (once per state); return True if it reached the target. Games grown by
        the search count toward the endings that pre-empted the target."""
        k = key(g.state)
        if k in visited:
            return False
        visited.add(k)
        if target.reached(g):
            return True
        first = target.preempted(g) if grown else None
        if first is not None:
            preempted[first] = preempted.get(first, 0) + 1
        d = target.distance(g)
        if d < INF:
            heapq.heappush(queue, (d, -len(g.actions), next(order), g))
        return False

    for g in starts:
        if visit(g, grown=False):
            return Verdict(target, True, False, len(visited)), g
    expanded = 0
    while queue and expanded < budget:
        dist, _, _, game = heapq.heappop(queue)
        if closest is None or dist < closest[0]:
            closest = (dist, tuple(game.actions), target.missing(game))
        expanded += 1
        for action in game.legal_actions():
            child = game.clone()
            try:
                child.apply(action)
            except Exception:  # an engine failure is lint's other finding (NEG202), found by the broad search
                continue
            if visit(child):
                return Verdict(target, True, False, len(visited)), child
    return Verdict(target, False, not queue, len(visited), closest, preempted or None), None


def targets_of(t: Targets, kinds: Mapping[str, Iterable[str]]) -> Iterator[Target]:
    """The targets named in ``kinds`` (kind -> ids; an option is "decision/option"), phases first."""
    for ident in kinds.get("phase", ()):
        yield t.phase(ident)
    for ident in kinds.get("decision", ()):
        yield t.decision(ident)
    for ident in kinds.get("option", ()):
        dec, _, opt = ident.partition("/")
        yield t.option(dec, opt)
    for ident in kinds.get("ending", ()):
        yield t.ending(ident)
    for ident in kinds.get("event", ()):
        yield t.event(ident)


__all__ = ["Target", "Targets", "Verdict", "condition_distance", "search", "targets_of"]
