"""Geography for the map screen, without pygame: the shipped world outline, a conic projection fitted
to a rectangle, and clipping in longitude/latitude.

The world comes from assets/map/world.json.gz (Natural Earth, made once by tools/make_world_map.py).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from negotiation.resources import assets_dir

LonLat = tuple[float, float]
Ring = tuple[LonLat, ...]
Box = tuple[float, float, float, float]  # west, south, east, north
EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Polygon:
    """A land polygon: its outer ring, its holes, and the box around them."""

    rings: tuple[Ring, ...]
    box: Box


@dataclass(frozen=True, slots=True)
class Line:
    """A border line and the box around it."""

    points: Ring
    box: Box


@dataclass(frozen=True, slots=True)
class World:
    """Land polygons and modern country borders (for orientation only)."""

    land: tuple[Polygon, ...]
    borders: tuple[Line, ...]


def world_path() -> Path:
    """Where the shipped world outline lives (checkout or installed wheel)."""
    return assets_dir() / "map" / "world.json.gz"


def _box(pts: Ring) -> Box:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _decode(flat: list[int], unit: float) -> Ring:
    pts: list[LonLat] = []
    x = y = 0
    for i in range(0, len(flat) - 1, 2):
        if i == 0:
            x, y = flat[0], flat[1]
        else:
            x += flat[i]
            y += flat[i + 1]
        pts.append((x / unit, y / unit))
    return tuple(pts)


@lru_cache(maxsize=2)
def load_world(path: Path | None = None) -> World:
    """Read the world outline once; a missing or damaged file gives an empty world (a plain map)."""
    try:
        data = json.loads(gzip.decompress((path or world_path()).read_bytes()))
        unit = float(data["units_per_degree"])
        land = []
        for poly in data["land"]:
            rings = tuple(_decode(r, unit) for r in poly)
            land.append(Polygon(rings, _box(rings[0])))
        borders = [Line(pts, _box(pts)) for pts in (_decode(b, unit) for b in data["borders"])]
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return World((), ())
    return World(tuple(land), tuple(borders))


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes meet."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


# ---------------------------------------------------------------------- projection
class Conic:
    """An equidistant conic projection (meridians true to scale) for a band of latitudes.

    Coordinates come out in radians of arc, x east and y south (screen order). A band that crosses the
    equator, where a cone degenerates, falls back to an equirectangular projection.
    """

    def __init__(self, west: float, east: float, south: float, north: float) -> None:
        self.lon0 = (west + east) / 2
        p1 = math.radians(south + (north - south) / 6)
        p2 = math.radians(north - (north - south) / 6)
        self.n = (math.cos(p1) - math.cos(p2)) / (p2 - p1) if abs(p2 - p1) > 1e-9 else math.sin(p1)
        self.flat = abs(self.n) < 0.05
        mid = math.radians((south + north) / 2)
        if self.flat:
            self.k = math.cos(mid)
            self.g = 0.0
            self.rho0 = 0.0
        else:
            self.k = 1.0
            self.g = math.cos(p1) / self.n + p1
            self.rho0 = self.g - mid

    def _dlon(self, lon: float) -> float:
        d = (lon - self.lon0 + 180.0) % 360.0 - 180.0
        return math.radians(d)

    def forward(self, lon: float, lat: float) -> tuple[float, float]:
        """(lon, lat) in degrees -> (x, y) in radians of arc, y pointing south."""
        if self.flat:
            return self._dlon(lon) * self.k, -math.radians(lat)
        rho = self.g - math.radians(lat)
        theta = self.n * self._dlon(lon)
        return rho * math.sin(theta), -(self.rho0 - rho * math.cos(theta))

    def inverse(self, x: float, y: float) -> LonLat:
        """(x, y) -> (lon, lat) in degrees."""
        if self.flat:
            return self.lon0 + math.degrees(x / self.k), max(-89.9, min(89.9, -math.degrees(y)))
        yy = self.rho0 + y  # rho0 - (-y)
        s = 1.0 if self.n > 0 else -1.0
        rho = s * math.hypot(x, yy)
        theta = math.atan2(x * s, yy * s)
        lat = math.degrees(self.g - rho)
        return self.lon0 + math.degrees(theta / self.n), max(-89.9, min(89.9, lat))


@dataclass(slots=True)
class View:
    """A projection scaled into a pixel rectangle (x, y, w, h) that it fills."""

    proj: Conic
    scale: float  # pixels per radian of arc
    cx: float  # projected centre
    cy: float
    rect: tuple[int, int, int, int]
    box: Box = (0.0, 0.0, 0.0, 0.0)  # the longitudes and latitudes that the rectangle shows

    @classmethod
    def fit(cls, bounds: Box, rect: tuple[int, int, int, int], zoom: float = 1.0) -> View:
        """Fit ``bounds`` (west, south, east, north) into ``rect``, centred; the rectangle is filled,
        so more than the bounds shows on one axis. ``zoom`` > 1 magnifies around the centre."""
        w, s, e, n = bounds
        proj = Conic(w, e, s, n)
        pts = [proj.forward(lon, lat) for lon, lat in _edge_samples(bounds, 16)]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        bw, bh = max(1e-9, max(xs) - min(xs)), max(1e-9, max(ys) - min(ys))
        scale = min(rect[2] / bw, rect[3] / bh) * zoom
        view = cls(proj, scale, (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, rect)
        view.box = view._visible_box()
        return view

    @classmethod
    def around(cls, proj: Conic, centre: LonLat, scale: float, rect: tuple[int, int, int, int]) -> View:
        """A view of the same projection centred on a point at a given scale (an inset)."""
        cx, cy = proj.forward(*centre)
        view = cls(proj, scale, cx, cy, rect)
        view.box = view._visible_box()
        return view

    def px(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a point."""
        x, y = self.proj.forward(lon, lat)
        rx, ry, rw, rh = self.rect
        return rx + rw / 2 + (x - self.cx) * self.scale, ry + rh / 2 + (y - self.cy) * self.scale

    def lonlat(self, px: float, py: float) -> LonLat:
        """The point under a pixel."""
        rx, ry, rw, rh = self.rect
        return self.proj.inverse((px - rx - rw / 2) / self.scale + self.cx, (py - ry - rh / 2) / self.scale + self.cy)

    def km_per_px(self) -> float:
        """Kilometres per pixel along a meridian (true to scale in this projection)."""
        return EARTH_KM / self.scale

    def _visible_box(self) -> Box:
        rx, ry, rw, rh = self.rect
        pts = []
        for i in range(17):
            t = i / 16
            pts += [self.lonlat(rx + rw * t, ry), self.lonlat(rx + rw * t, ry + rh),
                    self.lonlat(rx, ry + rh * t), self.lonlat(rx + rw, ry + rh * t)]
        # the pole, if it is in view, is the top (or bottom) of every meridian
        lons = [p[0] for p in pts]
        lats = [p[1] for p in pts]
        return min(lons), min(lats), max(lons), max(lats)


def _edge_samples(b: Box, k: int) -> list[LonLat]:
    w, s, e, n = b
    out: list[LonLat] = []
    for i in range(k + 1):
        t = i / k
        out += [(w + (e - w) * t, s), (w + (e - w) * t, n), (w, s + (n - s) * t), (e, s + (n - s) * t)]
    return out


# ---------------------------------------------------------------------- geometry in degrees
def densify(pts: Sequence[LonLat], step: float = 1.0, closed: bool = False) -> list[LonLat]:
    """Insert points so that no segment is longer than ``step`` degrees (straight in lon/lat stays a
    parallel or a meridian after projection)."""
    src = list(pts)
    if closed and src:
        src.append(src[0])
    out: list[LonLat] = []
    for i, (x2, y2) in enumerate(src):
        if i:
            x1, y1 = src[i - 1]
            k = int(max(abs(x2 - x1), abs(y2 - y1)) / step)
            for j in range(1, k + 1):
                t = j / (k + 1)
                out.append((x1 + (x2 - x1) * t, y1 + (y2 - y1) * t))
        out.append((x2, y2))
    if closed and out:
        out.pop()
    return out


def clip_ring(ring: Sequence[LonLat], box: Box) -> list[LonLat]:
    """Clip a closed ring to a box (Sutherland-Hodgman); edges along the box are left where it cuts."""
    pts = list(ring)
    w, s, e, n = box
    for axis, limit, keep_above in ((0, w, True), (0, e, False), (1, s, True), (1, n, False)):
        if not pts:
            break
        out: list[LonLat] = []
        prev = pts[-1]
        prev_in = (prev[axis] >= limit) == keep_above
        for cur in pts:
            cur_in = (cur[axis] >= limit) == keep_above
            if cur_in != prev_in:
                t = (limit - prev[axis]) / (cur[axis] - prev[axis])
                other = 1 - axis
                q = prev[other] + (cur[other] - prev[other]) * t
                out.append((limit, q) if axis == 0 else (q, limit))
            if cur_in:
                out.append(cur)
            prev, prev_in = cur, cur_in
        pts = out
    return pts


def clip_line(line: Sequence[LonLat], box: Box) -> list[list[LonLat]]:
    """The runs of a polyline inside a box, each with one point beyond it at either end."""
    runs: list[list[LonLat]] = []
    cur: list[LonLat] = []
    w, s, e, n = box
    pts = list(line)
    for i, p in enumerate(pts):
        inside = w <= p[0] <= e and s <= p[1] <= n
        if inside:
            if not cur and i:
                cur.append(pts[i - 1])
            cur.append(p)
        elif cur:
            cur.append(p)
            runs.append(cur)
            cur = []
        elif i and _crosses(pts[i - 1], p, box):
            runs.append([pts[i - 1], p])
    if cur:
        runs.append(cur)
    return runs


def _crosses(a: LonLat, b: LonLat, box: Box) -> bool:
    """Whether a segment with both ends outside a box may pass through it (by their bounding box)."""
    return overlaps((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])), box)


def inside(pt: LonLat, ring: Sequence[LonLat]) -> bool:
    """Point in polygon (even-odd rule)."""
    x, y = pt
    pts = list(ring)
    hit = False
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def great_circle_km(a: LonLat, b: LonLat) -> float:
    """Distance between two points on the sphere."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))
