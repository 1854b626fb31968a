"""negotiation: an engine for historical diplomatic negotiations, and Moscow, Summer 1945."""

from negotiation.engine import Action, Game, GameEvent, GameState, Outcome
from negotiation.errors import (
    GameOverError,
    IllegalActionError,
    InvalidActionError,
    NegotiationError,
    SaveError,
    ScenarioError,
)
from negotiation.scenario import LoadedScenario, Scenario, load_file, load_text

__version__ = "0.1.0"  # the one place the version is written: the build and `negotiation --version` read it

__all__ = [
    "Action", "Game", "GameEvent", "GameOverError", "GameState", "IllegalActionError", "InvalidActionError",
    "LoadedScenario", "NegotiationError", "Outcome", "SaveError", "Scenario", "ScenarioError", "load_file",
    "load_text",
]
