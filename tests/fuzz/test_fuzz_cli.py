"""End to end, as a user runs it: hostile files through the real `negotiation` process.

Exit status 1, the file named (with its line where there is one) on stderr, no traceback, and an
answer in bounded time (a generous timeout, not a speed goal).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fuzz_harness import budget, tally
from fuzz_mutate import DATA_MUTATIONS, dump, text_mutation
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_scenarios import BASES, DATA

from negotiation import Game, load_file, persist

FIXTURES = Path(__file__).parents[1] / "fixtures"
TIMEOUT = 120  # seconds: far above what any input needs; only a hang reaches it


def negotiation(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEGOTIATION_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "negotiation", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL)


@budget(4)
@given(data=st.data())
def test_validate_of_a_hostile_file_in_a_real_process(data: st.DataObject,
                                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    tree = copy.deepcopy(DATA[data.draw(st.sampled_from(sorted(BASES)))])
    for kind in data.draw(st.lists(st.sampled_from(sorted(DATA_MUTATIONS)), min_size=1, max_size=3)):
        DATA_MUTATIONS[kind](tree, data.draw)
    text, _ = text_mutation(dump(tree), data.draw)
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    out = negotiation("validate", str(path), data_dir=folder)
    assert out.returncode in (0, 1)
    assert "Traceback" not in out.stderr and "error: unexpected " not in out.stderr, out.stderr[-3000:]
    if out.returncode:
        assert f"{path}:" in out.stderr
    tally("validate (real process) of a hostile file", f"exit {out.returncode}")


@pytest.mark.parametrize("mangle", [
    lambda raw: raw[: len(raw) // 2],
    lambda raw: raw.replace(b'"seed": ', b'"seed": ' + b"9" * 5000, 1),
    lambda raw: raw.replace(b'"seed": ', b'"seed": ' + b"[" * 100_000, 1),
    lambda raw: raw.replace(b'"snapshot"', b'"snapshoot"', 1),
    lambda raw: raw.replace(b'"hold"', b'"\\u001b[2J"', 1),
])
def test_replay_of_a_damaged_save_in_a_real_process(tmp_path: Path, mangle: object) -> None:
    mini = load_file(FIXTURES / "mini.yaml")
    game = Game(mini, seed=3)
    for _ in range(3):
        game.apply(game.historical_action())
    path = tmp_path / "slot.json"
    path.write_bytes(mangle(persist.dumps(game)))  # type: ignore[operator]
    out = negotiation("replay", str(path), "--scenario", str(FIXTURES / "mini.yaml"), data_dir=tmp_path)
    assert out.returncode == 1
    assert out.stderr.startswith(f"error: {path}:") and out.stderr.count("\n") == 1, out.stderr
    assert "\x1b" not in out.stderr
    tally("replay (real process) of a damaged save", "exit 1, one line")
