"""Static lint of a scenario: what validation accepts but a player would trip over.

Validation (:mod:`negotiation.scenario.loader`) rejects what cannot be loaded. Lint looks further:
phases no transition reaches, conditions that can never hold, effects that overshoot a
variable's bounds, texts too long for their boxes. Whatever needs the engine (exploring the game
graph, the historical path) lives in :mod:`negotiation.sim.explore`, which adds its findings to
these. Every finding has a stable code (``NEG101``), a severity and a location in the file;
``docs/lint-codes.md`` is generated from :data:`CODES`.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from negotiation.errors import Diagnostic, ExpressionError, ScenarioError
from negotiation.scenario.expr import Arith, Call, Compare, Logic, Name, Node, Num, Unary, parse, postorder
from negotiation.scenario.loader import LoadedScenario, Marks, Path_, format_path, load_marked, where
from negotiation.scenario.models import (
    ARTICLE_MOVES,
    FLAG_IMAGE_BYTES,
    FORMAT,
    AllyAI,
    CounterpartAI,
    Effect,
    Flag,
    MediatorAI,
    PrincipalAI,
    Scenario,
    expressions,
)

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Code:
    """A lint rule: its stable code, severity, one-line title and what to do about it."""

    code: str
    severity: Severity
    title: str
    fix: str
    engine: bool = False  # found by playing the game (negotiation.sim.explore), not by reading the file


CODES: dict[str, Code] = {c.code: c for c in sorted((
    # -- the file
    Code("NEG001", "error", "The file cannot be read as YAML (or cannot be read at all).",
         "Fix the syntax at the position given (indentation, a missing '-', an unclosed quote), or the path."),
    Code("NEG002", "error", "The scenario (or test file) does not validate.",
         "Fix the field named in the message; `negotiation validate` reports the same problems. Among "
         "them: every decision needs its historical marker, a 'historical' list of what the real "
         "delegation did there."),
    Code("NEG003", "info", "The file is of an older format, or uses its names (the ally's move 'us', "
         "'us_lever', 'asks.us'): it still loads.",
         "Run `negotiation migrate --in-place FILE` to rewrite it in the current format, keeping its "
         "comments and layout (`negotiation migrate --check FILE` lists the changes first). The finding "
         "points at the first old construct; see 'Files of an older format' in docs/authoring.md."),
    # -- structure: phases, decisions, conditions
    Code("NEG101", "error", "A phase cannot be reached from the start phase.",
         "Add a transition to it from a reachable phase, or remove the phase."),
    Code("NEG102", "warning", "A transition's condition can never hold.",
         "Fix the condition (compare it with the variables' bounds and the scenario's dates) or remove "
         "the transition."),
    Code("NEG103", "warning", "A transition can never be taken: an earlier one of the same phase always holds.",
         "Transitions are tried in order and the first that holds wins: move this one up, or give the "
         "earlier one a condition."),
    Code("NEG107", "warning", "A transition leads back to its own phase: it is never taken.",
         "A phase is left once it has nothing more to play; coming back to it would play nothing. Point the "
         "transition at another phase, or remove it."),
    Code("NEG104", "info", "A phase has no decisions: the game passes straight through it.",
         "Nothing to fix if the phase only carries events or dates; otherwise add decisions to it."),
    Code("NEG105", "warning", "A phase starts after the scenario's end_date: no game reaches it.",
         "Move the phase's dates inside scenario.start_date..end_date, or extend end_date."),
    Code("NEG106", "warning", "An event is dated after the scenario's end_date: it never happens.",
         "Move the event's date, or extend scenario.end_date."),
    Code("NEG110", "error", "A decision can never offer any action: play passes it over, so it never comes up.",
         "List moves that are possible here, or give an option a condition that can hold."),
    Code("NEG111", "warning", "A move is listed that can never be offered at this decision.",
         "'mandate' needs an actor with a principal ai, 'ally' an ally ai, 'sign' a phase with "
         "allow_signing: true. Remove the move or supply what it needs."),
    Code("NEG112", "error", "A decision's condition can never hold: it is never presented.",
         "Fix its 'when' (compare it with the variables' bounds and the dates) or remove the decision."),
    Code("NEG113", "error", "An option's condition can never hold: the player never sees it.",
         "Fix its 'when' or remove the option."),
    Code("NEG114", "warning", "An event's condition can never hold: it never happens.",
         "Fix its 'when' or remove the event."),
    Code("NEG115", "error", "An ending's condition can never hold and it is not the default_ending.",
         "Fix its 'when', or make it the default_ending (the ending used when nothing is left to play)."),
    Code("NEG116", "error", "An ending's condition always holds: every game ends at once.",
         "Give the ending a real condition (e.g. 'patience <= 0'), or use it as default_ending with "
         "when: 'false'."),
    Code("NEG117", "warning", "A red line's lever (floor_unless) can never hold.",
         "Fix the condition, or remove floor_unless if the red line is absolute."),
    Code("NEG118", "info", "A condition always holds: it could be left out.",
         "Check that it says what you meant (compare it with the variables' bounds); remove it if so."),
    Code("NEG130", "error", "An effect sets a variable outside its bounds.",
         "The engine clamps the value to min..max: set a value inside the bounds, or widen them."),
    Code("NEG131", "warning", "An effect adds more than a variable's whole range.",
         "Such an effect always ends at a bound: use 'set' for that, or a smaller step."),
    Code("NEG132", "warning", "A flag variable does not run from 0 to 1.",
         "Give a flag min: 0 and max: 1, or make it a meter or counter."),
    Code("NEG133", "info", "A variable is never read: no condition, formula or actor uses it.",
         "Use it in a condition or formula, show it as a meter (show: true), or remove it."),
    Code("NEG140", "warning", "An article's historical rung lies beyond the counterpart's red line.",
         "He never agrees to a rung better for the player than his 'floor': lower the floor, add a "
         "floor_unless lever, or reach the rung by an effect or ending terms."),
    Code("NEG150", "info", "A source key is never cited.",
         "Cite it in a 'sources' list, or remove it from scenario.sources."),
    Code("NEG160", "warning", "A side's flag image cannot be read (missing, not a file, or over 2 MB).",
         "Put the PNG or JPEG beside the scenario (the path is relative to its folder); until then the "
         "described flag (bands, canton, emblems) is drawn, or a field of the side's colour."),
    # -- play: found by exploring the game graph
    Code("NEG201", "error", "The game can stop at a decision with no legal action (an engine fault: the engine "
         "passes such decisions over).",
         "Replay the actions given to reach it; give the decision an option or a move that is always "
         "possible there (accept, hold and walkout always are).", True),
    Code("NEG202", "error", "The engine failed while playing the scenario.",
         "Replay the actions given to reproduce it; the message names the expression or field at fault.", True),
    Code("NEG203", "error", "A game did not end within the step limit.",
         "Something loops without moving the date: make sure every decision either ends or advances, "
         "and that effects with 'days' move time on.", True),
    Code("NEG204", "warning", "An ending was not reached within the exploration bound.",
         "Check its condition against what play can produce; raise --max-states or --playthroughs to "
         "search further. 'Not reached' is not proof that it is unreachable.", True),
    Code("NEG205", "warning", "A phase was not entered within the exploration bound.",
         "Check the conditions of the transitions leading to it.", True),
    Code("NEG206", "warning", "A decision was not presented within the exploration bound.",
         "Check its 'when', its date against its phase's, and whether its article is always settled "
         "before it comes up (a decision on a settled article is skipped).", True),
    Code("NEG207", "warning", "An option was never available within the exploration bound.",
         "Check its 'when' against the states play reaches at that decision.", True),
    Code("NEG208", "warning", "An article's historical rung was not reached in any explored ending.",
         "Check the counterpart's red line, aspiration and the offers the decisions allow.", True),
    Code("NEG209", "info", "An event did not happen in any explored game.",
         "Check its 'when' and its date against the dates play reaches.", True),
    # -- texts
    Code("NEG301", "warning", "A text is too long for its box in the game window.",
         "Shorten it to the limit given (a CJK character counts as two); long material belongs in the "
         "briefing documents."),
    Code("NEG302", "warning", "A counterpart line uses an unknown placeholder.",
         "Only {article} and {position} are filled in; other braces are shown as they are."),
    Code("NEG303", "info", "An option has no answer: when the player takes it, nobody replies and nothing is told.",
         "Give it a 'reply' (what the decision's speaker answers), or an effect whose 'log' says what follows; "
         "a package offer is answered by the counterpart's lines."),
    # -- history
    Code("NEG401", "error", "A historical action is not legal when reached on the historical path.",
         "Correct the decision's 'historical' list (one action per round), or the conditions that make "
         "the action unavailable there.", True),
    Code("NEG402", "error", "The historical path does not end in history.ending.",
         "Playing every decision's historical action must reproduce the record: check the conditions "
         "of the endings and the historical actions.", True),
    Code("NEG403", "error", "The historical path leaves an article at another rung than its historical one.",
         "Check the article's 'historical' rung, the historical actions on it and the counterpart's "
         "aspiration on the dates they are played.", True),
    Code("NEG404", "warning", "The historical path signs on another date than history.signed_on.",
         "Check the decisions' dates, the days effects take, and history.signed_on.", True),
    Code("NEG405", "info", "A decision is not presented on the historical path.",
         "Nothing to fix if it belongs to an alternative history (mark it off_path: true to say so); otherwise "
         "check its 'when' and date.", True),
    Code("NEG407", "info", "A decision's historical list is shorter than the actions history plays there.",
         "The last action is repeated for the remaining steps; write every action out so that a reader "
         "sees what the delegation did at each step.", True),
    Code("NEG408", "warning", "Part of a decision's historical list is never played on the historical path.",
         "The decision ended sooner than history says (an offer accepted early, a refusal that ended the "
         "session): check the counterpart's answers there, or shorten the list.", True),
    Code("NEG409", "warning", "A decision marked off_path comes up on the historical path (the first legal action "
         "is played there).", "Give it historical actions, or change the condition or date that brings it up.", True),
    Code("NEG406", "warning", "history.signed_on does not fit history.ending.",
         "A signed ending needs history.signed_on (the date of signature); an ending without a treaty "
         "needs signed_on: null."),
), key=lambda c: c.code)}


@dataclass(frozen=True, slots=True)
class Issue:
    """An unlocated finding: a code, a data path in the scenario, a message and a hint."""

    code: str
    path: Path_
    message: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """A located lint finding."""

    code: str
    severity: Severity
    file: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    seed: int | None = None  # with actions: how to reach the problem in play (engine findings)
    actions: tuple[str, ...] = ()

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        where_ = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity} {self.code}: {where_}{self.message}{hint}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        data: dict[str, Any] = {"code": self.code, "severity": self.severity, "file": self.file, "line": self.line,
                                "column": self.column, "field": self.field, "message": self.message, "hint": self.hint}
        if self.seed is not None:
            data["seed"] = self.seed
            data["actions"] = list(self.actions)
        return data


def locate(issues: Iterable[Issue], filename: str, marks: Marks) -> list[Finding]:
    """Give each issue its file position and its code's severity."""
    out = []
    for i in issues:
        line, col = where(marks, i.path)
        out.append(Finding(i.code, CODES[i.code].severity, filename, line, col, format_path(i.path), i.message,
                           i.hint))
    return out


def from_diagnostics(diags: Iterable[Diagnostic]) -> list[Finding]:
    """Turn load errors into findings (NEG001 for YAML syntax, NEG002 for validation)."""
    out = []
    file_level = ("YAML", "no such file", "cannot read the file", "the file is empty", "a scenario must be",
                  "a test file must be")
    for d in diags:
        code = "NEG001" if d.message.startswith(file_level) else "NEG002"
        out.append(Finding(code, "error", d.file, d.line, d.column, d.field, d.message, d.hint))
    return out


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """File order, then code."""
    return sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code, f.message))


# --------------------------------------------------------------------------- text limits
TEXT_LIMITS: dict[str, int] = {
    "scenario.title": 60,
    "scenario.subtitle": 100,
    "scenario.description": 1200,
    "actors.name": 40,
    "actors.title": 60,
    "actors.bio": 600,
    "actors.ai.lines": 200,
    "variables.label": 24,
    "articles.title": 60,
    "articles.summary": 400,
    "articles.positions.label": 60,
    "articles.positions.text": 400,
    "articles.positions.note": 300,
    "phases.title": 60,
    "phases.description": 600,
    "events.title": 80,
    "events.text": 600,
    "decisions.title": 80,
    "decisions.text": 900,
    "decisions.history": 400,
    "decisions.options.label": 90,
    "decisions.options.text": 400,
    "decisions.options.risk": 120,
    "decisions.options.reply": 400,
    "decisions.options.reply_accept": 400,
    "decisions.options.reply_refuse": 400,
    "effects.log": 200,
    "endings.title": 60,
    "endings.text": 900,
    "endings.epilogue": 1500,
    "history.summary": 1200,
    "history.aftermath": 400,
    "briefing.title": 80,
    "briefing.text": 4000,
}
"""The longest text each box of the game window shows without cutting, in display columns.

Keyed by field path with list indices left out (``decisions.options.label``). A CJK character
counts as two columns. The window's layout is designed around these numbers: change both together.
"""


def display_width(text: str) -> int:
    """Length of a text in columns: East Asian wide and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


# --------------------------------------------------------------------------- static analysis of expressions
Interval = tuple[float, float]
_ANY: Interval = (-math.inf, math.inf)
_BOOL: Interval = (0.0, 1.0)


def _mul(a: float, b: float) -> float:
    if a == 0 or b == 0:
        return 0.0
    return a * b


def _arith(op: str, a: Interval, b: Interval) -> Interval:
    if op == "+":
        return (a[0] + b[0], a[1] + b[1])
    if op == "-":
        return (a[0] - b[1], a[1] - b[0])
    if op == "*":
        corners = [_mul(x, y) for x in a for y in b]
        return (min(corners), max(corners))
    if b[0] > 0 or b[1] < 0:  # "/"
        if any(math.isinf(x) for x in a):
            return _ANY
        corners = [x / y if not math.isinf(y) else 0.0 for x in a for y in b]
        return (min(corners), max(corners))
    return _ANY  # the engine reads x/0 as 0; a divisor that may be 0 tells us nothing


def _logic(op: str, a: Interval, b: Interval) -> Interval:
    ta, fa = _truth(a)
    tb, fb = _truth(b)
    if op == "and":
        if fa or fb:
            return (0.0, 0.0)
        return (1.0, 1.0) if ta and tb else _BOOL
    if ta or tb:
        return (1.0, 1.0)
    return (0.0, 0.0) if fa and fb else _BOOL


def _fold_one(node: Node, parts: list[Interval], ranges: dict[str, Interval]) -> Interval:
    if isinstance(node, Num):
        v = float(node.value)
        return (v, v)
    if isinstance(node, Name):
        return ranges.get(node.name, _ANY)
    if isinstance(node, Unary):
        lo, hi = parts[0]
        if node.op == "-":
            return (-hi, -lo)
        always, never = _truth(parts[0])
        if node.op == "not":
            return (0.0, 0.0) if always else (1.0, 1.0) if never else _BOOL
        return (1.0, 1.0) if always else (0.0, 0.0) if never else _BOOL
    if isinstance(node, Call):
        if node.func == "abs":
            lo, hi = parts[0]
            if lo >= 0:
                return (lo, hi)
            if hi <= 0:
                return (-hi, -lo)
            return (0.0, max(-lo, hi))
        pick = min if node.func == "min" else max
        return (pick(p[0] for p in parts), pick(p[1] for p in parts))
    if isinstance(node, Compare):
        return _compare(node.op, parts[0], parts[1])
    if isinstance(node, Arith):
        iv = parts[0]
        for (op, _), part in zip(node.rest, parts[1:], strict=True):
            iv = _arith(op, iv, part)
            if math.isnan(iv[0]) or math.isnan(iv[1]):  # inf - inf: nothing is known
                iv = _ANY
        return iv
    if isinstance(node, Logic):
        iv = parts[0]
        for part in parts[1:]:
            iv = _logic(node.op, iv, part)
        return iv
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def _fold(root: Node, ranges: dict[str, Interval]) -> Interval:
    """The interval of values an expression can take when each name stays within its range.

    Walks the tree children first with an explicit stack: no recursion, whatever its size.
    """
    done: dict[int, Interval] = {}
    for node in postorder(root):
        done[id(node)] = _fold_one(node, [done[id(c)] for c in node.children()], ranges)
    return done[id(root)]


def _compare(op: str, a: Interval, b: Interval) -> Interval:
    true, false = (1.0, 1.0), (0.0, 0.0)
    if op == "<":
        return true if a[1] < b[0] else false if a[0] >= b[1] else _BOOL
    if op == "<=":
        return true if a[1] <= b[0] else false if a[0] > b[1] else _BOOL
    if op == ">":
        return true if a[0] > b[1] else false if a[1] <= b[0] else _BOOL
    if op == ">=":
        return true if a[0] >= b[1] else false if a[1] < b[0] else _BOOL
    disjoint = a[1] < b[0] or b[1] < a[0]
    same = a[0] == a[1] == b[0] == b[1]
    if op == "==":
        return true if same else false if disjoint else _BOOL
    return false if same else true if disjoint else _BOOL  # !=


def _truth(iv: Interval) -> tuple[bool, bool]:
    """(always true, always false) of a value used as a condition."""
    lo, hi = iv
    return (lo > 0 or hi < 0), (lo == 0 and hi == 0)


def name_ranges(s: Scenario) -> dict[str, Interval]:
    """The range of values each name of the scenario can hold during play."""
    meta = s.scenario
    start = float(meta.start_date.toordinal())
    ranges: dict[str, Interval] = {
        # the date only moves forward from the start; the last check happens after end_date
        "date": (start, math.inf),
        "days": (0.0, math.inf),
        "signed": _BOOL,
    }
    for v in s.variables:
        ranges[v.id] = (v.min, v.max)
    for p in s.phases:
        ranges[f"phase.{p.id}"] = _BOOL
    principal = next((a.ai for a in s.actors if isinstance(a.ai, PrincipalAI)), None)
    ally = next((a.ai for a in s.actors if isinstance(a.ai, AllyAI)), None)
    ranges["asks.mandate"] = (0.0, float(principal.max_asks if principal else 0))
    ranges["asks.ally"] = ranges["asks.us"] = (0.0, float(ally.max_asks if ally else 0))
    mediator = next((a.ai for a in s.actors if isinstance(a.ai, MediatorAI)), None)
    ranges["asks.mediator"] = (0.0, float(mediator.max_asks if mediator else 0))
    for a in s.articles:
        last = float(len(a.positions) - 1)
        ranges[f"{a.id}.settled"] = _BOOL
        ranges[f"{a.id}.demand"] = (0.0, last)
        ranges[f"{a.id}.mandate"] = (0.0, last)
        ranges[f"{a.id}.offer"] = (-1.0, last)
        ranges[f"{a.id}.position"] = (-1.0, last)
        for i, pos in enumerate(a.positions):
            ranges[f"{a.id}.{pos.id}"] = (float(i), float(i))
    return ranges


def condition_truth(text: str, ranges: dict[str, Interval]) -> tuple[bool, bool]:
    """(always true, never true) of a condition, as far as bounds and dates tell."""
    try:
        node = parse(text)
    except ExpressionError:
        return False, False
    return _truth(_fold(node, ranges))


# --------------------------------------------------------------------------- the checks
def _effect_lists(s: Scenario) -> Iterator[tuple[Path_, tuple[Effect, ...]]]:
    for i, ev in enumerate(s.events):
        yield ("events", i, "effects"), ev.effects
    for i, d in enumerate(s.decisions):
        for j, o in enumerate(d.options):
            for key in ("effects", "on_accept", "on_refuse"):
                yield ("decisions", i, "options", j, key), getattr(o, key)


def _expressions(s: Scenario) -> Iterator[tuple[Path_, str]]:
    """Every expression of the scenario with its path (every field typed as an expression, wherever it is)."""
    return expressions(s)


def _texts(s: Scenario) -> Iterator[tuple[Path_, str]]:
    """Every text the game window shows, with its path."""
    def fields(path: Path_, obj: Any, names: Iterable[str]) -> Iterator[tuple[Path_, str]]:
        for n in names:
            v = getattr(obj, n, "")
            if isinstance(v, str) and v:
                yield path + (n,), v

    yield from fields(("scenario",), s.scenario, ("title", "subtitle", "description"))
    for i, actor in enumerate(s.actors):
        yield from fields(("actors", i), actor, ("name", "title", "bio"))
        if isinstance(actor.ai, CounterpartAI):
            for key, lines in actor.ai.lines.items():
                for j, line in enumerate(lines):
                    yield ("actors", i, "ai", "lines", key, j), line if isinstance(line, str) else line.text
    for i, v in enumerate(s.variables):
        yield from fields(("variables", i), v, ("label",))
    for i, a in enumerate(s.articles):
        yield from fields(("articles", i), a, ("title", "summary"))
        for j, p in enumerate(a.positions):
            yield from fields(("articles", i, "positions", j), p, ("label", "text", "note"))
    for i, ph in enumerate(s.phases):
        yield from fields(("phases", i), ph, ("title", "description"))
    for i, ev in enumerate(s.events):
        yield from fields(("events", i), ev, ("title", "text"))
    for i, d in enumerate(s.decisions):
        yield from fields(("decisions", i), d, ("title", "text", "history"))
        for j, o in enumerate(d.options):
            yield from fields(("decisions", i, "options", j), o, ("label", "text", "risk", "reply",
                                                                   "reply_accept", "reply_refuse"))
    for path, effs in _effect_lists(s):
        for k, e in enumerate(effs):
            if e.log:
                yield path + (k, "log"), e.log
    for i, end in enumerate(s.endings):
        yield from fields(("endings", i), end, ("title", "text", "epilogue"))
    yield from fields(("history",), s.history, ("summary",))
    for i, line in enumerate(s.history.aftermath):
        yield ("history", "aftermath", i), line
    for i, doc in enumerate(s.briefing):
        yield from fields(("briefing", i), doc, ("title", "text"))


def limit_key(path: Path_) -> str:
    """The TEXT_LIMITS key of a text's path: list indices and mapping keys of lines left out."""
    parts = [str(p) for p in path if isinstance(p, str)]
    if parts[:3] == ["actors", "ai", "lines"]:
        return "actors.ai.lines"
    if parts and parts[-1] == "log":
        return "effects.log"
    return ".".join(parts)


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _check_texts(s: Scenario) -> Iterator[Issue]:
    for i, d in enumerate(s.decisions):
        for j, o in enumerate(d.options):
            if not (o.reply or o.offer or any(e.log for e in o.effects)):
                yield Issue("NEG303", ("decisions", i, "options", j), f"nobody answers '{o.id}' at '{d.id}'",
                            f"add a 'reply' for {d.speaker}")
    for path, text in _texts(s):
        key = limit_key(path)
        limit = TEXT_LIMITS.get(key)
        if limit is not None:
            width = display_width(text)
            if width > limit:
                yield Issue("NEG301", path, f"{width} columns of text; the box holds {limit}",
                            f"cut {width - limit} columns")
        if key == "actors.ai.lines":
            for name in _PLACEHOLDER.findall(text):
                if name not in ("article", "position"):
                    yield Issue("NEG302", path, f"unknown placeholder {{{name}}}",
                                "use {article} or {position}, or remove the braces")


def _check_phases(s: Scenario, ranges: dict[str, Interval]) -> Iterator[Issue]:
    index = {p.id: i for i, p in enumerate(s.phases)}
    edges: dict[str, list[str]] = {p.id: [] for p in s.phases}
    end = s.scenario.end_date
    for i, ph in enumerate(s.phases):
        shadowed_by: int | None = None
        for j, t in enumerate(ph.transitions):
            path = ("phases", i, "transitions", j)
            always, never = condition_truth(t.when, ranges)
            if t.to == ph.id:
                yield Issue("NEG107", path + ("to",), f"the transition from '{ph.id}' leads back to '{ph.id}'",
                            "point it at another phase or remove it")
                continue
            if shadowed_by is not None:
                yield Issue("NEG103", path, f"transition to '{t.to}' comes after transition {shadowed_by + 1}, "
                            "which always holds", "move it before that one")
                continue
            if never:
                yield Issue("NEG102", path + ("when",), f"'{t.when}' can never hold: the way to '{t.to}' is closed",
                            "compare the condition with the variables' bounds")
                continue
            if always and t.when.strip() != "true":
                yield Issue("NEG118", path + ("when",), f"'{t.when}' always holds", "write when: 'true' or leave "
                            "it out")
            if always:
                shadowed_by = j
            edges[ph.id].append(t.to)
        if ph.start > end:
            yield Issue("NEG105", ("phases", i, "start"), f"phase '{ph.id}' starts on {ph.start}, after the "
                        f"scenario's end_date {end}", "move the phase or extend scenario.end_date")
        if not any(d.phase == ph.id for d in s.decisions):
            yield Issue("NEG104", ("phases", i), f"phase '{ph.id}' has no decisions", "")
    seen = {s.start_phase}
    todo = [s.start_phase]
    while todo:
        for nxt in edges.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    for ph in s.phases:
        if ph.id not in seen:
            leads = [p.id for p in s.phases if any(t.to == ph.id for t in p.transitions)]
            hint = (f"the transitions from {', '.join(repr(x) for x in leads)} can never be taken or start "
                    "from unreachable phases") if leads else f"add a transition to '{ph.id}' from a reachable phase"
            yield Issue("NEG101", ("phases", index[ph.id]), f"phase '{ph.id}' cannot be reached from the start "
                        f"phase '{s.start_phase}'", hint)


def _check_decisions(s: Scenario, ranges: dict[str, Interval]) -> Iterator[Issue]:
    phases = {p.id: p for p in s.phases}
    has_principal = any(isinstance(a.ai, PrincipalAI) for a in s.actors)
    has_ally = any(isinstance(a.ai, AllyAI) for a in s.actors)
    has_mediator = any(isinstance(a.ai, MediatorAI) for a in s.actors)
    for i, d in enumerate(s.decisions):
        p: Path_ = ("decisions", i)
        always, never = condition_truth(d.when, ranges)
        if never:
            yield Issue("NEG112", p + ("when",), f"'{d.when}' can never hold: decision '{d.id}' is never presented",
                        "compare the condition with the variables' bounds and the dates")
        elif always and d.when.strip() != "true":
            yield Issue("NEG118", p + ("when",), f"'{d.when}' always holds", "leave 'when' out")
        phase = phases.get(d.phase)
        signing = phase is not None and phase.allow_signing
        moves = list(d.moves) if d.moves is not None else (list(ARTICLE_MOVES) if d.article else [])
        possible = []
        for m in moves:
            missing = ""
            if m == "mandate" and not has_principal:
                missing = "no actor has an ai of kind 'principal'"
            elif m in ("ally", "us") and not has_ally:
                missing = "no actor has an ai of kind 'ally'"
            elif m == "mediate" and not has_mediator:
                missing = "no actor has an ai of kind 'mediator'"
            elif m == "sign" and not signing:
                missing = f"phase '{d.phase}' does not allow signing"
            elif m in ("accept", "counter", "hold", "mandate", "mediate") and d.article is None:
                missing = "no article is on the table"
            if missing:
                if d.moves is not None:
                    yield Issue("NEG111", p + ("moves", d.moves.index(m)), f"move '{m}' is never offered: {missing}",
                                "remove it or supply what it needs")
            else:
                possible.append(m)
        options_open = []
        for j, o in enumerate(d.options):
            o_always, o_never = condition_truth(o.when, ranges)
            if o_never:
                yield Issue("NEG113", p + ("options", j, "when"), f"'{o.when}' can never hold: option '{o.id}' "
                            "is never available", "compare the condition with the variables' bounds and the dates")
            else:
                options_open.append(o.id)
                if o_always and o.when.strip() != "true":
                    yield Issue("NEG118", p + ("options", j, "when"), f"'{o.when}' always holds", "leave 'when' out")
        # counter alone may be empty (nothing better than the demand): only accept/hold/walkout and the rest are sure
        if not options_open and not [m for m in possible if m != "counter"]:
            what = f"only '{possible[0]}', which needs a demand to counter" if possible else "no move or option"
            yield Issue("NEG110", p, f"decision '{d.id}' can offer {what}",
                        "add 'hold' or 'accept' to its moves, or an option without a condition")


def _check_events_endings(s: Scenario, ranges: dict[str, Interval]) -> Iterator[Issue]:
    end = s.scenario.end_date
    for i, ev in enumerate(s.events):
        always, never = condition_truth(ev.when, ranges)
        if never:
            yield Issue("NEG114", ("events", i, "when"), f"'{ev.when}' can never hold: event '{ev.id}' never happens",
                        "compare the condition with the variables' bounds and the dates")
        elif always and ev.when.strip() != "true":
            yield Issue("NEG118", ("events", i, "when"), f"'{ev.when}' always holds", "leave 'when' out")
        if ev.date > end:
            yield Issue("NEG106", ("events", i, "date"), f"event '{ev.id}' on {ev.date} comes after the end_date "
                        f"{end}", "move it or extend scenario.end_date")
    for i, e in enumerate(s.endings):
        always, never = condition_truth(e.when, ranges)
        if never and e.id != s.default_ending:
            yield Issue("NEG115", ("endings", i, "when"), f"'{e.when}' can never hold and '{e.id}' is not the "
                        f"default_ending ('{s.default_ending}'): no game ends here",
                        "fix the condition or make it the default_ending")
        elif always:
            yield Issue("NEG116", ("endings", i, "when"), f"'{e.when}' always holds: every game ends at once "
                        f"with '{e.id}'", "give it a real condition")
    history_ending = next((e for e in s.endings if e.id == s.history.ending), None)
    if history_ending is not None:
        if history_ending.signed and s.history.signed_on is None:
            yield Issue("NEG406", ("history", "signed_on"), f"history.ending '{history_ending.id}' is a signed "
                        "ending but history.signed_on is empty", "give the date of signature")
        elif not history_ending.signed and s.history.signed_on is not None:
            yield Issue("NEG406", ("history", "signed_on"), f"history.ending '{history_ending.id}' has no treaty "
                        f"(signed: false) but history.signed_on is {s.history.signed_on}",
                        "write signed_on: null, or mark the ending signed: true")


def _check_variables(s: Scenario, ranges: dict[str, Interval]) -> Iterator[Issue]:
    variables = {v.id: v for v in s.variables}
    for path, effs in _effect_lists(s):
        for k, e in enumerate(effs):
            for name, value in e.set.items():
                v = variables.get(name)
                if v is not None and not v.min <= value <= v.max:
                    clamped = min(v.max, max(v.min, value))
                    yield Issue("NEG130", path + (k, "set", name), f"sets '{name}' to {value:g}, outside its bounds "
                                f"{v.min:g}..{v.max:g}", f"the engine will clamp it to {clamped:g}")
            for name, delta in e.add.items():
                v = variables.get(name)
                if v is not None and abs(delta) > v.max - v.min:
                    bound = v.max if delta > 0 else v.min
                    yield Issue("NEG131", path + (k, "add", name), f"adds {delta:+g} to '{name}', more than its whole "
                                f"range {v.min:g}..{v.max:g}", f"use set: {{{name}: {bound:g}}}")
    read: set[str] = set()
    for _, text in _expressions(s):
        with contextlib.suppress(ExpressionError):
            read |= parse(text).names()
    for a in s.actors:
        for f in ("patience", "confidence", "support", "goodwill"):
            var = getattr(a.ai, f, None)
            if isinstance(var, str):
                read.add(var)
    for i, v in enumerate(s.variables):
        if v.kind == "flag" and (v.min, v.max) != (0, 1):
            yield Issue("NEG132", ("variables", i), f"flag '{v.id}' runs from {v.min:g} to {v.max:g}",
                        "write min: 0, max: 1")
        if v.id not in read and not v.show:
            yield Issue("NEG133", ("variables", i), f"variable '{v.id}' is never read and not shown",
                        "use it in a condition, or remove it")


def _check_articles(s: Scenario, ranges: dict[str, Interval]) -> Iterator[Issue]:
    named: dict[str, set[str]] = {}  # rungs reached other than by bargaining: effects, demands, forced terms
    for _, effs in _effect_lists(s):
        for e in effs:
            for key in ("demand", "settle", "reopen"):
                for art, pos in getattr(e, key).items():
                    named.setdefault(art, set()).add(pos)
    for d in s.decisions:
        if d.article and d.demand:
            named.setdefault(d.article, set()).add(d.demand)
    for end in s.endings:
        for art, pos in end.terms.items():
            named.setdefault(art, set()).add(pos)
    for i, a in enumerate(s.articles):
        cp = a.counterpart
        ids = [p.id for p in a.positions]
        if cp.floor_unless:
            _, never = condition_truth(cp.floor_unless, ranges)
            if never:
                yield Issue("NEG117", ("articles", i, "counterpart", "floor_unless"), f"'{cp.floor_unless}' can "
                            f"never hold: the red line on '{a.id}' never lifts", "fix the condition")
        beyond = bool(cp.floor) and cp.floor in ids and a.historical in ids and \
            ids.index(a.historical) < ids.index(cp.floor or "")
        if beyond and cp.floor_unless is None and a.historical not in named.get(a.id, set()) \
                and a.historical != a.demand:
            yield Issue("NEG140", ("articles", i, "historical"), f"historical rung '{a.historical}' is better for "
                            f"the player than the red line '{cp.floor}'", "lower the floor or add floor_unless")


def _check_sources(s: Scenario) -> Iterator[Issue]:
    cited: set[str] = set(s.history.sources)
    for a in s.articles:
        cited.update(a.sources)
        for p in a.positions:
            cited.update(p.sources)
    for group in (s.events, s.decisions, s.briefing):
        for x in group:
            cited.update(x.sources)
    for key in s.scenario.sources:
        if key not in cited:
            yield Issue("NEG150", ("scenario", "sources", key), f"source '{key}' is never cited",
                        "cite it in a 'sources' list or remove it")


def static_issues(s: Scenario) -> list[Issue]:
    """Every static lint issue of a validated scenario."""
    ranges = name_ranges(s)
    out: list[Issue] = []
    out.extend(_check_phases(s, ranges))
    out.extend(_check_decisions(s, ranges))
    out.extend(_check_events_endings(s, ranges))
    out.extend(_check_variables(s, ranges))
    out.extend(_check_articles(s, ranges))
    out.extend(_check_sources(s))
    out.extend(_check_texts(s))
    return out


# --------------------------------------------------------------------------- paths of things, for engine findings
@dataclass(frozen=True)
class Places:
    """Where each named thing of a scenario sits in the file, as data paths."""

    decisions: dict[str, int]
    options: dict[tuple[str, str], int]
    phases: dict[str, int]
    endings: dict[str, int]
    articles: dict[str, int]
    events: dict[str, int]

    @classmethod
    def of(cls, s: Scenario) -> Places:
        """Index every id of the scenario."""
        return cls(
            decisions={d.id: i for i, d in enumerate(s.decisions)},
            options={(d.id, o.id): j for d in s.decisions for j, o in enumerate(d.options)},
            phases={p.id: i for i, p in enumerate(s.phases)},
            endings={e.id: i for i, e in enumerate(s.endings)},
            articles={a.id: i for i, a in enumerate(s.articles)},
            events={e.id: i for i, e in enumerate(s.events)},
        )

    def decision(self, ident: str, *rest: str | int) -> Path_:
        """The path of a decision (or of a field in it)."""
        return ("decisions", self.decisions[ident], *rest) if ident in self.decisions else ("decisions",)

    def option(self, decision: str, option: str) -> Path_:
        """The path of an option."""
        j = self.options.get((decision, option))
        return self.decision(decision, "options", j) if j is not None else self.decision(decision)


# --------------------------------------------------------------------------- reports
@dataclass
class LintResult:
    """The findings on one file, and what exploring it covered (if it was explored)."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        """How many findings of a severity."""
        return sum(1 for f in self.findings if f.severity == severity)


def failed(results: Iterable[LintResult], strict: bool = False) -> bool:
    """Whether lint fails: any error, or with ``strict`` any warning too."""
    bad = {"error", "warning"} if strict else {"error"}
    return any(f.severity in bad for r in results for f in r.findings)


def render_text(results: list[LintResult], strict: bool = False) -> str:
    """Compiler-style lines, a coverage line per explored file, and a summary."""
    lines: list[str] = []
    for r in results:
        lines.extend(str(f) for f in r.findings)
        cov = r.coverage
        if cov:
            lines.append(
                f"{r.file}: explored {cov['states']} distinct states and {cov['playthroughs']} playthroughs "
                f"({cov['actions']} actions): endings {cov['endings_reached']}/{cov['endings']}, "
                f"decisions {cov['decisions_presented']}/{cov['decisions']}, "
                f"options {cov['options_available']}/{cov['options']}"
                + (" (state cap reached)" if cov.get("capped") else ""))
    errors = sum(r.count("error") for r in results)
    warnings = sum(r.count("warning") for r in results)
    infos = sum(r.count("info") for r in results)
    verdict = "FAILED" if failed(results, strict) else "ok"
    plural = "s" if len(results) != 1 else ""
    lines.append(f"{len(results)} file{plural}: {errors} error{'s' if errors != 1 else ''}, "
                 f"{warnings} warning{'s' if warnings != 1 else ''}, {infos} info — {verdict}"
                 + (" (--strict: warnings fail too)" if strict and warnings and not errors else ""))
    return "\n".join(lines) + "\n"


def render_json(results: list[LintResult], strict: bool = False) -> str:
    """The findings as JSON: per file, the findings and coverage; then totals."""
    data = {
        "files": [{"file": r.file, "findings": [f.to_dict() for f in r.findings], "coverage": r.coverage}
                  for r in results],
        "errors": sum(r.count("error") for r in results),
        "warnings": sum(r.count("warning") for r in results),
        "infos": sum(r.count("info") for r in results),
        "failed": failed(results, strict),
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def old_format(text: str, filename: str, kind: Literal["scenario", "tests"],
               source_format: int | None = None) -> list[Finding]:
    """NEG003 for a validated file of an older format or with its names, at the first old construct."""
    from negotiation.scenario.migrate import changes

    if kind == "scenario" and source_format == FORMAT and not _OLD_NAMES.search(text):
        return []
    if kind == "tests" and not _OLD_NAMES.search(text):
        return []
    try:
        found = changes(text, filename, kind, source_format)
    except ScenarioError as exc:  # a value migrate cannot rewrite: say where, all the same
        d = exc.diagnostics[0]
        return [Finding("NEG003", CODES["NEG003"].severity, filename, d.line, d.column, d.field, d.message,
                        "rewrite it by hand")]
    if not found:
        return []
    first = next((c for c in found if c.field != "format"), None)
    line, col, where_ = (first.line, first.column, first.field) if first else (1, 1, "")
    n = f"{len(found)} change{'s' if len(found) != 1 else ''}"
    what = f"format {source_format}, still read" if kind == "scenario" and source_format != FORMAT \
        else "format 1's names, still read"
    message = f"{what}: `negotiation migrate --in-place {filename}` rewrites it in format {FORMAT} ({n}" + \
        (f", the first here: {first.what})" if first else ")")
    return [Finding("NEG003", CODES["NEG003"].severity, filename, line, col, where_, message,
                    f"`negotiation migrate --check {filename}` lists them")]


# a cheap look before the full plan: 'us' as a list item or a value (not in prose), 'us_lever', 'asks.us'
_OLD_NAMES = re.compile(r"""us_lever|asks\.us\b|(?:^\s*-|[\[,:])\s*['"]?us\b""", re.M)


def lint_tests_file(path: str | Path) -> LintResult:
    """Check a playthrough-test file without running it: its format, and the names it uses in its scenario."""
    from negotiation.scenario.loader import load_file, read_text
    from negotiation.scenario.playtests import WHAT, check_against, load_tests_text

    try:
        text = read_text(path, WHAT)
        loaded = load_tests_text(text, str(path))
        scenario = load_file(loaded.scenario_path())
        check_against(loaded, scenario.scenario)
    except ScenarioError as exc:
        return LintResult(str(path), from_diagnostics(exc.diagnostics))
    return LintResult(str(path), old_format(text, str(path), "tests"))


def _flag_images(s: Scenario, filename: str) -> Iterator[Issue]:
    """The flags' image files, looked for beside the scenario file."""
    folder = Path(filename).parent
    for i, side in enumerate(s.sides):
        spec = side.flag
        if isinstance(spec, Flag) and spec.image:
            path = folder / spec.image
            try:
                ok = path.is_file() and path.stat().st_size <= FLAG_IMAGE_BYTES
            except OSError:
                ok = False
            if not ok:
                yield Issue("NEG160", ("sides", i, "flag", "image"), f"flag image '{spec.image}' of side "
                            f"'{side.id}' cannot be read from {folder}", "put the file beside the scenario")


def lint_text(text: str, filename: str) -> tuple[LintResult, LoadedScenario | None, Marks]:
    """Validate and statically lint scenario text; the scenario and its marks are returned for further checks."""
    try:
        loaded, marks = load_marked(text, filename)
    except ScenarioError as exc:
        return LintResult(filename, from_diagnostics(exc.diagnostics)), None, {}
    findings = locate([*static_issues(loaded.scenario), *_flag_images(loaded.scenario, filename)], filename, marks)
    findings += old_format(text, filename, "scenario", loaded.scenario.format)
    return LintResult(filename, sort_findings(findings)), loaded, marks


__all__ = ["CODES", "TEXT_LIMITS", "Code", "Finding", "Issue", "LintResult", "Places", "condition_truth",
           "display_width", "failed", "from_diagnostics", "lint_tests_file", "lint_text", "locate", "old_format",
           "render_json", "render_text", "sort_findings", "static_issues"]
