"""Frame times of the window's screens against a bare blit of a frame of the same size.

Each screen of the flagship is reached as a player would reach it, then drawn again and again as
after an input (a full redraw, nothing animating). The reference is the cheapest frame a pygame
game can show: one blit of a window-sized surface and a flip. Goal (issue 8): every screen well
within 16.7 ms (60 fps) under X11; the ratio to the bare blit is what to compare between machines.

Run: ``make bench-frames`` (dummy video driver), or under a real X server
``DISPLAY=:99 SDL_VIDEODRIVER=x11 .venv/bin/python benchmarks/bench_frames.py``.
Options: ``--size 1280x720``, ``--frames 60``, ``--text-size large``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("NEGOTIATION_DATA_DIR", tempfile.mkdtemp(prefix="bench-frames-"))

import pygame

from negotiation.engine.actions import Action
from negotiation.ui.app import App
from negotiation.ui.settings import Settings


def key(app: App, k: int) -> None:
    app.step([pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0)])
    app.step([])


def to_table(app: App) -> None:
    key(app, pygame.K_n)
    while app.top.name != "table":
        key(app, pygame.K_ESCAPE)


def to_decision(decision: str) -> Callable[[App], None]:
    """Play history up to a decision (the crowded one of 11 July by default)."""

    def go(app: App) -> None:
        to_table(app)
        assert app.session is not None
        game = app.session.game
        while (d := game.decision()) is not None and d.model.id != decision:
            hist = game.historical_action()
            assert hist is not None
            app.apply(Action.parse(hist))
            game = app.session.game
        while app.top.name != "table":
            key(app, pygame.K_ESCAPE)
        key(app, pygame.K_DOWN)  # a choice under focus: its stakes are drawn too

    return go


def to_end(app: App) -> None:
    to_table(app)
    assert app.session is not None
    while not app.session.game.is_over():
        hist = app.session.game.historical_action()
        assert hist is not None
        app.apply(Action.parse(hist))
    while app.top.name != "end":
        key(app, pygame.K_RETURN)


def then(first: Callable[[App], None], k: int) -> Callable[[App], None]:
    """Reach a screen, then press a key."""

    def go(app: App) -> None:
        first(app)
        key(app, k)

    return go


def nothing(app: App) -> None:
    """The title screen is where the app starts."""


CROWDED = to_decision("d0711_dairen")
SCREENS: dict[str, Callable[[App], None]] = {
    "title": nothing,
    "briefing": then(nothing, pygame.K_n),
    "table": CROWDED,
    "draft": then(CROWDED, pygame.K_d),
    "map": then(CROWDED, pygame.K_m),
    "log": then(CROWDED, pygame.K_l),
    "pause": then(to_table, pygame.K_ESCAPE),
    "end": to_end,
    "end_chart": then(to_end, pygame.K_2),
}


def bare_blit_ms(frames: int) -> float:
    """The median time of one blit of a window-sized surface and a flip."""
    surf = pygame.display.get_surface()
    assert surf is not None
    frame = pygame.Surface(surf.get_size()).convert()
    frame.fill((40, 50, 45))
    times = []
    for _ in range(frames):
        t0 = time.perf_counter()
        surf.blit(frame, (0, 0))
        pygame.display.flip()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def frame_ms(app: App, frames: int, flip: bool = True) -> float:
    """The median time of a full redraw of the screen stack (with the flip, or the drawing alone)."""
    real = pygame.display.flip
    if not flip:
        pygame.display.flip = lambda: None
    try:
        times = []
        for _ in range(frames):
            app.dirty = True
            t0 = time.perf_counter()
            app.step([])
            times.append(time.perf_counter() - t0)
    finally:
        pygame.display.flip = real
    return statistics.median(times) * 1000


def measure(name: str, size: tuple[int, int], text_size: str, frames: int, rounds: int) -> str:
    """One screen, in this process: its row of the table."""
    settings = Settings(text_size=text_size, animation="off", sound=False)
    app = App("moscow1945", size=size, settings=settings, now=lambda: dt.datetime(1945, 8, 14), clock=lambda: 0.0)
    app.step()
    SCREENS[name](app)
    bare = frame = draw = float("inf")
    for _ in range(rounds):  # the machine's speed drifts: alternate, and keep the best of each
        bare = min(bare, bare_blit_ms(frames))
        frame = min(frame, frame_ms(app, frames))
        draw = min(draw, frame_ms(app, frames, flip=False))
    pygame.quit()
    return f"{name:<12} {frame:>9.2f} {draw:>8.2f} {bare:>8.2f} {frame / max(bare, 1e-6):>11.1f}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="1280x720")
    p.add_argument("--frames", type=int, default=30)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--text-size", default="medium", choices=["small", "medium", "large"])
    p.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # measure one screen in this process
    p.add_argument("screens", nargs="*", default=list(SCREENS))
    args = p.parse_args()
    w, h = (int(x) for x in args.size.split("x"))
    if args.one:
        print(measure(args.screens[0], (w, h), args.text_size, args.frames, args.rounds), flush=True)
        return 0
    print(f"video driver {os.environ['SDL_VIDEODRIVER']}, {w}x{h}, text {args.text_size}; per screen {args.rounds} "
          f"rounds of {args.frames} frames alternating with the bare blit, best round kept; "
          f"Python {sys.version.split()[0]}, pygame-ce {pygame.version.ver}")
    print(f"{'screen':<12} {'frame ms':>9} {'draw ms':>8} {'bare ms':>8} {'frame/bare':>11}")
    for name in args.screens:  # each screen in a process of its own: a fresh window, fresh caches
        out = subprocess.run([sys.executable, __file__, "--one", "--size", args.size, "--frames", str(args.frames),
                              "--rounds", str(args.rounds), "--text-size", args.text_size, name],
                             capture_output=True, text=True, check=True)
        print(out.stdout.strip().splitlines()[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
