"""Player actions: imperative, with a text form for logs and scripts."""

from __future__ import annotations

from dataclasses import dataclass

from negotiation.errors import InvalidActionError

KINDS = ("accept", "counter", "hold", "mandate", "us", "walkout", "sign", "option")


@dataclass(frozen=True, slots=True)
class Action:
    """A move by the player, named like ``accept``, ``counter:plebiscite`` or ``option:link``."""

    kind: str
    arg: str = ""

    @property
    def id(self) -> str:
        """The action's text form, as stored in logs and scripts."""
        return f"{self.kind}:{self.arg}" if self.arg else self.kind

    @classmethod
    def parse(cls, text: str) -> Action:
        """Read an action from its text form; raise InvalidActionError if it is malformed."""
        kind, _, arg = text.strip().partition(":")
        if kind not in KINDS:
            raise InvalidActionError(
                f"{text!r} is not an action; actions are {', '.join(KINDS)} (e.g. counter:<position>)")
        if kind in ("counter", "option") and not arg:
            raise InvalidActionError(f"{text!r} needs an argument: {kind}:<id>")
        if kind not in ("counter", "option") and arg:
            raise InvalidActionError(f"{text!r}: '{kind}' takes no argument")
        return cls(kind, arg)

    def __str__(self) -> str:
        return self.id
