"""Load a scenario file: safe YAML with line numbers, pydantic validation, cross-reference checks.

Every problem is reported at once, each located as ``file:line:column: field: message (hint)``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from negotiation.errors import Diagnostic, ScenarioError
from negotiation.scenario.checks import check, names_of
from negotiation.scenario.models import Scenario
from negotiation.text import Suggester, printable, show

try:  # libyaml keeps marks and is ~20x faster than the pure-Python composer
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels without libyaml
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]
Problem = tuple[Path_, str, str]
M = typing.TypeVar("M", bound=BaseModel)

_constructor = yaml.constructor.SafeConstructor()
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


MAX_VALUES = 250_000  # values in the document once aliases are expanded (the flagship has about 15,000)
MAX_DEPTH = 64  # levels of nesting (the flagship needs 8)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _shape_problem(root: yaml.Node) -> tuple[yaml.Node, str, str] | None:
    """Refuse documents that aliases make circular or huge (a 'billion laughs'), or that nest too deep.

    Walks the node graph once, without recursion, counting every value as often as aliases repeat it.
    """
    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, finished = stack.pop()
        nid = id(node)
        if finished:
            visiting.discard(nid)
            sizes[nid] = 1 + sum(sizes[id(c)] for c in _children(node))
            if sizes[nid] > MAX_VALUES:
                return node, f"aliases expand this document beyond {MAX_VALUES:,} values", \
                    "write the data out instead of repeating aliases of aliases"
            continue
        if nid in sizes:
            continue
        if nid in visiting:
            return node, "an alias refers to a node that contains it (a circular document)", "remove the loop"
        if depth > MAX_DEPTH:
            return node, f"the document nests deeper than {MAX_DEPTH} levels", "flatten the data"
        visiting.add(nid)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in _children(node))
    return None


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s&]", re.M)  # an anchor starts a value: "key: &name"


def _build(node: yaml.Node, path: Path_, marks: Marks, problems: list[tuple[Path_, str, str]],
           built: dict[int, Any]) -> Any:
    """Turn a composed node into plain data, recording where every path starts.

    An aliased node is built once and shared (``built``); :func:`_shape_problem` has bounded the rest.
    """
    if len(path) > MAX_DEPTH:
        raise _TooDeep(node)
    marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if id(node) in built:
        return built[id(node)]
    value = _build_node(node, path, marks, problems, built)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        built[id(node)] = value
    return value


def _build_node(node: yaml.Node, path: Path_, marks: Marks, problems: list[tuple[Path_, str, str]],
                built: dict[int, Any]) -> Any:
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        problems.append((path, f"the tag {show(repr(node.tag))} is not allowed: scenario files are plain data",
                         "remove the tag"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, path + ("?",), marks, problems, is_key=True)
            if key is _BAD:
                marks[path + ("?",)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                continue
            if not isinstance(key, (str, int)):
                key = str(key)
            child = path + (key,)
            marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                problems.append((child, f"duplicate key {show(repr(key))}", "keep only one of them"))
            out[key] = _build(value_node, child, marks, problems, built)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), marks, problems, built) for i, item in enumerate(node.value)]
    value = _scalar(node, path, marks, problems)
    return None if value is _BAD else value


_BAD = object()
_RESOLVER = yaml.resolver.Resolver()


def _scalar(node: yaml.Node, path: Path_, marks: Marks, problems: list[Problem], is_key: bool = False) -> Any:
    """Construct one scalar (or a key); a value its tag cannot construct is a located problem, never a crash.

    A plain value whose implicit type fails (``1945-07-41`` read as a date) stays text, for the model to
    reject with its own message; an explicit tag (``!!timestamp x``, ``!!bool x``) that does not fit
    its value is reported here. Only ``_BAD`` means "reported".
    """
    if not isinstance(node, yaml.ScalarNode):
        if is_key:
            problems.append((path, "a key must be plain text, not a list or a mapping", "write the key as text"))
            return _BAD
        return None  # pragma: no cover - mappings and sequences are built by _build_node
    try:
        return _constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        message = str(exc).splitlines()[0]
        problems.append((path, f"{'bad key: ' if is_key else ''}{message}", "quote the value"))
        return _BAD
    except Exception as exc:  # PyYAML's constructors raise ValueError, KeyError, AttributeError...
        implicit = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
            yaml.ScalarNode, node.value, (True, False)) if not node.style else None  # plain: None or ""
        if implicit == node.tag and not is_key:
            return node.value  # e.g. 1945-07-41: left as text for the model to reject with its location
        tag = node.tag.removeprefix("tag:yaml.org,2002:")
        reason = f" ({show(exc, 60)})" if isinstance(exc, ValueError) else ""
        problems.append((path, f"{'the key' if is_key else 'the value'} {show(node.value)!r} cannot be read as "
                               f"!!{show(tag)}{reason}", "remove the tag, or quote the value"))
        return _BAD


def _where(marks: Marks, path: Path_) -> tuple[int, int]:
    for n in range(len(path), -1, -1):
        if path[:n] in marks:
            return marks[path[:n]]
    return (1, 1)


def format_path(path: Iterable[str | int]) -> str:
    """Render a data path as ``articles[2].positions[0].value``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_UNION_LABEL = re.compile(
    r"^(str|int|float|bool|date|datetime|bytes|none|constrained-[a-z]+|"
    r"(list|dict|tuple|set|literal|union|tagged-union|nullable|json-or-python|lax-or-strict|is-instance|"
    r"function-[a-z]+)\[.*\])$"
)
_NOT_A_LABEL = object()


def _union_member(args: tuple[Any, ...], part: Any) -> Any:
    """The member of a union that a pydantic location label names (None for a plain value), or _NOT_A_LABEL."""
    if not isinstance(part, str):
        return _NOT_A_LABEL
    for a in args:
        u = unwrap_annotation(a)
        if isinstance(u, type) and issubclass(u, BaseModel) and u.__name__ == part:
            return u
    if not _UNION_LABEL.match(part):
        return _NOT_A_LABEL
    for a in args:
        origin = typing.get_origin(unwrap_annotation(a))
        if origin is not None and isinstance(origin, type) and part.startswith(f"{origin.__name__}["):
            return a
    return None


def _model_fields_at(loc: tuple[Any, ...], root: type[BaseModel] = Scenario,
                     unions: list[Path_] | None = None) -> tuple[Path_, type[BaseModel] | None]:
    """Walk the models along a pydantic error location: the YAML path and the model there.

    Labels that pydantic puts in a location for the members of a union are not keys of the data:
    they are skipped, and the data path where each union was met is appended to ``unions``.
    """
    current: Any = root
    data_path: list[str | int] = []
    for part in loc:
        current = unwrap_annotation(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                data_path.append(part)
                current = None
                continue
            data_path.append(part)
            current = current.model_fields[part].annotation
            continue
        origin = typing.get_origin(current)
        args = typing.get_args(current)
        if origin in (typing.Union, types.UnionType):
            members = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tagged = [m for m in members
                      if "kind" in m.model_fields and part in typing.get_args(m.model_fields["kind"].annotation)]
            if tagged:  # a discriminator tag in the location: not a key of the data
                current = tagged[0]
                continue
            member = _union_member(args, part)
            if member is not _NOT_A_LABEL:
                if unions is not None:
                    unions.append(tuple(data_path))
                current = member
                continue
            current = members[0] if len(members) == 1 else None
            current = unwrap_annotation(current)
            if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
                data_path.append(part)
                current = current.model_fields[part].annotation if part in current.model_fields else None
                continue
        data_path.append(part)
        if origin is list and args:
            current = args[0]
        elif origin in (dict, Mapping) and len(args) == 2:
            current = args[1]
        elif origin is tuple and args:
            current = args[0]
        else:
            current = None
    end = unwrap_annotation(current)
    return tuple(data_path), end if isinstance(end, type) and issubclass(end, BaseModel) else None


def unwrap_annotation(tp: Any) -> Any:
    """The type inside Annotated[...] and Optional[...] wrappers."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return unwrap_annotation(args[0])
    return tp


def _hint(err: Any, data_path: Path_, root: type[BaseModel] = Scenario) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"add '{data_path[-1]}'" if data_path else "add the missing field"
    if kind == "extra_forbidden":
        parent_loc = tuple(err["loc"][:-1])
        _, model = _model_fields_at(parent_loc, root)
        if model is not None:
            allowed = sorted(model.model_fields)
            key = str(err["loc"][-1])
            if " " in key:
                return "a ': ' inside text makes YAML read a key: put the whole text in quotes"
            close = difflib.get_close_matches(key, allowed, n=1) if len(key) <= 200 else []
            if close:
                return f"did you mean '{close[0]}'?"
            return "allowed here: " + ", ".join(allowed)
        return "remove it"
    if kind == "string_pattern_mismatch":
        return "use lower case letters, digits and _, starting with a letter"
    if kind.startswith("date"):
        return "write a date as YYYY-MM-DD"
    if kind in ("literal_error", "union_tag_invalid"):
        ctx = err.get("ctx") or {}
        expected = ctx.get("expected_tags") or ctx.get("expected")
        return f"use one of {expected}" if expected else ""
    if kind in ("int_parsing", "float_parsing", "int_type", "float_type", "int_from_float"):
        return "write a number, e.g. 3" if kind.startswith("int") else "write a number, e.g. 2.5"
    if kind == "string_type":
        return "quote it if it is text: YAML reads yes/no/on/off as true/false and 1945-08-14 as a date"
    if kind == "too_short":
        return "add at least the minimum number of items"
    return ""


def _is_type_error(err: Any) -> bool:
    return str(err["type"]).endswith("_type") or err["type"] in ("model_attributes_type", "is_instance_of")


def _errors(exc: ValidationError) -> list[Any]:
    """Pydantic's errors, less the echo a failed item leaves in a tuple's length check.

    A tuple with a minimum length counts only the items that validated, so a list of one bad item
    is also "too short"; the item's own error is the one to report.
    """
    errors = exc.errors(include_url=False)
    locs = [tuple(e["loc"]) for e in errors]
    return [e for e in errors if not (e["type"] == "too_short" and any(
        len(other) > len(e["loc"]) and other[:len(e["loc"])] == tuple(e["loc"]) for other in locs))]


def _pydantic_problems(exc: ValidationError, root: type[BaseModel] = Scenario) -> Iterator[
        tuple[Path_, str, str]]:
    errors = []
    for err in _errors(exc):
        unions: list[Path_] = []
        data_path, _ = _model_fields_at(tuple(err["loc"]), root, unions)
        errors.append((err, data_path, unions[-1] if unions else None, unions))
    # a value that fits no member of a union fails once per member: when one member got further than
    # a type mismatch, that member is what the author meant; otherwise say every type it could be
    meant = {u for err, _, _, passed in errors if not _is_type_error(err) for u in passed}
    merged: dict[Path_, list[str]] = {}
    for err, data_path, union, _ in errors:
        if union is not None and _is_type_error(err):
            if union in meant:
                continue
            merged.setdefault(data_path, []).append(err["msg"])
    said: set[Path_] = set()
    for err, data_path, union, _ in errors:
        msg = err["msg"]
        if union is not None and _is_type_error(err):
            if union in meant or data_path in said:
                continue
            said.add(data_path)
            kinds = [m.removeprefix("Input should be ") for m in dict.fromkeys(merged[data_path])]
            msg = "Input should be " + " or ".join(kinds)
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{show(err['loc'][-1])}'"
        elif err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        yield data_path, msg, _hint(err, data_path, root)


def raw_namespace(data: dict[str, Any]) -> set[str]:
    """The names expressions may read, gathered from unvalidated data (tolerant of any shape)."""

    def ids(items: Any) -> list[dict[str, Any]]:
        return [x for x in items if isinstance(x, dict) and isinstance(x.get("id"), str)] if isinstance(
            items, list) else []

    return names_of((v["id"] for v in ids(data.get("variables"))), (p["id"] for p in ids(data.get("phases"))),
                    {a["id"]: [p["id"] for p in ids(a.get("positions"))] for a in ids(data.get("articles"))})


def _partial_checks(data: dict[str, Any], exc: ValidationError, context: dict[str, Any]) -> list[
        tuple[Path_, str, str]]:
    """Check references too when some list items are invalid: drop those items and check the rest.

    A reference to an item that was dropped is not reported (the item exists, it is only broken).
    Nothing is reported if the file is broken outside list items.
    """
    drop: dict[str, set[int]] = {}
    for err in _errors(exc):
        loc = err["loc"]
        if len(loc) < 2 or not isinstance(loc[0], str) or not isinstance(loc[1], int):
            return []
        drop.setdefault(loc[0], set()).add(loc[1])
    partial = dict(data)
    dropped_ids: set[str] = set()
    index_map: dict[str, list[int]] = {}
    for key, bad in drop.items():
        items = data.get(key)
        if not isinstance(items, list):
            return []
        keep = [i for i in range(len(items)) if i not in bad]
        index_map[key] = keep
        partial[key] = [items[i] for i in keep]
        for i in bad:
            item = items[i]
            if isinstance(item, dict):
                dropped_ids.update(str(v) for v in item.values() if isinstance(v, str))
    try:
        scenario = Scenario.model_validate(partial, context=context)
    except ValidationError:
        return []
    out = []
    for path, msg, hint in check(scenario):
        if any(f"'{ident}'" in msg for ident in dropped_ids):
            continue
        if len(path) >= 2 and isinstance(path[0], str) and path[0] in index_map and isinstance(path[1], int):
            path = (path[0], index_map[path[0]][path[1]], *path[2:])
        out.append((path, msg, hint))
    return out


def content_hash(text: str) -> str:
    """Return the hash that identifies a scenario's exact content in saves."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class LoadedScenario(typing.NamedTuple):
    """A validated scenario with where it came from."""

    scenario: Scenario
    path: str
    hash: str


def read_yaml(text: str, filename: str, what: str = "scenario") -> tuple[Any, Marks, list[Problem]]:
    """Compose YAML safely into plain data, with the line and column where every path starts.

    Raise ScenarioError on a syntax error or an empty file; return the data, the marks and the
    problems found while building (tags, duplicate keys) for the caller to report with its own.
    """
    problems: list[Problem] = []
    marks: Marks = {}
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: it knows where
        line, col = line_column(text, exc.position)
        char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise ScenarioError([Diagnostic(filename, line, col, "", f"the character {printable(char)} is not allowed "
                                        f"in YAML ({exc.reason})", "remove it, or write it as an escape "
                                        "inside double quotes, e.g. \"\\t\"")], what) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or str(exc)
        raise ScenarioError(
            [Diagnostic(filename, line, col, "", f"YAML syntax: {problem}", "check indentation and quoting")], what
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError) as exc:
        raise ScenarioError([Diagnostic(filename, 1, 1, "", f"YAML: {show(exc, 200)}", "")], what) from None
    if node is None:
        hint = "start from an example scenario" if what == "scenario" else "start from an example"
        raise ScenarioError([Diagnostic(filename, 1, 1, "", "the file is empty", hint)], what)
    # aliases need an anchor ('&name'): without one the tree is plain, and _build bounds its depth
    shape = _shape_problem(node) if _ANCHOR.search(text) else None
    if shape is None:
        try:
            return _build(node, (), marks, problems, {}), marks, problems
        except _TooDeep as exc:
            shape = (exc.node, f"the document nests deeper than {MAX_DEPTH} levels", "flatten the data")
    line, col = shape[0].start_mark.line + 1, shape[0].start_mark.column + 1
    raise ScenarioError([Diagnostic(filename, line, col, "", shape[1], shape[2])], what)


def line_column(text: str, position: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in a text."""
    position = max(0, min(position, len(text)))
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def where(marks: Marks, path: Path_) -> tuple[int, int]:
    """The line and column (1-based) of a data path, or of its nearest located parent."""
    return _where(marks, path)


def to_diagnostics(filename: str, marks: Marks, problems: Iterable[Problem]) -> list[Diagnostic]:
    """Locate problems in the file, in file order."""
    diags = []
    for path, msg, hint in problems:
        line, col = _where(marks, path)
        diags.append(Diagnostic(filename, line, col, format_path(path), msg, hint))
    diags.sort(key=lambda d: (d.line, d.column))
    return diags


def validate_model(data: Any, model: type[M], marks: Marks, filename: str, what: str,
                   problems: list[Problem] | None = None, context: dict[str, Any] | None = None) -> M:
    """Validate plain data against any model of ours; raise ScenarioError with every located problem."""
    problems = list(problems or [])
    if not isinstance(data, dict):
        hint = "the file starts with 'tests:' (see docs/playtests.md)" if what == "test file" else ""
        raise ScenarioError([Diagnostic(filename, 1, 1, "", f"a {what} must be a mapping of keys", hint)], what)
    try:
        result = model.model_validate(data, context=context)
    except ValidationError as exc:
        seen = {p for p, _, _ in problems}
        problems.extend(x for x in _pydantic_problems(exc, model) if x[0] not in seen)
        raise ScenarioError(to_diagnostics(filename, marks, problems), what) from None
    if problems:
        raise ScenarioError(to_diagnostics(filename, marks, problems), what)
    return result


def load_marked(text: str, filename: str = "<scenario>") -> tuple[LoadedScenario, Marks]:
    """Validate scenario text; return it with the marks that locate every path (for lint findings)."""
    data, marks, problems = read_yaml(text, filename)
    if not isinstance(data, dict):
        raise ScenarioError([Diagnostic(filename, 1, 1, "", "a scenario must be a mapping of keys", "")])
    scenario: Scenario | None = None
    names = raw_namespace(data)
    context = {"names": names, "suggest": Suggester(names)}  # one 'did you mean' index for the whole file
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        seen = {p for p, _, _ in problems}  # a bad tag or key already reported there
        problems.extend(x for x in _pydantic_problems(exc) if x[0] not in seen)
        problems.extend(_partial_checks(data, exc, context))
    if scenario is not None:
        problems.extend(check(scenario))
    if problems:
        raise ScenarioError(to_diagnostics(filename, marks, problems))
    assert scenario is not None
    return LoadedScenario(scenario, filename, content_hash(text)), marks


def load_text(text: str, filename: str = "<scenario>") -> LoadedScenario:
    """Validate scenario text; raise ScenarioError listing every problem."""
    return load_marked(text, filename)[0]


MAX_FILE_BYTES = 8 * 1024 * 1024  # a scenario or test file (the flagship is about 200 KB)


def read_text(path: str | Path, what: str = "scenario", max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 file of at most ``max_bytes``; raise ScenarioError (located at 1:1) if it cannot be read."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise ScenarioError([Diagnostic(str(p), 1, 1, "", "no such file", "check the path")], what) from None
    except OSError as exc:
        raise ScenarioError([Diagnostic(str(p), 1, 1, "", f"cannot read the file: {exc.strerror or exc}", "")],
                            what) from None
    if len(raw) > max_bytes:
        raise ScenarioError([Diagnostic(str(p), 1, 1, "", f"the file is larger than {max_bytes // 1024:,} KB",
                                        f"a {what} file is data, not a dump: split it or check the path")],
                            what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_column(raw[: exc.start].decode("utf-8", "replace"), exc.start)
        raise ScenarioError([Diagnostic(str(p), line, col, "", f"the file is not UTF-8 text ({exc.reason} at "
                                        f"byte {exc.start:,})", "save it as UTF-8")], what) from None


def read_data(path: str | Path, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read a small YAML or JSON data file (``.json`` by its suffix) through every guard of this module.

    Any problem (unreadable, too large, not UTF-8, bad syntax, a tag that does not fit, a JSON number
    beyond Python's limits) is a located ScenarioError, never another exception.
    """
    text = read_text(path, what, max_bytes)
    name = str(path)
    if Path(path).suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError([Diagnostic(name, exc.lineno, exc.colno, "", f"JSON syntax: {exc.msg}", "")],
                                what) from None
        except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4,300 digits
            raise ScenarioError([Diagnostic(name, 1, 1, "", f"JSON: {show(exc, 200)}", "")], what) from None
    data, marks, problems = read_yaml(text, name, what)
    if problems:
        raise ScenarioError(to_diagnostics(name, marks, problems), what)
    return data


def load_file(path: str | Path) -> LoadedScenario:
    """Read and validate a scenario file."""
    return load_text(read_text(path), str(path))


