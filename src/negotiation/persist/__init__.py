"""Versioned JSON saves and replays: the action log is the truth, the snapshot a checked cache.

Writes are atomic (a temporary file, then ``os.replace``) and the previous save is kept as
``<name>.bak``. The same scenario, seed and actions give the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.errors import NegotiationError, SaveError
from negotiation.scenario.loader import LoadedScenario

FORMAT = "negotiation-save"
VERSION = 2  # 2: events carry data; sessions, cables and standing demands in the snapshot
MIN_COMPATIBLE = 1  # a version-1 save still loads when its action log replays (its snapshot is not compared)


def to_data(game: Game, meta: dict[str, Any] | None = None, snapshot: bool = True) -> dict[str, Any]:
    """Return the save as plain data."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "min_version": MIN_COMPATIBLE,
        "scenario": {"id": game.rules.scenario.scenario.id, "hash": game.rules.hash},
        "seed": game.seed,
        "actions": [[d, a] for d, a in game.action_log],
    }
    if snapshot:
        data["snapshot"] = game.state.to_dict()
    if meta:
        data["meta"] = meta
    return data


def dumps(game: Game, meta: dict[str, Any] | None = None, snapshot: bool = True) -> bytes:
    """Serialise a game as canonical JSON bytes (sorted keys)."""
    text = json.dumps(to_data(game, meta, snapshot), sort_keys=True, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def write_atomic(path: str | Path, data: bytes, keep_previous: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; keep the old file as ``path.bak``."""
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_previous and target.exists():
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save(game: Game, path: str | Path, meta: dict[str, Any] | None = None) -> None:
    """Save a game to a file, atomically, keeping the previous save."""
    write_atomic(path, dumps(game, meta))


def parse(raw: bytes | str, source: str = "<save>") -> dict[str, Any]:
    """Read and check the envelope of a save; raise SaveError saying what is wrong."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SaveError(f"{source}: not a readable save (truncated or corrupt JSON: {exc})") from None
    except RecursionError:
        raise SaveError(f"{source}: not a save (its JSON nests too deep)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError(f"{source}: not a negotiation save file (no 'format: {FORMAT}')")
    version, min_version = data.get("version"), data.get("min_version")
    if not isinstance(version, int) or not isinstance(min_version, int):
        raise SaveError(f"{source}: the save has no valid version")
    if min_version > VERSION:
        raise SaveError(f"{source}: made by a newer version (format {version}, needs {min_version}; "
                        f"this program reads up to {VERSION}); update the game")
    if version < MIN_COMPATIBLE:
        raise SaveError(f"{source}: format {version} is too old (oldest readable: {MIN_COMPATIBLE})")
    scen = data.get("scenario")
    actions = data.get("actions")
    if not isinstance(scen, dict) or not isinstance(scen.get("id"), str):
        raise SaveError(f"{source}: the save does not name its scenario")
    if not isinstance(data.get("seed"), int):
        raise SaveError(f"{source}: the save has no integer seed")
    if not isinstance(actions, list) or not all(
        isinstance(a, list) and len(a) == 2 and all(isinstance(x, str) for x in a) for a in actions
    ):
        raise SaveError(f"{source}: the action log is malformed (expected [[decision, action], ...])")
    return data


def restore(data: dict[str, Any], scenario: LoadedScenario | Rules, source: str = "<save>",
            check_hash: bool = True) -> Game:
    """Rebuild a game from parsed save data: replay the log, then check it against the snapshot."""
    rules = scenario if isinstance(scenario, Rules) else rules_for(scenario)
    sid = rules.scenario.scenario.id
    if data["scenario"]["id"] != sid:
        raise SaveError(f"{source}: this save is for scenario {data['scenario']['id']!r}, not {sid!r}")
    if check_hash and data["scenario"].get("hash") != rules.hash:
        raise SaveError(f"{source}: the scenario {sid!r} has changed since this game was saved "
                        f"(hash {data['scenario'].get('hash')} != {rules.hash})")
    game = Game(rules, data["seed"])
    for i, (decision, action) in enumerate(data["actions"]):
        if game.state.decision != decision:
            raise SaveError(f"{source}: action {i + 1} was taken at decision {decision!r}, "
                            f"but the replay is at {game.state.decision!r}")
        try:
            game.apply(action)
        except NegotiationError as exc:
            raise SaveError(f"{source}: action {i + 1} ({action!r}) cannot be replayed: {exc}") from None
    snap = data.get("snapshot")
    # a snapshot of another scenario version, or of an older save format, cannot be compared
    same_scenario = data["scenario"].get("hash") == rules.hash and data.get("version") == VERSION
    if snap is not None and same_scenario and snap != json.loads(json.dumps(game.state.to_dict())):
        raise SaveError(f"{source}: the snapshot disagrees with the replayed action log (edited or corrupt save)")
    return game


def load(path: str | Path, scenario: LoadedScenario | Rules, check_hash: bool = True) -> Game:
    """Load a save or replay file; raise SaveError (never lose the file) on any problem."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise SaveError(f"{p}: cannot read: {exc.strerror or exc}") from None
    return restore(parse(raw, str(p)), scenario, str(p), check_hash)


__all__ = ["FORMAT", "MIN_COMPATIBLE", "VERSION", "dumps", "load", "parse", "restore", "save", "to_data",
           "write_atomic"]
