"""Helpers shared by the scenarios' tests: the historical path up to a decision, the kinds of events."""

from __future__ import annotations

from negotiation import Game, LoadedScenario
from negotiation.engine.events import GameEvent


def historical_until(scenario: LoadedScenario, decision: str, seed: int = 0) -> Game:
    """Play the historical path up to (not including) ``decision``."""
    game = Game(scenario, seed)
    while not game.is_over() and game.state.decision != decision:
        game.apply(game.historical_action() or "")
    assert game.state.decision == decision, f"{decision} not reached on the historical path"
    return game


def kinds(events: list[GameEvent]) -> list[str]:
    return [e.kind for e in events]
