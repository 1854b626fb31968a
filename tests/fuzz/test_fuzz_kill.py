"""kill -9 during saves: the save is always the old or the new file, the .bak always a whole earlier save,
and the next save leaves no temporary file. NEGOTIATION_FUZZ_KILLS sets the number of kills."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from fuzz_harness import KILLS, tally

from negotiation import Game, LoadedScenario, persist


def played(mini: LoadedScenario, steps: int) -> Game:
    game = Game(mini, seed=4)
    for _ in range(steps):
        game.apply(game.historical_action())
    return game


def debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


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
        tally("kill -9 during a save", "save and .bak whole" + (", a temporary file left, removed by the next save"
                                                                 if debris(folder) else ", no temporary file left"))
        persist.write_atomic(target, b)  # the next save cleans up
        assert debris(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == ["slot.json", "slot.json.bak"]
