"""Plain-text rendering of the game for the terminal front end and the CLI."""

from __future__ import annotations

import datetime as dt
import os
import sys
import textwrap
from typing import TextIO

from negotiation.engine.game import Game
from negotiation.engine.state import GameEvent
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


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((88, 24)).columns


def long_date(day: dt.date) -> str:
    """'Monday 2 July 1945'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


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


def header(game: Game, st: Style) -> str:
    """Title, date, phase and meters."""
    r = game.rules
    meta = r.scenario.scenario
    ph = r.phases[game.state.phase]
    title = _p(meta.title.upper() + (f" · {meta.title_native}" if meta.title_native else ""))
    rule = "═" * st.width
    lines = [rule, " " + st.bold(title), f" {long_date(game.state.day)} · {_p(ph.title)}"
             + (f" · {_p(ph.location)}" if ph.location else ""), "─" * st.width]
    meters = []
    for v in r.scenario.variables:
        if v.show and v.kind == "meter":
            val = game.state.variables[v.id]
            meters.append(f"{_p(v.label)} {meter(val, v.min, v.max)} {val:3.0f}")
    row = " "
    for m in meters:
        if len(row) + len(m) + 3 > st.width:
            lines.append(row.rstrip())
            row = " "
        row += m + "   "
    if row.strip():
        lines.append(row.rstrip())
    lines.append("─" * st.width)
    return "\n".join(lines)


def speaker_name(game: Game, actor_id: str | None) -> str:
    """'Stalin (Chairman of the Council of People's Commissars)' or ''."""
    if actor_id is None:
        return ""
    a = game.rules.actors.get(actor_id)
    return _p(a.name) if a is not None else actor_id


def event_lines(game: Game, events: list[GameEvent], st: Style) -> str:
    """Render events as a readable message list."""
    out = []
    last_day: int | None = None
    for e in events:
        if e.kind == "DecisionPresented":
            continue
        if e.date != last_day and e.kind in ("EventOccurred", "PhaseEntered"):
            out.append(st.dim(f" {long_date(e.day)}"))
        last_day = e.date
        who = speaker_name(game, e.speaker)
        text = e.text
        if e.kind == "MoveMade":
            text = "You: " + text
        elif who:
            text = f"{who}: {text}"
        text = wrap(text, st.width, "  ")
        if e.kind in ("Threatened", "TalksBroken", "MandateExceeded", "ArticleReopened"):
            text = st.red(text)
        elif e.kind == "OfferRefused":
            text = st.yellow(text)
        elif e.kind in ("OfferAccepted", "ArticleSettled", "TreatySigned", "MandateWidened", "DemandLowered"):
            text = st.green(text)
        elif e.kind in ("PhaseEntered", "GameEnded"):
            text = st.bold(text)
        out.append(text)
    return "\n".join(out)


def decision_block(game: Game, st: Style) -> str:
    """The pending decision: who speaks, the demand, and numbered choices."""
    d = game.decision()
    if d is None:
        return ""
    m = d.model
    r = game.rules
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
        lines.append(f"    Demand:  {_p(art.model.positions[a.demand].label)}")
        lines.append(f"    Mandate: {_p(art.model.positions[a.mandate].label)}")
        if m.rounds > 1:
            lines.append(st.dim(f"    Exchange {game.state.round} of {m.rounds}"))
    lines.append("")
    for i, action in enumerate(game.legal_actions(), 1):
        label, risk = game.describe(action)
        text = wrap(f"{label}" + (f"  [{risk}]" if risk else ""), st.width - 6, "      ")
        first, _, rest = text[6:].partition("\n")
        line = f"  {i:>2}. {first}" + (f"\n{rest}" if rest else "")
        if risk and st.on:  # dim the risk: it starts at its bracket, wherever the wrap put it
            at = line.rfind("[")
            line = line[:at] + st.dim(line[at:])
        lines.append(line)
    return "\n".join(lines)


def draft(game: Game, st: Style) -> str:
    """Every article on its ladder, marking the settled rung, the demand and the mandate."""
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
                marks.append(st.dim("mandate"))
            bullet = "●" if i == a.settled else "○"
            out.append(f"   {bullet} {_p(pos.label)}" + (f"  ← {', '.join(marks)}" if marks else ""))
    return "\n".join(out)


def score_card_text(card: ScoreCard, st: Style) -> str:
    """The score card: per article, yours against history, then the totals."""
    w = st.width
    out = ["═" * w, " " + st.bold("SCORE CARD") + f" — {_p(card.ending_title)}"]
    if card.signed_on:
        delta = card.days_from_history
        delta = delta or 0
        side = "after" if delta > 0 else "before"
        when = "on the historical date" if delta == 0 else f"{abs(delta)} days {side} history"
        out.append(f" Signed {long_date(card.signed_on)} ({when})")
    else:
        out.append(" No treaty was signed.")
    out.append("─" * w)
    year = str(card.historical_signed_on.year) if card.historical_signed_on else "History"
    for a in card.articles:
        diff = f"{a.difference:+.0f}"
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
