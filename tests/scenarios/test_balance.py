"""Balance, from GAME.md's tuning goals, over a few hundred seeded games per policy and scenario.

If the model cannot satisfy these, the model is wrong, not the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import load_file
from negotiation.resources import scenario_path, scenarios_dir
from negotiation.sim import simulate

RUNS = 300
# scenario -> the strategy script that should beat history modestly
SCENARIOS = {"moscow1945": "settle-7-august.yaml", "moscow1950": "moscow1950-mongolia-link.yaml"}


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def reports(request: pytest.FixtureRequest) -> dict[str, Any]:
    name = request.param
    loaded = load_file(scenario_path(name))
    script = scenarios_dir() / "scripts" / SCENARIOS[name]
    return {
        "endings": {e.id for e in loaded.scenario.endings},
        "random": simulate(loaded, "random", RUNS, seed=1000),
        "accept": simulate(loaded, "accept", RUNS, seed=2000),
        "refuse": simulate(loaded, "refuse", RUNS, seed=3000),
        "greedy": simulate(loaded, "greedy", 20, seed=4000),
        "historical": simulate(loaded, "historical", 20, seed=5000),
        "strategy": simulate(loaded, "scripted", 100, seed=6000, script=script),
    }


def interests(report: dict[str, Any]) -> list[float]:
    return [r["interest"] for r in report["runs"]]


def test_random_play_mostly_ends_below_history(reports: dict[str, Any]) -> None:
    assert reports["random"]["summary"]["interest_median"] < 0


@pytest.mark.parametrize("policy", ["accept", "refuse"])
def test_no_trivial_strategy_beats_history(reports: dict[str, Any], policy: str) -> None:
    assert max(interests(reports[policy])) < 0


def test_a_thoughtful_strategy_beats_history_modestly(reports: dict[str, Any]) -> None:
    assert 0 < min(interests(reports["strategy"])) <= max(interests(reports["strategy"])) < 15


def test_history_is_matched_exactly_by_the_historical_policy(reports: dict[str, Any]) -> None:
    assert set(interests(reports["historical"])) == {0.0}
    assert {r["fidelity"] for r in reports["historical"]["runs"]} == {1.0}


def test_every_ending_is_reached_by_some_policy(reports: dict[str, Any]) -> None:
    reached = {r["ending"] for key, report in reports.items() if key != "endings" for r in report["runs"]}
    assert not reports["endings"] - reached, f"endings no policy reached: {sorted(reports['endings'] - reached)}"
