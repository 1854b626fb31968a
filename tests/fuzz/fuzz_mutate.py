"""Ways to break a scenario file, for the fuzz suite: on its data, and on its text."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import strategies as st

Path_ = tuple[Any, ...]

EXPR_KEYS = frozenset({"when", "aspiration", "sign_aspiration", "walkout_break", "grant", "gain", "floor_unless",
                       "adjust"})
ODD_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, 10**20, -(10**30), 1e308, -1e308, 5e-324, "", "x", "1945-13-45", "1e999",
    [], {}, [1, 2], {"a": 1}, "é" * 300, "a" * 5000, "\x1b[2J\x07", "\u202eevil", "0x10", "nan", "-0",
)
CONTROL = ("\x00", "\x07", "\x08", "\x1b", "\x1b[2J", "\x7f", "\x9b", "\u202e", "\u2028", "\ufeff")
TAGS = ("!!timestamp", "!!bool", "!!int", "!!float", "!!binary", "!!set", "!!omap", "!!null", "!!str",
        "!!python/name:os.system", "!!python/object/apply:os.system", "!!merge", "!!value", "!!seq", "!!map")
BAD_EXPRESSIONS = (
    "", "(", ")", "1 +", "and", "not", "min(1)", "max()", "abs(1, 2)", "1 < 2 < 3", "x $ y", "__import__('os')",
    "1945-02-30", "9" * 16, "1" * 15 + ".5", "patience / 0", "(" * 41 + "1" + ")" * 41, "nosuch > 1",
    "date >= 1945-08-09 and", "true or", "-" * 5000 + "1", "not " * 500 + "true",
)


def paths(data: Any) -> list[Path_]:
    """Every path in a tree of dicts and lists, without recursion (the root is the empty path)."""
    out: list[Path_] = []
    stack: list[tuple[Path_, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        out.append(path)
        if isinstance(node, dict):
            stack.extend((path + (k,), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((path + (i,), v) for i, v in enumerate(node))
    out.sort(key=repr)  # a stable order, whatever the dict order
    return out


def get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: Path_, value: Any) -> None:
    get(data, path[:-1])[path[-1]] = value


def ids(data: Any) -> list[str]:
    """Every id in the file (values of 'id' keys)."""
    return sorted({str(get(data, p)) for p in paths(data) if p and p[-1] == "id"})


def chain(op: str, n: int, term: str = "days") -> str:
    return f" {op} ".join([term] * n)


def expressions(data: Any) -> list[Path_]:
    return [p for p in paths(data) if p and p[-1] in EXPR_KEYS and isinstance(get(data, p), str)]


# --------------------------------------------------------------------------- mutations of the data
def _delete_key(data: Any, draw: st.DrawFn) -> str:
    dicts = [p for p in paths(data) if isinstance(get(data, p), dict) and get(data, p)]
    path = draw(st.sampled_from(dicts))
    key = draw(st.sampled_from(sorted(get(data, path), key=str)))
    del get(data, path)[key]
    return f"delete {path + (key,)}"


def _retype(data: Any, draw: st.DrawFn) -> str:
    path = draw(st.sampled_from([p for p in paths(data) if p]))
    put(data, path, copy.deepcopy(draw(st.sampled_from(ODD_VALUES))))
    return f"retype {path}"


def _duplicate(data: Any, draw: st.DrawFn) -> str:
    lists = [p for p in paths(data) if isinstance(get(data, p), list) and get(data, p)]
    path = draw(st.sampled_from(lists))
    items = get(data, path)
    i = draw(st.integers(0, len(items) - 1))
    times = draw(st.sampled_from((1, 1, 2, 50)))
    items[i:i] = [copy.deepcopy(items[i]) for _ in range(times)]
    return f"duplicate {path}[{i}] x{times}"


def _rename_id(data: Any, draw: st.DrawFn) -> str:
    id_paths = [p for p in paths(data) if p and p[-1] == "id"]
    path = draw(st.sampled_from(id_paths))
    new = draw(st.sampled_from(("renamed", "x", "date", "phase", "and", "min", "Bad-Id", "a" * 65, "patience")))
    put(data, path, new)
    return f"rename {path} -> {new}"


def _swap_reference(data: Any, draw: st.DrawFn) -> str:
    known = ids(data)
    refs = [p for p in paths(data) if p and isinstance(get(data, p), str) and get(data, p) in known
            and p[-1] != "id"]
    if not refs:
        return "no reference"
    path = draw(st.sampled_from(refs))
    value = get(data, path)
    new = draw(st.sampled_from((*known, value + "x", value[:-1] or "x", "")))
    put(data, path, new)
    return f"reference {path} -> {new}"


def _break_expression(data: Any, draw: st.DrawFn) -> str:
    exprs = expressions(data)
    if not exprs:
        return "no expression"
    path = draw(st.sampled_from(exprs))
    kind = draw(st.sampled_from(("bad", "chain", "huge", "nested")))
    if kind == "bad":
        text = draw(st.sampled_from(BAD_EXPRESSIONS))
    elif kind == "chain":
        op = draw(st.sampled_from(("+", "-", "*", "/", "and", "or")))
        text = chain(op, draw(st.sampled_from((2, 50, 500, 999, 1000, 1001, 3000))), draw(st.sampled_from(
            ("days", "1", "patience", "0.5"))))
    elif kind == "huge":
        n = draw(st.integers(1, 40))
        text = " * ".join(["999999999999999"] * n)
        if draw(st.booleans()):
            text = f"days * {text}"
    else:
        depth = draw(st.integers(1, 60))
        text = "(" * depth + "days + 1" + ")" * depth
    put(data, path, text)
    return f"expression {path} -> {kind}"


def _control_character(data: Any, draw: st.DrawFn) -> str:
    strings = [p for p in paths(data) if p and isinstance(get(data, p), str)]
    path = draw(st.sampled_from(strings))
    value = get(data, path)
    at = draw(st.integers(0, len(value)))
    put(data, path, value[:at] + draw(st.sampled_from(CONTROL)) + value[at:])
    return f"control character in {path}"


def _huge_number(data: Any, draw: st.DrawFn) -> str:
    numbers = [p for p in paths(data) if p and isinstance(get(data, p), (int, float))
               and not isinstance(get(data, p), bool)]
    path = draw(st.sampled_from(numbers))
    put(data, path, draw(st.sampled_from((1e308, -1e308, 10**18, 10**400, -(10**4000), 1e-320, 2**63))))
    return f"huge number at {path}"


DATA_MUTATIONS: dict[str, Callable[[Any, st.DrawFn], str]] = {
    "delete": _delete_key,
    "retype": _retype,
    "duplicate": _duplicate,
    "rename": _rename_id,
    "reference": _swap_reference,
    "expression": _break_expression,
    "control": _control_character,
    "huge": _huge_number,
}


def dump(data: Any) -> str:
    """YAML text of mutated data (integers beyond Python's str limit are written out digit by digit)."""

    def big_int(dumper: yaml.SafeDumper, value: int) -> yaml.ScalarNode:
        if abs(value) < 10**4000:
            return dumper.represent_int(value)
        return dumper.represent_scalar("tag:yaml.org,2002:int", ("-" if value < 0 else "") + "9" * 4400)

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(int, big_int)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=200)


# --------------------------------------------------------------------------- mutations of the text
def text_mutation(text: str, draw: st.DrawFn) -> tuple[str, str]:
    """A mutation YAML data cannot express: a raw control character, an explicit tag, a cut, a huge key."""
    kind = draw(st.sampled_from(("raw_control", "tag", "truncate", "huge_key", "tab_indent", "bom")))
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "raw_control":
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + draw(st.sampled_from(CONTROL)) + lines[i][at:]
    elif kind == "tag":
        candidates = [j for j, x in enumerate(lines) if ": " in x and not x.rstrip().endswith(":")]
        j = draw(st.sampled_from(candidates)) if candidates else i
        key, sep, value = lines[j].partition(": ")
        lines[j] = f"{key}{sep}{draw(st.sampled_from(TAGS))} {value}"
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text)))], "truncate"
    elif kind == "huge_key":
        lines.insert(i, "? " + "k" * 200_000 + "\n: 1")
    elif kind == "tab_indent":
        lines[i] = "\t" + lines[i]
    else:
        return "\ufeff" + text, "bom"
    return "\n".join(lines), kind


# --------------------------------------------------------------------------- expressions from the grammar
NAMES = ("days", "patience", "confidence", "us_support", "date", "signed")
BINARY = ("+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "and", "or")


def grammar(names: tuple[str, ...] = NAMES, max_leaves: int = 40) -> st.SearchStrategy[str]:
    """Expressions the grammar allows (and a few it refuses: chained comparisons), as text."""
    leaf = st.one_of(
        st.sampled_from(names),
        st.integers(0, 10**15 - 1).map(str),
        st.sampled_from(("999999999999999", "0.5", "0.001", "1945-08-09", "true", "false", "0")),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
            inner.map(lambda x: f"({x})"),
            inner.map(lambda x: f"-{x}"),
            inner.map(lambda x: f"not {x}"),
            st.tuples(st.sampled_from(("min", "max")), st.lists(inner, min_size=2, max_size=4)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"),
            inner.map(lambda x: f"abs({x})"),
            st.tuples(inner, st.sampled_from(BINARY), st.integers(2, 1200)).map(  # long flat chains, up to
                lambda t: f" {t[1]} ".join([f"({t[0]})"] * min(t[2], 12_000 // (len(t[0]) + 6)))),  # 3x the cap
        )

    return st.recursive(leaf, extend, max_leaves=max_leaves)


GARBAGE = st.lists(st.sampled_from([*"()+-*/<>=!,. _0123456789abdnotrmix$'\"\\\x00\x1b\t\n",
                                   "and", "or", "not", "min", "max", "abs", "1945-08-09", "days", " "]),
                   max_size=120).map("".join)
