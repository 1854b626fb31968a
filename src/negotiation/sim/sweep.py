"""Counterfactual sweeps: vary numeric parameters of a scenario over a grid; each point a seeded batch.

A parameter is named by its path in the scenario file, with the ids of list items:
``actors.stalin.ai.hold_cost``, ``articles.dairen.counterpart.ally_lever``,
``articles.dairen.positions.free_port_chinese.value.ussr``, ``events.trinity.date``; a list without ids by
index, ``decisions.d0702_basis.options.reject_basis.effects[0].add.patience``. The path is checked
against the scenario's models as it is read, and an error shows where it went wrong.

Each point is a scenario rebuilt from the file's data with the values set, validated again by the
loader's models and checks (a loaded scenario is never changed in place), then played like
``simulate`` with the same seeds at every point: the same policy on the same seeds, so that
differences between points come from the parameters (common random numbers). A point's summary
is exactly what ``negotiation simulate`` gives on that scenario.

Points run on local processes, or on a Dask cluster (``executor="dask"``) with the same results.
"""

from __future__ import annotations

import collections.abc
import datetime as dt
import difflib
import itertools
import json
import math
import re
import statistics
import threading
import types
import typing
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from negotiation.engine.game import UNSIGNED
from negotiation.engine.rules import Rules
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.scenario.checks import check
from negotiation.scenario.loader import (
    LoadedScenario,
    Marks,
    content_hash,
    format_path,
    raw_namespace,
    read_text,
    read_yaml,
    to_diagnostics,
    unwrap_annotation,
    validate_model,
    where,
)
from negotiation.scenario.models import Scenario
from negotiation.sim.batch import Player, Row, Tally, available_cores, ordered_map

Key = str | int
Value = float | int | str  # a number, or a date as YYYY-MM-DD
MAX_POINTS = 100_000
CONNECT_TIMEOUT = "10s"  # how long to wait for a Dask scheduler
_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


# ---------------------------------------------------------------------- paths and grids
@dataclass(frozen=True)
class Vary:
    """One varied parameter: where it is in the scenario data, its kind, and the values of the grid."""

    path: str
    keys: tuple[Key, ...]
    kind: str  # "float", "int", "date", or "expr" (a number written as an expression, e.g. sign_margin: "4")
    base: Value | None
    values: tuple[Value, ...]


def parse_vary(spec: str, data: dict[str, Any], filename: str = "<scenario>", marks: Marks | None = None) -> Vary:
    """Read ``PATH=START:STOP:STEP`` (or ``PATH=A,B,C``) against a scenario's data; raise a located error."""
    path, eq, grid = spec.partition("=")
    path, grid = path.strip(), grid.strip()
    if not eq or not path or not grid:
        raise NegotiationError(f"--vary {spec!r}: write PATH=START:STOP:STEP or PATH=A,B,C, "
                               "e.g. actors.stalin.ai.hold_cost=3:9:2")
    keys, kind, base = resolve(path, data, filename, marks)
    values = _grid(grid, kind, base, f"--vary {path}={grid}")
    return Vary(path, keys, kind, base, values)


class PathError(NegotiationError):
    """A parameter path that does not name a number of the scenario."""


def resolve(path: str, data: dict[str, Any], filename: str = "<scenario>",
            marks: Marks | None = None) -> tuple[tuple[Key, ...], str, Value | None]:
    """Walk a parameter path through the scenario's data and models: its data keys, its kind and its value now."""
    segments = _segments(path)
    keys: list[Key] = []
    node: Any = data
    model: Any = Scenario
    offset = 0
    for i, (name, indices) in enumerate(segments):
        start = offset
        offset += len(name) + sum(len(f"[{n}]") for n in indices) + 1

        def fail(message: str, hint: str = "", _start: int = start, _name: str = name) -> PathError:
            caret = " " * _start + "^" * max(1, len(_name))
            located = ""
            if marks is not None and keys:
                line, col = where(marks, tuple(keys))
                located = f"\n  ({filename}:{line}:{col}: {format_path(keys)})"
            return PathError(f"--vary {path}: {message}{' (' + hint + ')' if hint else ''}\n  {path}\n  {caret}"
                             f"{located}")

        node, model = _step(node, model, name, keys, fail)
        for n in indices:
            if not isinstance(node, list):
                raise fail(f"'{name}' is not a list: [{n}] cannot index it")
            if n >= len(node):
                raise fail(f"'{name}' has {len(node)} item{'s' if len(node) != 1 else ''}: [{n}] is beyond it")
            keys.append(n)
            node = node[n]
            model = _item_model(model)
        if i < len(segments) - 1 and _leaf_kind(model) is not None:
            raise fail(f"'{name}' is a value: the path cannot go further into it")
    kind = _leaf_kind(model)
    name = segments[-1][0]
    if kind is None:
        what = "a list" if isinstance(node, list) else "a group of fields" if isinstance(node, dict) else "not a number"
        raise PathError(f"--vary {path}: '{name}' is {what}, not a number to vary; "
                        "name one of its numbers (see docs/sweeps.md)")
    if kind == "text":
        if isinstance(node, str) and _number(node) is not None:
            return tuple(keys), "expr", _number(node)
        variables = [v.get("id") for v in data.get("variables", []) if isinstance(v, dict)]
        hint = f" (it names the variable '{node}': vary its start, variables.{node}.initial)" \
            if node in variables else ""
        raise PathError(f"--vary {path}: '{name}' is text or an expression ({str(node)[:60]!r}), not a number; "
                        f"only a number, or an expression that is a plain number, can be varied{hint}")
    if kind == "date":
        base: Value | None = node.isoformat() if isinstance(node, dt.date) else node
        return tuple(keys), "date", base
    if node is not None and not isinstance(node, (int, float)):
        raise PathError(f"--vary {path}: the scenario has {node!r} there, not a number")
    return tuple(keys), kind, node


def _segments(path: str) -> list[tuple[str, list[int]]]:
    out: list[tuple[str, list[int]]] = []
    pos = 0
    for part in path.split("."):
        m = _SEGMENT.fullmatch(part)
        if m is None:
            caret = " " * pos + "^" * max(1, len(part))
            raise PathError(f"--vary {path}: {part!r} is not a name: write names and ids joined by dots, with [N] "
                            f"for an item of a list without ids\n  {path}\n  {caret}")
        out.append((m.group(1), [int(n) for n in re.findall(r"\d+", m.group(2))]))
        pos += len(part) + 1
    return out


def _step(node: Any, model: Any, name: str, keys: list[Key], fail: Callable[..., PathError]) -> tuple[Any, Any]:
    """Go from ``node`` (of type ``model``) to its part ``name``; extend ``keys``."""
    model = _concrete(model, node)
    if isinstance(model, type) and issubclass(model, BaseModel):
        fields = model.model_fields
        field_name = name if name in fields else next(
            (f for f, info in fields.items() if info.validation_alias is not None
             and name in getattr(info.validation_alias, "choices", ())), None)
        if field_name is None:
            close = difflib.get_close_matches(name, sorted(fields), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "fields here: " + ", ".join(sorted(fields))
            raise fail(f"'{name}' is not a field of {_what(model)}", hint)
        annotation = fields[field_name].annotation
        if not isinstance(node, dict):
            raise fail(f"'{name}': the scenario has no data here")
        alias = fields[field_name].validation_alias
        spellings = [name, field_name, *(c for c in getattr(alias, "choices", ()) if isinstance(c, str))]
        key = next((k for k in spellings if k in node), field_name)  # the file's own spelling (us_lever)
        keys.append(key)
        if key not in node:  # not written in the file: its default (a group of fields is created when set)
            default = fields[field_name].get_default(call_default_factory=True)
            value = default.model_dump(exclude_unset=True) if isinstance(default, BaseModel) else default
            return value, annotation
        return node[key], annotation
    origin = typing.get_origin(model)
    args = typing.get_args(model)
    if origin in (list, tuple) and isinstance(node, list):  # the models' lists are tuples (immutable)
        ids = [x.get("id") for x in node if isinstance(x, dict)]
        if name not in ids:
            if not any(isinstance(i, str) for i in ids):
                raise fail("the items here have no ids: write [N] after the list's name")
            close = difflib.get_close_matches(name, [str(i) for i in ids if i], n=1)
            hint = f"did you mean '{close[0]}'?" if close else "ids here: " + ", ".join(str(i) for i in ids[:20])
            raise fail(f"no item with id '{name}' in {format_path(keys) or 'the scenario'}", hint)
        index = ids.index(name)
        keys.append(index)
        return node[index], args[0] if args else None
    if origin in (dict, collections.abc.Mapping) and isinstance(node, dict):  # FrozenDict is a Mapping
        if name not in node:
            hint = "keys here: " + ", ".join(str(k) for k in list(node)[:20]) if node else "it is empty"
            raise fail(f"no key '{name}' in {format_path(keys)}", hint)
        keys.append(name)
        return node[name], args[1] if len(args) == 2 else None
    raise fail(f"'{name}': {format_path(keys) or 'this'} has no parts to name")


def _concrete(model: Any, node: Any) -> Any:
    """The model behind Annotated/Optional wrappers, and the member of a tagged union that the data's kind picks."""
    model = unwrap_annotation(model)
    if typing.get_origin(model) in (typing.Union, types.UnionType):
        members = [unwrap_annotation(a) for a in typing.get_args(model)]
        kind = node.get("kind") if isinstance(node, dict) else None
        for m in members:
            if isinstance(m, type) and issubclass(m, BaseModel) and "kind" in m.model_fields \
                    and kind in typing.get_args(m.model_fields["kind"].annotation):
                return m
    return model


def _item_model(model: Any) -> Any:
    args = typing.get_args(unwrap_annotation(model))
    return args[0] if args else None


def _leaf_kind(model: Any) -> str | None:
    """The kind of value a field holds, if it is a single value (None for models, lists and mappings)."""
    m = unwrap_annotation(model)
    if m is bool:
        return "bool"
    if m is int:
        return "int"
    if m is float:
        return "float"
    if m is dt.date:
        return "date"
    if m is str or typing.get_origin(m) is typing.Literal:
        return "text"
    return None


def _what(model: type[BaseModel]) -> str:
    doc = (model.__doc__ or "").strip().splitlines()
    if not doc:
        return model.__name__
    text = doc[0].split(":")[0].rstrip(".")
    return f"{model.__name__} ({text[:1].lower()}{text[1:]})"


def _number(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _grid(grid: str, kind: str, base: Value | None, where_: str) -> tuple[Value, ...]:
    """The values of ``START:STOP:STEP``, ``A,B,C`` or ``X`` for a field of ``kind``."""
    if kind == "bool":
        raise NegotiationError(f"{where_}: this field is true or false, not a number")
    if kind == "date":
        return _date_grid(grid, base, where_)
    parts = grid.split(":")
    if len(parts) == 3:
        start, stop, step = (_num(p, where_) for p in parts)
        values = _range(start, stop, step, where_)
    elif len(parts) == 1:
        values = [_num(p, where_) for p in grid.split(",")]
    else:
        raise NegotiationError(f"{where_}: write START:STOP:STEP (e.g. 3:9:2) or a list A,B,C")
    if kind == "int":
        if any(v != int(v) for v in values):
            raise NegotiationError(f"{where_}: this field takes whole numbers")
        return tuple(int(v) for v in values)
    return tuple(values)


def _num(text: str, where_: str) -> float:
    x = _number(text.strip())
    if x is None:
        raise NegotiationError(f"{where_}: {text.strip()!r} is not a number")
    return x


def _range(start: float, stop: float, step: float, where_: str) -> list[float]:
    if step == 0 or (stop - start) * step < 0:
        raise NegotiationError(f"{where_}: STEP must be non-zero and go from START towards STOP")
    n = math.floor((stop - start) / step + 1e-9) + 1
    if n > MAX_POINTS:
        raise NegotiationError(f"{where_}: {n:,} values; at most {MAX_POINTS:,}")
    return [round(start + i * step, 10) + 0.0 for i in range(n)]


def _date_grid(grid: str, base: Value | None, where_: str) -> tuple[Value, ...]:
    """Dates: ISO dates or whole days from the scenario's date (-7, +3), and STEP in days."""

    def day(text: str) -> int:
        text = text.strip()
        try:
            return dt.date.fromisoformat(text).toordinal()
        except ValueError:
            pass
        x = _number(text)
        if x is None or x != int(x):
            raise NegotiationError(f"{where_}: {text!r} is neither a date (YYYY-MM-DD) nor whole days from the "
                                   "scenario's date (e.g. -7)")
        if not isinstance(base, str):
            raise NegotiationError(f"{where_}: the scenario has no date here to count days from; give dates")
        return dt.date.fromisoformat(base).toordinal() + int(x)

    parts = grid.split(":")
    if len(parts) == 3:
        step = _num(parts[2], where_)
        if step != int(step):
            raise NegotiationError(f"{where_}: STEP is a whole number of days")
        days = [int(d) for d in _range(day(parts[0]), day(parts[1]), step, where_)]
    elif len(parts) == 1:
        days = [day(p) for p in grid.split(",")]
    else:
        raise NegotiationError(f"{where_}: write START:STOP:STEP with dates or days (e.g. -14:14:7) or a list")
    return tuple(dt.date.fromordinal(d).isoformat() for d in days)


def grid_points(varies: Sequence[Vary]) -> list[tuple[Value, ...]]:
    """Every combination of the varied values, the first parameter varying slowest."""
    points = list(itertools.product(*(v.values for v in varies)))
    if len(points) > MAX_POINTS:
        raise NegotiationError(f"the grid has {len(points):,} points; at most {MAX_POINTS:,}")
    return points


# ---------------------------------------------------------------------- rebuilding a scenario
def set_values(data: dict[str, Any], sets: Sequence[tuple[tuple[Key, ...], str, Value]]) -> dict[str, Any]:
    """A copy of scenario data with values set at paths: containers on the paths are copied, the rest shared."""
    out = dict(data)
    for keys, kind, value in sets:
        node: Any = out
        for key in keys[:-1]:
            try:
                child: Any = node[key]
            except KeyError:  # a group of fields the file leaves to its defaults
                child = {}
            child = list(child) if isinstance(child, list) else dict(child)
            node[key] = child
            node = child
        last: Any = keys[-1]
        if kind == "expr":
            node[last] = repr(float(value)) if not float(value).is_integer() else str(int(float(value)))
        elif kind == "date":
            node[last] = dt.date.fromisoformat(str(value))
        else:
            node[last] = value
    return out


def load_data(data: dict[str, Any], filename: str, marks: Marks) -> LoadedScenario:
    """Validate scenario data as the loader does a file (the models, then the cross-reference checks).

    Problems are located in the original file through ``marks``, since a varied scenario has the
    same paths as the file it came from.
    """
    context = {"names": raw_namespace(data)}
    scenario = validate_model(data, Scenario, marks, filename, "scenario", context=context)
    problems = check(scenario)
    if problems:
        raise ScenarioError(to_diagnostics(filename, marks, problems))
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return LoadedScenario(scenario, filename, content_hash(canonical))


@dataclass(frozen=True)
class Base:
    """The scenario file's data a sweep starts from, and how its points are played."""

    data: dict[str, Any]
    filename: str
    marks: Marks
    policy: str
    script: str | None
    varies: tuple[Vary, ...]

    def scenario_at(self, values: Sequence[Value]) -> LoadedScenario:
        """The scenario with the varied parameters at ``values``, validated."""
        sets = [(v.keys, v.kind, x) for v, x in zip(self.varies, values, strict=True)]
        try:
            return load_data(set_values(self.data, sets), self.filename, self.marks)
        except ScenarioError as exc:
            shown = ", ".join(f"{v.path}={x}" for v, x in zip(self.varies, values, strict=True))
            raise NegotiationError(f"with {shown} the scenario does not validate:\n{exc}") from None


def read_base(path: str | Path, policy: str, script: str | None, specs: Sequence[str]) -> Base:
    """Read a scenario file and the ``--vary`` specifications against it."""
    filename = str(path)
    data, marks, problems = read_yaml(read_text(path), filename)
    if problems or not isinstance(data, dict):
        raise ScenarioError(to_diagnostics(filename, marks, problems))
    if not specs:
        raise NegotiationError("name at least one parameter to vary with --vary PATH=START:STOP:STEP")
    varies = tuple(parse_vary(s, data, filename, marks) for s in specs)
    seen = [v.keys for v in varies]
    if len(set(seen)) != len(seen):
        raise NegotiationError("the same parameter is varied twice")
    return Base(data, filename, marks, policy, script, varies)


# ---------------------------------------------------------------------- playing the points
Unit = tuple[int, tuple[Value, ...], int, int]  # point index, its values, first seed, games


_local = threading.local()  # per thread (Dask workers may be threads): the players of recent points


def play_unit(base: Base, unit: Unit) -> tuple[int, int, tuple[Row, ...]]:
    """Play one piece of one point; return (point index, first seed, rows)."""
    index, values, start, count = unit
    cache: OrderedDict[tuple[Value, ...], Player] = getattr(_local, "players", None) or OrderedDict()
    _local.players = cache
    player = cache.get(values)
    if player is None:
        player = Player(Rules(base.scenario_at(values)), base.policy, base.script, want_json=False)
        cache[values] = player
        while len(cache) > 4:
            cache.popitem(last=False)
    else:
        cache.move_to_end(values)
    return index, start, player.chunk(start, count).rows


_base: Base | None = None


def _init_worker(base: Base) -> None:
    global _base
    _base = base


def _play_local(*unit: Any) -> tuple[int, int, tuple[Row, ...]]:
    assert _base is not None, "the worker was not initialised"
    return play_unit(_base, typing.cast(Unit, unit))


@dataclass
class Point:
    """A grid point's results as they come in."""

    values: tuple[Value, ...]
    tally: Tally
    articles: dict[str, Counter[str]]


def sweep(base: Base, runs: int, seed: int = 0, workers: int = 1, executor: str = "local",
          scheduler: str | None = None, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Run every point of the grid; return the JSON-ready sweep report."""
    if runs < 1:
        raise NegotiationError("--runs must be at least 1")
    points = grid_points(base.varies)
    first = base.scenario_at(points[0])  # fails early, here, on a scenario that does not validate
    for v in base.varies:  # and on each value of each parameter, the others at the first point
        for x in v.values:
            values = list(points[0])
            values[base.varies.index(v)] = x
            base.scenario_at(values)
    order = sorted(first.scenario.articles, key=lambda a: a.id)
    article_ids = [a.id for a in order]
    results: dict[int, list[tuple[int, tuple[Row, ...]]]] = {}
    out: list[dict[str, Any] | None] = [None] * len(points)
    done = 0
    for index, start, rows in _execute(base, points, runs, seed, workers, executor, scheduler):
        results.setdefault(index, []).append((start, rows))
        done += len(rows)
        if progress is not None:
            progress(done)
        if sum(len(r) for _, r in results[index]) == runs:  # the point is complete: sum it up in seed order
            point = Point(points[index], Tally(), {a: Counter() for a in article_ids})
            for _, part in sorted(results.pop(index)):
                for row in part:
                    point.tally.add(row)
                    for a, pos in zip(article_ids, row[6], strict=True):
                        point.articles[a][pos] += 1
            out[index] = _point_data(base, point)
    assert all(p is not None for p in out)
    return {
        "kind": "sweep",
        "scenario": first.scenario.scenario.id,
        "policy": base.policy,
        "seed": seed,
        "runs_per_point": runs,
        "vary": [{"path": v.path, "kind": v.kind, "base": v.base, "values": list(v.values)} for v in base.varies],
        "articles": {a.id: {"historical": a.historical, "positions": [p.id for p in a.positions]
                            + ([UNSIGNED] if a.unsigned is not None else [])} for a in order},
        "endings": [e.id for e in first.scenario.endings],
        "points": out,
    }


def _point_data(base: Base, point: Point) -> dict[str, Any]:
    s = point.tally.summary()
    q = statistics.quantiles(point.tally.interest, n=4) if len(point.tally.interest) > 1 else \
        [point.tally.interest[0]] * 3
    return {
        "values": {v.path: x for v, x in zip(base.varies, point.values, strict=True)},
        "summary": s,
        "interest_quartiles": [round(x, 6) for x in q],
        "articles": {a: dict(sorted(c.items())) for a, c in point.articles.items()},
    }


def units_of(points: Sequence[tuple[Value, ...]], runs: int, seed: int, slots: int) -> list[Unit]:
    """Cut the grid into pieces of work: about four per slot (worker process or thread), 25 to 1,000 games each."""
    size = max(25, min(1000, math.ceil(len(points) * runs / (max(1, slots) * 4))))
    return [(i, p, s, min(size, seed + runs - s)) for i, p in enumerate(points) for s in range(seed, seed + runs, size)]


def _execute(base: Base, points: list[tuple[Value, ...]], runs: int, seed: int, workers: int, executor: str,
             scheduler: str | None) -> Iterator[tuple[int, int, tuple[Row, ...]]]:
    if executor == "dask":
        yield from _dask(base, points, runs, seed, scheduler)
        return
    if executor != "local":
        raise NegotiationError(f"unknown executor {executor!r}; use local or dask")
    workers = workers or available_cores()
    units = units_of(points, runs, seed, workers)
    workers = min(workers, len(units))
    if workers <= 1:
        for unit in units:
            yield play_unit(base, unit)
        return
    yield from ordered_map(_play_local, units, workers, _init_worker, (base,))


def _dask(base: Base, points: list[tuple[Value, ...]], runs: int, seed: int,
          scheduler: str | None) -> Iterator[tuple[int, int, tuple[Row, ...]]]:
    """Run the grid on a Dask cluster: the scenario data goes to every worker once, then one task per piece."""
    if not scheduler:
        raise NegotiationError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786, the address "
                               "'dask scheduler' prints)")
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise NegotiationError("--executor dask needs Dask's distributed scheduler: "
                               "pip install 'negotiation[distributed]'") from None
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise NegotiationError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        slots = sum(client.nthreads().values()) or 1
        [shared] = client.scatter([base], broadcast=True)
        futures = [client.submit(play_unit, shared, unit, pure=False) for unit in units_of(points, runs, seed, slots)]
        for _, result in as_completed(futures, with_results=True):
            yield result
    finally:
        client.close()


# ---------------------------------------------------------------------- tables
def point_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per point: the varied values, the summary, ending counts and each article's positions."""
    paths = [v["path"] for v in report["vary"]]
    endings = list(report.get("endings") or sorted({e for p in report["points"] for e in p["summary"]["endings"]}))
    articles = report.get("articles") or {}
    positions = [(a, pos) for a, info in articles.items() for pos in info["positions"]]
    columns = [*paths, "games", "interest_mean", "interest_median", "interest_min", "interest_max", "interest_q1",
               "interest_q3", "fidelity_mean", "signed", "decisions_mean",
               *(f"ending.{e}" for e in endings), *(f"{a}.{pos}" for a, pos in positions)]
    rows = []
    for p in report["points"]:
        s = p["summary"]
        q = p["interest_quartiles"]
        rows.append([*(p["values"][x] for x in paths), s["games"], s["interest_mean"], s["interest_median"],
                     s["interest_min"], s["interest_max"], q[0], q[2], s["fidelity_mean"], s["signed"],
                     s["decisions_mean"], *(s["endings"].get(e, 0) for e in endings),
                     *(p["articles"].get(a, {}).get(pos, 0) for a, pos in positions)])
    return columns, rows


def render_text(report: dict[str, Any]) -> str:
    """The sweep as a table for people: one line per point, then each article against history."""
    paths = [v["path"] for v in report["vary"]]
    runs = report["runs_per_point"]
    seed = report["seed"]
    out = [f"Sweep of {report['scenario']}: policy {report['policy']}, {runs} games a point "
           f"(seeds {seed}..{seed + runs - 1}), {len(report['points'])} points", ""]
    names = [".".join(p.split(".")[-2:]) if len(p) > 24 else p for p in paths]
    widths = [max(len(n), 10) for n in names]
    head = "  ".join(f"{n:>{w}}" for n, w in zip(names, widths, strict=True))
    out.append(f"{head}  {'interest':>8} {'median':>7} {'q1..q3':>15} {'fidelity':>8} {'signed':>6}  endings")
    for p in report["points"]:
        s = p["summary"]
        q = p["interest_quartiles"]
        vals = "  ".join(f"{_show(p['values'][x]):>{w}}" for x, w in zip(paths, widths, strict=True))
        ends = ", ".join(f"{k} {v}" for k, v in sorted(s["endings"].items(), key=lambda kv: -kv[1]))
        out.append(f"{vals}  {s['interest_mean']:+8.2f} {s['interest_median']:+7.2f} "
                   f"{q[0]:+7.2f}..{q[2]:+6.2f} {s['fidelity_mean']:8.3f} {s['signed'] / s['games']:6.0%}  {ends}")
    articles = report.get("articles") or {}
    if articles:
        out.append("")
        out.append("Articles: share of games ending better / as / worse than history (the rest: no term)")
        short = {a: a[:12] for a in articles}
        out.append("  ".join(f"{n:>{w}}" for n, w in zip(names, widths, strict=True)) + "  " +
                   "  ".join(f"{short[a]:>14}" for a in articles))
        for p in report["points"]:
            vals = "  ".join(f"{_show(p['values'][x]):>{w}}" for x, w in zip(paths, widths, strict=True))
            cells = []
            for a, info in articles.items():
                ladder = info["positions"]
                hist = ladder.index(info["historical"])
                counts = p["articles"].get(a, {})
                n = p["summary"]["games"]
                rung = {pos: i for i, pos in enumerate(ladder) if pos != UNSIGNED}
                better = sum(c for pos, c in counts.items() if rung.get(pos, hist) < hist) / n
                same = counts.get(info["historical"], 0) / n
                worse = sum(c for pos, c in counts.items() if rung.get(pos, hist) > hist) / n
                cells.append(f"{better:4.0%}/{same:4.0%}/{worse:4.0%}".replace(" ", ""))
            out.append(vals + "  " + "  ".join(f"{c:>14}" for c in cells))
    return "\n".join(out) + "\n"


def _show(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


def report_bytes(report: dict[str, Any]) -> bytes:
    """Canonical JSON of a sweep (one point per line is not needed: a sweep is small)."""
    return (json.dumps(report, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


__all__ = ["Base", "PathError", "Vary", "grid_points", "load_data", "parse_vary", "play_unit", "point_rows",
           "read_base", "render_text", "report_bytes", "resolve", "set_values", "sweep"]
