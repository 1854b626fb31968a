"""Immediate-mode drawing: every frame a screen draws itself onto a Canvas, which records
the texts drawn (for tests), the clickable areas and the keyboard focus order."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from negotiation.ui import art
from negotiation.ui.theme import Color, Fonts, Palette, Style, mix


@dataclass(frozen=True, slots=True)
class DrawnText:
    """One line of text drawn in a frame: where it is and the box it must stay in."""

    text: str
    rect: pygame.Rect
    box: pygame.Rect
    face: str
    size: int
    clipped: bool = False
    layer: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A clickable area."""

    ident: str
    rect: pygame.Rect
    focusable: bool = True
    enabled: bool = True


@dataclass(slots=True)
class Scroll:
    """The state of one scrolled view (UI state, kept by its screen)."""

    offset: int = 0
    content: int = 0
    view: int = 0

    def clamp(self) -> None:
        self.offset = max(0, min(self.offset, max(0, self.content - self.view)))

    def by(self, dy: int) -> None:
        self.offset += dy
        self.clamp()

    def to_end(self) -> None:
        self.offset = max(0, self.content - self.view)


def scroll_keys(ev: pygame.event.Event, scroll: Scroll, page: int) -> bool:
    """Up/Down/PgUp/PgDn/Home/End on a scrolled view; return whether the key was one of them."""
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


@dataclass(slots=True)
class Canvas:
    """A frame being drawn."""

    surface: pygame.Surface
    fonts: Fonts
    pal: Palette
    focus: str | None = None
    hover: str | None = None
    pressed: str | None = None
    layer: str = ""
    texts: list[DrawnText] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    _clips: list[pygame.Rect] = field(default_factory=list)

    # ------------------------------------------------------------------ geometry
    @property
    def rect(self) -> pygame.Rect:
        return self.surface.get_rect()

    def px(self, size: int) -> int:
        """A font size after the text-size setting."""
        return self.fonts.px(size)

    def line_h(self, style: Style) -> int:
        return self.fonts.line_height(style.face, self.px(style.size))

    def width(self, text: str, style: Style) -> int:
        return self.fonts.width(text, style.face, self.px(style.size))

    def push_clip(self, rect: pygame.Rect) -> None:
        clip = rect.clip(self._clips[-1]) if self._clips else rect.copy()
        self._clips.append(clip)
        self.surface.set_clip(clip)

    def pop_clip(self) -> None:
        self._clips.pop()
        self.surface.set_clip(self._clips[-1] if self._clips else None)

    def begin_scroll(self, scroll: Scroll, view: pygame.Rect) -> int:
        """Clip to a scrolled view; return the y at which its content starts."""
        scroll.view = view.h
        self.push_clip(view)
        return view.y - scroll.offset

    def end_scroll(self, scroll: Scroll, view: pygame.Rect, bottom: int, to_end: bool = False) -> None:
        """Close a scrolled view whose content ended at ``bottom``: measure it, clamp it, draw its bar."""
        self.pop_clip()
        scroll.content = bottom + scroll.offset - view.y
        if to_end:
            scroll.to_end()
        scroll.clamp()
        if scroll.content <= scroll.view or scroll.content <= 0:
            return
        h = max(20, view.h * scroll.view // scroll.content)
        y = view.y + (view.h - h) * scroll.offset // max(1, scroll.content - scroll.view)
        pygame.draw.rect(self.surface, self.pal.paper_edge, pygame.Rect(view.right - 5, y, 4, h), border_radius=2)

    # ------------------------------------------------------------------ text
    def text(self, text: str, pos: tuple[int, int], style: Style, box: pygame.Rect | None = None,
             align: str = "left", max_width: int | None = None, colour: Color | None = None,
             halo: Color | None = None) -> pygame.Rect:
        """Draw one line; ``pos`` is its top-left (or top-centre/top-right with ``align``)."""
        size = self.px(style.size)
        if max_width is not None:
            text = self.fonts.ellipsize(text, style.face, size, max_width)
        if not text:
            return pygame.Rect(pos[0], pos[1], 0, 0)
        img, lift = self.fonts.render(text, style.face, size, colour or style.colour)
        r = img.get_rect()
        if align == "center":
            r.midtop = pos
        elif align == "right":
            r.topright = pos
        else:
            r.topleft = pos
        r.y -= lift
        clip = self._clips[-1] if self._clips else None
        if clip is not None and not clip.colliderect(r):
            return r
        if halo is not None:
            ring, _ = self.fonts.render(text, style.face, size, halo)
            for dx, dy in ((-1, -1), (1, -1), (-1, 1), (1, 1), (0, -2), (0, 2), (-2, 0), (2, 0)):
                self.surface.blit(ring, r.move(dx, dy))
        self.surface.blit(img, r)
        b = box or (clip if clip is not None else self.rect)
        clipped = clip is not None and not clip.contains(r)
        self.texts.append(DrawnText(text, r.copy(), b.copy(), style.face, size, clipped, self.layer))
        return r

    def image(self, img: pygame.Surface, pos: tuple[int, int], alt: str = "", face: str = "mono_bold") -> pygame.Rect:
        """Blit a picture; ``alt`` records the words it shows (a stamp, a seal) as the frame's text."""
        r = self.surface.blit(img, pos)
        if alt:
            rect = pygame.Rect(pos, img.get_size())
            self.texts.append(DrawnText(alt, rect, rect.copy(), face, 0, False, self.layer))
        return r

    def wrap(self, text: str, style: Style, width: int) -> list[str]:
        return self.fonts.wrap(text, style.face, self.px(style.size), max(20, width))

    def para_height(self, text: str, style: Style, width: int, gap: float = 1.0) -> int:
        lines = self.wrap(text, style, width)
        return round(len(lines) * self.line_h(style) * gap)

    def paragraph(self, text: str, rect: pygame.Rect, style: Style, gap: float = 1.0, align: str = "left",
                  colour: Color | None = None, max_lines: int | None = None) -> int:
        """Wrap text into ``rect`` and draw it; return the height used.

        A rect of height 0 grows as needed; otherwise lines that do not fit are cut, the last one
        ending with an ellipsis. Inside a scrolled view (a clip) everything is laid out and the clip hides
        what is outside.
        """
        lines = self.wrap(text, style, rect.w)
        lh = round(self.line_h(style) * gap)
        limit = max_lines
        if rect.h > 0 and not self._clips:
            fit = max(1, (rect.h + lh // 4) // lh)
            limit = fit if limit is None else min(limit, fit)
        if limit is not None and len(lines) > limit:
            lines = lines[:limit]
            lines[-1] = self.fonts.ellipsize(lines[-1] + "…", style.face, self.px(style.size), rect.w)
        # the box allows for fallback glyphs (CJK) that rise a little above the line
        box = pygame.Rect(rect.x, rect.y - lh // 3, rect.w, max(rect.h, len(lines) * lh) + lh // 3 + lh // 4)
        y = rect.y
        for ln in lines:
            x = rect.centerx if align == "center" else rect.x
            self.text(ln, (x, y), style, box=box if not self._clips else None, align=align, colour=colour)
            y += lh
        return len(lines) * lh

    # ------------------------------------------------------------------ shapes
    def fill(self, rect: pygame.Rect, colour: Color) -> None:
        self.surface.fill(colour, rect)

    def paper(self, rect: pygame.Rect, shadow: bool = True, tone: Color | None = None) -> None:
        """A sheet of paper with a drop shadow and a faint texture."""
        if rect.w <= 0 or rect.h <= 0:
            return
        if shadow:
            self.surface.blit(art.veil(rect.size, (0, 0, 0, 70)), rect.move(4, 5))
        self.surface.blit(art.sheet(rect.size, tone or self.pal.paper, self.pal.paper_edge), rect)

    def rule(self, x1: int, x2: int, y: int, colour: Color | None = None, width: int = 1) -> None:
        pygame.draw.line(self.surface, colour or self.pal.paper_edge, (x1, y), (x2, y), width)

    # ------------------------------------------------------------------ widgets
    def hit(self, ident: str, rect: pygame.Rect, focusable: bool = True, enabled: bool = True) -> None:
        """A clickable area; inside a scrolled view only its visible part (none if it is scrolled away)."""
        if self._clips:
            rect = rect.clip(self._clips[-1])
            if rect.w <= 0 or rect.h <= 0:
                return
        self.hits.append(Hit(ident, rect.copy(), focusable, enabled))

    def button(self, ident: str, rect: pygame.Rect, label: str, enabled: bool = True, key: str = "",
               style: Style | None = None, kind: str = "paper", align: str = "center",
               sub: str = "", sub_style: Style | None = None) -> None:
        """A button: paper (on the desk), plain (a line on a sheet) or bar (on the top bar)."""
        pal = self.pal
        focused = self.focus == ident
        hovered = self.hover == ident and enabled
        bg: Color | None
        if kind == "bar":
            bg = mix(pal.bar, pal.brass, 0.25 if hovered or focused else 0.08)
            fg = pal.bar_text if enabled else mix(pal.bar, pal.bar_text, 0.4)
        elif kind == "plain":
            bg = pal.hover if hovered or focused else None
            fg = pal.ink if enabled else pal.disabled
        else:
            bg = pal.hover if hovered or focused else pal.button
            fg = pal.button_text if enabled else pal.disabled
        if self.pressed == ident and enabled:
            bg = mix(bg or pal.paper, pal.paper_edge, 0.4)
        if bg is not None:
            pygame.draw.rect(self.surface, bg, rect, border_radius=3)
        if kind != "plain":
            pygame.draw.rect(self.surface, pal.paper_edge if kind == "paper" else pal.brass, rect, 1,
                             border_radius=3)
        if focused:
            pygame.draw.rect(self.surface, pal.focus, rect.inflate(4, 4), 2, border_radius=4)
        st = style or Style("mono_bold", 17, fg)
        st = Style(st.face, st.size, fg if not enabled or kind != "plain" else st.colour)
        inner = rect.inflate(-16, -4)
        keyw = 0
        if key:
            ks = Style("mono", max(11, st.size - 4), pal.ink_faint if kind != "bar" else pal.brass)
            kr = self.text(key, (inner.right, rect.y + (rect.h - self.line_h(ks)) // 2), ks, box=rect,
                           align="right")
            keyw = kr.w + 8
        lh = self.line_h(st)
        total = lh + (self.line_h(sub_style) if sub and sub_style else 0)
        y = rect.y + (rect.h - total) // 2
        avail = inner.w - keyw
        if align == "center":
            self.text(label, (inner.x + avail // 2, y), st, box=rect, align="center", max_width=avail)
        else:
            self.text(label, (inner.x, y), st, box=rect, max_width=avail)
        if sub and sub_style:
            self.text(sub, (inner.x, y + lh), sub_style, box=rect, max_width=avail)
        self.hit(ident, rect, True, enabled)

    def meter(self, rect: pygame.Rect, frac: float, colour: Color) -> None:
        """A horizontal gauge with tick marks."""
        pal = self.pal
        pygame.draw.rect(self.surface, pal.paper_dark, rect)
        fill = rect.copy()
        fill.w = round(rect.w * max(0.0, min(1.0, frac)))
        pygame.draw.rect(self.surface, colour, fill)
        for i in range(1, 10):
            x = rect.x + rect.w * i // 10
            pygame.draw.line(self.surface, mix(pal.paper_edge, pal.ink, 0.2), (x, rect.bottom - 4), (x, rect.bottom))
        pygame.draw.rect(self.surface, pal.ink_soft, rect, 1)
