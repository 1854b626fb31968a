"""What a scenario's score means: the best line a search finds, simple strategies, pivotal decisions.

``analyze`` plays a scenario many ways, all deterministic for a seed:

* **the historical path**, for reference (its interest is 0 by construction when the scenario is sound);
* **simple strategies**, each over several seeds: always accept, always hold, always ask, always
  propose the best rung, always walk out, greedy, random, and "history, but propose signing at the
  first chance from each session on";
* **the best line** a beam search finds (width W: at each step every legal move of the W most
  promising games is tried; games are ranked by the player's value of the terms on the table, and
  finished games by their interest score), with the decisions where it leaves history, and how
  much of its value it keeps when replayed on other seeds;
* **pivotal decisions**: single changes to the historical line (one different move, then history)
  and what they do to the outcome; and whether any better-than-history concession the counterpart
  accepts, followed by history, ends without a treaty;
* **the reach of every article and ending**: the best and worst rung each article ends at in a
  signed treaty across everything played (and a small search per article for its best), and which
  endings are reached by what.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from negotiation.actors.policies import Policy, SignFromPolicy, make_policy
from negotiation.engine import counterparts as cp
from negotiation.engine.actions import Action
from negotiation.engine.game import UNSIGNED, Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.scenario.loader import LoadedScenario
from negotiation.scoring import interest, score_card

MAX_STEPS = 2000
PILOTED = 4  # of the children of a beam step, the best PILOTED * width (by the cheap score) are piloted
Progress = Callable[[str], None]


@dataclass
class Run:
    """One finished game: how it ended and its scores."""

    seed: int
    ending: str
    signed_on: str | None
    interest: float
    fidelity: float
    terms: dict[str, str]
    actions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "ending": self.ending, "signed_on": self.signed_on,
                "interest": round(self.interest, 6), "fidelity": round(self.fidelity, 6)}


@dataclass
class Strategy:
    """A simple strategy over several seeds."""

    name: str
    description: str
    runs: list[Run]

    @property
    def interests(self) -> list[float]:
        return [r.interest for r in self.runs]

    def to_dict(self) -> dict[str, Any]:
        xs = self.interests
        endings: dict[str, int] = {}
        for r in self.runs:
            endings[r.ending] = endings.get(r.ending, 0) + 1
        return {"name": self.name, "description": self.description, "seeds": len(xs),
                "interest_min": round(min(xs), 6), "interest_median": round(statistics.median(xs), 6),
                "interest_max": round(max(xs), 6), "endings": dict(sorted(endings.items()))}


@dataclass
class Deviation:
    """A decision where a line leaves history."""

    decision: str
    phase: str
    date: str
    historical: str
    chosen: tuple[str, ...]


@dataclass
class BestLine:
    """The best line a search found, where it leaves history, and how it holds over seeds."""

    width: int
    seed: int
    run: Run
    actions: list[tuple[str, str]]
    deviations: list[Deviation]
    seeds: int = 0
    seeds_mean: float = 0.0
    seeds_min: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"width": self.width, "seed": self.seed, **self.run.to_dict(),
                "actions": [f"{d} {a}" for d, a in self.actions],
                "deviations": [{"decision": d.decision, "phase": d.phase, "date": d.date,
                                "historical": d.historical, "chosen": list(d.chosen)} for d in self.deviations],
                "phases": sorted({d.phase for d in self.deviations}),
                "over_seeds": {"seeds": self.seeds, "interest_mean": round(self.seeds_mean, 6),
                               "interest_min": round(self.seeds_min, 6)}}


@dataclass
class Pivot:
    """One change to the historical line and what it does."""

    step: int
    decision: str
    historical: str
    alternative: str
    ending: str
    interest: float
    accepted_gain: bool  # the change was a counter-offer better than history that he accepted
    terms: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "decision": self.decision, "historical": self.historical,
                "alternative": self.alternative, "ending": self.ending, "interest": round(self.interest, 6),
                "accepted_gain": self.accepted_gain}


@dataclass
class Reach:
    """How far an article can end from history: best and worst rung seen in a signed treaty."""

    article: str
    historical: str
    best: str | None = None
    best_value: float | None = None
    worst: str | None = None
    worst_value: float | None = None
    historical_value: float = 0.0

    @property
    def better(self) -> bool:
        return self.best_value is not None and self.best_value > self.historical_value

    @property
    def worse(self) -> bool:
        return self.worst_value is not None and self.worst_value < self.historical_value

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article, "historical": self.historical, "best": self.best, "worst": self.worst,
                "better_than_history": self.better, "worse_than_history": self.worse}


@dataclass
class Analysis:
    """Everything ``analyze`` found."""

    scenario: str
    history: Run
    strategies: list[Strategy]
    best: BestLine
    pivots: list[Pivot]
    reach: list[Reach]
    endings: dict[str, list[str]]
    random_median: float
    signed_before: str | None = None  # the earliest signature seen anywhere
    unsafe_gains: list[Pivot] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "history": self.history.to_dict(),
            "strategies": [s.to_dict() for s in self.strategies],
            "best_line": self.best.to_dict(),
            "pivots": [p.to_dict() for p in self.pivots],
            "unsafe_gains": [p.to_dict() for p in self.unsafe_gains],
            "reach": [r.to_dict() for r in self.reach],
            "endings": {k: v for k, v in sorted(self.endings.items())},
            "random_median": round(self.random_median, 6),
            "earliest_signature": self.signed_before,
        }


# ---------------------------------------------------------------------- playing
def value(game: Game) -> float:
    """The interest score of a finished game (fast)."""
    outcome = game.outcome()
    assert outcome is not None
    return interest(game.rules, outcome)


def finish(game: Game) -> Run:
    """Score a finished game."""
    card = score_card(game)
    outcome = game.outcome()
    assert outcome is not None
    return Run(game.seed, card.ending, card.signed_on.isoformat() if card.signed_on else None, card.interest,
               card.fidelity, dict(outcome.terms), tuple(game.actions))


def play_policy(rules: Rules, policy: Policy, seed: int) -> Run:
    """Play one game with a policy."""
    game = Game(rules, seed)
    for _ in range(MAX_STEPS):
        if game.is_over():
            break
        game.apply(policy.choose(game))
    return finish(game)


def historical_continue(game: Game) -> Game:
    """Play history from here to the end (the first legal move where history is not legal)."""
    for _ in range(MAX_STEPS):
        if game.is_over():
            break
        legal = game.legal_actions()
        hist = game.historical_action()
        game.apply(next((a for a in legal if a.id == hist), legal[0]))
    return game


def provisional(game: Game) -> float:
    """The player's weighted value of the terms as they stand, for ranking unfinished games.

    A finished game counts at its interest score (on the same scale, relative to history);
    an unfinished one at the terms within reach now: agreed articles in full, open ones at the
    best rung the counterpart would accept now (what a good offer could still win), plus a
    little for the counterpart's patience and the principal's confidence left (a game that has
    spent them has fewer ways on).
    """
    r = game.rules
    if game.is_over():
        return score_card(game).interest
    num = den = 0.0
    for art_id, art in r.articles.items():
        a = game.state.articles[art_id]
        if a.settled >= 0:
            value = art.player_value[a.settled]
        else:  # halfway between the demand and the best he would take now
            reach = min(a.demand, cp.best_acceptable(r, game.state, art))
            value = (art.player_value[a.demand] + art.player_value[reach]) / 2
        num += art.model.weight * (value - art.player_value[art.historical])
        den += art.model.weight
    value = num / den if den else 0.0
    v = game.state.variables
    for role in (r.counterpart.patience if r.counterpart else None, r.principal.confidence if r.principal else None,
                 r.ally.support if r.ally else None):
        if role is not None and role in v:
            value += 0.02 * v[role]
    return value


def state_key(game: Game) -> Hashable:
    """What makes two games the same for what is still to play (log and turn aside)."""
    st = game.state
    return (st.phase, st.date, st.decision, st.round, st.step, tuple(st.variables.values()),
            tuple((a.demand, a.standing, a.mandate, a.settled, a.softening) for a in st.articles.values()),
            tuple(sorted(st.cursor.items())), st.event_cursor, tuple(sorted(st.asks.items())), st.signed_on,
            st.ending, st.rng, tuple(st.pending), st.protocol)


def rollout_value(game: Game, final: Callable[[Game], float] | None = None) -> float:
    """A pilot's estimate of a state: history, played by someone who knows the counterpart's mind.

    From here, at each article on the table the pilot offers the best rung he would accept now
    when that beats his demand, and otherwise does what history did; wherever a signature may
    be proposed, signing (and signing again if he re-tables his terms) is tried on a copy. The
    best interest score of all those ends is the estimate.
    """
    game = game.clone()
    best = float("-inf")
    r = game.rules
    tried: tuple[int, tuple[int, ...]] | None = None
    for _ in range(MAX_STEPS):
        if game.is_over():
            break
        legal = game.legal_actions()
        d = game.decision()
        art_id = d.model.article if d is not None else None
        if art_id is not None and game.state.articles[art_id].settled < 0:
            art = r.articles[art_id]
            a = game.state.articles[art_id]
            reach = cp.best_acceptable(r, game.state, art)
            if reach < a.demand:  # he would take better than his demand now: offer exactly that
                offer = r.counter_actions[art_id][reach]
                if offer in legal:
                    game.apply(offer)
                    continue
        sign = next((a for a in legal if a.kind == "sign"), None)
        if sign is not None:
            table = (game.state.date, tuple(game.terms_on_table().values()))
            if table != tried:  # the same terms on the same day sign the same way
                tried = table
                trial = game.clone()
                for _ in range(3):
                    trial.apply(sign)
                    if trial.is_over() or sign not in trial.legal_actions():
                        break
                if trial.is_over() and trial.rules.ending_by_id[trial.state.ending or ""].signed:
                    best = max(best, (final or value)(trial))
        hist = game.historical_action()
        game.apply(next((a for a in legal if a.id == hist), legal[0]))
    return max(best, (final or value)(game))


def coarse_key(game: Game) -> Hashable:
    """A state with its meters rounded to 5 points: games this close are worth the same to the pilot.

    Only meters are rounded; counters and flags are kept exact.
    """
    st = game.state
    meters = game.rules.visible
    return (st.phase, st.date, st.decision, st.round, st.step,
            tuple(round(v / 5) if k in meters else v for k, v in st.variables.items()),
            tuple((a.demand, a.standing, a.mandate, a.settled, round(a.softening)) for a in st.articles.values()),
            st.event_cursor, tuple(sorted(st.asks.items())), tuple(st.pending), st.protocol,
            tuple(sorted(st.cursor.items())))


def beam_search(rules: Rules, seed: int, width: int, score: Callable[[Game], float] = provisional,
                final: Callable[[Game], float] | None = None, keep: int = 1,
                pilot: Callable[[Game], float] | None = None) -> list[Game]:
    """The best finished games a beam search of ``width`` finds (deterministic), best first.

    At each step every legal move of the ``width`` most promising games is tried; equal states
    are merged. Games are ranked by ``score``; with a ``pilot``, the best ``1.5 * width`` of them
    by ``score`` are ranked again by the pilot's estimate (e.g. :func:`rollout_value`), which
    sees what a move leads to later. A walkout is a gamble: a line is ranked at its value
    times the chance that its walkouts held, plus the chance that they did not times the value
    of broken talks, so that no line wins by the luck of one seed. Finished games are ranked by
    ``final`` (the interest score by default), discounted the same way; up to ``keep`` are returned.
    """
    final = final or value
    start = Game(rules, seed)
    broken = _broken_value(rules, seed)
    beam: list[tuple[Game, float]] = [(start, 1.0)]
    found: list[tuple[float, int, Game]] = []
    n = 0
    cache: dict[Hashable, float] = {}
    for _ in range(MAX_STEPS):
        children: list[tuple[float, int, Game, float]] = []
        seen: set[Hashable] = set()
        for game, odds in beam:
            for action in game.legal_actions():
                child_odds = odds
                if action.kind == "walkout":
                    child_odds *= 1.0 - game.walkout_chance(after_cost=True)
                child = game.clone()
                child.apply(action)
                n += 1
                if child.is_over():
                    got = final(child)
                    if got != float("-inf"):
                        got = child_odds * got + (1.0 - child_odds) * broken
                    found.append((got, n, child))
                    continue
                key = state_key(child)
                if key in seen:
                    continue
                seen.add(key)
                children.append((score(child), n, child, child_odds))
        if len(found) > 4 * keep:
            found.sort(key=lambda t: (-t[0], t[1]))
            del found[keep:]
        if not children:
            break
        children.sort(key=lambda t: (-t[0], t[1]))
        if pilot is not None:
            ranked = []
            for cheap, order, child, child_odds in children[: PILOTED * width]:
                key = coarse_key(child)
                est = cache.get(key)
                if est is None:
                    est = cache[key] = pilot(child)
                ranked.append((child_odds * est + (1.0 - child_odds) * broken + 0.01 * cheap, order, child,
                               child_odds))
            ranked.sort(key=lambda t: (-t[0], t[1]))
            children = ranked
        beam = [(g, o) for _, _, g, o in children[:width]]
    found.sort(key=lambda t: (-t[0], t[1]))
    assert found, "the search found no finished game"
    return [g for _, _, g in found[:keep]]


def _broken_value(rules: Rules, seed: int) -> float:
    """What a walkout that breaks the talks is worth: the worst interest among the failure endings."""
    worst = 0.0
    game = Game(rules, seed)
    for ending in rules.scenario.endings:
        if ending.signed:
            continue
        trial = game.clone()
        trial.end(ending.id, [])
        worst = min(worst, score_card(trial).interest)
    return worst


def best_line(rules: Rules, seed: int, width: int, candidates: int = 12, check_seeds: int = 10) -> Game:
    """The line a search of ``width`` finds best on average: its best finished games replayed on other seeds.

    A line that wins by a lucky walkout on one seed does not win on the next; ranking the
    search's best candidates by their mean over ``check_seeds`` seeds keeps the line that holds.
    """
    games = beam_search(rules, seed, width, keep=candidates, pilot=rollout_value)
    best: tuple[float, float, int] | None = None
    chosen = games[0]
    for i, game in enumerate(games):
        line = game.action_log
        values = [score_card(replay_line(rules, s, line)).interest for s in range(seed, seed + check_seeds)]
        key = (statistics.fmean(values), score_card(game).interest, -i)
        if best is None or key > best:
            best, chosen = key, game
    return chosen


def replay_line(rules: Rules, seed: int, line: list[tuple[str, str]]) -> Game:
    """Play a line found on one seed on another: its moves by decision, history where they do not apply."""
    by_decision: dict[str, list[str]] = {}
    for d, a in line:
        by_decision.setdefault(d, []).append(a)
    game = Game(rules, seed)
    taken: dict[str, int] = {}
    for _ in range(MAX_STEPS):
        if game.is_over():
            break
        legal = game.legal_actions()
        d = game.state.decision or ""
        wanted = by_decision.get(d, [])
        k = taken.get(d, 0)
        action: Action | None = None
        if k < len(wanted):
            action = next((a for a in legal if a.id == wanted[k]), None)
        taken[d] = k + 1
        if action is None:
            hist = game.historical_action()
            action = next((a for a in legal if a.id == hist), legal[0])
        game.apply(action)
    return game


def deviations(rules: Rules, line: list[tuple[str, str]]) -> list[Deviation]:
    """The decisions where a line's moves differ from the historical ones."""
    groups: list[tuple[str, list[str]]] = []
    for d, a in line:
        if groups and groups[-1][0] == d:
            groups[-1][1].append(a)
        else:
            groups.append((d, [a]))
    out = []
    for d, acts in groups:
        dec = rules.decisions[d]
        hist = [Action.parse(h).id for h in dec.model.historical]
        if acts != hist[: len(acts)] or len(acts) != len(hist):
            out.append(Deviation(d, dec.model.phase, dec.model.date.isoformat(), " ".join(hist), tuple(acts)))
    return out


# ---------------------------------------------------------------------- the analysis
def session_days(rules: Rules) -> list[int]:
    """The dates of the sessions at which a signature could be proposed."""
    days = sorted({d.model.date.toordinal() for d in rules.decisions.values()
                   if "sign" in d.moves and rules.phases[d.model.phase].allow_signing})
    return days


def strategies(rules: Rules, seeds: Iterable[int], progress: Progress | None = None) -> list[Strategy]:
    """The table of simple strategies."""
    seeds = list(seeds)
    out = []
    named = [
        ("accept", "always accept the demand on the table, and sign when offered"),
        ("refuse", "always hold firm; never accept or sign"),
        ("ask", "ask the principal and the ally whenever possible, otherwise history"),
        ("best", "always propose the best rung for the player, otherwise history"),
        ("walkout", "walk out whenever possible, otherwise history"),
        ("greedy", "the best immediate value, one step ahead"),
        ("historical", "what the real delegation did"),
    ]
    for name, text in named:
        if progress:
            progress(f"strategy {name}")
        out.append(Strategy(name, text, [play_policy(rules, make_policy(name, s), s) for s in seeds]))
    for day in session_days(rules):
        date = dt.date.fromordinal(day).isoformat()
        if progress:
            progress(f"strategy sign-from {date}")
        out.append(Strategy(f"sign-from {date}", f"history, but propose signing at the first chance from {date}",
                            [play_policy(rules, SignFromPolicy(s, day), s) for s in seeds]))
    return out


def pivots(rules: Rules, seed: int, progress: Progress | None = None) -> list[Pivot]:
    """Every single change to the historical line, followed by history."""
    game = Game(rules, seed)
    out: list[Pivot] = []
    step = 0
    while not game.is_over() and step < MAX_STEPS:
        legal = game.legal_actions()
        hist = game.historical_action()
        hist_action = next((a for a in legal if a.id == hist), legal[0])
        d = game.state.decision or ""
        dec = rules.decisions[d]
        for alt in legal:
            if alt == hist_action:
                continue
            trial = game.clone()
            events = trial.apply(alt)
            gain = False
            if alt.kind == "counter" and dec.model.article is not None:
                art = rules.articles[dec.model.article]
                rung = art.ids.index(alt.arg)
                gain = rung < art.historical and any(e.kind == "OfferAccepted" for e in events)
            run = finish(historical_continue(trial))
            out.append(Pivot(step, d, hist_action.id, alt.id, run.ending, run.interest, gain, run.terms))
        game.apply(hist_action)
        step += 1
    if progress:
        progress(f"pivots: {len(out)} single changes")
    return out


def analyze(scenario: LoadedScenario | Rules, width: int = 100, seeds: int = 10, seed: int = 0,
            hold_seeds: int = 100, random_games: int = 200, article_width: int = 20,
            progress: Progress | None = None) -> Analysis:
    """Analyse a scenario: see the module's docstring."""
    rules = scenario if isinstance(scenario, Rules) else rules_for(scenario)
    seed_range = range(seed, seed + seeds)
    history = finish(historical_continue(Game(rules, seed)))
    table = strategies(rules, seed_range, progress)
    if progress:
        progress(f"beam search, width {width}")
    best_game = best_line(rules, seed, width)
    line = best_game.action_log
    best = BestLine(width, seed, finish(best_game), line, deviations(rules, line))
    held = [finish(replay_line(rules, s, line)).interest for s in range(seed, seed + hold_seeds)]
    best.seeds, best.seeds_mean, best.seeds_min = len(held), statistics.fmean(held), min(held)
    piv = pivots(rules, seed, progress)
    rng = random.Random(seed)
    randoms = [play_policy(rules, make_policy("random", rng.randrange(1 << 30)), seed + i)
               for i in range(random_games)]
    runs: list[tuple[str, Run]] = [("history", history), ("best line", best.run)]
    runs += [(s.name, r) for s in table for r in s.runs]
    runs += [("random", r) for r in randoms]
    runs += [(f"pivot at {p.decision}", Run(seed, p.ending, None, p.interest, 0.0, p.terms)) for p in piv]
    reach = _reach(rules, runs, seed, article_width, progress)
    endings: dict[str, list[str]] = {}
    for who, r in runs:
        names = endings.setdefault(r.ending, [])
        if who not in names and len(names) < 6:
            names.append(who)
    signed = sorted(r.signed_on for _, r in runs if r.signed_on)
    unsafe = [p for p in piv if p.accepted_gain and not rules.ending_by_id[p.ending].signed]
    return Analysis(rules.scenario.scenario.id, history, table, best, piv, reach, endings,
                    statistics.median(r.interest for r in randoms) if randoms else 0.0,
                    signed[0] if signed else None, unsafe)


def _reach(rules: Rules, runs: list[tuple[str, Run]], seed: int, width: int,
           progress: Progress | None) -> list[Reach]:
    out = []
    for art_id, art in rules.articles.items():
        hv = art.player_value[art.historical]
        reach = Reach(art_id, art.ids[art.historical], historical_value=hv)
        for _, r in runs:
            _note(reach, art, r.terms.get(art_id), rules.ending_by_id[r.ending].signed)
        for direction in (1, -1):  # look for what was not seen: a search that values only this article
            if width <= 0 or (reach.better if direction > 0 else reach.worse):
                continue
            if progress:
                progress(f"searching the {'best' if direction > 0 else 'worst'} for {art_id}")
            final = _article_final(art_id, direction)

            def pilot(g: Game, f: Callable[[Game], float] = final) -> float:
                return rollout_value(g, f)

            found = beam_search(rules, seed, width, _article_score(art_id, direction), final, pilot=pilot)[0]
            outcome = found.outcome()
            assert outcome is not None
            _note(reach, art, outcome.terms.get(art_id), outcome.signed)
        out.append(reach)
    return out


def _note(reach: Reach, art: Any, term: str | None, signed: bool) -> None:
    if term is None or term == UNSIGNED or not signed:
        return
    v = art.player_value[art.ids.index(term)]
    if reach.best_value is None or v > reach.best_value:
        reach.best, reach.best_value = term, v
    if reach.worst_value is None or v < reach.worst_value:
        reach.worst, reach.worst_value = term, v


def _article_score(art_id: str, direction: int) -> Callable[[Game], float]:
    def score(game: Game) -> float:
        art = game.rules.articles[art_id]
        a = game.state.articles[art_id]
        if direction > 0:
            rung = a.settled if a.settled >= 0 else min(a.demand, cp.best_acceptable(game.rules, game.state, art))
        else:
            rung = a.settled if a.settled >= 0 else a.demand
        ally = game.rules.ally
        support = game.state.variables.get(ally.support, 0.0) if ally is not None and direction > 0 else 0.0
        return direction * art.player_value[rung] + 0.2 * support + 0.01 * provisional(game)
    return score


def _article_final(art_id: str, direction: int) -> Callable[[Game], float]:
    def final(game: Game) -> float:
        outcome = game.outcome()
        assert outcome is not None
        term = outcome.terms[art_id]
        if not outcome.signed or term == UNSIGNED:
            return float("-inf")
        art = game.rules.articles[art_id]
        return direction * art.player_value[art.ids.index(term)]
    return final


# ---------------------------------------------------------------------- text
def render_text(a: Analysis, rules: Rules) -> str:
    """The analysis as a report for people."""
    year = rules.scenario.history.signed_on.year if rules.scenario.history.signed_on else "history"
    out = [f"Analysis of {a.scenario} (interest: {year} = 0, above 0 better for the player)", ""]
    h = a.history
    out.append(f"History: {h.ending}, signed {h.signed_on or 'nothing'}, interest {h.interest:+.2f}, "
               f"fidelity {h.fidelity * 100:.1f}%")
    out.append("")
    out.append("Simple strategies (interest over seeds: min / median / max; endings)")
    width = max(len(s.name) for s in a.strategies)
    for s in a.strategies:
        d = s.to_dict()
        ends = ", ".join(f"{k} {v}" for k, v in d["endings"].items())
        out.append(f"  {s.name:<{width}}  {d['interest_min']:+7.2f} {d['interest_median']:+7.2f} "
                   f"{d['interest_max']:+7.2f}   {ends}")
    out.append(f"  {'random':<{width}}  median {a.random_median:+.2f}")
    b = a.best
    out.append("")
    dev: Deviation
    out.append(f"Best line (beam search, width {b.width}, seed {b.seed}): {b.run.ending}, signed "
               f"{b.run.signed_on or 'nothing'}, interest {b.run.interest:+.2f}")
    phases = sorted({d.phase for d in b.deviations})
    n, k = len(b.deviations), len(phases)
    out.append(f"  leaves history at {n} decision{'s' * (n != 1)} in {k} phase{'s' * (k != 1)} ({', '.join(phases)}):")
    for dev in b.deviations:
        out.append(f"    {dev.date} {dev.decision}: {' '.join(dev.chosen)}   (history: {dev.historical})")
    out.append(f"  replayed on {b.seeds} seeds: mean {b.seeds_mean:+.2f}, min {b.seeds_min:+.2f}")
    out.append("")
    ranked = sorted(a.pivots, key=lambda p: -abs(p.interest))
    changed = [p for p in ranked if p.ending != h.ending or abs(p.interest - h.interest) >= 0.5]
    out.append(f"Pivotal decisions: {len(changed)} of {len(a.pivots)} single changes to history move the outcome")
    for p in changed[:15]:
        out.append(f"  {p.decision}: {p.alternative} instead of {p.historical} -> {p.ending}, {p.interest:+.2f}")
    if a.unsafe_gains:
        out.append("  ! better-than-history concessions he accepts that end without a treaty:")
        for p in a.unsafe_gains:
            out.append(f"    {p.decision}: {p.alternative} -> {p.ending}")
    else:
        out.append("  every better-than-history concession he accepts, followed by history, ends in a treaty")
    out.append("")
    out.append("Reach of each article in a signed treaty (best / worst rung seen):")
    for r in a.reach:
        marks = ("better" if r.better else "never better") + ", " + ("worse" if r.worse else "never worse")
        out.append(f"  {r.article:<12} {r.best} / {r.worst}   ({year}: {r.historical}; {marks})")
    out.append("")
    out.append("Endings reached:")
    for e in rules.scenario.endings:
        who = a.endings.get(e.id)
        out.append(f"  {e.id:<20} {'by ' + ', '.join(who) if who else 'NOT REACHED'}")
    out.append(f"Earliest signature seen: {a.signed_before or 'none'}")
    return "\n".join(out) + "\n"


__all__ = ["Analysis", "BestLine", "Pivot", "Reach", "Run", "Strategy", "analyze", "beam_search", "best_line",
           "deviations",
           "finish", "historical_continue", "pivots", "play_policy", "provisional", "render_text", "replay_line",
           "strategies"]
