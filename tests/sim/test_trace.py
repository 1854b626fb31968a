"""negotiation trace: the state after each move and the counterpart's arithmetic, read from the engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario
from negotiation.cli import main
from negotiation.engine import counterparts as cp
from negotiation.engine.rules import rules_for
from negotiation.sim.trace import render_text, trace

MINI = str(Path(__file__).parents[1] / "fixtures" / "mini.yaml")


def test_the_historical_path_step_by_step(mini: LoadedScenario) -> None:
    result = trace(rules_for(mini))
    assert [s.action for s in result.steps] == ["hold", "counter:shared", "counter:shared", "sign"]
    assert [s.outcome for s in result.steps] == ["refused", "refused", "accepted", "signed"]
    first = result.steps[0]
    table = first.why["table"]
    assert table["aspiration"] == 58 and table["demand"] == "theirs" and table["best_acceptable"] == "theirs"
    assert first.why["next_rung"] == {"id": "shared", "value": 50, "acceptable": False}
    assert first.changes == {"variables": {"patience": [50, 43]}}
    third = result.steps[2]  # 10 July: the aspiration has fallen to 42, below the rung's 50
    assert third.why["offer"] == {"id": "shared", "value": 50, "acceptable": True}
    assert third.changes["articles"]["port"]["settled"] == [None, "shared"]
    assert result.now["ending"] == "signed" and result.now["signed_on"] == "1945-07-17"


def test_until_stops_before_the_decision_and_shows_the_table(mini: LoadedScenario) -> None:
    result = trace(rules_for(mini), until="second")
    assert len(result.steps) == 2
    now = result.now
    assert now["decision"] == "second" and now["historical"] == "counter:shared"
    assert now["table"]["rungs"][1] == {"id": "shared", "value": 50, "acceptable": True}
    assert "counter:shared" in now["legal"]


def test_an_illegal_move_stops_the_trace_with_the_reason(mini: LoadedScenario) -> None:
    result = trace(rules_for(mini), actions=["hold", "counter:theirs"])
    assert len(result.steps) == 1
    assert result.now["stopped"].startswith("'counter:theirs' is not legal: the demand on 'port' is already 'theirs'")


def test_the_signing_arithmetic_is_the_engines(moscow: LoadedScenario) -> None:
    """At the eve of signature the trace's shortfall is the one the engine signs by, part for part."""
    rules = rules_for(moscow)
    result = trace(rules, until="d0814_notes")
    sig = result.now["signing"]
    game = Game.replay(rules, 0, [s.action for s in result.steps])
    assert sig["shortfall"] == pytest.approx(cp.treaty_shortfall(rules, game.state, game.terms_on_table()), abs=1e-3)
    weights = sum(r["weight"] for r in sig["articles"])
    average = sum(r["weight"] * (r["aspiration"] - r["value"]) for r in sig["articles"]) / weights
    assert average - sig["margin"] == pytest.approx(sig["shortfall"], abs=1e-2)
    text = render_text(result)
    assert "(he signs)" in text and "now: 1945-08-14" in text


def test_the_command_writes_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.json"
    assert main(["trace", MINI, "--play", "hold, counter:shared", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1. 1945-07-02 · talks · first — hold → refused" in text
    assert "a concession to 'shared' (worth 50) he cannot bear" in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["action"] for s in data["steps"]] == ["hold", "counter:shared"]
    assert main(["trace", MINI, "--until", "nowhere"]) == 1
    assert "no decision 'nowhere'" in capsys.readouterr().err


def test_json_to_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trace", MINI, "--json", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["now"]["ending"] == "signed" and len(data["steps"]) == 4


SAGE = """\
  - id: sage
    name: The Sage
    side: b
    role: mediator
    ai: {{kind: mediator, pressure: "{pressure}", goodwill: goodwill, ask_cost: 10, patience_cost: 3}}
variables:
  - {{id: goodwill, label: Goodwill, initial: 50}}
"""


@pytest.mark.parametrize(("pressure", "outcome", "proposal"), [
    ("goodwill / 2", "the mediator proposed terms", "shared"),  # 58 - 20 = 38: 'shared' (50) reaches it
    ("goodwill / 10", "the mediator found no bridge", "theirs"),  # 58 - 4 = 54: nothing better than the demand
])
def test_a_mediated_step_shows_his_arithmetic_after_the_costs_he_charges(
        mini_text: str, pressure: str, outcome: str, proposal: str) -> None:
    """His pressure reads the goodwill his request has already spent (R21): 40, not 50."""
    from negotiation import load_text

    rules = rules_for(load_text(mini_text.replace("variables:\n", SAGE.format(pressure=pressure), 1), "m.yaml"))
    result = trace(rules, actions=["mediate"])
    step = result.steps[0]
    med = step.why["mediation"]
    assert step.outcome == outcome and med["proposal"] == proposal
    game = Game(rules)
    data = next(e.data for e in game.apply("mediate") if e.kind in ("Mediated", "NoBridge"))
    assert med["pressure"] == data["pressure"] and rules.articles["port"].ids[data["rung"]] == proposal
    assert med["table"]["aspiration"] == 58 and med["target"] == 58 - data["pressure"]
    text = render_text(result)
    assert f"the mediator's pressure {data['pressure']:g}: the best rung for you worth at least 58 − " in text
    assert ("he proposes 'shared'" in text) == (proposal == "shared")
