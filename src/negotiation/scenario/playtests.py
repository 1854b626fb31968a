"""The playthrough-test format: ``<scenario>.tests.yaml`` files that play a scenario and check the result.

Pure data and parsing, like the scenario models; :mod:`negotiation.sim.playtest` runs the tests.
A test file is validated in two passes, both with located errors: the models below (syntax of
steps and comparisons), then :func:`check_against` (every id must exist in the scenario).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from negotiation.errors import ExpressionError, ScenarioError
from negotiation.scenario.checks import namespace
from negotiation.scenario.expr import parse
from negotiation.scenario.loader import Marks, Problem, read_text, read_yaml, to_diagnostics, validate_model
from negotiation.scenario.models import ARTICLE_MOVES, MOVE_ALIASES, FrozenDict, Id, Model, Scenario, frozen_empty
from negotiation.text import Suggester, listing, show

WHAT = "test file"
SUFFIX = ".tests.yaml"
POLICIES = ("historical", "accept", "refuse", "random", "greedy")
ACTION_KINDS = (*ARTICLE_MOVES, "option")

# --------------------------------------------------------------------------- steps
_UNTIL = re.compile(r"^(?P<who>[a-z]+)\s+until\s+(?P<target>.+)$")
_REPEAT = re.compile(r"^(?P<what>\S+)\s+x\s*(?P<n>\d+)$")
_AT = re.compile(r"^at\s+(?P<decision>\S+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Step:
    """One parsed step of a test's play list.

    ``kind`` is ``action`` (play ``action`` ``count`` times; ``historical`` is the historical
    action), ``until`` (let ``policy`` play until ``target_kind``/``target`` is reached: ``end``,
    ``decision``, ``phase`` or ``date``) or ``at`` (check that ``target`` is the current decision).
    """

    kind: Literal["action", "until", "at"]
    action: str = ""
    count: int = 1
    policy: str = ""
    target_kind: Literal["", "end", "decision", "phase", "date"] = ""
    target: str = ""


def parse_step(text: str) -> Step:
    """Parse a step; raise ValueError saying what is wrong and what would be right."""
    t = " ".join(text.split())
    if not t:
        raise ValueError("empty step")
    m = _AT.match(t)
    if m:
        return Step("at", target_kind="decision", target=m["decision"])
    m = _UNTIL.match(t)
    if m:
        who, target = m["who"], m["target"].strip()
        if who not in POLICIES:
            close = difflib.get_close_matches(who, POLICIES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(POLICIES)}"
            raise ValueError(f"'{show(who)} until ...': '{show(who)}' is not a policy ({hint})")
        if target == "end":
            return Step("until", policy=who, target_kind="end")
        parts = target.split()
        if len(parts) == 2 and parts[0] == "phase":
            return Step("until", policy=who, target_kind="phase", target=parts[1])
        if len(parts) == 2 and parts[0] == "date":
            target = parts[1]
        if _DATE.match(target):
            try:
                dt.date.fromisoformat(target)
            except ValueError:
                raise ValueError(f"'{show(target)}' is not a real date") from None
            return Step("until", policy=who, target_kind="date", target=target)
        if len(parts) == 1 and re.match(r"^[a-z][a-z0-9_]*$", target):
            return Step("until", policy=who, target_kind="decision", target=target)
        raise ValueError(f"'until {show(target)}': the target is 'end', a decision id, 'phase <id>' "
                         "or a date YYYY-MM-DD")
    count = 1
    m = _REPEAT.match(t)
    if m:
        t, count = m["what"], int(m["n"])
        if count < 1:
            raise ValueError("repeat at least once: x1 or more")
    if " " in t:
        raise ValueError(f"'{show(t)}' is not a step: write an action (accept, counter:<position>, option:<id>, ...), "
                         "'historical', '<policy> until <target>', 'at <decision>', or add 'x<N>' to repeat")
    if t == "historical":
        return Step("action", action=t, count=count)
    kind, _, arg = t.partition(":")
    kind = MOVE_ALIASES.get(kind, kind)
    if kind not in ACTION_KINDS:
        close = difflib.get_close_matches(kind, [*ACTION_KINDS, "historical"], n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"actions are {', '.join(ACTION_KINDS)}"
        raise ValueError(f"'{show(t)}' is not an action ({hint})")
    if kind in ("counter", "option") and not arg:
        what = "position" if kind == "counter" else "option"
        raise ValueError(f"'{show(kind)}' needs what: {show(kind)}:<{what} id>")
    if kind not in ("counter", "option") and arg:
        raise ValueError(f"'{show(kind)}' takes no argument: write '{show(kind)}'")
    return Step("action", action=t, count=count)


def _check_step(text: str) -> str:
    parse_step(text)
    return text


StepText = Annotated[
    str,
    AfterValidator(_check_step),
    Field(description=(
        "An action (accept, hold, counter:<position>, option:<id>, mandate, ally, walkout, sign), 'historical' "
        "(what the real delegation did here), either with ' x<N>' to repeat; '<policy> until <target>' with "
        "policy historical|accept|refuse|random|greedy and target end|<decision id>|phase <id>|<YYYY-MM-DD>; "
        "or 'at <decision id>' to check where the game stands."
    )),
]

# --------------------------------------------------------------------------- comparisons
_CMP = re.compile(r"^(?P<op><=|>=|==|!=|<|>|=)?\s*(?P<value>\S+)$")
_RANGE = re.compile(r"^(?P<lo>\S+?)\s*\.\.\s*(?P<hi>\S+)$")
_TOL = re.compile(r"^(?P<value>\S+)\s*(?:±|\+-|\+/-)\s*(?P<tol>\S+)$")
TOLERANCE = 1e-6


def _number(text: str) -> float:
    t = text.strip()
    if _DATE.match(t):
        return float(dt.date.fromisoformat(t).toordinal())
    if t.endswith("%"):
        return float(t[:-1]) / 100.0
    return float(t)


@dataclass(frozen=True, slots=True)
class Comparison:
    """A parsed comparison: ``op`` is one of < <= > >= == != or ``range`` (lo..hi inclusive)."""

    op: str
    value: float
    high: float = 0.0
    text: str = ""

    def holds(self, x: float) -> bool:
        """Whether ``x`` satisfies the comparison (equality within 1e-6)."""
        tol = TOLERANCE
        if self.op == "range":
            return self.value - tol <= x <= self.high + tol
        if self.op == "==":
            return abs(x - self.value) <= tol
        if self.op == "!=":
            return abs(x - self.value) > tol
        if self.op == "<":
            return x < self.value
        if self.op == "<=":
            return x <= self.value + tol
        if self.op == ">":
            return x > self.value
        return x >= self.value - tol


def parse_comparison(raw: float | dt.date | str) -> Comparison:
    """Read ``50``, ``'< 20'``, ``'>= 40'``, ``'!= 0'``, ``'30..50'``, ``'50 ± 2'``, ``'100%'`` or a date."""
    if isinstance(raw, dt.date):
        return Comparison("==", float(raw.toordinal()), text=raw.isoformat())
    if isinstance(raw, (int, float)):
        return Comparison("==", float(raw), text=f"{raw:g}")
    text = " ".join(str(raw).split())
    try:
        m = _RANGE.match(text)
        if m:
            lo, hi = _number(m["lo"]), _number(m["hi"])
            if hi >= lo:
                return Comparison("range", lo, hi, text=text)
            raise ValueError(f"the range '{show(text)}' runs backwards: write the low end first")
        m = _TOL.match(text)
        if m:
            mid, tol = _number(m["value"]), abs(_number(m["tol"]))
            return Comparison("range", mid - tol, mid + tol, text=text)
        m = _CMP.match(text)
        if m:
            op = m["op"] or "=="
            return Comparison("==" if op == "=" else op, _number(m["value"]), text=text)
    except ValueError as exc:
        if "runs backwards" in str(exc):
            raise
    raise ValueError(f"'{show(text)}' is not a comparison: write a number (50), '< 20', '>= 40', '!= 0', "
                     "'30..50', '50 ± 2', a percentage ('100%') or a date")


def _check_comparison(raw: Any) -> Any:
    parse_comparison(raw)
    return raw


Compare = Annotated[
    float | dt.date | str,
    AfterValidator(_check_comparison),
    Field(description="A number (equal within 1e-6), or text: '< 20', '<= 20', '> 40', '>= 40', '== 50', '!= 0', "
                      "'30..50' (inclusive), '50 ± 2', '100%' (= 1.0); dates compare too ('>= 1945-08-10')."),
]


def _check_condition(text: str) -> str:
    try:
        parse(text)
    except ExpressionError as exc:
        raise ValueError(f"bad expression at column {exc.column}: {exc}") from None
    return text


Condition = Annotated[str, AfterValidator(_check_condition),
                      Field(description="A scenario expression that must hold, e.g. 'patience < 20 and port.settled'.")]


# --------------------------------------------------------------------------- expectations
class ArticleExpect(Model):
    """Where one article must stand; every key is optional."""

    position: Id | None = Field(None, description="Its term: at the end, the final term; before, where it is settled.")
    settled: bool | None = Field(None, description="Whether it is agreed (before the end).")
    demand: Id | None = Field(None, description="The counterpart's demand on the table.")
    mandate: Id | None = Field(None, description="The furthest rung the principal allows.")
    offer: Id | None = Field(None, description="The player's last counter-offer.")


class LogExpect(Model):
    """A line of the message log to look for: every key given must match the same line."""

    text: str = Field("", description="Text the line contains (case-sensitive).")
    kind: str = Field("", description="The event kind, e.g. TreatySigned, OfferRefused, EventOccurred.")
    speaker: Id | None = Field(None, description="The actor who speaks the line.")


class Expect(Model):
    """What must be true at this point; only the keys given are checked."""

    over: bool | None = Field(None, description="Whether the game has ended.")
    ending: Id | None = Field(None, description="The ending reached (the game must be over).")
    signed: bool | None = Field(None, description="Whether a treaty is signed.")
    signed_on: dt.date | None = Field(None, description="The date of signature; null means nothing is signed.")
    date: Compare | None = Field(None, description="The game's date now, e.g. 1945-08-14 or '>= 1945-08-10'.")
    phase: Id | None = Field(None, description="The current phase.")
    decision: Id | None = Field(None, description="The decision waiting for the player; null when none is.")
    round: int | None = Field(None, description="The round of the current decision (1 = first).")
    articles: FrozenDict[Id, Id | ArticleExpect] = Field(
        default_factory=frozen_empty, description="Article -> position id (its term), or a mapping of what to check.")
    variables: FrozenDict[Id, Compare] = Field(default_factory=frozen_empty, description="Variable -> comparison.")
    interest: Compare | None = Field(None, description="The interest score (0 = history; the game must be over).")
    fidelity: Compare | None = Field(None, description="Fidelity, 0..1 or a percentage: 1.0 or '100%' = history.")
    holds: tuple[Condition, ...] = Field(default_factory=tuple, description="Scenario expressions that must all hold.")
    log: tuple[str | LogExpect, ...] = Field(default_factory=tuple,
                                       description="Texts (or text/kind/speaker) some log line must show.")
    not_log: tuple[str, ...] = Field(default_factory=tuple, description="Texts no log line may contain.")
    presented: tuple[Id, ...] = Field(default_factory=tuple, description="Decisions that must have come up so far.")
    not_presented: tuple[Id, ...] = Field(default_factory=tuple, description="Decisions that must not have come up.")
    legal: tuple[str, ...] = Field(default_factory=tuple, description="Actions that must be legal now.")
    not_legal: tuple[str, ...] = Field(default_factory=tuple, description="Actions that must not be legal now.")


class CheckStep(Model):
    """A step that checks, in the middle of play, what an ``expect`` block checks at the end."""

    expect: Expect


class PlayTest(Model):
    """One playthrough: a seed, the choices, and what must come of them."""

    name: str = Field(description="What the test shows, in a sentence: it names the test in reports.")
    seed: int = Field(0, description="The game's seed (walkouts draw on it; so does the random policy).")
    play: tuple[StepText | CheckStep, ...] | StepText = Field(
        default_factory=tuple, description="The steps, in order (a single step may be written without a list).")
    expect: Expect = Field(default_factory=lambda: Expect(), description="What must be true after the last step.")

    def steps(self) -> tuple[StepText | CheckStep, ...]:
        """The play list, a single step made a list."""
        return (self.play,) if isinstance(self.play, str) else self.play


class PlayTestFile(Model):
    """A file of playthrough tests for one scenario."""

    scenario: str | None = Field(None, description="The scenario file, relative to this file (default: the file "
                                                   "with the same name without '.tests', e.g. tutorial.yaml).")
    tests: tuple[PlayTest, ...] = Field(min_length=1, description="The test cases.")


# --------------------------------------------------------------------------- loading
@dataclass(frozen=True)
class LoadedTests:
    """A validated test file with where it came from and the marks that locate its parts."""

    tests: PlayTestFile
    path: str
    marks: Marks

    def scenario_path(self) -> Path:
        """The scenario these tests play."""
        return scenario_for(Path(self.path), self.tests.scenario)


def scenario_for(tests_path: Path, declared: str | None) -> Path:
    """The scenario a test file plays: declared relative to it, else its name without '.tests'."""
    if declared:
        return tests_path.parent / declared
    name = tests_path.name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else tests_path.stem
    return tests_path.parent / f"{stem}.yaml"


def tests_for(scenario_path: Path) -> Path:
    """The test file beside a scenario."""
    return scenario_path.parent / f"{scenario_path.stem}{SUFFIX}"


def load_tests_text(text: str, filename: str) -> LoadedTests:
    """Validate test-file text (format only); raise ScenarioError with every located problem."""
    data, marks, problems = read_yaml(text, filename, WHAT)
    model = validate_model(data, PlayTestFile, marks, filename, WHAT, problems)
    return LoadedTests(model, filename, marks)


def load_tests(path: str | Path) -> LoadedTests:
    """Read and validate a test file (format only)."""
    return load_tests_text(read_text(path, WHAT), str(path))


class _Closest:
    """'Did you mean' for one test file: each list of known names indexed once, 50 suggestions at most."""

    def __init__(self, budget: int = 50) -> None:
        self.budget = budget
        self.index: dict[frozenset[str], Suggester] = {}

    def __call__(self, name: str, known: Iterable[str]) -> str:
        key = frozenset(known)
        if self.budget > 0:
            self.budget -= 1
            suggester = self.index.get(key)
            if suggester is None:
                suggester = self.index[key] = Suggester(key)
            found = suggester.hint(name)
            if found:
                return found
        return f"known: {listing(sorted(key))}" if len(key) <= 12 else "see the scenario"


def check_against(loaded: LoadedTests, s: Scenario) -> None:  # noqa: C901 - one pass over every reference
    """Check that every id a test file names exists in the scenario; raise ScenarioError if not."""
    decisions = {d.id: d for d in s.decisions}
    phases = {p.id for p in s.phases}
    endings = {e.id for e in s.endings}
    articles = {a.id: [p.id for p in a.positions] for a in s.articles}
    variables = {v.id for v in s.variables}
    actors = {a.id for a in s.actors}
    options = {o.id for d in s.decisions for o in d.options}
    positions = {p for ps in articles.values() for p in ps}
    names = namespace(s)
    out: list[Problem] = []
    _closest = _Closest()

    def ref(path: tuple[str | int, ...], value: str, known: Iterable[str], what: str) -> None:
        known = set(known)
        if value not in known:
            out.append((path, f"unknown {what} '{show(value)}'", _closest(value, known)))

    def action(path: tuple[str | int, ...], text: str) -> None:
        if text == "historical":
            return
        kind, _, arg = text.partition(":")
        if kind == "option":
            ref(path, arg, options, "option")
        elif kind == "counter":
            ref(path, arg, positions, "position")

    def expect(path: tuple[str | int, ...], e: Expect) -> None:
        if e.ending:
            ref(path + ("ending",), e.ending, endings, "ending")
        if e.phase:
            ref(path + ("phase",), e.phase, phases, "phase")
        if e.decision:
            ref(path + ("decision",), e.decision, decisions, "decision")
        for art, want in e.articles.items():
            ref(path + ("articles", art), art, articles, "article")
            if art not in articles:
                continue
            for key in ("position", "demand", "mandate", "offer"):
                pos = want if isinstance(want, str) and key == "position" else getattr(want, key, None)
                if isinstance(pos, str):
                    p = path + ("articles", art) + (() if isinstance(want, str) else (key,))
                    ref(p, pos, articles[art], f"position of '{art}'")
        for var in e.variables:
            ref(path + ("variables", var), var, variables, "variable")
        if e.fidelity is not None and not isinstance(e.fidelity, str) and not isinstance(e.fidelity, dt.date) \
                and e.fidelity > 1:
            out.append((path + ("fidelity",), f"fidelity {e.fidelity:g} is more than 1",
                        f"fidelity runs from 0 to 1: write {e.fidelity / 100:g} or '{e.fidelity:g}%'"))
        for j, cond in enumerate(e.holds):
            unknown = sorted(parse(cond).names() - names)
            if unknown:
                out.append((path + ("holds", j), f"expression names unknown '{show(unknown[0])}'",
                            _closest(unknown[0], names)))
        for j, item in enumerate(e.log):
            if isinstance(item, LogExpect):
                if not (item.text or item.kind or item.speaker):
                    out.append((path + ("log", j), "an empty log expectation", "give text, kind or speaker"))
                if item.speaker:
                    ref(path + ("log", j, "speaker"), item.speaker, actors, "actor")
        for key in ("presented", "not_presented"):
            for j, d in enumerate(getattr(e, key)):
                ref(path + (key, j), d, decisions, "decision")
        for key in ("legal", "not_legal"):
            for j, a in enumerate(getattr(e, key)):
                try:
                    step = parse_step(a)
                except ValueError as exc:
                    out.append((path + (key, j), str(exc), ""))
                    continue
                if step.kind != "action" or step.count != 1 or step.action == "historical":
                    out.append((path + (key, j), f"'{show(a)}' is not a single action",
                                "write e.g. accept or counter:<id>"))
                else:
                    action(path + (key, j), a)

    seen: dict[str, int] = {}
    for i, t in enumerate(loaded.tests.tests):
        base: tuple[str | int, ...] = ("tests", i)
        if t.name in seen:
            out.append((base + ("name",), f"two tests are named '{show(t.name)}' "
                        f"(the other is test {seen[t.name] + 1})", "give each test its own name"))
        seen.setdefault(t.name, i)
        single = isinstance(t.play, str)
        for j, st in enumerate(t.steps()):
            sp = base + (("play",) if single else ("play", j))
            if isinstance(st, CheckStep):
                expect(sp + ("expect",), st.expect)
                continue
            step = parse_step(st)
            if step.kind == "action":
                action(sp, step.action)
            elif step.target_kind == "decision":
                ref(sp, step.target, decisions, "decision")
            elif step.target_kind == "phase":
                ref(sp, step.target, phases, "phase")
        expect(base + ("expect",), t.expect)
    if out:
        raise ScenarioError(to_diagnostics(loaded.path, loaded.marks, out), WHAT)


__all__ = ["POLICIES", "SUFFIX", "ArticleExpect", "CheckStep", "Comparison", "Expect", "LoadedTests", "LogExpect",
           "PlayTest", "PlayTestFile", "Step", "check_against", "load_tests", "load_tests_text", "parse_comparison",
           "parse_step", "scenario_for", "tests_for"]
