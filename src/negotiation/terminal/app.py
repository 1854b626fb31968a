"""An interactive text game: the same session as the window, with keys, the draft, the log, undo, saves."""

from __future__ import annotations

import sys
from typing import TextIO

from negotiation.client import GameSession
from negotiation.engine.events import Kind
from negotiation.engine.game import Game
from negotiation.errors import NegotiationError
from negotiation.present import Choice
from negotiation.scenario.loader import LoadedScenario
from negotiation.scoring import score_card
from negotiation.terminal.render import (
    Style,
    decision_block,
    draft,
    event_lines,
    header,
    score_card_text,
    wrap,
)

HELP = """Moves:
  1, 2, 3 ...   the scenario's choices, accepting and your counter-offers (as numbered)
  H, C, A, W, S the standard moves, always the same keys: hold firm, cable your principal,
                ask your ally, walk out, propose signing (signing asks you to confirm);
  G             in a scenario with a mediator, ask him to propose terms
Commands:
  d             the draft treaty: every article on its ladder
  b             the briefing dossier
  l             the whole message log
  u             undo the last move (any number of times, even after the end)
  save [FILE]   save (default: the file given with --save, or <scenario>-save.json)
  load FILE     load a save of this scenario
  ?             this help
  q             quit (the game is autosaved after every move)"""


def run(loaded: LoadedScenario, seed: int = 0, stdin: TextIO | None = None, stdout: TextIO | None = None,
        save_path: str | None = None, game: Game | None = None, autosave: bool = True) -> Game:
    """Play in the terminal until the player quits; return the game."""
    return TextGame(loaded, seed, stdin, stdout, save_path, game, autosave).run()


class TextGame:
    """The terminal front end: a loop of screens, keys and commands over one GameSession."""

    def __init__(self, loaded: LoadedScenario, seed: int = 0, stdin: TextIO | None = None,
                 stdout: TextIO | None = None, save_path: str | None = None, game: Game | None = None,
                 autosave: bool = True) -> None:
        self.loaded = loaded
        self.inp = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.st = Style(self.out)
        self.sess = GameSession(loaded, game or Game(loaded, seed), autosave=autosave)
        self.save_to = save_path or f"{loaded.scenario.scenario.id}-save.json"
        self.changes: dict[str, float] = {}
        self.commands = {"d": self.show_draft, "b": self.show_briefing, "l": self.show_log, "u": self.undo,
                         "save": self.save, "load": self.load, "o": self.load, "?": self.help, "help": self.help}

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = self.inp.readline()
        return None if not line else line.strip()

    def run(self) -> Game:
        st = self.st
        meta = self.loaded.scenario.scenario
        self.say(st.bold(meta.title) + (f"  {meta.title_native}" if meta.title_native else ""))
        if meta.subtitle:
            self.say(meta.subtitle)
        if meta.description:
            self.say(wrap(meta.description, st.width))
        self.say(st.dim("Type ? for help. Moves by number, or H hold, C cable, A ally, W walk out, S sign."))
        self.say()
        self.say(event_lines(self.sess.game, list(self.sess.game.state.log), st))
        shown_end = False
        while True:
            game = self.sess.game
            if game.is_over():
                if not shown_end:
                    self.show_end()
                    shown_end = True
            else:
                shown_end = False
                self.say()
                self.say(header(game, st, self.changes))
                self.say(decision_block(game, st))
                self.say(st.dim("  d draft · b briefing · l log · u undo · save · load · ? help · q quit"))
            line = self.ask("> ")
            if line is None:
                self.say()
                self.say("End of input: leaving the game (it is autosaved).")
                return self.sess.game
            cmd, _, arg = line.partition(" ")
            if not cmd:
                continue
            if cmd.lower() in ("q", "quit", "exit"):
                self.say("Leaving the game (it is autosaved).")
                return self.sess.game
            choice = _choice(self.sess, cmd)
            if choice is not None:
                self.play(choice)
            elif cmd.lower() in self.commands:
                self.commands[cmd.lower()](arg.strip())
            elif self.sess.game.is_over():
                self.say(st.red("The game is over: u to undo the last move, q to quit."))
            elif cmd.isascii() and cmd.isdigit():
                n = len([c for c in self.sess.presenter.choices(self.sess.game) if not c.standard])
                self.say(st.red(f"Choose a number from 1 to {n}, or one of the letters shown."))
            else:
                self.say(st.red(f"Unknown command {cmd!r}; type ? for help."))

    def play(self, choice: Choice) -> None:
        if choice.confirm:
            answer = self.ask(f"{choice.confirm} [y/N] ")
            if (answer or "").lower() not in ("y", "yes"):
                self.say("Not signed.")
                return
        events = self.sess.apply(choice.action)
        self.changes = {}
        for e in events:
            if e.kind == Kind.METERS_CHANGED:
                for k, v in (e.get("delta") or {}).items():
                    self.changes[k] = self.changes.get(k, 0.0) + float(v)
        self.say()
        self.say(event_lines(self.sess.game, events, self.st))
        if self.sess.note:
            self.say(self.st.red(self.sess.note))

    def show_end(self) -> None:
        st = self.st
        self.say()
        self.say(score_card_text(score_card(self.sess.game), st))
        kept = self.sess.keep_finished()
        if kept is not None:
            self.say(st.dim(f"The finished game is kept in {kept}."))
        self.say(st.dim("u undo the last move · save [FILE] · q quit"))

    def show_draft(self, arg: str) -> None:
        self.say(draft(self.sess.game, self.st))

    def show_briefing(self, arg: str) -> None:
        for doc in self.loaded.scenario.briefing:
            self.say(self.st.bold(doc.title) + (f" — {doc.date}" if doc.date else ""))
            self.say(wrap(doc.text, self.st.width - 2, "  "))
            self.say()

    def show_log(self, arg: str) -> None:
        self.say(event_lines(self.sess.game, list(self.sess.game.state.log), self.st))

    def undo(self, arg: str) -> None:
        self.say("Undone." if self.sess.undo() else self.sess.note)
        self.changes = {}

    def save(self, arg: str) -> None:
        target = arg or self.save_to
        try:
            self.sess.save_file(target)
            self.say(f"Saved to {target}.")
        except OSError as exc:
            self.say(self.st.red(f"Could not save to {target}: {exc.strerror or exc}"))

    def load(self, arg: str) -> None:
        if not arg:
            self.say("Give a file: load FILE")
            return
        try:
            self.sess.load(arg)
            self.say(f"Loaded {arg}.")
        except NegotiationError as exc:
            self.say(self.st.red(str(exc)))

    def help(self, arg: str) -> None:
        self.say(HELP)


def _choice(sess: GameSession, cmd: str) -> Choice | None:
    """The move a key names: a number for the numbered choices, a letter for the standard moves."""
    if sess.game.is_over():
        return None
    choices = sess.presenter.choices(sess.game)
    for c in choices:
        if c.standard and cmd in (c.key, c.key.lower()) and len(cmd) == 1:
            return c
    numbered = [c for c in choices if not c.standard]
    if cmd.isascii() and cmd.isdigit():
        n = int(cmd)
        return numbered[n - 1] if 1 <= n <= len(numbered) else None
    for c in numbered:
        if not c.key.isdigit() and cmd.upper() == c.key:
            return c
    return None
