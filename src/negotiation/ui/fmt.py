"""Words for the screens: dates, speakers, events and past actions (pure functions over the engine)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from negotiation.engine.actions import Action
from negotiation.engine.game import Game
from negotiation.engine.rules import DecisionRules, Rules
from negotiation.engine.state import GameEvent
from negotiation.errors import InvalidActionError

NEWS_KINDS = ("EventOccurred", "PhaseEntered", "Logged")
GOOD = ("OfferAccepted", "ArticleSettled", "TreatySigned", "MandateWidened", "DemandLowered", "SupportGained")
BAD = ("Threatened", "TalksBroken", "MandateExceeded", "ArticleReopened", "OfferRefused", "SigningRefused",
       "MandateRefused", "SupportDenied")


def long_date(day: dt.date) -> str:
    """'Monday 2 July 1945'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """'2 Jul'."""
    return f"{day.day} {day:%b}"


def iso_to_text(text: str) -> str:
    """'1945-07-02' -> '2 July 1945' (unchanged if not a date)."""
    try:
        d = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{d.day} {d:%B %Y}"


def actor_name(rules: Rules, actor_id: str | None) -> str:
    """An actor's name, or ''."""
    if actor_id is None:
        return ""
    a = rules.actors.get(actor_id)
    return a.name if a is not None else actor_id


@dataclass(frozen=True, slots=True)
class Line:
    """One message of the log as the screens show it."""

    date: dt.date
    who: str
    text: str
    tone: str  # good, bad, news, move, end, plain


def event_line(rules: Rules, e: GameEvent) -> Line:
    """How one engine event reads."""
    who = actor_name(rules, e.speaker)
    if e.kind == "MoveMade":
        who, tone = "You", "move"
    elif e.kind in GOOD:
        tone = "good"
    elif e.kind in BAD:
        tone = "bad"
    elif e.kind in NEWS_KINDS:
        tone = "news"
    elif e.kind == "GameEnded":
        tone = "end"
    else:
        tone = "plain"
    return Line(e.day, who, e.text, tone)


def action_label(rules: Rules, dec: DecisionRules, text: str) -> str:
    """A past action in words, without the state it was taken in (for the historical shadow)."""
    try:
        a = Action.parse(text)
    except InvalidActionError:
        return text
    art = rules.articles[dec.model.article] if dec.model.article else None
    if a.kind == "counter" and art is not None and a.arg in art.ids:
        return "Propose: " + art.model.positions[art.ids.index(a.arg)].label
    if a.kind == "option":
        o = next((o for o in dec.model.options if o.id == a.arg), None)
        return o.label if o is not None else a.arg
    return {
        "accept": "Accept the demand on the table",
        "hold": "Hold firm",
        "mandate": "Ask for a wider mandate",
        "us": "Ask the ally for support",
        "walkout": "Walk out of the session",
        "sign": "Propose signing",
    }.get(a.kind, text)


@dataclass(frozen=True, slots=True)
class Shadow:
    """One decision of the game set beside what the real delegation did."""

    title: str
    date: dt.date
    yours: tuple[str, ...]
    theirs: tuple[str, ...]
    history: str
    same: bool


def shadow(game: Game) -> list[Shadow]:
    """The historical shadow: each decision taken, your moves and the delegation's in 1945."""
    r = game.rules
    out: list[Shadow] = []
    groups: list[tuple[str, list[str]]] = []
    for d_id, act in game.action_log:
        if groups and groups[-1][0] == d_id:
            groups[-1][1].append(act)
        else:
            groups.append((d_id, [act]))
    for d_id, acts in groups:
        dec = r.decisions[d_id]
        hist = list(dec.model.historical)
        out.append(Shadow(
            dec.model.title, dec.model.date,
            tuple(action_label(r, dec, a) for a in acts),
            tuple(action_label(r, dec, a) for a in hist),
            dec.model.history, acts == hist[: len(acts)] and len(acts) == len(hist),
        ))
    return out


@dataclass(frozen=True, slots=True)
class Coming:
    """An entry of the calendar."""

    date: dt.date
    title: str
    kind: str  # event, session, phase


def calendar(game: Game, limit: int = 40) -> list[Coming]:
    """What is scheduled after today: events, sessions and phases, by date."""
    r = game.rules
    s = r.scenario
    today = game.state.date
    items: list[Coming] = []
    for ev, _ in r.events:
        if ev.date.toordinal() > today:
            items.append(Coming(ev.date, ev.title, "event"))
    seen: set[tuple[dt.date, str]] = set()
    for d in s.decisions:
        if d.date.toordinal() > today and (d.date, d.title) not in seen:
            seen.add((d.date, d.title))
            items.append(Coming(d.date, d.title, "session"))
    for ph in s.phases:
        if ph.start.toordinal() > today:
            items.append(Coming(ph.start, ph.title, "phase"))
    order = {"phase": 0, "event": 1, "session": 2}
    items.sort(key=lambda c: (c.date, order[c.kind]))
    return items[:limit]
