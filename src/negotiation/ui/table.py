"""The negotiating table: the meters, the last exchange, who speaks and what he demands, the moves with
their stakes, what is on the table, and the calendar.

The layout, from top to bottom: the bar (date, tools); the meters, with what the last move changed
and what the move under the focus would change; then two columns. On the left, the sheet of the
exchange: the last reply, the speaker, the demand, and the moves, each with its key and its risk
line (the moves scroll on their own, so the demand never leaves the screen). On the right: what is
on the table, the stakes of the move under the focus, and the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from negotiation.engine.events import Kind
from negotiation.ui import art
from negotiation.ui.canvas import Canvas, Scroll
from negotiation.ui.fmt import CALENDAR_LEGEND, Choice, Line, short_date, signed_number
from negotiation.ui.gamebase import GameScreen
from negotiation.ui.theme import Color, Style, meter_colour, mix

if TYPE_CHECKING:
    from negotiation.ui.host import Host

KEYPAD = {pygame.K_KP1: "1", pygame.K_KP2: "2", pygame.K_KP3: "3", pygame.K_KP4: "4", pygame.K_KP5: "5",
          pygame.K_KP6: "6", pygame.K_KP7: "7", pygame.K_KP8: "8", pygame.K_KP9: "9", pygame.K_KP0: "0"}
NARROW = 1000  # under this width the meters head the side column instead of a strip across the window
MARKER_SECONDS = 1.2  # how long a meter's change marker takes to settle after a move


@dataclass(frozen=True, slots=True)
class Plan:
    """How the moves are laid out: the height of a row, and whether the standard moves go in a row of buttons."""

    row_h: int
    bar: bool
    bar_h: int
    need: int  # the height they need to be seen whole


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the table's parts go at the window's size."""

    meters: pygame.Rect
    sheet: pygame.Rect
    side: pygame.Rect


class TableScreen(GameScreen):
    """The main screen of a game: one decision at a time."""

    name = "table"

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.text_scroll = Scroll()  # the demand's text, when it is long
        self.list_scroll = Scroll()  # the moves, when they are many
        self.shown: dict[str, float] = {}  # the meters as drawn (they glide to a new value)
        self._t = app.clock_fn()
        self._anim = False
        self._decision_key: tuple[str | None, int, int] | None = None
        self._offers: tuple[tuple[object, ...], list[Choice]] | None = None
        self._rows: list[tuple[int, pygame.Rect]] = []  # the move rows drawn, by index, for scrolling to the focus
        self._views: dict[str, pygame.Rect] = {}
        self._narrow = False  # the window is under 1000 pixels wide: the meters head the side column

    # ------------------------------------------------------------------ helpers
    def offers(self) -> list[Choice]:
        """The moves on offer (computed once per state of the game)."""
        game = self.sess.game
        key = (id(game), len(game.action_log), game.state.decision, game.state.round, game.state.step)
        if self._offers is None or self._offers[0] != key:
            self._offers = (key, self.sess.presenter.choices(game))
        return self._offers[1]

    def choices(self) -> list[object]:
        """The actions on offer, in the order of their rows."""
        return [c.action for c in self.offers()]

    def picked(self) -> int | None:
        """The index of the move under the mouse, else under the keyboard focus."""
        n = len(self.offers())
        for ident in (self.app.hover, self.focus):
            if ident and ident.startswith("act:") and int(ident[4:]) < n:
                return int(ident[4:])
        return None

    def tone(self, tone: str) -> Color:
        pal = self.app.pal
        return {"good": pal.green, "bad": pal.red, "news": pal.blue, "move": pal.ink_soft,
                "end": pal.red, "danger": pal.red, "cost": pal.ink_soft, "gain": pal.green}.get(tone, pal.ink)

    def animating(self) -> bool:
        return self._anim

    def reply_lines(self) -> list[Line]:
        """The last exchange. The meter lines only when nothing else answered the move (the meters carry
        their own markers): a choice always gets an answer."""
        sess = self.sess
        lines = sess.presenter.lines(sess.reply)
        said = [ln for ln in lines if ln.kind not in (Kind.METERS_CHANGED, Kind.MOVE_MADE)]
        return [ln for ln in lines if ln.kind != Kind.METERS_CHANGED or not said]

    def columns(self, c: Canvas, body: pygame.Rect) -> Columns:
        """Wide windows: the meters in a strip across the top, two columns below. Narrow ones (under 1000
        pixels): the meters head the side column, and the sheet of the exchange gets the whole height."""
        W = body.w
        gap = 12 if W < 1100 else 14
        side_w = max(250, min(440, W * 30 // 100))
        if W < NARROW:
            top = body.y + gap
            sheet = pygame.Rect(gap, top, W - side_w - 3 * gap, body.bottom - gap - top)
            side = pygame.Rect(sheet.right + gap, top, side_w, sheet.h)
            meters = pygame.Rect(side.x, side.y, side.w, self.meters_height(c, side.w - 24, column=True))
            side.y, side.h = meters.bottom + gap, side.h - meters.h - gap
            return Columns(meters, sheet, side)
        meters_h = self.meters_height(c, body.w - 2 * gap - 24)
        meters = pygame.Rect(gap, body.y + gap, W - 2 * gap, meters_h)
        top = meters.bottom + gap
        sheet = pygame.Rect(gap, top, W - side_w - 3 * gap, body.bottom - gap - top)
        side = pygame.Rect(sheet.right + gap, top, side_w, sheet.h)
        return Columns(meters, sheet, side)

    # ------------------------------------------------------------------ drawing
    def draw(self, c: Canvas) -> None:
        now = self.app.clock_fn()
        dt_ = min(0.1, max(0.0, now - self._t))
        self._t = now
        self._anim = False
        self.desk(c)
        body = self.bar(c)
        game = self.sess.game
        key = (game.state.decision, game.state.round, len(game.action_log))
        if key != self._decision_key:
            self._decision_key = key
            self.text_scroll.offset = 0
            self.list_scroll.offset = 0
            if self.focus is not None and self.focus.startswith("act:"):
                self.focus = None  # a new question: no move is preselected
        self._narrow = body.w < NARROW
        cols = self.columns(c, body)
        picked = None if game.is_over() else self.picked()
        self.draw_meters(c, cols.meters, dt_, self.offers()[picked] if picked is not None else None, now)
        if game.is_over():
            self.draw_over(c, cols.sheet)
            self.draw_side(c, cols.side, None)
            return
        self.draw_sheet(c, cols.sheet, now)
        self.draw_side(c, cols.side, picked)

    # ---------------------------------------------------------------- the meters
    def meters_height(self, c: Canvas, w: int, column: bool = False) -> int:
        """The height of the meters' card for an inner width ``w`` (in a strip, or down a column)."""
        rules = self.sess.rules
        shown = [v for v in rules.scenario.variables if v.show]
        n = sum(1 for v in shown if v.kind != "flag")
        per_row, lab_st = (1, self.column_label()) if column else self.meter_layout(c, w)
        rows = -(-n // per_row) if n else 0
        return 12 + rows * self.meter_row_h(c, lab_st) + self.tail_height(c, w, column) + 4

    def column_label(self) -> Style:
        return Style("mono_bold", 13, self.app.pal.ink_soft)

    def meter_row_h(self, c: Canvas, lab_st: Style) -> int:
        return c.line_h(lab_st) + 16

    def tail_items(self, c: Canvas, w: int, column: bool = False) -> list[tuple[int, int, str]]:
        """Where the flags and the consultations go under the meters: (x offset, row, text); flags first."""
        pal = self.app.pal
        flag_st = Style("serif", 16, pal.ink)
        out: list[tuple[int, int, str]] = []
        x, row = 0, 0
        flags = [v for v in self.sess.rules.scenario.variables if v.show and v.kind == "flag"]
        pres = self.sess.presenter
        if column:  # a narrow column: the flags that are raised, and the consultations, one a line
            state = self.sess.game.state.variables
            for v in flags:
                if state[v.id] > v.min:
                    out.append((0, row, "flag:" + v.id))
                    row += 1
            for t in pres.consultations(self.sess.game, short=True):
                out.append((0, row, "line:" + t))
                row += 1
            return out
        for v in flags:
            out.append((x, row, "flag:" + v.id))
            x += c.width(v.label, flag_st) + 34
        items = pres.consultations(self.sess.game)
        text = " · ".join([t for t in items if t.startswith("Awaiting")] + [t for t in items
                                                                             if not t.startswith("Awaiting")])
        if text:
            cons_w = c.width(text, Style("italic", 16, pal.ink_soft))
            if x and x + min(cons_w, w // 2) > w:
                x, row = 0, row + 1
            out.append((x, row, "text:" + text))
        return out

    def tail_height(self, c: Canvas, w: int, column: bool = False) -> int:
        items = self.tail_items(c, w, column)
        rows = max((row for _, row, _ in items), default=-1) + 1
        return rows * (c.line_h(Style("serif", 16, self.app.pal.ink)) + 2)

    def meter_layout(self, c: Canvas, w: int) -> tuple[int, Style]:
        """How many meters side by side, and the style of their labels: all in one row if a smaller label
        lets them, else as many as leave room for the longest label, its value and two markers."""
        labels = [v.label.upper() for v in self.sess.rules.scenario.variables if v.show and v.kind != "flag"]
        if not labels:
            return 1, self.s.label
        for size in (15, 13, 12):
            st = Style("mono_bold", size, self.app.pal.ink_soft)
            need = max(c.width(t, st) for t in labels) + c.width(" −00 → 000 100", st) + 22
            if w // need >= len(labels):
                return len(labels), st
        return max(1, w // need), self.s.label

    def draw_meters(self, c: Canvas, r: pygame.Rect, dt_: float, picked: Choice | None, now: float) -> None:
        """The meters side by side: value, bar, the last move's change, and the picked move's preview."""
        game = self.sess.game
        rules = game.rules
        pal = self.app.pal
        pres = self.sess.presenter
        c.paper(r)
        shown = [v for v in rules.scenario.variables if v.show]
        meters = [v for v in shown if v.kind != "flag"]
        flags = [v for v in shown if v.kind == "flag"]
        inner = r.inflate(-24, -12)
        column = r.w < 500
        per_row, lab_st = (1, self.column_label()) if column else self.meter_layout(c, inner.w)
        lab = c.line_h(lab_st)
        row_h = self.meter_row_h(c, lab_st)
        gap = 22
        mw = (inner.w - gap * (per_row - 1)) // per_row
        changed = pres.meter_changes(self.sess.reply + self.sess.news)
        preview = dict(picked.stakes.changes) if picked is not None else {}
        age = now - self.app.reply_at
        speed = self.app.settings.animation_speed
        settle = 1.0 if speed <= 0 else min(1.0, age / (MARKER_SECONDS / speed))
        if settle < 1.0 and changed:
            self._anim = True
        for i, v in enumerate(meters):
            row, col = divmod(i, per_row)
            x = inner.x + col * (mw + gap)
            y = inner.y + row * row_h
            target = game.state.variables[v.id]
            cur = self.shown.get(v.id, target)
            if speed > 0 and abs(cur - target) > 0.05:
                step = max(0.2, abs(target - cur) * 6 * dt_ * speed + 30 * dt_ * speed)
                cur = target if abs(target - cur) <= step else cur + step * (1 if target > cur else -1)
                self._anim = True
            else:
                cur = target
            self.shown[v.id] = cur
            span = (v.max - v.min) or 1.0
            frac = (cur - v.min) / span
            low = (target - v.min) / span < 0.25
            colour = meter_colour(rules.visible.index(v.id) if v.id in rules.visible else i)
            value = f"{cur:.0f}"
            marks: list[tuple[str, Color]] = []
            if v.id in changed and v.id not in preview:  # the last change, unless a move under the focus is weighed
                d = changed[v.id]
                marks.append((signed_number(d), pal.green if d > 0 else pal.red))
            if v.id in preview:
                d = preview[v.id]
                after = max(v.min, min(v.max, target + d))
                marks.append((f"→ {after:.0f}", pal.blue))
            mark_w = sum(c.width(t, lab_st) + 10 for t, _ in marks)
            val_w = c.width(value, lab_st)
            c.text(v.label.upper(), (x, y), Style(lab_st.face, lab_st.size, pal.red if low else pal.ink_soft),
                   max_width=mw - val_w - mark_w - 8)
            vx = x + mw
            c.text(value, (vx, y), Style(lab_st.face, lab_st.size, pal.red if low else pal.ink), align="right")
            vx -= val_w + 10
            for text, mcol in marks:
                c.text(text, (vx, y), Style(lab_st.face, lab_st.size, mcol), align="right")
                vx -= c.width(text, lab_st) + 10
            bar = pygame.Rect(x, y + lab + 2, mw, 9)
            c.meter(bar, frac, colour)
            if v.id in changed and changed[v.id] < 0 and settle < 1.0:  # what was lost, fading
                before = (target - changed[v.id] - v.min) / span
                lost = pygame.Rect(bar.x + round(bar.w * max(0.0, frac)), bar.y, 0, bar.h)
                lost.w = max(0, round(bar.w * min(1.0, before)) - (lost.x - bar.x))
                c.fill(lost, mix(pal.red_soft, pal.paper_dark, settle))
            if v.id in preview:  # the move under the focus: where the meter would go
                after = (max(v.min, min(v.max, target + preview[v.id])) - v.min) / span
                a, b = sorted((max(0.0, frac), after))
                seg = pygame.Rect(bar.x + round(bar.w * a), bar.y - 2, max(2, round(bar.w * (b - a))), bar.h + 4)
                pygame.draw.rect(c.surface, pal.blue, seg, 2)
            if low:
                pygame.draw.rect(c.surface, pal.red, bar.inflate(2, 2), 1)
        tail_y = inner.y + (-(-len(meters) // per_row)) * row_h
        flag_st = Style("serif", 16, pal.ink)
        fh = c.line_h(flag_st) + 2
        for dx, row, item in self.tail_items(c, inner.w, column):
            x, y = inner.x + dx, tail_y + row * fh
            kind, _, what = item.partition(":")
            if kind == "flag":
                v = rules.variables[what]
                on = game.state.variables[v.id] > v.min
                mark = pygame.Rect(x, y + fh // 2 - 6, 10, 10)
                pygame.draw.rect(c.surface, pal.red if on else pal.paper_dark, mark)
                pygame.draw.rect(c.surface, pal.ink_soft, mark, 1)
                c.text(v.label, (x + 15, y), Style("serif", 16, pal.ink if on else pal.ink_faint), box=r,
                       max_width=inner.right - x - 15)
            elif kind == "line":
                c.text(what, (x, y), Style("italic", 16, pal.ink_soft), max_width=inner.w, box=r)
            else:
                c.text(what, (inner.right, y), Style("italic", 16, pal.ink_soft), align="right",
                       max_width=inner.right - x, box=r)
        del flags

    # ---------------------------------------------------------------- the exchange
    def draw_sheet(self, c: Canvas, r: pygame.Rect, now: float) -> None:
        """The sheet of the exchange: the last reply, the speaker, the demand, the moves."""
        game = self.sess.game
        pal = self.app.pal
        c.paper(r)
        inner = r.inflate(-36, -24)
        d = game.decision()
        if d is None:
            return
        m = d.model
        offers = self.offers()
        y = inner.y
        y = self.draw_reply(c, pygame.Rect(inner.x, y, inner.w, 0), now, max_h=inner.h // 6)
        # the speaker, and the title of the question
        actor = game.rules.actors.get(m.speaker)
        head_st, sub_st = self.s.heading, self.s.sub
        if inner.h < 520:  # a short window: the speaker in a smaller line, the room to his demand
            head_st = Style("serif", 21, pal.ink)
        if actor is not None:
            side = next((s for s in game.rules.scenario.sides if s.id == actor.side), None)
            fx = inner.x
            if side is not None:
                fh = c.line_h(head_st) - 6
                c.surface.blit(art.flag(side, fh * 3 // 2, fh, Path(self.sess.loaded.path).parent), (inner.x, y + 4))
                fx += fh * 3 // 2 + 12
            name = actor.name + (f"  {actor.name_native}" if actor.name_native else "")
            nr = c.text(name, (fx, y), head_st, max_width=inner.right - fx)
            role = self.sess.presenter.role(actor.id)
            room = inner.right - nr.right - 16
            if role and c.width(role, sub_st) <= room:  # beside the name, whole, or not at all (the dossier has it)
                c.text(role, (nr.right + 14, y + (c.line_h(head_st) - c.line_h(sub_st)) // 2 + 2), sub_st,
                       max_width=room)
            y += c.line_h(head_st) + 2
        rounds = f"EXCHANGE {game.state.round} OF {m.rounds}" if m.rounds > 1 else ""
        title_st = self.s.title
        title_w = inner.w - (c.width(rounds, self.s.label) + 16 if rounds else 0)
        y += c.paragraph(m.title, pygame.Rect(inner.x, y, title_w, c.line_h(title_st) * 2), title_st, max_lines=2)
        if rounds:
            c.text(rounds, (inner.right, y - c.line_h(title_st) + 8), self.s.label, align="right")
        y += 2
        # the moves take the bottom; the demand's text what is left, and scrolls if it must
        head_h = c.line_h(self.s.label) + 6
        label_st, risk_st = self.choice_styles()
        body_st = self.s.body
        lh = round(c.line_h(body_st) * 1.05)
        text_need = len(c.wrap(m.text, body_st, inner.w - 14)) * lh + 8
        min_text = min(text_need, 2 * lh + self.marker_height(c) + 8)  # two lines at least, and the marker
        whole = inner.bottom - y - head_h - 12 - text_need  # room for the moves if the demand is shown whole
        plan = self.plan(c, offers, whole, inner.w)
        if plan.need > whole:  # the demand gives up lines (it scrolls) so that the moves get some room
            plan = self.plan(c, offers, inner.bottom - y - head_h - 12 - min_text, inner.w)
        room = inner.bottom - y - head_h - 12
        text_h = max(min_text, min(text_need, room - min(plan.need, max(room - min_text, 0))))
        mark_h = self.marker_height(c)
        overflow = text_need > text_h
        if overflow:  # whole lines only, and a line under them for the marker
            text_h = max(lh + mark_h, (text_h - mark_h) // lh * lh + mark_h)
        view = pygame.Rect(inner.x, y, inner.w, text_h - (mark_h if overflow else 0))
        self._views["text"] = view
        yy = c.begin_scroll(self.text_scroll, view)
        yy += c.paragraph(m.text, pygame.Rect(view.x, yy, view.w - 14, 0), body_st, gap=1.05) + 8
        c.end_scroll(self.text_scroll, view, yy)
        if overflow:
            more = self.text_scroll.offset + self.text_scroll.view < self.text_scroll.content
            self.more_marker(c, view.right, view.bottom, "more below · PgDn" if more else "PgUp to the top")
        y = view.bottom + (mark_h if overflow else 0) + 6
        c.rule(inner.x, inner.right, y, pal.paper_edge)
        y += 6
        hint = "YOUR MOVE  ·  press its key, or ↑ ↓ and Enter"
        c.text(hint, (inner.x, y), self.s.label, max_width=inner.w)
        y += head_h
        lst = pygame.Rect(inner.x, y, inner.w, inner.bottom - y)
        if plan.bar:
            bar = pygame.Rect(inner.x, inner.bottom - plan.bar_h, inner.w, plan.bar_h)
            lst.h -= plan.bar_h + 6
            self.draw_buttons(c, bar, offers)
            offers = [o for o in offers if not o.standard]
        self.draw_list(c, lst, offers, plan.row_h, label_st, risk_st)

    def plan(self, c: Canvas, offers: list[Choice], room: int, width: int) -> Plan:
        """The best layout of the moves in ``room`` pixels: two lines a move (label and risk), else one, else one
        for the scenario's moves and a row of buttons for the standard ones; the list scrolls if even that is
        too tall."""
        label_st, risk_st = self.choice_styles()
        full_h = c.line_h(label_st) + c.line_h(risk_st) + 8
        compact_h = c.line_h(label_st) + 6
        numbered = sum(1 for o in offers if not o.standard)
        lettered = len(offers) - numbered
        sep = 10 if numbered and lettered else 0
        bar_h = self.buttons_height(c, [o for o in offers if o.standard], width) if lettered and numbered else 0
        with_bar = numbered * full_h + bar_h + 6
        if len(offers) * full_h + sep <= room:
            return Plan(full_h, False, 0, len(offers) * full_h + sep)
        if bar_h and with_bar <= room:
            return Plan(full_h, True, bar_h, with_bar)
        if len(offers) * compact_h + sep <= room:
            return Plan(compact_h, False, 0, len(offers) * compact_h + sep)
        if not bar_h:
            row_h = full_h if room // full_h >= 6 else compact_h
            return Plan(row_h, False, 0, len(offers) * row_h + sep)
        row_h = full_h if (room - bar_h) // full_h >= 6 else compact_h
        return Plan(row_h, True, bar_h, numbered * row_h + bar_h + 6)

    def button_style(self, c: Canvas, offers: list[Choice], width: int) -> Style:
        """The buttons' type: 15 pixels, or smaller (down to 11) if that keeps them on one row."""
        for size in (15, 13, 12, 11):
            st = Style("mono_bold", size, self.app.pal.button_text)
            if sum(self.button_widths(c, offers, st)) + 8 * (len(offers) - 1) <= width:
                return st
        return Style("mono_bold", 15, self.app.pal.button_text)

    def button_widths(self, c: Canvas, offers: list[Choice], st: Style) -> list[int]:
        key_st = Style("mono", max(11, st.size - 4), self.app.pal.ink_faint)
        return [c.width(o.short, st) + c.width(o.key, key_st) + 22 for o in offers]

    def buttons_height(self, c: Canvas, offers: list[Choice], width: int) -> int:
        """The height of the row (or rows) of buttons for the standard moves."""
        st = self.button_style(c, offers, width)
        bh = c.line_h(st) + 14
        rows, x = 1, 0
        for w in self.button_widths(c, offers, st):
            if x and x + w > width:
                rows, x = rows + 1, 0
            x += w + 8
        return rows * (bh + 6) - 6

    def draw_buttons(self, c: Canvas, r: pygame.Rect, offers: list[Choice]) -> None:
        """The standard moves as buttons with their letters (their stakes show when one has the focus)."""
        std = [(i, o) for i, o in enumerate(offers) if o.standard]
        st = self.button_style(c, [o for _, o in std], r.w)
        bh = c.line_h(st) + 14
        widths = self.button_widths(c, [o for _, o in std], st)
        rows: list[list[tuple[int, Choice, int]]] = [[]]
        x = 0
        for (i, o), w in zip(std, widths, strict=True):
            if x and x + w > r.w:
                rows.append([])
                x = 0
            rows[-1].append((i, o, w))
            x += w + 8
        y = r.y
        for row in rows:
            spare = (r.w - sum(w for _, _, w in row) - 8 * (len(row) - 1)) // max(1, len(row))
            x = r.x
            for i, o, w in row:
                w += max(0, spare)
                style = Style(st.face, st.size, self.app.pal.red if o.danger else self.app.pal.button_text)
                c.button(f"act:{i}", pygame.Rect(x, y, w, bh), o.short, key=o.key, style=style)
                x += w + 8
            y += bh + 6

    def choice_styles(self) -> tuple[Style, Style]:
        pal = self.app.pal
        return Style("serif", 19, pal.ink), Style("italic", 16, pal.ink_soft)

    def marker_style(self) -> Style:
        return Style("mono_bold", 12, self.app.pal.blue)

    def marker_height(self, c: Canvas) -> int:
        return c.line_h(self.marker_style()) + 2

    def more_marker(self, c: Canvas, right: int, y: int, text: str) -> None:
        """A small mark on a line of its own under a view whose content goes on (never over its text)."""
        if text:
            c.text(f"▼ {text}" if "below" in text else f"▲ {text}", (right - 4, y + 1), self.marker_style(),
                   align="right")

    def draw_reply(self, c: Canvas, r: pygame.Rect, now: float, max_h: int) -> int:
        """The last exchange, in a tinted strip (a few lines; the whole of it is in the log)."""
        sess = self.sess
        lines = self.reply_lines()
        if not lines and not sess.note:
            return r.y
        pal = self.app.pal
        speed = self.app.settings.animation_speed
        fade = 1.0 if speed <= 0 else min(1.0, (now - self.app.reply_at) * 3.0 * speed)
        if fade < 1.0:
            self._anim = True
        st = Style("serif", 18, pal.ink)
        lh = c.line_h(st)
        budget = max(1, (max_h - 14) // lh)
        items: list[tuple[str, Color, Style]] = []
        for ln in lines:
            text = (f"{ln.who}: " if ln.who else "") + ln.text
            if ln.kind == Kind.METERS_CHANGED and items and len(lines) == 2:  # 'You: … — Stalin's patience −2'
                items[-1] = (f"{items[-1][0]} — {ln.text}", items[-1][1], st)
                continue
            items.append((text, self.tone(ln.tone), st))
        if sess.note:
            items.append((sess.note, pal.ink_soft, Style("italic", 17, pal.ink_soft)))
        w = r.w - 24
        heights = [len(c.wrap(t, s, w)) for t, _, s in items]
        # the newest lines matter most: keep them whole, cut the oldest first
        keep: list[tuple[str, Color, Style, int]] = []
        used = 0
        for (t, col, s), n in reversed(list(zip(items, heights, strict=True))):
            if used >= budget:
                break
            n = min(n, budget - used)
            keep.append((t, col, s, n))
            used += n
        keep.reverse()
        if keep and (len(keep) < len(items) or keep[0][3] < heights[len(items) - len(keep)]):
            t, col, st0, n = keep[0]
            keep[0] = ("… " + t, col, st0, n)  # the strip starts in the middle: the whole exchange is in the log
        box = pygame.Rect(r.x, r.y, r.w, used * lh + 14)
        c.fill(box, mix(pal.paper, pal.paper_dark, 0.7))
        pygame.draw.line(c.surface, pal.brass, box.topleft, (box.x, box.bottom - 1), 3)
        y = box.y + 7
        for t, col, s, n in keep:
            colour = mix(pal.paper, col, fade)
            c.paragraph(t, pygame.Rect(r.x + 14, y, w, n * lh), Style(s.face, s.size, colour), max_lines=n)
            y += n * lh
        return box.bottom + 10

    def draw_list(self, c: Canvas, r: pygame.Rect, offers: list[Choice], row_h: int, label_st: Style,
                  risk_st: Style) -> None:
        """The moves: the scenario's own and the article's, numbered; then the standard ones, lettered."""
        pal = self.app.pal
        sep = 10 if any(o.standard for o in offers) and any(not o.standard for o in offers) else 0
        overflow = len(offers) * row_h + sep > r.h
        if overflow:  # whole rows only, and a line under them for the marker
            h = r.h - self.marker_height(c)
            r = pygame.Rect(r.x, r.y, r.w, max(row_h, h // row_h * row_h))
        self._views["list"] = r
        compact = row_h < c.line_h(label_st) + c.line_h(risk_st)
        y = c.begin_scroll(self.list_scroll, r)
        self._rows = []
        key_w = c.width("0.", Style("mono_bold", 17, pal.ink)) + 14
        prev_standard: bool | None = None
        index = {id(o): i for i, o in enumerate(self.offers())}
        for o in offers:
            i = index[id(o)]
            if prev_standard is False and o.standard:
                y += 4
                c.rule(r.x + key_w, r.right - 20, y, mix(pal.paper_edge, pal.paper, 0.4))
                y += 6
            prev_standard = o.standard
            rect = pygame.Rect(r.x, y, r.w - 10, row_h - 2)
            self._rows.append((i, rect.move(0, self.list_scroll.offset)))
            c.button(f"act:{i}", rect, "", kind="plain")
            self.draw_row(c, rect, o, compact, key_w, label_st, risk_st)
            y += row_h
        c.end_scroll(self.list_scroll, r, y)
        if overflow:
            below = sum(1 for _, rr in self._rows if rr.bottom - self.list_scroll.offset > r.bottom)
            above = sum(1 for _, rr in self._rows if rr.y - self.list_scroll.offset < r.y)
            parts = ([f"{above} above"] if above else []) + ([f"{below} more below · ↓ or the wheel"] if below else [])
            self.more_marker(c, r.right, r.bottom, " · ".join(parts) or "")

    def draw_row(self, c: Canvas, rect: pygame.Rect, o: Choice, compact: bool, key_w: int, label_st: Style,
                 risk_st: Style) -> None:
        pal = self.app.pal
        key_st = Style("mono_bold", 17, pal.blue if o.standard else pal.ink)
        risk_col = pal.red if o.danger else pal.ink_soft  # one colour for every risk line but the dangerous ones
        rs = Style(risk_st.face, risk_st.size, risk_col)
        risk = ("! " if o.danger else "") + o.risk
        c.text(f"{o.key}.", (rect.x + 6, rect.y + 3), key_st, box=rect)
        lx = rect.x + key_w
        if compact:  # the label at its width (up to three fifths), the risk in what is left of the row
            avail = rect.right - lx - 6
            label_w = min(c.width(o.label, label_st), avail * 3 // 5)
            risk_w = max(0, avail - label_w - 18)
            risk = _fit_parts(c, risk, rs, risk_w)
            risk_w = min(c.width(risk, rs), risk_w)
            c.text(o.label, (lx, rect.y + 2), label_st, box=rect, max_width=rect.right - lx - risk_w - 18)
            c.text(risk, (rect.right - 6, rect.y + 4), rs, box=rect, align="right", max_width=risk_w)
        else:
            c.text(o.label, (lx, rect.y + 2), label_st, box=rect, max_width=rect.right - lx - 8)
            c.text(risk, (lx + 14, rect.y + 2 + c.line_h(label_st)), rs, box=rect, max_width=rect.right - lx - 22)

    def draw_over(self, c: Canvas, r: pygame.Rect) -> None:
        out = self.sess.game.outcome()
        assert out is not None
        c.paper(r)
        inner = r.inflate(-44, -36)
        y = inner.y
        c.text("THE NEGOTIATION IS OVER", (inner.x, y), self.s.red)
        y += c.line_h(self.s.red) + 6
        y += c.paragraph(out.title, pygame.Rect(inner.x, y, inner.w, 0), self.s.title) + 10
        c.button("end", pygame.Rect(inner.x, y, min(360, inner.w), 44), "See the score card", key="E")
        if self.focus is None:
            self.focus = "end"

    # ---------------------------------------------------------------- the side
    def draw_side(self, c: Canvas, r: pygame.Rect, picked: int | None) -> None:
        """What is on the table, the stakes of the move under the focus, then the calendar."""
        y = r.y
        game = self.sess.game
        d = game.decision()
        gap = 10
        narrow = self._narrow
        if d is not None and d.model.article and not game.is_over() and not (narrow and picked is not None):
            y = self.draw_table_card(c, pygame.Rect(r.x, y, r.w, r.bottom - y), d.model.article) + gap
        if picked is not None:
            y = self.draw_stakes(c, pygame.Rect(r.x, y, r.w, r.bottom - y), self.offers()[picked]) + gap
        elif not game.is_over():
            y = self.draw_stakes_hint(c, pygame.Rect(r.x, y, r.w, r.bottom - y)) + gap
        self.draw_calendar(c, pygame.Rect(r.x, y, r.w, r.bottom - y))

    def card_rows(self, c: Canvas, x: int, y: int, w: int, rows: list[tuple[str, str, Color]],
                  lines: list[int]) -> int:
        """Label and value pairs on a card; each value in at most its number of lines."""
        val_st = Style("serif", 18, self.app.pal.ink)
        for (k, v, col), n in zip(rows, lines, strict=True):
            c.text(k, (x, y), self.s.label, max_width=w)
            y += c.line_h(self.s.label)
            y += c.paragraph(v, pygame.Rect(x, y, w, n * c.line_h(val_st)),
                             Style(val_st.face, val_st.size, col), max_lines=n) + 3
        return y

    def fit_rows(self, c: Canvas, rows: list[tuple[str, str, Color]], w: int, room: int, most: int = 3) -> list[int]:
        """How many lines each row's value may take so that the rows fit in ``room`` pixels: the longest
        give up lines first (the later of equals), and none goes below one."""
        val_h = c.line_h(Style("serif", 18, self.app.pal.ink))
        per = c.line_h(self.s.label) + 3
        lines = [min(most, len(c.wrap(v, Style("serif", 18, self.app.pal.ink), w))) for _, v, _ in rows]
        while sum(lines) * val_h + per * len(rows) > room and max(lines, default=1) > 1:
            i = len(lines) - 1 - lines[::-1].index(max(lines))  # the last of the longest: the first rows matter most
            lines[i] -= 1
        return lines

    def rows_height(self, c: Canvas, lines: list[int]) -> int:
        return sum(lines) * c.line_h(Style("serif", 18, self.app.pal.ink)) + (c.line_h(self.s.label) + 3) * len(lines)

    def draw_table_card(self, c: Canvas, r: pygame.Rect, art_id: str) -> int:
        game = self.sess.game
        pal = self.app.pal
        art_r = game.rules.articles[art_id]
        a = game.state.articles[art_id]
        pos = art_r.model.positions
        x0, w0 = r.x + 16, r.w - 28
        title = art_r.model.title + (f"  {art_r.model.title_native}" if art_r.model.title_native else "")
        rows = [("THEIR DEMAND", pos[a.demand].label, pal.red), ("YOUR MANDATE", pos[a.mandate].label, pal.blue)]
        if 0 <= a.offer < a.demand:
            rows.append(("YOUR LAST OFFER", pos[a.offer].label, pal.ink_soft))
        title_lines = min(2, len(c.wrap(title, self.s.heading, w0)))
        budget = r.h if self._narrow else min(r.h, (c.rect.h - r.y) // 3)  # (wide: room left for the stakes)

        def head(n: int) -> int:
            return 10 + c.line_h(self.s.red) + c.line_h(self.s.heading) * n

        if head(title_lines) + self.rows_height(c, [1] * len(rows)) + 8 > budget:
            title_lines = 1  # a short column: the title on one line, then the rows give way, the last first
        while len(rows) > 1 and head(title_lines) + self.rows_height(c, [1] * len(rows)) + 8 > r.h:
            rows = rows[:-1]
        lines = self.fit_rows(c, rows, w0, max(0, budget - head(title_lines) - 8), most=2)
        head_h = head(title_lines)
        card = pygame.Rect(r.x, r.y, r.w, head_h + self.rows_height(c, lines) + 8)
        if card.h > r.h:
            return r.y - 10  # no room at all: the stakes card and the sheet still say what is demanded
        c.paper(card)
        pygame.draw.line(c.surface, pal.red, (card.x, card.y), (card.x, card.bottom - 1), 4)
        y = card.y + 8
        c.text("ON THE TABLE", (x0, y), self.s.red, max_width=w0)
        y += c.line_h(self.s.red)
        c.paragraph(title, pygame.Rect(x0, y - 2, w0, title_lines * c.line_h(self.s.heading)), self.s.heading,
                    max_lines=title_lines)
        y += title_lines * c.line_h(self.s.heading)
        self.card_rows(c, x0, y, w0, rows, lines)
        return card.bottom

    def stakes_rows(self, o: Choice) -> list[tuple[str, str, Color]]:
        """The stakes card's rows, the most telling first: the term, his answer, the meters, the warnings;
        then (in a narrow window, where the card takes the place of what is on the table) the demand and
        the mandate."""
        pal = self.app.pal
        st = o.stakes
        rows: list[tuple[str, str, Color]] = []
        warn = [w.lstrip("! ") for w in st.warnings if w.startswith("!")]
        caution = [w for w in st.warnings if not w.startswith("!")] + ([st.note.rstrip(".")] if st.note else [])
        if o.danger:
            text = "; ".join(warn + caution)
            rows.append(("DANGER", text[:1].upper() + text[1:] + ".", pal.red))
        if st.answer:
            rows.append(("HIS ANSWER, ESTIMATED", st.answer[:1].upper() + st.answer[1:], pal.blue))
        if st.meters:
            rows.append(("THE METERS", ", ".join(f"{k} {signed_number(v)}" for k, v in st.meters),
                         pal.ink_soft))
        if caution and not o.danger:
            text = "; ".join(caution)
            rows.append(("CAUTION", text[:1].upper() + text[1:] + ".", pal.amber))
        if st.term:
            rows.append(("THE TERM IN THE DRAFT", f"{st.against_history.capitalize()}: {st.term}", pal.ink))
        for title, term, against in st.terms:
            rows.append((title.upper(), f"{against.capitalize()}: {term}", pal.ink))
        if not rows:
            rows.append(("THE STAKES", "No cost you can foresee.", pal.ink_soft))
        d = self.sess.game.decision()
        if self._narrow and d is not None and d.model.article:
            a = self.sess.game.state.articles[d.model.article]
            pos = self.sess.rules.articles[d.model.article].model.positions
            if st.term != pos[a.demand].label:
                rows.append(("THEIR DEMAND", pos[a.demand].label, pal.red))
            rows.append(("YOUR MANDATE", pos[a.mandate].label, pal.blue))
        return rows

    def draw_stakes(self, c: Canvas, r: pygame.Rect, o: Choice) -> int:
        """The stakes of the move under the focus: the term, his likely answer, the meters, the warnings."""
        pal = self.app.pal
        x0, w0 = r.x + 16, r.w - 28
        head_st = Style("serif", 19, pal.ink)
        rows = self.stakes_rows(o)
        said = o.stakes.said
        said_st = Style("italic", 17, pal.ink_soft)
        head = f"{o.key}. {o.label}"
        head_lines = min(3, len(c.wrap(head, head_st, w0)))
        top_h = 10 + c.line_h(self.s.red) + head_lines * c.line_h(head_st) + 4
        val_st = Style("serif", 18, pal.ink)
        # the least telling rows go first, before the telling ones are cut below two lines
        while len(rows) > 2 and top_h + self.rows_height(c, [min(2, len(c.wrap(v, val_st, w0))) for _, v, _ in rows]) \
                + 8 > r.h:
            rows = rows[:-1]
        lines = self.fit_rows(c, rows, w0, r.h - top_h - 8)
        while len(rows) > 1 and top_h + self.rows_height(c, lines) + 8 > r.h:
            rows, lines = rows[:-1], self.fit_rows(c, rows[:-1], w0, r.h - top_h - 8)
        rows_h = self.rows_height(c, lines)
        said_lines = min(3, len(c.wrap(f"“{said}”", said_st, w0))) if said else 0
        while said_lines and top_h + rows_h + said_lines * c.line_h(said_st) + 12 > r.h:
            said_lines -= 1
        said_h = said_lines * c.line_h(said_st) + 4 if said_lines else 0
        card = pygame.Rect(r.x, r.y, r.w, min(max(0, r.h), top_h + said_h + rows_h + 8))
        if card.h < 60:
            return r.y
        c.paper(card)
        pygame.draw.line(c.surface, pal.red if o.danger else pal.blue, (card.x, card.y), (card.x, card.bottom - 1), 4)
        c.push_clip(card)
        y = card.y + 8
        c.text("IF YOU CHOOSE", (x0, y), Style("mono_bold", 15, pal.blue), max_width=w0)
        y += c.line_h(self.s.red)
        y += c.paragraph(head, pygame.Rect(x0, y, w0, head_lines * c.line_h(head_st)), head_st,
                         max_lines=head_lines) + 4
        if said_lines:
            y += c.paragraph(f"“{said}”", pygame.Rect(x0, y, w0, said_lines * c.line_h(said_st)), said_st,
                             max_lines=said_lines) + 4
        self.card_rows(c, x0, y, w0, rows, lines)
        c.pop_clip()
        return card.bottom

    def draw_stakes_hint(self, c: Canvas, r: pygame.Rect) -> int:
        pal = self.app.pal
        st = Style("italic", 17, pal.brass)
        text = "Weigh a move before you make it: ↑ ↓ or the mouse show what it puts at stake."
        h = c.para_height(text, st, r.w - 8)
        if h > r.h:
            return r.y - 10  # no room: the list's own hint says how to choose
        c.paragraph(text, pygame.Rect(r.x + 4, r.y, r.w - 8, h), st)
        return r.y + h

    def draw_calendar(self, c: Canvas, cal: pygame.Rect) -> None:
        """What is scheduled: dates, places and meetings, and events known in advance; never outcomes."""
        game = self.sess.game
        pal = self.app.pal
        head_h = c.line_h(self.s.heading)
        row_st = Style("serif", 17, pal.ink)
        rh = c.line_h(row_st)
        small = c.line_h(Style("italic", 15, pal.ink_soft))
        if cal.h < 6 + head_h + c.line_h(self.s.small_italic) + 6 + rh + small + 6 + small + 4:
            return  # no room for a single date: the calendar is in the log (L), after the record
        c.paper(cal)
        x0, w0 = cal.x + 16, cal.w - 28
        y = cal.y + 6
        c.text("The calendar", (x0, y), self.s.heading, max_width=w0)
        y += head_h
        c.text(f"Today, {short_date(game.state.day)}", (x0, y), self.s.small_italic, max_width=w0)
        y += c.line_h(self.s.small_italic) + 2
        c.rule(x0, x0 + w0, y)
        y += 4
        marks = {"session": pal.red, "event": pal.blue, "phase": pal.ink}
        legend_st = Style("italic", 15, pal.ink_soft)
        legend_h = c.line_h(legend_st) + 4
        dw = c.width("30 Sep ", self.s.mono_small) + 14
        items = self.sess.presenter.calendar(game)
        more_st = Style("italic", 15, pal.ink_faint)
        bottom = cal.bottom - 6 - legend_h
        fit = max(0, (bottom - y) // rh)
        if len(items) > fit:  # the last line says how many more there are
            fit = max(0, (bottom - y - c.line_h(more_st)) // rh)
        if items and fit == 0:
            return  # not even one date fits: the calendar is in the log (L), after the record
        for it in items[:fit]:
            pygame.draw.rect(c.surface, marks[it.kind], pygame.Rect(x0, y + rh // 2 - 3, 6, 6))
            c.text(short_date(it.date), (x0 + 12, y + 2), self.s.mono_small)
            st = Style("italic", 17, pal.ink) if it.kind == "phase" else row_st
            c.text(it.title, (x0 + dw, y), st, max_width=w0 - dw)
            y += rh
        if not items:
            c.text("Nothing more is scheduled.", (x0, y), self.s.small_italic, max_width=w0)
        elif fit < len(items):
            c.text(f"and {len(items) - fit} more", (x0 + dw, y), more_st, max_width=w0 - dw)
        # the legend: what the marks mean, in one line if it fits
        lx, ly = x0, cal.bottom - 4 - legend_h
        short = {"phase": "a new stage", "session": "a meeting", "event": "known in advance"}
        for kind, _ in CALENDAR_LEGEND:
            label = short[kind]
            w = c.width(label, legend_st) + 24
            if lx + w > x0 + w0 + 8:
                break
            pygame.draw.rect(c.surface, marks[kind], pygame.Rect(lx, ly + legend_h // 2 - 4, 6, 6))
            c.text(label, (lx + 10, ly), legend_st, box=cal)
            lx += w

    # ------------------------------------------------------------------ input
    def key(self, ev: pygame.event.Event) -> bool:
        if super().key(ev):
            return True
        k = ev.key
        if self.sess.game.is_over():
            if k in (pygame.K_e, pygame.K_RETURN, pygame.K_KP_ENTER):
                self.act("end")
                return True
            return False
        if not ev.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            name = KEYPAD.get(k) or pygame.key.name(k).upper()
            for i, offer in enumerate(self.offers()):
                if offer.key == name:
                    self.focus = f"act:{i}"
                    self.act(f"act:{i}")
                    return True
            if len(name) == 1 and name.isdigit():
                return True  # a number with no move: nothing, rather than a tool
        if k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and not (
                self.focus and self.focus.startswith("act:")) and self.focus not in self.app.focusables:
            self.focus = "act:0"  # the first Enter shows where the focus is; the next one acts
            self.reveal(0)
            return True
        if k in (pygame.K_UP, pygame.K_DOWN):
            n = len(self.offers())
            if n:
                cur = int(self.focus[4:]) if self.focus and self.focus.startswith("act:") else -1
                step = 1 if k == pygame.K_DOWN else -1
                cur = (cur + step) % n if cur >= 0 else (0 if step > 0 else n - 1)
                self.focus = f"act:{cur}"
                self.reveal(cur)
            return True
        if k in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self.text_scroll.by(-(self.text_scroll.view - 30) if k == pygame.K_PAGEUP else self.text_scroll.view - 30)
            return True
        return False

    def reveal(self, i: int) -> None:
        """Scroll the list of moves so that row ``i`` is in view."""
        view = self._views.get("list")
        for j, rect in self._rows:
            if j == i and view is not None:
                top = rect.y - view.y
                if top < self.list_scroll.offset:
                    self.list_scroll.offset = top
                elif top + rect.h > self.list_scroll.offset + view.h:
                    self.list_scroll.offset = top + rect.h - view.h
                self.list_scroll.clamp()

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        text = self._views.get("text")
        if text is not None and text.collidepoint(pos):
            self.text_scroll.by(-dy * 40)
        else:
            self.list_scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        if ident.startswith("act:"):
            offers = self.offers()
            i = int(ident[4:])
            if i < len(offers):
                offer = offers[i]
                if offer.confirm:
                    risk = offer.risk[:1].upper() + offer.risk[1:]
                    self.app.push(self.app.make(
                        "confirm", "Sign the treaty?",
                        f"{offer.confirm} {risk}. You can take it back afterwards (Ctrl+Z).", "Sign",
                        lambda: self.app.apply(offer.action)))
                else:
                    self.app.apply(offer.action)
            return
        if ident == "end":
            self.app.push(self.app.make("end"))
            return
        super().act(ident)

    def back(self) -> None:
        self.app.push(self.app.make("pause"))


def _fit_parts(c: Canvas, text: str, style: Style, width: int) -> str:
    """``text`` cut to ``width`` between its '; '-separated parts (never inside a word), with '…' for the rest.

    The first part always stays: if even it does not fit, the caller's max_width cuts it.
    """
    if c.width(text, style) <= width:
        return text
    parts = text.split("; ")
    while len(parts) > 1:
        parts.pop()
        cut = "; ".join(parts) + "; …"
        if c.width(cut, style) <= width:
            return cut
    return parts[0]


__all__ = ["TableScreen"]

