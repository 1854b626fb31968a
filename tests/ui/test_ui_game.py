"""A whole game through the window, by keyboard and mouse, from the title screen to the score card."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from conftest import ATLAS, Driver
from negotiation.errors import ScenarioError
from negotiation.resources import scenarios_dir
from negotiation.scenario.loader import load_file
from negotiation.scoring import score_card

FLAGSHIP = scenarios_dir() / "moscow1945.yaml"


SCENARIOS = [pytest.param(ATLAS, id="atlas"), pytest.param(FLAGSHIP, id="moscow1945")]


def play_historical(d: Driver, use_mouse_every: int = 2) -> int:
    """Play the real delegation's moves through the UI; check what each screen shows. Return the moves."""
    app = d.app
    moves = 0
    for _ in range(500):
        sess = app.session
        assert sess is not None
        game = sess.game
        if d.screen == "telegrams":
            d.assert_shows("TELEGRAMS AND DESPATCHES")
            d.key(pygame.K_RETURN)
            continue
        if d.screen == "briefing":
            d.key(pygame.K_RIGHT)
            continue
        if d.screen == "closing":  # the closing scene, before the score card
            out = game.outcome()
            assert out is not None
            d.assert_shows(out.title[:20], "To the score card")
            d.key(pygame.K_RETURN)
            continue
        if d.screen == "end":
            return moves
        assert d.screen == "table", d.screen
        dec = game.decision()
        assert dec is not None
        speaker = game.rules.actors[dec.model.speaker]
        d.assert_shows(dec.model.title, speaker.name)
        for v in game.rules.scenario.variables:
            shown = (v.label if v.kind == "flag" else v.label.upper())[:16]
            if v.show:
                d.assert_shows(shown)
            elif v.kind != "flag":
                assert v.label.upper() not in d.texts()
        if dec.model.article:
            art = game.rules.articles[dec.model.article]
            a = game.state.articles[dec.model.article]
            d.assert_shows("THEIR DEMAND", art.model.positions[a.demand].label[:20])
        offers = sess.presenter.choices(game)
        hist = game.historical_action()
        ids = [x.action.id for x in offers]
        assert hist in ids, f"{hist} not legal at {dec.model.id}: {ids}"
        i = ids.index(hist)
        offer = offers[i]
        assert d.shows(offer.label[:25]), f"choice {offer.label!r} not drawn"
        before = len(game.action_log)
        if moves % use_mouse_every == 1:
            d.click(f"act:{i}")
        elif moves % 7 != 3:
            d.key(pygame.key.key_code(offer.key.lower()))  # every move has a key: a number, or a fixed letter
        else:  # by arrows alone, then Enter
            for _ in range(i + 1):
                d.key(pygame.K_DOWN)
            d.key(pygame.K_RETURN)
        if offer.confirm:  # signing asks first; Enter alone would say 'not yet'
            assert d.screen == "confirm"
            d.key(pygame.K_y)
        assert len(sess.game.action_log) == before + 1
        moves += 1
    raise AssertionError("the game did not end")


@pytest.mark.parametrize("path", SCENARIOS)
def test_complete_game_from_title_to_score_card(path: Path, driver_for) -> None:  # type: ignore[no-untyped-def]
    """Title -> new game -> dossier -> every decision (historical moves) -> the score card -> title."""
    d: Driver = driver_for(path)
    meta = d.app.loaded.scenario.scenario  # type: ignore[union-attr]
    assert d.screen == "title"
    d.assert_shows(meta.title[:20], "New game", "Load game", "Settings", "Quit")
    if meta.title_native:
        d.assert_shows(meta.title_native)
    d.key(pygame.K_RETURN)  # "New game" has the focus
    docs = d.app.loaded.scenario.briefing  # type: ignore[union-attr]
    if docs:
        assert d.screen == "briefing"
        pages = len(d.app.top.docs)  # type: ignore[attr-defined]
        assert pages == len(docs) + 1, "the dossier adds a live page of the mandate"
        d.assert_shows(docs[0].title[:20], f"DOCUMENT 1 OF {pages}", "Your mandate now")
    moves = play_historical(d)
    game = d.app.session.game  # type: ignore[union-attr]
    assert game.is_over()
    assert moves == len(game.action_log)
    card = score_card(game)
    assert d.screen == "end"
    d.assert_shows(card.ending_title, f"{card.interest:+.1f}".replace("-", "−"), f"{card.fidelity * 100:.0f}%")
    seen = set(d.texts())
    for _ in range(20):  # page down through the score card, keeping everything drawn
        d.key(pygame.K_PAGEDOWN)
        seen |= set(d.texts())
    text = "\n".join(seen)
    for a in card.articles:
        assert a.title[:12] in text and a.position_label[:20] in text and a.historical_label[:20] in text
    if path == FLAGSHIP:
        assert card.fidelity == pytest.approx(1.0) and card.interest == pytest.approx(0.0)
        d.assert_shows("+0.0", "100%")
    d.key(pygame.K_2)
    d.assert_shows("The meters over the negotiation")
    d.key(pygame.K_3)
    d.assert_shows("At each decision, what the real delegation did")
    d.assert_shows("AS IN 1945")
    assert not d.shows("YOU DIVERGED")
    d.key(pygame.K_4)
    d.assert_shows("WHAT HAPPENED IN HISTORY")
    d.click("title")
    assert d.screen == "title"
    d.assert_shows("Continue")


def test_views_reflect_the_engine(atlas: Driver) -> None:
    """Draft, map, log and dossier show the engine's state, and come back to the table."""
    d = atlas
    d.key(pygame.K_n)
    d.key(pygame.K_ESCAPE)  # skip the dossier
    assert d.screen == "table"
    d.key(pygame.K_2)  # propose the best rung: refused
    game = d.app.session.game  # type: ignore[union-attr]
    assert game.action_log == [("first", "counter:ours")]
    d.assert_shows("You: Propose: Chinese free port", "Stalin: That we cannot accept.")
    d.key(pygame.K_d)
    assert d.screen == "draft"
    d.assert_shows("The draft treaty", "0 of 2 articles agreed", "THEIR DEMAND", "YOUR OFFER", "MANDATE")
    d.key(pygame.K_DOWN)
    d.assert_shows("The railways", "Joint ownership")
    d.key(pygame.K_m)
    assert d.screen == "map"
    d.assert_shows("The map of the draft", "Dairen 大連", "Harbin 哈爾濱", "Demand: Soviet naval base")
    d.key(pygame.K_l)
    assert d.screen == "log"
    d.assert_shows("The record of the negotiation", "Propose: Chinese free port")
    d.key(pygame.K_b)
    assert d.screen == "briefing"
    d.assert_shows("The Yalta terms")
    d.key(pygame.K_ESCAPE)
    assert d.screen == "table"
    assert [s.name for s in d.app.stack] == ["table"]


def test_red_army_arrow_follows_its_condition(atlas: Driver) -> None:
    """A map arrow is drawn only while its `when` holds (here: from 10 July)."""
    d = atlas
    d.key(pygame.K_n)
    d.key(pygame.K_ESCAPE)
    screen = d.app.top
    from negotiation.ui.mapview import MapScreen

    m = MapScreen(d.app)
    arrow = next(s for s in d.app.loaded.scenario.map.shapes if s.kind == "arrow")  # type: ignore[union-attr]
    assert not m._visible(arrow)
    d.keys(pygame.K_h, pygame.K_h)  # hold twice: the decision passes, the date moves to 10 July
    while d.screen == "telegrams":
        d.key(pygame.K_RETURN)
    assert d.app.session.game.state.day.day >= 10  # type: ignore[union-attr]
    assert m._visible(arrow)
    assert screen is not None


def test_undo_any_number_of_times(atlas: Driver) -> None:
    """Ctrl+Z and the Undo button take moves back, back to the first decision."""
    d = atlas
    d.key(pygame.K_n)
    d.key(pygame.K_ESCAPE)
    game = lambda: d.app.session.game  # noqa: E731
    d.key(pygame.K_h)
    d.key(pygame.K_h)
    while d.screen == "telegrams":
        d.key(pygame.K_RETURN)
    d.key(pygame.K_2)
    assert len(game().action_log) == 3
    d.key(pygame.K_z, pygame.KMOD_CTRL)
    assert len(game().action_log) == 2
    d.click("undo")
    d.key(pygame.K_z, pygame.KMOD_LCTRL)
    assert game().action_log == []
    d.key(pygame.K_z, pygame.KMOD_CTRL)
    d.assert_shows("Nothing to undo")
    assert game().state.decision == "first"


def test_keyboard_alone_tab_and_escape(atlas: Driver) -> None:
    """Tab walks the focus, Enter acts, Esc opens the pause menu and closes it."""
    d = atlas
    d.key(pygame.K_TAB)
    assert d.app.top.focus is not None
    d.key(pygame.K_DOWN)
    d.key(pygame.K_UP)
    d.app.top.focus = "new"
    d.key(pygame.K_RETURN)
    d.key(pygame.K_ESCAPE)
    assert d.screen == "table"
    d.key(pygame.K_ESCAPE)
    assert d.screen == "pause"
    d.assert_shows("Menu", "Back to the game", "Save game", "Load game", "Settings", "Title screen", "Quit")
    assert not d.shows("Paused")  # a turn-based game waits for the player anyway
    d.key(pygame.K_ESCAPE)
    assert d.screen == "table"
    d.key(pygame.K_RETURN)  # the first Enter shows the focus on the first choice
    assert d.app.top.focus == "act:0"
    d.key(pygame.K_DOWN)
    d.key(pygame.K_RETURN)
    assert d.app.session.game.action_log == [("first", "counter:ours")]  # type: ignore[union-attr]


def test_escape_from_the_menus_screens_returns_to_the_menu(atlas: Driver) -> None:
    """Load, Save and Settings opened from the menu go back to it on Esc (the item kept under focus)."""
    d = atlas
    d.app.top.focus = "new"
    d.key(pygame.K_RETURN)
    d.key(pygame.K_ESCAPE)
    assert d.screen == "table"
    for key, screen, item in ((pygame.K_l, "saveload", "load"), (pygame.K_s, "saveload", "save"),
                              (pygame.K_o, "settings", "settings")):
        d.key(pygame.K_ESCAPE)
        assert d.screen == "pause"
        d.key(key)
        assert d.screen == screen
        d.key(pygame.K_ESCAPE)
        assert d.screen == "pause" and d.app.top.focus == item, (screen, d.screen)
        d.key(pygame.K_ESCAPE)
        assert d.screen == "table"
    d.key(pygame.K_F5)  # the save screen opened from the game goes back to the game
    assert d.screen == "saveload"
    d.key(pygame.K_ESCAPE)
    assert d.screen == "table"


def test_scenario_errors_show_diagnostics(tmp_path: Path, driver_for) -> None:  # type: ignore[no-untyped-def]
    """A scenario that fails validation shows its diagnostics, not a traceback; Esc quits."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(ATLAS.read_text(encoding="utf-8").replace("historical: shared", "historical: nowhere")
                   .replace("weight: 5", "weight: -5"), encoding="utf-8")
    with pytest.raises(ScenarioError) as exc:
        load_file(bad)
    d: Driver = driver_for(bad)
    assert d.screen == "error"
    d.assert_shows("The scenario could not be loaded")
    for diag in exc.value.diagnostics:
        assert any(f"bad.yaml:{diag.line}:" in t for t in d.texts()), diag
    d.key(pygame.K_ESCAPE)
    assert not d.app.running


def test_missing_scenario_file(tmp_path: Path, driver_for) -> None:  # type: ignore[no-untyped-def]
    d: Driver = driver_for(tmp_path / "nothing.yaml")
    assert d.screen == "error"


def test_resize_lays_out_again(atlas: Driver) -> None:
    """Every text stays inside its box at another window size."""
    d = atlas
    d.key(pygame.K_n)
    d.key(pygame.K_ESCAPE)
    for size in ((900, 600), (1600, 900)):
        d.resize(*size)
        assert d.app.surface.get_size() == size
        d.app.dirty = True
        d.app.step([])
        d.assert_shows("Stalin asks for Dairen")
        for t in d.app.frame_texts:
            assert t.clipped or t.box.contains(t.rect), (t.text, t.rect, t.box)
            assert d.app.surface.get_rect().contains(t.rect), t.text


def test_idle_draws_nothing(atlas: Driver) -> None:
    """With nothing happening no frame is drawn (low CPU when idle)."""
    d = atlas
    n = d.app.frames
    for _ in range(5):
        d.app.step([])
    assert d.app.frames == n


@pytest.mark.parametrize("size", ["small", "large"])
def test_text_size_setting_lays_out(size: str, driver_for) -> None:  # type: ignore[no-untyped-def]
    """Each text size keeps every text in its box, on the table and the end screen of the flagship."""
    from negotiation.ui.settings import Settings

    s = Settings(text_size=size)
    s.save()
    d: Driver = driver_for(FLAGSHIP)
    assert d.app.settings.text_size == size
    d.key(pygame.K_n)
    while d.screen in ("briefing", "telegrams"):
        d.key(pygame.K_ESCAPE)
    for _ in range(6):
        d.key(pygame.K_1)
        while d.screen == "telegrams":
            d.key(pygame.K_RETURN)
    for view in (pygame.K_t, pygame.K_d, pygame.K_m, pygame.K_l):
        d.key(view)
        for t in d.app.frame_texts:
            assert t.clipped or t.box.contains(t.rect), (d.screen, t.text, t.rect, t.box)


def test_the_idle_loop_sleeps_between_looks_at_the_queue(atlas: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    """Idle, the loop sleeps a frame or two between looks at the events and draws nothing; it never calls
    pygame-ce's event.wait, which polls every millisecond (about 1,200 wake-ups a second, issue 8)."""
    import time

    app = atlas.app
    app.step([])
    waits: list[object] = []
    sleeps: list[float] = []
    monkeypatch.setattr(pygame.event, "wait", lambda *a, **k: waits.append(a))

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 8:
            pygame.event.post(pygame.event.Event(pygame.QUIT))

    monkeypatch.setattr(time, "sleep", sleep)
    frames = app.frames
    assert app.run() == 0
    assert not waits
    assert len(sleeps) >= 8 and min(sleeps) >= 1 / 60 - 1e-9
    assert app.frames == frames  # nothing changed, nothing drawn
