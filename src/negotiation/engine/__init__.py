"""The engine: game state, rules compiled from a scenario, the protocol machines, the Game facade."""

from negotiation.engine.actions import Action, MoveKind
from negotiation.engine.events import GameEvent, Kind
from negotiation.engine.game import UNSIGNED, Game, Outcome
from negotiation.engine.moves import MoveInfo
from negotiation.engine.state import GameState

__all__ = ["UNSIGNED", "Action", "Game", "GameEvent", "GameState", "Kind", "MoveInfo", "MoveKind", "Outcome"]
