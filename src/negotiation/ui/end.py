"""The end screen: the score card against history, the meters over time, the historical shadow."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from negotiation.engine.events import GameEvent
from negotiation.scoring import ScoreCard, score_card
from negotiation.ui import art
from negotiation.ui.canvas import Canvas, Scroll, scroll_keys
from negotiation.ui.fmt import long_date, short_date
from negotiation.ui.gamebase import GameScreen
from negotiation.ui.theme import Color, Style, meter_colour, mix

if TYPE_CHECKING:
    from negotiation.ui.host import Host

TABS = (("score", "Score card", "1"), ("chart", "The meters", "2"), ("shadow", "Historical shadow", "3"),
        ("epilogue", "Epilogue", "4"))
STAMPS = {"signed": "green", "broken": "red", "recalled": "red", "ended": "amber"}


class ClosingScreen(GameScreen):
    """The closing scene of a game, before the score card: a stamp, the headline, the last words, what follows."""

    name = "closing"
    arrows_focus = False

    def __init__(self, app: Host, events: list[GameEvent] | None = None) -> None:
        super().__init__(app)
        self.closing = self.sess.presenter.closing(self.sess.game, events or [])
        self.focus = "continue"
        self.scroll = Scroll()

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        self.desk(c)
        close = self.closing
        if close is None:
            return
        W, H = c.rect.size
        width = min(940, W - 40)
        inner_w = width - 80
        line_st = Style("serif", 20, pal.ink)
        text_st = Style("italic", 21, pal.ink)
        body_st = Style("serif", 19, pal.ink_soft)
        bh = max(42, c.line_h(self.s.button) + 16)
        big = Style("serif", 36, pal.ink)
        # the sheet is as tall as what it says, within the window
        content = sum(c.para_height((f"{ln.who}: " if ln.who else "") + ln.text, line_st, inner_w - 14) + 6
                      for ln in close.lines)
        content += c.para_height(close.text, text_st, inner_w - 14, 1.05) + 12 if close.text else 0
        content += (c.line_h(self.s.red) + 4 + c.para_height(close.epilogue, body_st, inner_w - 14)
                    + 12) if close.epilogue else 0
        head = 60 + c.line_h(self.s.red) + c.line_h(big) * 2 + 30
        sheet = pygame.Rect(0, 0, width, min(H - 40, max(H * 3 // 5, head + content + bh + 60)))
        sheet.center = c.rect.center
        c.paper(sheet)
        inner = sheet.inflate(-80, -48)
        colour: Color = getattr(pal, STAMPS.get(close.kind, "red"))
        stamp = self.stamp(c, close.stamp, Style("mono_bold", 26, colour), colour)
        sx = inner.right - stamp.get_width()
        c.image(stamp, (sx, inner.y - 6), close.stamp)
        if close.kind == "signed":
            chars = art.seal_chars(self.sess.rules.scenario.scenario.title_native)
            if chars:
                size = min(stamp.get_height() + 10, 96)
                c.surface.blit(art.seal(self.app.fonts, size, chars), (sx - size - 16, inner.y - 8))
                sx -= size + 16
        y = inner.y
        sides = {sd.id: sd for sd in self.sess.rules.scenario.sides}
        meta = self.sess.rules.scenario.scenario
        fx = inner.x
        for sid in (meta.player_side, meta.counterpart_side):
            if sid in sides:
                c.surface.blit(art.flag(sides[sid], 33, 22, Path(self.sess.loaded.path).parent), (fx, y))
                fx += 41
        c.text(long_date(close.date).upper(), (fx + 4, y + 3), self.s.red, max_width=sx - fx - 14)
        y += max(24, c.line_h(self.s.red)) + 6
        y += c.paragraph(close.title, pygame.Rect(inner.x, y, sx - inner.x - 10, 0), big, max_lines=2) + 6
        y = max(y, inner.y + stamp.get_height() + 4)
        c.rule(inner.x, inner.right, y, pal.ink_soft)
        c.rule(inner.x, inner.right, y + 3, pal.ink_soft)
        y += 14
        view = pygame.Rect(inner.x, y, inner.w, inner.bottom - bh - 16 - y)
        yy = c.begin_scroll(self.scroll, view)
        tones = {"good": pal.green, "bad": pal.red, "news": pal.blue, "move": pal.ink_soft, "end": pal.red}
        for ln in close.lines:
            text = (f"{ln.who}: " if ln.who else "") + ln.text
            col = tones.get(ln.tone, pal.ink)
            yy += c.paragraph(text, pygame.Rect(view.x, yy, view.w - 14, 0), Style(line_st.face, line_st.size, col))
            yy += 6
        if close.text:
            yy += 6
            yy += c.paragraph(close.text, pygame.Rect(view.x, yy, view.w - 14, 0), text_st, gap=1.05) + 6
        if close.epilogue:
            yy += 6
            c.text("WHAT FOLLOWS", (view.x, yy), self.s.red)
            yy += c.line_h(self.s.red) + 4
            yy += c.paragraph(close.epilogue, pygame.Rect(view.x, yy, view.w - 14, 0), body_st)
        c.end_scroll(self.scroll, view, yy)
        bw = min(320, inner.w // 2 - 10)
        c.text("Ctrl+Z takes the last move back", (inner.x, inner.bottom - bh + (bh - c.line_h(self.s.small)) // 2),
               self.s.small_italic, max_width=inner.w - bw - 20)
        c.button("continue", pygame.Rect(inner.right - bw, inner.bottom - bh, bw, bh), "To the score card",
                 key="Enter")

    def stamp(self, c: Canvas, text: str, st: Style, colour: Color) -> pygame.Surface:
        """A rubber stamp: the words in a double frame, tilted."""
        img, _ = self.app.fonts.render(text, st.face, c.px(st.size), colour)
        pad = 14
        surf = pygame.Surface((img.get_width() + pad * 2, img.get_height() + pad * 2), pygame.SRCALPHA)
        r = surf.get_rect()
        pygame.draw.rect(surf, colour, r, 3, border_radius=4)
        pygame.draw.rect(surf, colour, r.inflate(-8, -8), 1, border_radius=3)
        surf.blit(img, (pad, pad))
        surf.set_alpha(215)
        return pygame.transform.rotate(surf, 4)

    def key(self, ev: pygame.event.Event) -> bool:
        if ev.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.act("continue")
            return True
        if scroll_keys(ev, self.scroll, max(80, self.scroll.view - 40)):
            return True
        k = ev.key
        if k in (pygame.K_d, pygame.K_m, pygame.K_l, pygame.K_b, pygame.K_t):
            return True  # the game screens open from the score card, not from over the closing scene
        return super().key(ev)

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        if ident == "continue":
            self.app.pop()
        else:
            super().act(ident)

    def back(self) -> None:
        self.app.pop()


class EndScreen(GameScreen):
    """How it ended and how it compares with 1945."""

    name = "end"
    arrows_focus = False

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.tab = "score"
        self.scroll = Scroll()
        self.card: ScoreCard = score_card(self.sess.game)
        hist = self.card.historical_signed_on
        self.year = str(hist.year) if hist else "history"
        self.focus: str | None = None  # Enter does nothing until the player has chosen a button (Tab)
        self.sources = False  # the citations under each article, on demand (S)

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        card = self.card
        self.desk(c)
        W, H = c.rect.size
        gap = 14
        head = pygame.Rect(gap, gap, W - gap * 2, 0)
        big = Style("serif", 30, pal.ink)
        num = Style("serif", 30, pal.green if card.interest > 0.05 else pal.red if card.interest < -0.05 else pal.ink)
        scores = [(f"{card.interest:+.1f}".replace("-", "−"), f"INTEREST vs {self.year}", num),
                  (f"{card.fidelity * 100:.0f}%", "FIDELITY", Style("serif", 30, pal.ink))]
        score_w = sum(max(c.width(v, st), c.width(k, self.s.label)) + 30 for v, k, st in scores)
        chars = art.seal_chars(self.sess.rules.scenario.scenario.title_native)
        head.h = c.line_h(big) + c.line_h(self.s.sub) + 26
        seal = art.seal(self.app.fonts, head.h - 16, chars) if card.signed and chars else None
        sw = seal.get_width() + 24 if seal is not None else 0
        if card.signed and card.signed_on:
            days = card.days_from_history or 0
            rel = "on the day history signed" if days == 0 else \
                f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'after' if days > 0 else 'before'} history"
            when = f"Signed {long_date(card.signed_on)}, {rel}"
        else:
            when = "No treaty was signed."
        # the scores beside the headline, or under it when the window is too narrow for both
        beside = c.width(card.ending_title, big) + score_w + sw + 60 <= head.w
        if not beside:
            head.h += c.line_h(num) + c.line_h(self.s.label) + 6
        c.paper(head)
        if seal is not None:
            c.surface.blit(seal, (head.right - seal.get_width() - 12, head.y + 8))
        x0 = head.x + 20
        text_w = head.w - (score_w if beside else 0) - sw - 40
        c.text(card.ending_title, (x0, head.y + 8), big, max_width=text_w)
        c.text(when, (x0, head.y + 8 + c.line_h(big)), self.s.sub, max_width=text_w)
        sx = head.right - sw - 20 if beside else x0
        sy = head.y + 6 if beside else head.y + 12 + c.line_h(big) + c.line_h(self.s.sub)
        for value, label, st in (reversed(scores) if beside else scores):
            w = max(c.width(value, st), c.width(label, self.s.label))
            if beside:
                c.text(value, (sx, sy), st, align="right")
                c.text(label, (sx, sy + 4 + c.line_h(st)), self.s.label, align="right")
                sx -= w + 30
            else:
                c.text(value, (sx, sy), st)
                c.text(label, (sx, sy + 4 + c.line_h(st)), self.s.label)
                sx += w + 30
        # the tabs, then the two ways out; on a second row if they do not fit beside the tabs
        y = head.bottom + 10
        th = max(36, c.line_h(self.s.button) + 12)
        key_st = Style("mono", max(11, self.s.button.size - 4), pal.ink_faint)
        tab_w = [c.width(label, self.s.button) + c.width(key, key_st) + 40 for _, label, key in TABS]
        outs = (("title", "Title screen", "T"), ("new", "New game", "N"))
        out_w = [c.width(label, self.s.button) + c.width(key, key_st) + 40 for _, label, key in outs]
        one_row = sum(tab_w) + sum(out_w) + 6 * (len(TABS) + 1) + 30 <= W - 2 * gap
        if not one_row:  # the tabs share the width
            spare = (W - 2 * gap - sum(tab_w) - 6 * (len(TABS) - 1)) // len(TABS)
            tab_w = [w + max(0, spare) for w in tab_w]
        x = gap
        for (ident, label, key), w in zip(TABS, tab_w, strict=True):
            c.button(f"tab:{ident}", pygame.Rect(x, y, w, th), label, key=key,
                     kind="paper" if ident == self.tab else "bar")
            x += w + 6
        by = y if one_row else y + th + 6
        x = W - gap
        for (ident, label, key), w in zip(reversed(outs), reversed(out_w), strict=True):
            c.button(ident, pygame.Rect(x - w, by, w, th), label, key=key)
            x -= w + 6
        y = by
        sheet = pygame.Rect(gap, y + th + 10, W - gap * 2, H - (y + th + 10) - gap)
        c.paper(sheet)
        view = sheet.inflate(-40, -24)
        if self.tab == "chart":
            self.scroll.view = view.h
            self.draw_chart(c, view)
            return
        if self.tab in ("score", "shadow"):  # the sources, on demand, at the top right of the card
            st = Style("mono_bold", 14, pal.ink)
            label = "Hide sources" if self.sources else "Show sources"
            bw2 = c.width(label, st) + c.width("S", st) + 40
            c.button("sources", pygame.Rect(view.right - bw2, view.y - 4, bw2, c.line_h(st) + 8), label, key="S",
                     kind="plain", style=st)
            row = c.line_h(st) + 10  # the button's row stays put: the card scrolls below it
            view = pygame.Rect(view.x, view.y + row, view.w, view.h - row)
        top = c.begin_scroll(self.scroll, view)
        if self.tab == "score":
            yy = self.draw_score(c, view, top)
        elif self.tab == "shadow":
            yy = self.draw_shadow(c, view, top)
        else:
            yy = self.draw_epilogue(c, view, top)
        c.end_scroll(self.scroll, view, yy)

    def draw_score(self, c: Canvas, view: pygame.Rect, y: int) -> int:
        pal = self.app.pal
        w = view.w - 14
        cols = [0, int(w * 0.22), int(w * 0.55), int(w * 0.89)]
        widths = [cols[1] - 12, cols[2] - cols[1] - 14, cols[3] - cols[2] - 14, w - cols[3]]
        card = self.card
        yours = "YOUR TREATY" if card.signed else "WHAT STANDS WITHOUT A TREATY"
        hist = f"THE TREATY OF {card.historical_signed_on.year}" if card.historical_signed_on else "HISTORY"
        for i, h in enumerate(("ARTICLE", yours, hist, "DIFF.")):
            c.text(h, (view.x + cols[i], y), self.s.label, max_width=widths[i])
        y += c.line_h(self.s.label) + 4
        c.rule(view.x, view.x + w, y, pal.ink_soft)
        y += 6
        body = Style("serif", 18, pal.ink)
        for a in self.card.articles:
            h1 = c.paragraph(f"{a.title} ({a.weight:g})", pygame.Rect(view.x, y, widths[0], 0),
                             Style("serif", 19, pal.ink))
            h2 = c.paragraph(a.position_label, pygame.Rect(view.x + cols[1], y, widths[1], 0), body)
            h3 = c.paragraph(a.historical_label, pygame.Rect(view.x + cols[2], y, widths[2], 0), body)
            col: Color = pal.green if a.difference > 0 else pal.red if a.difference < 0 else pal.ink_soft
            c.text(f"{a.difference:+.0f}".replace("-", "−"), (view.x + w, y), Style("serif", 20, col), align="right")
            y += max(h1, h2, h3) + 2
            y += c.paragraph(a.explanation, pygame.Rect(view.x + cols[1], y, w - cols[1], 0), self.s.small_italic)
            if self.sources and a.sources:
                cites = "; ".join(self.sess.presenter.citations(a.sources))
                y += c.paragraph("Sources: " + cites, pygame.Rect(view.x + cols[1], y, w - cols[1], 0),
                                 Style("serif", 15, pal.ink_faint))
            y += 6
            c.rule(view.x, view.x + w, y)
            y += 8
        y += c.paragraph(f"Interest: the weighted difference of your terms from {self.year}'s (0 = history; above 0 "
                         "is better for your side); each row's difference is before its article's weight, given in "
                         f"brackets. Fidelity: how close your treaty and its date are to {self.year}. "
                         + ("S hides the sources." if self.sources else "S shows the sources of each article."),
                         pygame.Rect(view.x, y, w, 0), self.s.small_italic)
        kept = self.app.kept
        if kept is not None:
            y += 6 + c.paragraph(f"This game is kept among your saves ({kept.name}): Load, on the title screen, "
                                 "reopens it even after a new game.", pygame.Rect(view.x, y + 6, w, 0),
                                 self.s.small_italic)
        return y + 10

    def draw_shadow(self, c: Canvas, view: pygame.Rect, y: int) -> int:
        pal = self.app.pal
        w = view.w - 14
        rows = self.sess.presenter.shadow(self.sess.game)
        same = sum(1 for r in rows if r.same)
        c.text(f"At each decision, what the real delegation did: you matched it {same} time{'s' if same != 1 else ''}"
               f" out of {len(rows)}.", (view.x, y), self.s.sub, max_width=w)
        y += c.line_h(self.s.sub) + 8
        lw = c.width(f"{self.year} ", self.s.label) + 12
        for r in rows:
            c.text(short_date(r.date).upper(), (view.x, y + 3), self.s.label)
            dx = c.width("30 SEP ", self.s.label) + 10
            c.text(r.title, (view.x + dx, y), Style("serif", 20, pal.ink), max_width=w - dx - 150)
            mark, col = (f"as in {self.year}", pal.green) if r.same else ("you diverged", pal.amber)
            c.text(mark.upper(), (view.x + w, y + 3), Style("mono_bold", 14, col), align="right")
            y += c.line_h(Style("serif", 20, pal.ink))
            c.text("YOU", (view.x + dx, y + 2), self.s.label)
            y += c.paragraph("; ".join(r.yours), pygame.Rect(view.x + dx + lw, y, w - dx - lw, 0), self.s.body_soft)
            c.text(self.year, (view.x + dx, y + 2), Style("mono_bold", 15, pal.red))
            y += c.paragraph("; ".join(r.theirs), pygame.Rect(view.x + dx + lw, y, w - dx - lw, 0),
                             Style("serif", 19, pal.red))
            if r.history:
                y += c.paragraph(r.history, pygame.Rect(view.x + dx + lw, y, w - dx - lw, 0), self.s.small_italic)
            if self.sources and r.sources:
                cites = "; ".join(self.sess.presenter.citations(r.sources))
                y += c.paragraph("Sources: " + cites, pygame.Rect(view.x + dx + lw, y, w - dx - lw, 0),
                                 Style("serif", 15, pal.ink_faint))
            y += 6
            c.rule(view.x, view.x + w, y)
            y += 8
        if not rows:
            c.text("No decision was taken.", (view.x, y), self.s.body_soft)
            y += c.line_h(self.s.body_soft)
        return y

    def draw_epilogue(self, c: Canvas, view: pygame.Rect, y: int) -> int:
        pal = self.app.pal
        w = view.w - 14
        rules = self.sess.rules
        out = self.sess.game.outcome()
        ending = rules.ending_by_id[out.ending] if out else None
        if ending is not None and ending.text:
            y += c.paragraph(ending.text, pygame.Rect(view.x, y, w, 0), self.s.body) + 10
        if self.card.epilogue:
            c.text("AFTERWARDS", (view.x, y), self.s.red)
            y += c.line_h(self.s.red) + 2
            y += c.paragraph(self.card.epilogue, pygame.Rect(view.x, y, w, 0), self.s.body) + 10
        hist = rules.scenario.history
        c.text("WHAT HAPPENED IN HISTORY", (view.x, y), self.s.red)
        y += c.line_h(self.s.red) + 2
        if hist.summary:
            y += c.paragraph(hist.summary, pygame.Rect(view.x, y, w, 0), self.s.body) + 6
        for item in hist.aftermath:
            pygame.draw.rect(c.surface, pal.red, pygame.Rect(view.x + 2, y + 9, 6, 6))
            y += c.paragraph(item, pygame.Rect(view.x + 16, y, w - 16, 0), self.s.body_soft) + 4
        return y + 10

    def draw_chart(self, c: Canvas, view: pygame.Rect) -> None:
        pal = self.app.pal
        game = self.sess.game
        rules = game.rules
        shown = [v for v in rules.scenario.variables if v.show and v.kind != "flag"]
        pts: list[tuple[int, dict[str, float]]] = [(rules.start, {v.id: v.initial for v in rules.scenario.variables})]
        pts += [(d, dict(zip(game.rules.visible, vals, strict=True))) for _, d, vals in game.state.trace]
        c.text("The meters over the negotiation, move by move", (view.x, view.y), self.s.heading, max_width=view.w)
        legend_rows = 1
        lx = view.x + 50
        for v in shown:
            w = c.width(v.label, self.s.small) + 58
            if lx + w > view.right:
                legend_rows += 1
                lx = view.x + 50
            lx += w
        legend_h = legend_rows * (c.line_h(self.s.small) + 4) + 4
        plot = pygame.Rect(view.x + 50, view.y + c.line_h(self.s.heading) + 12, view.w - 70,
                           view.h - c.line_h(self.s.heading) - 12 - legend_h - c.line_h(self.s.mono_small) - 14)
        pygame.draw.rect(c.surface, mix(pal.paper, pal.paper_dark, 0.5), plot)
        for k in range(0, 5):
            yy = plot.bottom - plot.h * k // 4
            pygame.draw.line(c.surface, pal.paper_edge, (plot.x, yy), (plot.right, yy))
            c.text(f"{k * 25}%", (plot.x - 6, yy - 8), self.s.mono_small, align="right")
        n = len(pts)
        step = plot.w / max(1, n - 1)
        last_label = -999
        prev_date = None
        for i, (d, _) in enumerate(pts):
            x = round(plot.x + i * step)
            if d != prev_date and x - last_label > 70:
                pygame.draw.line(c.surface, pal.paper_edge, (x, plot.y), (x, plot.bottom))
                c.text(short_date(rules.date_of(d)), (x, plot.bottom + 4), self.s.mono_small, align="center")
                last_label = x
            prev_date = d
        for j, v in enumerate(shown):
            col = meter_colour(rules.visible.index(v.id) if v.id in rules.visible else j)
            span = (v.max - v.min) or 1
            line = [(round(plot.x + i * step), round(plot.bottom - (vals.get(v.id, v.initial) - v.min) / span * plot.h))
                    for i, (_, vals) in enumerate(pts)]
            if len(line) > 1:
                pygame.draw.lines(c.surface, col, False, line, 3)
            for p in line:
                pygame.draw.circle(c.surface, col, p, 3)
        pygame.draw.rect(c.surface, pal.ink_soft, plot, 1)
        x = plot.x
        y = view.bottom - legend_h + 4
        for j, v in enumerate(shown):
            col = meter_colour(rules.visible.index(v.id) if v.id in rules.visible else j)
            w = c.width(v.label, self.s.small) + 58
            if x + w > view.right and x > plot.x:
                x = plot.x
                y += c.line_h(self.s.small) + 4
            pygame.draw.line(c.surface, col, (x, y + 10), (x + 26, y + 10), 4)
            r = c.text(v.label, (x + 32, y), self.s.small, box=view)
            x = r.right + 26

    def key(self, ev: pygame.event.Event) -> bool:
        k = ev.key
        tabs = {pygame.K_1: "score", pygame.K_2: "chart", pygame.K_3: "shadow", pygame.K_4: "epilogue"}
        if k in tabs:
            self.act(f"tab:{tabs[k]}")
            return True
        if k in (pygame.K_LEFT, pygame.K_RIGHT):
            ids = [t[0] for t in TABS]
            i = ids.index(self.tab)
            self.act(f"tab:{ids[(i + (1 if k == pygame.K_RIGHT else -1)) % len(ids)]}")
            return True
        if k == pygame.K_n and not ev.mod & pygame.KMOD_CTRL:
            self.act("new")
            return True
        if k == pygame.K_s and not ev.mod & pygame.KMOD_CTRL:
            self.act("sources")
            return True
        if k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and self.focus is None:
            return True  # no button chosen yet: Enter does nothing (it used to start a new game at once)
        if k == pygame.K_t and not ev.mod & pygame.KMOD_CTRL:
            self.act("title")
            return True
        if scroll_keys(ev, self.scroll, max(80, self.scroll.view - 40)):
            return True
        return super().key(ev)

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        if ident.startswith("tab:"):
            self.tab = ident[4:]
            self.scroll.offset = 0
        elif ident == "sources":
            self.sources = not self.sources
            if self.tab not in ("score", "shadow"):
                self.tab = "score"
        elif ident == "new":
            self.app.new_game()
        elif ident == "title":
            self.app.to_title()
        else:
            super().act(ident)

    def back(self) -> None:
        self.app.to_title()

