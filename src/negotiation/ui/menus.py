"""Overlays and menus: telegrams, pause, save/load, settings, dialogs, and the scenario error screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from negotiation.client import slots as saves
from negotiation.engine.events import GameEvent
from negotiation.ui.base import Screen
from negotiation.ui.canvas import Canvas, Scroll, scroll_keys
from negotiation.ui.fmt import iso_to_text, long_date
from negotiation.ui.theme import Style

if TYPE_CHECKING:
    from negotiation.ui.host import Host


def card(c: Canvas, w: int, h: int) -> pygame.Rect:
    """A centred sheet for an overlay, no larger than the window."""
    r = pygame.Rect(0, 0, min(w, c.rect.w - 40), min(h, c.rect.h - 40))
    r.center = c.rect.center
    c.paper(r)
    return r


class Telegrams(Screen):
    """What happened in the world since the last decision, as telegrams."""

    name = "telegrams"
    overlay = True
    arrows_focus = False

    def __init__(self, app: Host, events: list[GameEvent]) -> None:
        super().__init__(app)
        self.events = events
        self.scroll = Scroll()
        self.focus = "ok"

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        assert self.app.session is not None
        pres = self.app.session.presenter
        body = Style("mono", 17, pal.ink)
        lines = [ln for ln in (pres.event_line(e) for e in self.events) if ln is not None]
        meters_st = Style("italic", 16, pal.ink_soft)
        width = min(860, c.rect.w - 40)
        text_w = width - 56 - 14
        lh = round(c.line_h(body) * 1.08)
        content = sum(c.line_h(meters_st) + 4 if ln.tone == "meters" else
                      c.line_h(self.s.label) + 2 + len(c.wrap(ln.text, body, text_w)) * lh + 12 for ln in lines)
        bh = max(42, c.line_h(self.s.button) + 16)
        r = card(c, width, max(300, content + c.line_h(self.s.red) + bh + 80))  # as tall as the telegrams
        inner = r.inflate(-56, -40)
        c.text("TELEGRAMS AND DESPATCHES", (inner.centerx, inner.y), self.s.red, align="center")
        y = inner.y + c.line_h(self.s.red) + 8
        c.rule(inner.x, inner.right, y, pal.ink_soft)
        y += 8
        view = pygame.Rect(inner.x, y, inner.w, inner.bottom - bh - 14 - y)
        yy = c.begin_scroll(self.scroll, view)
        for ln in lines:
            if ln.tone == "meters":  # what the telegram above did to the meters, under it
                yy -= 8 if ln is not lines[0] else 0
                c.text(ln.text, (view.x, yy), meters_st, max_width=view.w - 14)
                yy += c.line_h(meters_st) + 12
                continue
            head = long_date(ln.date).upper() + (f"  ·  {ln.who.upper()}" if ln.who else "")
            c.text(head, (view.x, yy), Style("mono_bold", 14, pal.blue if ln.kind != "PhaseEntered" else pal.red))
            yy += c.line_h(self.s.label) + 2
            yy += c.paragraph(ln.text, pygame.Rect(view.x, yy, view.w - 14, 0), body, gap=1.08) + 12
        c.end_scroll(self.scroll, view, yy)
        c.button("ok", pygame.Rect(inner.centerx - 130, inner.bottom - bh, 260, bh), "Continue", key="Enter")

    def key(self, ev: pygame.event.Event) -> bool:
        return scroll_keys(ev, self.scroll, max(80, self.scroll.view - 40))

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        self.app.pop()


class Dialog(Screen):
    """A message and an OK button."""

    name = "dialog"
    overlay = True

    def __init__(self, app: Host, title: str, message: str) -> None:
        super().__init__(app)
        self.title = title
        self.message = message
        self.focus = "ok"

    def draw(self, c: Canvas) -> None:
        w = 640
        inner_w = min(w, c.rect.w - 40) - 56
        h = c.para_height(self.message, self.s.body, inner_w) + c.line_h(self.s.heading) + 130
        r = card(c, w, h)
        inner = r.inflate(-56, -40)
        pygame.draw.rect(c.surface, self.app.pal.red, r, 3)
        y = inner.y
        y += c.paragraph(self.title, pygame.Rect(inner.x, y, inner.w, 0), self.s.heading, max_lines=2) + 6
        c.paragraph(self.message, pygame.Rect(inner.x, y, inner.w, inner.bottom - 56 - y), self.s.body)
        c.button("ok", pygame.Rect(inner.centerx - 90, inner.bottom - 42, 180, 42), "OK", key="Enter")

    def act(self, ident: str) -> None:
        self.app.pop()


class Confirm(Screen):
    """A question with Yes and No; Yes runs the callback (signing asks before it signs)."""

    name = "confirm"
    overlay = True

    def __init__(self, app: Host, title: str, message: str, yes: str, on_yes: Callable[[], None]) -> None:
        super().__init__(app)
        self.title = title
        self.message = message
        self.yes = yes
        self.on_yes = on_yes
        self.focus = "no"  # Enter alone never signs a treaty

    def draw(self, c: Canvas) -> None:
        w = 660
        inner_w = min(w, c.rect.w - 40) - 56
        h = c.para_height(self.message, self.s.body, inner_w) + c.line_h(self.s.heading) + 130
        r = card(c, w, h)
        inner = r.inflate(-56, -40)
        pygame.draw.rect(c.surface, self.app.pal.brass, r, 3)
        y = inner.y
        y += c.paragraph(self.title, pygame.Rect(inner.x, y, inner.w, 0), self.s.heading, max_lines=2) + 6
        c.paragraph(self.message, pygame.Rect(inner.x, y, inner.w, inner.bottom - 56 - y), self.s.body)
        bw = min(240, (inner.w - 20) // 2)
        c.button("yes", pygame.Rect(inner.centerx - bw - 10, inner.bottom - 42, bw, 42), self.yes, key="Y")
        c.button("no", pygame.Rect(inner.centerx + 10, inner.bottom - 42, bw, 42), "Not yet", key="N")

    def key(self, ev: pygame.event.Event) -> bool:
        if ev.key == pygame.K_y:
            self.act("yes")
            return True
        if ev.key == pygame.K_n:
            self.act("no")
            return True
        return False

    def act(self, ident: str) -> None:
        self.app.pop()
        if ident == "yes":
            self.on_yes()

    def back(self) -> None:
        self.app.pop()


class PauseMenu(Screen):
    """The game's menu (a turn-based game waits anyway: nothing is 'paused'): back to the game, save, load,
    settings, title screen, quit."""

    name = "pause"
    overlay = True
    ITEMS = (("resume", "Back to the game", "Esc"), ("save", "Save game", "S"), ("load", "Load game", "L"),
             ("settings", "Settings", "O"), ("title", "Title screen", "T"), ("quit", "Quit", "Q"))

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.focus = "resume"

    def draw(self, c: Canvas) -> None:
        bh = max(40, c.line_h(self.s.button) + 16)
        r = card(c, 440, 110 + len(self.ITEMS) * (bh + 10))
        inner = r.inflate(-60, -36)
        c.text("Menu", (inner.centerx, inner.y), self.s.title, align="center")
        y = inner.y + c.line_h(self.s.title) + 14
        for ident, label, key in self.ITEMS:
            c.button(ident, pygame.Rect(inner.x, y, inner.w, bh), label, key=key)
            y += bh + 10

    def key(self, ev: pygame.event.Event) -> bool:
        keys = {pygame.K_s: "save", pygame.K_l: "load", pygame.K_o: "settings", pygame.K_t: "title",
                pygame.K_q: "quit"}
        if ev.key in keys:
            self.act(keys[ev.key])
            return True
        return False

    def act(self, ident: str) -> None:
        app = self.app
        if ident == "resume":
            app.pop()
        elif ident in ("save", "load"):
            app.replace(SaveLoadScreen(app, ident, from_menu=True))
        elif ident == "settings":
            app.replace(SettingsScreen(app, from_menu=True))
        elif ident == "title":
            app.to_title()
        elif ident == "quit":
            app.quit()


class SaveLoadScreen(Screen):
    """The save slots: choose one to save into (with a name) or to load from."""

    name = "saveload"
    overlay = True
    arrows_focus = False

    def __init__(self, app: Host, mode: str, from_menu: bool = False) -> None:
        super().__init__(app)
        self.mode = mode
        self.from_menu = from_menu  # Esc goes back to the menu it was opened from
        self.editing: str | None = None
        self.text = ""
        self.slots = [s for s in saves.slot_ids() if mode == "load" or s != saves.AUTOSAVE]
        if mode == "load":  # and the finished games kept, newest first
            self.slots += saves.finished_ids(app.scenario_id)
        self.infos = {s: saves.info(app.scenario_id, s) for s in self.slots}
        self.focus = f"slot:{self.slots[0]}"

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        name_st = Style("serif", 19, pal.ink)
        meta_st = Style("italic", 16, pal.ink_soft)
        rh = c.line_h(name_st) + c.line_h(meta_st) + 14
        head_h = c.line_h(self.s.title) + 10 + 34
        compact = head_h + len(self.slots) * (rh + 6) > c.rect.h - 40  # one line a slot in a short window
        if compact:
            rh = c.line_h(name_st) + 10
        r = card(c, 760, head_h + len(self.slots) * (rh + 6) + 10)
        inner = r.inflate(-50, -34)
        title = "Save the game" if self.mode == "save" else "Load a game"
        c.text(title, (inner.x, inner.y), self.s.title, max_width=inner.w)
        hint = "Enter a name, then Enter" if self.editing else "Choose a slot · Esc to go back"
        c.text(hint, (inner.right, inner.y + 12), self.s.small_italic, align="right", max_width=inner.w // 2)
        y = inner.y + c.line_h(self.s.title) + 10
        for slot in self.slots:
            info = self.infos[slot]
            rect = pygame.Rect(inner.x, y, inner.w, rh)
            ident = f"slot:{slot}"
            if self.editing == slot:
                pygame.draw.rect(c.surface, pal.hover, rect, border_radius=3)
                pygame.draw.rect(c.surface, pal.focus, rect, 2, border_radius=3)
                cursor = "|" if int(self.app.clock_fn() * 2) % 2 == 0 else " "
                self.app.wake(0.5)  # the cursor blinks: draw again in half a second
                if compact:
                    lw = c.width(saves.slot_label(slot).upper(), self.s.label) + 24
                    c.text(saves.slot_label(slot).upper(), (rect.x + 12, rect.y + 7), self.s.label)
                    c.text(self.text + cursor, (rect.x + lw, rect.y + 4), name_st, box=rect, max_width=rect.w - lw - 12)
                else:
                    c.text(saves.slot_label(slot).upper(), (rect.x + 12, rect.y + 6), self.s.label)
                    c.text(self.text + cursor, (rect.x + 12, rect.y + 6 + c.line_h(self.s.label)), name_st,
                           box=rect, max_width=rect.w - 24)
                c.hit(ident, rect)
            else:
                if info.error:
                    sub = "Damaged save: " + info.error
                elif info.exists:
                    sub = f"{iso_to_text(info.game_date)} · {info.where} · saved {info.saved_at}"
                else:
                    sub = "Empty"
                name = info.name if info.exists and info.name and info.name != saves.slot_label(slot) else ""
                label = saves.slot_label(slot) + (f": {name}" if name else "")
                enabled = self.mode == "save" or info.exists
                sub_st = Style(meta_st.face, meta_st.size, pal.red if info.error else meta_st.colour)
                if compact:  # the name at the left, where and when at the right
                    lw = min(c.width(label, name_st) + 24, rect.w // 2)
                    c.button(ident, rect, "", enabled=enabled, kind="paper")
                    c.text(label, (rect.x + 8, rect.y + (rh - c.line_h(name_st)) // 2), Style(
                        name_st.face, name_st.size, name_st.colour if enabled else pal.disabled), box=rect,
                        max_width=lw - 8)
                    c.text(sub, (rect.right - 12, rect.y + (rh - c.line_h(sub_st)) // 2 + 1), sub_st, box=rect,
                           align="right", max_width=rect.w - lw - 24)
                else:
                    c.button(ident, rect, label, enabled=enabled, kind="paper", align="left", style=name_st, sub=sub,
                             sub_style=sub_st)
            y += rh + 6

    def default_name(self) -> str:
        sess = self.app.session
        if sess is None:
            return "Game"
        return f"{sess.game.state.day.day} {sess.game.state.day:%B} — {saves.describe_game(sess.game)}"

    def key(self, ev: pygame.event.Event) -> bool:
        k = ev.key
        if self.editing is not None:
            if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.commit()
            elif k == pygame.K_ESCAPE:
                self.editing = None
                pygame.key.stop_text_input()
            elif k == pygame.K_BACKSPACE:
                self.text = self.text[:-1]
            return True
        if k in (pygame.K_UP, pygame.K_DOWN):
            ids = [f"slot:{s}" for s in self.slots if self.mode == "save" or self.infos[s].exists]
            if ids:
                i = ids.index(self.focus) if self.focus in ids else -1
                self.focus = ids[(i + (1 if k == pygame.K_DOWN else -1)) % len(ids)]
            return True
        return False

    def text_input(self, text: str) -> None:
        if self.editing is not None and len(self.text) < 60:
            self.text += text

    def commit(self) -> None:
        assert self.editing is not None
        slot = self.editing
        name = self.text.strip() or self.default_name()
        self.editing = None
        pygame.key.stop_text_input()
        if self.app.save_to(slot, name):
            self.app.pop()

    def act(self, ident: str) -> None:
        if not ident.startswith("slot:"):
            return
        slot = ident[5:]
        if self.mode == "save":
            if self.editing == slot:
                self.commit()
                return
            self.editing = slot
            info = self.infos[slot]
            self.text = info.name if info.exists and info.name else self.default_name()
            pygame.key.start_text_input()
        else:
            info = self.infos[slot]
            if info.exists:
                self.app.load_from(info.path)

    def back(self) -> None:
        if self.editing is not None:
            self.editing = None
            pygame.key.stop_text_input()
        else:
            back_to_menu(self.app, self.from_menu, self.mode)


class SettingsScreen(Screen):
    """Text size, full screen, animation speed, sound: saved at once."""

    name = "settings"
    overlay = True

    OPTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        ("text_size", "Text size", ("small", "medium", "large")),
        ("fullscreen", "Display", ("windowed", "fullscreen")),
        ("animation", "Animation", ("off", "slow", "normal", "fast")),
        ("sound", "Sound", ("on", "off")),
    )

    def __init__(self, app: Host, from_menu: bool = False) -> None:
        super().__init__(app)
        self.focus = "opt:text_size"
        self.from_menu = from_menu  # Esc goes back to the menu it was opened from

    def value(self, key: str) -> str:
        st = self.app.settings
        if key == "fullscreen":
            return "fullscreen" if st.fullscreen else "windowed"
        if key == "sound":
            return "on" if st.sound else "off"
        return str(getattr(st, key))

    def shown(self, key: str) -> str:
        """The value as the screen says it (sound without an audio device says so)."""
        if key == "sound" and not self.app.sounds.available():
            return "No audio device"
        return self.value(key).capitalize()

    def set_value(self, key: str, val: str) -> None:
        st = self.app.settings
        if key == "fullscreen":
            st.fullscreen = val == "fullscreen"
        elif key == "sound":
            st.sound = val == "on"
        else:
            setattr(st, key, val)
        self.app.apply_settings(display=key == "fullscreen")

    def cycle(self, key: str, step: int) -> None:
        if key == "sound" and not self.app.sounds.available():
            return
        choices = next(o[2] for o in self.OPTIONS if o[0] == key)
        cur = self.value(key)
        i = choices.index(cur) if cur in choices else 0
        self.set_value(key, choices[(i + step) % len(choices)])

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        bh = max(42, c.line_h(self.s.body) + 16)
        r = card(c, 640, 36 + c.line_h(self.s.title) + 14 + len(self.OPTIONS) * (bh + 10) + 6
                 + c.line_h(self.s.small_italic) + 18 + bh)  # as tall as what it holds
        inner = r.inflate(-56, -36)
        c.text("Settings", (inner.x, inner.y), self.s.title)
        c.text("← → or click to change", (inner.right, inner.y + 12), self.s.small_italic, align="right",
               max_width=inner.w // 2)
        y = inner.y + c.line_h(self.s.title) + 14
        for key, label, _ in self.OPTIONS:
            rect = pygame.Rect(inner.x, y, inner.w, bh)
            c.button(f"opt:{key}", rect, label, kind="paper", align="left", style=Style("serif", 20, pal.ink))
            val = self.shown(key)
            off = key == "sound" and not self.app.sounds.available()
            c.text(val if off else f"‹ {val} ›", (rect.right - 16, rect.y + (bh - c.line_h(self.s.body)) // 2),
                   Style("mono_bold", 17, pal.ink_faint if off else pal.blue), align="right", box=rect)
            y += bh + 10
        y += 6
        c.text("Settings are saved as you change them.", (inner.x, y), self.s.small_italic, max_width=inner.w)
        c.button("done", pygame.Rect(inner.centerx - 100, inner.bottom - bh, 200, bh), "Done", key="Esc")

    def key(self, ev: pygame.event.Event) -> bool:
        if ev.key in (pygame.K_LEFT, pygame.K_RIGHT) and self.focus and self.focus.startswith("opt:"):
            self.cycle(self.focus[4:], 1 if ev.key == pygame.K_RIGHT else -1)
            return True
        return False

    def act(self, ident: str) -> None:
        if ident.startswith("opt:"):
            self.cycle(ident[4:], 1)
        elif ident == "done":
            self.back()

    def back(self) -> None:
        back_to_menu(self.app, self.from_menu, "settings")


def back_to_menu(app: Host, from_menu: bool, item: str) -> None:
    """Leave a screen opened from the game's menu for the menu again (the item under focus), else close it."""
    if from_menu:
        menu = PauseMenu(app)
        menu.focus = item
        app.replace(menu)
    else:
        app.pop()


class ErrorScreen(Screen):
    """A scenario that does not load: its diagnostics, instead of a traceback."""

    name = "error"
    arrows_focus = False

    def __init__(self, app: Host, title: str, lines: list[str], head: str, keep_running: bool = False) -> None:
        super().__init__(app)
        self.title = title
        self.lines = lines
        self.head = head
        self.keep_running = keep_running  # after a hot reload: the old scenario goes on underneath
        self.scroll = Scroll()
        self.focus = "quit"

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        self.desk(c)
        r = c.rect.inflate(-60, -50)
        c.paper(r)
        pygame.draw.rect(c.surface, pal.red, r, 3)
        inner = r.inflate(-50, -36)
        y = inner.y
        c.text(self.title, (inner.x, y), self.s.title, max_width=inner.w)
        y += c.line_h(self.s.title)
        if self.head:
            c.text(self.head, (inner.x, y), Style("italic", 19, pal.red), max_width=inner.w)
            y += c.line_h(self.s.sub)
        y += 8
        bh = 42
        view = pygame.Rect(inner.x, y, inner.w, inner.bottom - bh - 16 - y)
        yy = c.begin_scroll(self.scroll, view)
        st = Style("mono", 16, pal.ink)
        for ln in self.lines:
            yy += c.paragraph(ln, pygame.Rect(view.x, yy, view.w - 14, 0), st) + 8
        c.end_scroll(self.scroll, view, yy)
        if self.keep_running:
            hint = "The game goes on with the scenario as it was. Fix the file and press Ctrl+R to reload it again."
            label = "Back to the game"
        else:
            hint = "Fix the scenario file and start again; `negotiation validate FILE` prints the same list."
            label = "Quit"
        c.text(hint, (inner.x, inner.bottom - bh + 10), self.s.small_italic, max_width=inner.w - 260)
        c.button("quit", pygame.Rect(inner.right - 240, inner.bottom - bh, 240, bh), label, key="Esc")

    def key(self, ev: pygame.event.Event) -> bool:
        return scroll_keys(ev, self.scroll, max(80, self.scroll.view - 40))

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        self.back()

    def back(self) -> None:
        if self.keep_running:
            self.app.pop()
        else:
            self.app.quit()
