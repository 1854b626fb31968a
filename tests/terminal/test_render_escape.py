"""Scenario text reaches the terminal as text: escape sequences in it are shown, never obeyed."""

from __future__ import annotations

import io

from negotiation import Game
from negotiation.scenario.loader import load_text
from negotiation.terminal.render import Style, decision_block, draft, event_lines, header


def test_escape_sequences_in_scenario_text_are_escaped_in_the_terminal(mini_text: str) -> None:
    evil = "\\e[2J\\e]0;owned\\a"  # YAML escapes: clear the screen, set the window title, ring the bell
    text = (mini_text.replace("title: A small negotiation", f'title: "A small {evil} negotiation"', 1)
            .replace("text: The rival wants the port.", f'text: "The rival {evil} wants the port."', 1)
            .replace("title: The port\n", f'title: "The {evil} port"\n', 1)
            .replace("label: Ours,", f'label: "O{evil}urs",', 1))
    loaded = load_text(text, "evil.yaml")
    game = Game(loaded, seed=1)
    st = Style(io.StringIO(), width=80)
    events = game.apply(game.legal_actions()[0])
    shown = "\n".join([header(game, st), decision_block(game, st), draft(game, st), event_lines(game, events, st)])
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b[2J" in shown
    assert "The rival \\x1b[2J" in decision_block(Game(loaded, seed=1), st)
