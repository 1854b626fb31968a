"""The expression language: parsed once, compiled to closures, never eval'd."""

from __future__ import annotations

import datetime as dt

import pytest

from negotiation.errors import ExpressionError, RuleError
from negotiation.scenario import expr
from negotiation.scenario.expr import Arith, Call, Compare, Logic, Name, Num, Unary, compile_node, parse, render

VALUES = {"x": 3, "patience": 30, "us_support": 55, "date": dt.date(1945, 8, 10).toordinal(), "at_war": 1}


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
    assert run("not " * 900 + "true") is True
    assert run("-" * 3001 + "1") == -1


def test_the_tree_is_typed_one_class_per_kind() -> None:
    """Each kind of expression parses to its own node class; chains of one operator are one n-ary node."""
    tree = parse("a + b - 2 * c < max(d, 3) and not e or -f")
    assert isinstance(tree, Logic) and tree.op == "or"
    conj, neg = tree.operands
    assert isinstance(neg, Unary) and neg.op == "-" and neg.operand == Name("f")
    assert isinstance(conj, Logic) and conj.op == "and"
    cmp, notted = conj.operands
    assert isinstance(notted, Unary) and notted.op == "not"
    assert isinstance(cmp, Compare) and cmp.op == "<"
    assert isinstance(cmp.left, Arith) and [op for op, _ in cmp.left.rest] == ["+", "-"]
    assert cmp.left.rest[1][1] == Arith(Num(2), (("*", Name("c")),))
    assert cmp.right == Call("max", (Name("d"), Num(3)))


@pytest.mark.parametrize("text", [
    "a + b - 2 * c < max(d, 3) and not e or -f",
    "(a + b) * c",
    "a - (b - c)",
    "a / (b * c)",
    "not (a and b)",
    "not not a",
    "-(a + 1)",
    "(a or b) and c",
    "a == (b < c)",
    "(not -(-abs(days)))",  # found by the fuzz suite: '--x' folds, so '-(-x)' keeps its parentheses
    "not (not a)",
    "((days) + (days)) + ((days) + (days))",  # found by the fuzz suite: a parenthesised first operand
    "(a * b) / c",
    "not not (not a)",
])
def test_render_gives_text_that_parses_to_the_same_tree(text: str) -> None:
    """Rendering is the inverse of parsing: errors can quote an expression rebuilt from its tree."""
    tree = parse(text)
    assert parse(render(tree)) == tree


@pytest.mark.parametrize("op,terms", [("+", 999), ("-", 999), ("*", 999), ("and", 600), ("or", 600)])
def test_a_long_flat_chain_compiles_and_evaluates_without_recursion(op: str, terms: int) -> None:
    """A thousand terms of one operator make one wide node, evaluated by a loop, not a deep tree."""
    text = f" {op} ".join(["x"] * terms) if op.isalpha() else op.join(["x"] * terms)
    tree = parse(text)
    assert len(tree.children()) == terms
    if op == "*":
        with pytest.raises(RuleError):  # 3 ** 999 is far beyond a float
            run(text)
        return
    expected = {"+": 3 * terms, "and": True, "or": True, "-": 3 - 3 * (terms - 1)}[op]
    assert run(text) == expected


def test_a_long_chain_folds_in_lint_without_recursion() -> None:
    """Lint's interval folding walks the tree with its own stack."""
    from negotiation.scenario.lint import _fold

    assert _fold(parse(" + ".join(["x"] * 999)), {"x": (0.0, 1.0)}) == (0.0, 999.0)
    assert _fold(parse("not not x"), {"x": (2.0, 3.0)}) == (1.0, 1.0)


@pytest.mark.parametrize("text,message", [
    ("1+" * 1100 + "1", "more than 1,000 terms"),
    ("x" * (expr.MAX_CHARS + 1), "characters long"),
    ("1 + " * 2_000_000, "characters long"),
])
def test_size_limits_refuse_at_once(text: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Too long or too many nodes: refused; a huge text is refused before it is tokenised."""
    if len(text) > expr.MAX_CHARS:
        def boom(_: str) -> list[object]:
            raise AssertionError("tokenised a text over the size limit")
        monkeypatch.setattr(expr, "_tokenise", boom)
    with pytest.raises(ExpressionError, match=message):
        parse(text)


def test_depth_limit_refuses_trees_too_deep_to_evaluate() -> None:
    """Nesting that the parentheses limit allows but that stacks too many levels is refused."""
    text = "a or not x + -(" * 30 + "x" + ")" * 30  # four levels of tree for each parenthesis
    with pytest.raises(ExpressionError, match="levels deep"):
        parse(text)
    parse("a or not x + -(" * 20 + "x" + ")" * 20)  # fine: 81 levels


@pytest.mark.parametrize("text", [
    " * ".join(["999999999999999"] * 21),
    " * ".join(["99999999999999.9"] * 23),
    "1 + " + " * ".join(["99999999999999.9"] * 23) + " - 5",
    "-(" + " * ".join(["99999999999999.9"] * 23) + ")",
])
def test_constant_overflow_is_a_rule_error_at_compile_time(text: str) -> None:
    """A formula of constants beyond a float is refused when compiled, naming the expression."""
    with pytest.raises(RuleError, match="too large") as info:
        compile_node(parse(text), lambda name: lambda s: 0)
    assert info.value.expression == text


@pytest.mark.parametrize("text", [
    "big * big * big",
    "big * big * big - big * big * big * 2",
    "big * big / tiny",
    "(big * big) * (big * big)",
    "huge / 3",
    "huge * 1.5",
    "-(huge * 1.5)",
])
def test_overflow_at_play_time_is_a_rule_error_naming_the_expression(text: str) -> None:
    """Values that only overflow with the state's numbers raise RuleError when evaluated."""
    values = {"big": 1e120, "tiny": 1e-200, "huge": 10 ** 400}
    getter = compile_node(parse(text), lambda name: lambda s: values[name], text=text)
    with pytest.raises(RuleError) as info:
        getter(None)
    assert info.value.expression == text
    assert text in str(info.value)


def test_rule_error_without_text_renders_the_tree() -> None:
    getter = compile_node(parse("big * big * big"), lambda name: lambda s: 1e120)
    with pytest.raises(RuleError, match="big \\* big \\* big"):
        getter(None)


def test_parse_is_cached_and_trees_are_immutable() -> None:
    tree = parse("a + 1")
    assert parse("a + 1") is tree
    with pytest.raises(AttributeError):
        tree.first = Num(2)  # type: ignore[misc]
