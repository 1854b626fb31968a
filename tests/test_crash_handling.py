"""The last resort: no traceback ever reaches the user; a closed pipe ends quietly."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation import cli, resources
from negotiation.ui import settings

FIXTURES = Path(__file__).parent / "fixtures"
CLI = [sys.executable, "-m", "negotiation"]


def test_an_unexpected_error_is_one_line_and_a_log(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A fault of ours: exit 1, one line naming the log, the traceback in the log."""
    monkeypatch.setenv("NEGOTIATION_DATA_DIR", str(tmp_path))

    def boom(_: argparse.Namespace) -> int:
        raise ValueError("something\x1b[2J broke")

    monkeypatch.setattr(cli, "cmd_docs", boom)
    assert cli.main(["docs"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "\x1b" not in err
    assert "unexpected ValueError: something\\x1b[2J broke" in err
    assert str(tmp_path / "error.log") in err
    log = (tmp_path / "error.log").read_text()
    assert "Traceback" in log and "negotiation docs" in log and "boom" in log


def test_the_data_folder_is_the_same_for_the_window_and_the_command_line(monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("NEGOTIATION_DATA_DIR", str(tmp_path))
    assert resources.data_dir() == settings.data_dir() == tmp_path
    monkeypatch.delenv("NEGOTIATION_DATA_DIR")
    assert resources.data_dir() == settings.data_dir()


def test_an_unwritable_log_still_gives_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("NEGOTIATION_DATA_DIR", str(blocker / "sub"))
    assert resources.last_resort(RuntimeError("x"), "test") == 1
    assert "the error log could not be written" in capsys.readouterr().err


def test_the_window_start_has_the_same_last_resort(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """An unexpected error while the window opens is logged and told in one line, not a traceback."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("NEGOTIATION_DATA_DIR", str(tmp_path))
    from negotiation.ui import app

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("no window today")

    monkeypatch.setattr(app, "App", broken)
    assert app.main("tutorial") == 1
    err = capsys.readouterr().err
    assert "unexpected RuntimeError: no window today" in err and "Traceback" not in err
    assert "no window today" in (tmp_path / "error.log").read_text()


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`negotiation docs | head`: no 'error: Broken pipe', no flush error at exit, status 0."""
    env = {**os.environ, "NEGOTIATION_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([*CLI, "docs"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # the reader goes away after ten bytes
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert err == b""
    assert not (tmp_path / "error.log").exists()


@pytest.mark.parametrize("text", ["title: !!timestamp x\n", "title: !!bool x\n", "a: \x07\n"])
def test_validate_of_hostile_files_exits_1_without_a_traceback(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    out = subprocess.run([*CLI, "validate", str(path)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "NEGOTIATION_DATA_DIR": str(tmp_path)})
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and f"{path}:1:" in out.stderr


@pytest.mark.parametrize("name,text,message", [
    ("s.yaml", "actions: !!timestamp x\n", "cannot be read as !!timestamp"),
    ("s.yaml", "actions: [a\x07]\n", "s.yaml:1:12"),
    ("s.json", '{"actions": [1, 2', "JSON syntax"),
    ("s.json", '{"seed": ' + "9" * 5000 + "}", "JSON: Exceeds the limit"),
])
def test_a_bad_strategy_script_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  name: str, text: str, message: str) -> None:
    script = tmp_path / name
    script.write_text(text)
    assert cli.main(["simulate", str(FIXTURES / "mini.yaml"), "--policy", "scripted", "--script", str(script),
                     "--runs", "1"]) == 1
    err = capsys.readouterr().err
    assert message in err and str(script) in err and "Traceback" not in err
