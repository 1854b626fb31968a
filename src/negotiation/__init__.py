"""negotiation: an engine for historical diplomatic negotiations, and Moscow, Summer 1945.

The names below are imported on first use (PEP 562), so that ``negotiation --version`` and other
light commands do not pay for the scenario models and the engine.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs a light command about 8 ms
if TYPE_CHECKING:
    from typing import Any

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

_WHERE = {
    "Action": "negotiation.engine", "Game": "negotiation.engine", "GameEvent": "negotiation.engine",
    "GameState": "negotiation.engine", "Outcome": "negotiation.engine",
    "GameOverError": "negotiation.errors", "IllegalActionError": "negotiation.errors",
    "InvalidActionError": "negotiation.errors", "NegotiationError": "negotiation.errors",
    "SaveError": "negotiation.errors", "ScenarioError": "negotiation.errors",
    "LoadedScenario": "negotiation.scenario", "Scenario": "negotiation.scenario",
    "load_file": "negotiation.scenario", "load_text": "negotiation.scenario",
}

__all__ = [
    "Action", "Game", "GameEvent", "GameOverError", "GameState", "IllegalActionError", "InvalidActionError",
    "LoadedScenario", "NegotiationError", "Outcome", "SaveError", "Scenario", "ScenarioError", "load_file",
    "load_text",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'negotiation' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
