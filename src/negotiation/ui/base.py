"""The base of every screen, and the styles they share."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from negotiation.ui import art
from negotiation.ui.canvas import Canvas
from negotiation.ui.theme import Palette, Style

if TYPE_CHECKING:
    from negotiation.ui.host import Host


class Styles:
    """The type scale, coloured from the palette."""

    def __init__(self, pal: Palette) -> None:
        self.display = Style("serif", 54, pal.ink)
        self.title = Style("serif", 32, pal.ink)
        self.heading = Style("serif", 25, pal.ink)
        self.sub = Style("italic", 19, pal.ink_soft)
        self.body = Style("serif", 20, pal.ink)
        self.body_soft = Style("serif", 19, pal.ink_soft)
        self.small = Style("serif", 17, pal.ink_soft)
        self.small_italic = Style("italic", 17, pal.ink_soft)
        self.label = Style("mono_bold", 15, pal.ink_soft)
        self.mono = Style("mono", 16, pal.ink)
        self.mono_small = Style("mono", 14, pal.ink_soft)
        self.button = Style("mono_bold", 16, pal.button_text)
        self.bar = Style("serif", 21, pal.bar_text)
        self.bar_small = Style("italic", 17, pal.brass)
        self.red = Style("mono_bold", 15, pal.red)
        self.on_desk = Style("serif", 20, pal.bar_text)
        self.on_desk_small = Style("italic", 17, pal.brass)


class Screen:
    """A screen: draws itself each frame; answers keys and activated buttons."""

    name = "screen"
    overlay = False  # drawn over the screen beneath, which is dimmed
    arrows_focus = True  # Up/Down (and Left/Right) move the keyboard focus

    def __init__(self, app: Host) -> None:
        self.app = app
        self.focus: str | None = None

    @property
    def s(self) -> Styles:
        return self.app.styles

    def draw(self, c: Canvas) -> None:
        """Draw the whole screen."""

    def key(self, ev: pygame.event.Event) -> bool:
        """Handle a key before the generic focus keys; return True if used."""
        return False

    def act(self, ident: str) -> None:
        """A button was activated (click, Enter on focus, or a shortcut)."""

    def back(self) -> None:
        """Esc: by default leave the screen."""
        self.app.pop()

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        """Mouse wheel (dy > 0 scrolls up)."""

    def text_input(self, text: str) -> None:
        """Typed text (while a text field is active)."""

    def animating(self) -> bool:
        """Whether the screen wants another frame soon."""
        return False

    def desk(self, c: Canvas) -> None:
        """The green baize background."""
        c.surface.blit(art.desk(c.rect.size, self.app.pal.desk), (0, 0))
