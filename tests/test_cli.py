"""The command line, as a user types it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario, persist
from negotiation.cli import main
from negotiation.terminal import run

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini.yaml")


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", MINI]) == 0
    assert "ok — A small negotiation: 1 articles" in capsys.readouterr().out


def test_validate_reports_every_problem_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "bad" / "bad_refs.yaml"), MINI]) == 1
    captured = capsys.readouterr()
    assert "found 4 errors" in captured.err
    assert "bad_refs.yaml:73:5: decisions[0].article: unknown article 'harbour'" in captured.err
    assert "ok" in captured.out  # the good file is still checked


def test_simulate_writes_the_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    assert main(["simulate", MINI, "--policy", "historical", "--runs", "3", "--seed", "5", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    assert report["policy"] == "historical" and [r["seed"] for r in report["runs"]] == [5, 6, 7]
    assert "3 games" in capsys.readouterr().out


def test_simulate_rejects_unknown_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", MINI, "--policy", "clever", "--runs", "1"]) == 1
    assert "unknown policy 'clever'" in capsys.readouterr().err


def test_replay_verifies_and_prints_the_score_card(mini: LoadedScenario, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    game = Game(mini)
    while not game.is_over():
        game.apply(game.historical_action() or "")
    path = tmp_path / "done.json"
    persist.save(game, path)
    assert main(["replay", str(path), "--scenario", MINI]) == 0
    out = capsys.readouterr().out
    assert "4 actions replayed; snapshot verified" in out
    assert "Interest score: +0.0" in out and "Fidelity:       100.0%" in out


def test_replay_of_a_corrupt_file_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "negotiation-save", "vers')
    assert main(["replay", str(path), "--scenario", MINI]) == 1
    assert "truncated or corrupt JSON" in capsys.readouterr().err


def test_text_front_end_plays_to_the_score_card(mini: LoadedScenario) -> None:
    """Numbered choices, lettered standard moves, the draft, undo and help, signing confirmed, the score card."""
    keys = "\n".join(["?", "d", "h", "u", "h", "h", "3", "s", "y", "q", ""])
    out = io.StringIO()
    game = run(mini, stdin=io.StringIO(keys), stdout=out)
    text = out.getvalue()
    assert game.is_over() and game.outcome() is not None
    assert "THE DRAFT TREATY" in text and "Undone." in text and "Commands:" in text
    assert "SCORE CARD" in text and "Interest score: +0.0" in text
    assert "1. Accept: Theirs" in text


def test_text_front_end_rejects_bad_numbers(mini: LoadedScenario) -> None:
    out = io.StringIO()
    run(mini, stdin=io.StringIO("99\nzz\nq\n"), stdout=out)
    assert "Choose a number from 1 to 3, or one of the letters shown." in out.getvalue()
    assert "Unknown command 'zz'" in out.getvalue()


def test_schema_command_writes_json_schema(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    assert main(["schema", "-o", str(out)]) == 0
    schema = json.loads(out.read_text())
    assert schema["title"] == "negotiation scenario" and "articles" in schema["properties"]


def test_play_without_a_display_says_so_in_one_line(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["play"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        "No display found (no X or Wayland session): the window cannot open. "
        "Play in the terminal instead with: negotiation play --text"]


def test_simulate_finds_a_bundled_script_by_name(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["simulate", "moscow1945", "--policy", "scripted", "--script", "settle-7-august", "--runs", "2",
                 "--json", str(out)]) == 0
    assert {r["ending"] for r in json.loads(out.read_text())["runs"]} == {"treaty_before_entry"}


def test_replay_of_an_unfinished_game_says_where_it_stands(mini: LoadedScenario, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    game = Game(mini)
    game.apply("hold")
    persist.save(game, tmp_path / "s.json")
    assert main(["replay", str(tmp_path / "s.json"), "--scenario", MINI]) == 0
    assert "stands at 'The port' (first); no score card yet" in capsys.readouterr().out


def test_replay_never_reads_the_saves_scenario_id_as_a_path(mini: LoadedScenario, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A save names its scenario by id; only bundled scenarios are looked up by it."""
    data = json.loads(persist.dumps(Game(mini)))
    data["scenario"]["id"] = str(FIXTURES / "mini.yaml")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    assert main(["replay", str(path)]) == 1
    assert "which is not bundled; give its file with --scenario" in capsys.readouterr().err


def test_unwritable_output_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "-o", str(tmp_path)]) == 1
    assert f"error: {tmp_path}: is a folder, not a file" in capsys.readouterr().err
    (tmp_path / "plain").write_text("a file, not a folder")
    assert main(["simulate", MINI, "--runs", "1", "--json", str(tmp_path / "plain" / "r.json")]) == 1
    assert "plain" in capsys.readouterr().err


def test_text_front_end_ignores_unicode_digits(mini: LoadedScenario) -> None:
    out = io.StringIO()
    run(mini, stdin=io.StringIO("²\nq\n"), stdout=out)
    assert "Unknown command '²'" in out.getvalue()


def test_text_score_card_names_the_scenarios_own_year() -> None:
    """The tutorial is scored against 1905, not 1945."""
    from negotiation import load_file
    from negotiation.resources import scenario_path

    loaded = load_file(scenario_path("tutorial"))
    game = Game(loaded)
    while not game.is_over():
        game.apply(game.historical_action() or "")
    out = io.StringIO()
    run(loaded, stdin=io.StringIO(""), stdout=out, game=game)
    text = out.getvalue()
    assert "(1905 = 0; above 0 is better for your side)" in text and "1945 = " not in text


def test_play_load_uses_the_scenario_the_save_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from negotiation import load_file
    from negotiation.resources import scenario_path

    game = Game(load_file(scenario_path("tutorial")))
    game.apply(game.historical_action() or "")
    persist.save(game, tmp_path / "t.json")
    monkeypatch.setattr("sys.stdin", io.StringIO("q\n"))
    assert main(["play", "--text", "--load", str(tmp_path / "t.json")]) == 0
    assert "Portsmouth" in capsys.readouterr().out
