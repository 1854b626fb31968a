"""Flags are scenario data: drawn by name, described (bands, canton, emblems), or an image; never guessed."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from pydantic import ValidationError

from negotiation.scenario.lint import lint_text
from negotiation.scenario.models import Flag, Side
from negotiation.ui import art

MINI = Path(__file__).parents[1] / "fixtures" / "mini.yaml"


def colour_at(surf: pygame.Surface, fx: float, fy: float) -> tuple[int, int, int]:
    w, h = surf.get_size()
    r, g, b, *_ = surf.get_at((int(fx * (w - 1)), int(fy * (h - 1))))
    return (r, g, b)


def near(a: tuple[int, int, int], b: tuple[int, int, int], tol: int = 12) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def test_a_side_without_a_flag_gets_its_colour_not_a_guess() -> None:
    """A side named 'Soviet Union' with no flag is not given the Soviet flag: nothing is guessed from names."""
    side = Side(id="reds", name="Soviet Union", colour="#336699")
    surf = art.flag(side, 60, 40)
    assert near(colour_at(surf, 0.2, 0.15), (0x33, 0x66, 0x99))


def test_a_described_flag_draws_its_bands_canton_and_emblem() -> None:
    spec = Flag(bands=("#ce1126", "#ffffff", "#000000"), emblems=({"shape": "disc", "colour": "#c09300", "x": 0.5,
                                                                   "y": 0.5, "size": 0.12},))
    surf = art.flag(Side(id="egypt", name="Egypt", flag=spec), 90, 60)
    assert near(colour_at(surf, 0.15, 0.15), (0xCE, 0x11, 0x26))
    assert near(colour_at(surf, 0.15, 0.5), (255, 255, 255))
    assert near(colour_at(surf, 0.15, 0.85), (0, 0, 0))
    assert near(colour_at(surf, 0.5, 0.5), (0xC0, 0x93, 0x00))
    vertical = art.flag(Side(id="fr", name="France", flag=Flag(bands=("#0055a4", "#ffffff", "#ef4135"),
                                                                vertical=True, canton="#000000",
                                                                canton_width=0.1, canton_height=0.1)), 90, 60)
    assert near(colour_at(vertical, 0.15, 0.6), (0x00, 0x55, 0xA4))
    assert near(colour_at(vertical, 0.85, 0.6), (0xEF, 0x41, 0x35))
    assert near(colour_at(vertical, 0.03, 0.03), (0, 0, 0), tol=40)


def test_an_image_beside_the_scenario_is_drawn_and_a_missing_one_falls_back(tmp_path: Path) -> None:
    img = pygame.Surface((30, 20))
    img.fill((10, 200, 30))
    pygame.image.save(img, str(tmp_path / "green.png"))
    side = Side(id="g", name="Green", flag=Flag(image="green.png", bands=("#0000ff",)))
    assert near(colour_at(art.flag(side, 45, 30, tmp_path), 0.5, 0.5), (10, 200, 30))
    assert near(colour_at(art.flag(side, 45, 30, tmp_path / "nowhere"), 0.5, 0.5), (0, 0, 255))


def test_a_flag_image_stays_inside_the_scenarios_folder() -> None:
    with pytest.raises(ValidationError, match="inside the scenario's folder"):
        Flag(image="art/../../secret.png")
    with pytest.raises(ValidationError):
        Flag(image="/etc/flag.png")


def test_lint_warns_of_a_flag_image_it_cannot_find(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace("  - {id: a, name: Side A}",
                                                     "  - {id: a, name: Side A, flag: {image: a.png}}")
    path = tmp_path / "flagged.yaml"
    result, _, _ = lint_text(text, str(path))
    found = [f for f in result.findings if f.code == "NEG160"]
    assert len(found) == 1 and found[0].field == "sides[0].flag.image" and found[0].severity == "warning"
    pygame.image.save(pygame.Surface((3, 2)), str(tmp_path / "a.png"))
    result, _, _ = lint_text(text, str(path))
    assert not [f for f in result.findings if f.code == "NEG160"]
