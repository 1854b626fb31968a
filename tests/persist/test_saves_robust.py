"""Saves survive crashes: atomic backups, no debris, damaged saves refused, kill -9 during a save."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from negotiation import LoadedScenario, persist
from negotiation.engine.game import Game
from negotiation.errors import SaveError

KILLS = int(os.environ.get("NEGOTIATION_FUZZ_KILLS", "8"))  # `make fuzz` raises it


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


_CHILD = r"""
import sys
from pathlib import Path
from negotiation.persist import write_atomic
target, a, b = Path(sys.argv[1]), Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()
print("ready", flush=True)
i = 0
while True:
    write_atomic(target, a if i % 2 else b)
    i += 1
"""


def test_kill_9_during_saves_never_damages_the_save_or_its_backup(mini: LoadedScenario, tmp_path: Path) -> None:
    """A process saving in a loop is killed at random moments: the save is always the old or the new
    file, the .bak always a whole earlier save, and the next save leaves no temporary file."""
    pad = {"pad": "x" * 400_000}  # a larger file makes a longer window for the kill to land in
    a = persist.dumps(played(mini, 2), meta=pad)
    b = persist.dumps(played(mini, 3), meta=pad)
    (tmp_path / "a").write_bytes(a)
    (tmp_path / "b").write_bytes(b)
    folder = tmp_path / "saves"
    folder.mkdir()
    target = folder / "slot.json"
    persist.write_atomic(target, a)
    persist.write_atomic(target, b)
    rng = random.Random(1945)
    left_debris = 0
    for _ in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(target), str(tmp_path / "a"), str(tmp_path / "b")],
                                 stdout=subprocess.PIPE)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert target.read_bytes() in (a, b)
        assert (folder / "slot.json.bak").read_bytes() in (a, b)
        persist.load(target, mini)
        left_debris += bool(debris(folder))
        persist.write_atomic(target, b)  # the next save cleans up
        assert debris(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == ["slot.json", "slot.json.bak"]
