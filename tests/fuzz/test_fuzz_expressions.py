"""The expression grammar: parse, render, compile, evaluate and fold never fail but by their own errors.

Properties: parsing gives a tree or an ExpressionError with a column inside the text; rendering a
tree gives text that parses to the same tree; evaluation gives a finite number (or a truth value)
or a RuleError naming the expression; lint's interval folding contains every value evaluation gives.
"""

from __future__ import annotations

import math

from fuzz_harness import budget, tally
from fuzz_mutate import GARBAGE, NAMES, grammar
from hypothesis import given
from hypothesis import strategies as st

from negotiation.errors import ExpressionError, RuleError
from negotiation.scenario.expr import MAX_CHARS, compile_node, parse, render
from negotiation.scenario.lint import _fold

RANGES = {"days": (0.0, 60.0), "patience": (0.0, 100.0), "confidence": (0.0, 100.0), "us_support": (0.0, 100.0),
          "date": (710_000.0, 711_000.0), "signed": (0.0, 1.0)}


def values_in_ranges(draw: st.DrawFn) -> dict[str, float]:
    out = {}
    for name in NAMES:
        lo, hi = RANGES[name]
        out[name] = draw(st.one_of(st.sampled_from((lo, hi)), st.floats(lo, hi)))
    return out


def inside(value: float, interval: tuple[float, float]) -> bool:
    lo, hi = interval
    slack = 1e-9 * max(1.0, abs(lo), abs(hi)) if math.isfinite(lo) and math.isfinite(hi) else 0.0
    return lo - slack <= value <= hi + slack


@budget(300)
@given(text=st.one_of(grammar(), GARBAGE))
def test_parsing_gives_a_tree_or_a_located_expression_error(text: str) -> None:
    try:
        tree = parse(text)
    except ExpressionError as exc:
        assert 1 <= exc.column <= max(len(text), 1) + 1, (text, exc.column)
        assert str(exc)
        tally("expression", "refused with a column")
        return
    assert parse(render(tree)) == tree  # rendering is the inverse of parsing
    tally("expression", "parsed")


@budget(300)
@given(text=grammar(), data=st.data())
def test_evaluation_is_finite_or_a_rule_error_and_lint_folding_contains_it(text: str, data: st.DataObject) -> None:
    try:
        tree = parse(text)
    except ExpressionError:
        tally("evaluated expression", "refused at parse")
        return
    values = values_in_ranges(data.draw)
    try:
        getter = compile_node(tree, lambda name: lambda s: values[name], text)
        value = getter(None)
    except RuleError as exc:
        assert exc.expression == text and "expression" in str(exc)
        tally("evaluated expression", "RuleError (overflow)")
        return
    number = float(value)
    assert math.isfinite(number)
    assert getter(None) == value  # the same state, the same value
    interval = _fold(tree, RANGES)
    assert inside(number, interval), (text, values, number, interval)
    tally("evaluated expression", "finite value inside lint's interval")


@budget(20)
@given(op=st.sampled_from(("+", "-", "*", "/", "and", "or")), n=st.integers(2, 3000))
def test_flat_chains_of_any_length_compile_or_are_refused(op: str, n: int) -> None:
    """No RecursionError for any chain: a long one evaluates by a loop, a longer one is refused by size."""
    text = f" {op} ".join(["days"] * n)
    try:
        tree = parse(text)
    except ExpressionError as exc:
        assert len(text) > MAX_CHARS or "terms" in str(exc)
        tally("long chain", "refused by size")
        return
    try:
        compile_node(tree, lambda name: lambda s: 2.0)(None)
        tally("long chain", "evaluated")
    except RuleError:
        tally("long chain", "RuleError (overflow)")
    _fold(tree, RANGES)
