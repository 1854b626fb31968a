"""Save slots with a name and a date, and the autosave, in the user data folder (via negotiation.persist)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from negotiation import persist
from negotiation.client.paths import data_dir
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules
from negotiation.errors import SaveError

SLOTS = 6
AUTOSAVE = "autosave"


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """What the load screen shows of one slot."""

    slot: str
    path: Path
    exists: bool
    name: str = ""
    saved_at: str = ""
    game_date: str = ""
    where: str = ""
    error: str = ""


def saves_dir(scenario_id: str) -> Path:
    """The folder of one scenario's saves."""
    return data_dir() / "saves" / scenario_id


def slot_ids() -> list[str]:
    """The autosave first, then the numbered slots."""
    return [AUTOSAVE, *(f"slot{i}" for i in range(1, SLOTS + 1))]


FINISHED = "finished-"  # finished games are kept as saves of their own: finished-<date>-<time>.json


def finished_ids(scenario_id: str, keep: int = 4) -> list[str]:
    """The newest finished games kept for a scenario (their slot ids), newest first."""
    try:
        names = sorted((p.stem for p in saves_dir(scenario_id).glob(f"{FINISHED}*.json")), reverse=True)
    except OSError:
        return []
    return names[:keep]


def slot_path(scenario_id: str, slot: str) -> Path:
    """The file of a slot."""
    return saves_dir(scenario_id) / f"{slot}.json"


def slot_label(slot: str) -> str:
    """'Autosave', 'Slot 3' or 'Finished game'."""
    if slot.startswith(FINISHED):
        return "Finished game"
    return "Autosave" if slot == AUTOSAVE else f"Slot {slot.removeprefix('slot')}"


def describe_game(game: Game) -> str:
    """Where a game stands, in a few words (for a slot's default name)."""
    if game.is_over():
        out = game.outcome()
        return out.title if out else "Finished"
    d = game.decision()
    return d.model.title if d else game.rules.phases[game.state.phase].title


def write(game: Game, scenario_id: str, slot: str, name: str, screen: str,
          now: Callable[[], dt.datetime]) -> Path:
    """Save ``game`` to a slot, with its name, dates and the screen to reopen in ``meta``."""
    path = slot_path(scenario_id, slot)
    meta: dict[str, Any] = {
        "name": name,
        "slot": slot,
        "saved_at": now().strftime("%Y-%m-%d %H:%M"),
        "game_date": game.state.day.isoformat(),
        "where": describe_game(game),
        "screen": screen,
    }
    persist.save(game, path, meta)
    return path


def info(scenario_id: str, slot: str) -> SlotInfo:
    """Read a slot's meta without replaying it."""
    path = slot_path(scenario_id, slot)
    if not path.exists():
        return SlotInfo(slot, path, False)
    try:
        data = persist.parse(path.read_bytes(), str(path))
    except (SaveError, OSError) as exc:
        return SlotInfo(slot, path, True, error=str(exc).replace(str(path), path.name))
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    return SlotInfo(slot, path, True, str(meta.get("name", "")), str(meta.get("saved_at", "")),
                    str(meta.get("game_date", "")), str(meta.get("where", "")))


def read(path: Path, rules: Rules) -> tuple[Game, dict[str, Any]]:
    """Load a save; return the game and its meta. Raise SaveError on any problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SaveError(f"{path}: cannot read: {exc.strerror or exc}") from None
    data = persist.parse(raw, str(path))
    meta = data.get("meta")
    meta = dict(meta) if isinstance(meta, dict) else {}
    if data["scenario"].get("hash") == rules.hash:
        return persist.restore(data, rules, str(path)), meta
    # saved with another version of the scenario (a new release): the moves are the truth, so replay them on
    # this version; only if they no longer replay is the save refused
    try:
        game = persist.restore(data, rules, str(path), check_hash=False)
    except SaveError as exc:
        raise SaveError(f"{exc} (the save was made with another version of the scenario, on which its moves "
                        "were legal)") from None
    meta["scenario_changed"] = True
    return game, meta

