"""Saves survive crashes: atomic backups, no debris, damaged saves refused (kill -9: tests/fuzz)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from negotiation import LoadedScenario, persist
from negotiation.engine.game import Game
from negotiation.errors import SaveError


def played(mini: LoadedScenario, steps: int = 3, seed: int = 4) -> Game:
    game = Game(mini, seed=seed)
    for _ in range(steps):
        if game.is_over():
            break
        game.apply(game.historical_action())
    return game


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_the_backup_is_the_previous_file_itself_not_a_copy(tmp_path: Path) -> None:
    """The .bak is a hard link to the old file (same inode): there is no copy for a crash to cut short."""
    path = tmp_path / "slot.json"
    persist.write_atomic(path, b"first")
    old_inode = path.stat().st_ino
    persist.write_atomic(path, b"second")
    bak = tmp_path / "slot.json.bak"
    assert bak.read_bytes() == b"first"
    assert bak.stat().st_ino == old_inode
    persist.write_atomic(path, b"third")
    assert (path.read_bytes(), bak.read_bytes()) == (b"third", b"second")
    assert debris(tmp_path) == []


def test_without_hard_links_the_old_file_is_moved_to_the_backup(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "slot.json"
    persist.write_atomic(path, b"first")
    persist.write_atomic(path, b"second")
    assert (path.read_bytes(), (tmp_path / "slot.json.bak").read_bytes()) == (b"second", b"first")
    assert debris(tmp_path) == []


def test_stale_temporary_files_are_removed_by_the_next_write(tmp_path: Path) -> None:
    """What a crash left behind (the save's and the backup's temporaries) goes; other files stay."""
    path = tmp_path / "slot.json"
    stale = [".slot.json.ab12cd_9.tmp", ".slot.json.bak.zz99yy00.tmp"]
    keep = [".slot.jsonx.ab12cd_9.tmp", ".other.json.ab12cd_9.tmp", "notes.tmp", ".slot.json.toolongname.tmp"]
    for name in stale + keep:
        (tmp_path / name).write_bytes(b"half")
    persist.write_atomic(path, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*keep, "slot.json"])


def test_a_save_without_its_snapshot_is_damaged(mini: LoadedScenario, tmp_path: Path) -> None:
    """A save whose snapshot was cut out is refused: the integrity check is never skipped silently."""
    data = json.loads(persist.dumps(played(mini)))
    del data["snapshot"]
    path = tmp_path / "slot.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="no snapshot"):
        persist.load(path, mini)


def test_a_replay_file_says_so_and_loads_without_a_snapshot(mini: LoadedScenario) -> None:
    game = played(mini)
    data = json.loads(persist.dumps(game, snapshot=False))
    assert data["replay"] is True and "snapshot" not in data
    assert persist.restore(persist.parse(json.dumps(data)), mini).state.to_dict() == game.state.to_dict()
    data["replay"] = "yes"
    with pytest.raises(SaveError, match="no snapshot"):
        persist.parse(json.dumps(data))


@pytest.mark.parametrize("mangle,message", [
    (lambda d: d.update(snapshot=[1, 2]), "snapshot is damaged"),
    (lambda d: d.update(seed=True), "no integer seed"),
    (lambda d: d.update(seed=10 ** 30), "out of range"),
    (lambda d: d.update(min_version=10 ** 4000), "newer version"),
])
def test_odd_values_in_a_save_are_save_errors(mini: LoadedScenario, mangle: object, message: str) -> None:
    data = json.loads(persist.dumps(played(mini)))
    mangle(data)  # type: ignore[operator]
    with pytest.raises(SaveError, match=message):
        persist.parse(json.dumps(data))


def test_an_integer_of_more_than_4300_digits_is_a_save_error(mini: LoadedScenario) -> None:
    """json raises ValueError (not JSONDecodeError) for such an integer: still a SaveError."""
    raw = persist.dumps(played(mini)).replace(b'"seed": 4', b'"seed": ' + b"9" * 5000)
    with pytest.raises(SaveError, match="not a readable save"):
        persist.parse(raw, "big.json")


def test_a_file_too_large_to_be_a_save_is_refused_unread(mini: LoadedScenario, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (persist.MAX_BYTES + 1))
    with pytest.raises(SaveError, match="larger than"):
        persist.load(path, mini)
