"""Load a scenario file: safe YAML with line numbers, pydantic validation, cross-reference checks.

Every problem is reported at once, each located as ``file:line:column: field: message (hint)``.
"""

from __future__ import annotations

import difflib
import hashlib
import types
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from negotiation.errors import Diagnostic, ScenarioError
from negotiation.scenario.models import Scenario

try:  # libyaml keeps marks and is ~20x faster than the pure-Python composer
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels without libyaml
    _Loader = yaml.SafeLoader

Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]

_constructor = yaml.constructor.SafeConstructor()
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _build(node: yaml.Node, path: Path_, marks: Marks, problems: list[tuple[Path_, str, str]]) -> Any:
    """Turn a composed node into plain data, recording where every path starts."""
    marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        problems.append((path, f"the tag {node.tag!r} is not allowed: scenario files are plain data",
                         "remove the tag"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            try:
                key = _constructor.construct_object(key_node, deep=True)
            except yaml.YAMLError as exc:
                marks[path + ("?",)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                problems.append((path + ("?",), f"bad key: {exc}", ""))
                continue
            if not isinstance(key, (str, int)):
                key = str(key)
            child = path + (key,)
            marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in out:
                problems.append((child, f"duplicate key {key!r}", "keep only one of them"))
            out[key] = _build(value_node, child, marks, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), marks, problems) for i, item in enumerate(node.value)]
    try:
        return _constructor.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.append((path, str(exc).splitlines()[0], "quote the value"))
    except (ValueError, TypeError, OverflowError):
        return node.value  # e.g. 1945-07-41: left as text for the model to reject with its location
    return None


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


def _model_fields_at(loc: tuple[Any, ...]) -> tuple[Path_, type[BaseModel] | None]:
    """Walk the models along a pydantic error location: the YAML path and the model there."""
    current: Any = Scenario
    data_path: list[str | int] = []
    for part in loc:
        current = _unwrap(current)
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
            current = members[0] if len(members) == 1 else None
            current = _unwrap(current)
            if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
                data_path.append(part)
                current = current.model_fields[part].annotation if part in current.model_fields else None
                continue
        data_path.append(part)
        if origin is list and args:
            current = args[0]
        elif origin is dict and len(args) == 2:
            current = args[1]
        elif origin is tuple and args:
            current = args[0]
        else:
            current = None
    end = _unwrap(current)
    return tuple(data_path), end if isinstance(end, type) and issubclass(end, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return tp


def _hint(err: Any, data_path: Path_) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"add '{data_path[-1]}'" if data_path else "add the missing field"
    if kind == "extra_forbidden":
        parent_loc = tuple(err["loc"][:-1])
        _, model = _model_fields_at(parent_loc)
        if model is not None:
            allowed = sorted(model.model_fields)
            close = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1)
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
    if kind == "string_type":
        return "quote it if it is text: YAML reads yes/no/on/off as true/false and 1945-08-14 as a date"
    if kind == "too_short":
        return "add at least the minimum number of items"
    return ""


def _pydantic_problems(exc: ValidationError) -> Iterator[tuple[Path_, str, str]]:
    for err in exc.errors(include_url=False):
        data_path, _ = _model_fields_at(tuple(err["loc"]))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{err['loc'][-1]}'"
        elif err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        yield data_path, msg, _hint(err, data_path)


def raw_namespace(data: dict[str, Any]) -> set[str]:
    """The names expressions may read, gathered from unvalidated data (tolerant of any shape)."""
    from negotiation.scenario.checks import ARTICLE_ATTRS, GLOBAL_NAMES

    def ids(key: str) -> list[dict[str, Any]]:
        items = data.get(key)
        return [x for x in items if isinstance(x, dict) and isinstance(x.get("id"), str)] if isinstance(
            items, list) else []

    names = set(GLOBAL_NAMES)
    names.update(v["id"] for v in ids("variables"))
    names.update(f"phase.{p['id']}" for p in ids("phases"))
    for a in ids("articles"):
        names.update(f"{a['id']}.{attr}" for attr in ARTICLE_ATTRS)
        positions = a.get("positions")
        if isinstance(positions, list):
            names.update(f"{a['id']}.{p['id']}" for p in positions if isinstance(p, dict) and isinstance(
                p.get("id"), str))
    return names


def _partial_checks(data: dict[str, Any], exc: ValidationError, context: dict[str, Any]) -> list[
        tuple[Path_, str, str]]:
    """Check references too when some list items are invalid: drop those items and check the rest.

    A reference to an item that was dropped is not reported (the item exists, it is only broken).
    Nothing is reported if the file is broken outside list items.
    """
    from negotiation.scenario.checks import check

    drop: dict[str, set[int]] = {}
    for err in exc.errors():
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


def load_text(text: str, filename: str = "<scenario>") -> LoadedScenario:
    """Validate scenario text; raise ScenarioError listing every problem."""
    from negotiation.scenario.checks import check  # late: checks imports this module's helpers

    problems: list[tuple[Path_, str, str]] = []
    marks: Marks = {}
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or str(exc)
        raise ScenarioError(
            [Diagnostic(filename, line, col, "", f"YAML syntax: {problem}", "check indentation and quoting")]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Diagnostic(filename, 1, 1, "", f"YAML: {exc}", "")]) from None
    if node is None:
        raise ScenarioError([Diagnostic(filename, 1, 1, "", "the file is empty", "start from an example scenario")])
    data = _build(node, (), marks, problems)
    if not isinstance(data, dict):
        raise ScenarioError([Diagnostic(filename, 1, 1, "", "a scenario must be a mapping of keys", "")])
    scenario: Scenario | None = None
    context = {"names": raw_namespace(data)}
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        seen = {p for p, _, _ in problems}  # a bad tag or key already reported there
        problems.extend(x for x in _pydantic_problems(exc) if x[0] not in seen)
        problems.extend(_partial_checks(data, exc, context))
    if scenario is not None:
        problems.extend(check(scenario))
    if problems:
        diags = []
        for path, msg, hint in problems:
            line, col = _where(marks, path)
            diags.append(Diagnostic(filename, line, col, format_path(path), msg, hint))
        diags.sort(key=lambda d: (d.line, d.column))
        raise ScenarioError(diags)
    assert scenario is not None
    return LoadedScenario(scenario, filename, content_hash(text))


def load_file(path: str | Path) -> LoadedScenario:
    """Read and validate a scenario file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([Diagnostic(str(p), 1, 1, "", "no such file", "check the path")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Diagnostic(str(p), 1, 1, "", f"cannot read the file: {exc}", "")]) from None
    return load_text(text, str(p))
