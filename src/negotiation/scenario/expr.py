"""A small, bounded expression language for scenario conditions and formulas.

Scenario text is data: an expression is tokenised and parsed once, at load time, into a typed
tree (one node class per kind), and the engine compiles the tree into closures. Nothing here
calls ``eval`` or ``exec``.

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

Bounds, checked while parsing: :data:`MAX_CHARS` characters (before anything is tokenised),
:data:`MAX_NODES` nodes, :data:`MAX_NESTING` parentheses within one another and :data:`MAX_DEPTH`
levels of tree. Chains of one operator (``a + b - c``, ``a and b and c``) are one n-ary node, so a
long flat chain is wide, not deep. Compilation walks the tree with an explicit stack; evaluation
recurses at most :data:`MAX_DEPTH` closures deep. Arithmetic is checked: a result that is not a
finite float raises :class:`~negotiation.errors.RuleError` naming the expression.
"""

from __future__ import annotations

import datetime as _dt
import functools
import operator
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from negotiation.errors import ExpressionError, RuleError

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

MAX_CHARS = 4_000  # characters in one expression; the bundled scenarios' longest has under 100
MAX_NODES = 1_000  # nodes of one parsed tree; the bundled scenarios' largest has under 20
MAX_NESTING = 40  # parentheses and function calls within one another
MAX_DEPTH = 100  # levels of the parsed tree (bounds the depth of evaluation); the bundled ones need 8
MAX_DIGITS = 15  # digits of a number literal
LIMIT = sys.float_info.max  # the largest magnitude arithmetic may produce

FUNCTIONS: dict[str, tuple[int, int]] = {"min": (2, 99), "max": (2, 99), "abs": (1, 1)}
KEYWORDS = {"and", "or", "not", "true", "false"}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


class Node:
    """A node of the parsed tree. Immutable; compare and hash by value."""

    __slots__ = ()
    kind: ClassVar[str] = ""

    def children(self) -> tuple[Node, ...]:
        """The nodes directly below this one, left to right."""
        return ()

    @property
    def args(self) -> tuple[Node, ...]:
        """The nodes directly below this one (an alias of :meth:`children`)."""
        return self.children()

    def walk(self) -> Iterator[Node]:
        """Every node of the tree, this one first (depth first, without recursion)."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def names(self) -> set[str]:
        """Return every dotted name the expression reads."""
        return {n.name for n in self.walk() if isinstance(n, Name)}

    def __str__(self) -> str:
        return render(self)


@dataclass(frozen=True, slots=True)
class Num(Node):
    """A number, a date (its ordinal) or a truth value (1 or 0)."""

    kind: ClassVar[str] = "num"
    value: int | float


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A dotted name the scenario defines, e.g. ``patience`` or ``dairen.settled``."""

    kind: ClassVar[str] = "name"
    name: str


@dataclass(frozen=True, slots=True)
class Unary(Node):
    """``-x``, ``not x``, or ``bool`` (the truth of x: what ``not not x`` folds to)."""

    kind: ClassVar[str] = "unary"
    op: Literal["-", "not", "bool"]
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Arith(Node):
    """A left-to-right chain of one precedence level: ``a + b - c`` or ``a * b / c``."""

    kind: ClassVar[str] = "arith"
    first: Node
    rest: tuple[tuple[str, Node], ...]

    def children(self) -> tuple[Node, ...]:
        return (self.first, *(n for _, n in self.rest))


@dataclass(frozen=True, slots=True)
class Compare(Node):
    """One comparison: ``a < b`` (comparisons do not chain)."""

    kind: ClassVar[str] = "compare"
    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Logic(Node):
    """``a and b and c`` or ``a or b or c``: true or false (1 or 0), evaluated left to right, short-circuit."""

    kind: ClassVar[str] = "logic"
    op: Literal["and", "or"]
    operands: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.operands


@dataclass(frozen=True, slots=True)
class Call(Node):
    """A call of one of :data:`FUNCTIONS`: ``min(a, b)``, ``max(a, b, c)``, ``abs(a)``."""

    kind: ClassVar[str] = "call"
    func: str
    arguments: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.arguments


def postorder(root: Node) -> list[Node]:
    """Every node of the tree, children before their parent, without recursion."""
    out: list[Node] = []
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            out.append(node)
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in reversed(node.children()))
    return out


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "*": 6, "-u": 7, "atom": 8}


def _level(node: Node) -> int:
    if isinstance(node, Logic):
        return _PRECEDENCE[node.op]
    if isinstance(node, Unary):
        return _PRECEDENCE["-u"] if node.op == "-" else _PRECEDENCE["not"]
    if isinstance(node, Compare):
        return _PRECEDENCE["compare"]
    if isinstance(node, Arith):
        return _PRECEDENCE["+"] if node.rest[0][0] in "+-" else _PRECEDENCE["*"]
    return _PRECEDENCE["atom"]


def render(root: Node) -> str:
    """The expression as text (parenthesised where precedence needs it), without recursion."""
    text: dict[int, str] = {}

    def sub(child: Node, level: int, strict: bool = False) -> str:
        inner = text[id(child)]
        lv = _level(child)
        return f"({inner})" if lv < level or (strict and lv == level) else inner

    for node in postorder(root):
        if isinstance(node, Num):
            v = node.value
            out = str(int(v)) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else str(v)
        elif isinstance(node, Name):
            out = node.name
        elif isinstance(node, Unary):
            lv = _level(node)
            # strict: '-(-x)' and 'not (not x)' must keep their parentheses, as '--x' and 'not not x' fold
            if node.op == "-":
                out = "-" + sub(node.operand, lv, strict=True)
            else:
                out = ("not " if node.op == "not" else "not not ") + sub(node.operand, lv, strict=True)
        elif isinstance(node, Arith):
            lv = _level(node)
            # the first operand too: '(a + b) + c' is a tree of its own, not the chain 'a + b + c'
            out = sub(node.first, lv, strict=True) + "".join(f" {op} {sub(n, lv, strict=True)}" for op, n in node.rest)
        elif isinstance(node, Compare):
            lv = _level(node)
            out = f"{sub(node.left, lv, True)} {node.op} {sub(node.right, lv, True)}"
        elif isinstance(node, Logic):
            lv = _level(node)
            out = f" {node.op} ".join(sub(n, lv, True) for n in node.operands)
        elif isinstance(node, Call):
            out = f"{node.func}({', '.join(text[id(a)] for a in node.arguments)})"
        else:  # pragma: no cover - every kind is above
            raise TypeError(f"not an expression node: {node!r}")
        text[id(node)] = out
    return text[id(root)]


# --------------------------------------------------------------------------- parsing
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
        operands = [self.and_()]
        while self.accept("or"):
            operands.append(self.and_())
        self.depth -= 1
        return operands[0] if len(operands) == 1 else Logic("or", tuple(operands))

    def and_(self) -> Node:
        operands = [self.not_()]
        while self.accept("and"):
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else Logic("and", tuple(operands))

    def not_(self) -> Node:
        count = 0
        while self.accept("not"):
            count += 1
        node = self.compare()
        if count:  # 'not not x' is the truth of x: a chain folds to one node
            node = Unary("not" if count % 2 else "bool", node)
        return node

    def compare(self) -> Node:
        node = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in COMPARISONS:
            self.take()
            node = Compare(tok.text, node, self.sum())
            nxt = self.peek()
            if nxt.kind == "op" and nxt.text in COMPARISONS:
                raise ExpressionError("chained comparisons are not allowed; join them with 'and'", nxt.column)
        return node

    def _chain(self, ops: tuple[str, str], operand: Callable[[], Node]) -> Node:
        first = operand()
        rest: list[tuple[str, Node]] = []
        while self.peek().kind == "op" and self.peek().text in ops:
            op = self.take().text
            rest.append((op, operand()))
        return Arith(first, tuple(rest)) if rest else first

    def sum(self) -> Node:
        return self._chain(("+", "-"), self.product)

    def product(self) -> Node:
        return self._chain(("*", "/"), self.unary)

    def unary(self) -> Node:
        count = 0
        while self.accept("-"):
            count += 1
        node = self.atom()
        return Unary("-", node) if count % 2 else node

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "number":
            digits = len(tok.text.replace(".", ""))
            if digits > MAX_DIGITS:
                raise ExpressionError(f"the number {tok.text[:20]}... has too many digits ({MAX_DIGITS} at most)",
                                      tok.column)
            return Num(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "date":
            try:
                return Num(_dt.date.fromisoformat(tok.text).toordinal())
            except ValueError:
                raise ExpressionError(f"{tok.text!r} is not a real date", tok.column) from None
        if tok.kind == "name":
            if tok.text == "true":
                return Num(1)
            if tok.text == "false":
                return Num(0)
            if tok.text in ("and", "or", "not"):
                raise ExpressionError(f"{tok.text!r} needs a value before it", tok.column)
            if tok.text in FUNCTIONS and self.peek().text == "(":
                return self.call(tok)
            return Name(tok.text)
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
        return Call(tok.text, tuple(args))


def _check_size(root: Node) -> None:
    count = 0
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError(f"the expression has more than {MAX_NODES:,} terms and operators; "
                                  "split it, or use a variable", 1)
        if depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is more than {MAX_DEPTH} levels deep; simplify it", 1)
        stack.extend((c, depth + 1) for c in node.children())


@functools.lru_cache(maxsize=2048)
def _parse(text: str) -> Node:
    root = _Parser(text).parse()
    _check_size(root)
    return root


def parse(text: str) -> Node:
    """Parse an expression; raise ExpressionError with a 1-based column on bad syntax or size.

    The size is checked before anything is tokenised; a parsed text is cached (trees are immutable),
    so the loader, the checks and the engine parse each expression once.
    """
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"the expression is {len(text):,} characters long ({MAX_CHARS:,} at most); "
                              "split it, or use a variable", 1)
    if not text.strip():
        raise ExpressionError("empty expression", 1)
    return _parse(text)


# --------------------------------------------------------------------------- compiling
_OPS: dict[str, Callable[[Any, Any], Any]] = {
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


def _divide(a: float, b: float) -> float:
    return a / b if b else 0.0  # the engine reads x/0 as 0: authors divide by meters that may be empty


_OPS["/"] = _divide


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _overflow(root: Node, text: str | None, value: object) -> RuleError:
    source = text if text is not None else render(root)
    what = "not a number" if value != value else "too large"  # NaN is the one value unequal to itself
    return RuleError(f"the expression {_short(source)!r} gives a result that is {what} "
                     f"(beyond ±{LIMIT:.3g}); keep its terms smaller", source)


def compile_node(node: Node, resolve: Callable[[str], Getter], text: str | None = None) -> Getter:
    """Turn a parsed tree into one closure; ``resolve`` maps each name to a getter.

    Walks the tree with an explicit stack (no recursion); subtrees of constants are folded once,
    here. Arithmetic that overflows, or gives infinity or NaN, raises RuleError naming the
    expression (``text``, else the tree rendered back to text), here for constants, else when the
    closure is called.
    """
    built: dict[int, Getter] = {}
    consts: dict[int, Any] = {}

    def fail(value: object) -> RuleError:
        return _overflow(node, text, value)

    def checked(value: Any) -> Any:
        if -LIMIT <= value <= LIMIT:
            return value
        raise fail(value)

    for n in postorder(node):
        if isinstance(n, Num):
            consts[id(n)] = n.value
            built[id(n)] = _const(n.value)
            continue
        if isinstance(n, Name):
            built[id(n)] = resolve(n.name)
            continue
        kids = n.children()
        getter = _build(n, [built[id(k)] for k in kids], [consts.get(id(k), _NOT_CONST) for k in kids], fail)
        if all(id(k) in consts for k in kids):  # fold: a tree of constants reads no state
            try:
                value = getter(None)
            except OverflowError:
                raise fail(float("inf")) from None
            consts[id(n)] = checked(value)
            getter = _const(value)
        built[id(n)] = getter
    return built[id(node)]


_NOT_CONST = object()


def _const(value: Any) -> Getter:
    return lambda s: value


def _build(n: Node, fns: list[Getter], consts: list[Any], fail: Callable[[object], RuleError]) -> Getter:
    """The closure of one inner node, given its children's closures (and constants, where known)."""
    if isinstance(n, Unary):
        inner = fns[0]
        if n.op == "not":
            return lambda s: not inner(s)
        if n.op == "bool":
            return lambda s: bool(inner(s))
        return lambda s: -inner(s)
    if isinstance(n, Call):
        if n.func == "abs":
            f0 = fns[0]
            return lambda s: abs(f0(s))
        pick = min if n.func == "min" else max
        if len(fns) == 2:
            f0, f1 = fns
            c0, c1 = consts
            if c1 is not _NOT_CONST:  # min(x, 10): the usual shape, one call fewer
                return lambda s: pick(f0(s), c1)
            if c0 is not _NOT_CONST:
                return lambda s: pick(c0, f1(s))
            return lambda s: pick(f0(s), f1(s))
        return lambda s: pick(f(s) for f in fns)
    if isinstance(n, Logic):
        if len(fns) == 2:
            # a comparison, a logic or a 'not' gives True or False already: bool() is for the others
            f0, f1 = (f if _gives_bool(k) else _truth(f) for f, k in zip(fns, n.operands, strict=True))
            if n.op == "and":
                return lambda s: f0(s) and f1(s)
            return lambda s: f0(s) or f1(s)
        if n.op == "and":
            return lambda s: all(f(s) for f in fns)
        return lambda s: any(f(s) for f in fns)
    if isinstance(n, Compare):
        return _compare(n.op, fns, consts)
    if isinstance(n, Arith):
        if len(n.rest) == 1:
            return _checked_binary(_OPS[n.rest[0][0]], fns, consts, fail)
        return _chain(fns, [_OPS[op] for op, _ in n.rest], fail)
    raise TypeError(f"not an expression node: {n!r}")  # pragma: no cover - every kind is above


def _gives_bool(n: Node) -> bool:
    """Whether a node's closure returns True or False (and nothing else)."""
    return isinstance(n, Compare | Logic) or (isinstance(n, Unary) and n.op in ("not", "bool"))


def _truth(f: Getter) -> Getter:
    return lambda s: bool(f(s))


# One closure per operator and shape, so that a comparison is one call (conditions are the hot path)
_AGAINST_CONST: dict[str, Callable[[Getter, Any], Getter]] = {
    "<": lambda f, c: lambda s: f(s) < c,
    "<=": lambda f, c: lambda s: f(s) <= c,
    ">": lambda f, c: lambda s: f(s) > c,
    ">=": lambda f, c: lambda s: f(s) >= c,
    "==": lambda f, c: lambda s: f(s) == c,
    "!=": lambda f, c: lambda s: f(s) != c,
}
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
"""``c < x`` is ``x > c``: a constant on the left is compared from the right."""


def _compare(op: str, fns: list[Getter], consts: list[Any]) -> Getter:
    left, right = fns
    lc, rc = consts
    if rc is not _NOT_CONST:
        return _AGAINST_CONST[op](left, rc)
    if lc is not _NOT_CONST:
        return _AGAINST_CONST[_MIRRORED[op]](right, lc)
    fn = _OPS[op]
    return lambda s: fn(left(s), right(s))


def _checked_binary(fn: Callable[[Any, Any], Any], fns: list[Getter], consts: list[Any],
                    fail: Callable[[object], RuleError]) -> Getter:
    """One arithmetic operation, checked; a closure per shape (the hot path of formulas: one call, no more)."""
    left, right = fns
    lc, rc = consts
    lim = LIMIT  # a closure variable reads faster than a global
    if rc is not _NOT_CONST:
        def run_c(s: Any) -> Any:
            try:
                value = fn(left(s), rc)
            except OverflowError:
                raise fail(float("inf")) from None
            if -lim <= value <= lim:
                return value
            raise fail(value)

        return run_c
    if lc is not _NOT_CONST:
        def c_run(s: Any) -> Any:
            try:
                value = fn(lc, right(s))
            except OverflowError:
                raise fail(float("inf")) from None
            if -lim <= value <= lim:
                return value
            raise fail(value)

        return c_run

    def run(s: Any) -> Any:
        try:
            value = fn(left(s), right(s))
        except OverflowError:
            raise fail(float("inf")) from None
        if -lim <= value <= lim:
            return value
        raise fail(value)

    return run


def _chain(fns: list[Getter], ops: list[Callable[[Any, Any], Any]], fail: Callable[[object], RuleError]) -> Getter:
    first = fns[0]
    rest = tuple(zip(ops, fns[1:], strict=True))

    def run(s: Any) -> Any:
        value = first(s)
        try:
            for fn, f in rest:
                value = fn(value, f(s))
        except OverflowError:
            raise fail(float("inf")) from None
        if -LIMIT <= value <= LIMIT:  # inf stays inf (or turns NaN) along a chain: one check at the end
            return value
        raise fail(value)

    return run


__all__ = ["FUNCTIONS", "KEYWORDS", "LIMIT", "MAX_CHARS", "MAX_DEPTH", "MAX_DIGITS", "MAX_NESTING", "MAX_NODES",
           "Arith", "Call", "Compare", "Getter", "Logic", "Name", "Node", "Num", "Unary", "compile_node", "parse",
           "postorder", "render"]
