"""The format of a strategy script, the file the ``scripted`` policy plays (``negotiation simulate --script``).

The model describes the file for its JSON Schema (``schemas/script.schema.json``) and the reference; the
policy that reads it is ``negotiation.actors.policies.ScriptedPolicy``, and a test keeps the two in step.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field, TypeAdapter

from negotiation.scenario.models import FrozenDict, Id, Model

ActionText = Annotated[str, Field(min_length=1, description="An action as the game names it: accept, hold, "
                                  "counter:<position>, option:<option id>, sign, ..., or 'historical' for what "
                                  "the real delegation did there.")]

Fallback = Literal["historical", "random", "greedy", "accept", "refuse", "ask", "best", "walkout"]
FALLBACKS: tuple[str, ...] = get_args(Fallback)
"""The policies a script may fall back on: every policy but ``scripted`` itself (a test compares them)."""


class StrategyScript(Model):
    """A strategy script: actions in order, and/or actions by decision, then a fallback policy."""

    scenario: Id | None = Field(None, description="The scenario the script is written for: the commands that "
                                "play it refuse it on another.")
    actions: tuple[ActionText, ...] = Field(
        default_factory=tuple, description="Actions taken in turn at the decisions that 'decisions' does not name, "
        "before the fallback takes over.")
    decisions: FrozenDict[Id, ActionText | tuple[ActionText, ...]] = Field(
        default_factory=dict, description="Decision id -> the action taken there; or a list, one action each time "
        "the decision comes back (the last one repeats).")
    fallback: Fallback = Field("historical", description="The policy that plays where the script says nothing.")


def script_json_schema() -> dict[str, Any]:
    """The JSON Schema of a script file: a mapping (StrategyScript) or a bare list of actions."""
    return TypeAdapter(StrategyScript | tuple[ActionText, ...]).json_schema(mode="validation")


__all__ = ["FALLBACKS", "ActionText", "Fallback", "StrategyScript", "script_json_schema"]
