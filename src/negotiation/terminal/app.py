"""An interactive text game: numbered choices, the draft, the log, undo, save, load."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from negotiation import persist
from negotiation.engine.game import Game
from negotiation.errors import NegotiationError
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

HELP = """Commands:
  1, 2, 3 ...   choose an option
  d             the draft treaty: every article on its ladder
  b             the briefing dossier
  l             the whole message log
  u             undo the last choice (any number of times)
  s [FILE]      save (default: the file given with --save, or <scenario>-save.json)
  o FILE        load a save
  h             this help
  q             quit"""


def run(loaded: LoadedScenario, seed: int = 0, stdin: TextIO | None = None, stdout: TextIO | None = None,
        save_path: str | None = None, game: Game | None = None) -> Game:
    """Play in the terminal until the game ends or the player quits; return the game."""
    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    st = Style(out)
    game = game or Game(loaded, seed)
    save_to = save_path or f"{loaded.scenario.scenario.id}-save.json"

    def say(text: str = "") -> None:
        out.write(text + "\n")
        out.flush()

    meta = loaded.scenario.scenario
    say(st.bold(meta.title) + (f"  {meta.title_native}" if meta.title_native else ""))
    if meta.subtitle:
        say(meta.subtitle)
    if meta.description:
        say(wrap(meta.description, st.width))
    say(st.dim("Type h for help. Choices by number."))
    say()
    say(event_lines(game, list(game.state.log), st))
    while not game.is_over():
        say()
        say(header(game, st))
        say(decision_block(game, st))
        say(st.dim("  d draft · b briefing · l log · u undo · s save · o load · h help · q quit"))
        out.write("> ")
        out.flush()
        line = inp.readline()
        if not line:
            say()
            say("End of input: leaving the game.")
            return game
        cmd, _, arg = line.strip().partition(" ")
        if not cmd:
            continue
        if cmd.lstrip("-").isdecimal() and cmd.lstrip("-").isascii():
            legal = game.legal_actions()
            n = int(cmd)
            if not 1 <= n <= len(legal):
                say(st.red(f"Choose a number from 1 to {len(legal)}."))
                continue
            events = game.apply(legal[n - 1])
            say()
            say(event_lines(game, events, st))
        elif cmd == "d":
            say(draft(game, st))
        elif cmd == "b":
            for doc in loaded.scenario.briefing:
                say(st.bold(doc.title) + (f" — {doc.date}" if doc.date else ""))
                say(wrap(doc.text, st.width - 2, "  "))
                say()
        elif cmd == "l":
            say(event_lines(game, list(game.state.log), st))
        elif cmd == "u":
            if not game.action_log:
                say("Nothing to undo.")
            else:
                game.undo()
                say("Undone.")
        elif cmd == "s":
            target = arg.strip() or save_to
            try:
                persist.save(game, target)
                say(f"Saved to {target}.")
            except OSError as exc:
                say(st.red(f"Could not save to {target}: {exc}"))
        elif cmd == "o":
            if not arg.strip():
                say("Give a file: o FILE")
                continue
            try:
                game = persist.load(Path(arg.strip()), loaded)
                say(f"Loaded {arg.strip()}.")
            except NegotiationError as exc:
                say(st.red(str(exc)))
        elif cmd in ("h", "?", "help"):
            say(HELP)
        elif cmd in ("q", "quit", "exit"):
            say("Leaving the game.")
            return game
        else:
            say(st.red(f"Unknown command {cmd!r}; type h for help."))
    say()
    say(score_card_text(score_card(game), st))
    return game
