"""The dossier, the treaty draft, the map and the message log."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from negotiation.ui.canvas import Canvas, Scroll
from negotiation.ui.fmt import Presenter, iso_to_text, long_date
from negotiation.ui.gamebase import GameScreen
from negotiation.ui.mapview import MapScreen as MapScreen  # the map lives in its own module
from negotiation.ui.theme import Color, Style, mix

if TYPE_CHECKING:
    from negotiation.ui.app import App


def scroll_keys(ev: pygame.event.Event, scroll: Scroll, page: int) -> bool:
    """Up/Down/PgUp/PgDn/Home/End on a scrolled view."""
    k = ev.key
    moves = {pygame.K_UP: -40, pygame.K_DOWN: 40, pygame.K_PAGEUP: -page, pygame.K_PAGEDOWN: page}
    if k in moves:
        scroll.by(moves[k])
    elif k == pygame.K_HOME:
        scroll.offset = 0
    elif k == pygame.K_END:
        scroll.to_end()
    else:
        return False
    return True


# ---------------------------------------------------------------------- the dossier
class BriefingScreen(GameScreen):
    """The briefing documents, one page at a time."""

    name = "briefing"
    arrows_focus = False

    def __init__(self, app: App, first: bool = False) -> None:
        super().__init__(app)
        self.first = first
        self.page = 0
        self.scroll = Scroll()
        self.focus = "next"

    @property
    def docs(self) -> list:  # type: ignore[type-arg]
        return list(self.sess.loaded.scenario.briefing)

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        self.desk(c)
        body = self.bar(c)
        docs = self.docs
        if not docs:
            c.text("The dossier is empty.", (body.centerx, body.centery), self.s.on_desk, align="center")
            c.button("close", pygame.Rect(body.centerx - 120, body.centery + 40, 240, 42), "To the table", key="Enter")
            return
        self.page = max(0, min(self.page, len(docs) - 1))
        doc = docs[self.page]
        W = body.w
        idx_w = 0 if W < 1000 else min(300, W // 4)
        gap = 14
        sheet = pygame.Rect(gap + idx_w + (gap if idx_w else 0), body.y + gap, 0, body.h - gap * 2)
        sheet.w = W - sheet.x - gap
        # the index of documents, as tabs on the desk
        if idx_w:
            y = body.y + gap + 4
            c.text("THE DOSSIER", (gap, y), Style("mono_bold", 15, pal.brass), max_width=idx_w)
            y += c.line_h(self.s.label) + 8
            bh = c.line_h(self.s.small) + 12
            for i, d in enumerate(docs):
                r = pygame.Rect(gap, y, idx_w, bh)
                c.button(f"doc:{i}", r, f"{i + 1}. {d.title}", kind="paper" if i == self.page else "bar",
                         align="left", style=Style("serif", 17, pal.ink if i == self.page else pal.bar_text))
                y += bh + 4
                if y > body.bottom - bh:
                    break
        c.paper(sheet)
        inner = sheet.inflate(-56, -40)
        head = f"DOCUMENT {self.page + 1} OF {len(docs)}"
        c.text(head, (inner.x, inner.y), self.s.red, max_width=inner.w // 2)
        if doc.date:
            c.text(iso_to_text(doc.date), (inner.right, inner.y), self.s.mono_small, align="right",
                   max_width=inner.w // 2)
        y = inner.y + c.line_h(self.s.red) + 6
        y += c.paragraph(doc.title, pygame.Rect(inner.x, y, inner.w, 0), self.s.title, max_lines=2)
        c.rule(inner.x, inner.right, y + 4, pal.ink_soft)
        c.rule(inner.x, inner.right, y + 7, pal.ink_soft)
        y += 16
        bh = 42
        foot = inner.bottom - bh
        view = pygame.Rect(inner.x, y, inner.w, foot - y - 12)
        yy = c.begin_scroll(self.scroll, view)
        text_st = Style("mono", 18, pal.ink)
        yy += c.paragraph(doc.text, pygame.Rect(view.x, yy, view.w - 12, 0), text_st, gap=1.12)
        if doc.sources:
            yy += 10
            yy += c.paragraph("Sources: " + ", ".join(doc.sources), pygame.Rect(view.x, yy, view.w - 12, 0),
                              self.s.small_italic)
        c.end_scroll(self.scroll, view, yy)
        last = self.page == len(docs) - 1
        c.button("prev", pygame.Rect(inner.x, foot, 200, bh), "‹ Previous", enabled=self.page > 0, key="←")
        label = ("Begin the negotiation" if self.first else "Back to the table") if last else "Next page ›"
        c.button("next", pygame.Rect(inner.right - 300, foot, 300, bh), label, key="→" if not last else "Enter")
        if self.first and not last:
            c.button("close", pygame.Rect(inner.centerx - 110, foot, 220, bh), "Skip the dossier", key="Esc")

    def key(self, ev: pygame.event.Event) -> bool:
        k = ev.key
        if k in (pygame.K_RIGHT, pygame.K_n):
            self.act("next")
            return True
        if k in (pygame.K_LEFT, pygame.K_p):
            self.act("prev")
            return True
        if k in (pygame.K_RETURN, pygame.K_KP_ENTER) and (self.focus in (None, "next")):
            self.act("next")
            return True
        if scroll_keys(ev, self.scroll, 300):
            return True
        if k == pygame.K_b:
            self.back()
            return True
        return super().key(ev)

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        n = len(self.docs)
        if ident == "next":
            if self.page >= n - 1:
                self.back()
            else:
                self.page += 1
                self.scroll.offset = 0
        elif ident == "prev" and self.page > 0:
            self.page -= 1
            self.scroll.offset = 0
        elif ident.startswith("doc:"):
            self.page = int(ident[4:])
            self.scroll.offset = 0
        elif ident == "close":
            self.back()
        else:
            super().act(ident)

    def back(self) -> None:
        if self.first:
            self.app.pop()
        else:
            self.go("table")


# ---------------------------------------------------------------------- the draft treaty
class DraftScreen(GameScreen):
    """Every article on its ladder: agreed, their demand, your offer, your mandate."""

    name = "draft"
    arrows_focus = False

    def __init__(self, app: App) -> None:
        super().__init__(app)
        d = self.sess.game.decision()
        ids = list(self.sess.rules.articles)
        self.sel = ids.index(d.model.article) if d is not None and d.model.article in ids else 0
        self.scroll = Scroll()

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        rules = self.sess.rules
        st = self.sess.game.state
        self.desk(c)
        body = self.bar(c)
        gap = 14
        arts = list(rules.articles.values())
        self.sel = max(0, min(self.sel, len(arts) - 1))
        lw = max(300, min(460, body.w * 36 // 100))
        left = pygame.Rect(gap, body.y + gap, lw, body.h - gap * 2)
        right = pygame.Rect(left.right + gap, left.y, body.w - lw - gap * 3, left.h)
        c.paper(left)
        x0, w0 = left.x + 16, left.w - 32
        y = left.y + 10
        c.text("The draft treaty", (x0, y), self.s.heading, max_width=w0)
        y += c.line_h(self.s.heading) + 4
        agreed = sum(1 for a in st.articles.values() if a.settled >= 0)
        c.text(f"{agreed} of {len(arts)} articles agreed  ·  ↑ ↓ to choose", (x0, y), self.s.small_italic,
               max_width=w0)
        y += c.line_h(self.s.small_italic) + 6
        title_st = Style("serif", 19, pal.ink)
        stat_st = Style("italic", 16, pal.ink_soft)
        rh = min(c.line_h(title_st) + c.line_h(stat_st) + 14, (left.bottom - 8 - y) // max(1, len(arts)))
        for i, ar in enumerate(arts):
            a = st.articles[ar.model.id]
            r = pygame.Rect(left.x + 6, y, left.w - 12, rh - 2)
            if i == self.sel:
                c.fill(r, mix(pal.paper, pal.brass, 0.25))
            c.hit(f"art:{i}", r)
            n = len(ar.ids)
            dots_w = n * 14
            c.text(ar.model.title, (x0, y + 4), title_st, box=r, max_width=w0 - dots_w - 10)
            if a.settled >= 0:
                status, col = "Agreed: " + ar.model.positions[a.settled].label, pal.green
            else:
                status, col = "Open · their demand: " + ar.model.positions[a.demand].label, pal.red
            if rh > c.line_h(title_st) + c.line_h(stat_st):
                c.text(status, (x0, y + 4 + c.line_h(title_st)), Style(stat_st.face, stat_st.size, col), box=r,
                       max_width=w0)
            for k in range(n):
                dr = pygame.Rect(left.right - 16 - dots_w + k * 14, y + 10, 10, 10)
                self._dot(c, dr, k, a.settled, a.demand, a.offer, a.mandate)
            y += rh
        # the ladder of the chosen article
        ar = arts[self.sel]
        a = st.articles[ar.model.id]
        c.paper(right)
        inner = right.inflate(-40, -28)
        y = inner.y
        title = ar.model.title + (f"  {ar.model.title_native}" if ar.model.title_native else "")
        y += c.paragraph(title, pygame.Rect(inner.x, y, inner.w, 0), self.s.title, max_lines=2)
        if ar.model.summary:
            y += c.paragraph(ar.model.summary, pygame.Rect(inner.x, y, inner.w, 0), self.s.sub, max_lines=3)
        c.text(f"Weight {ar.model.weight:g}  ·  best for you at the top, their maximum at the bottom",
               (inner.x, y + 2), self.s.mono_small, max_width=inner.w)
        y += c.line_h(self.s.mono_small) + 8
        view = pygame.Rect(inner.x, y, inner.w, inner.bottom - y)
        yy = c.begin_scroll(self.scroll, view)
        chip_w = c.width("YOUR OFFER", self.s.label) + 20
        text_w = view.w - chip_w - 40
        for k, pos in enumerate(ar.model.positions):
            top = yy
            lab_st = Style("serif", 20, pal.ink if k <= a.mandate else pal.ink_soft)
            yy += c.paragraph(pos.label, pygame.Rect(view.x + 30, yy, text_w, 0), lab_st)
            yy += c.paragraph(pos.text, pygame.Rect(view.x + 30, yy, text_w, 0), Style("serif", 16, pal.ink_soft))
            if pos.tabled:
                yy += c.paragraph("Tabled: " + pos.tabled, pygame.Rect(view.x + 30, yy, text_w, 0),
                                  Style("italic", 15, pal.ink_faint))
            yy += 8
            self._dot(c, pygame.Rect(view.x + 4, top + 6, 14, 14), k, a.settled, a.demand, a.offer, a.mandate)
            chips: list[tuple[str, Color]] = []
            if k == a.settled:
                chips.append(("AGREED", pal.green))
            if a.settled < 0 and k == a.demand:
                chips.append(("THEIR DEMAND", pal.red))
            if a.settled < 0 and k == a.offer:
                chips.append(("YOUR OFFER", pal.blue))
            if k == a.mandate:
                chips.append(("MANDATE", pal.blue))
            cy = top + 2
            for text, col in chips:
                cw = c.width(text, self.s.label) + 12
                cr = pygame.Rect(view.right - cw - 8, cy, cw, c.line_h(self.s.label) + 4)
                pygame.draw.rect(c.surface, col, cr, 2, border_radius=3)
                c.text(text, (cr.centerx, cr.y + 2), Style("mono_bold", 15, col), align="center")
                cy += cr.h + 4
            yy = max(yy, cy)
            if k == a.mandate and k < len(ar.model.positions) - 1:
                pygame.draw.line(c.surface, pal.blue, (view.x, yy - 3), (view.right - 10, yy - 3), 2)
                c.text("beyond your mandate", (view.right - 10, yy), Style("italic", 15, pal.blue), align="right")
                yy += c.line_h(Style("italic", 15, pal.blue))
            c.rule(view.x + 30, view.right - 10, yy - 2)
            yy += 6
        c.end_scroll(self.scroll, view, yy)

    def _dot(self, c: Canvas, r: pygame.Rect, k: int, settled: int, demand: int, offer: int, mandate: int) -> None:
        pal = self.app.pal
        if k == settled:
            pygame.draw.rect(c.surface, pal.green, r)
        elif settled < 0 and k == demand:
            pygame.draw.rect(c.surface, pal.red, r)
        elif settled < 0 and k == offer:
            pygame.draw.rect(c.surface, pal.blue, r)
        else:
            pygame.draw.rect(c.surface, pal.paper_dark if k <= mandate else mix(pal.paper_dark, pal.ink_faint, 0.4), r)
        pygame.draw.rect(c.surface, pal.blue if k <= mandate else pal.ink_faint, r, 1)

    def key(self, ev: pygame.event.Event) -> bool:
        n = len(self.sess.rules.articles)
        if ev.key in (pygame.K_UP, pygame.K_DOWN):
            self.sel = (self.sel + (1 if ev.key == pygame.K_DOWN else -1)) % n
            self.scroll.offset = 0
            return True
        if scroll_keys(ev, self.scroll, 240):
            return True
        return super().key(ev)

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 40)

    def act(self, ident: str) -> None:
        if ident.startswith("art:"):
            self.sel = int(ident[4:])
            self.scroll.offset = 0
        else:
            super().act(ident)


# ---------------------------------------------------------------------- the log
class LogScreen(GameScreen):
    """Every message of the negotiation, scrollable."""

    name = "log"
    arrows_focus = False

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.scroll = Scroll()
        self.at_end = True

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
        rules = self.sess.rules
        self.desk(c)
        body = self.bar(c)
        gap = 14
        sheet = pygame.Rect(gap, body.y + gap, body.w - gap * 2, body.h - gap * 2)
        sheet.w = min(sheet.w, 1100)
        sheet.centerx = body.centerx
        c.paper(sheet)
        inner = sheet.inflate(-48, -28)
        c.text("The record of the negotiation", (inner.x, inner.y), self.s.heading, max_width=inner.w)
        y0 = inner.y + c.line_h(self.s.heading) + 6
        view = pygame.Rect(inner.x, y0, inner.w, inner.bottom - y0)
        y = c.begin_scroll(self.scroll, view)
        last = None
        who_w = 150
        st = Style("serif", 18, pal.ink)
        colours = {"good": pal.green, "bad": pal.red, "news": pal.blue, "move": pal.ink_soft, "end": pal.red}
        for e in self.sess.game.state.log:
            ln = Presenter(rules).event_line(e)
            if ln is None:
                continue
            if ln.date != last:
                last = ln.date
                y += 6
                c.text(long_date(ln.date).upper(), (view.x, y), self.s.red)
                y += c.line_h(self.s.red) + 2
            col = colours.get(ln.tone, pal.ink)
            text = ln.text
            if e.kind == "DecisionPresented":
                col = pal.ink_soft
            if ln.who:
                c.text(ln.who, (view.x, y), Style("mono_bold", 15, pal.ink_soft), max_width=who_w - 8)
            y += c.paragraph(text, pygame.Rect(view.x + who_w, y, view.w - who_w - 14, 0),
                             Style(st.face, st.size, col)) + 3
        c.end_scroll(self.scroll, view, y, to_end=self.at_end)
        if self.at_end:
            self.at_end = False
            self.app.dirty = True  # draw again at the end of the record

    def key(self, ev: pygame.event.Event) -> bool:
        if scroll_keys(ev, self.scroll, max(100, self.scroll.view - 60)):
            return True
        return super().key(ev)

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 48)
