"""The map screen: the scenario's regions, lines and places over Natural Earth's land and sea, coloured by
where each article stands in the draft.

Everything below the top bar is drawn once into a cached surface (land, sea, coasts, the scenario's shapes,
the labels and the legend) and rebuilt only when the window, the text size, the draft or a shape's
visibility changes; a frame is then the bar and one blit. The texts of the cached drawing are handed to
the frame's canvas as if drawn, so the tests that check texts see them.

Reads the game only through ``rules.scenario.map``, ``rules.articles``, ``state.articles`` and
``rules.compile(shape.when)(state)``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pygame

from negotiation.scenario.models import MapData, MapPlace, MapShape
from negotiation.ui import art
from negotiation.ui.canvas import Canvas, DrawnText
from negotiation.ui.gamebase import GameScreen
from negotiation.ui.geo import (
    Box,
    LonLat,
    View,
    World,
    clip_line,
    clip_ring,
    densify,
    great_circle_km,
    load_world,
    overlaps,
)
from negotiation.ui.labels import LabelRequest, Placed, Placer, Segment, polyline_segments, rect_distance
from negotiation.ui.theme import Color, Palette, Style, hex_colour, mix

if TYPE_CHECKING:
    from negotiation.ui.host import Host

Pt = tuple[float, float]
GAP = 14  # between the sheets and the window's edges


# ---------------------------------------------------------------------- what was drawn (for tests)
@dataclass(slots=True)
class MapLabel:
    """A label drawn on the map, and the frame it must stay inside."""

    kind: str  # place, region, pointer (a place beyond the frame), inset (a place in the inset)
    key: str
    text: str
    rect: pygame.Rect
    frame: pygame.Rect


@dataclass(slots=True)
class LegendEntry:
    """One entry of the legend: an article (ref = its id) or a symbol (railway, frontier, arrow, hatched)."""

    kind: str
    ref: str
    rect: pygame.Rect


@dataclass(slots=True)
class MapLayout:
    """Where everything went in the last drawing of the map screen."""

    sheet: pygame.Rect
    frame: pygame.Rect
    legend_rect: pygame.Rect
    inset: pygame.Rect | None = None
    inset_places: list[str] = field(default_factory=list)
    labels: list[MapLabel] = field(default_factory=list)
    drawn: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids of shapes or places drawn
    articles: list[str] = field(default_factory=list)  # articles the map shows, in legend order
    legend: list[LegendEntry] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # places whose label found no room

    def mark(self, kind: str, ident: str) -> None:
        self.drawn.setdefault(kind, set()).add(ident)


@dataclass(slots=True)
class _Cached:
    surface: pygame.Surface
    texts: list[DrawnText]
    layout: MapLayout | None
    owners: tuple[object, ...] = ()  # the rules and palette it was drawn for (ids alone may be reused)


_CACHE: dict[tuple[object, ...], _Cached] = {}


def short_name(name: str) -> str:
    """A region's name without its parenthesis: 'Outer Mongolia (Mongolian People's Republic)' -> 'Outer Mongolia'."""
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip() or name


def spaced_caps(name: str) -> str:
    """Letter-spaced capitals, as regions are lettered on old maps."""
    return "\u2002".join("\u2009".join(word.upper()) for word in name.split())


# ---------------------------------------------------------------------- the screen
class MapScreen(GameScreen):
    """The scenario's map, coloured by where each article stands in the draft."""

    name = "map"

    def __init__(self, app: Host) -> None:
        super().__init__(app)
        self.layout: MapLayout | None = None
        self._getters: dict[str, Callable[[Any], object]] = {}

    # ------------------------------------------------------------ the game, read only
    def side_colours(self) -> tuple[Color, Color]:
        """The player's and the counterpart's colours (the two ends of the legend's ramp)."""
        rules = self.sess.rules
        meta = rules.scenario.scenario
        sides = {s.id: s for s in rules.scenario.sides}
        a = hex_colour(sides[meta.player_side].colour) if meta.player_side in sides else self.app.pal.blue
        b = hex_colour(sides[meta.counterpart_side].colour) if meta.counterpart_side in sides else self.app.pal.red
        if a == b:
            a, b = self.app.pal.blue, self.app.pal.red
        return a, b

    def article_colour(self, art_id: str) -> tuple[Color, bool, str]:
        """The colour of an article's current draft position, whether it is agreed, and its label."""
        rules = self.sess.rules
        ar = rules.articles[art_id]
        a = self.sess.game.state.articles[art_id]
        rung = a.settled if a.settled >= 0 else a.demand
        t = rung / max(1, len(ar.ids) - 1)
        ca, cb = self.side_colours()
        return mix(ca, cb, t), a.settled >= 0, ar.model.positions[rung].label

    def _visible(self, shape: MapShape) -> bool:
        """Whether a shape's ``when`` holds now (a bad expression hides the shape rather than the game)."""
        text = shape.when.strip()
        if text in ("", "true"):
            return True
        try:
            getter = self._getters.get(text)
            if getter is None:
                getter = self.sess.rules.compile(text)
                self._getters[text] = getter
            return bool(getter(self.sess.game.state))
        except Exception:
            return False

    def _has_article(self, art_id: str | None) -> bool:
        return bool(art_id) and art_id in self.sess.rules.articles

    def cache_key(self, size: tuple[int, int], body: pygame.Rect) -> tuple[object, ...]:
        """Everything the cached drawing depends on."""
        rules = self.sess.rules
        st = self.sess.game.state
        m = rules.scenario.map
        draft = tuple((k, a.settled, a.demand) for k, a in st.articles.items())
        shown = tuple(self._visible(s) for s in m.shapes) if m else ()
        return (id(rules), id(self.app.pal), self.app.fonts.scale, size, tuple(body), draft, shown)

    # ------------------------------------------------------------ a frame
    def draw(self, c: Canvas) -> None:
        body = self.bar(c)
        key = self.cache_key(c.rect.size, body)
        cached = _CACHE.get(key)
        owners = (self.sess.rules, self.app.pal)
        if cached is None or any(a is not b for a, b in zip(cached.owners, owners, strict=True)):
            cached = self.render(c.rect.size, body, c.layer)
            cached.owners = owners
            _CACHE.clear()
            _CACHE[key] = cached
        c.surface.blit(cached.surface, body.topleft, area=body)
        c.texts.extend(cached.texts)
        self.layout = cached.layout

    def render(self, size: tuple[int, int], body: pygame.Rect, layer: str = "map") -> _Cached:
        """Draw everything below the bar into a new surface the size of the window."""
        surf = pygame.Surface(size)
        cv = Canvas(surf, self.app.fonts, self.app.pal)
        cv.layer = layer or self.name
        self.desk(cv)
        legend_w = max(230, min(400, body.w * 29 // 100))
        sheet = pygame.Rect(GAP, body.y + GAP, body.w - legend_w - GAP * 3, body.h - GAP * 2)
        legend = pygame.Rect(sheet.right + GAP, sheet.y, legend_w, sheet.h)
        cv.paper(sheet)
        m = self.sess.rules.scenario.map
        if m is None:
            cv.text("This scenario has no map.", sheet.center, self.s.body, align="center")
            cv.paper(legend)
            return _Cached(surf, cv.texts, None)
        painter = _Painter(self, cv, m)
        layout = painter.draw_map(sheet, legend)
        self._legend(cv, legend, layout)
        return _Cached(surf, cv.texts, layout)

    # ------------------------------------------------------------ the legend
    def _legend(self, c: Canvas, r: pygame.Rect, layout: MapLayout) -> None:
        """The legend: the colour ramp, each article the map shows, then the symbols drawn. Texts wrap;
        if the whole does not fit, the articles' demands go first, then the last articles (counted)."""
        pal = self.app.pal
        rules = self.sess.rules
        c.paper(r)
        x0, w0 = r.x + 14, r.w - 28
        top, bottom = r.y + 10, r.bottom - 10
        head = self.s.heading
        title_st = Style("serif", 18, pal.ink)
        lab_st = Style("italic", 16, pal.ink_soft)
        small = Style("serif", 16, pal.ink_soft)
        sides = {s.id: s.name for s in rules.scenario.sides}
        meta = rules.scenario.scenario
        ends = ("best for " + sides.get(meta.player_side, "you"),
                "best for " + sides.get(meta.counterpart_side, "them"))
        symbols = self._symbols(layout)
        sym_h = sum(max(20, c.para_height(text, small, w0 - 40)) + 4 for _, _, text in symbols)

        def article_h(art_id: str, with_status: bool) -> int:
            _, agreed, label = self.article_colour(art_id)
            h = c.para_height(rules.articles[art_id].model.title, title_st, w0 - 24)
            if with_status:
                h += c.para_height(("Agreed: " if agreed else "Demand: ") + label, lab_st, w0 - 24)
            return h + 6

        ramp_h = 14
        one_line = c.width(ends[0], self.s.mono_small) + c.width(ends[1], self.s.mono_small) + 16 <= w0
        if not one_line:  # the ramp's ends named by the sides alone
            ends = (sides.get(meta.player_side, "you"), sides.get(meta.counterpart_side, "them"))
            one_line = c.width(ends[0], self.s.mono_small) + c.width(ends[1], self.s.mono_small) + 16 <= w0
        ends_h = (c.line_h(self.s.mono_small) if one_line else
                  c.para_height(ends[0], self.s.mono_small, w0) + c.para_height(ends[1], self.s.mono_small, w0))
        head_h = c.para_height("The map of the draft", head, w0)
        fixed = head_h + 4 + ramp_h + 4 + ends_h + 10 + (12 + sym_h if symbols else 0)
        arts = list(layout.articles)
        room = bottom - top - fixed
        with_status = sum(article_h(a, True) for a in arts) <= room
        more = c.para_height("and 99 more in the draft (D)", lab_st, w0 - 24)
        shown = list(arts)
        while shown and sum(article_h(a, with_status) for a in shown) + (more if len(shown) < len(arts) else 0) > room:
            shown.pop()
        y = top
        y += c.paragraph("The map of the draft", pygame.Rect(x0, y, w0, 0), head) + 4
        ca, cb = self.side_colours()
        bar = pygame.Rect(x0, y, w0, ramp_h - 2)
        for i in range(bar.w):
            pygame.draw.line(c.surface, mix(ca, cb, i / max(1, bar.w - 1)), (bar.x + i, bar.y), (bar.x + i, bar.bottom))
        layout.legend.append(LegendEntry("ramp", "", bar.copy()))
        y += ramp_h + 4
        if one_line:
            c.text(ends[0], (x0, y), self.s.mono_small)
            c.text(ends[1], (x0 + w0, y), self.s.mono_small, align="right")
            y += c.line_h(self.s.mono_small)
        else:
            y += c.paragraph(ends[0], pygame.Rect(x0, y, w0, 0), self.s.mono_small)
            lines = c.wrap(ends[1], self.s.mono_small, w0)
            for ln in lines:  # the counterpart's end of the ramp is on the right
                c.text(ln, (x0 + w0, y), self.s.mono_small, align="right")
                y += c.line_h(self.s.mono_small)
        y += 10
        for art_id in shown:
            col, agreed, label = self.article_colour(art_id)
            y0 = y
            sw = pygame.Rect(x0, y + 4, 16, 16)
            pygame.draw.rect(c.surface, col, sw)
            if not agreed:
                pygame.draw.rect(c.surface, pal.paper, sw.inflate(-8, -8))
            pygame.draw.rect(c.surface, mix(col, pal.ink, 0.4), sw, 1)
            y += c.paragraph(rules.articles[art_id].model.title, pygame.Rect(x0 + 24, y, w0 - 24, 0), title_st)
            if with_status:
                y += c.paragraph(("Agreed: " if agreed else "Demand: ") + label, pygame.Rect(x0 + 24, y, w0 - 24, 0),
                                 lab_st)
            y += 6
            layout.legend.append(LegendEntry("article", art_id, pygame.Rect(x0, y0, w0, y - y0)))
        if len(shown) < len(arts):
            n = len(arts) - len(shown)
            y += c.paragraph(f"and {n} more in the draft (D)", pygame.Rect(x0 + 24, y, w0 - 24, 0), lab_st)
        if not symbols:
            return
        y = max(y + 4, bottom - sym_h)
        c.rule(x0, x0 + w0, y - 6)
        for kind, ref, text in symbols:
            h = max(20, c.para_height(text, small, w0 - 40))
            self._symbol(c, kind, x0, y + 2)
            c.paragraph(text, pygame.Rect(x0 + 40, y, w0 - 40, 0), small)
            layout.legend.append(LegendEntry(kind, ref, pygame.Rect(x0, y, w0, h)))
            y += h + 4

    def _symbols(self, layout: MapLayout) -> list[tuple[str, str, str]]:
        """The symbols the map drew, as (kind, ref, text): nothing drawn, nothing listed."""
        m = self.sess.rules.scenario.map
        out: list[tuple[str, str, str]] = []
        if m is None:
            return out
        by_id = {s.id: s for s in m.shapes}
        if layout.drawn.get("railway"):
            out.append(("railway", "", "railway"))
        frontiers = [by_id[i].name for i in sorted(layout.drawn.get("frontier", set()), key=list(by_id).index)]
        if frontiers:
            out.append(("frontier", "", "; ".join(dict.fromkeys(short_name(f) for f in frontiers))))
        arrows = [by_id[i].name for i in sorted(layout.drawn.get("arrow", set()), key=list(by_id).index)]
        if arrows:
            out.append(("arrow", "", m.arrows or (arrows[0] if len(arrows) == 1 else "movements")))
        if layout.drawn.get("hatched"):
            out.append(("hatched", "", "hatched: still open"))
        return out

    def _symbol(self, c: Canvas, kind: str, x: int, y: int) -> None:
        pal = self.app.pal
        if kind == "railway":
            _rail(c.surface, [(x, y + 8), (x + 30, y + 8)], pal.rail, pal.paper, 4)
        elif kind == "frontier":
            _dash_dot(c.surface, [(x, y + 8), (x + 30, y + 8)], pal.frontier, 2)
        elif kind == "arrow":
            _arrow(c.surface, [(x, y + 8), (x + 30, y + 8)], pal.arrow, 5, 10)
        elif kind == "hatched":
            box = pygame.Rect(x, y + 1, 30, 14)
            pygame.draw.rect(c.surface, pal.paper_dark, box)
            for k in range(0, 30, 6):
                pygame.draw.line(c.surface, pal.ink_soft, (x + k, box.bottom - 1), (x + min(30, k + 10), box.y), 1)
            pygame.draw.rect(c.surface, pal.ink_faint, box, 1)


# ---------------------------------------------------------------------- drawing the map
class _Painter:
    """Draws one scenario's map into a canvas: the geography, the scenario's shapes, places and labels."""

    def __init__(self, screen: MapScreen, c: Canvas, m: MapData) -> None:
        self.screen = screen
        self.c = c
        self.m = m
        self.pal: Palette = screen.app.pal
        self.world: World = load_world()
        self.shapes = [s for s in m.shapes if screen._visible(s)]
        pal = self.pal
        self.sea = mix(pal.sea, pal.paper, 0.25)
        self.sea_line = mix(self.sea, pal.blue, 0.22)
        self.coast = mix(pal.blue, pal.ink, 0.45)
        self.land = pal.land
        self.name_st = Style("serif", 16, pal.ink)
        self.minor_st = Style("serif", 15, pal.ink)
        self.region_st = Style("serif", 14, mix(pal.ink, pal.paper, 0.12))
        self.grid_st = Style("mono", 11, pal.ink_faint)
        self._segs: list[list[Segment]] = []
        self.regions: list[tuple[MapShape, list[Pt]]] = []
        self.land_mask: pygame.mask.Mask | None = None

    # ------------------------------------------------------------ layout of the sheet
    def draw_map(self, sheet: pygame.Rect, legend: pygame.Rect) -> MapLayout:
        c = self.c
        band_x = c.width("55°W", self.grid_st) + 8
        band_y = c.line_h(self.grid_st) + 2
        outer = sheet.inflate(-24, -24)
        frame = pygame.Rect(outer.x + band_x, outer.y + band_y, outer.w - 2 * band_x, outer.h - 2 * band_y)
        layout = MapLayout(sheet.copy(), frame.copy(), legend.copy())
        m = self.m
        view = View.fit((m.west, m.south, m.east, m.north), tuple(frame))  # type: ignore[arg-type]
        self._segs = self.geography(view, frame, layout, main=True)
        art.tile(c.surface, art.paper_texture(), frame)
        self.graticule_labels(view, frame, outer)
        pygame.draw.rect(c.surface, self.pal.ink_soft, outer, 1)
        pygame.draw.rect(c.surface, self.pal.ink, frame.inflate(2, 2), 2)
        self.places(view, frame, layout)
        layout.articles = self.articles_drawn(layout)
        return layout

    def articles_drawn(self, layout: MapLayout) -> list[str]:
        """The articles that some drawn region, line or place stands for, in the scenario's order."""
        shown = set().union(*(layout.drawn.get(k, set()) for k in ("region", "railway", "frontier", "arrow")))
        places = set().union(*(layout.drawn.get(k, set()) for k in ("place", "pointer")), layout.inset_places)
        arts = [s.article for s in self.m.shapes if s.id in shown and s.article]
        arts += [p.article for p in self.m.places if p.id in places and p.article]
        return [a for a in dict.fromkeys(arts) if a and self.screen._has_article(a)]

    # ------------------------------------------------------------ geography and shapes
    def geography(self, view: View, rect: pygame.Rect, layout: MapLayout | None, main: bool) -> list[list[Segment]]:
        """Sea, land, coasts, the scenario's regions and lines, clipped to ``rect``; return the lines in
        pixels, as segments (labels avoid them)."""
        surf = self.c.surface
        old_clip = surf.get_clip()
        surf.set_clip(rect)
        box = _grow(view.box, 2.0)
        mask, rings = self._land(view, rect, box)
        if main:
            self.land_mask = pygame.mask.from_surface(mask)
        self._borders(view, rect, box)
        regions = self._regions(view, rect, box, mask, layout)
        if main:
            self.regions = regions
        self.graticule(view, rect, box)
        for pts in rings:
            pygame.draw.aalines(surf, self.coast, True, [(x + rect.x, y + rect.y) for x, y in pts])
        lines = self._lines(view, rect, box, layout)
        surf.set_clip(old_clip)
        return lines

    def _land(self, view: View, rect: pygame.Rect, box: Box) -> tuple[pygame.Surface, list[list[Pt]]]:
        """Sea with water lines along the coasts, then the land; return the land's mask and its rings
        (in the rectangle's own pixels)."""
        surf = self.c.surface
        off = (-rect.x, -rect.y)
        surf.fill(self.sea, rect)
        mask = pygame.Surface(rect.size, pygame.SRCALPHA)
        rings: list[list[Pt]] = []
        for poly in self.world.land:
            if not overlaps(poly.box, box):
                continue
            for k, ring in enumerate(poly.rings):
                pts = self.project(view, ring, box, closed=True, offset=off)
                if len(pts) < 3:
                    continue
                pygame.draw.polygon(mask, (255, 255, 255, 255) if k == 0 else (0, 0, 0, 0), pts)
                rings.append(pts)
        land_mask = pygame.mask.from_surface(mask)
        for r, colour in ((9, self.sea_line), (5, self.sea_line), (2, mix(self.sea_line, self.coast, 0.3))):
            for radius, col in ((r, colour), (r - 1, self.sea)):
                grown = land_mask.convolve(_disk(radius), None, (-radius, -radius))
                surf.blit(grown.to_surface(setcolor=(*col, 255), unsetcolor=(0, 0, 0, 0)), rect)
        land = pygame.Surface(rect.size, pygame.SRCALPHA)
        land.fill((*self.land, 255))
        land.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
        surf.blit(land, rect)
        return mask, rings

    def _borders(self, view: View, rect: pygame.Rect, box: Box) -> None:
        """Today's country borders, dotted and faint: for orientation only."""
        layer = pygame.Surface(rect.size, pygame.SRCALPHA)
        off = (-rect.x, -rect.y)
        for line in self.world.borders:
            if overlaps(line.box, box):
                for run in clip_line(line.points, box):
                    pts = self._px(view, densify(run, 1.0), off)
                    if len(pts) >= 2:
                        _dashes(layer, pts, (*self.pal.ink_faint, 150), 1, [2, 3])
        self.c.surface.blit(layer, rect)

    def _regions(self, view: View, rect: pygame.Rect, box: Box, mask: pygame.Surface,
                 layout: MapLayout | None) -> list[tuple[MapShape, list[Pt]]]:
        """The scenario's regions, tinted by their article's place in the draft (hatched while open) and
        clipped to the land; return each drawn region with its outline in window pixels."""
        pal = self.pal
        off = (-rect.x, -rect.y)
        layer = pygame.Surface(rect.size, pygame.SRCALPHA)
        drawn: list[tuple[MapShape, list[Pt]]] = []
        neutral = 0
        for shape in self.shapes:
            if shape.kind != "region" or len(shape.points) < 3:
                continue
            pts = self.project(view, self.extend(shape.points, view.box), box, closed=True, offset=off)
            if len(pts) < 3 or not _bbox(pts).colliderect(pygame.Rect((0, 0), rect.size)):
                continue
            if self.screen._has_article(shape.article):
                col, agreed, _ = self.screen.article_colour(shape.article or "")
                fill, edge = mix(self.land, col, 0.42), mix(col, pal.ink, 0.35)
            else:
                tint = (pal.ink_faint, pal.green, pal.amber, pal.blue)[neutral % 4]
                neutral += 1
                agreed, fill = True, mix(self.land, tint, 0.13)
                col = edge = mix(self.land, pal.ink_faint, 0.8)
            pygame.draw.polygon(layer, (*fill, 255), pts)
            if not agreed:
                _hatch(layer, pts, (*col, 150))
                if layout is not None:
                    layout.mark("hatched", shape.id)
            pygame.draw.lines(layer, (*edge, 255), True, pts, 2)
            drawn.append((shape, [(x - off[0], y - off[1]) for x, y in pts]))
            if layout is not None:
                layout.mark("region", shape.id)
        layer.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
        self.c.surface.blit(layer, rect)
        return drawn

    def _lines(self, view: View, rect: pygame.Rect, box: Box, layout: MapLayout | None) -> list[list[Segment]]:
        """Frontiers, railways (in their article's colour beneath) and arrows, in that order."""
        surf = self.c.surface
        pal = self.pal
        lines: list[list[Segment]] = []
        for kind in ("frontier", "railway", "arrow"):
            for shape in self.shapes:
                if shape.kind != kind:
                    continue
                pts: list[Pt] = []
                for run in clip_line(self.extend(shape.points, view.box), box):
                    pts += self._px(view, densify(run, 0.5), (0, 0))
                if len(pts) < 2 or not _bbox(pts).colliderect(rect):
                    continue
                if kind == "frontier":
                    _dash_dot(surf, pts, pal.frontier, 2)
                elif kind == "railway":
                    if self.screen._has_article(shape.article):
                        col, _, _ = self.screen.article_colour(shape.article or "")
                        _thick(surf, pts, mix(col, self.land, 0.35), 9)
                    _rail(surf, pts, pal.rail, pal.paper, 4)
                else:
                    _arrow(surf, pts, pal.arrow, 6, 18)
                lines.append(polyline_segments(pts))
                if layout is not None:
                    layout.mark(kind, shape.id)
        return lines

    def graticule(self, view: View, rect: pygame.Rect, box: Box) -> None:
        """Meridians and parallels, faint."""
        step = _grid_step(view.box[2] - view.box[0])
        layer = pygame.Surface(rect.size, pygame.SRCALPHA)
        colour = (*self.pal.ink_faint, 70)
        off = (-rect.x, -rect.y)
        w, s, e, n = box
        for lon in _range(w, e, step):
            pts = self._px(view, densify([(lon, max(s, -85)), (lon, min(n, 85))], 1.0), off)
            pygame.draw.lines(layer, colour, False, pts, 1)
        for lat in _range(s, n, step):
            if abs(lat) >= 89:
                continue
            pts = self._px(view, densify([(w, lat), (e, lat)], 1.0), off)
            pygame.draw.lines(layer, colour, False, pts, 1)
        self.c.surface.blit(layer, rect)

    def graticule_labels(self, view: View, frame: pygame.Rect, outer: pygame.Rect) -> None:
        """Degrees in the margin: longitudes above and below the frame, latitudes beside it."""
        c = self.c
        step = _grid_step(view.box[2] - view.box[0])
        w, s, e, n = view.box
        st = self.grid_st
        lh = c.line_h(st)
        taken: list[pygame.Rect] = []

        def put(text: str, x: float, y: float, align: str) -> None:
            wdt = c.width(text, st)
            x0 = x - wdt / 2 if align == "center" else x
            r = pygame.Rect(round(x0), round(y), wdt, lh)
            if outer.contains(r) and r.collidelist(taken) < 0:
                taken.append(r.inflate(6, 0))
                c.text(text, (r.x, r.y), st, box=outer)

        for lon in _range(w, e, step):
            for edge_y, ty in ((frame.top, outer.top + 1), (frame.bottom, frame.bottom + 2)):
                x = _cross_x(view, lon, edge_y, s, n)
                if x is not None and frame.left + 6 < x < frame.right - 6:
                    put(_deg(lon, "E", "W"), x, ty, "center")
        for lat in _range(s, n, step):
            for edge_x, tx in ((frame.left, outer.left + 3), (frame.right, frame.right + 4)):
                y = _cross_y(view, lat, edge_x, w, e)
                if y is not None and frame.top + 6 < y < frame.bottom - 6:
                    put(_deg(lat, "N", "S"), tx, y - lh / 2, "left")
                    pygame.draw.line(c.surface, self.pal.ink_soft, (edge_x - 3, round(y)), (edge_x + 3, round(y)), 1)

    # ------------------------------------------------------------ places, inset and labels
    def places(self, view: View, frame: pygame.Rect, layout: MapLayout) -> None:
        c = self.c
        pal = self.pal
        screen = self.screen
        segments = self._segments
        placer = Placer(frame.inflate(-4, -4), lines=segments)
        inner = frame.inflate(-8, -8)
        pos = {p.id: view.px(p.lon, p.lat) for p in self.m.places}
        on_map = [p for p in self.m.places if inner.collidepoint(pos[p.id])]
        beyond = [p for p in self.m.places if p not in on_map]
        # the inset: where article-bearing places crowd together
        cluster = self.crowded(on_map, pos)
        inset_view: View | None = None
        if cluster:
            inset_view = self.inset(view, frame, cluster, pos, layout)
            placer.add(layout.inset.inflate(6, 6))  # type: ignore[union-attr]
            cover = self.inset_cover(view, inset_view)
            pygame.draw.rect(c.surface, pal.ink, cover, 1)
            placer.add(cover.inflate(2, 2))
        scale_rect = self.scale_bar(view, frame, layout, pos)
        placer.add(scale_rect)
        # the places of articles first: their marks, then their names; then the regions' names; a lesser
        # place whose mark would sit under a name, or clearly nearer to it than its own place, is left out
        arts = [p for p in on_map if screen._has_article(p.article)]
        minors = [p for p in on_map if not screen._has_article(p.article)]
        for p in minors:
            x, y = pos[p.id]
            r = self.marker_radius(p) + 2
            placer.soft.append(pygame.Rect(round(x) - r, round(y) - r, 2 * r, 2 * r))
        for group in (arts, minors):
            if group is minors:  # before the lesser places: pointers to places beyond, and the regions' names
                for p in beyond:
                    self.pointer(view, frame, placer, p, pos[p.id], layout)
                self.region_labels(placer, frame, layout)
                group[:] = [p for p in minors if self._room_for_mark(placer, p, pos[p.id])]
            for p in group:
                x, y = pos[p.id]
                r = self.marker_radius(p) + 1
                placer.add(pygame.Rect(round(x) - r, round(y) - r, 2 * r, 2 * r))
                placer.points.append((p.id, x, y, self.marker_radius(p)))
            for p in group:
                x, y = pos[p.id]
                got = None if p.id in layout.inset_places else self.label(placer, p, x, y, self.marker_radius(p) + 3)
                if got is not None:
                    layout.labels.append(MapLabel("place", p.id, got[0], got[1], frame.copy()))
                elif p.id not in layout.inset_places:
                    layout.dropped.append(p.id)
                    if group is minors:
                        continue  # a lesser place without its name is not worth a mark
                self.marker(p, x, y)
                layout.mark("place", p.id)

    def _room_for_mark(self, placer: Placer, p: MapPlace, at: Pt) -> bool:
        """Whether a lesser place's mark fits: on no name, and not clearly nearer to a name than that name's
        own place."""
        r = self.marker_radius(p) + 2
        mark = pygame.Rect(round(at[0]) - r, round(at[1]) - r, 2 * r, 2 * r)
        if mark.collidelist([q.rect for q in placer.placed]) >= 0 or mark.collidelist(placer.obstacles) >= 0:
            return False
        own = {key: (x, y) for key, x, y, _ in placer.points}
        for q in placer.placed:
            if q.key in own and rect_distance(q.rect, *at) < 0.7 * rect_distance(q.rect, *own[q.key]):
                return False
        return True

    def label(self, placer: Placer, p: MapPlace, x: float, y: float, gap: int,
              style: Style | None = None) -> tuple[str, pygame.Rect] | None:
        """Place and draw one place's name (with its native name, or without it if room is short)."""
        st = style or (self.name_st if self.screen._has_article(p.article) else self.minor_st)
        forms = [p.name + (f" {p.name_native}" if p.name_native else "")]
        if p.name_native:
            forms.append(p.name)
        short = short_name(p.name)
        if short != p.name:
            forms.append(short)
        return self._place_text(placer, LabelRequest(p.id, x, y, forms, [], gap), st)

    def _place_text(self, placer: Placer, req: LabelRequest, st: Style) -> tuple[str, pygame.Rect] | None:
        sizes = []
        lifts = []
        for text in req.forms:
            img, lift = self.c.fonts.render(text, st.face, self.c.px(st.size), st.colour)
            sizes.append(img.get_size())
            lifts.append(lift)
        req.sizes = sizes
        got = placer.place(req)
        if got is None:
            return None
        self.c.text(got.text, (got.rect.x, got.rect.y + lifts[got.form]), st, box=placer.frame,
                    halo=mix(self.land, self.pal.paper, 0.5))
        return got.text, got.rect

    def marker_radius(self, p: MapPlace) -> int:
        return 6 if self.screen._has_article(p.article) else 4

    def marker(self, p: MapPlace, x: float, y: float) -> int:
        """Draw a place's mark: a ring in its article's colour (filled once agreed), else a small dot."""
        pal = self.pal
        surf = self.c.surface
        at = (round(x), round(y))
        r = self.marker_radius(p)
        if self.screen._has_article(p.article):
            col, agreed, _ = self.screen.article_colour(p.article or "")
            pygame.draw.circle(surf, pal.ink, at, r + 1)
            pygame.draw.circle(surf, col, at, r)
            if not agreed:
                pygame.draw.circle(surf, pal.paper, at, r - 3)
        else:
            pygame.draw.circle(surf, pal.ink, at, r)
            pygame.draw.circle(surf, pal.paper, at, r - 2)
        return r + 1

    def crowded(self, places: Sequence[MapPlace], pos: dict[str, Pt]) -> list[MapPlace]:
        """The article-bearing places too close to label apart at this scale, around the closest pair of
        them (empty if none), with whatever other places sit among them."""
        lh = self.c.line_h(self.name_st)
        near = max(16.0, 1.3 * lh)
        arts = [p for p in places if self.screen._has_article(p.article)]
        pairs = [(math.dist(pos[a.id], pos[b.id]), a, b) for a, b in itertools.combinations(arts, 2)]
        pairs = [t for t in pairs if t[0] < near]
        if not pairs:
            return []
        _, a, b = min(pairs, key=lambda t: t[0])
        seed = [a, b]
        close = near * 0.6
        return seed + [p for p in places
                       if p not in seed and min(math.dist(pos[p.id], pos[q.id]) for q in seed) < close]

    def inset(self, view: View, frame: pygame.Rect, cluster: list[MapPlace], pos: dict[str, Pt],
              layout: MapLayout) -> View:
        """Draw a magnified box of a crowded group in the emptiest corner of the map; return its view."""
        c = self.c
        pal = self.pal
        lh = c.line_h(self.name_st)
        w = max(170, min(340, frame.w * 31 // 100))
        h = max(130, min(frame.h * 45 // 100, w * 4 // 5))
        pts = [pos[p.id] for p in cluster]
        span = max(math.dist(a, b) for a, b in itertools.combinations(pts, 2))
        closest = max(0.5, min(math.dist(a, b) for a, b in itertools.combinations(pts, 2)))
        zoom = max(2.0, min(3.0 * lh / closest, 0.45 * min(w, h) / max(span, 1.0), 40.0))
        cx = sum(p.lon for p in cluster) / len(cluster)
        cy = sum(p.lat for p in cluster) / len(cluster)
        spots = []
        m = 10
        for fx, fy in ((0, 1), (1, 1), (0, 0), (1, 0), (0.5, 1), (0.5, 0), (0, 0.5), (1, 0.5)):
            r = pygame.Rect(0, 0, w, h)
            r.x = round(frame.x + m + (frame.w - w - 2 * m) * fx)
            r.y = round(frame.y + m + (frame.h - h - 2 * m) * fy)
            spots.append(r)
        others = [pos[p.id] for p in self.m.places]

        def cost(r: pygame.Rect) -> float:
            grown = r.inflate(40, 40)
            hits = sum(1 for q in others if grown.collidepoint(q)) * 10
            crossed = sum(1 for line in self._segments for s in line if grown.clipline(s[:2], s[2:])) * 0.1
            covers = 1000 if any(r.inflate(30, 30).collidepoint(q) for q in pts) else 0
            return hits + crossed + covers

        rect = min(spots, key=cost)
        layout.inset = rect.copy()
        sub = View.around(view.proj, (cx, cy), view.scale * zoom, tuple(rect))  # type: ignore[arg-type]
        shadow = pygame.Surface((rect.w, rect.h), pygame.SRCALPHA)
        shadow.fill((0, 0, 0, 50))
        c.surface.blit(shadow, rect.move(3, 4))
        segs = self.geography(sub, rect, layout, main=False)
        art.tile(c.surface, art.paper_texture(), rect)
        pygame.draw.rect(c.surface, pal.paper, rect.inflate(6, 6), 3)
        pygame.draw.rect(c.surface, pal.ink, rect.inflate(8, 8), 1)
        pygame.draw.rect(c.surface, pal.ink, rect, 1)
        caption = f"×{zoom:.0f}" if zoom >= 3 else f"×{zoom:.1f}"
        placer = Placer(rect.inflate(-4, -4), lines=segs)
        cap = self._place_text(placer, LabelRequest("inset-scale", rect.right - 6, rect.bottom - 6, [caption],
                                                    [], 0), self.grid_st)
        if cap:
            layout.labels.append(MapLabel("inset", "inset-scale", cap[0], cap[1], rect.copy()))
        inner = rect.inflate(-8, -8)
        inside = [p for p in self.m.places if inner.collidepoint(sub.px(p.lon, p.lat))]
        for p in inside:
            x, y = sub.px(p.lon, p.lat)
            mr = self.marker(p, x, y)
            placer.add(pygame.Rect(round(x) - mr, round(y) - mr, 2 * mr, 2 * mr))
            placer.points.append((p.id, x, y, mr))
        for p in sorted(inside, key=lambda q: not self.screen._has_article(q.article)):
            x, y = sub.px(p.lon, p.lat)
            got = self.label(placer, p, x, y, self.marker_radius(p) + 3)
            if got is not None:
                layout.labels.append(MapLabel("inset", p.id, got[0], got[1], rect.copy()))
                layout.inset_places.append(p.id)
        # a place of the group that found no room in the inset keeps its place on the main map
        return sub

    def inset_cover(self, view: View, sub: View) -> pygame.Rect:
        """The area of the main map that the inset magnifies."""
        x, y, w, h = sub.rect
        corners = [view.px(*sub.lonlat(px, py)) for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h))]
        return _bbox(corners).inflate(2, 2)

    def scale_bar(self, view: View, frame: pygame.Rect, layout: MapLayout, pos: dict[str, Pt]) -> pygame.Rect:
        """A scale bar in kilometres in the emptiest lower corner; return the area it takes."""
        c = self.c
        pal = self.pal
        km_px = view.km_per_px()
        target = frame.w / 5 * km_px
        nice = max(v for v in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000) if v <= max(10, target))
        length = round(nice / km_px)
        lh = c.line_h(self.grid_st)
        w, h = length + c.width(f"{nice} km", self.grid_st) + 20, lh + 12
        spots = [pygame.Rect(frame.x + 12, frame.bottom - h - 10, w, h),
                 pygame.Rect(frame.right - w - 12, frame.bottom - h - 10, w, h),
                 pygame.Rect(frame.x + 12, frame.y + 10, w, h),
                 pygame.Rect(frame.right - w - 12, frame.y + 10, w, h)]
        taken = [layout.inset.inflate(8, 8)] if layout.inset else []
        points = list(pos.values())

        def cost(r: pygame.Rect) -> float:
            return (sum(1 for q in points if r.inflate(20, 20).collidepoint(q)) * 10
                    + sum(1 for line in self._segments for s in line if r.clipline(s[:2], s[2:]))
                    + (1000 if r.collidelist(taken) >= 0 else 0))

        r = min(spots, key=cost)
        back = pygame.Surface(r.size, pygame.SRCALPHA)
        back.fill((*pal.paper, 190))
        c.surface.blit(back, r)
        x0, y0 = r.x + 6, r.y + 4
        for k in range(4):
            seg = pygame.Rect(x0 + k * length // 4, y0, length // 4, 5)
            pygame.draw.rect(c.surface, pal.ink if k % 2 == 0 else pal.paper, seg)
        pygame.draw.rect(c.surface, pal.ink, pygame.Rect(x0, y0, length, 5), 1)
        c.text("0", (x0, y0 + 6), self.grid_st, box=r)
        c.text(f"{nice} km", (x0 + length + 4, y0 - 3), self.grid_st, box=r)
        return r

    def pointer(self, view: View, frame: pygame.Rect, placer: Placer, p: MapPlace, at: Pt, layout: MapLayout) -> None:
        """A place beyond the frame: a chevron at the edge, toward it, with its name and distance."""
        cx, cy = frame.center
        dx, dy = at[0] - cx, at[1] - cy
        if dx == 0 and dy == 0:
            return
        edge = frame.inflate(-16, -16)
        t = min(abs((edge.w / 2) / dx) if dx else math.inf, abs((edge.h / 2) / dy) if dy else math.inf)
        ex, ey = cx + dx * t, cy + dy * t
        ang = math.atan2(dy, dx)
        size = 9
        tip = (ex + math.cos(ang) * size, ey + math.sin(ang) * size)
        head = [tip, (ex + math.cos(ang + 2.5) * size, ey + math.sin(ang + 2.5) * size),
                (ex + math.cos(ang - 2.5) * size, ey + math.sin(ang - 2.5) * size)]
        pygame.draw.polygon(self.c.surface, self.pal.ink_soft, head)
        placer.add(_bbox(head).inflate(2, 2))
        km = great_circle_km(view.lonlat(ex, ey), (p.lon, p.lat))
        dist = f"{round(km / 50) * 50:,} km" if km >= 100 else f"{round(km):,} km"
        name = p.name + (f" {p.name_native}" if p.name_native else "")
        forms = [f"{name}, {dist}", f"{p.name}, {dist}", p.name]
        got = self._place_text(placer, LabelRequest(p.id, ex, ey, forms, [], size + 4), self.minor_st)
        layout.mark("pointer", p.id)
        if got is not None:
            layout.labels.append(MapLabel("pointer", p.id, got[0], got[1], frame.copy()))
        else:
            layout.dropped.append(p.id)

    def region_labels(self, placer: Placer, frame: pygame.Rect, layout: MapLayout) -> None:
        """Name each region inside itself, where its name fits clear of everything else."""
        c = self.c
        st = self.region_st
        for shape, pts in self.regions:
            words = short_name(shape.name).split()
            forms = [spaced_caps(" ".join(words))]
            if len(words) >= 2:
                half = (len(words) + 1) // 2
                forms.append(spaced_caps(" ".join(words[:half])) + "\n" + spaced_caps(" ".join(words[half:])))
            bb = _bbox(pts).clip(frame)
            if bb.w < 20 or bb.h < 10:
                continue
            area = pygame.Surface(frame.size, pygame.SRCALPHA)
            pygame.draw.polygon(area, (255, 255, 255, 255), [(x - frame.x, y - frame.y) for x, y in pts])
            room = pygame.mask.from_surface(area)
            if self.land_mask is not None and self.land_mask.get_size() == room.get_size():
                room = room.overlap_mask(self.land_mask, (0, 0))  # on the region's land, not its sea
            done = False
            for form in forms:
                lines = form.split("\n")
                lh = c.line_h(st)
                w = max(c.width(ln, st) for ln in lines)
                h = lh * len(lines)
                if w > bb.w or h > bb.h:
                    continue
                best: tuple[float, pygame.Rect] | None = None
                full = pygame.mask.Mask((w, h), fill=True)
                step = max(8, min(bb.w, bb.h) // 10)
                mid = bb.center
                for gx in range(bb.x + w // 2, bb.right - w // 2 + 1, step):
                    for gy in range(bb.y + h // 2, bb.bottom - h // 2 + 1, step):
                        r = pygame.Rect(gx - w // 2, gy - h // 2, w, h)
                        if room.overlap_area(full, (r.x - frame.x, r.y - frame.y)) < w * h or not placer.free(r):
                            continue
                        score = (math.dist((gx, gy), mid) / 40 + placer.crossings(r) * 3
                                 + len(r.inflate(24, 16).collidelistall(placer.soft)) * 6)
                        if best is None or score < best[0]:
                            best = (score, r)
                if best is None:
                    continue
                r = best[1]
                for i, ln in enumerate(lines):
                    lw = c.width(ln, st)
                    c.text(ln, (r.centerx - lw // 2, r.y + i * lh), st, box=placer.frame,
                           halo=mix(self.land, self.pal.paper, 0.3))
                placer.placed.append(Placed(shape.id, form, 0, r.copy()))
                layout.labels.append(MapLabel("region", shape.id, form, r.copy(), frame.copy()))
                done = True
                break
            if not done:
                layout.dropped.append(shape.id)

    # ------------------------------------------------------------ projection helpers
    @property
    def _segments(self) -> list[list[Segment]]:
        return self._segs

    def extend(self, pts: Sequence[tuple[float, float]], box: Box) -> list[LonLat]:
        """Carry a vertex that lies on the scenario's edge out past the view's edge, so that a region
        drawn up to the edge of the scenario's bounds still reaches the edge of a wider view."""
        m = self.m
        w, s, e, n = _grow(box, 3.0)
        out: list[LonLat] = []
        for lon, lat in pts:
            x = min(lon, w) if abs(lon - m.west) < 1e-6 else max(lon, e) if abs(lon - m.east) < 1e-6 else lon
            y = min(lat, s) if abs(lat - m.south) < 1e-6 else max(lat, n) if abs(lat - m.north) < 1e-6 else lat
            out.append((x, max(-89.0, min(89.0, y))))
        return out

    def project(self, view: View, ring: Sequence[LonLat], box: Box, closed: bool, offset: Pt) -> list[Pt]:
        """Clip to the box, densify, project and drop points less than a pixel apart."""
        pts = clip_ring(ring, box) if closed else list(ring)
        if len(pts) < 3:
            return []
        return self._px(view, densify(pts, 1.0, closed=closed), offset)

    def _px(self, view: View, pts: Sequence[LonLat], offset: Pt) -> list[Pt]:
        out: list[Pt] = []
        ox, oy = offset
        lx = ly = -1e9
        for lon, lat in pts:
            x, y = view.px(lon, lat)
            x += ox
            y += oy
            if abs(x - lx) + abs(y - ly) >= 1.0:
                out.append((x, y))
                lx, ly = x, y
        return out


# ---------------------------------------------------------------------- small helpers
def _grow(b: Box, d: float) -> Box:
    return b[0] - d, max(-89.5, b[1] - d), b[2] + d, min(89.5, b[3] + d)


def _bbox(pts: Sequence[Pt]) -> pygame.Rect:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return pygame.Rect(math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs) - min(xs)) + 1,
                       math.ceil(max(ys) - min(ys)) + 1)


_DISKS: dict[int, pygame.mask.Mask] = {}


def _disk(r: int) -> pygame.mask.Mask:
    d = _DISKS.get(r)
    if d is None:
        s = pygame.Surface((2 * r + 1, 2 * r + 1), pygame.SRCALPHA)
        pygame.draw.circle(s, (255, 255, 255, 255), (r, r), r)
        d = _DISKS[r] = pygame.mask.from_surface(s)
    return d


def _grid_step(span: float) -> float:
    for step in (1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0):
        if span / step <= 9:
            return step
    return 45.0


def _range(lo: float, hi: float, step: float) -> list[float]:
    k = math.ceil(lo / step)
    out = []
    while k * step <= hi:
        out.append(k * step)
        k += 1
    return out


def _deg(v: float, pos: str, neg: str) -> str:
    return f"{abs(v):g}°{pos if v >= 0 else neg}" if v else "0°"


def _cross_x(view: View, lon: float, y: int, s: float, n: float) -> float | None:
    """Where a meridian crosses the horizontal line y (meridians are straight in the conic)."""
    x1, y1 = view.px(lon, max(-85.0, s - 5))
    x2, y2 = view.px(lon, min(85.0, n + 5))
    if (y1 - y) * (y2 - y) > 0 or y1 == y2:
        return None
    return x1 + (x2 - x1) * (y - y1) / (y2 - y1)


def _cross_y(view: View, lat: float, x: int, w: float, e: float) -> float | None:
    """Where a parallel crosses the vertical line x (by bisection along the parallel)."""
    lo, hi = w - 5, e + 5
    flo = view.px(lo, lat)[0] - x
    fhi = view.px(hi, lat)[0] - x
    if flo * fhi > 0:
        return None
    for _ in range(40):
        mid = (lo + hi) / 2
        fm = view.px(mid, lat)[0] - x
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return view.px((lo + hi) / 2, lat)[1]


def _hatch(layer: pygame.Surface, pts: Sequence[Pt], colour: tuple[int, int, int, int]) -> None:
    """Diagonal hatching inside a polygon."""
    bb = _bbox(pts).clip(layer.get_rect())
    if bb.w <= 0 or bb.h <= 0:
        return
    hatch = pygame.Surface(bb.size, pygame.SRCALPHA)
    for k in range(-bb.h, bb.w, 9):
        pygame.draw.line(hatch, colour, (k, bb.h), (k + bb.h, 0), 2)
    mask = pygame.Surface(bb.size, pygame.SRCALPHA)
    pygame.draw.polygon(mask, (255, 255, 255, 255), [(x - bb.x, y - bb.y) for x, y in pts])
    hatch.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
    layer.blit(hatch, bb)


def _thick(surf: pygame.Surface, pts: Sequence[Pt], colour: Color, width: int) -> None:
    """A wide line with round joins."""
    pygame.draw.lines(surf, colour, False, pts, width)
    for p in pts:
        pygame.draw.circle(surf, colour, (round(p[0]), round(p[1])), width // 2)


def _rail(surf: pygame.Surface, pts: Sequence[Pt], ink: Color, paper: Color, width: int) -> None:
    """The old railway symbol: a dark line with light dashes inside."""
    _thick(surf, pts, ink, width)
    _dashes(surf, pts, paper, max(1, width - 2), [7, 7])


def _dash_dot(surf: pygame.Surface, pts: Sequence[Pt], colour: Color, width: int) -> None:
    """A boundary: dash, dot, dash."""
    _dashes(surf, pts, colour, width, [10, 4, 2, 4])


def _dashes(surf: pygame.Surface, pts: Sequence[Pt], colour: tuple[int, ...], width: int,
            pattern: list[int]) -> None:
    """A line drawn in a repeating pattern of on and off lengths (starting on)."""
    k = 0
    left = float(pattern[0])
    for (x1, y1), (x2, y2) in itertools.pairwise(pts):
        seg = math.hypot(x2 - x1, y2 - y1)
        pos = 0.0
        while pos < seg:
            step = min(left, seg - pos)
            if k % 2 == 0 and seg > 0:
                a, b = pos / seg, (pos + step) / seg
                pygame.draw.line(surf, colour, (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
                                 (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b), width)
            pos += step
            left -= step
            if left <= 0:
                k = (k + 1) % len(pattern)
                left = float(pattern[k])


def _arrow(surf: pygame.Surface, pts: Sequence[Pt], colour: Color, width: int, size: int) -> None:
    """A movement: a broad translucent line ending in a head."""
    if len(pts) < 2:
        return
    (x1, y1), (x2, y2) = pts[-2], pts[-1]
    ang = math.atan2(y2 - y1, x2 - x1)
    body = list(pts[:-1]) + [(x2 - math.cos(ang) * size * 0.6, y2 - math.sin(ang) * size * 0.6)]
    _thick(surf, body, colour, width)
    head = [(x2 + math.cos(ang) * 2, y2 + math.sin(ang) * 2),
            (x2 - math.cos(ang - 0.45) * size, y2 - math.sin(ang - 0.45) * size),
            (x2 - math.cos(ang + 0.45) * size, y2 - math.sin(ang + 0.45) * size)]
    pygame.draw.polygon(surf, colour, head)
