"""Balance, from GAME.md's tuning goals, over a few hundred seeded games per policy.

If the model cannot satisfy these, the model is wrong, not the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from negotiation import LoadedScenario
from negotiation.resources import scenarios_dir
from negotiation.sim import simulate

RUNS = 300


@pytest.fixture(scope="module")
def reports(moscow: LoadedScenario) -> dict[str, dict[str, Any]]:
    script = scenarios_dir() / "scripts" / "settle-7-august.yaml"
    return {
        "random": simulate(moscow, "random", RUNS, seed=1000),
        "accept": simulate(moscow, "accept", RUNS, seed=2000),
        "refuse": simulate(moscow, "refuse", RUNS, seed=3000),
        "greedy": simulate(moscow, "greedy", 20, seed=4000),
        "historical": simulate(moscow, "historical", 20, seed=5000),
        "settle": simulate(moscow, "scripted", 100, seed=6000, script=script),
    }


def interests(report: dict[str, Any]) -> list[float]:
    return [r["interest"] for r in report["runs"]]


def test_random_play_mostly_ends_below_history(reports: dict[str, dict[str, Any]]) -> None:
    assert reports["random"]["summary"]["interest_median"] < 0


@pytest.mark.parametrize("policy", ["accept", "refuse"])
def test_no_trivial_strategy_beats_history(reports: dict[str, dict[str, Any]], policy: str) -> None:
    assert max(interests(reports[policy])) < 0


def test_settling_in_the_7_august_window_beats_history(reports: dict[str, dict[str, Any]]) -> None:
    assert min(interests(reports["settle"])) > 0


def test_a_thoughtful_strategy_beats_history_only_modestly(reports: dict[str, dict[str, Any]]) -> None:
    assert max(interests(reports["settle"])) < 15


def test_history_is_matched_exactly_by_the_historical_policy(reports: dict[str, dict[str, Any]]) -> None:
    assert set(interests(reports["historical"])) == {0.0}


def test_every_ending_is_reached_by_some_policy(moscow: LoadedScenario, reports: dict[str, dict[str, Any]]) -> None:
    reached = {r["ending"] for report in reports.values() for r in report["runs"]}
    missing = {e.id for e in moscow.scenario.endings} - reached
    assert not missing, f"endings no policy reached: {sorted(missing)}"
