"""Corrupted saves: each one loads (and then agrees with its log) or is refused with a SaveError; none
crashes, and the file on disk is never changed by a failed load. A sample goes through `negotiation replay`.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from fuzz_harness import budget, tally
from hypothesis import given
from hypothesis import strategies as st

from negotiation import Game, LoadedScenario, cli, load_file, persist
from negotiation.errors import SaveError
from negotiation.resources import scenario_path

FIXTURES = Path(__file__).parents[1] / "fixtures"
SCENARIOS: dict[str, LoadedScenario] = {"mini": load_file(FIXTURES / "mini.yaml"),
                                        "tutorial": load_file(scenario_path("tutorial"))}
PATHS = {"mini": str(FIXTURES / "mini.yaml"), "tutorial": str(scenario_path("tutorial"))}


def played(name: str, seed: int, steps: int) -> Game:
    game = Game(SCENARIOS[name], seed=seed)
    rng = random.Random(seed)
    for _ in range(steps):
        if game.is_over():
            break
        game.apply(rng.choice(game.legal_actions()))
    return game


def _tamper_log(data: dict[str, Any], draw: st.DrawFn) -> str:
    actions = data["actions"]
    kind = draw(st.sampled_from(("replace", "swap_decision", "drop", "duplicate", "shuffle", "append", "junk")))
    if not actions and kind not in ("append", "junk"):
        kind = "append"
    if kind == "replace":
        i = draw(st.integers(0, len(actions) - 1))
        actions[i][1] = draw(st.sampled_from(("accept", "hold", "sign", "counter:nope", "option:x", "", "us",
                                              "mandate", "walkout", "counter:", "x" * 10_000, "\x1b[2J")))
    elif kind == "swap_decision":
        i = draw(st.integers(0, len(actions) - 1))
        actions[i][0] = draw(st.sampled_from(("first", "second", "ceremony", "nope", "")))
    elif kind == "drop":
        del actions[draw(st.integers(0, len(actions) - 1))]
    elif kind == "duplicate":
        i = draw(st.integers(0, len(actions) - 1))
        actions.insert(i, list(actions[i]))
    elif kind == "shuffle":
        random.Random(draw(st.integers(0, 99))).shuffle(actions)
    elif kind == "append":
        actions.append(["nope", "hold"])
    else:
        data["actions"] = draw(st.sampled_from(([["a"]], [[1, 2]], "hold", None, [None], [["a", "b", "c"]])))
    return f"log {kind}"


def _tamper_envelope(data: dict[str, Any], draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(("format", "version", "min_version", "scenario", "seed", "snapshot", "meta",
                                "replay", "actions")))
    value = draw(st.sampled_from((None, True, 0, -1, 2**70, "x", [], {}, {"id": "mini"}, {"id": 5}, 1.5,
                                  "DELETE")))
    if value == "DELETE":
        data.pop(key, None)
    else:
        data[key] = value
    return f"envelope {key}"


def _tamper_snapshot(data: dict[str, Any], draw: st.DrawFn) -> str:
    snap = data.get("snapshot")
    if not isinstance(snap, dict) or not snap:
        return "no snapshot"
    key = draw(st.sampled_from(sorted(snap)))
    snap[key] = draw(st.sampled_from((None, 0, -1, 10**300, 1e308, "x", [], {}, [[[[]]]])))
    return f"snapshot {key}"


def corrupt(raw: bytes, draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(("truncate", "bitflip", "log", "envelope", "snapshot", "bigint", "nesting",
                                 "bytes")))
    if kind == "truncate":
        return raw[: draw(st.integers(0, len(raw) - 1))], kind
    if kind == "bitflip":
        out = bytearray(raw)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(out) - 1))
            out[i] ^= 1 << draw(st.integers(0, 7))
        return bytes(out), kind
    if kind == "bigint":
        digits = draw(st.sampled_from((400, 4300, 4301, 5000, 100_000)))
        spots = [i for i in range(len(raw)) if raw[i:i + 1].isdigit() and not raw[i - 1:i].isdigit()]
        i = draw(st.sampled_from(spots))
        return raw[:i] + b"9" * digits + raw[i:], f"bigint {digits}"
    if kind == "nesting":
        depth = draw(st.sampled_from((10, 900, 5000, 200_000)))
        return raw.replace(b'"seed": ', b'"seed": ' + b"[" * depth + b"1" + b"]" * depth, 1), f"nesting {depth}"
    if kind == "bytes":
        junk = draw(st.sampled_from((b"\x00", b"\xff\xfe", b"\x1b[2J", "中".encode(), b"\"", b"}", b"NaN",
                                     b"Infinity")))
        i = draw(st.integers(0, len(raw)))
        return raw[:i] + junk + raw[i:], "bytes"
    data = json.loads(raw)
    how = {"log": _tamper_log, "envelope": _tamper_envelope, "snapshot": _tamper_snapshot}[kind](data, draw)
    return json.dumps(data).encode(), how


def saves() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.tuples(st.sampled_from(sorted(SCENARIOS)), st.integers(0, 50), st.integers(0, 25),
                     st.booleans()).map(lambda t: (t[0], persist.dumps(played(t[0], t[1], t[2]), snapshot=t[3])))


@budget(400)
@given(save=saves(), data=st.data())
def test_a_corrupted_save_loads_and_agrees_or_is_a_save_error(save: tuple[str, bytes], data: st.DataObject,
                                                              tmp_path_factory: pytest.TempPathFactory) -> None:
    name, raw = save
    bad, how = corrupt(raw, data.draw)
    path = tmp_path_factory.mktemp("save") / "slot.json"
    path.write_bytes(bad)
    try:
        game = persist.load(path, SCENARIOS[name])
    except SaveError as exc:
        assert str(exc).startswith(str(path)), exc
        tally("corrupted save", "refused with SaveError")
    else:  # what loads is a game whose log replays (and whose snapshot, if any, matched)
        again = persist.restore(persist.parse(persist.dumps(game)), SCENARIOS[name])
        assert again.state.to_dict() == game.state.to_dict()
        tally("corrupted save", f"loaded (still valid after: {how})")
    assert path.read_bytes() == bad  # a failed (or successful) load never touches the file


@budget(20)
@given(save=saves(), data=st.data())
def test_replay_of_a_corrupted_save_exits_0_or_1_without_a_traceback(save: tuple[str, bytes], data: st.DataObject,
                                                                     tmp_path_factory: pytest.TempPathFactory
                                                                     ) -> None:
    name, raw = save
    bad, _ = corrupt(raw, data.draw)
    path = tmp_path_factory.mktemp("replay") / "slot.json"
    path.write_bytes(bad)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["replay", str(path), "--scenario", PATHS[name]])
    assert status in (0, 1)
    assert "Traceback" not in err.getvalue() and "error: unexpected " not in err.getvalue(), err.getvalue()
    if status:
        assert str(path) in err.getvalue()
    tally("replay (CLI) of a corrupted save", "exit 0" if status == 0 else "exit 1, one clean error")
