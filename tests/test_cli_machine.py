"""The command line for machines: validate --format, --json - and -o -, closed pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation.cli import main
from negotiation.errors import Diagnostic
from negotiation.scenario.diagnostics import diagnostic_github, github_annotation

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini.yaml")
BAD = str(FIXTURES / "bad" / "bad_refs.yaml")
CLI = [sys.executable, "-m", "negotiation"]


def test_validate_json_is_a_list_of_diagnostics_and_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", BAD, MINI, "no_such_id"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    items = json.loads(out)
    assert isinstance(items, list) and len(items) == 5  # four in bad_refs.yaml, one for the unknown id
    assert all(set(d) == {"file", "line", "column", "severity", "field", "message", "hint"} for d in items)
    harbour = next(d for d in items if d["field"] == "decisions[0].article")
    assert harbour == {"file": BAD, "line": 73, "column": 5, "severity": "error", "field": "decisions[0].article",
                       "message": "unknown article 'harbour'", "hint": "known: port"}
    assert items[-1]["file"] == "no_such_id" and "no scenario 'no_such_id'" in items[-1]["message"]


def test_validate_json_of_valid_files_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", MINI, "tutorial"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_validate_github_annotates_each_problem_at_its_line(capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)  # a repository's root: annotations name files relative to it
    assert main(["validate", "--format", "github", BAD, MINI]) == 1
    lines = capsys.readouterr().out.splitlines()
    annotations = [x for x in lines if x.startswith("::")]
    assert len(annotations) == 4
    assert ("::error file=fixtures/bad/bad_refs.yaml,line=73,col=5,title=negotiation validate::"
            "decisions[0].article: unknown article 'harbour' (known: port)") in annotations
    assert any(x.startswith("fixtures/mini.yaml: ok — A small negotiation") or ": ok — A small negotiation" in x
               for x in lines)


def test_validate_text_goes_on_after_an_unknown_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no_such_id", MINI]) == 1
    out, err = capsys.readouterr()
    assert "error: no scenario 'no_such_id'" in err and "ok — A small negotiation" in out


def test_github_annotations_escape_what_would_end_a_property_or_a_line() -> None:
    line = github_annotation("warning", "odd,name:1.yaml", 3, 7, "50% done\nnext line", "T: x")
    assert line == "::warning file=odd%2Cname%3A1.yaml,line=3,col=7,title=T%3A x::50%25 done%0Anext line"
    d = Diagnostic("f.yaml", 2, 4, "a.b", "bad \x1b[2J value", "")
    assert diagnostic_github(d) == ("::error file=f.yaml,line=2,col=4,title=negotiation validate::"
                                    "a.b: bad \\x1b[2J value")
    with pytest.raises(ValueError, match="severity"):
        github_annotation("fatal", "f", 1, 1, "x")


def test_lint_github_annotates_findings_and_keeps_the_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--no-play", "--format", "github", BAD]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert sum(x.startswith("::error file=") and ",title=negotiation lint NEG002::" in x for x in lines) == 4
    assert lines[-1] == "1 file: 4 errors, 0 warnings, 0 info — FAILED"


def test_simulate_json_dash_writes_only_the_report_to_standard_output(capsys: pytest.CaptureFixture[str],
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["simulate", MINI, "--policy", "historical", "--runs", "2", "--json", "-"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["games"] == 2
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_analyze_json_dash_is_the_same_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["analyze", MINI, "--width", "2", "--seeds", "1", "--hold-seeds", "1", "--json", "-"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), dict)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["schema", "-o", "-"], ["docs", "-o", "-"], ["graph", MINI, "-o", "-"]])
def test_output_dash_is_standard_output(argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert len(out) > 100 and "written to" not in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux's pipe size control")
@pytest.mark.parametrize("argv", [["docs"], ["schema"], ["validate", "--format", "json", MINI],
                                  ["simulate", MINI, "--runs", "40", "--json", "-"]])
def test_a_closed_pipe_ends_quietly_whatever_the_command(argv: list[str], tmp_path: Path) -> None:
    """`negotiation ... | head -c 1`: the reader leaves while the writer still has output; status 0, no message.

    The pipe is made one page small, so that every command here fills it and meets the closed pipe.
    """
    import fcntl

    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    env = {**os.environ, "NEGOTIATION_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([*CLI, *argv], stdout=write_end, stderr=subprocess.PIPE, env=env)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        assert reader.read(1)
    assert proc.stderr is not None
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0, err
    assert err == b""
    assert not (tmp_path / "error.log").exists()
