"""What happens in a game, as data: one vocabulary of event kinds, defined once.

The engine emits events that carry data (ids, ladder rungs, meter changes); words are made from
them at the edge, by :mod:`negotiation.present`. The only text an event holds is authored text of
the scenario (what a speaker says, an event's headline), already chosen by the engine.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, NamedTuple


class Kind(StrEnum):
    """Every kind of event the engine emits (past tense: things that happened)."""

    PHASE_ENTERED = "PhaseEntered"
    SESSION_OPENED = "SessionOpened"
    SESSION_ADJOURNED = "SessionAdjourned"
    DECISION_PRESENTED = "DecisionPresented"
    MOVE_MADE = "MoveMade"
    OFFER_ACCEPTED = "OfferAccepted"
    OFFER_REFUSED = "OfferRefused"
    DEMAND_LOWERED = "DemandLowered"
    CONCESSION_LAPSED = "ConcessionLapsed"
    THREATENED = "Threatened"
    ARTICLE_SETTLED = "ArticleSettled"
    ARTICLE_REOPENED = "ArticleReopened"
    MANDATE_EXCEEDED = "MandateExceeded"
    MANDATE_ASKED = "MandateAsked"
    MANDATE_WIDENED = "MandateWidened"
    MANDATE_REFUSED = "MandateRefused"
    SUPPORT_ASKED = "SupportAsked"
    SUPPORT_GAINED = "SupportGained"
    SUPPORT_DENIED = "SupportDenied"
    MEDIATED = "Mediated"  # the mediator proposed terms and the demand came down to them
    NO_BRIDGE = "NoBridge"  # the mediator found nothing between the two sides
    WALKED_OUT = "WalkedOut"
    TALKS_BROKEN = "TalksBroken"
    SIGNING_REFUSED = "SigningRefused"
    TERMS_RETABLED = "TermsRetabled"
    SIGNING_VETOED = "SigningVetoed"
    TREATY_SIGNED = "TreatySigned"
    REPLIED = "Replied"
    METERS_CHANGED = "MetersChanged"
    EVENT_OCCURRED = "EventOccurred"
    LOGGED = "Logged"
    GAME_ENDED = "GameEnded"


NEWS = frozenset({Kind.EVENT_OCCURRED, Kind.PHASE_ENTERED, Kind.LOGGED})
"""Kinds that report the world rather than the exchange at the table."""

GOOD = frozenset({Kind.OFFER_ACCEPTED, Kind.ARTICLE_SETTLED, Kind.TREATY_SIGNED, Kind.MANDATE_WIDENED,
                  Kind.DEMAND_LOWERED, Kind.SUPPORT_GAINED, Kind.MEDIATED})
BAD = frozenset({Kind.THREATENED, Kind.TALKS_BROKEN, Kind.MANDATE_EXCEEDED, Kind.ARTICLE_REOPENED,
                 Kind.OFFER_REFUSED, Kind.SIGNING_REFUSED, Kind.MANDATE_REFUSED, Kind.SUPPORT_DENIED,
                 Kind.CONCESSION_LAPSED, Kind.SIGNING_VETOED, Kind.TERMS_RETABLED, Kind.NO_BRIDGE})
"""How the front ends colour an event: good for the player, bad, or neither."""


class GameEvent(NamedTuple):
    """Something that happened: its kind, when, who spoke, about which article, and its data.

    ``text`` is authored text only (a line the speaker says, an event's headline and text, a
    decision's text); facts such as a settled article or a meter's change are in ``data``.
    """

    kind: str
    turn: int
    date: int
    text: str = ""
    speaker: str | None = None
    article: str | None = None
    data: dict[str, Any] | None = None

    @property
    def day(self) -> dt.date:
        """The calendar date of the event."""
        return dt.date.fromordinal(self.date)

    def get(self, key: str, default: Any = None) -> Any:
        """A value of the event's data."""
        return default if self.data is None else self.data.get(key, default)

    def to_list(self) -> list[Any]:
        """Return the event as a JSON-ready list."""
        out: list[Any] = [self.kind, self.turn, self.date, self.text, self.speaker, self.article]
        if self.data:
            out.append(dict(self.data))
        return out

    @classmethod
    def from_list(cls, items: list[Any]) -> GameEvent:
        """Rebuild an event from :meth:`to_list`."""
        kind, turn, date, text, speaker, article, *rest = items
        return cls(str(kind), int(turn), int(date), str(text), speaker, article, dict(rest[0]) if rest else None)


__all__ = ["BAD", "GOOD", "NEWS", "GameEvent", "Kind"]
