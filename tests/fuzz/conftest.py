"""Writes the fuzz tally to NEGOTIATION_FUZZ_REPORT at the end of the run (see fuzz_harness.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fuzz_harness import TALLY


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = os.environ.get("NEGOTIATION_FUZZ_REPORT")
    if path and TALLY:
        Path(path).write_text(json.dumps(dict(sorted(TALLY.items())), indent=1) + "\n", encoding="utf-8")
