"""What every in-game screen shares: the top bar with the date and the tools, and the shortcuts."""

from __future__ import annotations

import datetime as dt

import pygame

from negotiation.client import GameSession
from negotiation.ui.base import Screen
from negotiation.ui.canvas import Canvas
from negotiation.ui.fmt import long_date
from negotiation.ui.theme import Style

TOOLS = (("go:table", "Table", "T"), ("go:draft", "Draft", "D"), ("go:map", "Map", "M"), ("go:log", "Log", "L"),
         ("go:briefing", "Dossier", "B"), ("undo", "Undo", "^Z"), ("menu", "Menu", "Esc"))
KEYS = {pygame.K_t: "go:table", pygame.K_d: "go:draft", pygame.K_m: "go:map", pygame.K_l: "go:log",
        pygame.K_b: "go:briefing"}
GAME_SCREENS = ("table", "draft", "map", "log", "briefing")


def short_day(day: dt.date) -> str:
    """'Wed 11 Jul 1945' for a narrow bar."""
    return f"{day:%a} {day.day} {day:%b %Y}"


class GameScreen(Screen):
    """A screen of a game in progress."""

    @property
    def sess(self) -> GameSession:
        assert self.app.session is not None
        return self.app.session

    def bar(self, c: Canvas) -> pygame.Rect:
        """Draw the top bar; return the area below it.

        The tools keep every button at every size: with their key hints when there is room, without
        them when not, and on a second row under the date when even that does not fit.
        """
        pal = self.app.pal
        W, H = c.rect.size
        st = self.sess.game.state
        date_st, where_st = self.s.bar, self.s.bar_small
        key_st = Style("mono", 12, pal.brass)
        tool_st = Style("mono_bold", 15, pal.bar_text)
        row_h = max(34, c.line_h(tool_st) + 12)
        text_h = c.line_h(date_st) + c.line_h(where_st) + 6
        where = self.sess.presenter.where(self.sess.game)
        date_w = max(c.width(short_day(st.day), date_st), min(c.width(where, where_st), 220)) + 28
        full = [c.width(label, tool_st) + c.width(key, key_st) + 34 for _, label, key in TOOLS]
        bare = [c.width(label, tool_st) + 22 for _, label, _ in TOOLS]
        gap = 5
        two_rows = False
        if sum(full) + gap * len(TOOLS) + date_w <= W - 8:
            widths, keys = full, True
        elif sum(bare) + gap * len(TOOLS) + date_w <= W - 8:
            widths, keys = bare, False
        else:  # the tools get a row of their own, shared out over the whole width
            two_rows, keys = True, sum(full) + gap * len(TOOLS) <= W - 16
            widths = full if keys else bare
            spare = (W - 16 - sum(widths) - gap * (len(TOOLS) - 1)) // len(TOOLS)
            widths = [w + max(0, spare) for w in widths]
        bh = max(46, text_h) + (row_h + 6 if two_rows else 0)
        bar = pygame.Rect(0, 0, W, bh)
        c.fill(bar, pal.bar)
        c.rule(0, W, bh - 1, pal.brass, 2)
        x = W - 8
        ty = bh - row_h - 6 if two_rows else (bh - row_h) // 2
        for (ident, label, key), w in zip(reversed(TOOLS), reversed(widths), strict=True):
            r = pygame.Rect(x - w, ty, w, row_h)
            x -= w + gap
            active = ident == f"go:{self.name}"
            enabled = not active and (ident != "undo" or bool(self.sess.game.action_log))
            c.button(ident, r, label, enabled=enabled, key=key if keys else "", kind="bar", style=tool_st)
        room = W - 28 if two_rows else max(120, x - 14)
        long = long_date(st.day)
        day = long if c.width(long, date_st) <= room else short_day(st.day)
        c.text(day, (14, 4), date_st, max_width=room)
        c.text(where, (14, 4 + c.line_h(date_st)), where_st, max_width=room)
        return pygame.Rect(0, bh, W, H - bh)

    def key(self, ev: pygame.event.Event) -> bool:
        k, mods = ev.key, ev.mod
        ctrl = mods & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if ctrl and k == pygame.K_z:
            self.app.undo()
            return True
        if (ctrl and k == pygame.K_s) or k == pygame.K_F5:
            self.act("save")
            return True
        if (ctrl and k == pygame.K_o) or k == pygame.K_F9:
            self.act("load")
            return True
        if not ctrl and k in KEYS:
            self.act(KEYS[k])
            return True
        return False

    def act(self, ident: str) -> None:
        app = self.app
        if ident.startswith("go:"):
            self.go(ident[3:])
        elif ident == "undo":
            app.undo()
        elif ident == "menu":
            app.push(app.make("pause"))
        elif ident in ("save", "load"):
            app.push(app.make("saveload", ident))

    def go(self, where: str) -> None:
        """Switch to another game screen (the table stays at the bottom)."""
        app = self.app
        if where == self.name or where not in GAME_SCREENS:
            return
        if where == "table":
            while len(app.stack) > 1 and app.top.name != "table":
                app.stack.pop()
            app.replace(app.top)
            return
        screen = app.make(where)
        if self.name == "table":
            app.push(screen)
        else:
            app.replace(screen)

    def back(self) -> None:
        self.go("table")
