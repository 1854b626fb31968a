"""The one serializable value that holds everything that changes during a game."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(slots=True)
class ArticleState:
    """Where one article stands: indices into its ladder (0 = the player's best)."""

    demand: int
    mandate: int
    offer: int = -1
    settled: int = -1
    softening: float = 0.0

    def copy(self) -> ArticleState:
        return ArticleState(self.demand, self.mandate, self.offer, self.settled, self.softening)


class GameEvent(NamedTuple):
    """Something that happened, for the message log and the front ends (past tense kinds).

    ``kind`` is one of: DecisionPresented, MoveMade, OfferAccepted, OfferRefused, DemandLowered,
    Threatened, ArticleSettled, ArticleReopened, MandateExceeded, MandateWidened, MandateRefused,
    SupportGained, SupportDenied, WalkedOut, TalksBroken, SigningRefused, TreatySigned,
    EventOccurred, PhaseEntered, Logged, GameEnded.
    """

    kind: str
    turn: int
    date: int
    text: str
    speaker: str | None = None
    article: str | None = None

    @property
    def day(self) -> dt.date:
        """The calendar date of the event."""
        return dt.date.fromordinal(self.date)

    def to_list(self) -> list[Any]:
        """Return the event as a JSON-ready list."""
        return list(self)


@dataclass(slots=True)
class GameState:
    """Phase, date, variables, articles, the pending decision, the log and the RNG state."""

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
    asks: dict[str, int] = field(default_factory=lambda: {"mandate": 0, "us": 0})
    signed_on: int | None = None
    ending: str | None = None
    log: list[GameEvent] = field(default_factory=list)
    trace: list[tuple[int, int, dict[str, float]]] = field(default_factory=list)

    @property
    def signed(self) -> bool:
        """Whether the treaty has been signed."""
        return self.signed_on is not None

    @property
    def day(self) -> dt.date:
        """The current calendar date."""
        return dt.date.fromordinal(self.date)

    def copy(self) -> GameState:
        """Return an independent copy (log entries are immutable and shared)."""
        return GameState(
            self.seed, self.rng, self.phase, self.date, dict(self.variables),
            {k: a.copy() for k, a in self.articles.items()}, self.turn, self.decision, self.round, self.step,
            dict(self.cursor), self.event_cursor, dict(self.asks), self.signed_on, self.ending,
            list(self.log), list(self.trace),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready data."""
        return {
            "seed": self.seed,
            "rng": self.rng,
            "phase": self.phase,
            "date": dt.date.fromordinal(self.date).isoformat(),
            "variables": dict(self.variables),
            "articles": {
                k: {"demand": a.demand, "mandate": a.mandate, "offer": a.offer, "settled": a.settled,
                    "softening": a.softening}
                for k, a in self.articles.items()
            },
            "turn": self.turn,
            "decision": self.decision,
            "round": self.round,
            "step": self.step,
            "cursor": dict(self.cursor),
            "event_cursor": self.event_cursor,
            "asks": dict(self.asks),
            "signed_on": None if self.signed_on is None else dt.date.fromordinal(self.signed_on).isoformat(),
            "ending": self.ending,
            "log": [e.to_list() for e in self.log],
            "trace": [[t, dt.date.fromordinal(d).isoformat(), dict(v)] for t, d, v in self.trace],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GameState:
        """Rebuild a state from :meth:`to_dict` data; raise KeyError/TypeError/ValueError if malformed."""
        return cls(
            seed=int(data["seed"]),
            rng=int(data["rng"]),
            phase=str(data["phase"]),
            date=dt.date.fromisoformat(data["date"]).toordinal(),
            variables={str(k): v for k, v in data["variables"].items()},
            articles={str(k): ArticleState(**v) for k, v in data["articles"].items()},
            turn=int(data["turn"]),
            decision=data["decision"],
            round=int(data["round"]),
            step=int(data["step"]),
            cursor={str(k): int(v) for k, v in data["cursor"].items()},
            event_cursor=int(data["event_cursor"]),
            asks={str(k): int(v) for k, v in data["asks"].items()},
            signed_on=None if data["signed_on"] is None else dt.date.fromisoformat(data["signed_on"]).toordinal(),
            ending=data["ending"],
            log=[GameEvent(*e) for e in data["log"]],
            trace=[(int(t), dt.date.fromisoformat(d).toordinal(), dict(v)) for t, d, v in data["trace"]],
        )


def join_title(title: str, text: str) -> str:
    """Join a title and its text into one log line ('Title. Text', or 'Title? Text')."""
    if not text:
        return title
    sep = " " if title[-1:] in ".!?:" else ". "
    return f"{title}{sep}{text}"
