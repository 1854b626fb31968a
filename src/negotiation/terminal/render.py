"""Plain-text layout of the game for the terminal front end and the CLI (the words come from the presenter)."""

from __future__ import annotations

import os
import sys
import textwrap
from typing import TextIO

from negotiation.engine.events import GameEvent, Kind
from negotiation.engine.game import Game
from negotiation.present import Choice, Presenter, long_date, signed_number
from negotiation.scoring import ScoreCard
from negotiation.text import printable as _p  # scenario text is data: escape sequences in it are shown, not obeyed


class Style:
    """ANSI styling, off when the stream is not a terminal or NO_COLOR is set."""

    def __init__(self, stream: TextIO | None = None, width: int | None = None) -> None:
        stream = stream or sys.stdout
        self.on = bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ
        self.width = width or max(60, min(100, _terminal_width()))

    def _wrap(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.on else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def red(self, text: str) -> str:
        return self._wrap("31", text)

    def green(self, text: str) -> str:
        return self._wrap("32", text)

    def yellow(self, text: str) -> str:
        return self._wrap("33", text)

    def blue(self, text: str) -> str:
        return self._wrap("34", text)


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((88, 24)).columns


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap a paragraph (keeping blank lines) to ``width`` with an indent."""
    paras = _p(text, keep_newlines=True).split("\n")
    return "\n".join(
        textwrap.fill(p, width, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
        for p in paras
    )


def meter(value: float, lo: float, hi: float, cells: int = 10) -> str:
    """A bar like ██████░░░░ for a value within its bounds."""
    frac = 0.0 if hi <= lo else (value - lo) / (hi - lo)
    full = round(max(0.0, min(1.0, frac)) * cells)
    return "█" * full + "░" * (cells - full)


def header(game: Game, st: Style, changes: dict[str, float] | None = None) -> str:
    """Title, date, phase and meters (with the last move's changes beside them)."""
    r = game.rules
    p = Presenter(r)
    meta = r.scenario.scenario
    ph = r.phases[game.state.phase]
    title = _p(meta.title.upper() + (f" · {meta.title_native}" if meta.title_native else ""))
    rule = "═" * st.width
    lines = [rule, " " + st.bold(title), f" {long_date(game.state.day)} · {_p(ph.title)}"
             + (f" · {_p(ph.location)}" if ph.location else ""), "─" * st.width]
    meters = []
    for vid, label, val, lo, hi in p.meters(game):
        mark = ""
        if changes and vid in changes and round(changes[vid]):
            d = changes[vid]
            mark = " " + (st.green if d > 0 else st.red)(f"({signed_number(d)})")
        meters.append(f"{_p(label)} {meter(val, lo, hi)} {val:3.0f}{mark}")
    row = " "
    for m in meters:
        if len(row) + len(m) + 3 > st.width + 10 * st.on:
            lines.append(row.rstrip())
            row = " "
        row += m + "   "
    if row.strip():
        lines.append(row.rstrip())
    lines.append("─" * st.width)
    return "\n".join(lines)


def event_lines(game: Game, events: list[GameEvent], st: Style) -> str:
    """Render events as a readable message list."""
    p = Presenter(game.rules)
    out = []
    last_day: int | None = None
    for e in events:
        ln = p.event_line(e)
        if ln is None:
            continue
        if e.date != last_day and e.kind in (Kind.EVENT_OCCURRED, Kind.PHASE_ENTERED):
            out.append(st.dim(f" {long_date(e.day)}"))
        last_day = e.date
        text = ln.text
        if ln.tone == "move":
            text = "You: " + text
        elif ln.who:
            text = f"{ln.who}: {text}"
        if ln.tone == "meters":
            out.append(st.dim(wrap("    " + text, st.width)))
            continue
        if ln.tone == "session":
            out.append(st.bold(f" — {_p(text)} —"))
            continue
        text = wrap(text, st.width, "  ")
        if ln.tone == "bad":
            text = st.red(text) if e.kind in (Kind.THREATENED, Kind.TALKS_BROKEN) else st.yellow(text)
        elif ln.tone == "good":
            text = st.green(text)
        elif ln.tone in ("end",) or e.kind == Kind.PHASE_ENTERED:
            text = st.bold(text)
        out.append(text)
    return "\n".join(out)


def choice_line(c: Choice, st: Style) -> str:
    """' 3. Propose: 30 years' with its risk line under it."""
    key = f"{c.key}." if not c.standard else f"[{c.key}]"
    first = wrap(c.label, st.width - 8, "")
    head = f"  {key:>4} " + first.replace("\n", "\n       ")
    risk = wrap(c.risk, st.width - 9, "")
    risk = "\n".join("         " + ln for ln in risk.splitlines())
    return head + "\n" + ((st.red if c.danger else st.dim)(risk))


def decision_block(game: Game, st: Style) -> str:
    """The pending decision: who speaks, the demand, and the choices with their keys and risks."""
    d = game.decision()
    if d is None:
        return ""
    m = d.model
    r = game.rules
    p = Presenter(r)
    who = r.actors.get(m.speaker)
    head = st.bold(_p(m.title))
    if who is not None:
        head += st.dim(_p(f" — {who.name}" + (f", {who.title}" if who.title else "")))
    lines = [head, wrap(m.text, st.width - 2, "  ")]
    if m.article:
        art = r.articles[m.article]
        a = game.state.articles[m.article]
        lines.append("")
        lines.append(f"  {st.bold('On the table')}: {_p(art.model.title)}")
        lines.append(f"    Their demand: {_p(art.model.positions[a.demand].label)}")
        lines.append(f"    Your mandate: {_p(art.model.positions[a.mandate].label)}")
        if a.offer >= 0 and a.offer < a.demand:
            lines.append(f"    Your last offer: {_p(art.model.positions[a.offer].label)}")
        if m.rounds > 1:
            lines.append(st.dim(f"    Exchange {game.state.round} of {m.rounds}"))
    note = p.signing_note(game)
    lines.append("")
    choices = p.choices(game)
    numbered = [c for c in choices if not c.standard]
    lettered = [c for c in choices if c.standard]
    for c in numbered:
        lines.append(choice_line(c, st))
    if lettered:
        lines.append(st.dim("  — or —"))
        for c in lettered:
            lines.append(choice_line(c, st))
    if note and not any(c.action.kind == "sign" for c in choices):
        lines.append(st.dim(wrap(note, st.width - 4, "  ")))
    return "\n".join(lines)


def draft(game: Game, st: Style) -> str:
    """Every article on its ladder, marking the agreed rung, the demand, your offer and the mandate."""
    out = [st.bold("THE DRAFT TREATY")]
    for art_id, art in game.rules.articles.items():
        a = game.state.articles[art_id]
        status = "agreed" if a.settled >= 0 else "open"
        out.append(f"\n {st.bold(_p(art.model.title))} ({status})")
        for i, pos in enumerate(art.model.positions):
            marks = []
            if i == a.settled:
                marks.append(st.green("AGREED"))
            if a.settled < 0 and i == a.demand:
                marks.append(st.red("their demand"))
            if a.settled < 0 and i == a.offer:
                marks.append(st.yellow("your offer"))
            if i == a.mandate:
                marks.append(st.dim("your mandate"))
            bullet = "●" if i == a.settled else "○"
            out.append(f"   {bullet} {_p(pos.label)}" + (f"  ← {', '.join(marks)}" if marks else ""))
    return "\n".join(out)


def score_card_text(card: ScoreCard, st: Style) -> str:
    """The score card: per article, yours against history, then the totals."""
    w = st.width
    out = ["═" * w, " " + st.bold("SCORE CARD") + f" — {_p(card.ending_title)}"]
    if card.signed_on:
        delta = card.days_from_history or 0
        side = "after" if delta > 0 else "before"
        when = "on the historical date" if delta == 0 else f"{abs(delta)} days {side} history"
        out.append(f" Signed {long_date(card.signed_on)} ({when})")
    else:
        out.append(" No treaty was signed: below, what stands without one.")
    out.append("─" * w)
    year = str(card.historical_signed_on.year) if card.historical_signed_on else "History"
    for a in card.articles:
        diff = signed_number(a.difference)
        diff = st.green(diff) if a.difference > 0 else st.red(diff) if a.difference < 0 else diff
        out.append(f" {st.bold(_p(a.title))} (weight {a.weight:g})   {diff}")
        out.append(wrap(f"Yours: {a.position_label}", w - 4, "    "))
        out.append(wrap(f"{year + ':':6} {a.historical_label}", w - 4, "    "))
        out.append(st.dim(wrap(a.explanation, w - 4, "    ")))
    out.append("─" * w)
    out.append(f" Interest score: {card.interest:+.1f}  ({year} = 0; above 0 is better for your side)")
    out.append(f" Fidelity:       {card.fidelity * 100:.1f}%  ({year} = 100%)")
    if card.epilogue:
        out.append("")
        out.append(wrap(card.epilogue, w - 2, " "))
    out.append("═" * w)
    return "\n".join(out)
