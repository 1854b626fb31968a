"""Shared fixtures: the small test scenario and the flagship scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation import LoadedScenario, load_file
from negotiation.resources import scenario_path

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini() -> LoadedScenario:
    """A one-article negotiation with every kind of actor."""
    return load_file(FIXTURES / "mini.yaml")


@pytest.fixture(scope="session")
def moscow() -> LoadedScenario:
    """The flagship scenario, Moscow, Summer 1945."""
    return load_file(scenario_path("moscow1945"))


@pytest.fixture(scope="session")
def mini_text() -> str:
    """The text of the small test scenario, for making broken variants."""
    return (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
