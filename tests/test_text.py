"""Safe echo: control characters escaped, long values cut, suggestions bounded."""

from __future__ import annotations

import pytest

from negotiation.errors import Diagnostic
from negotiation.text import Suggester, listing, printable, shorten, show


@pytest.mark.parametrize("raw,shown", [
    ("plain text, 中蘇友好", "plain text, 中蘇友好"),
    ("\x1b[2J", "\\x1b[2J"),
    ("a\x00b", "a\\x00b"),
    ("bell\x07", "bell\\x07"),
    ("\x9b31m", "\\x9b31m"),
    ("abc\u202edcba", "abc\\u202edcba"),
    ("line\nbreak", "line\\x0abreak"),
    ("tab\there", "tab\\x09here"),
])
def test_printable_escapes_what_a_terminal_would_obey(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_printable_can_keep_line_breaks_for_running_text() -> None:
    assert printable("one\ntwo\t\x1b", keep_newlines=True) == "one\ntwo\t\\x1b"


def test_shorten_says_how_much_was_cut() -> None:
    assert shorten("x" * 10, 80) == "x" * 10
    cut = shorten("x" * 5_000_000, 80)
    assert len(cut) <= 100 and "4,999,944 more characters" in cut


def test_show_and_listing_are_bounded() -> None:
    assert len(show("\x1b" * 10_000)) < 400
    assert listing([f"n{i}" for i in range(100)], 3) == "n0, n1, n2 and 97 more"


def test_a_diagnostic_prints_on_one_line_escaped_and_cut() -> None:
    d = Diagnostic("f\x1b.yaml", 3, 4, "k" * 10_000, "bad value '\x1b[31mred'\nsecond line", "fix\x07 it")
    text = str(d)
    assert "\n" not in text and "\x1b" not in text and "\x07" not in text
    assert text.startswith("f\\x1b.yaml:3:4: kkk")
    assert len(text) < 2_000


def test_suggester_finds_close_names_and_stops_after_its_budget() -> None:
    s = Suggester(["patience", "confidence", "us_support"], budget=2)
    assert s.suggest("patiense") == "patience"
    assert s.suggest("patiense") == "patience"  # remembered, not counted again
    assert s.suggest("confidense") == "confidence"
    assert s.suggest("us_suport") is None  # budget spent
    assert s.hint("zzz") == ""


def test_suggester_ignores_absurd_words() -> None:
    assert Suggester(["patience"]).suggest("p" * 10_000) is None
