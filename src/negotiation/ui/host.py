"""What a screen may ask of the window that hosts it.

Screens are written against this protocol, never against :class:`negotiation.ui.app.App`, so that
no screen imports the app: the app imports the screens (through :mod:`negotiation.ui.screens`),
and the screens reach the window only through what is listed here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from negotiation.client import GameSession
    from negotiation.engine.actions import Action
    from negotiation.engine.events import GameEvent
    from negotiation.scenario.loader import LoadedScenario
    from negotiation.ui.base import Screen, Styles
    from negotiation.ui.settings import Settings
    from negotiation.ui.sound import Sounds
    from negotiation.ui.theme import Fonts, Palette


class Host(Protocol):
    """The window as the screens see it: its look, the game session, and the screen stack."""

    settings: Settings
    pal: Palette
    styles: Styles
    fonts: Fonts
    sounds: Sounds
    session: GameSession | None
    loaded: LoadedScenario | None
    stack: list[Screen]
    clock_fn: Callable[[], float]
    reply_at: float
    frames: int
    hover: str | None
    dirty: bool
    author: bool
    kept: Path | None  # where the finished game was kept as a save of its own

    @property
    def top(self) -> Screen: ...

    @property
    def scenario_id(self) -> str: ...

    @property
    def focusables(self) -> list[str]: ...

    # the screen stack
    def make(self, name: str, *args: Any, **kw: Any) -> Screen:
        """A new screen by its name ('table', 'draft', 'pause', 'confirm', ...)."""
        ...

    def push(self, screen: Screen) -> None: ...

    def pop(self) -> None: ...

    def replace(self, screen: Screen) -> None: ...

    def reset(self, *screens: Screen) -> None: ...

    def find(self, name: str) -> Screen | None: ...

    def dialog(self, title: str, message: str) -> None: ...

    def wake(self, seconds: float) -> None: ...

    # the game
    def new_game(self) -> None: ...

    def apply(self, action: Action) -> None: ...

    def undo(self) -> None: ...

    def show_end(self, news: list[GameEvent] | None = None) -> None: ...

    def to_title(self) -> None: ...

    def save_to(self, slot: str, name: str) -> bool: ...

    def load_from(self, path: Path) -> bool: ...

    def keep_finished(self) -> Path | None: ...

    # the window
    def apply_settings(self, display: bool = False) -> None: ...

    def quit(self) -> None: ...
