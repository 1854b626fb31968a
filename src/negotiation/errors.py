"""Error types of the negotiation engine: narrow, and telling syntax from legality."""

from __future__ import annotations

from dataclasses import dataclass

from negotiation.text import show


class NegotiationError(Exception):
    """Base of every error this package raises on purpose."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem in a scenario file, located and with a hint to fix it."""

    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """``file:line:column: field: message (hint)`` on one line, control characters escaped, long parts cut."""
        hint = f" ({show(self.hint, 600)})" if self.hint else ""
        where = show(self.field, 200) if self.field else "<document>"
        return f"{show(self.file, 300)}:{self.line}:{self.column}: {where}: {show(self.message, 1000)}{hint}"


class ScenarioError(NegotiationError):
    """A scenario failed to load or validate; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic], what: str = "scenario") -> None:
        self.diagnostics = list(diagnostics)
        n = len(self.diagnostics)
        head = f"{what} validation found {n} error{'s' if n != 1 else ''}"
        super().__init__(head + "\n" + "\n".join(str(d) for d in self.diagnostics))


class ExpressionError(NegotiationError):
    """A condition or formula in a scenario does not parse or names an unknown thing."""

    def __init__(self, message: str, column: int = 0) -> None:
        self.column = column
        super().__init__(message)


class RuleError(NegotiationError):
    """A scenario's formula cannot be computed at play time: its result overflows or is not a number."""

    def __init__(self, message: str, expression: str = "") -> None:
        self.expression = expression
        super().__init__(message)


class InvalidActionError(NegotiationError):
    """The action is malformed: its text does not name any kind of action."""


class IllegalActionError(NegotiationError):
    """The action is well-formed but not legal in the current state of the game."""


class GameOverError(IllegalActionError):
    """The game has ended; no further action is legal."""


class SaveError(NegotiationError):
    """A save or replay file is unreadable, corrupt, of the wrong version or scenario."""
