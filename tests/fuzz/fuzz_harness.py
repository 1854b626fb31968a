"""The fuzz suite's budget and its tally (conftest.py writes the tally out at the end).

``make test`` runs it with a small, fixed budget (Hypothesis derandomised: the same examples on
every run, no example database). ``make fuzz`` scales it: ``NEGOTIATION_FUZZ_SCALE`` multiplies
the examples of every property (default 1; still derandomised, so a scaled run is reproducible too),
``NEGOTIATION_FUZZ_KILLS`` sets the kill -9 count, and ``NEGOTIATION_FUZZ_REPORT`` names a JSON
file for the tally (how many inputs of each kind ran, and how each ended), which
docs/robustness.md quotes.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, settings

SCALE = float(os.environ.get("NEGOTIATION_FUZZ_SCALE", "1"))
KILLS = int(os.environ.get("NEGOTIATION_FUZZ_KILLS", "8"))
TALLY: Counter[str] = Counter()


def budget(examples: int) -> settings:
    """Hypothesis settings for a property: ``examples`` times the scale, deterministic, no deadline."""
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def tally(kind: str, outcome: str) -> None:
    """Count one fuzz input of ``kind`` and how it ended (``ok``, ``refused``, ...)."""
    TALLY[f"{kind}: {outcome}"] += 1
