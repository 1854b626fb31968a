"""Saves from the window: slots with a name and a date, the autosave, load, and damaged files."""

from __future__ import annotations

import json
from pathlib import Path

import pygame

from conftest import ATLAS, Driver, make_app
from negotiation.client import slots as saves
from negotiation.ui.settings import Settings


def start(d: Driver) -> None:
    d.key(pygame.K_n)
    d.key(pygame.K_ESCAPE)  # skip the dossier
    assert d.screen == "table"


def test_save_quit_start_again_load_same_game_same_screen(driver_for, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    d: Driver = driver_for(ATLAS)
    start(d)
    d.key(pygame.K_h)  # hold
    d.key(pygame.K_3)  # propose the shared port
    while d.screen == "telegrams":
        d.key(pygame.K_RETURN)
    d.key(pygame.K_d)
    assert d.screen == "draft"
    d.key(pygame.K_s, pygame.KMOD_CTRL)
    assert d.screen == "saveload"
    d.assert_shows("Save the game", "Slot 1", "Empty")
    d.key(pygame.K_RETURN)  # slot 1 has the focus: edit its name
    for _ in range(80):
        d.key(pygame.K_BACKSPACE)
    d.type("Before the railways")
    d.key(pygame.K_RETURN)
    assert d.screen == "draft"
    game = d.app.session.game  # type: ignore[union-attr]
    actions, state = game.action_log, json.dumps(game.state.to_dict(), sort_keys=True)
    path = saves.slot_path("atlas", "slot1")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["meta"]["name"] == "Before the railways"
    assert data["meta"]["saved_at"] == "1945-08-14 12:00"
    assert data["meta"]["screen"] == "draft"
    assert str(path).startswith(str(data_dir))
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_q)  # quit from the pause menu
    assert not d.app.running
    pygame.quit()

    d2 = Driver(make_app(ATLAS))  # start again
    assert d2.screen == "title"
    d2.key(pygame.K_l)
    assert d2.screen == "saveload"
    d2.assert_shows("Load a game", "Slot 1: Before the railways", "saved 1945-08-14 12:00")
    d2.click("slot:slot1")
    assert d2.screen == "draft"
    g2 = d2.app.session.game  # type: ignore[union-attr]
    assert g2.action_log == actions
    assert json.dumps(g2.state.to_dict(), sort_keys=True) == state
    d2.assert_shows("The draft treaty")
    d2.key(pygame.K_t)
    d2.assert_shows("Loaded: Before the railways.")


def test_continue_loads_the_autosave(driver_for) -> None:  # type: ignore[no-untyped-def]
    d: Driver = driver_for(ATLAS)
    start(d)
    d.key(pygame.K_h)
    log = d.app.session.game.action_log  # type: ignore[union-attr]
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_t)  # to the title screen
    assert d.screen == "title"
    d.key(pygame.K_c)
    assert d.screen == "table"
    assert d.app.session.game.action_log == log  # type: ignore[union-attr]


def test_corrupt_save_shows_an_error_and_the_game_goes_on(driver_for) -> None:  # type: ignore[no-untyped-def]
    d: Driver = driver_for(ATLAS)
    bad = saves.slot_path("atlas", "slot2")
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(b'{"format": "negotiation-save", "version": 1, "min')
    edited = saves.slot_path("atlas", "slot3")
    start(d)
    d.key(pygame.K_h)
    d.app.save_to("slot3", "edited")
    data = json.loads(edited.read_text(encoding="utf-8"))
    data["actions"] = [["first", "accept"], ["first", "walkout"]]
    edited.write_text(json.dumps(data), encoding="utf-8")
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_l)
    d.assert_shows("Damaged save")
    d.click("slot:slot2")
    assert d.screen == "dialog"
    d.assert_shows("This save cannot be loaded", "corrupt")
    d.key(pygame.K_RETURN)
    assert d.screen == "saveload"
    d.click("slot:slot3")
    assert d.screen == "dialog"
    d.assert_shows("This save cannot be loaded")
    d.key(pygame.K_RETURN)
    d.key(pygame.K_ESCAPE)
    assert d.screen == "pause"  # back to the menu the load screen was opened from
    d.key(pygame.K_ESCAPE)
    assert d.screen == "table" and d.app.running
    d.key(pygame.K_h)
    assert len(d.app.session.game.action_log) == 2  # type: ignore[union-attr]


def test_settings_persist(driver_for) -> None:  # type: ignore[no-untyped-def]
    d: Driver = driver_for(ATLAS)
    d.key(pygame.K_s)
    assert d.screen == "settings"
    d.assert_shows("Text size", "Display", "Animation", "Sound", "‹ Medium ›")
    d.key(pygame.K_RIGHT)  # text size: large
    d.assert_shows("‹ Large ›")
    d.click("opt:sound")
    d.key(pygame.K_ESCAPE)
    assert d.screen == "title"
    s = Settings.load()
    assert s.text_size == "large" and s.sound is True  # the test app starts silent
    assert Settings.path().is_file()
    d.key(pygame.K_F11)
    assert Settings.load().fullscreen is True
    d.key(pygame.K_F11)
    assert Settings.load().fullscreen is False


def test_damaged_settings_give_defaults(data_dir: Path) -> None:
    Settings.path().parent.mkdir(parents=True, exist_ok=True)
    Settings.path().write_text("{not json", encoding="utf-8")
    assert Settings.load() == Settings()
    Settings.path().write_text('{"text_size": "huge", "sound": "yes"}', encoding="utf-8")
    assert Settings.load() == Settings()


def test_an_unexpected_error_is_logged_shown_and_survived(atlas: Driver, data_dir: Path) -> None:
    """A fault in the window's code does not kill the game: a dialog, a log, the loop goes on."""
    d = atlas
    real = d.app.step
    calls = {"n": 0}

    def flaky(events: list[pygame.event.Event] | None = None) -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        d.app.running = False
        return real(events)

    d.app.step = flaky  # type: ignore[method-assign]
    assert d.app.run() == 0
    assert calls["n"] == 2 and d.app.top.name == "dialog"
    assert "RuntimeError: boom" in (data_dir / "error.log").read_text(encoding="utf-8")
