"""Every screen at 1280x720 against its reference image; texts inside their boxes; no missing glyphs.

Update the references after an intended change of the drawing with::

    SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy .venv/bin/python -m pytest tests/ui --update-screenshots

(or UPDATE_SCREENSHOTS=1 with any pytest command line).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest

from conftest import ATLAS, MINI, REFERENCE, Driver, make_app
from negotiation.client import slots as saves
from negotiation.engine.actions import Action
from negotiation.resources import bundled_scenarios
from negotiation.scenario.loader import load_file
from negotiation.ui.theme import Fonts

SIZE = (1280, 720)
# A pixel counts as different when a channel differs by more than this; a screen may differ in a
# few pixels (font rasterisers vary a little between FreeType builds).
PIXEL_TOLERANCE = 48
MAX_DIFFERENT = 0.004


def _skip_dossier(d: Driver) -> None:
    d.key(pygame.K_n)
    d.key(pygame.K_ESCAPE)


def _table(d: Driver) -> None:
    _skip_dossier(d)
    d.key(pygame.K_h)  # hold: a refusal, and the reply strip


def _telegrams(d: Driver) -> None:
    _table(d)
    d.key(pygame.K_h)


def _finish(d: Driver) -> None:
    _skip_dossier(d)
    app = d.app
    assert app.session is not None
    while not app.session.game.is_over():
        hist = app.session.game.historical_action()
        assert hist is not None
        app.apply(Action.parse(hist))
    while d.screen in ("telegrams", "closing"):
        d.key(pygame.K_RETURN)
    assert d.screen == "end"


def _dialog(d: Driver) -> None:
    bad = saves.slot_path("atlas", "slot1")
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b"not a save at all")
    d.key(pygame.K_l)
    d.click("slot:slot1")


def _load(d: Driver) -> None:
    _table(d)
    d.app.save_to("slot2", "A saved game")
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_l)


SCREENS: dict[str, tuple[str, Callable[[Driver], None]]] = {
    "title": ("title", lambda d: None),
    "briefing": ("briefing", lambda d: d.key(pygame.K_n)),
    "briefing_page2": ("briefing", lambda d: d.keys(pygame.K_n, pygame.K_RIGHT)),
    "table": ("table", _table),
    "telegrams": ("telegrams", _telegrams),
    "draft": ("draft", lambda d: (_table(d), d.key(pygame.K_d))),
    "map": ("map", lambda d: (_table(d), d.key(pygame.K_m))),
    "log": ("log", lambda d: (_table(d), d.key(pygame.K_l))),
    "pause": ("pause", lambda d: (_table(d), d.key(pygame.K_ESCAPE))),
    "save": ("saveload", lambda d: (_table(d), d.key(pygame.K_F5))),
    "load": ("saveload", _load),
    "settings": ("settings", lambda d: d.key(pygame.K_s)),
    "dialog": ("dialog", _dialog),
    "end_score": ("end", _finish),
    "end_chart": ("end", lambda d: (_finish(d), d.key(pygame.K_2))),
    "end_shadow": ("end", lambda d: (_finish(d), d.key(pygame.K_3))),
    "end_epilogue": ("end", lambda d: (_finish(d), d.key(pygame.K_4))),
}


@pytest.fixture
def fresh() -> Iterator[Driver]:
    yield Driver(make_app(ATLAS, size=SIZE))
    pygame.quit()


def different_fraction(a: pygame.Surface, b: pygame.Surface) -> float:
    """The fraction of pixels that differ by more than the tolerance in some channel."""
    w, h = a.get_size()
    d1 = a.copy()
    d1.blit(b, (0, 0), special_flags=pygame.BLEND_RGB_SUB)
    d2 = b.copy()
    d2.blit(a, (0, 0), special_flags=pygame.BLEND_RGB_SUB)
    d1.blit(d2, (0, 0), special_flags=pygame.BLEND_RGB_ADD)  # |a - b| per channel
    t = PIXEL_TOLERANCE
    close = pygame.transform.threshold(None, d1, (0, 0, 0), (t, t, t), set_behavior=0)
    return 1.0 - close / (w * h)


def check_frame(d: Driver) -> None:
    """No text outside its box or the window, and no glyph missing from what was drawn."""
    win = d.app.surface.get_rect()
    fonts = d.app.fonts
    for t in d.app.frame_texts:
        assert t.clipped or t.box.contains(t.rect), f"{t.text!r} at {t.rect} is outside its box {t.box}"
        assert win.contains(t.rect) or t.clipped, f"{t.text!r} leaves the window"
        assert not fonts.missing(t.text, t.face), f"{t.text!r}: no glyph for {fonts.missing(t.text, t.face)}"


def matches_reference(surface: pygame.Surface, name: str, request: pytest.FixtureRequest) -> None:
    """Compare a frame with tests/ui/reference/<name>.png (or rewrite it with --update-screenshots); on a
    difference, save the frame under screenshots/out/ and fail."""
    ref = REFERENCE / f"{name}.png"
    if request.config.getoption("--update-screenshots", default=False) or os.environ.get("UPDATE_SCREENSHOTS"):
        ref.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surface, str(ref))
        return
    assert ref.exists(), f"no reference image {ref.name}: make one with `make screenshots`"
    want = pygame.image.load(str(ref))
    got = surface.copy()
    assert want.get_size() == got.get_size()
    frac = different_fraction(got.convert(24) if got.get_bitsize() != 24 else got, want.convert(24))
    if frac > MAX_DIFFERENT:
        out = Path(request.config.rootpath) / "screenshots" / "out"
        out.mkdir(parents=True, exist_ok=True)
        pygame.image.save(got, str(out / f"{name}.png"))
        pytest.fail(f"{name}: {frac:.2%} of pixels differ from {ref} (see screenshots/out/{name}.png; "
                    "update with pytest tests/ui --update-screenshots)")


@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_matches_reference(name: str, fresh: Driver, request: pytest.FixtureRequest) -> None:
    screen, reach = SCREENS[name]
    d = fresh
    reach(d)
    d.app.dirty = True
    d.app.step([])
    assert d.screen == screen
    check_frame(d)
    matches_reference(d.app.surface, name, request)


def test_error_screen(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("weight: 10", "weight: ten"), encoding="utf-8")
    d = Driver(make_app(bad, size=SIZE))
    try:
        assert d.screen == "error"
        check_frame(d)
        d.assert_shows("The scenario could not be loaded", "broken.yaml:")
    finally:
        pygame.quit()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


SCENARIO_FILES = [ATLAS, MINI, *bundled_scenarios().values()]


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_every_scenario_text_has_glyphs(path: Path) -> None:
    """Each character of a scenario is drawn by the shipped fonts (run tools/subset_fonts.py if not)."""
    loaded = load_file(path)
    pygame.init()
    try:
        fonts = Fonts()
        missing: set[str] = set()
        for text in _strings(loaded.scenario.model_dump(mode="json")):
            for face in ("serif", "italic", "mono", "mono_bold"):
                missing |= fonts.missing(text, face)
        assert not missing, (f"{path.name}: no glyph for {' '.join(sorted(missing))}; "
                             "run .venv/bin/python tools/subset_fonts.py")
    finally:
        pygame.quit()


def test_import_does_not_start_pygame() -> None:
    """Importing the UI initialises nothing (ARCHITECTURE: no pygame.init() at import time)."""
    import subprocess
    import sys

    code = ("import pygame, negotiation.ui.app, negotiation.ui.table, negotiation.ui.end; "
            "assert not pygame.get_init() and not pygame.display.get_init()")
    subprocess.run([sys.executable, "-c", code], check=True)
