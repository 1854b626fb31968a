"""Assets drawn by code: paper and baize textures, the seal, flags, and small ornaments."""

from __future__ import annotations

import math
import random
from functools import cache
from pathlib import Path

import pygame

from negotiation.scenario.models import FLAG_IMAGE_BYTES, Flag, Side
from negotiation.ui.theme import Cache, Color, Fonts, hex_colour, mix


@cache
def paper_texture() -> pygame.Surface:
    """A grey tile to multiply over a sheet: fibres and blotches (seeded, so every run is alike)."""
    size = 128
    rng = random.Random(1945)
    surf = pygame.Surface((size, size))
    coarse = [[rng.random() for _ in range(9)] for _ in range(9)]
    px = pygame.PixelArray(surf)
    for y in range(size):
        cy = y / size * 8
        y0 = int(cy)
        fy = cy - y0
        row0, row1 = coarse[y0], coarse[(y0 + 1) % 8]
        for x in range(size):
            cx = x / size * 8
            x0 = int(cx)
            fx = cx - x0
            a = row0[x0] * (1 - fx) + row0[(x0 + 1) % 8] * fx
            b = row1[x0] * (1 - fx) + row1[(x0 + 1) % 8] * fx
            v = 246 + (a * (1 - fy) + b * fy) * 9 - rng.random() * 5
            g = max(0, min(255, round(v)))
            px[x, y] = (g, g, max(0, g - 2))  # type: ignore[index]
    del px
    for _ in range(40):  # fibres
        x, y = rng.randrange(size), rng.randrange(size)
        ang = rng.random() * math.pi
        ln = rng.randrange(4, 12)
        g = rng.randrange(228, 240)
        pygame.draw.line(surf, (g, g, g - 3), (x, y), (x + math.cos(ang) * ln, y + math.sin(ang) * ln))
    return surf


@cache
def baize_texture() -> pygame.Surface:
    """A tile for the green desk: fine noise."""
    size = 96
    rng = random.Random(8)
    surf = pygame.Surface((size, size))
    px = pygame.PixelArray(surf)
    for y in range(size):
        for x in range(size):
            g = 236 + rng.randrange(0, 20)
            px[x, y] = (g, g, g)  # type: ignore[index]
    del px
    return surf


def tile(target: pygame.Surface, texture: pygame.Surface, rect: pygame.Rect) -> None:
    """Multiply a texture over a rectangle."""
    old = target.get_clip()
    target.set_clip(rect.clip(old) if old else rect)
    tw, th = texture.get_size()
    for y in range(rect.y, rect.bottom, th):
        for x in range(rect.x, rect.right, tw):
            target.blit(texture, (x, y), special_flags=pygame.BLEND_RGB_MULT)
    target.set_clip(old)


_layers: Cache[tuple[object, ...], pygame.Surface] = Cache(48)


def desk(size: tuple[int, int], colour: Color) -> pygame.Surface:
    """The green baize of the whole window, drawn once per size (a static layer)."""
    key = ("desk", size, colour)
    got = _layers.get(key)
    if got is None:
        got = pygame.Surface(size)
        got.fill(colour)
        tile(got, baize_texture(), got.get_rect())
        _layers.put(key, got)
    return got


def sheet(size: tuple[int, int], tone: Color, edge: Color) -> pygame.Surface:
    """A sheet of paper of a size: the tone, the texture and the edge, drawn once (a static layer)."""
    key = ("sheet", size, tone, edge)
    got = _layers.get(key)
    if got is None:
        got = pygame.Surface((max(1, size[0]), max(1, size[1])))
        got.fill(tone)
        tile(got, paper_texture(), got.get_rect())
        pygame.draw.rect(got, edge, got.get_rect(), 1)
        _layers.put(key, got)
    return got


def veil(size: tuple[int, int], rgba: tuple[int, int, int, int]) -> pygame.Surface:
    """A translucent surface of one colour (a sheet's shadow, the dimming under an overlay)."""
    key = ("veil", size, rgba)
    got = _layers.get(key)
    if got is None:
        got = pygame.Surface((max(1, size[0]), max(1, size[1])), pygame.SRCALPHA)
        got.fill(rgba)
        _layers.put(key, got)
    return got


_seals: dict[tuple[int, str], pygame.Surface] = {}


def seal_chars(title_native: str) -> str:
    """Four characters for a seal from a CJK title (its first two and last two), or '' if it has none.

    中蘇友好同盟條約 gives 中蘇條約, the short name of the treaty.
    """
    cjk = [ch for ch in title_native if "\u3400" <= ch <= "\u9fff"]
    return "".join(cjk[:2] + cjk[-2:]) if len(cjk) >= 4 else ""


def seal(fonts: Fonts, size: int, chars: str = "中蘇條約", colour: Color = (170, 32, 28)) -> pygame.Surface:
    """A square vermilion chop with white characters, read in columns from the right, worn at the edges."""
    key = (size, chars)
    got = _seals.get(key)
    if got is not None:
        return got
    surf = pygame.Surface((size, size), pygame.SRCALPHA)
    pygame.draw.rect(surf, colour, surf.get_rect(), border_radius=max(2, size // 14))
    inner = surf.get_rect().inflate(-size // 8, -size // 8)
    pygame.draw.rect(surf, (250, 240, 230), inner, max(1, size // 40), border_radius=max(1, size // 20))
    n = len(chars)
    cols = 2 if n == 4 else 1
    per = n // cols
    cell = inner.h // per
    font = fonts.font("cjk", max(8, int(cell * 0.86)))
    for i, ch in enumerate(chars):
        col, row = divmod(i, per)
        img = font.render(ch, True, (250, 240, 230))
        cx = inner.right - inner.w * (2 * col + 1) // (2 * cols)
        cy = inner.y + cell * row + cell // 2
        surf.blit(img, img.get_rect(center=(cx, cy)))
    rng = random.Random(size)
    for _ in range(size // 2):  # wear: specks where the ink did not take
        x, y = rng.randrange(size), rng.randrange(size)
        r = rng.choice((1, 1, 1, 2))
        pygame.draw.circle(surf, (0, 0, 0, 0), (x, y), r)
    surf.set_alpha(225)
    _seals[key] = surf
    return surf


def _star(surface: pygame.Surface, centre: tuple[float, float], r: float, colour: Color, rot: float = -90) -> None:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.4
        a = math.radians(rot + i * 36)
        pts.append((centre[0] + math.cos(a) * rad, centre[1] + math.sin(a) * rad))
    pygame.draw.polygon(surface, colour, pts)


def _roc(surf: pygame.Surface) -> None:
    w, h = surf.get_size()
    surf.fill((254, 0, 0))
    canton = pygame.Rect(0, 0, w // 2, h // 2)
    surf.fill((0, 0, 149), canton)
    cx, cy = canton.center
    r = canton.h * 0.36
    pts = []
    for i in range(24):
        a = math.radians(i * 15 - 90)
        rad = r if i % 2 == 0 else r * 0.55
        pts.append((cx + math.cos(a) * rad, cy + math.sin(a) * rad))
    pygame.draw.polygon(surf, (255, 255, 255), pts)
    pygame.draw.circle(surf, (0, 0, 149), (cx, cy), r * 0.5)
    pygame.draw.circle(surf, (255, 255, 255), (cx, cy), r * 0.43)


def _ussr(surf: pygame.Surface) -> None:
    w, h = surf.get_size()
    surf.fill((204, 0, 0))
    gold = (255, 216, 0)
    u = h / 16
    cx, cy = w * 0.17, h * 0.42
    _star(surf, (cx, h * 0.14), u * 1.3, gold)
    r = u * 2.6
    blade = pygame.Rect(0, 0, r * 2, r * 2)
    blade.center = (round(cx), round(cy))
    pygame.draw.arc(surf, gold, blade, -math.pi * 0.95, math.pi * 0.45, max(2, round(u * 0.9)))  # the sickle
    a = -math.pi * 0.95
    sx, sy = cx + math.cos(a) * r, cy - math.sin(a) * r
    pygame.draw.line(surf, gold, (sx, sy), (sx - u * 1.1, sy + u * 1.1), max(2, round(u * 0.9)))  # its handle
    hx1, hy1 = cx + u * 1.9, cy + u * 2.3
    hx2, hy2 = cx - u * 1.2, cy - u * 0.8
    pygame.draw.line(surf, gold, (hx1, hy1), (hx2, hy2), max(2, round(u * 0.7)))  # the hammer's shaft
    d = u * 1.1
    pygame.draw.line(surf, gold, (hx2 - d * 0.7, hy2 + d * 0.7), (hx2 + d * 0.9, hy2 - d * 0.9), max(2, round(u * 1.1)))


def _usa(surf: pygame.Surface) -> None:
    w, h = surf.get_size()
    for i in range(13):
        col = (178, 34, 52) if i % 2 == 0 else (255, 255, 255)
        surf.fill(col, pygame.Rect(0, round(i * h / 13), w, math.ceil(h / 13)))
    canton = pygame.Rect(0, 0, round(w * 0.4), round(h * 7 / 13))
    surf.fill((60, 59, 110), canton)
    for r in range(4):
        for c in range(5):
            pygame.draw.circle(surf, (255, 255, 255), (canton.x + (c + 0.5) * canton.w / 5,
                                                        canton.y + (r + 0.5) * canton.h / 4), max(1, h / 40))


def _prc(surf: pygame.Surface) -> None:
    h = surf.get_height()
    surf.fill((222, 41, 16))
    gold = (255, 222, 0)
    u = h / 20  # the 1949 construction: a 30 x 20 grid in the canton
    big = (5 * u, 5 * u)
    _star(surf, big, 3 * u, gold)
    for cx, cy in ((10, 2), (12, 4), (12, 7), (10, 9)):
        rot = math.degrees(math.atan2(big[1] - cy * u, big[0] - cx * u))  # each points at the big star
        _star(surf, (cx * u, cy * u), u, gold, rot)


def _japan(surf: pygame.Surface) -> None:
    w, h = surf.get_size()
    surf.fill((255, 255, 255))
    pygame.draw.circle(surf, (188, 0, 45), (w / 2, h / 2), h * 0.3)


def _russian_empire(surf: pygame.Surface) -> None:
    w, h = surf.get_size()
    for i, col in enumerate(((255, 255, 255), (0, 57, 166), (213, 43, 30))):
        surf.fill(col, pygame.Rect(0, round(i * h / 3), w, math.ceil(h / 3)))


_DRAW = {"roc": _roc, "prc": _prc, "ussr": _ussr, "usa": _usa, "japan": _japan, "russian_empire": _russian_empire}


def _described(surf: pygame.Surface, spec: Flag, fallback: Color) -> None:
    """Draw a flag described as data: bands, canton, emblems (a field of ``fallback`` if it has no bands)."""
    w, h = surf.get_size()
    surf.fill(fallback)
    n = len(spec.bands)
    for i, colour in enumerate(spec.bands):
        c = hex_colour(colour)
        if spec.vertical:
            surf.fill(c, pygame.Rect(round(i * w / n), 0, math.ceil(w / n), h))
        else:
            surf.fill(c, pygame.Rect(0, round(i * h / n), w, math.ceil(h / n)))
    if spec.canton is not None:
        canton = pygame.Rect(0, 0, round(w * spec.canton_width), round(h * spec.canton_height))
        surf.fill(hex_colour(spec.canton), canton)
    for e in spec.emblems:
        centre = (e.x * w, e.y * h)
        r = e.size * h
        c = hex_colour(e.colour)
        if e.shape == "star":
            _star(surf, centre, r, c)
        elif e.shape == "ring":
            pygame.draw.circle(surf, c, centre, r, max(1, round(r / 4)))
        else:
            pygame.draw.circle(surf, c, centre, r)


def _image(folder: Path | None, name: str, size: tuple[int, int]) -> pygame.Surface | None:
    """A flag's image file, scaled; None if it cannot be read (the described flag is drawn instead)."""
    if folder is None:
        return None
    path = folder / name
    try:
        if path.stat().st_size > FLAG_IMAGE_BYTES:
            return None
        img = pygame.image.load(str(path))
    except (OSError, pygame.error, ValueError):
        return None
    return pygame.transform.smoothscale(img.convert() if pygame.display.get_surface() else img, size)


_flags: dict[tuple[str, int, int, str], pygame.Surface] = {}


def flag(side: Side, w: int, h: int, folder: Path | str | None = None) -> pygame.Surface:
    """A flag for a side, as its scenario gives it (Side.flag): drawn by name, described as data, or an image
    from the scenario's ``folder``; a side without one gets a field of its colour. Nothing is guessed from names.
    """
    base = Path(folder) if folder is not None else None
    key = (side.id, w, h, str(base))
    got = _flags.get(key)
    if got is not None:
        return got
    big = pygame.Surface((w * 3, h * 3))
    spec = side.flag
    c = hex_colour(side.colour)
    image = _image(base, spec.image, big.get_size()) if isinstance(spec, Flag) and spec.image else None
    if image is not None:
        big.blit(image, (0, 0))
    elif isinstance(spec, Flag):
        _described(big, spec, c)
    elif spec is not None and spec in _DRAW:
        _DRAW[spec](big)
    else:
        big.fill(c)
        big.fill(mix(c, (255, 255, 255), 0.5), pygame.Rect(0, big.get_height() * 2 // 5, big.get_width(),
                                                             big.get_height() // 5))
    surf = pygame.transform.smoothscale(big, (w, h))
    pygame.draw.rect(surf, (40, 35, 30), surf.get_rect(), 1)
    _flags[key] = surf
    return surf


def corner_ornament(surface: pygame.Surface, rect: pygame.Rect, colour: Color) -> None:
    """A double rule with corner ticks, as on a printed dossier cover."""
    pygame.draw.rect(surface, colour, rect, 2)
    pygame.draw.rect(surface, colour, rect.inflate(-10, -10), 1)
    for cx, cy in (rect.topleft, rect.topright, rect.bottomleft, rect.bottomright):
        pygame.draw.circle(surface, colour, (cx, cy), 4)
