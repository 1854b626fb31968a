"""Hot reload for authors: Ctrl+R reloads the scenario from disk and replays the moves made so far."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pygame

from conftest import ATLAS, Driver


def start(driver_for: Callable[..., Driver], tmp_path: Path) -> tuple[Driver, Path]:
    path = tmp_path / "atlas.yaml"
    shutil.copy(ATLAS, path)
    d = driver_for(path, author=True)
    d.key(pygame.K_n)
    while d.screen != "table":
        d.key(pygame.K_ESCAPE)  # past the dossier and the opening telegrams
    d.key(pygame.K_2)  # one move, refused
    return d, path


def test_reload_replays_the_moves_on_the_edited_scenario(driver_for: Callable[..., Driver], tmp_path: Path) -> None:
    d, path = start(driver_for, tmp_path)
    log = list(d.app.session.game.action_log)  # type: ignore[union-attr]
    path.write_text(path.read_text(encoding="utf-8").replace("Chinese free port", "A free Chinese harbour"),
                    encoding="utf-8")
    d.key(pygame.K_r, pygame.KMOD_CTRL)
    game = d.app.session.game  # type: ignore[union-attr]
    assert game.action_log == log
    assert d.app.loaded is not None and "A free Chinese harbour" in path.read_text(encoding="utf-8")
    assert game.rules.articles["port"].model.positions[0].label == "A free Chinese harbour"
    assert d.screen == "table"
    d.assert_shows("Scenario reloaded from disk: 1 move replayed.", "A free Chinese harbour")


def test_a_broken_edit_shows_diagnostics_and_keeps_the_old_game(driver_for: Callable[..., Driver],
                                                                tmp_path: Path) -> None:
    d, path = start(driver_for, tmp_path)
    old = d.app.session.game  # type: ignore[union-attr]
    path.write_text(path.read_text(encoding="utf-8").replace("historical: shared", "historical: nowhere", 1),
                    encoding="utf-8")
    d.key(pygame.K_r, pygame.KMOD_CTRL)
    assert d.screen == "error"
    d.assert_shows("The edited scenario does not validate", "position of 'port' 'nowhere'",
                   "Back to the game")
    d.key(pygame.K_ESCAPE)
    assert d.screen == "table" and d.app.session.game is old  # type: ignore[union-attr]
    d.key(pygame.K_1)
    assert len(old.action_log) == 2  # the old scenario is still playable


def test_reload_is_for_authors_only(driver_for: Callable[..., Driver], tmp_path: Path) -> None:
    """Without author mode (NEGOTIATION_AUTHOR or --author), Ctrl+R does nothing: a player cannot reload by mistake."""
    path = tmp_path / "atlas.yaml"
    shutil.copy(ATLAS, path)
    d = driver_for(path)
    d.key(pygame.K_n)
    while d.screen != "table":
        d.key(pygame.K_ESCAPE)
    game = d.app.session.game  # type: ignore[union-attr]
    path.write_text(path.read_text(encoding="utf-8").replace("Chinese free port", "Edited"), encoding="utf-8")
    d.key(pygame.K_r, pygame.KMOD_CTRL)
    assert d.app.session.game is game  # type: ignore[union-attr]
    assert not d.shows("Scenario reloaded")
