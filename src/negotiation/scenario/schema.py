"""The JSON Schemas of the scenario format and of playthrough-test files, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from negotiation.scenario.models import Scenario
from negotiation.scenario.playtests import PlayTestFile

SCHEMA_ID = "https://negotiation.invalid/schemas/scenario.schema.json"
SCHEMA_FILES = {"scenario": "schemas/scenario.schema.json", "tests": "schemas/scenario-tests.schema.json"}
"""Where each schema is committed, relative to the checkout (written by `make schema`)."""


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a scenario file."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "negotiation scenario"
    return schema


def tests_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a playthrough-test file (``<scenario>.tests.yaml``)."""
    schema = PlayTestFile.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "negotiation playthrough tests"
    return schema


def schema_text(kind: str = "scenario") -> str:
    """A schema (``scenario`` or ``tests``) as stable, pretty JSON text."""
    schema = tests_schema() if kind == "tests" else scenario_schema()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
