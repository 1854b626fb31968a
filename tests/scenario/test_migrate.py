"""`negotiation migrate`: format-1 files come out in format 2, meaning the same game, laid out as before."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario
from negotiation.actors.policies import RandomPolicy, ScriptedPolicy
from negotiation.cli import main
from negotiation.errors import ScenarioError
from negotiation.scenario.lint import lint_tests_file, lint_text
from negotiation.scenario.loader import load_file, load_text, read_data
from negotiation.scenario.migrate import MigrationError, UnknownKindError, migrate_file, migrate_text
from negotiation.scenario.models import FORMAT
from negotiation.scoring import score_card
from negotiation.sim import play
from negotiation.sim.playtest import run_file

ROOT = Path(__file__).parents[2]
OLD = ROOT / "tests" / "fixtures" / "format1"
OLD_SCENARIOS = ["mini.yaml", "tutorial.yaml", "oldnames.yaml"]


def games_of(loaded: LoadedScenario) -> list[dict[str, object]]:
    """The historical playthrough and a few random ones, as plain data: what must not change."""
    out = []
    game = Game(loaded)
    while not game.is_over():
        game.apply(game.historical_action() or "")
    out.append({"state": game.state.to_dict(), "card": score_card(game).to_dict()})
    for seed in range(4):
        game = play(Game(loaded, seed=seed), RandomPolicy(seed))
        out.append({"state": game.state.to_dict(), "actions": game.action_log})
    return out


def same_names(s: LoadedScenario) -> str:
    """A scenario as JSON with format 1's names written in format 2's (the renames are aliases)."""
    data = s.scenario.model_dump(mode="json", exclude={"format"})
    return json.dumps(data, sort_keys=True).replace('"us"', '"ally"').replace("asks.us", "asks.ally")


@pytest.mark.parametrize("name", OLD_SCENARIOS)
def test_a_migrated_scenario_is_the_same_game_in_the_current_format(name: str, tmp_path: Path) -> None:
    path = OLD / name
    before = load_file(path)
    assert before.scenario.format == 1
    m = migrate_file(path)
    assert m.kind == "scenario" and m.source_format == 1 and m.changed
    after = load_text(m.text, str(tmp_path / name))
    assert after.scenario.format == FORMAT
    if name == "oldnames.yaml":  # 'us' in its historical lists and 'asks.us' in expressions are renamed
        assert after.scenario != before.scenario.model_copy(update={"format": FORMAT})
        assert same_names(after) == same_names(before)
    else:
        assert after.scenario == before.scenario.model_copy(update={"format": FORMAT})
    assert games_of(after) == games_of(before)


def test_the_mini_fixture_is_its_format_1_copy_migrated() -> None:
    """The command migrated tests/fixtures/mini.yaml, and nothing else changed in it.

    (The tutorial was migrated the same way, then given format 2's new features for docs/authoring.md.)
    """
    migrated = migrate_file(OLD / "mini.yaml").text.splitlines()
    current = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8").splitlines()
    # the two differ only in their first comment lines (where they are, and why)
    assert [x for x in migrated if not x.startswith("#")] == [x for x in current if not x.startswith("#")]


def test_only_the_old_constructs_change_and_the_layout_stays() -> None:
    original = (OLD / "oldnames.yaml").read_text(encoding="utf-8")
    expected = original
    for old, new in [
        ("format: 1   # explicit", "format: 2   # explicit"),
        ('- 3 * asks.us"   # each', '- 3 * asks.ally" # each'),  # the comment keeps its column
        ('when: "asks.us >= 1"}', 'when: "asks.ally >= 1"}'),
        ("      kind: ally      # format 1: the support variable is us_support\n",
         "      kind: ally      # format 1: the support variable is us_support\n      support: us_support\n"),
        ("      us_lever: 0.5   #", "      ally_lever: 0.5   #"),
        ("historical: [us, hold, counter:shared]", "historical: [ally, hold, counter:shared]"),
        ('when: "asks.us <= 2"', 'when: "asks.ally <= 2"'),
        ("      - us        # the ally's move\n      - \"us\"\n",
         "      - ally      # the ally's move\n      - \"ally\"\n"),
        ("moves: [sign, 'us']", "moves: [sign, 'ally']"),
        ('{when: "asks.us > 0", log:', '{when: "asks.ally > 0", log:'),
    ]:
        assert expected.count(old) == 1, old
        expected = expected.replace(old, new)
    m = migrate_text(original, "oldnames.yaml")
    assert m.text == expected
    assert "'us' in this text stays" in m.text  # prose is not a move
    assert [(c.line, c.field) for c in m.changes][:4] == [
        (5, "format"), (29, "actors[2].ai.aspiration"), (34, "actors[2].ai.lines.refuse[0].when"),
        (41, "actors[3].ai.support")]
    assert len(m.changes) == 11 and m.summary() == "format 1 → 2, 11 changes"


def test_a_missing_format_goes_before_the_first_key_after_the_header_comments() -> None:
    text = (OLD / "tutorial.yaml").read_text(encoding="utf-8")
    lines = migrate_text(text, "tutorial.yaml").text.splitlines()
    i = lines.index("format: 2")
    assert lines[i + 1] == "scenario:" and all(x.startswith("#") or not x for x in lines[:i])


def test_migrating_twice_changes_nothing_and_current_files_are_left_byte_identical() -> None:
    once = migrate_file(OLD / "oldnames.yaml").text
    again = migrate_text(once, "oldnames.yaml")
    assert again.text == once and not again.changed and again.summary() == f"already current (format {FORMAT})"
    for path in (ROOT / "scenarios" / "moscow1945.yaml", ROOT / "tests" / "fixtures" / "protocol.yaml",
                 ROOT / "scenarios" / "moscow1945.tests.yaml", ROOT / "scenarios" / "scripts" / "settle-7-august.yaml"):
        m = migrate_file(path)
        assert m.text == path.read_text(encoding="utf-8") and m.changes == ()


def test_test_files_are_migrated_and_still_pass(tmp_path: Path) -> None:
    """The steps, legal lists and conditions of a test file; the migrated pair still passes."""
    m = migrate_file(OLD / "oldnames.tests.yaml")
    assert m.kind == "tests" and m.source_format is None
    assert [c.field for c in m.changes] == ["tests[0].expect.holds[0]", "tests[1].play[0]",
                                            "tests[1].play[1].expect.not_legal[0]", "tests[2].play",
                                            "tests[2].expect.holds[0]"]
    assert "      - ally            # ask the friend\n" in m.text and 'play: "ally"' in m.text
    assert "legal: [hold]" in m.text  # only the old names change
    (tmp_path / "oldnames.tests.yaml").write_text(m.text, encoding="utf-8")
    (tmp_path / "oldnames.yaml").write_text(migrate_file(OLD / "oldnames.yaml").text, encoding="utf-8")
    result = run_file(tmp_path / "oldnames.tests.yaml")
    assert result.passed and len(result.cases) == 3


def test_steps_that_only_look_like_the_move_are_left_alone() -> None:
    text = "tests:\n  - name: t\n    play: [at us, historical until us, us x2]\n"
    m = migrate_text(text, "t.tests.yaml")
    assert m.text == "tests:\n  - name: t\n    play: [at us, historical until us, ally x2]\n"


def test_scripts_are_migrated_and_play_the_same(tmp_path: Path) -> None:
    m = migrate_file(OLD / "scripts" / "oldnames.yaml")
    assert m.kind == "script" and len(m.changes) == 2
    assert "actions: [ally, hold]" in m.text and "second: [ally, counter:shared]   # the ally again" in m.text
    loaded = load_file(OLD / "oldnames.yaml")
    games = []
    for script in (read_data(OLD / "scripts" / "oldnames.yaml"), json.loads(json.dumps(read_data_text(m.text)))):
        games.append(play(Game(loaded), ScriptedPolicy(script)).state.to_dict())
    assert games[0] == games[1]
    assert migrate_text('["us", "hold"]', "s.json").text == '["ally", "hold"]'  # a JSON script


def read_data_text(text: str) -> object:
    import yaml

    return yaml.safe_load(text)


def test_windows_line_ends_are_kept() -> None:
    text = (OLD / "mini.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    m = migrate_text(text, "mini.yaml")
    assert "\r\nformat: 2\r\n" in m.text and "\n" not in m.text.replace("\r\n", "")
    assert load_text(m.text, "mini.yaml").scenario.format == FORMAT


def test_a_byte_order_mark_stays_first() -> None:
    text = "\ufeff" + (OLD / "mini.yaml").read_text(encoding="utf-8").split("\n", 2)[2]  # no header comments
    m = migrate_text(text, "mini.yaml")
    assert m.text.startswith("\ufeffformat: 2\nscenario:\n") and "{kind: ally, support: us_support," in m.text
    assert load_text(m.text, "mini.yaml").scenario.format == FORMAT


def test_an_alias_shared_by_moves_is_renamed_once_and_one_shared_with_text_is_refused() -> None:
    text = (OLD / "oldnames.yaml").read_text(encoding="utf-8")
    shared = text.replace("      - us        # the ally's move", "      - &u us     # the ally's move") \
        .replace("moves: [sign, 'us']", "moves: [sign, *u]")
    m = migrate_text(shared, "a.yaml")
    assert "      - &u ally   # the ally's move" in m.text and "moves: [sign, *u]" in m.text
    mixed = text.replace("moves: [sign, 'us']", "moves: [sign, *u]").replace("    title: Sign?", "    title: &u us")
    with pytest.raises(MigrationError) as info:
        migrate_text(mixed, "b.yaml")
    (d,) = info.value.diagnostics
    assert (d.file, d.line, d.field) == ("b.yaml", 101, "decisions[2].moves[1]") and "alias" in d.message


def test_an_escaped_value_is_refused_with_its_place() -> None:
    text = (OLD / "oldnames.yaml").read_text(encoding="utf-8").replace("moves: [sign, 'us']", 'moves: [sign, "u\\x73"]')
    with pytest.raises(MigrationError, match=r"b.yaml:104:19: decisions\[2\].moves\[1\]: cannot rewrite"):
        migrate_text(text, "b.yaml")


@pytest.mark.parametrize(("text", "message"), [
    ("a: &a [*a]\n", "circular"),
    ("x: !!python/object:os.system ls\n", "could not determine a constructor"),
    ("x: !!python/object/apply:os.system [ls]\n", "is not allowed: scenario files are plain data"),
    ("scenario: {id: x}\n", "scenario validation"),
    ("just: data\n", "not a scenario, a playthrough-test file or a strategy script"),
    ("tests: []\n", "tests: Tuple should have at least 1 item"),
])
def test_hostile_or_invalid_input_is_refused_like_the_loader_does(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        migrate_text(text, "x.yaml")


def test_a_file_of_an_unknown_kind_says_what_it_expected() -> None:
    with pytest.raises(UnknownKindError) as info:
        migrate_text("fallback: 1\nother: 2\n", "x.yaml")
    assert info.value.diagnostics[0].line == 1


# --------------------------------------------------------------------------- lint's note
def test_lint_notes_a_format_1_scenario_at_its_first_old_construct() -> None:
    path = OLD / "tutorial.yaml"
    result, _, _ = lint_text(path.read_text(encoding="utf-8"), str(path))
    (note,) = [f for f in result.findings if f.code == "NEG003"]
    assert (note.severity, note.line, note.field) == ("info", 101, "articles[0].counterpart.us_lever")
    assert f"negotiation migrate --in-place {path}" in note.message and "format 1" in note.message
    migrated, _, _ = lint_text(migrate_file(path).text, str(path))
    assert "NEG003" not in [f.code for f in migrated.findings]


def test_lint_notes_a_format_1_file_with_nothing_else_old_at_line_1() -> None:
    text = (ROOT / "tests" / "fixtures" / "protocol.yaml").read_text(encoding="utf-8").replace("format: 2\n", "")
    result, _, _ = lint_text(text, "p.yaml")
    (note,) = [f for f in result.findings if f.code == "NEG003"]
    assert (note.line, note.column, note.field) == (1, 1, "") and "1 change)" in note.message


def test_lint_notes_old_names_in_a_format_2_scenario_but_not_prose() -> None:
    text = (ROOT / "tests" / "fixtures" / "protocol.yaml").read_text(encoding="utf-8")
    old = text.replace("moves: [sign],", "moves: [sign, us],").replace("text: Sign?", "text: Let us sign?")
    assert old.count(" us") == 2
    (note,) = [f for f in lint_text(old, "p.yaml")[0].findings if f.code == "NEG003"]
    assert note.field == "decisions[4].moves[1]" and "format 1's names" in note.message
    prose = text.replace("text: Sign?", "text: Let us sign?")
    assert "NEG003" not in [f.code for f in lint_text(prose, "p.yaml")[0].findings]


def test_lint_notes_old_names_in_a_test_file(tmp_path: Path) -> None:
    for name in ("oldnames.yaml", "oldnames.tests.yaml"):
        shutil.copy(OLD / name, tmp_path / name)
    (note,) = lint_tests_file(tmp_path / "oldnames.tests.yaml").findings
    assert (note.code, note.line, note.field) == ("NEG003", 8, "tests[0].expect.holds[0]")
    assert lint_tests_file(ROOT / "scenarios" / "tutorial.tests.yaml").findings == []


# --------------------------------------------------------------------------- the command
def test_check_lists_the_changes_writes_nothing_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(OLD, tmp_path / "old")
    before = {p: p.read_bytes() for p in (tmp_path / "old").rglob("*.yaml")}
    assert main(["migrate", "--check", str(tmp_path / "old")]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'old' / 'mini.yaml'}: would change: format 1 → 2, 3 changes" in out
    assert f"{tmp_path / 'old' / 'oldnames.yaml'}:94:9: decisions[1].moves[2]: 'us' → 'ally'" in out
    assert f"{tmp_path / 'old' / 'mini.tests.yaml'}: already current" in out
    assert "7 files: 5 to migrate, 2 already current, 0 skipped, 0 failed" in out
    assert {p: p.read_bytes() for p in (tmp_path / "old").rglob("*.yaml")} == before


def test_in_place_rewrites_what_changes_keeps_permissions_and_then_checks_clean(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(OLD, tmp_path / "old")
    current = tmp_path / "old" / "mini.tests.yaml"
    untouched = current.stat().st_mtime_ns
    target = tmp_path / "old" / "oldnames.yaml"
    target.chmod(0o640)
    assert main(["migrate", "--in-place", str(tmp_path / "old")]) == 0
    assert f"written to {target}" in capsys.readouterr().out
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert current.stat().st_mtime_ns == untouched
    assert main(["migrate", "--check", str(tmp_path / "old")]) == 0
    assert main(["validate", str(target)]) == 0
    assert main(["test", str(tmp_path / "old")]) == 0
    assert not list((tmp_path / "old").rglob("*.bak")) and not list((tmp_path / "old").rglob(".*.tmp"))


def test_one_file_goes_to_standard_output_or_to_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = OLD / "mini.yaml"
    assert main(["migrate", str(src)]) == 0
    captured = capsys.readouterr()
    assert captured.out == migrate_file(src).text and "format 1 → 2" in captured.err
    out = tmp_path / "new.yaml"
    assert main(["migrate", str(src), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == captured.out
    assert main(["migrate", str(src), str(OLD / "tutorial.yaml")]) == 1
    assert "several files: rewrite them with --in-place" in capsys.readouterr().err


def test_a_broken_file_fails_with_its_place_and_the_others_go_on(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((OLD / "mini.yaml").read_text(encoding="utf-8").replace("article: port\n", "article: harbour\n",
                                                                           1), encoding="utf-8")
    shutil.copy(OLD / "mini.yaml", tmp_path / "good.yaml")
    assert main(["migrate", "--in-place", str(bad), str(tmp_path / "good.yaml")]) == 1
    captured = capsys.readouterr()
    assert f"{bad}:75:5: decisions[0].article: unknown article 'harbour'" in captured.err
    assert "1 migrated, 0 already current, 0 skipped, 1 failed" in captured.out
    assert bad.read_text(encoding="utf-8").startswith("# yaml-language-server")  # left as it was
    assert load_file(tmp_path / "good.yaml").scenario.format == FORMAT
    assert main(["migrate", str(tmp_path / "missing.yaml")]) == 1
    assert "no such file" in capsys.readouterr().err
    other = tmp_path / "other.yaml"
    other.write_text("just: data\n", encoding="utf-8")
    assert main(["migrate", "--check", str(other), str(tmp_path / "good.yaml")]) == 1  # named, so not skipped
    captured = capsys.readouterr()
    assert "other.yaml:1:1: <document>: not a scenario" in captured.err
    assert "2 files: 0 to migrate, 1 already current, 0 skipped, 1 failed" in captured.out
