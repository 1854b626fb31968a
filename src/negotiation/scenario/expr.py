"""A small expression language for scenario conditions and formulas.

Scenario text is data: an expression is tokenised and parsed once, at load time, into a tree,
and the engine compiles the tree into closures. Nothing here calls ``eval`` or ``exec``.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | DATE | "true" | "false" | NAME | FUNC "(" expr ("," expr)* ")" | "(" expr ")"

Values are numbers; booleans are 1 and 0; a DATE (``1945-08-09``) is its proleptic ordinal,
so ``date >= 1945-08-09`` and ``date - 1945-08-08`` both mean what they say. NAME is a dotted
name such as ``patience`` or ``dairen.settled``; the scenario decides which names exist.
"""

from __future__ import annotations

import datetime as _dt
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from negotiation.errors import ExpressionError

Getter = Callable[[Any], Any]
"""A compiled expression: takes the engine's state, returns a number."""

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op><=|>=|==|!=|[-+*/<>(),])"
    r")"
)

MAX_NESTING = 40  # parentheses and function calls within one another

FUNCTIONS: dict[str, tuple[int, int]] = {"min": (2, 99), "max": (2, 99), "abs": (1, 1)}
KEYWORDS = {"and", "or", "not", "true", "false"}


@dataclass(frozen=True, slots=True)
class Node:
    """A node of the parsed tree: ``kind`` is num, name, unary, binary, call."""

    kind: str
    value: float | str = 0
    args: tuple[Node, ...] = ()

    def names(self) -> set[str]:
        """Return every dotted name the expression reads."""
        found: set[str] = set()
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            if node.kind == "name":
                found.add(str(node.value))
            stack.extend(node.args)
        return found


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    column: int


def _tokenise(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
            raise ExpressionError(f"unexpected character {text[col - 1]!r}", col)
        kind = m.lastgroup or "op"
        tokens.append(_Tok(kind, m.group(kind), m.start(kind) + 1))
        pos = m.end()
    tokens.append(_Tok("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokenise(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def accept(self, text: str) -> bool:
        tok = self.peek()
        if tok.kind in ("op", "name") and tok.text == text:
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        tok = self.peek()
        if not self.accept(text):
            found = tok.text or "end of expression"
            raise ExpressionError(f"expected {text!r}, found {found!r}", tok.column)

    def parse(self) -> Node:
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ExpressionError(f"unexpected {tok.text!r} after a complete expression", tok.column)
        return node

    def or_(self) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"the expression nests deeper than {MAX_NESTING} levels", self.peek().column)
        node = self.and_()
        self.depth -= 1
        while self.accept("or"):
            node = Node("binary", "or", (node, self.and_()))
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.accept("and"):
            node = Node("binary", "and", (node, self.not_()))
        return node

    def not_(self) -> Node:
        count = 0
        while self.accept("not"):
            count += 1
        node = self.compare()
        if count:  # 'not not x' is the truth of x: a chain folds to one node
            node = Node("unary", "not" if count % 2 else "bool", (node,))
        return node

    def compare(self) -> Node:
        node = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("<", "<=", ">", ">=", "==", "!="):
            self.take()
            node = Node("binary", tok.text, (node, self.sum()))
            nxt = self.peek()
            if nxt.kind == "op" and nxt.text in ("<", "<=", ">", ">=", "==", "!="):
                raise ExpressionError("chained comparisons are not allowed; join them with 'and'", nxt.column)
        return node

    def sum(self) -> Node:
        node = self.product()
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            op = self.take().text
            node = Node("binary", op, (node, self.product()))
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.peek().kind == "op" and self.peek().text in ("*", "/"):
            op = self.take().text
            node = Node("binary", op, (node, self.unary()))
        return node

    def unary(self) -> Node:
        count = 0
        while self.accept("-"):
            count += 1
        node = self.atom()
        return Node("unary", "-", (node,)) if count % 2 else node

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "number":
            if len(tok.text) > 15:
                raise ExpressionError(f"the number {tok.text[:20]}... has too many digits (15 at most)", tok.column)
            return Node("num", float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "date":
            try:
                return Node("num", _dt.date.fromisoformat(tok.text).toordinal())
            except ValueError:
                raise ExpressionError(f"{tok.text!r} is not a real date", tok.column) from None
        if tok.kind == "name":
            if tok.text == "true":
                return Node("num", 1)
            if tok.text == "false":
                return Node("num", 0)
            if tok.text in ("and", "or", "not"):
                raise ExpressionError(f"{tok.text!r} needs a value before it", tok.column)
            if tok.text in FUNCTIONS and self.peek().text == "(":
                return self.call(tok)
            return Node("name", tok.text)
        if tok.kind == "op" and tok.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        found = tok.text or "end of expression"
        raise ExpressionError(f"expected a value, found {found!r}", tok.column)

    def call(self, tok: _Tok) -> Node:
        self.expect("(")
        args = [self.or_()]
        while self.accept(","):
            args.append(self.or_())
        self.expect(")")
        lo, hi = FUNCTIONS[tok.text]
        if not lo <= len(args) <= hi:
            raise ExpressionError(f"{tok.text}() takes {lo} to {hi} arguments, got {len(args)}", tok.column)
        return Node("call", tok.text, tuple(args))


def parse(text: str) -> Node:
    """Parse an expression; raise ExpressionError with a 1-based column on bad syntax."""
    if not text.strip():
        raise ExpressionError("empty expression", 1)
    return _Parser(text).parse()


_BINARY: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def compile_node(node: Node, resolve: Callable[[str], Getter]) -> Getter:
    """Turn a parsed tree into one closure; ``resolve`` maps each name to a getter."""
    kind = node.kind
    if kind == "num":
        const = node.value
        return lambda s: const
    if kind == "name":
        return resolve(str(node.value))
    if kind == "unary":
        inner = compile_node(node.args[0], resolve)
        if node.value == "not":
            return lambda s: not inner(s)
        if node.value == "bool":
            return lambda s: bool(inner(s))
        return lambda s: -inner(s)
    if kind == "call":
        fns = [compile_node(a, resolve) for a in node.args]
        if node.value == "abs":
            f0 = fns[0]
            return lambda s: abs(f0(s))
        pick = min if node.value == "min" else max
        if len(fns) == 2:
            f0, f1 = fns
            return lambda s: pick(f0(s), f1(s))
        return lambda s: pick(f(s) for f in fns)
    left = compile_node(node.args[0], resolve)
    right = compile_node(node.args[1], resolve)
    op = node.value
    if op == "and":
        return lambda s: bool(left(s)) and bool(right(s))
    if op == "or":
        return lambda s: bool(left(s)) or bool(right(s))
    fn = _divide if op == "/" else _BINARY[str(op)]
    lnum, rnum = node.args[0].kind == "num", node.args[1].kind == "num"
    if lnum and rnum:  # fold constants once
        folded = fn(node.args[0].value, node.args[1].value)  # type: ignore[arg-type]
        return lambda s: folded
    if rnum:
        c = node.args[1].value
        return lambda s: fn(left(s), c)  # type: ignore[arg-type]
    if lnum:
        c = node.args[0].value
        return lambda s: fn(c, right(s))  # type: ignore[arg-type]
    return lambda s: fn(left(s), right(s))


def _divide(a: float, b: float) -> float:
    return a / b if b else 0.0
