"""Progress bars on standard error for long commands (tqdm), silent off a terminal or when asked.

tqdm is imported only when a bar is actually drawn: a command whose standard error is a file or
a pipe, or that runs with ``--quiet``, pays nothing for it.
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any


class Bar:
    """A progress bar: ``update(n)`` as work finishes, ``describe(text)`` for the current stage."""

    def __init__(self, total: int | None, desc: str, unit: str = "it", quiet: bool = False) -> None:
        self._bar: Any = None
        if quiet or not _stderr_is_terminal():
            return
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: batches fork worker processes while the bar is shown
        sized = _columns() > 0  # a terminal of unknown width (0 columns) would get an empty bar
        self._bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=sized,
                         ncols=None if sized else 80, nrows=None if sized else 24, mininterval=0.2)

    @property
    def shown(self) -> bool:
        """Whether a bar is drawn at all."""
        return self._bar is not None

    def update(self, n: int = 1) -> None:
        """Count ``n`` more units of work done."""
        if self._bar is not None:
            self._bar.update(n)

    def advance_to(self, done: int) -> None:
        """Set the count of units done (never backwards)."""
        if self._bar is not None and done > self._bar.n:
            self._bar.update(done - self._bar.n)

    def set_total(self, total: int) -> None:
        """Set the units of work in all, once known."""
        if self._bar is not None and self._bar.total != total:
            self._bar.total = total
            self._bar.refresh()

    def describe(self, text: str) -> None:
        """Show what is being done now."""
        if self._bar is not None:
            self._bar.set_description_str(text, refresh=False)

    def close(self) -> None:
        """Remove the bar from the terminal."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 0


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced by something without isatty
        return False


__all__ = ["Bar"]
