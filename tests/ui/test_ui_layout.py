"""The layout holds: every screen at 800x560 and at the large text size, the crowded decision of 11 July
1945, every move keyed and reachable, and the window left where it is when the text size changes.

The reference images here are of the flagship scenario (`make screenshots` rewrites them with the others).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pytest
from test_ui_screens import check_frame, matches_reference

from conftest import Driver, make_app
from negotiation.engine.actions import Action
from negotiation.resources import scenarios_dir
from negotiation.ui.settings import Settings

FLAGSHIP = scenarios_dir() / "moscow1945.yaml"
CROWDED = "d0711_dairen"  # 'A naval base in Dairen': the reply strip, 7 numbered moves and 5 lettered ones
SIZES = {"small": (800, 560), "medium": (1280, 720), "full": (1920, 1080)}


def start(text_size: str = "medium", size: tuple[int, int] = (1280, 720), path: Path = FLAGSHIP) -> Driver:
    Settings(text_size=text_size).save()
    d = Driver(make_app(path, size=size))
    d.key(pygame.K_n)
    while d.screen != "table":
        d.key(pygame.K_ESCAPE)
    return d


def play_to(d: Driver, decision: str) -> None:
    """Play history up to a decision through the app, then clear the telegrams."""
    sess = d.app.session
    assert sess is not None
    while (dec := sess.game.decision()) is not None and dec.model.id != decision:
        hist = sess.game.historical_action()
        assert hist is not None
        d.app.apply(Action.parse(hist))
    while d.screen != "table":
        d.key(pygame.K_RETURN)
    d.app.dirty = True
    d.app.step([])


def finish(d: Driver) -> None:
    sess = d.app.session
    assert sess is not None
    while not sess.game.is_over():
        hist = sess.game.historical_action()
        assert hist is not None
        d.app.apply(Action.parse(hist))


@pytest.fixture
def drivers() -> Iterator[Callable[..., Driver]]:
    yield start
    pygame.quit()


def demand_visible(d: Driver) -> None:
    """The question and the demand on the table are drawn whole, inside the window."""
    sess = d.app.session
    assert sess is not None
    dec = sess.game.decision()
    assert dec is not None
    win = d.app.surface.get_rect()
    texts = [t for t in d.app.frame_texts if t.layer == "table"]
    title = " ".join(t.text for t in texts if t.text in dec.model.title)
    assert dec.model.title.split()[0] in title, f"the title {dec.model.title!r} is not drawn"
    first_words = " ".join(dec.model.text.split()[:4])
    assert any(first_words in t.text and win.contains(t.rect) and not t.clipped for t in texts), \
        f"the demand {first_words!r}… is not in view"


def every_move_keyed(d: Driver) -> None:
    """Each move has its key on screen, or one scroll away, and the key plays it."""
    sess = d.app.session
    assert sess is not None
    table = d.app.top
    offers = table.offers()  # type: ignore[attr-defined]
    for i, o in enumerate(offers):
        table.reveal(i)  # type: ignore[attr-defined]
        d.app.dirty = True
        d.app.step([])
        drawn = d.texts("table")
        assert f"{o.key}." in drawn or o.key in drawn, f"no key {o.key} drawn for {o.label!r}"
        assert any(h[0] == f"act:{i}" for h in d.app._hits), f"{o.label!r} cannot be clicked"


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("text_size", ["small", "medium", "large"])
def test_the_crowded_decision_holds(size: str, text_size: str, drivers: Callable[..., Driver]) -> None:
    """11 July 1945 at every size and text size: nothing outside its box, the demand in view, the tools
    reachable, every move keyed."""
    d = drivers(text_size, SIZES[size])
    play_to(d, CROWDED)
    d.key(pygame.K_DOWN)  # a move under the focus: its stakes are drawn too
    check_frame(d)
    demand_visible(d)
    for tool in ("go:draft", "go:map", "go:log", "go:briefing", "undo", "menu"):
        d.hit_rect(tool)
    d.assert_shows("IF YOU CHOOSE", "HIS ANSWER, ESTIMATED")
    every_move_keyed(d)


@pytest.mark.parametrize("size", ["small", "full"])
@pytest.mark.parametrize("text_size", ["medium", "large"])
def test_every_screen_holds(size: str, text_size: str, drivers: Callable[..., Driver]) -> None:
    """The other screens at 800x560 and full HD, at the medium and large text sizes: every text in its box."""
    d = drivers(text_size, SIZES[size])
    play_to(d, CROWDED)
    for key in (pygame.K_d, pygame.K_l, pygame.K_b):
        d.key(key)
        check_frame(d)
        d.key(pygame.K_t)
    d.key(pygame.K_m)  # the map is rebuilt elsewhere; here it only has to open and close
    assert d.screen == "map"
    d.key(pygame.K_t)
    for overlay in (pygame.K_ESCAPE, pygame.K_F5):
        d.key(overlay)
        check_frame(d)
        d.key(pygame.K_ESCAPE)
    finish(d)
    assert d.screen == "closing"
    check_frame(d)
    d.key(pygame.K_RETURN)
    for tab in (pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4):
        d.key(tab)
        check_frame(d)


def test_the_text_size_changes_without_recreating_the_window(drivers: Callable[..., Driver],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A new text size re-reads the fonts only: the window is not made again (it used to move 40 px)."""
    d = drivers()
    calls: list[object] = []
    real = pygame.display.set_mode
    monkeypatch.setattr(pygame.display, "set_mode", lambda *a, **k: (calls.append(a), real(*a, **k))[1])
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_o)
    assert d.screen == "settings"
    size = d.app.fonts.scale
    d.key(pygame.K_RIGHT)  # the focus is on the text size
    assert d.app.fonts.scale != size and not calls
    d.click("opt:fullscreen")
    assert len(calls) == 1  # the display mode is the one setting that needs a new window


def test_meters_show_what_the_last_move_changed_and_what_the_next_would(drivers: Callable[..., Driver]) -> None:
    d = drivers()
    play_to(d, "d0702_dairen")
    sess = d.app.session
    assert sess is not None
    before = sess.game.state.variables["patience"]
    hold = next(i for i, o in enumerate(d.app.top.offers()) if o.action.kind == "hold")  # type: ignore[attr-defined]
    d.app.top.focus = f"act:{hold}"
    d.app.dirty = True
    d.app.step([])
    cost = dict(d.app.top.offers()[hold].stakes.changes)["patience"]  # type: ignore[attr-defined]
    d.assert_shows(f"→ {before + cost:.0f}")  # the preview on Stalin's patience
    d.key(pygame.K_h)
    after = sess.game.state.variables["patience"]
    assert after < before
    d.assert_shows(f"−{before - after:.0f}")  # the marker of what the move cost
    assert any(t.text.startswith("You: Hold firm") for t in d.app.frame_texts)  # the last exchange


def test_the_end_screen_waits_for_a_chosen_button_and_the_game_is_kept(drivers: Callable[..., Driver],
                                                                        data_dir: Path) -> None:
    d = drivers()
    finish(d)
    assert d.screen == "closing"
    d.key(pygame.K_RETURN)
    assert d.screen == "end"
    sess = d.app.session
    assert sess is not None
    game = sess.game
    for _ in range(3):
        d.key(pygame.K_RETURN)  # no button chosen: nothing happens (it used to start a new game at once)
    assert d.screen == "end" and d.app.session is not None and d.app.session.game is game
    kept = list((data_dir / "saves" / "moscow1945").glob("finished-*.json"))
    assert len(kept) == 1
    d.key(pygame.K_END)
    assert any(kept[0].name in t for t in d.texts()), "the score card says where the game is kept"
    d.key(pygame.K_n)  # a new game: its autosave does not touch the finished one
    assert d.app.session.game is not game
    assert kept[0].exists()
    d.key(pygame.K_F9)  # the load screen lists it, as the score card said
    assert d.screen == "saveload" and d.shows("Finished game")
    d.click(f"slot:{kept[0].stem}")
    assert d.screen == "end"


def test_the_draft_keeps_history_until_the_end(drivers: Callable[..., Driver]) -> None:
    """'Tabled: Stalin, 10 August; accepted 13 August' is history: not on the draft of 29 July."""
    d = drivers()
    play_to(d, "d0720_message")
    d.key(pygame.K_d)
    for _ in range(12):
        assert not any(t.startswith("Tabled:") for t in d.texts())
        d.key(pygame.K_DOWN)
    d.key(pygame.K_t)
    finish(d)
    d.key(pygame.K_RETURN)
    d.key(pygame.K_d)
    seen = []
    for _ in range(12):
        seen += [t for t in d.texts() if t.startswith("Tabled:")]
        d.key(pygame.K_DOWN)
    assert seen


def test_the_log_names_every_speaker_whole(drivers: Callable[..., Driver]) -> None:
    d = drivers()
    play_to(d, CROWDED)
    d.key(pygame.K_l)
    names = {ln.who for ln in d.app.session.presenter.lines(list(d.app.session.game.state.log)) if ln.who}  # type: ignore[union-attr]
    seen: set[str] = set()
    for _ in range(60):
        seen |= {t.text for t in d.app.frame_texts}
        d.key(pygame.K_PAGEUP)
    drawn = "\n".join(seen)
    for n in names:
        assert n in drawn or all(part in drawn for part in n.split()), f"{n!r} cut in the log"
    assert not any(t.endswith("…") and t[:-1].strip() in " ".join(names) for t in seen)


def test_the_dossier_sources_are_readable_and_the_mandate_page_is_live(drivers: Callable[..., Driver]) -> None:
    d = drivers()
    d.key(pygame.K_b)
    assert d.screen == "briefing"
    d.key(pygame.K_s)
    d.assert_shows("SOURCES", "Hide sources")
    assert any("Foreign Relations of the United States" in t or "Wilson Center" in t or "Wikipedia" in t
               for t in d.texts())
    pages = d.app.top.docs  # type: ignore[attr-defined]
    live = next(i for i, p in enumerate(pages) if p.live)
    d.app.top.act(f"doc:{live}")
    d.app.dirty = True
    d.app.step([])
    d.assert_shows("Your mandate now", "Mandate: ")
    sess = d.app.session
    assert sess is not None
    before = [t for t in d.texts() if t.startswith("Open")]
    d.key(pygame.K_t)
    play_to(d, "d0712_parting")
    d.key(pygame.K_b)
    d.app.top.act(f"doc:{live}")
    d.app.dirty = True
    d.app.step([])
    after = [t for t in d.texts() if t.startswith("Agreed")]
    assert before and after, "the page follows the state of the draft"


def test_the_bar_names_a_place_once_and_sound_says_when_there_is_no_device(drivers: Callable[..., Driver],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    d = drivers()
    d.assert_shows("Washington and Chungking")
    assert not d.shows("· Washington; Chungking")
    monkeypatch.setattr(d.app.sounds, "available", lambda: False)
    d.key(pygame.K_ESCAPE)
    d.key(pygame.K_o)
    d.assert_shows("No audio device")
    assert not d.shows("‹ On ›")


REFERENCES: dict[str, tuple[str, tuple[int, int], Callable[[Driver], None]]] = {
    "crowded": ("medium", (1280, 720), lambda d: (play_to(d, CROWDED), d.key(pygame.K_DOWN), d.key(pygame.K_DOWN))),
    "crowded_small": ("medium", (800, 560), lambda d: (play_to(d, CROWDED), d.key(pygame.K_DOWN))),
    "crowded_large": ("large", (1280, 720), lambda d: (play_to(d, CROWDED), d.key(pygame.K_DOWN))),
    "table_small_large": ("large", (800, 560), lambda d: play_to(d, "d0702_railways")),
    "closing_small": ("medium", (800, 560), finish),
}


@pytest.mark.parametrize("name", list(REFERENCES))
def test_layout_matches_reference(name: str, drivers: Callable[..., Driver], request: pytest.FixtureRequest) -> None:
    text_size, size, reach = REFERENCES[name]
    d = drivers(text_size, size)
    reach(d)
    d.app.dirty = True
    d.app.step([])
    check_frame(d)
    matches_reference(d.app.surface, name, request)


def test_signing_is_confirmed_closed_with_a_scene_and_undone(drivers: Callable[..., Driver]) -> None:
    """S asks first (Enter alone says 'Not yet'); Y signs; the closing scene shows the stamp; Ctrl+Z from
    there takes the signature back to the table."""
    d = drivers()
    play_to(d, "d0814_sign")
    sess = d.app.session
    assert sess is not None
    d.key(pygame.K_s)
    assert d.screen == "confirm"
    d.key(pygame.K_RETURN)  # the focus is on 'Not yet'
    assert d.screen == "table" and not sess.game.is_over()
    d.key(pygame.K_s)
    d.key(pygame.K_y)
    assert sess.game.is_over()
    while d.screen == "telegrams":
        d.key(pygame.K_RETURN)
    assert d.screen == "closing"
    d.assert_shows("TREATY SIGNED", "To the score card", "WHAT FOLLOWS")
    d.key(pygame.K_z, pygame.KMOD_CTRL)
    assert d.screen == "table" and not sess.game.is_over()
    assert [s.name for s in d.app.stack] == ["table"]


def test_talks_broken_off_end_in_their_own_scene(drivers: Callable[..., Driver]) -> None:
    d = drivers()
    play_to(d, "d0702_dairen")
    sess = d.app.session
    assert sess is not None
    for _ in range(40):
        if sess.game.is_over():
            break
        kinds = [a.kind for a in sess.game.legal_actions()]
        d.key(pygame.K_w if "walkout" in kinds else pygame.K_h if "hold" in kinds else pygame.K_1)
        while d.screen == "telegrams":
            d.key(pygame.K_RETURN)
    assert sess.game.is_over() and d.screen == "closing"
    d.assert_shows("TALKS BROKEN OFF", "Talks broken off")
    check_frame(d)


@pytest.mark.parametrize("scenario", ["tutorial", "moscow1945", "moscow1950"])
def test_every_decision_of_every_scenario_holds_at_the_smallest_size(scenario: str,
                                                                     drivers: Callable[..., Driver]) -> None:
    """The whole historical path of each bundled scenario at 800x560 and the large text size: at every
    decision the demand is in view, no text leaves its box, and the move the real delegation made is
    played by its key."""
    d = drivers("large", SIZES["small"], scenarios_dir() / f"{scenario}.yaml")
    sess = d.app.session
    assert sess is not None
    decisions = 0
    while not sess.game.is_over():
        while d.screen == "telegrams":
            d.key(pygame.K_RETURN)
        assert d.screen == "table"
        check_frame(d)
        demand_visible(d)
        hist = sess.game.historical_action()
        offer = next(o for o in d.app.top.offers() if o.action.id == hist)  # type: ignore[attr-defined]
        d.key(pygame.key.key_code(offer.key.lower()))
        if offer.confirm:
            d.key(pygame.K_y)
        decisions += 1
    assert decisions > 5


@pytest.mark.parametrize("size", ["small", "full"])
@pytest.mark.parametrize("text_size", ["medium", "large"])
def test_the_title_the_menus_and_the_end_keep_every_button(size: str, text_size: str) -> None:
    """Every button of the title screen, the settings, the load screen and the end screen is on screen, at
    800x560 and full HD, at the medium and the large text size (the title's Quit used to fall off)."""
    Settings(text_size=text_size).save()
    d = Driver(make_app(FLAGSHIP, size=SIZES[size]))
    try:
        win = d.app.surface.get_rect()

        def has(*idents: str) -> None:
            check_frame(d)
            for ident in idents:
                assert win.contains(d.hit_rect(ident)), f"{ident} is off the screen on {d.screen}"

        has("new", "load", "settings", "quit")
        d.key(pygame.K_s)
        has("opt:text_size", "opt:fullscreen", "opt:animation", "opt:sound", "done")
        d.key(pygame.K_ESCAPE)
        d.key(pygame.K_n)
        while d.screen != "table":
            d.key(pygame.K_ESCAPE)
        finish(d)
        d.key(pygame.K_RETURN)
        assert d.screen == "end"
        has("tab:score", "tab:chart", "tab:shadow", "tab:epilogue", "new", "title", "sources")
        d.key(pygame.K_ESCAPE)
        assert d.screen == "title"
        d.key(pygame.K_l)
        has("slot:autosave")
    finally:
        pygame.quit()
