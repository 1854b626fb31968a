"""The player's moves: one vocabulary, with a text form for logs and scripts.

:class:`MoveKind` names every kind of move; :mod:`negotiation.engine.moves` gives each its
handler (when it is legal, what it does, what it risks). An action is a kind and, for counters
and options, an argument: ``accept``, ``counter:plebiscite``, ``option:link``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from negotiation.errors import InvalidActionError


class MoveKind(StrEnum):
    """Every kind of move the player can make."""

    ACCEPT = "accept"  # take the demand on the table
    COUNTER = "counter"  # propose a rung of the ladder (argument: the position id)
    HOLD = "hold"  # refuse and wait for a better demand
    MANDATE = "mandate"  # cable the principal for a wider mandate on the article
    ALLY = "ally"  # ask the ally for support
    MEDIATE = "mediate"  # ask the mediator to propose terms on the article
    WALKOUT = "walkout"  # walk out of the session
    SIGN = "sign"  # propose signing the treaty as it stands
    OPTION = "option"  # one of the scenario's authored choices (argument: the option id)


ALIASES = {"us": MoveKind.ALLY}
"""Names of earlier formats, still read (``us`` was the ally's move in format 1)."""

WITH_ARGUMENT = frozenset({MoveKind.COUNTER, MoveKind.OPTION})
STANDARD = tuple(k for k in MoveKind if k is not MoveKind.OPTION)
"""The standard moves, in the order the front ends list them (after the scenario's own options)."""

KINDS = tuple(str(k) for k in MoveKind)


@dataclass(frozen=True, slots=True)
class Action:
    """A move by the player, named like ``accept``, ``counter:plebiscite`` or ``option:link``."""

    kind: str
    arg: str = ""
    id: str = field(init=False, compare=False, repr=False)
    """The action's text form, as stored in logs and scripts (made once: every move logs it)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", f"{self.kind}:{self.arg}" if self.arg else str(self.kind))

    @classmethod
    def parse(cls, text: str) -> Action:
        """Read an action from its text form; raise InvalidActionError if it is malformed."""
        kind, _, arg = text.strip().partition(":")
        kind = ALIASES.get(kind, kind)
        if kind not in KINDS:
            shown = text if len(text) <= 60 else text[:57] + "..."
            raise InvalidActionError(
                f"{shown!r} is not an action; actions are {', '.join(KINDS)} (e.g. counter:<position>)")
        if kind in WITH_ARGUMENT and not arg:
            raise InvalidActionError(f"{text!r} needs an argument: {kind}:<id>")
        if kind not in WITH_ARGUMENT and arg:
            raise InvalidActionError(f"{text!r}: '{kind}' takes no argument")
        return cls(str(kind), arg)

    def __str__(self) -> str:
        return self.id
