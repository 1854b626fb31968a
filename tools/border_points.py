"""Print the border between two countries of Natural Earth as YAML [lon, lat] points, for a scenario's map.

An authoring aid, run by hand (never by the game): modern borders that follow an older frontier (the
Amur and the Ussuri, the Tumen and the Yalu, Mongolia's) can be copied into a scenario's ``map:`` block
instead of being drawn by eye. For example::

    python3 tools/border_points.py China Russia --tolerance 0.08
    python3 tools/border_points.py China Mongolia --source /tmp/package/countries-50m.json

Without ``--source`` it runs ``npm pack world-atlas@2.0.2`` in a temporary folder (see
tools/make_world_map.py). Each chain of shared arcs is printed on its own, simplified with
Douglas-Peucker at ``--tolerance`` degrees and rounded to two decimals.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_world_map import decode_arcs, fetch_source, simplify  # noqa: E402


def shared_chains(topo: dict, a: str, b: str) -> list[list[tuple[float, float]]]:  # type: ignore[type-arg]
    """The arcs that countries a and b share, stitched into chains."""
    arcs = decode_arcs(topo)
    users: dict[int, set[str]] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        polys = geom.get("arcs", [])
        polys = polys if geom["type"] == "MultiPolygon" else [polys]
        for poly in polys:
            for refs in poly:
                for r in refs:
                    users.setdefault(r if r >= 0 else ~r, set()).add(name)
    pieces = [list(arcs[i]) for i, names in sorted(users.items()) if {a, b} <= names]
    chains: list[list[tuple[float, float]]] = []
    while pieces:
        chain = pieces.pop(0)
        grown = True
        while grown:
            grown = False
            for p in list(pieces):
                if p[0] == chain[-1]:
                    chain += p[1:]
                elif p[-1] == chain[-1]:
                    chain += p[::-1][1:]
                elif p[-1] == chain[0]:
                    chain = p + chain[1:]
                elif p[0] == chain[0]:
                    chain = p[::-1] + chain[1:]
                else:
                    continue
                pieces.remove(p)
                grown = True
        chains.append(chain)
    return chains


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", help="a country's Natural Earth name, e.g. China")
    ap.add_argument("b", help="the other country, e.g. Russia")
    ap.add_argument("--tolerance", type=float, default=0.1, help="simplification in degrees (default 0.1)")
    ap.add_argument("--source", help="a countries-50m.json already on disk")
    args = ap.parse_args(argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(args.source) if args.source else fetch_source(Path(tmp))
        topo = json.loads(src.read_text(encoding="utf-8"))
    chains = shared_chains(topo, args.a, args.b)
    if not chains:
        print(f"no shared border between {args.a!r} and {args.b!r}", file=sys.stderr)
        return 1
    for chain in chains:
        pts = simplify(chain, args.tolerance)
        print("[" + ", ".join(f"[{lon:.2f}, {lat:.2f}]" for lon, lat in pts) + "]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
