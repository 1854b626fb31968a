"""Policies and batch simulation: every policy plays to an end, deterministically by seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario, NegotiationError
from negotiation.actors import POLICIES, ScriptedPolicy, make_policy
from negotiation.sim import play, report_bytes, simulate


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_every_policy_finishes_games(mini: LoadedScenario, name: str) -> None:
    for seed in range(5):
        game = play(Game(mini, seed), make_policy(name, seed))
        assert game.is_over() and game.outcome() is not None


def test_historical_policy_reproduces_history(mini: LoadedScenario) -> None:
    report = simulate(mini, "historical", 3, seed=0)
    assert [r["interest"] for r in report["runs"]] == [0.0, 0.0, 0.0]
    assert all(r["fidelity"] == 1.0 for r in report["runs"])


def test_report_has_the_json_contract(mini: LoadedScenario) -> None:
    report = simulate(mini, "random", 4, seed=7)
    assert set(report) == {"scenario", "policy", "seed", "runs", "summary"}
    assert (report["scenario"], report["policy"], report["seed"]) == ("mini", "random", 7)
    assert [r["seed"] for r in report["runs"]] == [7, 8, 9, 10]
    for run in report["runs"]:
        assert set(run) >= {"seed", "ending", "signed_on", "interest", "fidelity", "decisions", "articles"}
        assert 0.0 <= run["fidelity"] <= 1.0
        assert run["articles"]["port"]["historical"] == "shared"
    assert report["summary"]["games"] == 4
    assert sum(report["summary"]["endings"].values()) == 4


def test_same_seed_same_bytes(mini: LoadedScenario) -> None:
    a = report_bytes(simulate(mini, "random", 20, seed=3))
    b = report_bytes(simulate(mini, "random", 20, seed=3))
    c = report_bytes(simulate(mini, "random", 20, seed=4))
    assert a == b and a != c


def test_scripted_policy_by_order_and_by_decision(mini: LoadedScenario, tmp_path: Path) -> None:
    script = tmp_path / "s.yaml"
    script.write_text("actions: [hold, hold]\ndecisions: {second: counter:shared, ceremony: sign}\n")
    game = play(Game(mini), ScriptedPolicy.from_file(script))
    assert game.actions == ["hold", "hold", "counter:shared", "sign"]


def test_scripted_policy_reports_an_illegal_step(mini: LoadedScenario, tmp_path: Path) -> None:
    script = tmp_path / "s.json"
    script.write_text(json.dumps(["option:leave"]))
    with pytest.raises(NegotiationError, match="'option:leave' is not legal at decision 'first'"):
        play(Game(mini), ScriptedPolicy.from_file(script))


@pytest.mark.parametrize("content,message", [
    ("{actions: [hold], extra: 1}", "unknown keys"),
    ("{fallback: magic}", "unknown fallback"),
    ("just text", "a list of actions"),
    ("decisions: [accept]", "'decisions' must map decision ids"),
    ("actions: 5", "'actions' must be a list of actions"),
    ("actions: accept", "'actions' must be a list of actions"),
    ("decisions: {first: 5}", "'decisions' must map decision ids"),
])
def test_bad_scripts_are_explained(tmp_path: Path, content: str, message: str) -> None:
    script = tmp_path / "s.yaml"
    script.write_text(content)
    with pytest.raises(NegotiationError, match=message):
        ScriptedPolicy.from_file(script)


def test_unknown_policy(mini: LoadedScenario) -> None:
    with pytest.raises(NegotiationError, match="unknown policy 'clever'"):
        make_policy("clever")
