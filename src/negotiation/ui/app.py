"""The game window: the main loop, the screen stack, the game session, saves and settings.

``main()`` is what ``negotiation play`` calls. Tests build an :class:`App` under
``SDL_VIDEODRIVER=dummy`` and drive it with :meth:`App.step` and posted events. The app is the only
module that knows every screen, through :mod:`negotiation.ui.screens`; the screens know the app only
as a :class:`negotiation.ui.host.Host`.

Author mode (``NEGOTIATION_AUTHOR=1`` in the environment, or ``main(author=True)``) adds Ctrl+R:
reload the scenario file from disk and replay the moves made so far on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame

from negotiation import resources
from negotiation.client import GameSession
from negotiation.client.paths import error_log
from negotiation.engine.actions import Action
from negotiation.engine.events import GameEvent, Kind
from negotiation.engine.game import Game
from negotiation.engine.rules import rules_for
from negotiation.errors import NegotiationError, SaveError, ScenarioError
from negotiation.scenario.loader import LoadedScenario, load_file
from negotiation.ui import art
from negotiation.ui import screens as ui
from negotiation.ui.base import Screen, Styles
from negotiation.ui.canvas import Canvas, DrawnText
from negotiation.ui.fmt import NEWS_KINDS
from negotiation.ui.settings import Settings
from negotiation.ui.sound import Sounds
from negotiation.ui.theme import Fonts, Palette

WINDOW = (1280, 720)
MIN_SIZE = (800, 560)
FPS = 60
IDLE_POLL = (1 / 60, 1 / 30)  # seconds between looks at the event queue: just after input, and later
AUTHOR_ENV = "NEGOTIATION_AUTHOR"


def author_mode() -> bool:
    """Whether the environment asks for the author's tools (Ctrl+R reload)."""
    return os.environ.get(AUTHOR_ENV, "").strip().lower() not in ("", "0", "no", "false", "off")


class App:
    """The window and its screens."""

    def __init__(self, scenario: str | Path | None = None, seed: int = 0, size: tuple[int, int] = WINDOW,
                 settings: Settings | None = None, now: Callable[[], dt.datetime] | None = None,
                 clock: Callable[[], float] | None = None, author: bool | None = None) -> None:
        pygame.display.init()  # not pygame.init(): the mixer opens only when a sound plays (no audio, no noise)
        pygame.font.init()
        pygame.key.set_repeat(350, 40)
        self.author = author_mode() if author is None else author
        self.settings = settings or Settings.load()
        self.seed = seed
        self.now = now or dt.datetime.now
        self.clock_fn = clock or time.monotonic
        self.window_size = size
        self.surface = self._set_mode()
        pygame.display.set_caption("negotiation")  # the scenario's title once it has loaded
        self.pal = Palette()
        self.styles = Styles(self.pal)
        self.fonts = Fonts(self.settings.text_scale)
        self.sounds = Sounds()
        self.stack: list[Screen] = []
        self.session: GameSession | None = None
        self.reply_at = 0.0  # when the last reply came, for its fade
        self.loaded: LoadedScenario | None = None
        self.running = True
        self.dirty = True
        self.frame_texts: list[DrawnText] = []
        self.frames = 0
        self.hover: str | None = None
        self.pressed: str | None = None
        self._hits: list[tuple[str, pygame.Rect, bool]] = []
        self._focusables: list[str] = []
        self._fade: pygame.Surface | None = None
        self._fade_at = 0.0
        self._drawn = False  # the display holds a finished frame (a fade may start from it)
        self._wake_at: float | None = None  # a screen asked to be drawn again then
        self._generation = 0  # counts changes of what the screens show (the cache under an overlay follows it)
        self._under: tuple[object, pygame.Surface, list[DrawnText]] | None = None
        self._kept: tuple[int, int] | None = None  # the finished game already kept as a save of its own
        self.kept: Path | None = None  # where it was kept
        self.scenario_arg = scenario
        self._boot(scenario)

    # ------------------------------------------------------------------ set-up
    def _set_mode(self) -> pygame.Surface:
        if self.settings.fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                self.settings.fullscreen = False
        surf = pygame.display.set_mode(self.window_size, pygame.RESIZABLE)
        with contextlib.suppress(AttributeError, pygame.error), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # pygame-ce 2.5 has no other way to the window yet
            pygame.Window.from_display_module().minimum_size = MIN_SIZE  # the window manager keeps it this big
        return surf

    def _boot(self, scenario: str | Path | None) -> None:
        try:
            path = resources.scenario_path(str(scenario) if scenario is not None else None)
            self.loaded = load_file(path)
            rules_for(self.loaded)
        except ScenarioError as exc:
            self.stack = [ui.ErrorScreen(self, "The scenario could not be loaded",
                                      [str(d) for d in exc.diagnostics], str(exc).splitlines()[0])]
            return
        except (FileNotFoundError, NegotiationError, OSError) as exc:
            self.stack = [ui.ErrorScreen(self, "The scenario could not be loaded", [str(exc)], "")]
            return
        if self.loaded.scenario.scenario.title:
            pygame.display.set_caption(self.loaded.scenario.scenario.title)
        self.stack = [ui.TitleScreen(self)]

    @property
    def focusables(self) -> list[str]:
        """The ids the keyboard focus can reach on the top screen (from the last frame)."""
        return list(self._focusables)

    @property
    def top(self) -> Screen:
        return self.stack[-1]

    @property
    def scenario_id(self) -> str:
        assert self.loaded is not None
        return self.loaded.scenario.scenario.id

    # ------------------------------------------------------------------ screens
    def _changed(self) -> None:
        self._generation += 1
        self.dirty = True
        self.hover = None
        self.pressed = None
        if self.settings.animation_speed > 0 and self._drawn and self._fade is None:
            self._fade = self.surface.copy()  # the last frame, still on the display: copied only when a fade starts
            self._fade_at = self.clock_fn()

    def make(self, name: str, *args: Any, **kw: Any) -> Screen:
        """A new screen by its name."""
        return ui.make(self, name, *args, **kw)

    def push(self, screen: Screen) -> None:
        """Open a screen above the current one."""
        self.stack.append(screen)
        self._changed()

    def pop(self) -> None:
        """Close the current screen (never the last one)."""
        if len(self.stack) > 1:
            self.stack.pop()
            self._changed()

    def replace(self, screen: Screen) -> None:
        """Swap the current screen for another."""
        self.stack[-1] = screen
        self._changed()

    def reset(self, *screens: Screen) -> None:
        """Make these the whole stack."""
        self.stack = list(screens)
        self._changed()

    def find(self, name: str) -> Screen | None:
        """The topmost screen of a name, if open."""
        return next((s for s in reversed(self.stack) if s.name == name), None)

    def dialog(self, title: str, message: str) -> None:
        """A modal message with an OK button."""
        self.push(ui.Dialog(self, title, message))

    def wake(self, seconds: float) -> None:
        """Draw again after ``seconds`` even if nothing happens (a marker fading, a cursor blinking)."""
        at = self.clock_fn() + max(0.0, seconds)
        self._wake_at = at if self._wake_at is None else min(self._wake_at, at)

    def to_title(self) -> None:
        self.session = None
        self.reset(ui.TitleScreen(self))

    def quit(self) -> None:
        self.running = False

    # ------------------------------------------------------------------ the game
    def new_game(self) -> None:
        """Start a new game: the table, with the opening telegrams and the dossier above it."""
        assert self.loaded is not None
        game = Game(self.loaded, self.seed)
        self.session = self._session(self.loaded, game)
        self.kept = None
        screens: list[Screen] = [ui.TableScreen(self)]
        # the opening phase is the dossier's subject; telegrams are for what happens before the first decision
        news = [e for e in game.state.log if e.kind in NEWS_KINDS and e.kind != "PhaseEntered"]
        if news:
            screens.append(ui.Telegrams(self, news))
        if self.loaded.scenario.briefing:
            screens.append(ui.BriefingScreen(self, first=True))
        self.reset(*screens)
        self.autosave()

    def apply(self, action: Action) -> None:
        """Play a move, autosave, and show what happened."""
        sess = self.session
        assert sess is not None
        try:
            events = sess.apply(action)
        except NegotiationError as exc:
            self.dialog("That move is not possible", str(exc))
            return
        self.reply_at = self.clock_fn()
        self._generation += 1
        news = sess.news
        if self.settings.sound:
            self.sounds.play("stamp" if any(e.kind == Kind.ARTICLE_SETTLED for e in events) else "type")
        if sess.game.is_over():
            self.show_end(news, events)
        elif news:
            self.push(ui.Telegrams(self, news))
        self.dirty = True

    def show_end(self, news: list[GameEvent] | None = None, events: list[GameEvent] | None = None) -> None:
        """The end of a game: its closing scene (after the last telegrams), then the score card beneath.

        The finished game is kept as a save of its own at once, so that a new game's autosave cannot
        overwrite it.
        """
        self.keep_finished()
        screens: list[Screen] = [ui.TableScreen(self), ui.EndScreen(self)]
        if events is not None:  # just finished: the closing scene; a loaded finished game opens on the score card
            screens.append(ui.ClosingScreen(self, events))
        if news:
            screens.append(ui.Telegrams(self, news))
        self.reset(*screens)

    def keep_finished(self) -> Path | None:
        """Keep the finished game as a save of its own, once per ending (its path, or None)."""
        sess = self.session
        if sess is None or not sess.game.is_over():
            return None
        key = (id(sess.game), len(sess.game.action_log))
        if self._kept == key:
            return self.kept
        self._kept = key
        self.kept = sess.keep_finished()
        return self.kept

    def undo(self) -> None:
        """Take back the last move (any number of times)."""
        sess = self.session
        if sess is None:
            return
        was_over = sess.game.is_over()
        self._generation += 1
        if not sess.undo():
            self.dirty = True
            return
        self.reply_at = self.clock_fn()
        if was_over or self.find("end") is not None:
            self.reset(ui.TableScreen(self))
        self.dirty = True

    def reload_scenario(self) -> bool:
        """Hot reload for authors: read the scenario again and replay the action log on it.

        A file that no longer validates shows its diagnostics, and a log that no longer replays
        says why; either way the game goes on with the scenario loaded before.
        """
        if self.loaded is None:
            return False
        try:
            fresh = load_file(self.loaded.path)
        except ScenarioError as exc:
            self.push(ui.ErrorScreen(self, "The edited scenario does not validate", [str(d) for d in exc.diagnostics],
                                  str(exc).splitlines()[0], keep_running=True))
            return False
        sess = self.session
        if sess is None:
            self.loaded = fresh
            self.dirty = True
            return True
        try:
            game = Game.replay(fresh, sess.game.seed, sess.game.actions)
        except NegotiationError as exc:
            self.dialog("The game cannot be replayed on the edited scenario",
                        f"{str(exc).rstrip('.')}. The game goes on with the scenario as it was.")
            return False
        self.loaded = fresh
        self.session = self._session(fresh, game)
        self.session.note = (f"Scenario reloaded from disk: {len(game.action_log)} "
                             f"move{'s' if len(game.action_log) != 1 else ''} replayed.")
        self.autosave()
        if game.is_over():
            self.show_end()
        else:
            self.reset(ui.TableScreen(self))
        return True

    def game_screen_name(self) -> str:
        """The game screen under any menus (for a save's meta)."""
        for s in reversed(self.stack):
            if s.name in ("table", "draft", "map", "log", "end", "briefing"):
                return s.name
        return "table"

    def _session(self, loaded: LoadedScenario, game: Game) -> GameSession:
        self.reply_at = self.clock_fn()
        return GameSession(loaded, game, now=self.now, screen=self.game_screen_name)

    def autosave(self) -> None:
        if self.session is not None:
            self.session.save_auto()

    def save_to(self, slot: str, name: str) -> bool:
        """Save the game in a slot; report a failure in a dialog."""
        sess = self.session
        if sess is None:
            return False
        try:
            sess.save_slot(slot, name)
        except OSError as exc:
            self.dialog("The game could not be saved", str(exc))
            return False
        return True

    def load_from(self, path: Path) -> bool:
        """Load a save and reopen the screen it was saved on; a bad save shows a dialog."""
        assert self.loaded is not None
        sess = self._session(self.loaded, Game(rules_for(self.loaded), self.seed))
        try:
            meta = sess.load(path)
        except SaveError as exc:  # the folder is the player's business; the file name is enough
            self.dialog("This save cannot be loaded", str(exc).replace(str(path), path.name))
            return False
        self.session = sess
        game = sess.game
        screen = str(meta.get("screen", "table"))
        if game.is_over():
            self._kept = (id(game), len(game.action_log))  # a finished game loaded from a save is kept already
            self.kept = path
            self.show_end()
            return True
        extra: dict[str, Callable[[], Screen]] = {
            "draft": lambda: ui.DraftScreen(self), "map": lambda: ui.MapScreen(self),
            "log": lambda: ui.LogScreen(self), "briefing": lambda: ui.BriefingScreen(self),
        }
        screens: list[Screen] = [ui.TableScreen(self)]
        if screen in extra:
            screens.append(extra[screen]())
        self.reset(*screens)
        return True

    # ------------------------------------------------------------------ settings
    def apply_settings(self, display: bool = False) -> None:
        """Take a settings change into account and save the settings.

        Only a change of the display mode touches the window (``display=True``): a new text size
        re-reads the fonts, and the window stays where the player put it.
        """
        self._generation += 1
        if abs(self.fonts.scale - self.settings.text_scale) > 1e-9:
            self.fonts = Fonts(self.settings.text_scale)
        if display:
            self.surface = self._set_mode()
        self.settings.save()
        self.dirty = True

    def toggle_fullscreen(self) -> None:
        if not self.settings.fullscreen:
            self.window_size = self.surface.get_size()
        self.settings.fullscreen = not self.settings.fullscreen
        self.apply_settings(display=True)

    # ------------------------------------------------------------------ events
    def _hit_at(self, pos: tuple[int, int]) -> str | None:
        for ident, rect, enabled in reversed(self._hits):
            if rect.collidepoint(pos):
                return ident if enabled else None
        return None

    def activate(self, ident: str) -> None:
        """Activate a button of the top screen by its id."""
        self.top.focus = self.top.focus if ident != self.top.focus else ident
        self.top.act(ident)
        self.dirty = True

    def _move_focus(self, step: int) -> None:
        scr = self.top
        items = self._focusables
        if not items:
            return
        if scr.focus not in items:
            scr.focus = items[0] if step > 0 else items[-1]
        else:
            scr.focus = items[(items.index(scr.focus) + step) % len(items)]

    def handle(self, ev: pygame.event.Event) -> None:
        """Handle one pygame event."""
        t = ev.type
        if t == pygame.QUIT:
            self.running = False
            return
        if t in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED, pygame.WINDOWEXPOSED, pygame.WINDOWRESTORED):
            surf = pygame.display.get_surface()
            if surf is not None:
                self.surface = surf
            if t == pygame.VIDEORESIZE and not self.settings.fullscreen:
                self.window_size = self.surface.get_size()
            self._generation += 1
            self.dirty = True
            return
        if t == pygame.MOUSEMOTION:
            h = self._hit_at(ev.pos)
            if h != self.hover:
                self.hover = h
                self.dirty = True
            return
        if t == pygame.MOUSEBUTTONDOWN and ev.button == 1:
            self.pressed = self._hit_at(ev.pos)
            self.dirty = True
            return
        if t == pygame.MOUSEBUTTONUP and ev.button == 1:
            h = self._hit_at(ev.pos)
            was = self.pressed
            self.pressed = None
            self.dirty = True
            if h is not None and h == was:
                self.activate(h)
            return
        if t == pygame.MOUSEWHEEL:
            self.top.wheel(ev.y, pygame.mouse.get_pos())
            self.dirty = True
            return
        if t == pygame.TEXTINPUT:
            self.top.text_input(ev.text)
            self.dirty = True
            return
        if t == pygame.KEYDOWN:
            self._key(ev)

    def _key(self, ev: pygame.event.Event) -> None:
        self.dirty = True
        k = ev.key
        mods = ev.mod
        if k == pygame.K_F11 or (k == pygame.K_RETURN and mods & pygame.KMOD_ALT):
            self.toggle_fullscreen()
            return
        scr = self.top
        ctrl = mods & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if ctrl and k == pygame.K_r and self.author and (scr.name != "error" or getattr(scr, "keep_running", False)):
            if scr.name == "error":
                self.pop()  # the diagnostics of the last try: try again
            self.reload_scenario()
            return
        if ctrl and k == pygame.K_z and self.session is not None and scr.name in ("telegrams", "dialog", "pause"):
            self.undo()  # undo works from any game screen, and from the telegrams of the last move
            if scr.name == "telegrams" and self.top is scr:
                self.pop()
            return
        if scr.key(ev):
            return
        if k == pygame.K_TAB:
            self._move_focus(-1 if mods & pygame.KMOD_SHIFT else 1)
        elif scr.arrows_focus and k in (pygame.K_DOWN, pygame.K_RIGHT):
            self._move_focus(1)
        elif scr.arrows_focus and k in (pygame.K_UP, pygame.K_LEFT):
            self._move_focus(-1)
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            if scr.focus is not None and scr.focus in self._focusables:
                self.activate(scr.focus)
            elif self._focusables:
                scr.focus = self._focusables[0]
        elif k == pygame.K_ESCAPE:
            scr.back()

    # ------------------------------------------------------------------ drawing
    def animating(self) -> bool:
        if self._fade is not None:
            return True
        return any(s.animating() for s in self.stack[-2:])

    def draw(self) -> None:
        """Draw the stack: from the topmost opaque screen up, dimming beneath overlays."""
        surf = self.surface
        if surf.get_width() == 0 or surf.get_height() == 0:
            return
        canvas = Canvas(surf, self.fonts, self.pal)
        start = len(self.stack) - 1
        while start > 0 and self.stack[start].overlay:
            start -= 1
        top = len(self.stack) - 1
        first = start
        if start < top:  # an overlay: what lies beneath, dimmed, is drawn once and kept while nothing changes there
            key = (tuple(id(x) for x in self.stack[:top]), surf.get_size(), self._generation)
            if self._under is not None and self._under[0] == key and not any(
                    x.animating() for x in self.stack[start:top]):
                surf.blit(self._under[1], (0, 0))
                canvas.texts.extend(self._under[2])
                first = top
        for i in range(first, len(self.stack)):
            scr = self.stack[i]
            is_top = i == top
            if scr.overlay and not (is_top and first == top):  # (a kept frame beneath is already dimmed)
                surf.blit(art.veil(surf.get_size(), (8, 10, 9, 150)), (0, 0))
            if is_top and start < top and first < top:
                self._under = (key, surf.copy(), list(canvas.texts))
            canvas.hits = []
            canvas.layer = scr.name
            canvas.focus = scr.focus if is_top else None
            canvas.hover = self.hover if is_top else None
            canvas.pressed = self.pressed if is_top else None
            scr.draw(canvas)
        self._hits = [(h.ident, h.rect, h.enabled) for h in canvas.hits]
        self._focusables = [h.ident for h in canvas.hits if h.focusable and h.enabled]
        if self._fade is not None:
            speed = max(self.settings.animation_speed, 0.01)
            a = 1.0 - (self.clock_fn() - self._fade_at) * 6.0 * speed
            if a <= 0 or self._fade.get_size() != surf.get_size():
                self._fade = None
            else:
                self._fade.set_alpha(round(255 * a))
                surf.blit(self._fade, (0, 0))
        self.frame_texts = canvas.texts
        self.frames += 1
        self._drawn = True
        pygame.display.flip()

    def step(self, events: list[pygame.event.Event] | None = None) -> bool:
        """Handle pending events and draw a frame if anything changed; return whether still running."""
        for ev in events if events is not None else pygame.event.get():
            self.handle(ev)
            if not self.running:
                return False
        if self._wake_at is not None and self.clock_fn() >= self._wake_at:
            self._wake_at = None
            self.dirty = True
        if self.dirty or self.animating():
            self.dirty = False
            self.draw()
        return self.running

    def busy(self) -> bool:
        """Whether a frame is wanted now (something changed or moves)."""
        return self.dirty or self.animating()

    def run(self) -> int:
        """The main loop: 60 FPS at most while something moves, and a few looks a second while idle.

        pygame-ce's ``event.wait`` polls the queue every millisecond (about 1,000 wake-ups a second
        even with a timeout); sleeping between looks at the queue wakes 30 to 60 times a second.
        """
        clock = pygame.time.Clock()
        failures = 0
        last_input = self.clock_fn()
        while self.running:
            try:
                if not self.busy():
                    idle = self.clock_fn() - last_input
                    time.sleep(IDLE_POLL[0] if idle < 2.0 else IDLE_POLL[1])
                    pending = pygame.event.get()
                    if pending:
                        last_input = self.clock_fn()
                    self.step(pending)
                    failures = 0
                    continue
                self.step()
                failures = 0
            except Exception as exc:  # a fault of ours: keep the player's game, say so, log the details
                failures += 1
                if failures > 3:
                    raise
                self.recover(exc, to_title=failures > 1)
            clock.tick(FPS)
        pygame.quit()
        return 0

    def recover(self, exc: Exception, to_title: bool = False) -> None:
        """After an unexpected error: write its traceback to a log, tell the player, carry on.

        The game itself is safe: it was autosaved after the last move. A second failure in a row
        goes back to the title screen, from which 'Continue' reopens the game.
        """
        import traceback

        log = error_log()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {self.now().isoformat(timespec='seconds')}\n")
                fh.write("".join(traceback.format_exception(exc)))
        except OSError:
            pass
        if to_title:
            self.to_title()
        self.dialog("Something went wrong", f"{type(exc).__name__}: {exc}. The game was autosaved after your "
                    f"last move; 'Continue' on the title screen reopens it. Details: {log}")


def main(scenario: str | None = None, seed: int = 0, load: str | None = None, author: bool | None = None) -> int:
    """Open the game window (what ``negotiation play`` calls), optionally on a save file; ``author`` turns on
    Ctrl+R (by default from the NEGOTIATION_AUTHOR environment variable).

    An unexpected error while the window starts (or after the main loop gives up) is written to the
    error log and told in one line; the project's own errors go to the caller, which reports them.
    """
    try:
        app = App(scenario, seed, author=author)
        if load is not None and app.loaded is not None:
            app.load_from(Path(load))  # a bad file shows a dialog over the title screen
        return app.run()
    except (NegotiationError, KeyboardInterrupt):
        raise
    except Exception as exc:
        with contextlib.suppress(Exception):
            pygame.quit()
        return resources.last_resort(exc, "negotiation play (window)")
