"""Scenario format: pydantic models, safe loader with line numbers, checks."""

from negotiation.scenario.loader import LoadedScenario, load_file, load_text
from negotiation.scenario.models import Scenario

__all__ = ["LoadedScenario", "Scenario", "load_file", "load_text"]
