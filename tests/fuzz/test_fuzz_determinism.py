"""Determinism: the same seed gives the same bytes; undo then redo, and save, load, continue, change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_harness import budget, tally
from hypothesis import given
from hypothesis import strategies as st

from negotiation import Game, LoadedScenario, load_file, persist
from negotiation.resources import scenario_path
from negotiation.sim import report_bytes, simulate

FIXTURES = Path(__file__).parents[1] / "fixtures"
SCENARIOS: dict[str, LoadedScenario] = {"mini": load_file(FIXTURES / "mini.yaml"),
                                        "tutorial": load_file(scenario_path("tutorial")),
                                        "moscow1945": load_file(scenario_path("moscow1945"))}
POLICIES = ("random", "historical", "greedy", "accept", "refuse")


def pick(game: Game, choices: list[int]) -> int:
    """The index of the move to play: the fuzzer's choice, by position in the legal moves."""
    return choices[len(game.actions) % len(choices)] % len(game.legal_actions())


def play(game: Game, choices: list[int], steps: int) -> Game:
    for _ in range(steps):
        if game.is_over():
            break
        game.apply(game.legal_actions()[pick(game, choices)])
    return game


GAMES = st.tuples(st.sampled_from(sorted(SCENARIOS)), st.integers(-(2**40), 2**40),
                  st.lists(st.integers(0, 20), min_size=1, max_size=12))


@budget(25)
@given(name=st.sampled_from(sorted(SCENARIOS)), policy=st.sampled_from(POLICIES), seed=st.integers(0, 10**6))
def test_the_same_seed_gives_the_same_report_bytes(name: str, policy: str, seed: int) -> None:
    first = report_bytes(simulate(SCENARIOS[name], policy, 2, seed))
    assert report_bytes(simulate(SCENARIOS[name], policy, 2, seed)) == first
    tally("determinism: same seed, same report bytes", "held")


@budget(100)
@given(game=GAMES, steps=st.integers(0, 40), back=st.integers(0, 40))
def test_undo_then_redo_gives_the_same_bytes(game: tuple[str, int, list[int]], steps: int, back: int) -> None:
    name, seed, choices = game
    g = play(Game(SCENARIOS[name], seed=seed), choices, steps)
    before = persist.dumps(g)
    taken = list(g.actions)
    back = min(back, len(taken))
    g.undo(back)
    for action in taken[len(taken) - back:]:
        g.apply(action)
    assert persist.dumps(g) == before
    tally("determinism: undo then redo", "held")


@budget(100)
@given(game=GAMES, first=st.integers(0, 30), then=st.integers(0, 30), replay_file=st.booleans())
def test_save_load_and_continue_is_the_same_game(game: tuple[str, int, list[int]], first: int, then: int,
                                                 replay_file: bool, tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    name, seed, choices = game
    straight = play(Game(SCENARIOS[name], seed=seed), choices, first + then)
    saved = play(Game(SCENARIOS[name], seed=seed), choices, first)
    path = tmp_path_factory.mktemp("det") / "slot.json"
    persist.write_atomic(path, persist.dumps(saved, snapshot=not replay_file))
    loaded = play(persist.load(path, SCENARIOS[name]), choices, then)
    assert persist.dumps(loaded) == persist.dumps(straight)
    tally("determinism: save, load, continue", "held")
