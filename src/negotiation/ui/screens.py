"""Every screen of the window, in one place: the one module through which the app reaches them.

The screens themselves never import :mod:`negotiation.ui.app`; they see the window as a
:class:`negotiation.ui.host.Host`. This module only gathers them, so that the app has one door to
the screens and no screen has a door back to the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from negotiation.ui.base import Screen
from negotiation.ui.end import ClosingScreen, EndScreen
from negotiation.ui.mapview import MapScreen
from negotiation.ui.menus import Confirm, Dialog, ErrorScreen, PauseMenu, SaveLoadScreen, SettingsScreen, Telegrams
from negotiation.ui.table import TableScreen
from negotiation.ui.title import TitleScreen
from negotiation.ui.views import BriefingScreen, DraftScreen, LogScreen

if TYPE_CHECKING:
    from negotiation.ui.host import Host

BY_NAME: dict[str, type[Screen]] = {
    cls.name: cls for cls in (TitleScreen, TableScreen, BriefingScreen, DraftScreen, MapScreen, LogScreen, EndScreen,
                              ClosingScreen, Telegrams, Dialog, Confirm, PauseMenu, SaveLoadScreen, SettingsScreen,
                              ErrorScreen)
}


def make(host: Host, name: str, *args: Any, **kw: Any) -> Screen:
    """A new screen by its name (how one screen opens another without importing it)."""
    return BY_NAME[name](host, *args, **kw)


__all__ = ["BY_NAME", "BriefingScreen", "ClosingScreen", "Confirm", "Dialog", "DraftScreen", "EndScreen",
           "ErrorScreen", "LogScreen", "MapScreen", "PauseMenu", "SaveLoadScreen", "SettingsScreen", "TableScreen",
           "Telegrams", "TitleScreen", "make"]
