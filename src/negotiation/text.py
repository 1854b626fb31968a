"""Text that is safe to show: control characters escaped, long values cut, suggestions bounded.

Pygame-free and dependency-free: diagnostics, the command line and the terminal front end all use it.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable

# bidirectional overrides and isolates can make text read differently from what it is ("trojan source")
_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}
_KEEP_LINES = frozenset("\n\t")


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or code in _BIDI or code in (0x2028, 0x2029) or 0xD800 <= code < 0xE000


def printable(text: str, keep_newlines: bool = False) -> str:
    """Escape control characters, escape sequences and bidi overrides as ``\\x1b``, ``\\u202e``.

    With ``keep_newlines`` line feeds and tabs stay (for running text in the terminal); otherwise
    they are escaped too, so that one message stays on one line.
    """
    if text.isprintable() and (keep_newlines or "\n" not in text):
        return text  # the common case, checked in C
    keep = _KEEP_LINES if keep_newlines else frozenset()
    return "".join(_escape(ch) if _unsafe(ch) and ch not in keep else ch for ch in text)


def shorten(text: str, limit: int = 80) -> str:
    """Cut a text to at most ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    keep = max(limit - 24, 8)
    return f"{text[:keep]}… ({len(text) - keep:,} more characters)"


def show(value: object, limit: int = 80) -> str:
    """A value as it can be echoed in a message: cut, then escaped, on one line."""
    return printable(shorten(str(value), limit))


def listing(items: Iterable[str], limit: int = 20) -> str:
    """A comma-separated list of at most ``limit`` items ("and N more")."""
    items = list(items)
    head = ", ".join(show(x, 40) for x in items[:limit])
    return head + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


class Suggester:
    """'Did you mean' for unknown names: the known names indexed once, a bounded number of suggestions.

    Only names of a similar length can reach difflib's cutoff, so candidates come from a length
    index; after ``budget`` lookups of new names it stops suggesting (a file with a thousand
    unknown names needs its first few fixed first, not a thousand guesses).
    """

    CUTOFF = 0.6

    def __init__(self, names: Iterable[str], budget: int = 50) -> None:
        self._by_length: dict[int, list[str]] = {}
        for name in sorted(set(names)):
            self._by_length.setdefault(len(name), []).append(name)
        self._budget = budget
        self._seen: dict[str, str | None] = {}

    def suggest(self, word: str) -> str | None:
        """The closest known name, or None (also when the budget is spent, or the word is absurdly long)."""
        if word in self._seen:
            return self._seen[word]
        if self._budget <= 0 or len(word) > 200:
            return None
        self._budget -= 1
        # ratio = 2*matches/(len_a + len_b) >= CUTOFF needs the shorter to be >= CUTOFF/(2-CUTOFF) of the longer
        k = self.CUTOFF / (2 - self.CUTOFF)
        lo, hi = math.ceil(len(word) * k), math.floor(len(word) / k)
        candidates = [n for length in range(lo, hi + 1) for n in self._by_length.get(length, ())]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=self.CUTOFF)
        found = close[0] if close else None
        self._seen[word] = found
        return found

    def hint(self, word: str) -> str:
        """``did you mean 'x'?``, or an empty string."""
        found = self.suggest(word)
        return f"did you mean '{found}'?" if found else ""


__all__ = ["Suggester", "listing", "printable", "shorten", "show"]
