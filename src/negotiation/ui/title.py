"""The title screen: the game's name in English and Chinese, the seal, and the main menu."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from negotiation.client import slots as saves
from negotiation.ui import art
from negotiation.ui.base import Screen
from negotiation.ui.canvas import Canvas
from negotiation.ui.theme import Style

if TYPE_CHECKING:
    from negotiation.ui.host import Host

MENU = (("new", "New game", "N"), ("continue", "Continue", "C"), ("load", "Load game", "L"),
        ("settings", "Settings", "S"), ("quit", "Quit", "Q"))


class TitleScreen(Screen):
    """New game, continue (the latest autosave), load, settings, quit."""

    name = "title"

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.has_autosave = saves.slot_path(self.app.scenario_id, saves.AUTOSAVE).exists()
        self.focus = "continue" if self.has_autosave else "new"

    def draw(self, c: Canvas) -> None:
        app = self.app
        pal = app.pal
        assert app.loaded is not None
        meta = app.loaded.scenario.scenario
        self.desk(c)
        W, H = c.rect.size
        sheet = pygame.Rect(0, 0, min(980, W - 60), H - 50)
        sheet.center = (W // 2, H // 2)
        c.paper(sheet)
        art.corner_ornament(c.surface, sheet.inflate(-28, -28), pal.paper_edge)
        inner = sheet.inflate(-80, -56)
        head = Style("mono_bold", 15, pal.red)
        native = meta.title_native
        bh = max(38, c.line_h(self.s.button) + 14)
        menu_h = len(MENU) * (bh + 6) - 6
        hint_h = c.line_h(self.s.small) + 6
        # what goes above the menu, from the most to the least needed, while it fits
        room = inner.h - menu_h - hint_h - 16
        title_size = 60 if W >= 1000 else 46
        title_st = Style("serif", title_size, pal.ink)
        chars = art.seal_chars(native)
        title_w = inner.w - 130 if chars else inner.w  # the seal sits at the right of the title
        title_h = min(2, len(c.wrap(meta.title, title_st, title_w))) * c.line_h(title_st)
        if c.line_h(head) + 10 + title_h > room:  # a very short window: a smaller title
            title_st = Style("serif", 36, pal.ink)
            title_h = min(2, len(c.wrap(meta.title, title_st, title_w))) * c.line_h(title_st)
        used = c.line_h(head) + 10 + title_h + 2
        nat = Style("cjk", 38 if title_st.size > 40 else 28, pal.red)
        show_native = bool(native) and used + c.line_h(nat) + 4 <= room
        used += c.line_h(nat) + 4 if show_native else 0
        sub_h = min(2, len(c.wrap(meta.subtitle, self.s.sub, title_w))) * c.line_h(self.s.sub) if meta.subtitle else 0
        show_sub = bool(sub_h) and used + sub_h <= room
        used += sub_h if show_sub else 0
        fh = 40 if room - used > 120 else 28
        sides_h = fh + 40
        show_sides = used + sides_h <= room
        seal_size = max(56, min(110, H // 7, (title_h + (c.line_h(nat) if show_native else 0)) - 4))
        y = inner.y
        c.text("MOST SECRET  ·  FOR THE DELEGATION ONLY", (inner.centerx, y), head, align="center", max_width=inner.w)
        y += c.line_h(head) + 10
        y += c.paragraph(meta.title, pygame.Rect(inner.x, y, title_w, title_h), title_st, align="center",
                         max_lines=2) + 2
        if chars:
            seal_at = (inner.right - seal_size, inner.y + c.line_h(head) + 16)
            c.surface.blit(art.seal(app.fonts, seal_size, chars), seal_at)
        if show_native:
            c.text(native, (inner.x + title_w // 2, y), nat, align="center", max_width=title_w)
            y += c.line_h(nat) + 4
        if show_sub:
            y += c.paragraph(meta.subtitle, pygame.Rect(inner.x, y, title_w, sub_h), self.s.sub, align="center",
                             max_lines=2)
        if show_sides:
            y += 8
            c.rule(inner.x + 60, inner.right - 60, y, pal.paper_edge, 1)
            sides = app.loaded.scenario.sides
            pside = next((sd for sd in sides if sd.id == meta.player_side), sides[0])
            cside = next((sd for sd in sides if sd.id == meta.counterpart_side), sides[-1])
            fw = fh * 3 // 2
            y += 14
            for side, x, align in ((pside, inner.x + 40, "left"), (cside, inner.right - 40, "right")):
                img = art.flag(side, fw, fh, Path(app.loaded.path).parent)
                fx = x if align == "left" else x - fw
                c.surface.blit(img, (fx, y))
                tx = fx + fw + 12 if align == "left" else fx - 12
                c.text(side.name, (tx, y + 2), self.s.body, align=align, max_width=inner.w // 2 - fw - 70)
                if side.name_native and fh >= 40:
                    c.text(side.name_native, (tx, y + 2 + c.line_h(self.s.body)), self.s.small, align=align,
                           max_width=inner.w // 2 - fw - 70)
            y += fh + 18
        # the menu, centred in what is left above the hint
        bw = min(360, inner.w)
        avail = inner.bottom - hint_h - y
        gap = max(6, min(14, (avail - bh * len(MENU)) // max(1, len(MENU))))
        by = y + max(0, (avail - (bh + gap) * len(MENU) + gap) // 2)
        for ident, label, key in MENU:
            enabled = ident != "continue" or self.has_autosave
            c.button(ident, pygame.Rect(sheet.centerx - bw // 2, by, bw, bh), label, enabled=enabled, key=key)
            by += bh + gap
        hint = "↑ ↓ Tab to choose · Enter to confirm · F11 full screen"
        c.text(hint, (sheet.centerx, inner.bottom - c.line_h(self.s.small)), self.s.small, align="center",
               max_width=inner.w)

    def key(self, ev: pygame.event.Event) -> bool:
        keys = {pygame.K_n: "new", pygame.K_c: "continue", pygame.K_l: "load", pygame.K_s: "settings",
                pygame.K_q: "quit"}
        ident = keys.get(ev.key)
        if ident is None:
            return False
        if ident != "continue" or self.has_autosave:
            self.focus = ident
            self.act(ident)
        return True

    def act(self, ident: str) -> None:
        app = self.app
        if ident == "new":
            app.new_game()
        elif ident == "continue" and self.has_autosave:
            app.load_from(saves.slot_path(app.scenario_id, saves.AUTOSAVE))
        elif ident == "load":
            app.push(app.make("saveload", "load"))
        elif ident == "settings":
            app.push(app.make("settings"))
        elif ident == "quit":
            app.quit()

    def back(self) -> None:
        self.app.quit()
