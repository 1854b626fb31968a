"""The expression language: parsed once, compiled to closures, never eval'd."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiation.errors import ExpressionError
from negotiation.scenario.expr import compile_node, parse

VALUES = {"patience": 30, "us_support": 55, "date": dt.date(1945, 8, 10).toordinal(), "at_war": 1}


def run(text: str) -> object:
    return compile_node(parse(text), lambda name: lambda s: VALUES[name])(None)


@pytest.mark.parametrize("text,expected", [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 4 - 3", 3),
    ("7 / 2", 3.5),
    ("5 / 0", 0.0),
    ("-patience + 40", 10),
    ("patience < 40 and us_support >= 55", True),
    ("patience > 40 or not at_war", False),
    ("not not at_war", True),
    ("date >= 1945-08-09", True),
    ("date - 1945-08-08", 2),
    ("min(patience, us_support, 99)", 30),
    ("max(patience, us_support)", 55),
    ("abs(patience - us_support)", 25),
    ("true + true", 2),
    ("false or patience == 30", True),
    ("patience != 30", False),
    ("80 - 0.5 * us_support", 52.5),
])
def test_expressions_evaluate(text: str, expected: object) -> None:
    """Arithmetic, comparisons, logic, dates and functions give the expected values."""
    assert run(text) == expected


@pytest.mark.parametrize("text,column,message", [
    ("", 1, "empty expression"),
    ("1 +", 4, "expected a value"),
    ("patience < 3 < 4", 14, "chained comparisons"),
    ("(1 + 2", 7, "expected ')'"),
    ("1945-02-30 < date", 1, "not a real date"),
    ("patience $ 3", 10, "unexpected character '$'"),
    ("min(1)", 1, "min() takes 2 to 99 arguments"),
    ("1 2", 3, "unexpected '2'"),
    ("and 1", 1, "'and' needs a value before it"),
    ("__import__('os')", 12, "unexpected character"),
])
def test_syntax_errors_name_the_column(text: str, column: int, message: str) -> None:
    """Bad syntax is an ExpressionError with a 1-based column and a readable message."""
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert info.value.column == column
    assert message in str(info.value)


def test_names_are_collected() -> None:
    """The names an expression reads are known after parsing, so a loader can check them."""
    assert parse("a.b + min(c, d.e) and not f").names() == {"a.b", "c", "d.e", "f"}


@pytest.mark.parametrize("text,message", [
    ("(" * 60 + "1" + ")" * 60, "nests deeper than 40 levels"),
    ("1" * 16, "too many digits"),
])
def test_absurd_expressions_are_errors_not_crashes(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        parse(text)


def test_long_chains_of_not_and_minus_parse_without_recursion() -> None:
    assert run("not " * 2000 + "true") is True
    assert run("-" * 3001 + "1") == -1
