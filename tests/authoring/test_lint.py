"""Lint: what validation lets through, located, coded, and found by reading or by playing."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from negotiation.engine import counterparts
from negotiation.resources import bundled_scenarios
from negotiation.scenario.lint import (
    CODES,
    TEXT_LIMITS,
    Finding,
    LintResult,
    condition_truth,
    display_width,
    failed,
    name_ranges,
    render_json,
    render_text,
)
from negotiation.scenario.loader import load_file
from negotiation.sim.explore import Bounds, explore, lint_file

ROOT = Path(__file__).parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
Variant = Callable[..., Path]

SMALL = Bounds(max_states=1500, playthroughs=60)


def codes(result: LintResult) -> list[str]:
    return [f.code for f in result.findings]


def only(result: LintResult, code: str) -> Finding:
    found = [f for f in result.findings if f.code == code]
    assert len(found) == 1, f"expected one {code}, got {[str(f) for f in result.findings]}"
    return found[0]


def position_of(path: Path, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based line and column of the first occurrence of ``needle`` (plus ``offset`` columns)."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        col = line.find(needle)
        if col >= 0:
            return i, col + 1 + offset
    raise AssertionError(f"{needle!r} not in {path}")


# ----------------------------------------------------------------------------- static checks
STATIC = [
    # (edits, code, severity, field, words in the message)
    ([("start_phase: talks", "  - {id: orphan, title: Orphan, start: 1945-07-18, end: 1945-07-19}\n"
                             "start_phase: talks")],
     "NEG101", "error", "phases[2]", "phase 'orphan' cannot be reached from the start phase 'talks'"),
    ([("transitions: [{to: wrapup}]", 'transitions: [{to: wrapup, when: "patience > 200"}]')],
     "NEG102", "warning", "phases[0].transitions[0].when", "'patience > 200' can never hold"),
    ([("transitions: [{to: wrapup}]", 'transitions: [{to: wrapup}, {to: wrapup, when: "patience < 10"}]')],
     "NEG103", "warning", "phases[0].transitions[1]", "comes after transition 1, which always holds"),
    ([("transitions: [{to: wrapup}]", "transitions: [{to: talks, when: \"patience < 10\"}, {to: wrapup}]")],
     "NEG107", "warning", "phases[0].transitions[0].to", "leads back to 'talks'"),
    ([("date: 1945-07-05", "date: 1945-07-25")],
     "NEG106", "warning", "events[0].date", "event 'storm' on 1945-07-25 comes after the end_date 1945-07-20"),
    ([("    historical: [counter:shared]\n", "    moves: [counter]\n    historical: [counter:shared]\n")],
     "NEG110", "error", "decisions[1]", "can offer only 'counter', which needs a demand to counter"),
    ([('    ai: {kind: ally, support: us_support, gain: "10"}\n', ""),
      ("    moves: [sign]", "    moves: [sign, ally]")],
     "NEG111", "warning", "decisions[2].moves[1]", "move 'ally' is never offered: no actor has an ai of kind 'ally'"),
    ([("    text: Again the port.", '    text: Again the port.\n    when: "days < 0"')],
     "NEG112", "error", "decisions[1].when", "'days < 0' can never hold: decision 'second' is never presented"),
    ([("      - {id: leave, label: Go home, reply: Then go home.}",
       '      - {id: leave, label: Go home, reply: Then go home., when: "confidence > 100"}')],
     "NEG113", "error", "decisions[2].options[0].when", "'confidence > 100' can never hold: option 'leave'"),
    ([("    title: A storm", '    title: A storm\n    when: "date < 1945-06-01"')],
     "NEG114", "warning", "events[0].when", "event 'storm' never happens"),
    ([('when: "confidence <= 0"', 'when: "confidence < 0"')],
     "NEG115", "error", "endings[1].when", "is not the default_ending ('none')"),
    ([('when: "patience <= 0"', 'when: "patience >= 0"')],
     "NEG116", "error", "endings[0].when", "always holds: every game ends at once with 'broken'"),
    ([("counterpart: {ally_lever: 0.5}", 'counterpart: {ally_lever: 0.5, floor: shared, floor_unless: "us_support > '
                                       '100"}')],
     "NEG117", "warning", "articles[0].counterpart.floor_unless", "the red line on 'port' never lifts"),
    ([("    text: Again the port.", '    text: Again the port.\n    when: "patience >= 0"')],
     "NEG118", "info", "decisions[1].when", "'patience >= 0' always holds"),
    ([("effects: [{add: {patience: -5}}]", "effects: [{set: {patience: 150}}]")],
     "NEG130", "error", "events[0].effects[0].set.patience", "sets 'patience' to 150, outside its bounds 0..100"),
    ([("effects: [{add: {patience: -5}}]", "effects: [{add: {patience: -500}}]")],
     "NEG131", "warning", "events[0].effects[0].add.patience", "adds -500 to 'patience', more than its whole range"),
    ([("  - {id: us_support, label: Support, initial: 0}",
       "  - {id: us_support, label: Support, initial: 0}\n  - {id: done, label: Done, kind: flag, max: 5}")],
     "NEG132", "warning", "variables[3]", "flag 'done' runs from 0 to 5"),
    ([("  - {id: us_support, label: Support, initial: 0}",
       "  - {id: us_support, label: Support, initial: 0}\n  - {id: spare, label: Spare, show: false}")],
     "NEG133", "info", "variables[3]", "variable 'spare' is never read and not shown"),
    ([("counterpart: {ally_lever: 0.5}", "counterpart: {ally_lever: 0.5, floor: theirs}")],
     "NEG140", "warning", "articles[0].historical", "historical rung 'shared' is better for the player than the "
                                                    "red line 'theirs'"),
    ([],
     "NEG150", "info", "scenario.sources.S1", "source 'S1' is never cited"),
    ([("text: Again the port.", "text: " + "Again the port. " * 70)],
     "NEG301", "warning", "decisions[1].text", "1119 columns of text; the box holds 900"),
    ([('      walkout_break: "0.5"', '      walkout_break: "0.5"\n      lines: {refuse: ["No to {articel}."]}')],
     "NEG302", "warning", "actors[2].ai.lines.refuse[0]", "unknown placeholder {articel}"),
    ([("      - {id: leave, label: Go home, reply: Then go home.}", "      - {id: leave, label: Go home}")],
     "NEG303", "info", "decisions[2].options[0]", "nobody answers 'leave' at 'ceremony'"),
    ([("history: {ending: signed, signed_on: 1945-07-17}", "history: {ending: signed, signed_on: null}")],
     "NEG406", "warning", "history.signed_on", "is a signed ending but history.signed_on is empty"),
    ([("  - {id: b, name: Side B}", "  - {id: b, name: Side B")],
     "NEG001", "error", "", "YAML syntax: did not find expected ',' or '}'"),
    ([("weight: 10", "weight: heavy")],
     "NEG002", "error", "articles[0].weight", "Input should be a valid number"),
]


@pytest.mark.parametrize(("edits", "code", "severity", "field", "words"), STATIC,
                         ids=[row[1] for row in STATIC])
def test_static_finding(variant: Variant, edits: list[tuple[str, str]], code: str, severity: str, field: str,
                        words: str) -> None:
    """Each broken variant of the small scenario yields its finding, with severity, field and message."""
    result = lint_file(variant(*edits), play=False)
    finding = only(result, code)
    assert finding.severity == severity == CODES[code].severity
    assert finding.field == field
    assert words in finding.message
    assert finding.hint or code in ("NEG002", "NEG001")


def test_the_small_scenario_is_clean_but_for_an_uncited_source() -> None:
    assert codes(lint_file(MINI, play=False)) == ["NEG150"]


def test_an_option_answered_by_a_logged_effect_is_not_reported(variant: Variant) -> None:
    logged = variant(("      - {id: leave, label: Go home, reply: Then go home.}",
                      "      - {id: leave, label: Go home, effects: [{log: The delegation leaves.}]}"))
    assert "NEG303" not in codes(lint_file(logged, play=False))


def test_findings_point_at_the_line_and_column_of_the_value(variant: Variant) -> None:
    """The author is sent to the exact spot: the key of the condition, of the value set."""
    path = variant(("      - {id: leave, label: Go home, reply: Then go home.}",
                    '      - {id: leave, label: Go home, reply: Then go home., when: "confidence > 100"}'),
                   ("effects: [{add: {patience: -5}}]", "effects: [{set: {patience: 150}}]"))
    result = lint_file(path, play=False)
    neg113 = only(result, "NEG113")
    assert (neg113.line, neg113.column) == position_of(path, 'when: "confidence > 100"')
    neg130 = only(result, "NEG130")
    assert (neg130.line, neg130.column) == position_of(path, "patience: 150")
    assert str(neg130) == (f"{path}:{neg130.line}:{neg130.column}: error NEG130: events[0].effects[0].set.patience: "
                           "sets 'patience' to 150, outside its bounds 0..100 (the engine will clamp it to 100)")


def test_a_file_that_does_not_load_gets_every_problem_as_a_finding(variant: Variant) -> None:
    path = variant(("{id: confidence, label: Confidence, initial: 50}", "{id: confidence, label: Confidence, "
                                                                          "initial: lots}"),
                   ("start_phase: talks", "start_phase: opening"))
    result = lint_file(path)
    assert codes(result) == ["NEG002", "NEG002"]
    assert result.findings[0].field == "variables[1].initial"
    assert result.findings[1].message == "unknown phase 'opening'" and result.findings[1].hint == "known: talks, wrapup"
    assert result.coverage == {}  # nothing was played


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    result = lint_file(tmp_path / "nowhere.yaml")
    assert [(f.code, f.message) for f in result.findings] == [("NEG001", "no such file")]


# ----------------------------------------------------------------------------- conditions by bounds
@pytest.mark.parametrize(("text", "always", "never"), [
    ("patience > 100", False, True),
    ("patience >= 0", True, False),
    ("patience < 50", False, False),
    ("confidence + patience > 200", False, True),
    ("not (patience <= 100)", False, True),
    ("date < 1945-06-30", False, True),
    ("date >= 1945-07-01", True, False),
    ("days < 0 or signed", False, False),
    ("port.demand > port.theirs", False, True),
    ("port.demand <= port.theirs and true", True, False),
    ("max(patience, 10) >= 10", True, False),
    ("abs(patience - 200) < 50", False, True),
    ("patience / confidence > 1000", False, False),  # x/0 reads as 0 in the engine: nothing can be said
    ("asks.us > 4", False, True),
])
def test_conditions_are_judged_against_bounds_and_dates(text: str, always: bool, never: bool) -> None:
    ranges = name_ranges(load_file(MINI).scenario)
    assert condition_truth(text, ranges) == (always, never)


def test_text_width_counts_cjk_as_two_columns() -> None:
    assert display_width("Treaty") == 6
    assert display_width("中蘇友好同盟條約") == 16
    assert TEXT_LIMITS["decisions.text"] == 900 and TEXT_LIMITS["decisions.options.label"] == 90


# ----------------------------------------------------------------------------- play
def test_mini_explored_exhaustively_reports_the_unreachable_ending_honestly() -> None:
    """Confidence can never fall to 0 in mini: the whole state space is searched and the message says so."""
    result = lint_file(MINI, Bounds(max_states=20000, playthroughs=50))
    finding = only(result, "NEG204")
    assert finding.field == "endings[1]" and finding.severity == "warning"
    assert "ending 'recalled' was not reached in any of the" in finding.message
    assert "(an exhaustive search)" in finding.message
    assert result.coverage["capped"] is False
    assert result.coverage["endings_reached"] == 3
    assert result.coverage["historical_path"] == {"actions": ["hold", "counter:shared", "counter:shared", "sign"],
                                                  "ending": "signed", "signed_on": "1945-07-17"}


def test_a_capped_search_says_not_reached_within_the_bound() -> None:
    result = lint_file(MINI, Bounds(max_states=50, playthroughs=0))
    assert result.coverage["capped"] is True
    found = [f for f in result.findings if f.code == "NEG204"]
    assert found and all("was not reached within the bound: 50 states" in f.message for f in found)


def test_a_decision_with_no_legal_action_is_found_and_passed_over(variant: Variant) -> None:
    """The counterpart's demand is already the player's best: 'counter' alone leaves nothing to do.

    The engine passes such a decision over (the game never sticks); lint says why it never comes up.
    """
    path = variant(("    historical: [counter:shared]\n", "    moves: [counter]\n    demand: ours\n"
                                                          "    historical: [counter:shared]\n"))
    result = lint_file(path, SMALL)
    assert "NEG201" not in codes(result)
    static = only(result, "NEG110")
    assert static.field == "decisions[1]" and static.severity == "error"
    assert "can offer only 'counter'" in static.message
    assert "decision 'second' was not reached" in only(result, "NEG206").message


def test_a_closed_transition_is_reported_and_the_search_terminates(variant: Variant) -> None:
    path = variant(("transitions: [{to: wrapup}]", 'transitions: [{to: wrapup, when: "patience > 200"}]'))
    started = time.perf_counter()
    result = lint_file(path, SMALL)
    assert time.perf_counter() - started < 30
    assert {"NEG101", "NEG102", "NEG402"} <= set(codes(result))
    assert not {"NEG205", "NEG206"} & set(codes(result))  # said once, by NEG101, not again as 'not reached'
    assert not {"NEG403", "NEG404"} & set(codes(result))  # they follow from the wrong ending
    neg402 = only(result, "NEG402")
    assert "the historical path ends in 'none', not in 'signed' (seed 0, after 3 actions" in neg402.message
    assert "the log ends with" in neg402.message


def test_a_historical_action_that_is_not_legal_is_located_in_the_list(variant: Variant) -> None:
    path = variant(("    allow_signing: true\n    transitions", "    allow_signing: false\n    transitions"),
                   ("historical: [counter:shared]\n", "historical: [sign]\n"))
    result = lint_file(path, SMALL)
    finding = only(result, "NEG401")
    assert finding.field == "decisions[1].historical[0]"
    assert (finding.line, finding.column) == position_of(path, "historical: [sign]", len("historical: [") )
    assert "historical action 'sign' (action 1 at decision 'second') is not legal" in finding.message
    assert "phase 'talks' does not allow signing (allow_signing is false)" in finding.message
    assert "legal there: accept, counter:ours, counter:shared, hold" in finding.hint
    assert f"'negotiation trace {path} --until second'" in finding.hint
    assert only(result, "NEG403").field == "articles[0].historical"


def test_neg401_says_which_earlier_move_brought_the_demand_down(variant: Variant) -> None:
    """An author's hold that already won the rung makes the counter-offer after it illegal: lint says so."""
    result = lint_file(variant(('aspiration: "60 - 2 * days"', 'aspiration: "45"')), SMALL)
    finding = only(result, "NEG401")
    assert finding.field == "decisions[0].historical[1]"
    assert ("is not legal when the historical path reaches it: the demand on 'port' is already 'shared' (rung 1)"
            in finding.message)
    assert ("the demand on 'port' came to 'shared' after action 1 (hold at decision 'first', 1945-07-02)"
            in finding.message)


def test_historical_lists_that_do_not_match_the_actions_played(variant: Variant) -> None:
    """One 'hold' for two rounds is repeated (info); a second action after an accepted offer is never played."""
    result = lint_file(variant(("historical: [hold, counter:shared]", "historical: [hold]"),
                               ("    text: Again the port.\n    historical: [counter:shared]",
                                "    text: Again the port.\n    rounds: 2\n    historical: [counter:shared, hold]")),
                       SMALL)
    neg407 = only(result, "NEG407")
    assert neg407.field == "decisions[0].historical" and neg407.severity == "info"
    assert "plays 2 actions at decision 'first' but its historical list has 1: 'hold' is repeated" in neg407.message
    neg408 = only(result, "NEG408")
    assert neg408.field == "decisions[1].historical[1]" and neg408.severity == "warning"
    assert "plays 1 action at decision 'second'; the rest of its historical list is never played" in neg408.message


def test_a_historical_rung_behind_a_red_line_is_not_reached(variant: Variant) -> None:
    result = lint_file(variant(("counterpart: {ally_lever: 0.5}", "counterpart: {ally_lever: 0.5, floor: theirs}")),
                       SMALL)
    assert "final rungs seen: theirs" in only(result, "NEG208").message
    assert {"NEG140", "NEG403"} <= set(codes(result))


def test_an_option_never_available_in_play_is_a_warning(variant: Variant) -> None:
    """Statically possible (patience may reach 90), but nothing in play raises it that high."""
    result = lint_file(variant(("      - {id: leave, label: Go home, reply: Then go home.}",
                                '      - {id: leave, label: Go home, reply: Then go home., when: "patience > 90"}')),
                       SMALL)
    finding = only(result, "NEG207")
    assert finding.field == "decisions[2].options[0]" and finding.severity == "warning"
    assert "option 'leave' was never available at decision 'ceremony'" in finding.message


def test_an_event_that_never_fires_in_play_is_info(variant: Variant) -> None:
    result = lint_file(variant(("    title: A storm", '    title: A storm\n    when: "confidence < 20"')), SMALL)
    message = only(result, "NEG209").message
    assert message.startswith("event 'storm' did not happen in any explored game; not reach")
    assert "where its condition 'confidence < 20' did not hold (confidence = " in message


def test_an_engine_failure_is_reported_with_the_actions_that_cause_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> bool:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(counterparts, "acceptable", broken)
    result = lint_file(MINI, SMALL)
    failures = [f for f in result.findings if f.code == "NEG202"]
    assert failures and all(f.severity == "error" for f in failures)
    assert any("the engine failed: ZeroDivisionError: boom" in f.message and f.actions[-1].startswith("counter:")
               for f in failures)


def test_games_that_do_not_end_within_the_step_limit_are_reported() -> None:
    result = lint_file(MINI, Bounds(max_states=10, playthroughs=3, max_steps=1))
    finding = next(f for f in result.findings if f.code == "NEG203")
    assert finding.severity == "error" and "a game did not end within 1 actions" in finding.message


def test_exploration_is_deterministic() -> None:
    loaded = load_file(MINI)
    a, b = explore(loaded, SMALL), explore(loaded, SMALL)
    assert (a.states, a.actions, a.endings, a.options) == (b.states, b.actions, b.endings, b.options)


# ----------------------------------------------------------------------------- bundled scenarios
def test_the_tutorial_is_clean_even_in_strict_mode() -> None:
    result = lint_file(ROOT / "scenarios" / "tutorial.yaml")
    assert result.findings == []
    assert result.coverage["endings_reached"] == result.coverage["endings"] == 4
    assert not failed([result], strict=True)


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_bundled_scenarios_lint_in_a_few_seconds(name: str) -> None:
    """The issue's budget: a few seconds on the flagship with the default bounds."""
    started = time.perf_counter()
    result = lint_file(bundled_scenarios()[name])
    assert time.perf_counter() - started < 10
    assert result.coverage, [str(f) for f in result.findings]  # it loaded, and was played


# ----------------------------------------------------------------------------- reports
def test_text_and_json_reports(variant: Variant) -> None:
    result = lint_file(variant(("effects: [{add: {patience: -5}}]", "effects: [{add: {patience: -5, mood: 500}}]"),
                               ("  - {id: us_support, label: Support, initial: 0}",
                                "  - {id: us_support, label: Support, initial: 0}\n  - {id: mood, label: Mood}")),
                       SMALL)
    text = render_text([result])
    assert text.splitlines()[-1] == "1 file: 0 errors, 2 warnings, 1 info — ok"
    assert "explored" in text and "distinct states" in text
    assert render_text([result], strict=True).splitlines()[-1].endswith("FAILED (--strict: warnings fail too)")
    data = json.loads(render_json([result], strict=True))
    assert data["failed"] is True and data["warnings"] == 2
    assert {f["code"] for f in data["files"][0]["findings"]} == {"NEG131", "NEG150", "NEG204"}


def test_every_code_is_documented_with_a_fix() -> None:
    for code, c in CODES.items():
        assert code == c.code and len(code) == 6 and code.startswith("NEG")
        assert c.title.endswith(".") and c.fix


OFF_PATH = """\
  - id: aside
    phase: talks
    date: 1945-07-03
    title: A word aside
    speaker: rival
    when: "patience < {below}"
    text: The rival takes you aside.
    options: [{{id: listen, label: Listen}}]
    off_path: true
"""


def test_a_decision_needs_history_unless_it_is_off_the_path(variant: Variant) -> None:
    result = lint_file(variant(("    historical: [counter:shared]\n", "")), SMALL)
    finding = next(f for f in result.findings if "has no historical actions" in f.message)
    assert finding.severity == "error" and finding.field == "decisions[1]"
    assert "decision 'second' has no historical actions" in finding.message
    assert "off_path: true" in finding.hint


def test_an_off_path_decision_is_not_reported_as_missing_from_history(variant: Variant) -> None:
    """A branch history did not take (reached only when patience falls below 20) is no NEG405."""
    result = lint_file(variant(("  - id: ceremony\n", OFF_PATH.format(below=20) + "  - id: ceremony\n")), SMALL)
    assert not [f for f in result.findings if f.code in ("NEG405", "NEG409", "NEG401")]


def test_an_off_path_decision_that_history_reaches_is_a_warning(variant: Variant) -> None:
    result = lint_file(variant(("  - id: ceremony\n", OFF_PATH.format(below=100) + "  - id: ceremony\n")), SMALL)
    finding = only(result, "NEG409")
    assert finding.field == "decisions[2].off_path" and finding.severity == "warning"
    assert "decision 'aside' is marked off_path but comes up on the historical path" in finding.message
    assert "NEG401" not in codes(result)


@pytest.mark.parametrize("reader", [
    "signing: {when: 'mood >= 0'}\n",
    "scoring: {timeline_weight: 0.2}\nmoves: {hold: Hold}\nsigning: {opens: 1945-07-01, when: 'true'}\n",
])
def test_a_variable_read_anywhere_is_not_unread(variant: Variant, reader: str) -> None:
    """NEG133 looks for readers in every expression field of the format (signing.when included), found from
    the models' types, not from a list that falls behind them."""
    path = variant(("  - {id: us_support, label: Support, initial: 0}\n",
                    "  - {id: us_support, label: Support, initial: 0}\n  - {id: mood, label: Mood, show: false}\n"),
                   ("history: {ending: signed", reader + "history: {ending: signed"))
    unread = [f for f in lint_file(path, play=False).findings if f.code == "NEG133"]
    assert bool(unread) == ("mood" not in reader)
