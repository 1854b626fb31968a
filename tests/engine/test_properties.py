"""Property tests: random legal play never raises and always ends; saves round-trip; same seed, same bytes."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation import Game, LoadedScenario, load_text, persist
from negotiation.engine.events import Kind
from negotiation.sim import MAX_STEPS

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def random_game(scenario: LoadedScenario, seed: int, choices: int, stop: int | None = None) -> Game:
    game = Game(scenario, seed)
    rng = random.Random(choices)
    for _ in range(MAX_STEPS if stop is None else stop):
        if game.is_over():
            break
        legal = game.legal_actions()
        assert legal, f"no legal action at {game.state.decision!r} but the game is not over"
        game.apply(legal[rng.randrange(len(legal))])
    return game


def check_random_play_ends(scenario: LoadedScenario, seed: int, choices: int) -> None:
    game = random_game(scenario, seed, choices)
    assert game.is_over()
    outcome = game.outcome()
    assert outcome is not None
    assert set(outcome.terms) == set(game.rules.articles)
    for var in game.rules.scenario.variables:
        assert var.min <= game.state.variables[var.id] <= var.max


def check_save_load_identity(scenario: LoadedScenario, seed: int, choices: int, stop: int) -> None:
    game = random_game(scenario, seed, choices, stop)
    data = persist.dumps(game)
    back = persist.restore(persist.parse(data), scenario)
    assert persist.dumps(back) == data
    assert back.legal_actions() == game.legal_actions()


def check_same_seed_same_bytes(scenario: LoadedScenario, seed: int, choices: int) -> None:
    assert persist.dumps(random_game(scenario, seed, choices)) == persist.dumps(random_game(scenario, seed, choices))


def check_undo_restores(scenario: LoadedScenario, seed: int, choices: int, stop: int) -> None:
    game = random_game(scenario, seed, choices, stop)
    before = game.state.to_dict()
    if game.is_over():
        return
    game.apply(game.legal_actions()[0])
    game.undo()
    assert game.state.to_dict() == before


def check_sessions_open_at_standing_demands(scenario: LoadedScenario, seed: int, choices: int) -> None:
    """When a session opens, every open article's demand is its standing one: what he conceded before lapsed."""
    game = Game(scenario, seed)
    rng = random.Random(choices)
    while not game.is_over():
        legal = game.legal_actions()
        events = game.apply(legal[rng.randrange(len(legal))])
        if not game.is_over() and any(e.kind == Kind.SESSION_OPENED for e in events):
            lapsed = {k: (a.demand, a.standing) for k, a in game.state.articles.items()
                      if a.settled < 0 and a.demand != a.standing}
            assert not lapsed, f"a new session opened with concessions of the last one on the table: {lapsed}"


seeds = st.integers(min_value=0, max_value=2**63)
stops = st.integers(min_value=0, max_value=40)


@SETTINGS
@given(seed=seeds, choices=seeds)
def test_mini_random_play_ends(mini: LoadedScenario, seed: int, choices: int) -> None:
    check_random_play_ends(mini, seed, choices)


@SETTINGS
@given(seed=seeds, choices=seeds, stop=stops)
def test_mini_save_load_identity(mini: LoadedScenario, seed: int, choices: int, stop: int) -> None:
    check_save_load_identity(mini, seed, choices, stop)


@SETTINGS
@given(seed=seeds, choices=seeds)
def test_moscow_random_play_ends(moscow: LoadedScenario, seed: int, choices: int) -> None:
    check_random_play_ends(moscow, seed, choices)


@SETTINGS
@given(seed=seeds, choices=seeds, stop=stops)
def test_moscow_save_load_identity(moscow: LoadedScenario, seed: int, choices: int, stop: int) -> None:
    check_save_load_identity(moscow, seed, choices, stop)


@SETTINGS
@given(seed=seeds, choices=seeds)
def test_moscow_same_seed_same_bytes(moscow: LoadedScenario, seed: int, choices: int) -> None:
    check_same_seed_same_bytes(moscow, seed, choices)


@SETTINGS
@given(seed=seeds, choices=seeds, stop=stops)
def test_moscow_undo_restores(moscow: LoadedScenario, seed: int, choices: int, stop: int) -> None:
    check_undo_restores(moscow, seed, choices, stop)


@SETTINGS
@given(seed=seeds, choices=seeds)
def test_mini_sessions_open_at_standing_demands(mini: LoadedScenario, seed: int, choices: int) -> None:
    check_sessions_open_at_standing_demands(mini, seed, choices)


@SETTINGS
@given(seed=seeds, choices=seeds)
def test_moscow_sessions_open_at_standing_demands(moscow: LoadedScenario, seed: int, choices: int) -> None:
    check_sessions_open_at_standing_demands(moscow, seed, choices)


WATCHED = ["asks.mandate >= 1", "asks.ally >= 1", "days >= 12", "date >= 1945-07-16", "phase.wrapup",
           "port.demand <= 1", "port.mandate >= 1", "port.offer == 0", "port.position == port.shared",
           "port.settled and us_support > 0", "signed and patience < 40"]


@pytest.mark.parametrize("when", WATCHED)
def test_an_ending_is_reached_as_soon_as_its_condition_holds(mini_text: str, when: str) -> None:
    """Endings are re-tested only when what they read changes: whatever they read, none is ever missed."""
    text = mini_text.replace("endings:\n", f'endings:\n  - {{id: watched, title: Watched, when: "{when}"}}\n', 1)
    scenario = load_text(text, "watched.yaml")
    rules = Game(scenario).rules
    due = rules.compile(when)
    reached = 0
    for seed in range(60):
        game = Game(scenario, seed)
        rng = random.Random(seed)
        while not game.is_over():
            assert not due(game.state), f"'{when}' holds but the game goes on (seed {seed}, turn {game.state.turn})"
            legal = game.legal_actions()
            game.apply(legal[rng.randrange(len(legal))])
        reached += game.state.ending == "watched"
    assert reached, f"no random game reached the ending '{when}': the test proves nothing"
