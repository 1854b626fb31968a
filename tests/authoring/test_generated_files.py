"""Committed files generated from the code must be up to date: the schemas and the reference pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation.scenario.docs import DOCS, lint_codes_text, reference_text
from negotiation.scenario.lint import CODES
from negotiation.scenario.models import Scenario
from negotiation.scenario.schema import SCHEMA_FILES, schema_text

ROOT = Path(__file__).parents[2]

HEADER = "# yaml-language-server: $schema=../schemas/"


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_committed_schema_is_fresh(kind: str) -> None:
    path = ROOT / SCHEMA_FILES[kind]
    assert path.read_text(encoding="utf-8") == schema_text(kind), f"{path} is stale: run `make schema`"
    assert json.loads(path.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize("name", sorted(DOCS))
def test_committed_reference_pages_are_fresh(name: str) -> None:
    rel, make = DOCS[name]
    assert (ROOT / rel).read_text(encoding="utf-8") == make(), f"{rel} is stale: run `make docs`"


def test_the_reference_lists_every_field_and_the_lint_page_every_code() -> None:
    ref = reference_text()
    for field in Scenario.model_fields:
        assert f"| `{field}` |" in ref
    assert "### Decision" in ref and "### PlayTest" in ref and "| `historical` | list of text |" in ref
    codes = lint_codes_text()
    for code in CODES:
        assert f"### {code}" in codes


def test_bundled_scenarios_and_test_files_point_editors_at_their_schema() -> None:
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        want = "scenario-tests.schema.json" if path.name.endswith(".tests.yaml") else "scenario.schema.json"
        assert first == HEADER + want, path
    for path in sorted((ROOT / "scenarios" / "scripts").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/script.schema.json", path
    mini = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert mini == "# yaml-language-server: $schema=../../schemas/scenario.schema.json"
