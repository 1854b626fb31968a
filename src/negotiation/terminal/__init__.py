"""The terminal front end: the same Game API as every other client, in plain text."""

from negotiation.terminal.app import run

__all__ = ["run"]
