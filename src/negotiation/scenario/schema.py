"""The JSON Schema of the scenario format, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from negotiation.scenario.models import Scenario

SCHEMA_ID = "https://negotiation.invalid/schemas/scenario.schema.json"


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a scenario file."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "negotiation scenario"
    return schema


def schema_text() -> str:
    """The schema as stable, pretty JSON text."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
