"""The engine: game state, rules compiled from a scenario, the phase machine, the Game facade."""

from negotiation.engine.actions import Action
from negotiation.engine.game import Game, Outcome
from negotiation.engine.state import GameEvent, GameState

__all__ = ["Action", "Game", "GameEvent", "GameState", "Outcome"]
