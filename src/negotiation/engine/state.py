"""The one serializable value that holds everything that changes during a game."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from negotiation.engine.events import GameEvent

ADJOURNED, IN_SESSION, OVER = "adjourned", "in_session", "over"
"""The states of the session protocol (see :mod:`negotiation.engine.machine`)."""


@dataclass(slots=True)
class ArticleState:
    """Where one article stands: indices into its ladder (0 = the player's best).

    ``standing`` is the counterpart's demand as tabled when the session opened; ``demand`` is the
    demand on the table now, which his concessions lower within a session. What he conceded and
    the player did not take lapses when the session ends: ``demand`` returns to ``standing``.
    """

    demand: int
    mandate: int
    offer: int = -1
    settled: int = -1
    softening: float = 0.0
    standing: int = -1

    def copy(self) -> ArticleState:
        return ArticleState(self.demand, self.mandate, self.offer, self.settled, self.softening, self.standing)

    def to_dict(self) -> dict[str, Any]:
        return {"demand": self.demand, "standing": self.standing, "mandate": self.mandate, "offer": self.offer,
                "settled": self.settled, "softening": self.softening}


@dataclass(slots=True)
class GameState:
    """Phase, session, date, variables, articles, the pending decision, cables, the log and the RNG state."""

    seed: int
    rng: int
    phase: str
    date: int
    variables: dict[str, float]
    articles: dict[str, ArticleState]
    turn: int = 0
    decision: str | None = None
    round: int = 0
    step: int = 0
    cursor: dict[str, int] = field(default_factory=dict)
    event_cursor: int = 0
    asks: dict[str, int] = field(default_factory=lambda: {"mandate": 0, "ally": 0})
    signed_on: int | None = None
    ending: str | None = None
    log: list[GameEvent] = field(default_factory=list)
    trace: list[tuple[int, int, tuple[float, ...]]] = field(default_factory=list)  # the visible meters by turn
    protocol: str = ADJOURNED
    session_end: int = 0  # in session: the index (in the phase's decisions) where the next session begins
    delay: int = 0  # days that pass when the session adjourns ('days' effects inside a session)
    pending: list[tuple[int, str, str]] = field(default_factory=list)  # cables: (arrives, kind, article)
    said: dict[str, int] = field(default_factory=dict)  # how often each set of lines has been used
    last_move: str = ""

    @property
    def signed(self) -> bool:
        """Whether the treaty has been signed."""
        return self.signed_on is not None

    @property
    def day(self) -> dt.date:
        """The current calendar date."""
        return dt.date.fromordinal(self.date)

    @property
    def in_session(self) -> bool:
        """Whether a session is open (the calendar does not move inside one)."""
        return self.protocol == IN_SESSION

    def copy(self) -> GameState:
        """Return an independent copy (log entries are immutable and shared)."""
        return GameState(
            self.seed, self.rng, self.phase, self.date, dict(self.variables),
            {k: a.copy() for k, a in self.articles.items()}, self.turn, self.decision, self.round, self.step,
            dict(self.cursor), self.event_cursor, dict(self.asks), self.signed_on, self.ending,
            list(self.log), list(self.trace), self.protocol, self.session_end, self.delay, list(self.pending),
            dict(self.said), self.last_move,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {
            "seed": self.seed,
            "rng": self.rng,
            "phase": self.phase,
            "date": dt.date.fromordinal(self.date).isoformat(),
            "variables": dict(self.variables),
            "articles": {k: a.to_dict() for k, a in self.articles.items()},
            "turn": self.turn,
            "decision": self.decision,
            "round": self.round,
            "step": self.step,
            "cursor": dict(self.cursor),
            "event_cursor": self.event_cursor,
            "asks": dict(self.asks),
            "signed_on": None if self.signed_on is None else dt.date.fromordinal(self.signed_on).isoformat(),
            "ending": self.ending,
            "protocol": self.protocol,
            "session_end": self.session_end,
            "delay": self.delay,
            "pending": [[dt.date.fromordinal(d).isoformat(), k, a] for d, k, a in self.pending],
            "said": dict(self.said),
            "last_move": self.last_move,
            "log": [e.to_list() for e in self.log],
            "trace": [[t, dt.date.fromordinal(d).isoformat(), list(v)] for t, d, v in self.trace],
        }


def join_title(title: str, text: str) -> str:
    """Join a title and its text into one log line ('Title. Text', or 'Title? Text')."""
    if not text:
        return title
    sep = " " if title[-1:] in ".!?:" else ". "
    return f"{title}{sep}{text}"
