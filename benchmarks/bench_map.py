"""The map screen's frame time against a bare blit of a surface the same size, under SDL's dummy driver.

A frame of the map is the top bar and one blit of the cached drawing; the drawing itself is rebuilt only
when the window, the text size or the draft changes (that cost is reported too). Run::

    SDL_VIDEODRIVER=dummy .venv/bin/python benchmarks/bench_map.py [SCENARIO] [--size 1280x720] [--frames 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("NEGOTIATION_DATA_DIR", tempfile.mkdtemp(prefix="bench-map-"))

import pygame

from negotiation.ui import mapview
from negotiation.ui.app import App
from negotiation.ui.settings import Settings


def best_of(fn: object, n: int, rounds: int = 5) -> float:
    """Best mean seconds per call over a few rounds of n calls."""
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()  # type: ignore[operator]
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="moscow1945")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--frames", type=int, default=200)
    args = ap.parse_args(argv[1:])
    w, h = (int(v) for v in args.size.split("x"))
    settings = Settings()
    settings.animation = "off"
    settings.sound = False
    app = App(args.scenario, size=(w, h), settings=settings, clock=lambda: 0.0)
    app.new_game()
    while app.top.name != "table":
        app.pop()
    app.top.act("go:map")  # type: ignore[attr-defined]
    app.step([])
    assert app.top.name == "map", app.top.name

    def frame() -> None:
        app.dirty = True
        app.step([])

    def rebuild() -> None:
        mapview._CACHE.clear()
        frame()

    screen = app.surface
    source = pygame.Surface((w, h)).convert()

    def blit() -> None:
        screen.blit(source, (0, 0))
        pygame.display.flip()

    builds = [best_of(rebuild, 1, rounds=1) for _ in range(5)]
    frame()
    map_frame = best_of(frame, args.frames)
    bare = best_of(blit, args.frames)
    print(f"map screen, {args.scenario}, {w}x{h}, {pygame.display.get_driver()} driver")
    print(f"  bare blit of {w}x{h} + flip : {bare * 1000:7.3f} ms")
    print(f"  map frame (bar + cache)     : {map_frame * 1000:7.3f} ms  ({map_frame / bare:.1f} bare blits)")
    print(f"  rebuilding the cached map   : {statistics.median(builds) * 1000:7.1f} ms (median of 5; on a size "
          "or draft change only)")
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
