"""Explore a scenario's game graph, bounded, and turn what play reveals into lint findings.

Three searches, all deterministic for a given seed:

* breadth-first over distinct game states from the start, up to ``max_states`` states;
* ``playthroughs`` random games to the end, each with its own seed and its own taste for
  each kind of move (so that some mostly accept, some mostly hold, some walk out); a third start
  from the beginning, the rest branch off the historical and the always-accept paths at every
  depth, so that late decisions are reached too;
* the fixed policies (accept, refuse, greedy) and the historical path.

Anything not reached is reported as *not reached within the bound* (a warning), never as
impossible: only the static checks of :mod:`negotiation.scenario.lint` say "never".
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from negotiation.actors.policies import make_policy
from negotiation.engine.actions import Action, MoveKind
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.engine.state import GameState, join_title
from negotiation.errors import ScenarioError
from negotiation.scenario.lint import (
    Finding,
    Issue,
    LintResult,
    Places,
    from_diagnostics,
    lint_tests_file,
    lint_text,
    locate,
    sort_findings,
    static_issues,
)
from negotiation.scenario.loader import LoadedScenario, Marks, read_text
from negotiation.sim.reach import Target, Targets, Verdict, search, targets_of

MAX_STATES = 5000
PLAYTHROUGHS = 500
MAX_STEPS = 2000
AIMED = 1500
POLICIES = ("accept", "refuse", "greedy")
Progress = Callable[[int, int], None]
"""Called with the units of work done and their total: the historical path, each state of the
breadth-first search (up to its bound), each policy game and each random game count one."""


@dataclass(frozen=True)
class Bounds:
    """How far to explore: distinct states for the breadth-first search, random games, steps per game."""

    max_states: int = MAX_STATES
    playthroughs: int = PLAYTHROUGHS
    max_steps: int = MAX_STEPS
    seed: int = 0
    aimed: int = AIMED  # states a search aimed at one missed target may expand (0: no aimed searches)


@dataclass(frozen=True)
class Trace:
    """How to get somewhere: a seed and the actions from the start."""

    seed: int
    actions: tuple[str, ...]

    def show(self, limit: int = 12) -> str:
        """The actions as text, shortened in the middle if long."""
        acts = list(self.actions)
        if not acts:
            return f"seed {self.seed}, at the start"
        if len(acts) > limit:
            acts = [*acts[:3], f"… {len(acts) - limit + 3} more …", *acts[-(limit - 3):]]
        return f"seed {self.seed}, after {len(self.actions)} action{'s' if len(self.actions) != 1 else ''}: " + \
            ", ".join(acts)


@dataclass
class HistoricalRun:
    """The historical path played out: where history's actions were not legal, and how it ended."""

    illegal: list[tuple[str, int, str, tuple[str, ...]]] = field(default_factory=list)  # decision, step, action, legal
    why: list[str] = field(default_factory=list)  # for each illegal action: why, and what led there
    off_path: list[str] = field(default_factory=list)  # decisions marked off_path that came up all the same
    presented: list[str] = field(default_factory=list)
    taken: dict[str, int] = field(default_factory=dict)  # decision -> actions played there
    ending: str | None = None
    terms: dict[str, str] = field(default_factory=dict)
    signed_on: str | None = None
    error: str | None = None
    trace: Trace = Trace(0, ())
    last_log: list[str] = field(default_factory=list)  # how it ended, for the message


@dataclass
class Exploration:
    """What exploring a scenario reached."""

    seed: int = 0
    states: int = 0
    playthroughs: int = 0
    actions: int = 0
    capped: bool = False
    phases: set[str] = field(default_factory=set)
    decisions: set[str] = field(default_factory=set)
    options: set[tuple[str, str]] = field(default_factory=set)
    endings: dict[str, int] = field(default_factory=dict)
    rungs: dict[str, set[str]] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)
    stuck: dict[tuple[str, int], Trace] = field(default_factory=dict)
    errors: dict[str, tuple[str | None, Trace]] = field(default_factory=dict)
    unended: list[Trace] = field(default_factory=list)
    historical: HistoricalRun = field(default_factory=HistoricalRun)
    verdicts: dict[tuple[str, str], Verdict] = field(default_factory=dict)  # (kind, id) -> an aimed search's verdict
    aimed_states: int = 0


def state_key(st: GameState) -> Hashable:
    """What makes two game states the same for play (the log and turn count aside)."""
    return (
        st.phase, st.date, st.decision, st.round, st.step, tuple(st.variables.values()),
        tuple((a.demand, a.standing, a.mandate, a.offer, a.settled, a.softening) for a in st.articles.values()),
        tuple(sorted(st.cursor.items())), st.event_cursor, tuple(sorted(st.asks.items())), st.signed_on,
        st.ending, st.rng, st.protocol, st.session_end, st.delay, tuple(st.pending), st.last_move,
    )


def _event_texts(rules: Rules) -> dict[tuple[int, str], list[str]]:
    out: dict[tuple[int, str], list[str]] = {}
    for ev, _ in rules.events:
        text = join_title(ev.title, ev.text)
        out.setdefault((ev.date.toordinal(), text), []).append(ev.id)
    return out


class _Explorer:
    def __init__(self, rules: Rules, bounds: Bounds, progress: Progress | None = None) -> None:
        self.rules = rules
        self.bounds = bounds
        self.found = Exploration(seed=bounds.seed)
        self.event_texts = _event_texts(rules)
        self.spine: list[Game] = []  # states along the historical and always-accept paths, to branch from
        self.progress = progress
        self.total = 1 + bounds.max_states + len(POLICIES) + bounds.playthroughs

    def report(self, done: int) -> None:
        """Tell the progress callback how far the exploration is."""
        if self.progress is not None:
            self.progress(min(done, self.total), self.total)

    # ------------------------------------------------------------------ recording
    def observe(self, game: Game, log_from: int) -> None:
        """Record what a state shows: phase, decision, options, ending, events since ``log_from``."""
        f = self.found
        st = game.state
        f.phases.add(st.phase)
        for ev in st.log[log_from:]:
            if ev.kind == "EventOccurred":
                f.events.update(self.event_texts.get((ev.date, ev.text), ()))
        if st.ending is not None:
            f.endings[st.ending] = f.endings.get(st.ending, 0) + 1
            outcome = game.outcome()
            if outcome is not None:
                for art, pos in outcome.terms.items():
                    f.rungs.setdefault(art, set()).add(pos)
            return
        if st.decision is None:
            return
        f.decisions.add(st.decision)
        legal = game.legal_actions()
        for a in legal:
            if a.kind == "option":
                f.options.add((st.decision, a.arg))
        if not legal and (st.decision, st.round) not in f.stuck:
            f.stuck[(st.decision, st.round)] = Trace(game.seed, tuple(game.actions))

    def step(self, game: Game, action: Action) -> bool:
        """Apply an action and observe; return False (and record it) if the engine fails."""
        before = len(game.state.log)
        decision = game.state.decision
        trace = Trace(game.seed, (*game.actions, action.id))
        try:
            game.apply(action)
        except Exception as exc:
            key = f"{type(exc).__name__}: {exc}"
            if key not in self.found.errors:
                self.found.errors[key] = (decision, trace)
            return False
        self.found.actions += 1
        self.observe(game, before)
        return True

    # ------------------------------------------------------------------ searches
    def breadth_first(self) -> None:
        b = self.bounds
        try:
            start = Game(self.rules, b.seed)
        except Exception as exc:
            self.found.errors[f"{type(exc).__name__}: {exc}"] = (None, Trace(b.seed, ()))
            return
        self.observe(start, 0)
        seen = {state_key(start.state)}
        queue: deque[Game] = deque([start] if not start.is_over() else [])
        while queue and len(seen) < b.max_states:
            game = queue.popleft()
            for action in game.legal_actions():
                child = game.clone()
                if not self.step(child, action):
                    continue
                key = state_key(child.state)
                if key in seen:
                    continue
                seen.add(key)
                if not child.is_over():
                    queue.append(child)
                if len(seen) >= b.max_states:
                    break
            if self.progress is not None:
                self.report(1 + len(seen))
        self.found.states = len(seen)
        self.found.capped = bool(queue)
        self.report(1 + b.max_states)

    def playthrough(self, seed: int, choose: Any, start: Game | None = None, keep: bool = False) -> None:
        if start is not None:
            game = start.clone()
        else:
            try:
                game = Game(self.rules, seed)
            except Exception as exc:
                self.found.errors[f"{type(exc).__name__}: {exc}"] = (None, Trace(seed, ()))
                return
            self.observe(game, 0)
        self.found.playthroughs += 1
        for _ in range(self.bounds.max_steps):
            if keep and not game.is_over():
                self.spine.append(game.clone())
            if game.is_over():
                return
            legal = game.legal_actions()
            if not legal:
                return  # recorded as stuck by observe
            try:
                action = choose(game, legal)
            except Exception as exc:
                self.found.errors.setdefault(f"{type(exc).__name__}: {exc}",
                                             (game.state.decision, Trace(seed, tuple(game.actions))))
                return
            if not self.step(game, action):
                return
        if not game.is_over() and len(self.found.unended) < 3:
            self.found.unended.append(Trace(seed, tuple(game.actions)))

    def random_games(self) -> None:
        b = self.bounds
        for i in range(b.playthroughs):
            seed = b.seed + i
            rng = random.Random(seed)
            # odd runs choose uniformly by kind; even runs have a temperament: a weight per kind of move
            weights = {str(k): (rng.expovariate(1.0) if i % 2 == 0 else 1.0) for k in MoveKind}

            def choose(game: Game, legal: list[Action], rng: random.Random = rng,
                       weights: dict[str, float] = weights) -> Action:
                per_kind: dict[str, int] = {}
                for a in legal:
                    per_kind[a.kind] = per_kind.get(a.kind, 0) + 1
                w = [weights[a.kind] / per_kind[a.kind] + 1e-9 for a in legal]
                return rng.choices(legal, weights=w)[0]

            start = self.spine[(i * 7919) % len(self.spine)] if self.spine and i % 3 else None
            self.playthrough(seed, choose, start)
            if i % 16 == 15 or i == b.playthroughs - 1:
                self.report(1 + b.max_states + len(POLICIES) + i + 1)

    def aimed_searches(self) -> None:
        """For each target the broad search missed, a search aimed at it (sim.reach), from the spine's states."""
        if self.bounds.aimed <= 0 or not self.spine:
            return
        f = self.found
        s = self.rules.scenario
        kinds: dict[str, list[str]] = {
            "phase": [p.id for p in s.phases if p.id not in f.phases],
            "decision": [d.id for d in s.decisions if d.id not in f.decisions],
            "option": [f"{d.id}/{o.id}" for d in s.decisions for o in d.options if (d.id, o.id) not in f.options],
            "ending": [e.id for e in s.endings if e.id not in f.endings],
            "event": [e.id for e in s.events if e.id not in f.events],
        }
        targets = Targets(self.rules)
        for target in targets_of(targets, kinds):
            if self._reached(target):
                continue  # found meanwhile by an earlier aimed search
            verdict, game = search(target, self.spine, state_key, self.bounds.aimed)
            f.aimed_states += verdict.states
            f.verdicts[(target.kind, target.ident)] = verdict
            if game is not None:
                self.observe(game, 0)
                if target.kind == "option":
                    dec, _, opt = target.ident.partition("/")
                    f.options.add((dec, opt))

    def _reached(self, target: Target) -> bool:
        f = self.found
        if target.kind == "option":
            dec, _, opt = target.ident.partition("/")
            return (dec, opt) in f.options
        return target.ident in {"phase": f.phases, "decision": f.decisions, "ending": f.endings,
                                "event": f.events}[target.kind]

    def policy_games(self) -> None:
        for i, name in enumerate(POLICIES):
            policy = make_policy(name, self.bounds.seed)
            self.playthrough(self.bounds.seed, lambda game, legal, p=policy: p.choose(game), keep=name == "accept")
            self.report(1 + self.bounds.max_states + i + 1)

    def historical_path(self) -> None:
        h = self.found.historical
        seed = self.bounds.seed
        try:
            game = Game(self.rules, seed)
        except Exception as exc:
            h.error = f"{type(exc).__name__}: {exc}"
            return
        changed: dict[str, str] = {}  # article -> the last action that moved its demand or agreed it, in words
        for _ in range(self.bounds.max_steps):
            if game.is_over():
                break
            d = game.state.decision
            legal = game.legal_actions()
            if d is None or not legal:
                break
            if not h.presented or h.presented[-1] != d:
                h.presented.append(d)
            self.spine.append(game.clone())
            hist = game.historical_action()
            action = next((a for a in legal if a.id == hist), None)
            if hist is None:
                if d not in h.off_path:
                    h.off_path.append(d)
                action = legal[0]
            elif action is None:
                step = game.state.step  # the n-th action taken at this decision
                h.illegal.append((d, step, hist or "", tuple(a.id for a in legal)))
                reason = game.why_not(hist or "") or "it is not legal"
                art = self.rules.decisions[d].model.article
                if art is not None and art in changed:
                    reason += f"; {changed[art]}"
                h.why.append(reason)
                action = legal[0]
            was = {k: (a.demand, a.settled) for k, a in game.state.articles.items()}
            when = game.state.day
            before = len(game.state.log)
            h.taken[d] = h.taken.get(d, 0) + 1
            try:
                game.apply(action)
            except Exception as exc:
                h.error = f"{type(exc).__name__}: {exc}"
                h.trace = Trace(seed, (*game.actions, action.id))
                return
            self.observe(game, before)
            ids = {k: self.rules.articles[k].ids for k in was}
            for k, (demand, settled) in was.items():
                a = game.state.articles[k]
                if a.settled != settled and a.settled >= 0:
                    changed[k] = (f"'{k}' was agreed at '{ids[k][a.settled]}' after action {len(game.actions)} "
                                  f"({action.id} at decision '{d}', {when.isoformat()})")
                elif a.demand != demand and a.settled < 0:
                    changed[k] = (f"the demand on '{k}' came to '{ids[k][a.demand]}' after action {len(game.actions)} "
                                  f"({action.id} at decision '{d}', {when.isoformat()})")
        h.trace = Trace(seed, tuple(game.actions))
        told = [e for e in game.state.log if e.kind not in ("GameEnded", "DecisionPresented", "PhaseEntered")]
        h.last_log = [f"{e.kind} '{_short(e.text)}'" for e in told[-3:]]
        outcome = game.outcome()
        if outcome is not None:
            h.ending = outcome.ending
            h.terms = dict(outcome.terms)
            h.signed_on = outcome.signed_on.isoformat() if outcome.signed_on else None


def explore(scenario: LoadedScenario | Rules, bounds: Bounds | None = None,
            progress: Progress | None = None) -> Exploration:
    """Play a scenario every way the bounds allow and return what was reached (``progress``: see Progress)."""
    rules = scenario if isinstance(scenario, Rules) else rules_for(scenario)
    ex = _Explorer(rules, bounds or Bounds(), progress)
    ex.historical_path()
    ex.report(1)
    ex.breadth_first()
    ex.policy_games()
    ex.random_games()
    ex.aimed_searches()
    return ex.found


# ---------------------------------------------------------------------- findings
def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bound_text(found: Exploration) -> str:
    if not found.capped and not found.errors:
        return (f"not reached in any of the {found.states} states reachable with seed {found.seed} (an exhaustive "
                f"search) nor in {found.playthroughs} playthroughs")
    return f"not reached within the bound: {found.states} states and {found.playthroughs} playthroughs"


def engine_issues(loaded: LoadedScenario, found: Exploration, static: set[tuple[str, tuple[Any, ...]]]) -> list[
        tuple[Issue, Trace | None]]:
    """Turn an exploration into lint issues, skipping what a static finding already says."""
    s = loaded.scenario
    at = Places.of(s)
    out: list[tuple[Issue, Trace | None]] = []
    said = {path for _, path in static}

    def add(code: str, path: tuple[Any, ...], message: str, hint: str = "", trace: Trace | None = None) -> None:
        out.append((Issue(code, path, message, hint), trace))

    for (dec, rnd), trace in sorted(found.stuck.items()):
        add("NEG201", at.decision(dec), f"decision '{dec}' (round {rnd}) can come up with no legal action "
            f"({trace.show()})", "give it a move or an option that is always possible", trace)
    for msg, (where_, trace) in sorted(found.errors.items(), key=lambda kv: kv[0]):
        path = at.decision(where_) if where_ else ("scenario",)
        add("NEG202", path, f"the engine failed: {msg} ({trace.show()})", "", trace)
    for trace in found.unended:
        add("NEG203", ("scenario", "end_date"), f"a game did not end within {len(trace.actions)} actions "
            f"({trace.show(8)})", "check for decisions that repeat without moving time on", trace)

    bound = _bound_text(found)

    def missed(kind: str, ident: str, what: str = "") -> str:
        """Why a target was missed: the broad search's bound, then the aimed search's verdict and closest approach."""
        verdict = found.verdicts.get((kind, ident))
        head = bound.replace("not reached", what) if what else bound
        return head if verdict is None else f"{head}; {verdict.text()}"

    for e in s.endings:
        path = ("endings", at.endings[e.id])
        if e.id not in found.endings and path + ("when",) not in said:
            add("NEG204", path, f"ending '{e.id}' was {missed('ending', e.id)}",
                "check its condition against what play produces")
    for ph in s.phases:
        path = ("phases", at.phases[ph.id])
        if ph.id not in found.phases and path not in said:
            add("NEG205", path, f"phase '{ph.id}' was {missed('phase', ph.id)}",
                "check the transitions that lead to it")
    unreached_phases = {p.id for p in s.phases if p.id not in found.phases}
    for d in s.decisions:
        path = at.decision(d.id)
        if d.id not in found.decisions and path + ("when",) not in said and d.phase not in unreached_phases:
            add("NEG206", path, f"decision '{d.id}' was {missed('decision', d.id)}",
                "check its 'when', and whether its article is always settled before it comes up")
        if d.id in found.decisions:
            for o in d.options:
                opath = at.option(d.id, o.id)
                if (d.id, o.id) not in found.options and opath + ("when",) not in said:
                    add("NEG207", opath, f"option '{o.id}' was never available at decision '{d.id}': "
                        f"{missed('option', f'{d.id}/{o.id}', 'its condition did not hold')}",
                        f"check its condition '{o.when}'")
    for a in s.articles:
        if a.historical not in found.rungs.get(a.id, set()):
            seen = ", ".join(sorted(found.rungs.get(a.id, set()))) or "none"
            add("NEG208", ("articles", at.articles[a.id], "historical"),
                f"historical rung '{a.historical}' of '{a.id}' was {bound} (final rungs seen: {seen})",
                "check the red line, the aspiration and the offers the decisions allow")
    for ev in s.events:
        path = ("events", at.events[ev.id])
        if ev.id not in found.events and path + ("when",) not in said and path + ("date",) not in said:
            verdict = found.verdicts.get(("event", ev.id))
            add("NEG209", path, f"event '{ev.id}' did not happen in any explored game"
                + (f"; {verdict.text()}" if verdict is not None else ""), "check its 'when' and date")
    out.extend(_historical_issues(loaded, found, at))
    return out


def _historical_issues(loaded: LoadedScenario, found: Exploration, at: Places) -> list[tuple[Issue, Trace | None]]:
    s = loaded.scenario
    h = found.historical
    out: list[tuple[Issue, Trace | None]] = []
    decisions = {d.id: d for d in s.decisions}
    for (dec, step, action, legal), why in zip(h.illegal, h.why, strict=True):
        d = decisions[dec]
        j = min(step, len(d.historical) - 1)
        out.append((Issue("NEG401", at.decision(dec, "historical", j),
                          f"historical action '{action}' (action {step + 1} at decision '{dec}') is not legal "
                          f"when the historical path reaches it: {why}",
                          f"legal there: {', '.join(legal) or 'nothing'}; see the arithmetic with "
                          f"'negotiation trace {loaded.path} --until {dec}'"),
                    h.trace))
    if h.error is not None:
        out.append((Issue("NEG202", ("history",), f"the engine failed on the historical path: {h.error} "
                          f"({h.trace.show()})"), h.trace))
        return out
    if h.ending != s.history.ending:
        got = f"ends in '{h.ending}'" if h.ending else "does not end"
        last = f"; the log ends with {', '.join(h.last_log)}" if h.last_log else ""
        out.append((Issue("NEG402", ("history", "ending"), f"the historical path {got}, not in '{s.history.ending}' "
                          f"({h.trace.show()}{last})", "check the historical actions and the conditions of the "
                          "endings"), h.trace))
        return out  # the terms and the date follow from the ending: saying they differ too would be noise
    for a in s.articles:
        term = h.terms.get(a.id)
        if term is not None and term != a.historical:
            out.append((Issue("NEG403", ("articles", at.articles[a.id], "historical"),
                              f"the historical path leaves '{a.id}' at '{term}', not at its historical rung "
                              f"'{a.historical}'", "check the historical actions on this article"), h.trace))
    want = s.history.signed_on.isoformat() if s.history.signed_on else None
    if h.ending is not None and h.signed_on != want and (h.signed_on or want):
        got_text = f"signs on {h.signed_on}" if h.signed_on else "signs nothing"
        out.append((Issue("NEG404", ("history", "signed_on"), f"the historical path {got_text}; history says "
                          f"{want or 'no treaty'}", "check the decisions' dates and 'days' effects"), h.trace))
    for d in s.decisions:
        n, listed = h.taken.get(d.id, 0), len(d.historical)
        if n and listed > n:
            out.append((Issue("NEG408", at.decision(d.id, "historical", n),
                              f"the historical path plays {n} action{'s' if n != 1 else ''} at decision '{d.id}'; "
                              f"the rest of its historical list is never played",
                              "the decision ended sooner than history says: check the counterpart's answers there"),
                        h.trace))
        elif n > listed and listed:
            out.append((Issue("NEG407", at.decision(d.id, "historical"),
                              f"the historical path plays {n} actions at decision '{d.id}' but its historical list "
                              f"has {listed}: '{d.historical[-1]}' is repeated",
                              "write every action out, one per step"), h.trace))
    for dec in h.off_path:
        out.append((Issue("NEG409", at.decision(dec, "off_path"), f"decision '{dec}' is marked off_path but comes up "
                          "on the historical path", "give it the historical actions, or change what leads to it"),
                    h.trace))
    on_path = set(h.presented)
    for d in s.decisions:
        if d.id not in on_path and d.id in found.decisions and not d.off_path:
            out.append((Issue("NEG405", at.decision(d.id), f"decision '{d.id}' is not presented on the historical "
                              "path", ""), None))
    return out


def coverage(loaded: LoadedScenario, found: Exploration) -> dict[str, Any]:
    """A summary of what exploration reached, for reports."""
    s = loaded.scenario
    return {
        "states": found.states,
        "playthroughs": found.playthroughs,
        "actions": found.actions,
        "capped": found.capped,
        "endings": len(s.endings),
        "endings_reached": sum(1 for e in s.endings if e.id in found.endings),
        "ending_counts": dict(sorted(found.endings.items())),
        "decisions": len(s.decisions),
        "decisions_presented": sum(1 for d in s.decisions if d.id in found.decisions),
        "options": sum(len(d.options) for d in s.decisions),
        "options_available": len(found.options),
        "historical_path": {"ending": found.historical.ending, "signed_on": found.historical.signed_on,
                            "actions": list(found.historical.trace.actions)},
    }


def lint_loaded(loaded: LoadedScenario, marks: Marks, result: LintResult, bounds: Bounds | None = None,
                progress: Progress | None = None) -> LintResult:
    """Add to a static lint result what exploring the game finds."""
    static = {(i.code, i.path) for i in static_issues(loaded.scenario)}
    found = explore(loaded, bounds, progress)
    extra: list[Finding] = []
    for issue, trace in engine_issues(loaded, found, static):
        finding = locate([issue], result.file, marks)[0]
        if trace is not None:
            finding = replace(finding, seed=trace.seed, actions=trace.actions)
        extra.append(finding)
    return LintResult(result.file, sort_findings([*result.findings, *extra]), coverage(loaded, found))


def lint_file(path: str | Path, bounds: Bounds | None = None, play: bool = True,
              progress: Progress | None = None) -> LintResult:
    """Lint a scenario file: validation, static checks and (with ``play``) exploration of the game.

    A playthrough-test file (``*.tests.yaml``) is checked too, without running: its format and the
    names it uses.
    """
    name = str(path)
    if name.endswith(".tests.yaml"):
        return lint_tests_file(path)
    try:
        text = read_text(path)
    except ScenarioError as exc:
        return LintResult(name, from_diagnostics(exc.diagnostics))
    result, loaded, marks = lint_text(text, name)
    if loaded is None or not play:
        return result
    return lint_loaded(loaded, marks, result, bounds, progress)


__all__ = ["Bounds", "Exploration", "Progress", "Trace", "coverage", "engine_issues", "explore", "lint_file",
           "lint_loaded", "state_key"]
