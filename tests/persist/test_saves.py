"""Saves and replays: versioned canonical JSON, atomic writes, clear errors, nothing lost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario, SaveError, load_text, persist


def played(mini: LoadedScenario, seed: int = 4) -> Game:
    game = Game(mini, seed)
    for move in ["hold", "us", "counter:shared"]:
        game.apply(move)
    return game


def test_save_then_load_is_the_identity(mini: LoadedScenario, tmp_path: Path) -> None:
    game = played(mini)
    path = tmp_path / "slot.json"
    persist.save(game, path)
    back = persist.load(path, mini)
    assert back.state.to_dict() == game.state.to_dict()
    assert back.action_log == game.action_log and back.seed == game.seed


def test_same_game_same_bytes(mini: LoadedScenario) -> None:
    assert persist.dumps(played(mini)) == persist.dumps(played(mini))
    assert persist.dumps(played(mini, 4)) != persist.dumps(played(mini, 5))


def test_save_records_version_scenario_seed_log_and_snapshot(mini: LoadedScenario) -> None:
    data = json.loads(persist.dumps(played(mini)))
    assert data["format"] == "negotiation-save"
    assert data["version"] == persist.VERSION and data["min_version"] == persist.MIN_COMPATIBLE
    assert data["scenario"] == {"id": "mini", "hash": mini.hash}
    assert data["seed"] == 4
    assert data["actions"] == [["first", "hold"], ["first", "ally"], ["first", "counter:shared"]]  # 'us' is 'ally' now
    assert data["snapshot"]["decision"] == "second"


def test_overwriting_keeps_the_previous_save(mini: LoadedScenario, tmp_path: Path) -> None:
    path = tmp_path / "slot.json"
    first = Game(mini)
    persist.save(first, path)
    persist.save(played(mini), path)
    assert (tmp_path / "slot.json.bak").read_bytes() == persist.dumps(first)
    assert json.loads(path.read_bytes())["actions"]


def test_a_failed_write_leaves_the_old_save_intact(mini: LoadedScenario, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "slot.json"
    persist.save(Game(mini), path)
    before = path.read_bytes()

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(persist.os, "replace", boom)
    with pytest.raises(OSError):
        persist.save(played(mini), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("mangle,message", [
    (lambda b: b[: len(b) // 2], "truncated or corrupt JSON"),
    (lambda b: b"\x00\xff garbage", "truncated or corrupt JSON"),
    (lambda b: b"[1, 2]", "not a negotiation save file"),
    (lambda b: b.replace(b'"min_version": 1', b'"min_version": 99'), "made by a newer version"),
    (lambda b: b.replace(b'"id": "mini"', b'"id": "other"'), "for scenario 'other', not 'mini'"),
    (lambda b: b.replace(b'"hold"', b'"accept"', 1), "was taken at decision|cannot be replayed|snapshot disagrees"),
    (lambda b: re.sub(rb'"patience": [0-9.]+', b'"patience": 99.0', b, count=1), "snapshot disagrees"),
    (lambda b: b.replace(b'"seed": 4', b'"seed": "four"'), "no integer seed"),
])
def test_broken_saves_get_clear_errors_and_stay_on_disk(mini: LoadedScenario, tmp_path: Path,
                                                        mangle: object, message: str) -> None:
    path = tmp_path / "slot.json"
    raw = mangle(persist.dumps(played(mini)))  # type: ignore[operator]
    path.write_bytes(raw)
    with pytest.raises(SaveError, match=message):
        persist.load(path, mini)
    assert path.read_bytes() == raw  # nothing lost


def test_a_changed_scenario_is_detected(mini: LoadedScenario, mini_text: str, tmp_path: Path) -> None:
    path = tmp_path / "slot.json"
    persist.save(played(mini), path)
    edited = load_text(mini_text.replace("title: The port\n", "title: The harbour\n"), "mini.yaml")
    with pytest.raises(SaveError, match="has changed since this game was saved"):
        persist.load(path, edited)
    assert persist.load(path, edited, check_hash=False).state.decision == "second"


def test_a_replay_file_needs_no_snapshot(mini: LoadedScenario) -> None:
    game = played(mini)
    data = persist.parse(persist.dumps(game, snapshot=False))
    assert "snapshot" not in data
    assert persist.restore(data, mini).state.to_dict() == game.state.to_dict()


def test_missing_file_is_a_save_error(mini: LoadedScenario, tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="cannot read"):
        persist.load(tmp_path / "none.json", mini)


def test_absurdly_nested_json_is_a_save_error(mini: LoadedScenario, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    with pytest.raises(SaveError, match=r"not a save|truncated or corrupt"):
        persist.load(path, mini)


def test_a_player_save_of_an_earlier_scenario_version_replays_on_the_new_one(
        mini: LoadedScenario, mini_text: str, tmp_path: Path) -> None:
    """A new release changes a scenario's text: the player's saves still open (their moves are replayed, with a
    note); only a save whose moves no longer replay is refused, and it says why."""
    from negotiation.client import slots
    from negotiation.engine.rules import rules_for

    path = tmp_path / "slot.json"
    persist.save(played(mini), path, {"name": "Before the release"})
    edited = rules_for(load_text(mini_text.replace("title: The port\n", "title: The harbour\n"), "mini.yaml"))
    game, meta = slots.read(path, edited)
    assert game.state.decision == "second" and meta["scenario_changed"] is True
    same, meta = slots.read(path, rules_for(mini))
    assert "scenario_changed" not in meta
    assert (same.state.decision, same.state.variables) == (game.state.decision, game.state.variables)
    gone = rules_for(load_text(mini_text.replace("  - {id: shared,", "  - {id: common,")
                               .replace("counter:shared", "counter:common").replace(": shared", ": common"),
                               "mini.yaml"))
    with pytest.raises(SaveError, match="another version of the scenario"):
        slots.read(path, gone)
