"""Rewrite files of an older format in the current one, changing nothing else.

``negotiation migrate`` reads a scenario, a playthrough-test file or a strategy script and returns
its text with only the old constructs rewritten. Every change is an edit of the original text at a
node the YAML reader located, so comments, key order, quoting, blank lines and line breaks stay as
they were. (A round trip through a YAML library re-emits the whole file: ruamel.yaml's, for one,
turns ``[{to: x}]`` into ``[to: x]`` and ``null`` into nothing, and joins wrapped flow mappings.)
The edited text is read back and must hold exactly the data intended, or the migration is refused.

Format 1 to 2:

- a scenario gets ``format: 2`` before its first key (``format: 1`` becomes 2);
- the ally's move ``us`` becomes ``ally``: in decisions' ``moves`` and ``historical``, in test
  steps and ``legal``/``not_legal``, and in strategy scripts;
- ``asks.us`` becomes ``asks.ally`` in expressions (and in tests' ``holds``);
- an article's ``us_lever`` becomes ``ally_lever``;
- an ally without ``support`` gets ``support: us_support``, the variable format 1 meant.

The renames are aliases in every format, so they are made in format-2 files too. ``sign_aspiration``
stays: it is still read, and ``sign_margin`` means something else (a margin below his aspiration,
not an absolute value), so no rewrite would keep the game as it was.
"""

from __future__ import annotations

import re
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AliasChoices, BaseModel

from negotiation.errors import Diagnostic, ScenarioError
from negotiation.scenario.loader import Path_, format_path, load_marked, read_text, read_yaml, to_diagnostics
from negotiation.scenario.models import FORMAT, AllyAI, ArticleAI, Decision, Expr, Scenario
from negotiation.scenario.playtests import (
    SUFFIX,
    Condition,
    Expect,
    PlayTestFile,
    StepText,
    load_tests_text,
    parse_step,
)
from negotiation.scenario.scripts import StrategyScript

Kind = Literal["scenario", "tests", "script"]
KINDS: tuple[Kind, ...] = ("scenario", "tests", "script")
SCRIPT_KEYS = frozenset(StrategyScript.model_fields)  # scenario, actions, decisions, fallback

try:  # the loader's reader: libyaml where it is built in (its marks count characters, like Python's)
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - wheels without libyaml
    _Loader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MOVE = re.compile(r"(?<![\w.:-])us(?![\w.:-])")  # the move 'us' as a word of a scalar's text
_ASKS = re.compile(r"(?<![\w.])asks\.us(?![\w.])")  # the expression name 'asks.us'
_SPACES = re.compile(r" *")


@dataclass(frozen=True, slots=True)
class Change:
    """One change a migration makes, located in the original file (1-based)."""

    line: int
    column: int
    field: str
    what: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.field + ': ' if self.field else ''}{self.what}"


@dataclass(frozen=True)
class Migration:
    """The result of migrating one file: its kind, the format it had, the new text and every change."""

    kind: Kind
    text: str
    changes: tuple[Change, ...]
    source_format: int | None = None  # a scenario's format before; None for test files and scripts

    @property
    def changed(self) -> bool:
        """Whether the text differs from the original."""
        return bool(self.changes)

    def summary(self) -> str:
        """What the migration does, in a few words: 'format 1 → 2, 5 changes' or 'already current'."""
        if not self.changes:
            return f"already current (format {FORMAT})" if self.kind == "scenario" else "already current"
        n = f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''}"
        return f"format {self.source_format} → {FORMAT}, {n}" if self.source_format not in (None, FORMAT) else n


class MigrationError(ScenarioError):
    """A file that cannot be migrated: unreadable, invalid, of an unknown kind, or not safely editable."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics, "file")


class UnknownKindError(MigrationError):
    """A file that is not a scenario, a playthrough-test file or a strategy script."""


# --------------------------------------------------------------------------- what a file is
def file_kind(data: Any, filename: str = "") -> Kind | None:
    """What a file is, by its name (``*.tests.yaml``) or its content; None if it is none of the three."""
    if filename.endswith(SUFFIX):
        return "tests"
    if isinstance(data, dict):
        if "tests" in data:
            return "tests"
        if isinstance(data.get("scenario"), dict):
            return "scenario"
        if data and set(data) <= SCRIPT_KEYS:
            return "script"
    if isinstance(data, list) and all(isinstance(x, str) for x in data):
        return "script"
    return None


# --------------------------------------------------------------------------- walking nodes with their models
_NONE = type(None)


def _field_annotation(info: Any) -> Any:
    ann = info.annotation
    return typing.Annotated[(ann, *info.metadata)] if info.metadata else ann


def _model_fields(model: type[BaseModel]) -> dict[str, tuple[str, Any]]:
    """Every key a model reads (field names and their aliases) -> (field name, annotation)."""
    out: dict[str, tuple[str, Any]] = {}
    for name, info in model.model_fields.items():
        ann = _field_annotation(info)
        out[name] = (name, ann)
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            for choice in alias.choices:
                if isinstance(choice, str):
                    out.setdefault(choice, (name, ann))
    return out


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _scalar_value(node: yaml.Node, key: str) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return None


def _pick(members: list[Any], node: yaml.Node) -> Any:
    """The member of a union that a node stands for: a model (by its 'kind') for a mapping, else by shape."""
    for m in members:
        tp = _strip(m)[0]
        if isinstance(node, yaml.MappingNode) and _is_model(tp):
            kind = tp.model_fields.get("kind")
            if kind is None or _scalar_value(node, "kind") in typing.get_args(kind.annotation):
                return m
        origin = typing.get_origin(tp)
        if isinstance(node, yaml.SequenceNode) and origin is tuple:
            return m
        if isinstance(node, yaml.MappingNode) and origin is not None and origin not in (tuple, Literal) \
                and not _is_model(tp):
            return m
        if isinstance(node, yaml.ScalarNode) and not _is_model(tp) and origin is not tuple:
            return m
    return None


def _strip(ann: Any, node: yaml.Node | None = None) -> tuple[Any, frozenset[Callable[..., Any]]]:
    """The type under Annotated and Optional (a union's member picked for ``node``) and the validators met."""
    funcs: set[Callable[..., Any]] = set()
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            args = typing.get_args(ann)
            funcs.update(m.func for m in args[1:] if callable(getattr(m, "func", None)))
            ann = args[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(ann) if a is not _NONE]
            picked = members[0] if len(members) == 1 else _pick(members, node) if node is not None else None
            if picked is None:
                return None, frozenset(funcs)
            ann = picked
        else:
            return ann, frozenset(funcs)


@dataclass(frozen=True, slots=True)
class _Visit:
    """A node met while walking a document along its models."""

    path: Path_
    node: yaml.Node
    model: type[BaseModel] | None  # the model a mapping node is read as
    owner: tuple[type[BaseModel], str] | None  # the model and field the node belongs to
    validators: frozenset[Callable[..., Any]]


def _walk(node: yaml.Node, ann: Any, path: Path_ = (),
          owner: tuple[type[BaseModel], str] | None = None) -> Iterator[_Visit]:
    """Every node of a document with the model it is read as and the field it belongs to."""
    stack: list[tuple[yaml.Node, Any, Path_, tuple[type[BaseModel], str] | None]] = [(node, ann, path, owner)]
    while stack:
        node, ann, path, owner = stack.pop()
        tp, funcs = _strip(ann, node)
        model = tp if _is_model(tp) else None
        yield _Visit(path, node, model, owner, funcs)
        if isinstance(node, yaml.MappingNode):
            if model is not None:
                fields = _model_fields(model)
                for k, v in reversed(node.value):
                    key = str(k.value) if isinstance(k, yaml.ScalarNode) else ""
                    name, sub = fields.get(key, (key, None))
                    stack.append((v, sub, (*path, key), (model, name)))
            else:
                args = typing.get_args(tp) if typing.get_origin(tp) is not None else ()
                sub = args[1] if len(args) == 2 else None
                for k, v in reversed(node.value):
                    stack.append((v, sub, (*path, str(getattr(k, "value", ""))), owner))
        elif isinstance(node, yaml.SequenceNode):
            args = typing.get_args(tp) if typing.get_origin(tp) is tuple else ()
            for i, item in reversed(list(enumerate(node.value))):
                sub = args[0] if len(args) == 2 and args[1] is Ellipsis else args[min(i, len(args) - 1)] if args \
                    else None
                stack.append((item, sub, (*path, i), owner))
        elif isinstance(node, yaml.ScalarNode) and typing.get_origin(tp) is tuple:
            # a bare string where a list is read (counterpart lines): the item's type applies
            args = typing.get_args(tp)
            if args:
                yield _Visit(path, node, None, owner, _strip(args[0], node)[1])


_EXPR = _strip(Expr)[1]  # the validators that mark an expression, a test step and a test's condition
_STEP = _strip(StepText)[1]
_CONDITION = _strip(Condition)[1]


def _paths(root: yaml.Node) -> Counter[int]:
    """How many paths reach each node (aliases repeat a node; the first pass bounded the expansion)."""
    count: Counter[int] = Counter()
    stack = [root]
    while stack:
        node = stack.pop()
        count[id(node)] += 1
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return count


# --------------------------------------------------------------------------- edits
@dataclass
class _Plan:
    """The edits to make to a text, and the same changes made to its composed nodes."""

    text: str
    root: yaml.Node
    filename: str
    edits: list[tuple[int, int, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    problems: list[tuple[Path_, str, str]] = field(default_factory=list)
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    done: dict[int, tuple[yaml.Node, Path_]] = field(default_factory=dict)  # edited nodes, where first met
    wanted: Counter[int] = field(default_factory=Counter)  # paths to each edited node that want the edit

    def want(self, node: yaml.Node, path: Path_) -> bool:
        """Count a path that wants ``node`` changed; True the first time (the text holds the node once)."""
        self.wanted[id(node)] += 1
        if id(node) in self.done:
            return False
        self.done[id(node)] = (node, path)
        return True

    def check_aliases(self) -> None:
        """Refuse an edit to a node that an alias also repeats where it must not change."""
        if not self.done:
            return
        paths = _paths(self.root)
        for key, (node, path) in self.done.items():
            if self.wanted[key] < paths[key]:
                self.refuse(node, path, "an alias repeats this value where it must stay as it is",
                            "write the value out instead of the alias, then migrate")

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    def change(self, node: yaml.Node, path: Path_, what: str) -> None:
        self.changes.append(Change(node.start_mark.line + 1, node.start_mark.column + 1, format_path(path), what))

    def refuse(self, node: yaml.Node, path: Path_, message: str, hint: str) -> None:
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.problems.append((path, message, hint))

    def rewrite(self, node: yaml.ScalarNode, path: Path_, pattern: re.Pattern[str], new: str, count: int,
                what: str) -> None:
        """Replace the first ``count`` matches of ``pattern`` in a scalar (0: all), in its text and its value."""
        start, end = node.start_mark.index, node.end_mark.index
        source = self.text[start:end]
        value, n_value = pattern.subn(new, node.value, count)
        replaced, n_source = pattern.subn(new, source, count)
        if n_value == 0 or not self.want(node, path):
            return
        if n_source != n_value:
            self.refuse(node, path, f"cannot rewrite this value automatically ({what})",
                        "make the change by hand: the text is escaped or split differently from its value")
            return
        self.edits.append((start, end + self._padding(end, len(replaced) - len(source)), replaced))
        node.value = value
        self.change(node, path, what)

    def _padding(self, end: int, longer: int) -> int:
        """Spaces after a value that a longer value may take, keeping a comment after it in its column."""
        blank = _SPACES.match(self.text, end)
        spaces = blank.end() - end if blank else 0
        if longer > 0 and spaces > longer and self.text.startswith("#", end + spaces):
            return longer
        return 0

    def insert(self, at: int, text: str) -> None:
        self.edits.append((at, at, text))

    def apply(self) -> str:
        """The text with every edit made (in one pass: a large file with many edits stays linear)."""
        parts: list[str] = []
        at = 0
        for start, end, new in sorted(self.edits, key=lambda e: (e[0], e[1])):
            if start < at:  # pragma: no cover - the planners never overlap their edits
                raise AssertionError("overlapping edits")
            parts += [self.text[at:start], new]
            at = end
        parts.append(self.text[at:])
        return "".join(parts)


def _rename_move(plan: _Plan, node: yaml.Node, path: Path_, as_step: bool = False) -> None:
    """'us' -> 'ally' where a scalar is the move (or a step or action whose kind is the move)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
        return
    if id(node) in plan.done:  # already renamed (an alias): count this path too
        plan.want(node, path)
        return
    text = node.value
    if as_step:
        try:
            step = parse_step(text)
        except ValueError:
            return
        if step.kind != "action" or step.action.partition(":")[0] != "us":
            return
    elif text.strip().partition(":")[0] != "us":
        return
    plan.rewrite(node, path, _MOVE, "ally", 1, "'us' → 'ally' (the ally's move)")


def _rename_asks(plan: _Plan, node: yaml.Node, path: Path_) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        if id(node) in plan.done:
            plan.want(node, path)
            return
        plan.rewrite(node, path, _ASKS, "asks.ally", 0, "'asks.us' → 'asks.ally'")


def _rename_key(plan: _Plan, mapping: yaml.MappingNode, path: Path_, old: str, new: str) -> None:
    keys = {k.value for k, _ in mapping.value if isinstance(k, yaml.ScalarNode)}
    for k, _ in mapping.value:
        if id(k) in plan.done:
            plan.want(k, (*path, new))
            continue
        if not (isinstance(k, yaml.ScalarNode) and k.value == old):
            continue
        if new in keys:
            plan.refuse(k, (*path, old), f"both '{old}' and '{new}' are given", f"keep only '{new}'")
            return
        plan.rewrite(k, (*path, old), re.compile(rf"(?<![\w.]){re.escape(old)}(?![\w.])"), new, 1,
                     f"'{old}' → '{new}'")


def _add_key(plan: _Plan, mapping: yaml.MappingNode, path: Path_, after: str, key: str, value: str,
             why: str) -> None:
    """Add ``key: value`` to a mapping that lacks it, after the entry ``after`` (in its style: flow or block)."""
    if id(mapping) in plan.done:  # an alias met again
        plan.want(mapping, path)
        return
    keys = [getattr(k, "value", None) for k, _ in mapping.value]
    pairs = [(i, k, v) for i, (k, v) in enumerate(mapping.value) if isinstance(k, yaml.ScalarNode) and k.value == after]
    if key in keys or not pairs or not plan.want(mapping, path):
        return
    i, k, v = pairs[0]
    if mapping.flow_style:
        plan.insert(v.end_mark.index, f", {key}: {value}")
    else:
        eol = plan.text.find("\n", v.end_mark.index)
        at = len(plan.text) if eol < 0 else eol + 1
        prefix = plan.newline if eol < 0 else ""
        plan.insert(at, f"{prefix}{' ' * k.start_mark.column}{key}: {value}{plan.newline}")
    mapping.value.insert(i + 1, (yaml.ScalarNode(_STR, key), yaml.ScalarNode(_STR, value)))
    plan.change(mapping, (*path, key), f"added '{key}: {value}' ({why})")


def _set_format(plan: _Plan, root: yaml.MappingNode) -> None:
    """Write ``format: FORMAT``: in place of an explicit older one, else before the first key."""
    for k, v in root.value:
        if isinstance(k, yaml.ScalarNode) and k.value == "format" and isinstance(v, yaml.ScalarNode):
            plan.edits.append((v.start_mark.index, v.end_mark.index, str(FORMAT)))
            plan.change(v, ("format",), f"format {v.value} → {FORMAT}")
            v.value, v.tag = str(FORMAT), _INT
            return
    first = root.value[0][0] if root.value else root
    at = first.start_mark.index
    line_start = plan.text.rfind("\n", 0, at) + 1
    if root.flow_style:
        plan.insert(at, f"format: {FORMAT}, ")
    elif plan.text[line_start:at].strip():
        plan.refuse(first, (), f"cannot place 'format: {FORMAT}' before the first key", "add it by hand")
        return
    else:
        plan.insert(line_start, f"{plan.text[line_start:at]}format: {FORMAT}{plan.newline}")
    root.value.insert(0, (yaml.ScalarNode(_STR, "format"), yaml.ScalarNode(_INT, str(FORMAT))))
    plan.change(first, ("format",), f"added 'format: {FORMAT}' (the file was format 1)")


# --------------------------------------------------------------------------- the three kinds of file
def _plan_scenario(plan: _Plan, old_format: int) -> None:
    root = plan.root
    assert isinstance(root, yaml.MappingNode)
    for v in _walk(root, Scenario):
        node, path = v.node, v.path
        if isinstance(node, yaml.ScalarNode):
            if v.validators & _EXPR:
                _rename_asks(plan, node, path)
            elif v.owner is not None and v.owner[0] is Decision and v.owner[1] in ("moves", "historical") \
                    and len(path) == 4:
                _rename_move(plan, node, path)
        elif isinstance(node, yaml.MappingNode):
            if v.model is ArticleAI:
                _rename_key(plan, node, path, "us_lever", "ally_lever")
            elif v.model is AllyAI and old_format < 2:
                _add_key(plan, node, path, "kind", "support", "us_support", "format 1's default")
    if old_format < FORMAT:
        _set_format(plan, root)


def _plan_tests(plan: _Plan) -> None:
    for v in _walk(plan.root, PlayTestFile):
        if not isinstance(v.node, yaml.ScalarNode):
            continue
        if v.validators & _STEP or (v.owner in ((Expect, "legal"), (Expect, "not_legal"))
                                    and isinstance(v.path[-1], int)):
            _rename_move(plan, v.node, v.path, as_step=True)
        elif v.validators & (_CONDITION | _EXPR):
            _rename_asks(plan, v.node, v.path)


def _plan_script(plan: _Plan) -> None:
    root = plan.root
    actions: list[tuple[yaml.Node, Path_]] = []
    if isinstance(root, yaml.SequenceNode):
        actions = [(n, (i,)) for i, n in enumerate(root.value)]
    elif isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            key = getattr(k, "value", "")
            if key == "actions" and isinstance(v, yaml.SequenceNode):
                actions += [(n, ("actions", i)) for i, n in enumerate(v.value)]
            elif key == "decisions" and isinstance(v, yaml.MappingNode):
                for dk, dv in v.value:
                    p: Path_ = ("decisions", str(getattr(dk, "value", "")))
                    if isinstance(dv, yaml.SequenceNode):
                        actions += [(n, (*p, i)) for i, n in enumerate(dv.value)]
                    else:
                        actions.append((dv, p))
    for node, path in actions:
        _rename_move(plan, node, path)


# --------------------------------------------------------------------------- the pass
def _validate(text: str, filename: str, kind: Kind | None) -> tuple[Kind, int | None]:
    """The first pass, through the loader's guards: the file must read and validate as what it is.

    Return its kind and, for a scenario, its format.
    """
    data, marks, problems = read_yaml(text, filename, "file")
    if problems:
        raise MigrationError(to_diagnostics(filename, marks, problems))
    kind = kind or file_kind(data, filename)
    if kind is None:
        raise UnknownKindError([Diagnostic(filename, 1, 1, "", "not a scenario, a playthrough-test file or a "
                                         "strategy script", "a scenario has 'scenario:', a test file 'tests:', a "
                                         "script 'actions:' or 'decisions:'")])
    if kind == "scenario":
        loaded, _ = load_marked(text, filename)
        return kind, loaded.scenario.format
    if kind == "tests":
        load_tests_text(text, filename)
    elif not (isinstance(data, list) or (isinstance(data, dict) and set(data) <= SCRIPT_KEYS)):
        raise MigrationError([Diagnostic(filename, 1, 1, "", "a script is a list of actions or a mapping of "
                                         "actions, decisions and fallback", "")])
    return kind, None


def _construct(node: yaml.Node) -> Any:
    return yaml.constructor.SafeConstructor().construct_document(node)


def _plan(text: str, filename: str, kind: Kind, source_format: int | None) -> _Plan:
    root = yaml.compose(text, Loader=_Loader)
    assert root is not None  # the first pass refused an empty file
    plan = _Plan(text, root, filename)
    if kind == "scenario":
        _plan_scenario(plan, source_format or 1)
    elif kind == "tests":
        _plan_tests(plan)
    else:
        _plan_script(plan)
    plan.check_aliases()
    if plan.problems:
        raise MigrationError(to_diagnostics(filename, plan.marks, plan.problems))
    return plan


def changes(text: str, filename: str, kind: Kind, source_format: int | None = None) -> tuple[Change, ...]:
    """What a migration would change in a text that already validated as ``kind`` (for lint's note).

    ``source_format`` is a scenario's format as loaded. Raise MigrationError where a value cannot be
    rewritten automatically.
    """
    plan = _plan(text.removeprefix("\ufeff"), filename, kind, source_format)
    return tuple(sorted(plan.changes, key=lambda c: (c.line, c.column)))


def migrate_text(text: str, filename: str = "<file>", kind: Kind | None = None) -> Migration:
    """Migrate one file's text to the current format; raise MigrationError (or ScenarioError) if it cannot be.

    The file is validated first, as the loader reads it (size, tags, aliases, the models); a file
    already current comes back unchanged, with no changes listed.
    """
    kind, old_format = _validate(text, filename, kind)
    bom = "\ufeff" if text.startswith("\ufeff") else ""  # the reader's marks do not count it: set it aside
    plan = _plan(text[len(bom):], filename, kind, old_format)
    if not plan.edits:
        return Migration(kind, text, (), old_format)
    new = bom + plan.apply()
    _check(new, _construct(plan.root), filename, kind)
    found = tuple(sorted(plan.changes, key=lambda c: (c.line, c.column, c.field)))
    return Migration(kind, new, found, old_format)


def _check(new: str, expected: Any, filename: str, kind: Kind) -> None:
    """The edited text must read as the data intended, and validate."""
    try:
        node = yaml.compose(new, Loader=_Loader)
        got = None if node is None else _construct(node)
        if kind == "scenario":
            load_marked(new, filename)
    except (yaml.YAMLError, ScenarioError) as exc:
        raise MigrationError([Diagnostic(filename, 1, 1, "", f"the rewritten file would not load ({exc})",
                                         "migrate it by hand")]) from None
    if got != expected:
        raise MigrationError([Diagnostic(filename, 1, 1, "", "the rewritten file would not hold the data intended",
                                         "migrate it by hand")])


def migrate_file(path: str | Path, kind: Kind | None = None) -> Migration:
    """Read a file through the loader's guards (size, encoding) and migrate it."""
    return migrate_text(read_text(path, "file"), str(path), kind)


def targets(paths: list[str]) -> list[tuple[Path, bool]]:
    """The files to migrate: each path given (True), and the ``*.yaml`` files below each folder (False)."""
    out: list[tuple[Path, bool]] = []
    for name in paths:
        p = Path(name)
        if p.is_dir():
            out.extend((f, False) for f in sorted(p.rglob("*.yaml")) if f.is_file())
        else:
            out.append((p, True))
    return out


__all__ = ["KINDS", "Change", "Kind", "Migration", "MigrationError", "UnknownKindError", "changes", "file_kind",
           "migrate_file", "migrate_text", "targets"]
