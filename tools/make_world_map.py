"""Build assets/map/world.json.gz, the coastlines and borders the map screen draws, from Natural Earth.

A maintainer runs this once (never at install or run time); the game only reads its output::

    python3 tools/make_world_map.py                      # fetches world-atlas@2.0.2 with `npm pack`
    python3 tools/make_world_map.py path/to/countries-50m.json

The source is the ``world-atlas`` package of the npm registry (Mike Bostock's TopoJSON redistribution
of Natural Earth 4.1.0, 1:50m Admin 0 countries, with the ``land`` object merged from them). Natural
Earth is in the public domain; world-atlas is under the ISC licence. This script:

* decodes the topology's shared arcs to longitude/latitude,
* simplifies each arc once (Douglas-Peucker, ``TOLERANCE`` degrees), so that neighbours still meet,
* drops islands smaller than ``MIN_AREA`` square degrees,
* keeps the land polygons (outer ring, then holes) and, as borders, the arcs two countries share,
* quantizes to ``UNITS`` per degree, delta-codes each ring or line, and writes gzipped JSON
  (``mtime=0``, so the same input gives the same bytes),
* writes assets/map/PROVENANCE.md and the package's licence (LICENSE-world-atlas.txt) beside it.

Format ``negotiation-world/1``::

    {"format": "negotiation-world/1", "units_per_degree": 100,
     "land": [[ring, hole, ...], ...], "borders": [line, ...]}

where every ring and line is a flat list ``[x0, y0, dx1, dy1, dx2, dy2, ...]`` of integers
(x = longitude × units, y = latitude × units; each later pair is the difference from the previous point).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "assets" / "map"
PACKAGE = "world-atlas@2.0.2"
SOURCE_FILE = "countries-50m.json"
TOLERANCE = 0.012  # degrees (~1.3 km): finer than a pixel of the inset at its usual magnification
MIN_AREA = 0.01  # square degrees: islands smaller than about 10 km x 10 km are left out
UNITS = 100  # per degree

Point = tuple[float, float]


def fetch_source(workdir: Path) -> Path:
    """`npm pack` the world-atlas package into workdir and return its countries-50m.json."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    tgz = next(workdir.glob("world-atlas-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / SOURCE_FILE


def decode_arcs(topo: dict) -> list[list[Point]]:  # type: ignore[type-arg]
    """The topology's arcs as lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topo["arcs"]:
        x = y = 0
        pts: list[Point] = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def simplify(pts: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker, keeping both ends (iterative, for long arcs)."""
    if len(pts) < 3:
        return list(pts)
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = pts[a], pts[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm > 0 else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if d > best:
                best, at = d, i
        if at > 0 and best > tol:
            keep[at] = True
            stack.append((a, at))
            stack.append((at, b))
    return [p for p, k in zip(pts, keep, strict=True) if k]


def ring_from(refs: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Stitch arc references (~i means arc i reversed) into one ring."""
    out: list[Point] = []
    for r in refs:
        pts = arcs[r] if r >= 0 else arcs[~r][::-1]
        out.extend(pts[1:] if out else pts)
    return out


def area(ring: list[Point]) -> float:
    """Unsigned shoelace area in square degrees."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def encode(pts: list[Point]) -> list[int]:
    """Quantize and delta-code; repeated points after quantizing are dropped."""
    out: list[int] = []
    px = py = None
    for lon, lat in pts:
        x, y = round(lon * UNITS), round(lat * UNITS)
        if (x, y) == (px, py):
            continue
        if px is None or py is None:
            out += [x, y]
        else:
            out += [x - px, y - py]
        px, py = x, y
    return out


def build(topo: dict) -> dict:  # type: ignore[type-arg]
    """The compact world: land polygons and shared country borders."""
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topo)]
    land: list[list[list[int]]] = []
    for geom in topo["objects"]["land"]["geometries"]:
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for poly in polys:
            rings = [ring_from(refs, arcs) for refs in poly]
            if len(rings[0]) < 4 or area(rings[0]) < MIN_AREA:
                continue
            enc = [encode(r) for r in rings if len(r) >= 4 and area(r) >= MIN_AREA]
            if enc and len(enc[0]) >= 6:
                land.append(enc)
    users: dict[int, set[int]] = {}
    for n, geom in enumerate(topo["objects"]["countries"]["geometries"]):
        polys = geom.get("arcs", [])
        polys = polys if geom["type"] == "MultiPolygon" else [polys]
        for poly in polys:
            for refs in poly:
                for r in refs:
                    users.setdefault(r if r >= 0 else ~r, set()).add(n)
    borders = [encode(arcs[i]) for i in sorted(users) if len(users[i]) >= 2 and len(arcs[i]) >= 2]
    return {"format": "negotiation-world/1", "units_per_degree": UNITS, "land": land,
            "borders": [b for b in borders if len(b) >= 4]}


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(argv[1]) if len(argv) > 1 else fetch_source(Path(tmp))
        raw = src.read_bytes()
        world = build(json.loads(raw))
        licence = src.parent / "LICENSE"
        if licence.is_file():
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            (OUT_DIR / "LICENSE-world-atlas.txt").write_bytes(licence.read_bytes())
    text = json.dumps(world, separators=(",", ":")).encode("utf-8")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "world.json.gz"
    out.write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
    points = sum(len(r) // 2 for p in world["land"] for r in p) + sum(len(b) // 2 for b in world["borders"])
    (OUT_DIR / "PROVENANCE.md").write_text(PROVENANCE.format(
        package=PACKAGE, source=SOURCE_FILE, sha256=hashlib.sha256(raw).hexdigest(), tol=TOLERANCE,
        min_area=MIN_AREA, units=UNITS, polygons=len(world["land"]), borders=len(world["borders"]),
        points=points, size=out.stat().st_size, date=dt.date.today().isoformat()), encoding="utf-8")
    print(f"{out}: {out.stat().st_size} bytes, {len(world['land'])} land polygons, "
          f"{len(world['borders'])} borders, {points} points")
    return 0


PROVENANCE = """# assets/map: where the world map comes from

`world.json.gz` holds the coastlines, land and country borders that the map screen draws under each
scenario's own (historical) regions, lines and places.

- **Source**: [Natural Earth](https://www.naturalearthdata.com/) 4.1.0, 1:50m cultural vectors,
  Admin 0 countries, as redistributed in TopoJSON by the npm package `{package}` (file `{source}`,
  sha256 `{sha256}`; its `land` object is the union of the countries).
- **Licences**: Natural Earth is in the public domain ("No permission is needed to use Natural
  Earth"); the world-atlas package is under the ISC licence, Copyright 2013-2019 Michael Bostock.
- **Made on** {date} by `python3 tools/make_world_map.py` (which runs `npm pack {package}` in a
  temporary folder; or pass the path of a `{source}` you already have).
- **Processing**: each shared arc simplified once with Douglas-Peucker at {tol} degrees; islands and
  lakes under {min_area} square degrees dropped; coordinates quantized to 1/{units} degree and
  delta-coded; gzipped JSON in the format described in the script's docstring. {polygons} land
  polygons, {borders} border lines, {points} points, {size} bytes.
- **Modern borders**: the country borders are today's (Natural Earth), drawn faintly for orientation
  only; every historical frontier, region and line on a map comes from the scenario's `map:` data.

Nothing is downloaded when the game is installed or run.
"""

if __name__ == "__main__":
    sys.exit(main(sys.argv))
