"""The negotiating table: who speaks, the demand, the choices with their risks, the meters, the calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from negotiation.engine.actions import Action
from negotiation.ui import art
from negotiation.ui.canvas import Canvas, Scroll
from negotiation.ui.fmt import Choice, short_date
from negotiation.ui.gamebase import GameScreen
from negotiation.ui.theme import Color, Style, mix

if TYPE_CHECKING:
    from negotiation.ui.app import App

DIGITS = {pygame.K_1: 0, pygame.K_2: 1, pygame.K_3: 2, pygame.K_4: 3, pygame.K_5: 4, pygame.K_6: 5,
          pygame.K_7: 6, pygame.K_8: 7, pygame.K_9: 8, pygame.K_0: 9,
          pygame.K_KP1: 0, pygame.K_KP2: 1, pygame.K_KP3: 2, pygame.K_KP4: 3, pygame.K_KP5: 4,
          pygame.K_KP6: 5, pygame.K_KP7: 6, pygame.K_KP8: 7, pygame.K_KP9: 8, pygame.K_KP0: 9}


class TableScreen(GameScreen):
    """The main screen of a game: one decision at a time."""

    name = "table"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.scroll = Scroll()
        self.shown: dict[str, float] = {}
        self._t = app.clock_fn()
        self._anim = False
        self._decision_key: tuple[str | None, int, int] | None = None

    # ------------------------------------------------------------------ helpers
    def choices(self) -> list[Action]:
        return [c.action for c in self.offers()]

    def offers(self) -> list[Choice]:
        return self.sess.presenter.choices(self.sess.game)

    def tone(self, tone: str) -> Color:
        pal = self.app.pal
        return {"good": pal.green, "bad": pal.red, "news": pal.blue, "move": pal.ink_soft,
                "end": pal.red}.get(tone, pal.ink)

    def animating(self) -> bool:
        return self._anim

    # ------------------------------------------------------------------ drawing
    def draw(self, c: Canvas) -> None:
        app = self.app
        now = app.clock_fn()
        dt_ = min(0.1, max(0.0, now - self._t))
        self._t = now
        self._anim = False
        self.desk(c)
        body = self.bar(c)
        W = body.w
        gap = 14
        right_w = max(290, min(430, W * 32 // 100))
        if W < 900:
            right_w = 260
        left = pygame.Rect(gap, body.y + gap, W - right_w - gap * 3, body.h - gap * 2)
        right = pygame.Rect(left.right + gap, left.y, right_w, left.h)
        self.draw_side(c, right, dt_)
        c.paper(left)
        inner = left.inflate(-44, -36)
        game = self.sess.game
        key = (game.state.decision, game.state.round, len(game.action_log))
        if key != self._decision_key:
            self._decision_key = key
            self.scroll.offset = 0
            if self.focus is not None and self.focus.startswith("act:"):
                self.focus = None  # a new question: no choice is preselected
        if game.is_over():
            self.draw_over(c, inner)
            return
        choice_top = self.draw_choices(c, inner)
        view = pygame.Rect(inner.x, inner.y, inner.w, max(40, choice_top - inner.y - 12))
        c.rule(inner.x, inner.right, view.bottom + 5)
        y = c.begin_scroll(self.scroll, view)
        y = self.draw_reply(c, pygame.Rect(view.x, y, view.w - 14, 0), now)
        y = self.draw_decision(c, pygame.Rect(view.x, y, view.w - 14, 0))
        c.end_scroll(self.scroll, view, y)
        if self.scroll.offset + self.scroll.view < self.scroll.content:  # more below: fade it, and say so
            self.draw_more_below(c, view)

    def draw_more_below(self, c: Canvas, view: pygame.Rect) -> None:
        """A fade over the last lines of a text that goes on below the view, and a hint to scroll."""
        pal = self.app.pal
        h = min(36, view.h // 2)
        fade = pygame.Surface((view.w - 8, h), pygame.SRCALPHA)
        for i in range(h):
            fade.fill((*pal.paper, round(255 * (i + 1) / h)), pygame.Rect(0, i, fade.get_width(), 1))
        c.surface.blit(fade, (view.x, view.bottom - h))
        c.text("more below · scroll or PgDn", (view.right - 10, view.bottom - 20), Style("italic", 15, pal.ink_soft),
               align="right", max_width=view.w // 2)

    def draw_reply(self, c: Canvas, r: pygame.Rect, now: float) -> int:
        """What was just said across the table, fading in."""
        sess = self.sess
        y = r.y
        lines = sess.presenter.lines(sess.reply)
        if not lines and not sess.note:
            return y
        pal = self.app.pal
        speed = self.app.settings.animation_speed
        age = now - self.app.reply_at
        fade = 1.0 if speed <= 0 else min(1.0, age * 3.0 * speed)
        if fade < 1.0:
            self._anim = True
        st = self.s.body_soft
        heights = []
        for ln in lines:
            heights.append(c.para_height((f"{ln.who}: " if ln.who else "") + ln.text, st, r.w - 24))
        note_h = c.para_height(sess.note, self.s.small_italic, r.w - 24) if sess.note else 0
        box = pygame.Rect(r.x, y, r.w, sum(heights) + note_h + 20)
        c.fill(box, mix(pal.paper, pal.paper_dark, 0.7))
        pygame.draw.line(c.surface, pal.brass, box.topleft, box.bottomleft, 3)
        yy = y + 10
        for ln, h in zip(lines, heights, strict=True):
            col = mix(pal.paper, self.tone(ln.tone), fade)
            c.paragraph((f"{ln.who}: " if ln.who else "") + ln.text, pygame.Rect(r.x + 14, yy, r.w - 24, h),
                        Style(st.face, st.size, col))
            yy += h
        if sess.note:
            c.paragraph(sess.note, pygame.Rect(r.x + 14, yy, r.w - 24, note_h), self.s.small_italic)
        return box.bottom + 14

    def draw_decision(self, c: Canvas, r: pygame.Rect) -> int:
        game = self.sess.game
        rules = game.rules
        pal = self.app.pal
        d = game.decision()
        y = r.y
        if d is None:
            return y
        m = d.model
        actor = rules.actors.get(m.speaker)
        if actor is not None:
            side = next((s for s in rules.scenario.sides if s.id == actor.side), None)
            fx = r.x
            if side is not None:
                img = art.flag(side, 48, 32)
                c.surface.blit(img, (r.x, y + 4))
                fx += 60
            c.text(actor.name + (f"  {actor.name_native}" if actor.name_native else ""), (fx, y), self.s.heading,
                   max_width=r.right - fx)
            role = ", ".join(x for x in (actor.title, side.name if side else "") if x)
            y += c.line_h(self.s.heading)
            if role:
                c.text(role, (fx, y), self.s.sub, max_width=r.right - fx)
                y += c.line_h(self.s.sub)
            y += 10
        c.rule(r.x, r.right, y, pal.paper_edge)
        y += 10
        y += c.paragraph(m.title, pygame.Rect(r.x, y, r.w, 0), self.s.title)
        y += 4
        y += c.paragraph(m.text, pygame.Rect(r.x, y, r.w, 0), self.s.body, gap=1.05)
        y += 12
        return y + 6

    def draw_choices(self, c: Canvas, inner: pygame.Rect) -> int:
        """The moves, pinned to the bottom of the sheet; return the top of the block.

        Two lines a move (the label, then its risk) in one or two columns; when even that takes
        more than half the sheet, one line a move with the risk at its right.
        """
        game = self.sess.game
        pal = self.app.pal
        offers = self.offers()
        acts = [o.action for o in offers]
        label_st = Style("serif", 19, pal.ink)
        risk_st = Style("italic", 15, pal.red)
        head = c.line_h(self.s.label) + 6
        rh = c.line_h(label_st) + c.line_h(risk_st) + 6
        cols = 1
        if len(acts) * (rh + 4) + head > inner.h * 0.5 and inner.w > 640:
            cols = 2
        compact = -(-len(acts) // cols) * (rh + 4) + head > inner.h * 0.5
        if compact:
            cols = 1
            rh = c.line_h(label_st) + 4
        rows = -(-len(acts) // cols)
        block = head + rows * (rh + 4)
        top = inner.bottom - block
        detail = self.move_detail(acts)
        del game
        if detail:  # the whole text of the move under the focus or the mouse: labels below may be cut
            c.text(detail, (inner.x, top - 3), Style("italic", 17, pal.blue), max_width=inner.w)
        else:
            c.text("YOUR MOVE  ·  press a number, or ↑ ↓ and Enter", (inner.x, top), self.s.label, max_width=inner.w)
        cw = (inner.w - (cols - 1) * 12) // cols
        for i, offer in enumerate(offers):
            label, risk = offer.label, offer.risk
            col, row = divmod(i, rows)
            rect = pygame.Rect(inner.x + col * (cw + 12), top + head + row * (rh + 4), cw, rh)
            num = f"{offer.key}."
            if compact:
                risk_w = min(c.width(risk, risk_st), rect.w * 2 // 5) if risk else 0
                c.button(f"act:{i}", rect.copy(), "", kind="plain")
                c.text(f"{num} {label}", (rect.x + 8, rect.y + 2), label_st, box=rect,
                       max_width=rect.w - risk_w - 28)
                if risk:
                    c.text(risk, (rect.right - 8, rect.y + 4), risk_st, box=rect, align="right", max_width=risk_w)
            else:
                c.button(f"act:{i}", rect, f"{num} {label}", kind="plain", align="left", style=label_st,
                         sub=("    " + risk) if risk else "", sub_style=risk_st)
        return top

    def move_detail(self, acts: list[Action]) -> str:
        """'11. label — risk' for the move under the mouse or the keyboard focus, else ''."""
        pick = self.app.hover if self.app.hover and self.app.hover.startswith("act:") else self.focus
        if not pick or not pick.startswith("act:") or int(pick[4:]) >= len(acts):
            return ""
        i = int(pick[4:])
        offer = self.offers()[i]
        return f"{offer.key}. {offer.label}" + (f" — {offer.risk}" if offer.risk else "")

    def draw_over(self, c: Canvas, inner: pygame.Rect) -> None:
        out = self.sess.game.outcome()
        assert out is not None
        y = inner.y
        c.text("THE NEGOTIATION IS OVER", (inner.x, y), self.s.red)
        y += c.line_h(self.s.red) + 6
        y += c.paragraph(out.title, pygame.Rect(inner.x, y, inner.w, 0), self.s.title) + 10
        c.button("end", pygame.Rect(inner.x, y, min(360, inner.w), 44), "See the score card", key="E")
        if self.focus is None:
            self.focus = "end"

    def draw_side(self, c: Canvas, r: pygame.Rect, dt_: float) -> None:
        """What is on the table, the meters, then the calendar."""
        y = r.y
        d = self.sess.game.decision()
        if d is not None and d.model.article and not self.sess.game.is_over():
            y = self.draw_table_card(c, pygame.Rect(r.x, y, r.w, 0), d.model.article, d.model.rounds) + 12
        y = self.draw_meters(c, pygame.Rect(r.x, y, r.w, r.bottom - y), dt_) + 12
        self.draw_calendar(c, pygame.Rect(r.x, y, r.w, r.bottom - y))

    def draw_table_card(self, c: Canvas, r: pygame.Rect, art_id: str, rounds: int) -> int:
        game = self.sess.game
        pal = self.app.pal
        art_r = game.rules.articles[art_id]
        a = game.state.articles[art_id]
        pos = art_r.model.positions
        x0, w0 = r.x + 16, r.w - 32
        title = art_r.model.title + (f"  {art_r.model.title_native}" if art_r.model.title_native else "")
        rows = [("THEIR DEMAND", pos[a.demand].label, pal.red), ("YOUR MANDATE", pos[a.mandate].label, pal.blue)]
        if a.offer >= 0:
            rows.append(("YOUR LAST OFFER", pos[a.offer].label, pal.ink_soft))
        val_st = Style("serif", 18, pal.ink)
        lab_h = c.line_h(self.s.label)
        head_h = c.line_h(self.s.red) + c.para_height(title, self.s.heading, w0)
        rows_h = sum(lab_h + c.para_height(v, val_st, w0) + 2 for _, v, _ in rows)
        foot = c.line_h(self.s.small_italic) if rounds > 1 else 0
        card = pygame.Rect(r.x, r.y, r.w, 18 + head_h + rows_h + foot + 8)
        c.paper(card)
        pygame.draw.line(c.surface, pal.red, (card.x, card.y), (card.x, card.bottom - 1), 4)
        y = card.y + 9
        c.text("ON THE TABLE", (x0, y), self.s.red)
        y += c.line_h(self.s.red)
        y += c.paragraph(title, pygame.Rect(x0, y, w0, 0), self.s.heading)
        for k, v, col in rows:
            c.text(k, (x0, y), self.s.label)
            y += lab_h
            y += c.paragraph(v, pygame.Rect(x0, y, w0, 0), Style("serif", 18, col)) + 2
        if rounds > 1:
            c.text(f"Exchange {game.state.round} of {rounds}", (x0, y), self.s.small_italic, max_width=w0)
        return card.bottom

    def draw_meters(self, c: Canvas, r: pygame.Rect, dt_: float) -> int:
        game = self.sess.game
        rules = game.rules
        pal = self.app.pal
        shown = [v for v in rules.scenario.variables if v.show]
        meters = [v for v in shown if v.kind != "flag"]
        flags = [v for v in shown if v.kind == "flag"]
        lh = c.line_h(self.s.label)
        mh = lh + 16
        extra = []
        if rules.principal is not None:
            extra.append(f"Appeals for a wider mandate left: "
                         f"{rules.principal.max_asks - game.state.asks.get('mandate', 0)}")
        if rules.ally is not None:
            extra.append(f"Requests for support left: {rules.ally.max_asks - game.state.asks.get('ally', 0)}")
        flag_st = Style("serif", 16, pal.ink)
        fh = c.line_h(flag_st)
        flag_rows = -(-len(flags) // 2)
        want = 16 + c.line_h(self.s.heading) + len(meters) * mh + flag_rows * fh + len(extra) * fh + 10
        box = pygame.Rect(r.x, r.y, r.w, min(want, max(80, r.h - 70)))
        c.paper(box)
        x0, w0 = box.x + 16, box.w - 32
        y = box.y + 8
        c.text("The situation", (x0, y), self.s.heading, max_width=w0)
        y += c.line_h(self.s.heading)
        speed = self.app.settings.animation_speed
        for v in meters:
            target = game.state.variables[v.id]
            cur = self.shown.get(v.id, target)
            if speed > 0 and abs(cur - target) > 0.05:
                step = max(0.2, abs(target - cur) * 6 * dt_ * speed + 30 * dt_ * speed)
                cur = target if abs(target - cur) <= step else cur + step * (1 if target > cur else -1)
                self._anim = True
            else:
                cur = target
            self.shown[v.id] = cur
            if y + mh > box.bottom:
                break
            span = v.max - v.min or 1
            frac = (cur - v.min) / span
            col = pal.red if frac < 0.25 else pal.amber if frac < 0.5 else pal.green
            c.text(v.label.upper(), (x0, y), self.s.label, max_width=w0 - 50)
            c.text(f"{cur:.0f}", (x0 + w0, y), self.s.label, align="right")
            c.meter(pygame.Rect(x0, y + lh + 1, w0, 9), frac, col)
            y += mh
        half = w0 // 2
        for i, v in enumerate(flags):
            if y + fh > box.bottom:
                break
            on = game.state.variables[v.id] > v.min
            fx = x0 + (i % 2) * half
            mark = pygame.Rect(fx, y + fh // 2 - 5, 10, 10)
            pygame.draw.rect(c.surface, pal.red if on else pal.paper_dark, mark)
            pygame.draw.rect(c.surface, pal.ink_soft, mark, 1)
            c.text(v.label, (fx + 16, y), Style("serif", 16, pal.ink if on else pal.ink_faint),
                   max_width=half - 20)
            if i % 2 == 1 or i == len(flags) - 1:
                y += fh
        for line in extra:
            if y + fh > box.bottom:
                break
            c.text(line, (x0, y), Style("italic", 16, pal.ink_soft), max_width=w0)
            y += fh
        return box.bottom

    def draw_calendar(self, c: Canvas, cal: pygame.Rect) -> None:
        game = self.sess.game
        rules = game.rules
        pal = self.app.pal
        if cal.h < 70:
            return
        c.paper(cal)
        x0, w0 = cal.x + 16, cal.w - 32
        y = cal.y + 8
        ph = rules.phases[game.state.phase]
        c.text("The calendar", (x0, y), self.s.heading, max_width=w0)
        y += c.line_h(self.s.heading)
        c.text(f"Today, {short_date(game.state.day)}: {ph.title}", (x0, y), self.s.small_italic, max_width=w0)
        y += c.line_h(self.s.small_italic) + 2
        c.rule(x0, x0 + w0, y)
        y += 4
        dw = c.width("30 Sep ", self.s.mono_small) + 14
        row_st = Style("serif", 17, pal.ink)
        rh = c.line_h(row_st)
        items = self.sess.presenter.calendar(game)
        for it in items:
            if y + rh > cal.bottom - 6:
                break
            mark = {"session": pal.red, "event": pal.blue, "phase": pal.ink}[it.kind]
            pygame.draw.rect(c.surface, mark, pygame.Rect(x0, y + rh // 2 - 3, 6, 6))
            c.text(short_date(it.date), (x0 + 12, y + 2), self.s.mono_small)
            st = Style("italic", 17, pal.ink) if it.kind == "phase" else row_st
            c.text(it.title, (x0 + dw, y), st, max_width=w0 - dw)
            y += rh
        if not items:
            c.text("Nothing more is scheduled.", (x0, y), self.s.small_italic, max_width=w0)

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
            name = pygame.key.name(k).upper()
            name = {"[1]": "1", "[2]": "2", "[3]": "3", "[4]": "4", "[5]": "5", "[6]": "6", "[7]": "7", "[8]": "8",
                    "[9]": "9", "[0]": "0"}.get(name, name)
            for i, offer in enumerate(self.offers()):
                if offer.key == name:
                    self.focus = f"act:{i}"
                    self.act(f"act:{i}")
                    return True
            if k in DIGITS:
                return True
        if k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and self.focus not in self.app.focusables:
            self.focus = "act:0"  # the first Enter shows where the focus is; the next one acts
            return True
        if k in (pygame.K_UP, pygame.K_DOWN):
            n = len(self.choices())
            if n:
                cur = int(self.focus[4:]) if self.focus and self.focus.startswith("act:") else -1
                step = 1 if k == pygame.K_DOWN else -1
                cur = (cur + step) % n if cur >= 0 else (0 if step > 0 else n - 1)
                self.focus = f"act:{cur}"
            return True
        if k in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self.scroll.by(-200 if k == pygame.K_PAGEUP else 200)
            return True
        return False

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        if ident.startswith("act:"):
            offers = self.offers()
            i = int(ident[4:])
            if i < len(offers):
                offer = offers[i]
                if offer.confirm:
                    from negotiation.ui.menus import Confirm

                    self.app.push(Confirm(self.app, "Sign the treaty?", offer.confirm + " " + offer.risk.capitalize()
                                          + ". You can take it back afterwards (Ctrl+Z).", "Sign",
                                          lambda: self.app.apply(offer.action)))
                else:
                    self.app.apply(offer.action)
            return
        if ident == "end":
            from negotiation.ui.end import EndScreen

            self.app.push(EndScreen(self.app))
            return
        super().act(ident)

    def back(self) -> None:
        from negotiation.ui.menus import PauseMenu

        self.app.push(PauseMenu(self.app))
