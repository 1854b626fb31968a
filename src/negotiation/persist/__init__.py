"""Versioned JSON saves and replays: the action log is the truth, the snapshot a checked cache.

Writes are atomic (a temporary file, then ``os.replace``) and the previous save is kept as
``<name>.bak``, made by a hard link (or, where links are not supported, by a rename), never by a
copy that a crash could leave half-written. Temporary files that an earlier crash left behind are
removed by the next write. A new file gets the user's normal permissions (0666 less the umask, as any
program's files do); a file written over keeps the permissions it had. The same scenario, seed and actions
give the same bytes.

A *save* carries a snapshot of the state, which loading checks against the replayed log; a save
without one is damaged. A *replay file* (``dumps(game, snapshot=False)``) says so with
``"replay": true`` and is replayed without a check.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Any

from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.errors import NegotiationError, SaveError
from negotiation.scenario.loader import LoadedScenario
from negotiation.text import show

FORMAT = "negotiation-save"
VERSION = 2  # 2: events carry data; sessions, cables and standing demands in the snapshot
MIN_COMPATIBLE = 1  # a version-1 save still loads when its action log replays (its snapshot is not compared)
MAX_BYTES = 4 * 1024 * 1024  # a save of a whole game is a few KB; anything this large is not one
MAX_SEED = 2**64  # seeds are below this in magnitude


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
    else:
        data["replay"] = True  # no snapshot, on purpose: see the module docstring
    if meta:
        data["meta"] = meta
    return data


def dumps(game: Game, meta: dict[str, Any] | None = None, snapshot: bool = True) -> bytes:
    """Serialise a game as canonical JSON bytes (sorted keys)."""
    text = json.dumps(to_data(game, meta, snapshot), sort_keys=True, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def _debris(target: Path) -> re.Pattern[str]:
    """The names of this target's temporary files (ours: ``.<name>.<8 chars>.tmp``, ``.<name>.bak.<8>.tmp``)."""
    return re.compile(rf"^\.{re.escape(target.name)}\.(?:bak\.)?[A-Za-z0-9_]{{8}}\.tmp$")


def clean_debris(path: str | Path) -> list[Path]:
    """Remove the temporary files that writes of ``path`` left behind when a crash cut them short."""
    target = Path(path)
    pattern = _debris(target)
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        if pattern.match(name):
            stale = target.parent / name
            try:
                stale.unlink()
                removed.append(stale)
            except OSError:
                pass
    return removed


def _keep_backup(target: Path) -> None:
    """Make ``target.bak`` the current file, atomically: a hard link renamed over the old backup.

    The backup is the old file itself (the same inode), so no crash can leave it half-written;
    the target is only ever replaced by rename, never changed in place, so the link stays whole.
    """
    bak = target.with_name(target.name + ".bak")
    fd, link = tempfile.mkstemp(prefix=f".{target.name}.bak.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(link)  # mkstemp reserved a fresh name; the link takes it
    try:
        os.link(target, link)
    except OSError:  # no hard links here (some network or FAT file systems): move the old file instead
        os.replace(target, bak)
        return
    try:
        os.replace(link, bak)
    finally:  # rename does nothing when both names are links to one file (a crash came just after this
        Path(link).unlink(missing_ok=True)  # step last time): the backup is already the current file


def write_atomic(path: str | Path, data: bytes, keep_previous: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically; keep the old file as ``path.bak``.

    At every instant ``path`` is the old file or the new one, whole, and ``path.bak`` a whole
    earlier file. A kill at any point leaves at most a temporary file, which the next write removes.
    The new file is readable by its owner only, unless ``mode`` gives its permissions.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_debris(target)
    fd, tmp = _create_temporary(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_previous and target.exists():
            _keep_backup(target)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_dir(target.parent)


def _create_temporary(target: Path) -> tuple[int, str]:
    """Create ``.<name>.<8 random>.tmp`` beside ``target``, open for writing, with the mode the file is to have.

    Not ``tempfile.mkstemp``, which makes every file private (0600): the system applies the user's umask to
    the 0666 asked here, and a file being replaced passes its own permissions on.
    """
    try:
        keep: int | None = stat.S_IMODE(target.stat().st_mode) & 0o777
    except OSError:
        keep = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:  # taken (by a concurrent write): draw another name
            continue
        if keep is not None and hasattr(os, "fchmod"):
            with contextlib.suppress(OSError):  # a file system without permissions (FAT, some network shares)
                os.fchmod(fd, keep)
        return fd, str(tmp)
    raise FileExistsError(17, "no free name for a temporary file", str(target.parent))


def _sync_dir(folder: Path) -> None:
    """Make the renames durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(game: Game, path: str | Path, meta: dict[str, Any] | None = None) -> None:
    """Save a game to a file, atomically, keeping the previous save."""
    write_atomic(path, dumps(game, meta))


def parse(raw: bytes | str, source: str = "<save>") -> dict[str, Any]:
    """Read and check the envelope of a save; raise SaveError saying what is wrong."""
    if len(raw) > MAX_BYTES:
        raise SaveError(f"{source}: not a save (larger than {MAX_BYTES // 1024:,} KB)")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SaveError(f"{source}: not a readable save (truncated or corrupt JSON: {exc})") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise SaveError(f"{source}: not a readable save ({show(exc, 120)})") from None
    except RecursionError:
        raise SaveError(f"{source}: not a save (its JSON nests too deep)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError(f"{source}: not a negotiation save file (no 'format: {FORMAT}')")
    version, min_version = data.get("version"), data.get("min_version")
    if not _is_int(version) or not _is_int(min_version):
        raise SaveError(f"{source}: the save has no valid version")
    assert isinstance(version, int) and isinstance(min_version, int)
    if min_version > VERSION:
        raise SaveError(f"{source}: made by a newer version (format {show(version, 20)}, needs "
                        f"{show(min_version, 20)}; this program reads up to {VERSION}); update the game")
    if version < MIN_COMPATIBLE:
        raise SaveError(f"{source}: format {show(version, 20)} is too old (oldest readable: {MIN_COMPATIBLE})")
    scen = data.get("scenario")
    actions = data.get("actions")
    if not isinstance(scen, dict) or not isinstance(scen.get("id"), str):
        raise SaveError(f"{source}: the save does not name its scenario")
    seed = data.get("seed")
    if not _is_int(seed) or not -MAX_SEED < seed < MAX_SEED:  # type: ignore[operator]
        raise SaveError(f"{source}: the save has no integer seed (or one out of range)")
    if not isinstance(actions, list) or not all(
        isinstance(a, list) and len(a) == 2 and all(isinstance(x, str) for x in a) for a in actions
    ):
        raise SaveError(f"{source}: the action log is malformed (expected [[decision, action], ...])")
    if "snapshot" in data:
        if not isinstance(data["snapshot"], dict):
            raise SaveError(f"{source}: the snapshot is damaged (not a mapping)")
    elif data.get("replay") is not True:
        raise SaveError(f"{source}: the save has no snapshot to check the game against (damaged or edited); "
                        "a replay file without one says \"replay\": true")
    return data


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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
    return restore(parse(read(p), str(p)), scenario, str(p), check_hash)


def read(path: str | Path) -> bytes:
    """The bytes of a save file, at most :data:`MAX_BYTES`; raise SaveError if it cannot be read."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SaveError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise SaveError(f"{p}: not a save (larger than {MAX_BYTES // 1024:,} KB)")
    return raw


__all__ = ["FORMAT", "MAX_BYTES", "MIN_COMPATIBLE", "VERSION", "clean_debris", "dumps", "load", "parse", "read",
           "restore", "save", "to_data", "write_atomic"]
