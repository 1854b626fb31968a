"""Colours (from assets/ui/theme.json), fonts with per-glyph fallback, and word wrapping."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pygame
import pygame.freetype

from negotiation.resources import assets_dir

Color = tuple[int, int, int]
K = TypeVar("K")
V = TypeVar("V")


class Cache(Generic[K, V]):
    """A small least-recently-used cache (rendered text, wrapped lines, static layers)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._d: OrderedDict[K, V] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        v = self._d.get(key)
        if v is None:
            self.misses += 1
            return None
        self._d.move_to_end(key)
        self.hits += 1
        return v

    def put(self, key: K, value: V) -> V:
        self._d[key] = value
        if len(self._d) > self.size:
            self._d.popitem(last=False)
        return value

    def clear(self) -> None:
        self._d.clear()

    def __len__(self) -> int:
        return len(self._d)

_DEFAULT_COLOURS: dict[str, str] = {
    "desk": "#1f2a24", "desk_light": "#2c3b33", "bar": "#2a211a", "bar_text": "#e3cf9c", "brass": "#c9a55a",
    "paper": "#efe5cc", "paper_dark": "#e2d4b3", "paper_edge": "#b9a47c", "ink": "#2a241d",
    "ink_soft": "#5f5446", "ink_faint": "#8d806c", "red": "#9c2b23", "red_soft": "#c4574c",
    "blue": "#1f3a6b", "green": "#3c6a3a", "amber": "#a8741a", "focus": "#b8862b", "hover": "#f7efd9",
    "button": "#e8dcbd", "button_text": "#2a241d", "disabled": "#a99c84", "shadow": "#0d120f",
    "sea": "#b9c6c0", "land": "#e6dbbd", "rail": "#2a241d", "frontier": "#6b4e3d", "arrow": "#b3261e",
}


METER_COLOURS = ("#9c2b23", "#1f3a6b", "#3c6a3a", "#a8741a", "#6b3d7a", "#2f6f73")
"""Each meter's own colour, in the order of the scenario's visible meters: its bar on the table and its line on
the end screen's chart."""


def meter_colour(index: int) -> Color:
    """The colour of the ``index``-th visible meter."""
    return hex_colour(METER_COLOURS[index % len(METER_COLOURS)])


def hex_colour(text: str) -> Color:
    """'#rrggbb' -> (r, g, b)."""
    t = text.lstrip("#")
    return int(t[0:2], 16), int(t[2:4], 16), int(t[4:6], 16)


def mix(a: Color, b: Color, t: float) -> Color:
    """Blend two colours: t=0 gives a, t=1 gives b."""
    t = max(0.0, min(1.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


class Palette:
    """Named colours, read from the theme file."""

    def __init__(self, path: Path | None = None) -> None:
        names = dict(_DEFAULT_COLOURS)
        path = path or assets_dir() / "ui" / "theme.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            names.update({k: v for k, v in data.items() if not k.startswith("_") and isinstance(v, str)})
        except (OSError, ValueError):
            pass
        self._c = {k: hex_colour(v) for k, v in names.items()}

    def __getattr__(self, name: str) -> Color:
        try:
            return self._c[name]
        except KeyError:
            raise AttributeError(name) from None


FACES = {
    "serif": "EBGaramond12-Regular.otf",
    "italic": "EBGaramond12-Italic.otf",
    "mono": "CourierPrime-Regular.otf",
    "mono_bold": "CourierPrime-Bold.otf",
    "cjk": "NotoSerifTC-Subset.otf",
}
FALLBACK = ("serif", "cjk")
FALLBACK_SCALE = {"cjk": 0.88}  # CJK glyphs fill the em; a little smaller they sit well beside Latin text


@dataclass(frozen=True, slots=True)
class Style:
    """A face, a size (before the text-size setting) and a colour."""

    face: str
    size: int
    colour: Color


class Fonts:
    """Fonts by face and size, scaled by the text-size setting; glyphs missing from a face fall back."""

    def __init__(self, scale: float = 1.0) -> None:
        self.dir = assets_dir() / "fonts"
        self.scale = scale
        self._fonts: dict[tuple[str, int], pygame.font.Font] = {}
        self._probe: dict[str, pygame.freetype.Font] = {}
        self._has: dict[tuple[str, str], bool] = {}
        self._width: dict[tuple[str, int, str], int] = {}
        self._runs: Cache[tuple[str, str], list[tuple[str, str]]] = Cache(8000)
        self._rendered: Cache[tuple[str, str, int, Color], tuple[pygame.Surface, int]] = Cache(1500)
        self._wrapped: Cache[tuple[str, str, int, int], list[str]] = Cache(1500)
        self._cut: Cache[tuple[str, str, int, int], str] = Cache(3000)

    def px(self, size: int) -> int:
        """A nominal size in pixels after the text-size setting."""
        return max(8, round(size * self.scale))

    def font(self, face: str, size: int) -> pygame.font.Font:
        """A pygame Font (cached); ``size`` is already scaled."""
        key = (face, size)
        f = self._fonts.get(key)
        if f is None:
            f = pygame.font.Font(str(self.dir / FACES[face]), size)
            self._fonts[key] = f
        return f

    def has_glyph(self, face: str, ch: str) -> bool:
        """Whether ``face`` has a real glyph for ``ch`` (not the .notdef box)."""
        key = (face, ch)
        got = self._has.get(key)
        if got is None:
            probe = self._probe.get(face)
            if probe is None:
                if not pygame.freetype.get_init():
                    pygame.freetype.init()
                probe = pygame.freetype.Font(str(self.dir / FACES[face]), 12)
                self._probe[face] = probe
            got = ch in "\n\t" or probe.get_metrics(ch)[0] is not None
            self._has[key] = got
        return got

    def face_for(self, face: str, ch: str) -> str | None:
        """The face that will draw ``ch``: the asked one, else a fallback; None if none can."""
        if self.has_glyph(face, ch):
            return face
        for fb in FALLBACK:
            if fb != face and self.has_glyph(fb, ch):
                return fb
        return None

    def runs(self, text: str, face: str) -> list[tuple[str, str]]:
        """Split text into runs drawn by one face each (cached: the lookup is per character)."""
        key = (text, face)
        got = self._runs.get(key)
        if got is not None:
            return got
        out: list[tuple[str, str]] = []
        for ch in text:
            f = self.face_for(face, ch) or face
            if out and out[-1][0] == f:
                out[-1] = (f, out[-1][1] + ch)
            else:
                out.append((f, ch))
        return self._runs.put(key, out)

    def wrap(self, text: str, face: str, size: int, width: int) -> list[str]:
        """Word-wrapped lines of ``text`` (cached)."""
        key = (text, face, size, width)
        got = self._wrapped.get(key)
        if got is None:
            got = self._wrapped.put(key, wrap(self, text, face, size, width))
        return got

    def ellipsize(self, text: str, face: str, size: int, width: int) -> str:
        """``text`` cut to ``width`` with an ellipsis (cached)."""
        key = (text, face, size, width)
        got = self._cut.get(key)
        if got is None:
            got = self._cut.put(key, ellipsize(self, text, face, size, width))
        return got

    def width(self, text: str, face: str, size: int) -> int:
        """Width in pixels of one line (``size`` already scaled)."""
        key = (face, size, text)
        w = self._width.get(key)
        if w is None:
            w = sum(self.font(f, size if f == face else round(size * FALLBACK_SCALE.get(f, 1.0))).size(t)[0]
                    for f, t in self.runs(text, face))
            if len(self._width) > 20000:
                self._width.clear()
            self._width[key] = w
        return w

    def line_height(self, face: str, size: int) -> int:
        """Distance between baselines."""
        return max(self.font(face, size).get_linesize(), round(size * 1.22))

    def render(self, text: str, face: str, size: int, colour: Color) -> tuple[pygame.Surface, int]:
        """Render one line (cached), with fallback faces baseline-aligned; return it and how far it rises
        above the main face's top (to keep the main face's baseline where the caller expects it)."""
        key = (text, face, size, colour)
        got = self._rendered.get(key)
        if got is None:
            got = self._rendered.put(key, self._render(text, face, size, colour))
        return got

    def _render(self, text: str, face: str, size: int, colour: Color) -> tuple[pygame.Surface, int]:
        runs = self.runs(text, face)
        main = self.font(face, size)
        if len(runs) == 1 and runs[0][0] == face:
            return main.render(text, True, colour), 0
        parts = [(self.font(f, size if f == face else round(size * FALLBACK_SCALE.get(f, 1.0))), t)
                 for f, t in runs]
        ascent = max(f.get_ascent() for f, _ in parts)
        descent = max(-f.get_descent() for f, _ in parts)
        width = sum(f.size(t)[0] for f, t in parts)
        surf = pygame.Surface((max(1, width), ascent + descent), pygame.SRCALPHA)
        x = 0
        for f, t in parts:
            img = f.render(t, True, colour)
            surf.blit(img, (x, ascent - f.get_ascent()))
            x += img.get_width()
        return surf, max(0, ascent - main.get_ascent())

    def missing(self, text: str, face: str) -> set[str]:
        """Characters that no face can draw."""
        return {ch for ch in set(text) if ch not in " \n\t" and self.face_for(face, ch) is None}


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


def _tokens(paragraph: str) -> list[str]:
    """Words with their trailing spaces; each CJK character is its own token."""
    out: list[str] = []
    cur = ""
    for ch in paragraph:
        if _is_cjk(ch):
            if cur:
                out.append(cur)
                cur = ""
            out.append(ch)
        elif ch == " ":
            cur += ch
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def wrap(fonts: Fonts, text: str, face: str, size: int, width: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels; newlines start new lines; over-long words are split."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in _tokens(para):
            trial = line + tok
            if fonts.width(trial.rstrip(), face, size) <= width or not line.strip():
                line = trial
                while fonts.width(line.rstrip(), face, size) > width and len(line.rstrip()) > 1:
                    cut = len(line)
                    while cut > 1 and fonts.width(line[:cut], face, size) > width:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
            else:
                lines.append(line.rstrip())
                line = tok
        lines.append(line.rstrip())
    return lines


def ellipsize(fonts: Fonts, text: str, face: str, size: int, width: int) -> str:
    """Cut a line to ``width`` with an ellipsis."""
    if fonts.width(text, face, size) <= width:
        return text
    lo = 0
    while lo < len(text) and fonts.width(text[: lo + 1] + "…", face, size) <= width:
        lo += 1
    return text[:lo].rstrip() + "…"
