"""Fixtures of the UI tests: a window under SDL's dummy driver, driven by synthetic events."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest

from negotiation.ui.app import App
from negotiation.ui.settings import Settings

HERE = Path(__file__).parent
ATLAS = HERE / "fixtures" / "atlas.yaml"
MINI = HERE.parent / "fixtures" / "mini.yaml"
REFERENCE = HERE / "reference"
FIXED_NOW = dt.datetime(1945, 8, 14, 12, 0)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-screenshots", action="store_true", default=False,
                     help="rewrite tests/ui/reference/*.png from the current drawing")


class Driver:
    """Drives an App with synthetic keys and clicks, and reads what it drew."""

    def __init__(self, app: App) -> None:
        self.app = app
        app.step()

    # ------------------------------------------------------------ input
    def key(self, key: int, mod: int = 0, text: str = "") -> None:
        self.app.step([pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=text, scancode=0)])
        self.app.step([])

    def keys(self, *keys: int) -> None:
        for k in keys:
            self.key(k)

    def type(self, text: str) -> None:
        self.app.step([pygame.event.Event(pygame.TEXTINPUT, text=text)])

    def hit_rect(self, ident: str) -> pygame.Rect:
        for name, rect, enabled in self.app._hits:
            if name == ident:
                assert enabled, f"{ident} is disabled"
                return rect
        raise AssertionError(f"no button {ident!r} on screen {self.app.top.name}; have "
                             f"{[h[0] for h in self.app._hits]}")

    def click(self, ident: str) -> None:
        pos = self.hit_rect(ident).center
        self.app.step([pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)),
                       pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1),
                       pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)])
        self.app.step([])

    def click_text(self, text: str) -> None:
        """Click the button whose drawn label contains ``text``."""
        for t in self.app.frame_texts:
            if text in t.text:
                pos = t.rect.center
                for name, rect, _ in reversed(self.app._hits):
                    if rect.collidepoint(pos):
                        self.click(name)
                        return
        raise AssertionError(f"no clickable text {text!r}")

    def resize(self, w: int, h: int) -> None:
        self.app.surface = pygame.display.set_mode((w, h), pygame.RESIZABLE)
        self.app.step([pygame.event.Event(pygame.VIDEORESIZE, w=w, h=h, size=(w, h))])

    # ------------------------------------------------------------ output
    @property
    def screen(self) -> str:
        return self.app.top.name

    def texts(self, layer: str | None = None) -> list[str]:
        return [t.text for t in self.app.frame_texts if layer is None or t.layer == layer]

    def all_text(self) -> str:
        return "\n".join(self.texts())

    def shows(self, fragment: str) -> bool:
        return any(fragment in t for t in self.texts())

    def assert_shows(self, *fragments: str) -> None:
        text = self.all_text()
        for f in fragments:
            assert f in text, f"{f!r} not drawn on {self.screen}; drawn:\n{text}"


def make_app(scenario: Path | str, size: tuple[int, int] = (1280, 720), seed: int = 0, author: bool = False) -> App:
    """An App under test: no animation, no sound, a fixed clock for save dates (author mode only if asked)."""
    settings = Settings.load()
    settings.animation = "off"
    settings.sound = False
    return App(scenario, seed=seed, size=size, settings=settings, now=lambda: FIXED_NOW, clock=lambda: 0.0,
               author=author)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Saves and settings in a fresh temporary folder for every test."""
    d = tmp_path / "userdata"
    monkeypatch.setenv("NEGOTIATION_DATA_DIR", str(d))
    monkeypatch.delenv("NEGOTIATION_CONFIG_DIR", raising=False)
    yield d


@pytest.fixture
def atlas() -> Iterator[Driver]:
    """The UI on the atlas fixture (briefing, map, two articles)."""
    yield Driver(make_app(ATLAS))
    pygame.quit()


@pytest.fixture
def driver_for() -> Iterator[object]:
    """Make drivers for any scenario path; closes pygame afterwards."""
    yield lambda path, **kw: Driver(make_app(path, **kw))
    pygame.quit()
