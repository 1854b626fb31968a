"""Engine speed against a bare `transitions` trigger measured in the same run.

Goals (issue: headless engine): one decision (legal actions + apply + the counterpart's answer)
costs at most 3 bare triggers; a whole game at most 150; loading and validating the 1945 scenario
at most 150 ms. Run: `make bench` (or `python benchmarks/bench_engine.py [SCENARIO] [--games N]
[--rounds R]`: R rounds of the same N games, each alternating with the trigger's measurement).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from transitions import Machine

from negotiation import Game, load_file
from negotiation.engine.rules import Rules
from negotiation.resources import scenario_path


def bare_trigger_seconds(n: int = 20_000, repeat: int = 5) -> float:
    """Seconds per trigger of a two-state machine with one condition and no callbacks (best of ``repeat``)."""

    class Model:
        pass

    model = Model()
    machine = Machine(model=model, states=["a", "b"], initial="a", auto_transitions=False, queued=True)
    machine.add_transition("go", "a", "b", conditions=[lambda: True])
    machine.add_transition("go", "b", "a", conditions=[lambda: True])
    trigger = model.go  # type: ignore[attr-defined]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            trigger()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def play_random(rules: Rules, seed: int) -> int:
    game = Game(rules, seed)
    rng = random.Random(seed)
    steps = 0
    while not game.is_over():
        legal = game.legal_actions()
        game.apply(legal[rng.randrange(len(legal))])
        steps += 1
    return steps


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario", nargs="?", default="moscow1945")
    p.add_argument("--games", type=int, default=400, help="games per round (the same seeds each round)")
    p.add_argument("--rounds", type=int, default=10)
    args = p.parse_args()
    path = scenario_path(args.scenario)

    loads = []
    for _ in range(15):
        t0 = time.perf_counter()
        loaded = load_file(path)
        loads.append(time.perf_counter() - t0)
    load_ms = statistics.median(loads) * 1000
    t0 = time.perf_counter()
    rules = Rules(loaded)
    compile_ms = (time.perf_counter() - t0) * 1000

    for seed in range(50):  # warm up
        play_random(rules, seed)
    # The machine's speed drifts (this VM's by ±15% within minutes, and not alike for every kind of
    # work). Each round measures the games and, right before them, the bare trigger for about as long,
    # so that each round's ratio compares like with like; the rounds' median ratio is the figure. The
    # best of each measure over the rounds is printed too.
    per_round = max(1, args.games)
    seeds = range(per_round)  # the same games every round: the same work in every round
    decisions = sum(play_random(rules, seed) for seed in seeds) / per_round
    t0 = time.perf_counter()
    sum(play_random(rules, seed) for seed in seeds)
    n_trig = max(1000, int((time.perf_counter() - t0) / bare_trigger_seconds(2000, 1)))
    trigs, games, news, ratios, game_ratios = [], [], [], [], []
    for _ in range(max(1, args.rounds)):
        trig = bare_trigger_seconds(n_trig, 1)
        t0 = time.perf_counter()
        for seed in seeds:
            Game(rules, seed)
            random.Random(seed)  # the random policy's own generator: a per-game cost, not the engine's decisions
        new = (time.perf_counter() - t0) / per_round
        t0 = time.perf_counter()
        for seed in seeds:
            play_random(rules, seed)
        game = (time.perf_counter() - t0) / per_round
        trigs.append(trig)
        games.append(game)
        news.append(new)
        ratios.append((game - new) / decisions / trig)
        game_ratios.append(game / trig)
    trig, per_game, per_new = min(trigs), min(games), min(news)
    per_decision = (per_game - per_new) / decisions
    ratio = statistics.median(ratios)

    print(f"scenario: {path}")
    print(f"python {sys.version.split()[0]}")
    print(f"bare transitions trigger:   {trig * 1e6:8.2f} µs (best round; {n_trig:,} triggers a round)")
    print(f"load + validate scenario:   {load_ms:8.2f} ms   (goal <= 150 ms)")
    print(f"compile rules (once):       {compile_ms:8.2f} ms")
    rate = 1 / per_game
    print(f"random playthroughs:        {rate:8.0f} games/s, {decisions:.1f} decisions/game")
    print(f"starting a game (+ policy): {per_new * 1e6:8.2f} µs")
    print(f"one decision:               {per_decision * 1e6:8.2f} µs = {ratio:5.2f} bare triggers"
          f"   (goal <= 3; rounds {min(ratios):.2f}-{max(ratios):.2f}, best/best {per_decision / trig:.2f})")
    print(f"one whole game:             {per_game * 1e3:8.3f} ms = {statistics.median(game_ratios):6.1f} bare triggers"
          "   (goal <= 150)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
