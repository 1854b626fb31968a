"""Playthrough tests: the format (validated, with located errors), the runner and its report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negotiation.errors import ScenarioError
from negotiation.scenario.playtests import (
    Comparison,
    Step,
    load_tests,
    load_tests_text,
    parse_comparison,
    parse_step,
    scenario_for,
)
from negotiation.sim.playtest import discover, render_json, render_text, run_file

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

MINI_TESTS = FIXTURES / "mini.tests.yaml"
HEADER = "scenario: {scenario}\ntests:\n"


def write_tests(tmp_path: Path, body: str, scenario: Path = FIXTURES / "mini.yaml") -> Path:
    path = tmp_path / "case.tests.yaml"
    path.write_text(HEADER.format(scenario=scenario) + body, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- the step language
@pytest.mark.parametrize(("text", "step"), [
    ("accept", Step("action", action="accept")),
    ("counter:shared", Step("action", action="counter:shared")),
    ("option:leave", Step("action", action="option:leave")),
    ("historical", Step("action", action="historical")),
    ("hold x3", Step("action", action="hold", count=3)),
    ("historical  x2", Step("action", action="historical", count=2)),
    ("historical until end", Step("until", policy="historical", target_kind="end")),
    ("random until second", Step("until", policy="random", target_kind="decision", target="second")),
    ("accept until phase wrapup", Step("until", policy="accept", target_kind="phase", target="wrapup")),
    ("refuse until 1945-07-10", Step("until", policy="refuse", target_kind="date", target="1945-07-10")),
    ("greedy until date 1945-07-10", Step("until", policy="greedy", target_kind="date", target="1945-07-10")),
    ("at ceremony", Step("at", target_kind="decision", target="ceremony")),
])
def test_steps_parse(text: str, step: Step) -> None:
    assert parse_step(text) == step


@pytest.mark.parametrize(("text", "message"), [
    ("acept", "'acept' is not an action (did you mean 'accept'?)"),
    ("counter", "'counter' needs what: counter:<position id>"),
    ("sign:now", "'sign' takes no argument: write 'sign'"),
    ("histrical until end", "'histrical' is not a policy (did you mean 'historical'?)"),
    ("historical until the end", "the target is 'end', a decision id, 'phase <id>' or a date YYYY-MM-DD"),
    ("historical until 1945-02-30", "'1945-02-30' is not a real date"),
    ("hold then accept", "is not a step"),
])
def test_bad_steps_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_step(text)
    assert message in str(info.value)


@pytest.mark.parametrize(("raw", "value", "true", "false"), [
    (50, Comparison("==", 50.0, text="50"), 50.0000001, 51),
    ("< 20", Comparison("<", 20.0, text="< 20"), 19.9, 20),
    (">=40", Comparison(">=", 40.0, text=">=40"), 40, 39.9),
    ("!= 0", Comparison("!=", 0.0, text="!= 0"), 0.5, 0),
    ("30..50", Comparison("range", 30.0, 50.0, text="30..50"), 50, 50.1),
    ("50 ± 2", Comparison("range", 48.0, 52.0, text="50 ± 2"), 48, 47.9),
    ("100%", Comparison("==", 1.0, text="100%"), 1.0, 0.99),
])
def test_comparisons(raw: str | int, value: Comparison, true: float, false: float) -> None:
    cmp = parse_comparison(raw)
    assert cmp == value
    assert cmp.holds(true) and not cmp.holds(false)


def test_dates_compare_as_days() -> None:
    import datetime as dt

    cmp = parse_comparison(">= 1945-08-10")
    assert cmp.holds(dt.date(1945, 8, 10).toordinal()) and not cmp.holds(dt.date(1945, 8, 9).toordinal())


@pytest.mark.parametrize("raw", ["about 50", "5..1", "<", "50 ±"])
def test_bad_comparisons_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match=r"comparison|runs backwards"):
        parse_comparison(raw)


# ----------------------------------------------------------------------------- running
def test_the_small_scenario_tests_pass() -> None:
    result = run_file(MINI_TESTS)
    assert result.problems == [] and result.passed
    assert len(result.cases) == 7
    first = result.cases[0]
    assert first.actions == ["hold", "counter:shared", "counter:shared", "sign"] and first.ending == "signed"


def test_a_wrong_expectation_reports_where_and_expected_versus_actual(tmp_path: Path) -> None:
    path = write_tests(tmp_path, """\
  - name: history, expected wrongly
    play: historical until end
    expect:
      ending: broken
      signed_on: 1945-07-18
      articles: {port: ours}
      variables: {patience: "> 40", confidence: 50}
      interest: "> 0"
      fidelity: 100%
      log: [Disagreed., {kind: TreatySigned, speaker: boss}]
      not_log: [Agreed.]
      presented: [ceremony]
""")
    result = run_file(path)
    case = result.cases[0]
    assert not case.passed
    messages = [(f.line, f.field, f.message) for f in case.failures]
    assert messages == [
        (6, "tests[0].expect.ending", "expected ending 'broken', got 'signed'"),
        (7, "tests[0].expect.signed_on", "expected signed on 1945-07-18, got 1945-07-17"),
        (8, "tests[0].expect.articles.port", "expected port at 'ours', got 'shared'"),
        (9, "tests[0].expect.variables.patience", "expected patience > 40, got 34"),
        (10, "tests[0].expect.interest", "expected interest > 0, got 0"),
        (12, "tests[0].expect.log[0]", "no log line shows 'Disagreed.'"),
        (12, "tests[0].expect.log[1]", "no log line shows of kind TreatySigned spoken by 'boss'"),
        (13, "tests[0].expect.not_log[0]", "the log shows 'Agreed.' (1945-07-10: 'Agreed.')"),
    ]
    text = render_text([result])
    assert f"  FAIL  history, expected wrongly\n        {path}:6:7: expected ending 'broken', got 'signed'" in text
    assert "the game ended in 'signed' on 1945-07-17, after 4 actions: hold, counter:shared, counter:shared, sign" \
        in text
    assert text.splitlines()[-1] == "1 test in 1 file: 0 passed, 1 failed"


def test_an_illegal_step_stops_the_test_and_lists_what_was_legal(tmp_path: Path) -> None:
    path = write_tests(tmp_path, """\
  - name: signing too early
    play: [historical until ceremony, walkout, sign]
    expect: {ending: signed}
""")
    case = run_file(path).cases[0]
    assert [(f.line, f.column, f.message) for f in case.failures] == [
        (4, 39, "step 2 'walkout': 'walkout' is not legal at decision 'ceremony' (round 1) on 1945-07-17 "
                "(decision 'ceremony' does not offer 'walkout' (its moves: sign)); legal: option:leave, sign"),
    ]
    assert case.actions == ["hold", "counter:shared", "counter:shared"]


def test_a_target_that_never_comes_up_is_a_failure(tmp_path: Path) -> None:
    path = write_tests(tmp_path, """\
  - name: accepting skips the second session
    play: [accept until second]
""")
    case = run_file(path).cases[0]
    assert case.failures[0].message == ("step 1 'accept until second': the game ended ('signed' on 1945-07-17) "
                                        "before decision 'second' came up")


def test_checks_in_the_middle_of_play_name_their_step(tmp_path: Path) -> None:
    path = write_tests(tmp_path, """\
  - name: a check in the middle
    play:
      - hold
      - expect: {round: 1, decision: second, legal: [sign], not_legal: [accept]}
      - at second
""")
    case = run_file(path).cases[0]
    assert [f.message for f in case.failures] == [
        "step 2 (expect): expected decision 'second', but at decision 'first' (round 2) on 1945-07-02",
        "step 2 (expect): expected round 1, got round 2",
        "step 2 (expect): 'accept' is legal at decision 'first' (round 2) on 1945-07-02",
        "step 3 'at second': expected decision 'second', but the game is at decision 'first' (round 2) on 1945-07-02",
    ]


def test_end_only_expectations_say_the_game_is_not_over(tmp_path: Path) -> None:
    path = write_tests(tmp_path, """\
  - name: too soon
    play: [hold]
    expect: {ending: signed, interest: 0, holds: ["patience > 45"]}
""")
    messages = [f.message for f in run_file(path).cases[0].failures]
    assert messages == [
        "ending: the game is not over yet (at decision 'first' (round 2) on 1945-07-02)",
        "interest: the game is not over yet (at decision 'first' (round 2) on 1945-07-02)",
        "'patience > 45' does not hold (patience = 43)",
    ]


def test_history_that_is_not_legal_under_until_is_noted(tmp_path: Path) -> None:
    """On 10 July a hold brings the rival down to 'shared': history's counter-offer of 'shared' is then no better
    than his demand, so the first legal action is played, and the report says so."""
    path = write_tests(tmp_path, """\
  - name: off the historical path
    play: [historical until second, hold, historical until end]
    expect: {over: true}
""")
    case = run_file(path).cases[0]
    assert case.passed
    assert case.notes == ["step 3 'historical until end': history was not legal at 'second' ('counter:shared'); the "
                          "first legal action was played instead"]
    assert "        note: step 3" in render_text([run_file(path)])


def test_json_report(tmp_path: Path) -> None:
    data = json.loads(render_json([run_file(MINI_TESTS)]))
    assert data["passed"] is True
    assert data["files"][0]["tests"][0]["actions"] == ["hold", "counter:shared", "counter:shared", "sign"]


# ----------------------------------------------------------------------------- validation of test files
def test_format_errors_are_located_with_a_hint(tmp_path: Path) -> None:
    text = """\
tests:
  - name: bad
    seed: many
    play: [hold, acept]
    expect:
      variables: {patience: about 40}
      log:
        - The port: Shared.
      ending_: signed
"""
    with pytest.raises(ScenarioError) as info:
        load_tests_text(text, "x.tests.yaml")
    got = [str(d) for d in info.value.diagnostics]
    assert str(info.value).startswith("test file validation found 5 errors")
    assert got == [
        "x.tests.yaml:3:5: tests[0].seed: Input should be a valid integer, unable to parse string as an integer "
        "(write a number, e.g. 3)",
        "x.tests.yaml:4:18: tests[0].play[1]: 'acept' is not an action (did you mean 'accept'?)",
        "x.tests.yaml:6:19: tests[0].expect.variables.patience: 'about 40' is not a comparison: write a number (50), "
        "'< 20', '>= 40', '!= 0', '30..50', '50 ± 2', a percentage ('100%') or a date",
        "x.tests.yaml:8:11: tests[0].expect.log[0].The port: unknown key 'The port' (a ': ' inside text makes YAML "
        "read a key: put the whole text in quotes)",
        "x.tests.yaml:9:7: tests[0].expect.ending_: unknown key 'ending_' (did you mean 'ending'?)",
    ]


def test_names_are_checked_against_the_scenario(tmp_path: Path) -> None:
    path = write_tests(tmp_path, """\
  - name: typos
    play: [historical until secnd, counter:halves, option:stay]
    expect:
      ending: singed
      articles: {port: {demand: their}, harbour: ours}
      variables: {patiense: 3}
      fidelity: 100
      holds: ["port.setled"]
  - name: typos
""")
    result = run_file(path)
    assert result.cases == []
    got = [f"{d.line}:{d.column}: {d.field}: {d.message} ({d.hint})" for d in result.problems]
    assert got == [
        "4:12: tests[0].play[0]: unknown decision 'secnd' (did you mean 'second'?)",
        "4:36: tests[0].play[1]: unknown position 'halves' (known: ours, shared, theirs)",
        "4:52: tests[0].play[2]: unknown option 'stay' (known: leave)",
        "6:7: tests[0].expect.ending: unknown ending 'singed' (did you mean 'signed'?)",
        "7:25: tests[0].expect.articles.port.demand: unknown position of 'port' 'their' (did you mean 'theirs'?)",
        "7:41: tests[0].expect.articles.harbour: unknown article 'harbour' (known: port)",
        "8:19: tests[0].expect.variables.patiense: unknown variable 'patiense' (did you mean 'patience'?)",
        "9:7: tests[0].expect.fidelity: fidelity 100 is more than 1 (fidelity runs from 0 to 1: write 1 or '100%')",
        "10:15: tests[0].expect.holds[0]: expression names unknown 'port.setled' (did you mean 'port.settled'?)",
        "11:5: tests[1].name: two tests are named 'typos' (the other is test 1) (give each test its own name)",
    ]
    assert "could not run" in render_text([result]).splitlines()[-1]


def test_a_missing_test_file_and_a_missing_scenario(tmp_path: Path) -> None:
    missing = run_file(tmp_path / "none.tests.yaml")
    assert [d.message for d in missing.problems] == ["no such test file"]
    orphan = write_tests(tmp_path, "  - name: x\n", scenario=tmp_path / "gone.yaml")
    assert [d.message for d in run_file(orphan).problems] == ["no such file"]


def test_the_scenario_is_found_beside_the_test_file(tmp_path: Path) -> None:
    assert scenario_for(Path("scenarios/tutorial.tests.yaml"), None) == Path("scenarios/tutorial.yaml")
    assert scenario_for(Path("a/b.tests.yaml"), "../c.yaml") == Path("a/../c.yaml")
    assert load_tests(MINI_TESTS).scenario_path() == FIXTURES / "mini.yaml"
    assert list(discover([FIXTURES / "mini.yaml"])) == [MINI_TESTS]
    assert list(discover([ROOT / "scenarios"])) == sorted((ROOT / "scenarios").glob("*.tests.yaml"))
