"""Helpers of the authoring-kit tests: broken variants of the small scenario, written to disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

MINI = Path(__file__).parents[1] / "fixtures" / "mini.yaml"

Variant = Callable[..., Path]


@pytest.fixture
def variant(tmp_path: Path) -> Variant:
    """Write mini.yaml with text replaced (each `old` must occur) and return its path."""

    def make(*edits: tuple[str, str], name: str = "variant.yaml") -> Path:
        text = MINI.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"the fixture no longer contains {old!r}"
            text = text.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make
