"""The dossier, the treaty draft, the map and the message log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from negotiation.ui.canvas import Canvas, Scroll, scroll_keys
from negotiation.ui.fmt import CALENDAR_LEGEND, Line, iso_to_text, long_date, short_date
from negotiation.ui.gamebase import GameScreen
from negotiation.ui.theme import Color, Style, mix

if TYPE_CHECKING:
    from negotiation.ui.host import Host


# ---------------------------------------------------------------------- the dossier
@dataclass(frozen=True, slots=True)
class Page:
    """A page of the dossier: one of the scenario's documents, or the live page of the mandate."""

    title: str
    date: str = ""
    text: str = ""
    sources: tuple[str, ...] = ()
    live: bool = False


class BriefingScreen(GameScreen):
    """The briefing documents, one page at a time, and a page of the mandate as it stands now."""

    name = "briefing"
    arrows_focus = False

    def __init__(self, app: Host, first: bool = False) -> None:
        super().__init__(app)
        self.first = first
        self.page = 0
        self.scroll = Scroll()
        self.focus = "next"
        self.sources = False  # the readable citations of the page, on demand (S)

    @property
    def docs(self) -> list[Page]:
        """The scenario's documents, with the live mandate page after the one about the mandate (or last)."""
        pages = [Page(d.title, d.date, d.text, tuple(d.sources)) for d in self.sess.loaded.scenario.briefing]
        if self.sess.rules.principal is not None and self.sess.rules.articles:
            at = next((i + 1 for i, d in enumerate(self.sess.loaded.scenario.briefing) if "mandate" in d.id),
                      len(pages))
            pages.insert(at, Page("Your mandate now", "", live=True))
        return pages

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
                if y > body.bottom - bh:
                    break
                r = pygame.Rect(gap, y, idx_w, bh)
                c.button(f"doc:{i}", r, f"{i + 1}. {d.title}", kind="paper" if i == self.page else "bar",
                         align="left", style=Style("italic" if d.live else "serif", 17,
                                                   pal.ink if i == self.page else pal.bar_text))
                y += bh + 4
        c.paper(sheet)
        inner = sheet.inflate(-56, -40)
        head = f"DOCUMENT {self.page + 1} OF {len(docs)}"
        c.text(head, (inner.x, inner.y), self.s.red, max_width=inner.w // 2)
        date = iso_to_text(doc.date) if doc.date else (long_date(self.sess.game.state.day) if doc.live else "")
        if date:
            c.text(date, (inner.right, inner.y), self.s.mono_small, align="right", max_width=inner.w // 2)
        y = inner.y + c.line_h(self.s.red) + 6
        y += c.paragraph(doc.title, pygame.Rect(inner.x, y, inner.w, 0), self.s.title, max_lines=2)
        c.rule(inner.x, inner.right, y + 4, pal.ink_soft)
        c.rule(inner.x, inner.right, y + 7, pal.ink_soft)
        y += 16
        bh = max(42, c.line_h(self.s.button) + 16)
        foot = inner.bottom - bh
        view = pygame.Rect(inner.x, y, inner.w, foot - y - 12)
        yy = c.begin_scroll(self.scroll, view)
        if doc.live:
            yy = self.draw_mandate(c, pygame.Rect(view.x, yy, view.w - 12, 0))
        else:
            yy += c.paragraph(doc.text, pygame.Rect(view.x, yy, view.w - 12, 0), Style("mono", 18, pal.ink), gap=1.12)
        if doc.sources and self.sources:
            yy += 12
            c.text("SOURCES", (view.x, yy), self.s.label)
            yy += c.line_h(self.s.label) + 2
            for cite in self.sess.presenter.citations(doc.sources):
                pygame.draw.rect(c.surface, pal.ink_faint, pygame.Rect(view.x + 2, yy + 8, 4, 4))
                yy += c.paragraph(cite, pygame.Rect(view.x + 14, yy, view.w - 26, 0), self.s.small_italic) + 2
        c.end_scroll(self.scroll, view, yy)
        last = self.page == len(docs) - 1
        n = 3 + bool(doc.sources) - (0 if self.first and not last else 1)
        bw = min(300, (inner.w - 10 * (n - 1)) // n)
        c.button("prev", pygame.Rect(inner.x, foot, bw, bh), "‹ Previous", enabled=self.page > 0, key="←")
        label = ("Begin the negotiation" if self.first else "Back to the table") if last else "Next page ›"
        c.button("next", pygame.Rect(inner.right - bw, foot, bw, bh), label, key="→" if not last else "Enter")
        x = inner.x + bw + 10
        if doc.sources:
            c.button("sources", pygame.Rect(x, foot, bw, bh), "Hide sources" if self.sources else "Sources", key="S")
            x += bw + 10
        if self.first and not last:
            c.button("close", pygame.Rect(x, foot, bw, bh), "Skip the dossier", key="Esc")

    def draw_mandate(self, c: Canvas, r: pygame.Rect) -> int:
        """The live page: each article's mandate now, where it stands, and what may still be asked."""
        pal = self.app.pal
        pres = self.sess.presenter
        game = self.sess.game
        y = r.y
        intro = (f"What {pres.principal} allows you now, article by article, and where each stands on "
                 f"{long_date(game.state.day)}. Settling beyond the mandate costs his confidence.")
        y += c.paragraph(intro, pygame.Rect(r.x, y, r.w, 0), self.s.body_soft) + 10
        title_st = Style("serif", 20, pal.ink)
        val_st = Style("serif", 18, pal.blue)
        for ln in pres.mandate(game):
            y += c.paragraph(ln.article, pygame.Rect(r.x, y, r.w, 0), title_st)
            text = "Mandate: " + ln.mandate + (f"  ({pres.principal} will go no further)" if ln.final else "")
            y += c.paragraph(text, pygame.Rect(r.x + 16, y, r.w - 16, 0), val_st)
            col = pal.green if ln.status.startswith("Agreed") else pal.red
            status = ln.status + ("  — beyond the mandate" if ln.beyond else "")
            y += c.paragraph(status, pygame.Rect(r.x + 16, y, r.w - 16, 0), Style("italic", 17, col)) + 8
        for line in pres.consultations(game):
            y += c.paragraph(line, pygame.Rect(r.x, y, r.w, 0), self.s.small_italic)
        return y

    def key(self, ev: pygame.event.Event) -> bool:
        k = ev.key
        if k in (pygame.K_RIGHT, pygame.K_n):
            self.act("next")
            return True
        if k in (pygame.K_LEFT, pygame.K_p):
            self.act("prev")
            return True
        if k == pygame.K_s and not ev.mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
            self.act("sources")
            return True
        if pygame.K_1 <= k <= pygame.K_9 and k - pygame.K_1 < len(self.docs):  # the documents by their numbers
            self.act(f"doc:{k - pygame.K_1}")
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
        elif ident == "sources":
            self.sources = not self.sources
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

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        d = self.sess.game.decision()
        ids = list(self.sess.rules.articles)
        self.sel = ids.index(d.model.article) if d is not None and d.model.article in ids else 0
        self.scroll = Scroll()
        self.list_scroll = Scroll()

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
        title_h, stat_h = c.line_h(title_st), c.line_h(stat_st)
        legend_st = Style("italic", 15, pal.ink_soft)
        bottom = left.bottom - 10 - c.line_h(legend_st) - 4  # the legend of the squares under the list
        rh = max(title_h + 8, min(title_h + stat_h + 14, (bottom - y) // max(1, len(arts))))
        two = rh - 2 >= 4 + title_h + stat_h  # room for the status under the title
        lst = pygame.Rect(left.x, y, left.w, bottom - y)
        top = self.sel * rh  # the chosen article stays in view when the list must scroll
        self.list_scroll.offset = min(max(self.list_scroll.offset, top + rh - lst.h), top)
        y = c.begin_scroll(self.list_scroll, lst)
        for i, ar in enumerate(arts):
            a = st.articles[ar.model.id]
            r = pygame.Rect(left.x + 6, y, left.w - 12, rh - 2)
            if i == self.sel:
                c.fill(r, mix(pal.paper, pal.brass, 0.25))
            c.hit(f"art:{i}", r)
            n = len(ar.ids)
            dots_w = n * 14
            ty = y + 4 if two else y + (rh - 2 - title_h) // 2
            c.text(ar.model.title, (x0, ty), title_st, box=r, max_width=w0 - dots_w - 10)
            if a.settled >= 0:
                status, col = "Agreed: " + ar.model.positions[a.settled].label, pal.green
            else:
                status, col = "Open · their demand: " + ar.model.positions[a.demand].label, pal.red
            if two:
                c.text(status, (x0, y + 4 + title_h), Style(stat_st.face, stat_st.size, col), box=r, max_width=w0)
            for k in range(n):
                dr = pygame.Rect(left.right - 16 - dots_w + k * 14, ty + title_h // 2 - 5, 10, 10)
                self._dot(c, dr, k, a.settled, a.demand, a.offer, a.mandate)
            y += rh
        c.end_scroll(self.list_scroll, lst, y)
        lx, ly = x0, left.bottom - 8 - c.line_h(legend_st)
        for colour, label in ((pal.green, "agreed"), (pal.red, "their demand"), (pal.blue, "your offer"),
                              (pal.paper_dark, "within your mandate")):
            w = c.width(label, legend_st) + 22
            if lx + w > left.right - 10:
                break
            sq = pygame.Rect(lx, ly + c.line_h(legend_st) // 2 - 4, 9, 9)
            pygame.draw.rect(c.surface, colour, sq)
            pygame.draw.rect(c.surface, pal.blue if colour == pal.paper_dark else colour, sq, 1)
            c.text(label, (lx + 13, ly), legend_st, box=left)
            lx += w
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
            if pos.tabled and self.sess.game.is_over():  # who tabled it, and when: history, told after the game
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
    """Every message of the negotiation, scrollable, and after it what the calendar still holds."""

    name = "log"
    arrows_focus = False

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.scroll = Scroll()
        self.at_end = True
        self._lines: tuple[int, list[Line]] | None = None

    def lines(self) -> list[Line]:
        """The log's lines (made once per length of the log)."""
        log = self.sess.game.state.log
        if self._lines is None or self._lines[0] != len(log):
            self._lines = (len(log), self.sess.presenter.lines(list(log)))
        return self._lines[1]

    def draw(self, c: Canvas) -> None:
        pal = self.app.pal
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
        who_st = Style("mono_bold", 15, pal.ink_soft)
        lines = self.lines()
        names = {ln.who for ln in lines if ln.who}
        # the speakers' column: as wide as the longest name, within a third of the sheet; longer names wrap
        who_w = min(max((c.width(n, who_st) for n in names), default=60) + 14, view.w // 3)
        st = Style("serif", 18, pal.ink)
        colours = {"good": pal.green, "bad": pal.red, "news": pal.blue, "move": pal.ink_soft, "end": pal.red,
                   "meters": pal.ink_faint}
        last = None
        text_w = view.w - who_w - 14
        for ln in lines:
            if ln.date != last:
                last = ln.date
                y += 6
                c.text(long_date(ln.date).upper(), (view.x, y), self.s.red)
                y += c.line_h(self.s.red) + 2
            h_text = c.para_height(ln.text, st, text_w)
            h_who = c.para_height(ln.who, who_st, who_w - 10) if ln.who else 0
            h = max(h_text, h_who)
            if view.y - 40 < y + h and y < view.bottom + 40:  # only what can be seen is drawn
                if ln.who:
                    c.paragraph(ln.who, pygame.Rect(view.x, y + 3, who_w - 10, 0), who_st)
                c.paragraph(ln.text, pygame.Rect(view.x + who_w, y, text_w, 0),
                            Style("italic" if ln.tone == "meters" else st.face, 16 if ln.tone == "meters" else st.size,
                                  colours.get(ln.tone, pal.ink)))
            y += h + 3
        record_end = y + self.scroll.offset - view.y  # where the record ends, in the content's coordinates
        y = self.draw_coming(c, view, y + 14)
        c.end_scroll(self.scroll, view, y)
        if self.at_end:  # open on the latest of the record, with what is still to come below it
            self.scroll.offset = record_end + 10 - view.h
            self.scroll.clamp()
            self.at_end = False
            self.app.dirty = True  # draw again at the end of the record

    def draw_coming(self, c: Canvas, view: pygame.Rect, y: int) -> int:
        """After the record, the calendar: what is scheduled, never what will come of it."""
        pal = self.app.pal
        items = self.sess.presenter.calendar(self.sess.game)
        if not items or self.sess.game.is_over():
            return y
        c.rule(view.x, view.right - 14, y, pal.ink_soft)
        y += 8
        c.text("STILL TO COME", (view.x, y), self.s.red)
        y += c.line_h(self.s.red) + 2
        marks = {"session": pal.red, "event": pal.blue, "phase": pal.ink}
        row_st = Style("serif", 18, pal.ink)
        dw = c.width("30 Sep ", self.s.mono_small) + 16
        for it in items:
            pygame.draw.rect(c.surface, marks[it.kind], pygame.Rect(view.x, y + c.line_h(row_st) // 2 - 3, 6, 6))
            c.text(short_date(it.date), (view.x + 12, y + 2), self.s.mono_small)
            st = Style("italic", 18, pal.ink) if it.kind == "phase" else row_st
            c.text(it.title + (f" · {it.place}" if it.place else ""), (view.x + dw, y), st,
                   max_width=view.w - dw - 14)
            y += c.line_h(row_st)
        y += 4
        for kind, meaning in CALENDAR_LEGEND:
            pygame.draw.rect(c.surface, marks[kind], pygame.Rect(view.x, y + 8, 6, 6))
            c.text(meaning, (view.x + 12, y), self.s.small_italic, max_width=view.w - 26)
            y += c.line_h(self.s.small_italic)
        return y + 6

    def key(self, ev: pygame.event.Event) -> bool:
        if scroll_keys(ev, self.scroll, max(100, self.scroll.view - 60)):
            return True
        return super().key(ev)

    def wheel(self, dy: int, pos: tuple[int, int]) -> None:
        self.scroll.by(-dy * 48)
