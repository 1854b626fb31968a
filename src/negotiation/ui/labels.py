"""Label placement for the map: each label tries positions around its point and takes the cheapest
one that stays inside its frame and overlaps no label or obstacle placed before it; lines crossed cost
extra. A label with no room tries its shorter forms, then is left out: never two labels on each other."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pygame

Segment = tuple[float, float, float, float]

# Slots around a point, best first (a cartographer's order: right, above right, below right, left, ...):
# (how far right of the point the label's left edge sits, in label widths and gaps; the same downwards).
_SLOTS: tuple[tuple[float, float, float, float], ...] = (
    (0.0, 1.0, -0.5, 0.0),  # E
    (0.0, 0.7, -1.0, -0.7),  # NE
    (0.0, 0.7, 0.0, 0.7),  # SE
    (-1.0, -1.0, -0.5, 0.0),  # W
    (-1.0, -0.7, -1.0, -0.7),  # NW
    (-1.0, -0.7, 0.0, 0.7),  # SW
    (-0.5, 0.0, -1.0, -1.0),  # N
    (-0.5, 0.0, 0.0, 1.0),  # S
)


CLEARLY = 1.5
"""How much nearer its own mark's edge a name must be than any other mark's edge."""


@dataclass(slots=True)
class LabelRequest:
    """A point to label, with its forms (full first) and their sizes in pixels."""

    key: str
    x: float
    y: float
    forms: Sequence[str]
    sizes: Sequence[tuple[int, int]]
    gap: int = 6  # from the point to the label (the marker's radius and a little air)


@dataclass(slots=True)
class Placed:
    """Where a label went and which form it uses."""

    key: str
    text: str
    form: int
    rect: pygame.Rect


@dataclass(slots=True)
class Placer:
    """Places labels one at a time inside ``frame``, avoiding what is already there."""

    frame: pygame.Rect
    obstacles: list[pygame.Rect] = field(default_factory=list)
    lines: list[list[Segment]] = field(default_factory=list)  # railways, frontiers, arrows: better not crossed
    placed: list[Placed] = field(default_factory=list)
    points: list[tuple[str, float, float, float]] = field(default_factory=list)  # the marks: key, x, y, radius
    soft: list[pygame.Rect] = field(default_factory=list)  # better not covered (lesser places' marks)
    pad: int = 2
    _boxes: list[pygame.Rect] = field(default_factory=list)
    line_cost: float = 4.0

    def free(self, rect: pygame.Rect) -> bool:
        """Whether a rectangle lies inside the frame and clear of every label and obstacle."""
        if not self.frame.contains(rect):
            return False
        grown = rect.inflate(self.pad * 2, self.pad * 2)
        if grown.collidelist(self.obstacles) >= 0:
            return False
        return grown.collidelist([p.rect for p in self.placed]) < 0

    def nearest_is(self, req: LabelRequest, rect: pygame.Rect) -> bool:
        """Whether the label's own point is the mark nearest to it (so that nobody reads it as another's).

        Distances are to the marks' edges (a large marker next to a small dot claims the names near it),
        and the own mark must be clearly the nearest: a name halfway between two marks belongs to neither.
        """
        own_r = next((r for key, _, _, r in self.points if key == req.key), 0.0)
        own = rect_distance(rect, req.x, req.y) - own_r
        return all(rect_distance(rect, x, y) - r >= CLEARLY * own for key, x, y, r in self.points if key != req.key)

    def crossings(self, rect: pygame.Rect) -> int:
        """How many lines pass through a rectangle."""
        if len(self._boxes) != len(self.lines):
            self._boxes = [_segments_box(line) for line in self.lines]
        return sum(1 for line, box in zip(self.lines, self._boxes, strict=True)
                   if box.colliderect(rect) and any(segment_hits_rect(s, rect) for s in line))

    def place(self, req: LabelRequest) -> Placed | None:
        """Place one label at its cheapest free position, or its shorter form, or not at all."""
        for form, (text, (w, h)) in enumerate(zip(req.forms, req.sizes, strict=True)):
            best: tuple[float, pygame.Rect] | None = None
            for rank, rect in enumerate(self.candidates(req, w, h)):
                if not self.free(rect) or not self.nearest_is(req, rect):
                    continue
                cost = rank * 0.6 + self.crossings(rect) * self.line_cost + len(rect.collidelistall(self.soft)) * 9
                if best is None or cost < best[0]:
                    best = (cost, rect)
                if cost == 0:
                    break
            if best is not None:
                got = Placed(req.key, text, form, best[1])
                self.placed.append(got)
                return got
        return None

    def candidates(self, req: LabelRequest, w: int, h: int) -> list[pygame.Rect]:
        """Positions around the point: the eight slots, then the same a little farther out."""
        out: list[pygame.Rect] = []
        for g in (req.gap, req.gap * 2 + 4):
            for fw, fgx, fh, fgy in _SLOTS:
                out.append(pygame.Rect(round(req.x + fw * w + fgx * g), round(req.y + fh * h + fgy * g), w, h))
        return out

    def add(self, rect: pygame.Rect) -> None:
        """Reserve an area (a marker, the inset, the scale bar)."""
        self.obstacles.append(rect.copy())


def rect_distance(r: pygame.Rect, x: float, y: float) -> float:
    """Distance from a point to a rectangle (0 inside)."""
    dx = max(r.left - x, 0.0, x - r.right)
    dy = max(r.top - y, 0.0, y - r.bottom)
    return math.hypot(dx, dy)


def segment_hits_rect(s: Segment, r: pygame.Rect) -> bool:
    """Whether a segment passes through a rectangle (Liang-Barsky)."""
    x1, y1, x2, y2 = s
    if max(x1, x2) < r.left or min(x1, x2) > r.right or max(y1, y2) < r.top or min(y1, y2) > r.bottom:
        return False
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - r.left), (dx, r.right - x1), (-dy, y1 - r.top), (dy, r.bottom - y1)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return False
            t0 = max(t0, t)
        else:
            if t < t0:
                return False
            t1 = min(t1, t)
    return t0 <= t1


def _segments_box(line: Sequence[Segment]) -> pygame.Rect:
    if not line:
        return pygame.Rect(0, 0, 0, 0)
    xs = [v for s in line for v in (s[0], s[2])]
    ys = [v for s in line for v in (s[1], s[3])]
    return pygame.Rect(math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs) - min(xs)) + 2,
                       math.ceil(max(ys) - min(ys)) + 2)


def polyline_segments(pts: Sequence[tuple[float, float]]) -> list[Segment]:
    """The segments of a polyline."""
    return [(pts[i][0], pts[i][1], pts[i + 1][0], pts[i + 1][1]) for i in range(len(pts) - 1)]
