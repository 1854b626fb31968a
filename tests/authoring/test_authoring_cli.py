"""The authoring commands as an author types them: lint, graph, test, docs, schema --tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.scenario.docs import lint_codes_text, reference_text
from negotiation.scenario.schema import schema_text

ROOT = Path(__file__).parents[2]
MINI = str(ROOT / "tests" / "fixtures" / "mini.yaml")
TUTORIAL = str(ROOT / "scenarios" / "tutorial.yaml")
Variant = Callable[..., Path]
FAST = ["--max-states", "500", "--playthroughs", "20"]


def test_lint_passes_with_warnings_and_fails_on_them_when_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", MINI, *FAST]) == 0
    out = capsys.readouterr().out
    assert "warning NEG204: endings[1]: ending 'recalled'" in out
    assert out.splitlines()[-1].startswith("1 file: 0 errors, 1 warning, 1 info — ok")
    assert main(["lint", "--strict", MINI, *FAST]) == 1
    assert "FAILED (--strict: warnings fail too)" in capsys.readouterr().out


def test_lint_fails_on_errors_and_reports_every_file(variant: Variant, capsys: pytest.CaptureFixture[str]) -> None:
    bad = variant(("effects: [{add: {patience: -5}}]", "effects: [{set: {patience: 150}}]"))
    assert main(["lint", str(bad), TUTORIAL, "--no-play"]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:" in out and "error NEG130" in out
    assert out.splitlines()[-1] == "2 files: 1 error, 0 warnings, 1 info — FAILED"


def test_lint_json_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", MINI, "--format", "json", "--ignore", "NEG150,neg204", *FAST, "--strict"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"][0]["findings"] == [] and data["failed"] is False
    assert data["files"][0]["coverage"]["playthroughs"] == 23  # 20 random, and accept, refuse, greedy


def test_lint_refuses_an_unknown_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", MINI, "--ignore", "NEG999"]) == 1
    assert "--ignore: unknown lint code NEG999" in capsys.readouterr().err


def test_lint_a_bundled_scenario_by_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "tutorial", "--strict"]) == 0
    assert "0 errors, 0 warnings, 0 info — ok" in capsys.readouterr().out


def test_graph_to_stdout_and_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", MINI]) == 0
    assert capsys.readouterr().out.startswith("flowchart TD\n")
    out = tmp_path / "g.dot"
    assert main(["graph", TUTORIAL, "--format", "dot", "--decisions", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("digraph scenario {")


def test_test_command_passes_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(ROOT / "scenarios"), MINI]) == 0
    out = capsys.readouterr().out
    assert "PASS  playing history signs the Treaty of Portsmouth on 5 September" in out
    files = len(list((ROOT / "scenarios").glob("*.tests.yaml"))) + 1
    assert f"tests in {files} files:" in out.splitlines()[-1] and out.splitlines()[-1].endswith(" 0 failed")
    failing = tmp_path / "f.tests.yaml"
    failing.write_text(f"scenario: {MINI}\ntests:\n  - name: wrong\n    play: historical until end\n"
                       "    expect: {ending: broken}\n", encoding="utf-8")
    assert main(["test", str(failing)]) == 1
    assert "expected ending 'broken', got 'signed'" in capsys.readouterr().out
    assert main(["test", str(failing), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["passed"] is False


def test_test_command_filters_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", MINI, "-k", "WALKOUT"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 tests in 1 file: 2 passed, 0 failed"


def test_test_command_without_test_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(tmp_path)]) == 1
    assert "no test files (*.tests.yaml)" in capsys.readouterr().err


def test_docs_and_schemas(tmp_path: Path) -> None:
    assert main(["docs", "-o", str(tmp_path / "r.md")]) == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8") == reference_text()
    assert main(["docs", "--lint-codes", "-o", str(tmp_path / "c.md")]) == 0
    assert (tmp_path / "c.md").read_text(encoding="utf-8") == lint_codes_text()
    assert main(["schema", "--tests", "-o", str(tmp_path / "t.json")]) == 0
    assert (tmp_path / "t.json").read_text(encoding="utf-8") == schema_text("tests")
    assert json.loads(schema_text("tests"))["title"] == "negotiation playthrough tests"


def test_lint_a_folder_checks_scenarios_and_their_test_files(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mini.yaml").write_text(Path(MINI).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mini.tests.yaml").write_text("tests:\n  - name: typo\n    play: [historical until secnd]\n",
                                              encoding="utf-8")
    assert main(["lint", str(tmp_path), "--no-play"]) == 1
    out = capsys.readouterr().out
    assert (f"{tmp_path / 'mini.tests.yaml'}:3:12: error NEG002: tests[0].play[0]: unknown decision 'secnd' "
            "(did you mean 'second'?)") in out
    assert out.splitlines()[-1] == "2 files: 1 error, 0 warnings, 1 info — FAILED"
    assert main(["lint", str(tmp_path / "empty")]) == 1
