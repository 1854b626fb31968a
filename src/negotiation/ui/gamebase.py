"""What every in-game screen shares: the top bar with the date and the tools, and the shortcuts."""

from __future__ import annotations

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


class GameScreen(Screen):
    """A screen of a game in progress."""

    @property
    def sess(self) -> GameSession:
        assert self.app.session is not None
        return self.app.session

    def bar(self, c: Canvas) -> pygame.Rect:
        """Draw the top bar; return the area below it."""
        pal = self.app.pal
        W, H = c.rect.size
        st = self.sess.game.state
        rules = self.sess.rules
        bh = max(46, c.line_h(self.s.bar) + c.line_h(self.s.bar_small) + 6)
        bar = pygame.Rect(0, 0, W, bh)
        c.fill(bar, pal.bar)
        c.rule(0, W, bh - 1, pal.brass, 2)
        ph = rules.phases[st.phase]
        where = ph.title + (f" · {ph.location}" if ph.location else "")
        # tools on the right, as many as fit; the date on the left gets the rest
        tw = [max(64, c.width(label, self.s.button) + c.width(key, Style("mono", 12, pal.brass)) + 34)
              for _, label, key in TOOLS]
        x = W - 8
        rects: list[tuple[str, str, str, pygame.Rect]] = []
        for (ident, label, key), w in zip(reversed(TOOLS), reversed(tw), strict=True):
            r = pygame.Rect(x - w, 7, w, bh - 14)
            x -= w + 5
            rects.append((ident, label, key, r))
        left = W - sum(w + 5 for w in tw) - 30
        compact = left < 260
        for ident, label, key, r in rects:
            if compact and ident.startswith("go:") and ident not in ("go:table", "go:draft"):
                continue
            active = ident == f"go:{self.name}"
            enabled = not active and (ident != "undo" or bool(self.sess.game.action_log))
            c.button(ident, r, label, enabled=enabled, key=key, kind="bar", style=Style("mono_bold", 15,
                                                                                       pal.bar_text))
        room = max(120, (W - sum(w + 5 for w in tw) - 24) if not compact else W // 3)
        c.text(long_date(st.day), (14, 4), self.s.bar, max_width=room)
        c.text(where, (14, 4 + c.line_h(self.s.bar)), self.s.bar_small, max_width=room)
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
        from negotiation.ui.menus import PauseMenu, SaveLoadScreen

        app = self.app
        if ident.startswith("go:"):
            self.go(ident[3:])
        elif ident == "undo":
            app.undo()
        elif ident == "menu":
            app.push(PauseMenu(app))
        elif ident == "save":
            app.push(SaveLoadScreen(app, "save"))
        elif ident == "load":
            app.push(SaveLoadScreen(app, "load"))

    def go(self, where: str) -> None:
        """Switch to another game screen (the table stays at the bottom)."""
        from negotiation.ui.views import BriefingScreen, DraftScreen, LogScreen, MapScreen

        app = self.app
        if where == self.name:
            return
        makers = {"draft": DraftScreen, "map": MapScreen, "log": LogScreen, "briefing": BriefingScreen}
        if where == "table":
            while len(app.stack) > 1 and app.top.name != "table":
                app.stack.pop()
            app.replace(app.top)
            return
        screen = makers[where](app)
        if self.name == "table":
            app.push(screen)
        else:
            app.replace(screen)

    def back(self) -> None:
        self.go("table")
