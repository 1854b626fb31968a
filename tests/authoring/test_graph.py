"""Drawings of the phase machine and the decisions, in Mermaid and Graphviz DOT."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotiation.scenario.graph import decisions_by_phase, draw
from negotiation.scenario.loader import load_file

ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"

TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


def test_mermaid_phase_machine_of_mini() -> None:
    assert draw(load_file(MINI).scenario, "mermaid") == (
        "flowchart TD\n"
        "  start((start))\n"
        '  p_talks["Talks<br/>1945-07-01 – 1945-07-15<br/>signing allowed"]\n'
        '  p_wrapup["Wrap-up<br/>1945-07-16 – 1945-07-20<br/>signing allowed"]\n'
        "  start --> p_talks\n"
        "  p_talks --> p_wrapup\n"
        '  p_wrapup -.->|"nothing left to play"| fin_wrapup(["ending none"])\n'
        '  endings[/"Endings, checked after every step:<br/>broken: patience #lt;= 0<br/>'
        'recalled: confidence #lt;= 0<br/>signed: signed<br/>none: false"/]\n'
    )


def test_mermaid_with_decisions_escapes_conditions() -> None:
    s = load_file(MINI).scenario
    text = draw(s, "mermaid", decisions=True)
    assert 'subgraph p_talks["Talks · 1945-07-01 – 1945-07-15 · signing allowed"]' in text
    assert "    d_first --> d_second\n" in text
    assert 'd_first["1945-07-02 · The port<br/>article port, 2 rounds<br/>history: hold, counter:shared"]' in text
    assert "broken: patience #lt;= 0" in text  # '<' would be read as HTML by Mermaid
    assert text.count("subgraph") == text.count("\n  end\n") == 2


def test_transitions_are_numbered_and_conditions_shown() -> None:
    """A lone unconditional way out carries no label; the endings are listed with their conditions."""
    text = draw(load_file(TUTORIAL).scenario, "dot")
    assert 'p_opening -> p_deadlock [label=""];' in text
    assert "no_treaty: false" in text
    assert "start -> p_opening;" in text
    assert 'fin_signing [shape=oval, style=dashed, label="ending no_treaty"];' in text


@pytest.mark.parametrize("decisions", [False, True])
def test_dot_is_well_formed(decisions: bool) -> None:
    """Braces balance, and every edge joins declared nodes."""
    text = draw(load_file(TUTORIAL).scenario, "dot", decisions=decisions)
    assert text.startswith("digraph scenario {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    declared = set(re.findall(r"^\s*(\w+) \[", text, re.M))
    for a, b in re.findall(r"^\s*(\w+) -> (\w+)", text, re.M):
        assert a in declared and b in declared, (a, b)
    if decisions:
        assert "subgraph cluster_deadlock {" in text
        assert "d_mediation -> d_final_session;" in text
        assert "ltail=cluster_opening, lhead=cluster_deadlock" in text


def test_decisions_come_in_the_order_the_game_presents_them() -> None:
    order = decisions_by_phase(load_file(TUTORIAL).scenario)
    assert [d.id for d in order["opening"]] == ["terms", "railway_session", "sakhalin_session", "indemnity_session"]


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown graph format 'svg'"):
        draw(load_file(MINI).scenario, "svg")  # type: ignore[arg-type]


def test_the_session_protocol_is_drawn_from_the_machine_itself() -> None:
    """graph --protocol reads the running transitions machine: every edge it has, with what its callbacks do."""
    from negotiation.engine.machine import SessionMachine
    from negotiation.scenario.graph import draw_machine

    machine = SessionMachine()
    edges = machine.describe()
    assert {(t, s, d) for t, s, d, _ in edges} == set(SessionMachine.EDGES)
    text = draw_machine(machine.STATES, edges, "mermaid")
    assert text.startswith("stateDiagram-v2\n  [*] --> adjourned\n")
    assert "in_session --> in_session: convene: on_adjourn: concessions lapse · find_session" in text
    assert "in_session --> adjourned: convene: no session left" in text
    dot = draw_machine(machine.STATES, edges, "dot")
    assert dot.startswith("digraph protocol {") and "adjourned -> over" in dot
