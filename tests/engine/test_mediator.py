"""The mediator: asked to propose terms, he brings the demand down as far as his pressure can move the counterpart."""

from __future__ import annotations

import pytest

from negotiation import Game, ScenarioError, load_text
from negotiation.engine.events import Kind

SAGE = """\
  - id: sage
    name: The Sage
    side: c
    role: mediator
    ai:
      kind: mediator
      pressure: "{pressure}"
      max_asks: 2
      goodwill: goodwill
      ask_cost: 10
      patience_cost: 3
      available: "{available}"
      lines: {{propose: "Take {{position}}, both of you.", no_bridge: "I see no way between you."}}
variables:
  - {{id: goodwill, label: Goodwill, initial: 50}}
"""


def with_mediator(mini_text: str, pressure: str = "12", available: str = "true", floor: str = "") -> Game:
    text = mini_text.replace("  - {id: b, name: Side B}\n", "  - {id: b, name: Side B}\n  - {id: c, name: Side C}\n")
    text = text.replace("variables:\n", SAGE.format(pressure=pressure, available=available), 1)
    if floor:
        assert "counterpart: {ally_lever: 0.5}" in text
        text = text.replace("counterpart: {ally_lever: 0.5}", f"counterpart: {{ally_lever: 0.5, floor: {floor}}}")
    return Game(load_text(text, "mediated.yaml"))


def test_the_mediate_move_comes_after_the_ally_and_before_walking_out(mini_text: str) -> None:
    game = with_mediator(mini_text)
    ids = [a.id for a in game.legal_actions()]
    assert ids[ids.index("ally") + 1] == "mediate" and ids[ids.index("mediate") + 1] == "walkout"


def test_his_proposal_is_the_best_rung_his_pressure_makes_acceptable(mini_text: str) -> None:
    """2 July: aspiration 58; pressed by 12 it is 46, and 'shared' (worth 50 to the rival) reaches it."""
    game = with_mediator(mini_text)
    events = game.apply("mediate")
    mediated = next(e for e in events if e.kind == Kind.MEDIATED)
    assert mediated.speaker == "sage" and mediated.text == "Take Shared, both of you."
    assert mediated.data == {"rung": 1, "from": 2, "pressure": 12.0}
    port = game.state.articles["port"]
    assert port.demand == 1 and port.standing == 2  # a concession for the session: it lapses at adjournment
    assert game.state.decision == "first"  # the player answers it in the same decision
    assert game.state.variables["goodwill"] == 40 and game.state.variables["patience"] == 47
    game.apply("accept")
    assert port.settled == 1


def test_no_bridge_when_his_pressure_is_not_enough(mini_text: str) -> None:
    game = with_mediator(mini_text, pressure="5")  # 58 - 5 = 53 > 50
    events = game.apply("mediate")
    assert [e.text for e in events if e.kind == Kind.NO_BRIDGE] == ["I see no way between you."]
    assert game.state.articles["port"].demand == 2 and game.state.round == 2


def test_he_never_crosses_a_red_line_nor_outbids_the_player(mini_text: str) -> None:
    game = with_mediator(mini_text, pressure="200", floor="shared")
    game.apply("mediate")
    assert game.state.articles["port"].demand == 1  # 'ours' is past the red line, whatever the pressure
    game = with_mediator(mini_text, pressure="200")
    game.apply("counter:shared")  # refused: 50 < 58
    game.apply("mediate")
    assert game.state.articles["port"].demand == 1  # not 'ours': the player asked only for 'shared'


def test_asks_run_out_and_availability_is_a_condition(mini_text: str) -> None:
    game = with_mediator(mini_text, pressure="5")
    game.apply("mediate")
    game.apply("mediate")
    assert "mediate" not in [a.id for a in game.legal_actions()]
    assert game.why_not("mediate") == "the mediator's proposals are used up (2 of max_asks 2)"
    game = with_mediator(mini_text, available="goodwill > 60")
    assert game.why_not("mediate") == ("the mediator is not available: 'goodwill > 60' does not hold "
                                       "(goodwill = 50)")


def test_the_mediator_reads_its_asks_in_expressions(mini_text: str) -> None:
    game = with_mediator(mini_text, pressure="20 - 10 * asks.mediator")
    events = game.apply("mediate")  # the request is counted before he proposes: pressure 20 - 10 * 1
    assert next(e for e in events if e.kind == Kind.MEDIATED).data["pressure"] == 10


def test_a_second_mediator_is_refused(mini_text: str) -> None:
    text = mini_text.replace("  - {id: b, name: Side B}\n", "  - {id: b, name: Side B}\n  - {id: c, name: Side C}\n")
    text = text.replace("variables:\n", SAGE.format(pressure="1", available="true").replace(
        "variables:\n", "") + SAGE.format(pressure="1", available="true").replace("id: sage", "id: sage2"), 1)
    with pytest.raises(ScenarioError, match=r"a second ai of kind 'mediator'"):
        load_text(text, "two.yaml")
