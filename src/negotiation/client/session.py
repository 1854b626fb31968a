"""The game a person is playing: moves, undo, autosave, slots and loading, shared by both front ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negotiation import persist, resources
from negotiation.client import slots
from negotiation.engine.actions import Action
from negotiation.engine.events import NEWS, GameEvent, Kind
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.errors import NegotiationError
from negotiation.present import Presenter
from negotiation.scenario.loader import LoadedScenario, load_file


@dataclass
class GameSession:
    """One game in play, with what the front ends remember of it (never game state)."""

    loaded: LoadedScenario
    game: Game
    reply: list[GameEvent] = field(default_factory=list)  # what the last move brought at the table
    news: list[GameEvent] = field(default_factory=list)  # what the last move brought from the world
    note: str = ""  # a line for the player: saved, loaded, undone, a failure
    autosave: bool = True
    now: Callable[[], dt.datetime] = dt.datetime.now
    screen: Callable[[], str] = lambda: "table"  # the screen to reopen on load (the window sets it)
    presenter: Presenter = field(init=False)

    def __post_init__(self) -> None:
        self.presenter = Presenter(self.game.rules)

    @classmethod
    def new(cls, loaded: LoadedScenario, seed: int = 0, **kw: Any) -> GameSession:
        """A new game of a scenario."""
        return cls(loaded, Game(loaded, seed), **kw)

    @property
    def rules(self) -> Rules:
        return self.game.rules

    @property
    def scenario_id(self) -> str:
        return self.rules.scenario.scenario.id

    # ------------------------------------------------------------------ play
    def apply(self, action: Action | str) -> list[GameEvent]:
        """Play a move and autosave; return what happened (raise IllegalActionError if it is not legal)."""
        events = self.game.apply(action)
        # the world's news, each event with what it did to the meters (the MetersChanged that names it)
        told = {e.get("event") for e in events if e.kind == Kind.EVENT_OCCURRED}
        self.news = [e for e in events if e.kind in NEWS or (e.kind == Kind.METERS_CHANGED and e.get("source") in told)]
        shown = {id(e) for e in self.news}
        self.reply = [e for e in events if e.kind != Kind.DECISION_PRESENTED and id(e) not in shown]
        self.note = ""
        self.save_auto()
        return events

    def undo(self, steps: int = 1) -> bool:
        """Take back the last moves (any number); return False if there is nothing to take back."""
        if not self.game.action_log:
            self.note = "Nothing to undo: this is the first decision."
            return False
        self.game.undo(min(steps, len(self.game.action_log)))
        self.reply, self.news = [], []
        self.note = "The last move was taken back."
        self.save_auto()
        return True

    def restart(self) -> None:
        """Start the same scenario again with the same seed."""
        self.game = Game(self.game.rules, self.game.seed)
        self.reply, self.news, self.note = [], [], ""

    # ------------------------------------------------------------------ saving
    def save_auto(self) -> None:
        """Write the autosave (after every move); a failure becomes the note, never an exception."""
        if not self.autosave:
            return
        try:
            slots.write(self.game, self.scenario_id, slots.AUTOSAVE, "Autosave", self.screen(), self.now)
        except OSError as exc:
            self.note = f"Autosave failed: {exc.strerror or exc}"

    def save_slot(self, slot: str, name: str) -> Path:
        """Save in a named slot (raise OSError if it cannot be written)."""
        path = slots.write(self.game, self.scenario_id, slot, name, self.screen(), self.now)
        self.note = f"Saved in {slots.slot_label(slot)}: {name}."
        return path

    def save_file(self, path: str | Path) -> None:
        """Save to a file of the player's choosing (raise OSError if it cannot be written)."""
        persist.save(self.game, path, {"name": Path(path).stem, "saved_at": self.now().strftime("%Y-%m-%d %H:%M")})
        self.note = f"Saved to {path}."

    def keep_finished(self) -> Path | None:
        """Keep a finished game as a save of its own (the autosave is overwritten by the next game)."""
        if not self.game.is_over():
            return None
        stamp = self.now().strftime("%Y%m%d-%H%M%S")
        path = slots.saves_dir(self.scenario_id) / f"{slots.FINISHED}{stamp}.json"
        try:
            persist.save(self.game, path, {"name": f"Finished: {slots.describe_game(self.game)}",
                                           "saved_at": self.now().strftime("%Y-%m-%d %H:%M"), "screen": "end"})
        except OSError:
            return None
        return path

    def load(self, path: str | Path) -> dict[str, Any]:
        """Replace the game with a save of this scenario; return its meta. Raise SaveError on any problem."""
        game, meta = slots.read(Path(path), self.rules)
        self.game = game
        self.reply, self.news = [], []
        self.note = f"Loaded: {meta.get('name', Path(path).stem)}." + (
            " It was saved with an earlier version of the scenario; its moves were replayed on this one."
            if meta.get("scenario_changed") else "")
        return meta


def scenario_of_save(path: str | Path) -> str | None:
    """The bundled scenario a save names (None if it names one that is not bundled)."""
    data = persist.parse(persist.read(path), str(path))
    sid = str(data["scenario"]["id"])
    return sid if sid in resources.bundled_scenarios() else None


def load_for(path: str | Path, scenario: str | None = None, **kw: Any) -> GameSession:
    """Open a save with the scenario it names (or the one given); raise NegotiationError on any problem."""
    name = scenario or scenario_of_save(path)
    try:
        loaded = load_file(resources.scenario_path(name))
    except FileNotFoundError as exc:
        raise NegotiationError(str(exc)) from None
    game = persist.load(path, rules_for(loaded))
    return GameSession(loaded, game, **kw)
