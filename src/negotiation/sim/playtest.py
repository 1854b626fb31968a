"""Run playthrough tests (``<scenario>.tests.yaml``) and report, step by step, what passed and what did not."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from negotiation.actors.policies import Policy, make_policy
from negotiation.engine.actions import Action
from negotiation.engine.events import GameEvent
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.errors import Diagnostic, NegotiationError, ScenarioError
from negotiation.present import Presenter
from negotiation.scenario.loader import Path_, format_path, load_file, where
from negotiation.scenario.playtests import (
    SUFFIX,
    CheckStep,
    Expect,
    LoadedTests,
    LogExpect,
    PlayTest,
    check_against,
    load_tests,
    parse_comparison,
    parse_step,
)

MAX_STEPS = 10_000


@dataclass(frozen=True, slots=True)
class Failure:
    """One thing that did not go as the test said: where in the test file, and expected vs actual."""

    line: int
    column: int
    field: str
    message: str


@dataclass
class CaseResult:
    """The outcome of one test case."""

    name: str
    line: int
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    ending: str | None = None
    standing: str = ""

    @property
    def passed(self) -> bool:
        """Whether nothing failed."""
        return not self.failures


@dataclass
class FileResult:
    """The outcome of one test file: its cases, or the problems that kept it from running."""

    path: str
    scenario: str = ""
    cases: list[CaseResult] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether the file loaded and every case passed."""
        return not self.problems and all(c.passed for c in self.cases)


class _Stop(Exception):
    """A step failed: the rest of the test cannot be played."""


class _Case:
    def shown_log(self) -> list[tuple[GameEvent, str]]:
        """Every log event with the words the player reads for it (authored text, or the presenter's)."""
        out = []
        for ev in self.game.state.log:
            line = self.presenter.event_line(ev)
            out.append((ev, line.text if line is not None else ev.text))
        return out

    def __init__(self, rules: Rules, test: PlayTest, base: Path_, loaded: LoadedTests) -> None:
        self.rules = rules
        self.test = test
        self.base = base
        self.loaded = loaded
        self.result = CaseResult(test.name, where(loaded.marks, base)[0])
        self.game = Game(rules, test.seed)
        self.presenter = Presenter(rules)
        self.presented: list[str] = []
        self.policies: dict[str, Policy] = {}
        self._note_presented()

    # ------------------------------------------------------------------ helpers
    def fail(self, path: Path_, message: str) -> None:
        line, col = where(self.loaded.marks, path)
        self.result.failures.append(Failure(line, col, format_path(path), message))

    def _note_presented(self) -> None:
        d = self.game.state.decision
        if d is not None and (not self.presented or self.presented[-1] != d):
            self.presented.append(d)

    def standing(self) -> str:
        g = self.game
        st = g.state
        acts = g.actions
        shown = ", ".join(acts if len(acts) <= 10 else [*acts[:3], "…", *acts[-6:]])
        after = f"after {len(acts)} action{'s' if len(acts) != 1 else ''}" + (f": {shown}" if acts else "")
        if st.ending is not None:
            return f"the game ended in '{st.ending}' on {st.day}, {after}"
        return f"at decision '{st.decision}' (round {st.round}) in phase '{st.phase}' on {st.day}, {after}"

    def where_now(self) -> str:
        st = self.game.state
        if st.ending is not None:
            return f"the game is over (ending '{st.ending}')"
        return f"at decision '{st.decision}' (round {st.round}) on {st.day}"

    def play(self, path: Path_, action: Action | str, label: str) -> None:
        g = self.game
        if g.is_over():
            self.fail(path, f"{label}{self.where_now()}, no action is possible")
            raise _Stop
        legal = g.legal_actions()
        act = Action.parse(action) if isinstance(action, str) else action
        if act not in legal:
            self.fail(path, f"{label}'{act.id}' is not legal {self.where_now()} ({g.why_not(act)}); legal: "
                      f"{', '.join(a.id for a in legal) or 'nothing'}")
            raise _Stop
        g.apply(act)
        self._note_presented()

    # ------------------------------------------------------------------ steps
    def run(self) -> CaseResult:
        steps = self.test.steps()
        single = isinstance(self.test.play, str)
        try:
            for j, st in enumerate(steps):
                path = self.base + (("play",) if single else ("play", j))
                if isinstance(st, CheckStep):
                    self.check(path + ("expect",), st.expect, f"step {j + 1} (expect)")
                else:
                    self.step(path, st, j + 1)
            self.check(self.base + ("expect",), self.test.expect, "")
        except _Stop:
            pass
        except NegotiationError as exc:
            self.fail(self.base, f"the engine refused: {exc}")
        r = self.result
        r.actions = self.game.actions
        r.ending = self.game.state.ending
        r.standing = self.standing()
        return r

    def step(self, path: Path_, text: str, n: int) -> None:
        step = parse_step(text)
        base = f"step {n} '{text}'"
        g = self.game
        if step.kind == "at":
            if g.state.decision != step.target:
                self.fail(path, f"{base}: expected decision '{step.target}', but the game is {self.where_now()}")
                raise _Stop
            return
        if step.kind == "action":
            for k in range(step.count):
                each = base if step.count == 1 else f"{base} (time {k + 1} of {step.count})"
                if step.action == "historical":
                    if g.is_over():
                        self.fail(path, f"{each}: {self.where_now()}, there is no historical action to play")
                        raise _Stop
                    hist = g.historical_action() or ""
                    self.play(path, hist, f"{each} (history: '{hist}'): ")
                else:
                    self.play(path, step.action, f"{each}: ")
            return
        self.until(path, step.policy, step.target_kind, step.target, f"{base}: ")

    def reached(self, kind: str, target: str) -> bool:
        st = self.game.state
        if kind == "end":
            return st.ending is not None
        if kind == "decision":
            return st.decision == target
        if kind == "phase":
            return st.phase == target
        return st.date >= dt.date.fromisoformat(target).toordinal()

    def until(self, path: Path_, who: str, kind: str, target: str, label: str) -> None:
        g = self.game
        policy = self.policies.get(who)
        if policy is None:
            policy = self.policies[who] = make_policy(who, self.test.seed)
        what = {"end": "the end", "decision": f"decision '{target}'", "phase": f"phase '{target}'",
                "date": target}[kind]
        fallbacks: list[str] = []
        for _ in range(MAX_STEPS):
            if self.reached(kind, target):
                if fallbacks:
                    self.result.notes.append(f"{label}history was not legal at {', '.join(fallbacks)}; the first "
                                             "legal action was played instead")
                return
            if g.is_over():
                self.fail(path, f"{label}the game ended ('{g.state.ending}' on {g.state.day}) before {what} "
                          "came up")
                raise _Stop
            if who == "historical":
                hist = g.historical_action()
                if hist not in {a.id for a in g.legal_actions()}:
                    fallbacks.append(f"'{g.state.decision}' ('{hist}')")
            self.play(path, policy.choose(g), label)
        self.fail(path, f"{label}{what} did not come up within {MAX_STEPS} actions")
        raise _Stop

    # ------------------------------------------------------------------ expectations
    def check(self, path: Path_, e: Expect, step: str) -> None:  # noqa: C901 - one branch per key
        label = f"{step}: " if step else ""
        g = self.game
        st = g.state
        given = e.model_fields_set
        over = g.is_over()
        outcome = g.outcome()

        def need_over(key: str) -> bool:
            if not over:
                self.fail(path + (key,), f"{label}{key}: the game is not over yet ({self.where_now()})")
            return over

        if e.over is not None and e.over != over:
            self.fail(path + ("over",), f"{label}expected the game {'over' if e.over else 'still going'}, but "
                      f"{self.where_now()}")
        if e.ending is not None and need_over("ending") and st.ending != e.ending:
            self.fail(path + ("ending",), f"{label}expected ending '{e.ending}', got '{st.ending}'")
        if e.signed is not None:
            signed = outcome.signed if outcome is not None else st.signed
            if signed != e.signed:
                self.fail(path + ("signed",), f"{label}expected {'a treaty signed' if e.signed else 'no treaty'}, "
                          f"got {'a treaty signed' if signed else 'none'}")
        if "signed_on" in given:
            if outcome is not None:
                got_day = outcome.signed_on
            else:
                got_day = dt.date.fromordinal(st.signed_on) if st.signed_on is not None else None
            if got_day != e.signed_on:
                self.fail(path + ("signed_on",), f"{label}expected signed on {e.signed_on or 'no date (unsigned)'}, "
                          f"got {got_day or 'nothing signed'}")
        if e.date is not None:
            cmp = parse_comparison(e.date)
            if not cmp.holds(st.date):
                self.fail(path + ("date",), f"{label}expected the date {cmp.text}, got {st.day}")
        if e.phase is not None and st.phase != e.phase:
            self.fail(path + ("phase",), f"{label}expected phase '{e.phase}', got '{st.phase}'")
        if "decision" in given and st.decision != e.decision:
            wanted = f"decision '{e.decision}'" if e.decision else "no decision pending"
            self.fail(path + ("decision",), f"{label}expected {wanted}, but {self.where_now()}")
        if e.round is not None and st.round != e.round:
            self.fail(path + ("round",), f"{label}expected round {e.round}, got round {st.round}")
        for art, want in e.articles.items():
            self.check_article(path + ("articles", art), art, want, label)
        for var, raw in e.variables.items():
            cmp = parse_comparison(raw)
            value = st.variables[var]
            if not cmp.holds(value):
                self.fail(path + ("variables", var), f"{label}expected {var} {_show(cmp.text)}, got {value:g}")
        if e.interest is not None or e.fidelity is not None:
            from negotiation.scoring import score_card

            key = "interest" if e.interest is not None else "fidelity"
            if need_over(key):
                card = score_card(g)
                for name, score_raw, got in (("interest", e.interest, card.interest),
                                             ("fidelity", e.fidelity, card.fidelity)):
                    if score_raw is None:
                        continue
                    cmp = parse_comparison(score_raw)
                    if not cmp.holds(got):
                        shown = f"{got:.6g}" + (f" ({got:.1%})" if name == "fidelity" else "")
                        self.fail(path + (name,), f"{label}expected {name} {_show(cmp.text)}, got {shown}")
        for j, cond in enumerate(e.holds):
            if not self.rules.compile(cond)(st):
                self.fail(path + ("holds", j), f"{label}'{cond}' does not hold ({self.names_in(cond)})")
        told = self.shown_log()
        for j, item in enumerate(e.log):
            line = item if isinstance(item, LogExpect) else LogExpect(text=item)
            if not any(_log_matches(text, ev.kind, ev.speaker, line) for ev, text in told):
                close = [text for _, text in told if line.text and line.text.lower() in text.lower()]
                hint = f"; a line with other case: {close[0]!r}" if close else ""
                self.fail(path + ("log", j), f"{label}no log line shows {_describe(line)}{hint}")
        for j, text in enumerate(e.not_log):
            hit = next(((ev, t) for ev, t in told if text in t), None)
            if hit is not None:
                self.fail(path + ("not_log", j), f"{label}the log shows {text!r} ({hit[0].day}: {hit[1]!r})")
        for j, d in enumerate(e.presented):
            if d not in self.presented:
                self.fail(path + ("presented", j), f"{label}decision '{d}' did not come up (came up: "
                          f"{', '.join(self.presented) or 'none'})")
        for j, d in enumerate(e.not_presented):
            if d in self.presented:
                self.fail(path + ("not_presented", j), f"{label}decision '{d}' came up")
        legal = {a.id for a in g.legal_actions()}
        for j, a in enumerate(e.legal):
            if a not in legal:
                self.fail(path + ("legal", j), f"{label}'{a}' is not legal {self.where_now()} ({g.why_not(a)}); "
                          f"legal: {', '.join(sorted(legal)) or 'nothing'}")
        for j, a in enumerate(e.not_legal):
            if a in legal:
                self.fail(path + ("not_legal", j), f"{label}'{a}' is legal {self.where_now()}")

    def check_article(self, path: Path_, art: str, want: Any, label: str) -> None:
        """Check one article; ``label`` is empty or ends with ': '."""
        g = self.game
        a = g.state.articles[art]
        ids = self.rules.articles[art].ids
        outcome = g.outcome()

        def rung(i: int) -> str:
            return ids[i] if 0 <= i < len(ids) else "none"

        position = want if isinstance(want, str) else want.position
        if position is not None:
            p = path if isinstance(want, str) else path + ("position",)
            if outcome is not None:
                got = outcome.terms[art]
                if got != position:
                    self.fail(p, f"{label}expected {art} at '{position}', got '{got}'")
            elif a.settled < 0:
                self.fail(p, f"{label}expected {art} settled at '{position}', but it is still open (demand "
                          f"'{rung(a.demand)}')")
            elif rung(a.settled) != position:
                self.fail(p, f"{label}expected {art} settled at '{position}', got '{rung(a.settled)}'")
        if isinstance(want, str):
            return
        if want.settled is not None and (a.settled >= 0) != want.settled:
            state = f"settled at '{rung(a.settled)}'" if a.settled >= 0 else "open"
            self.fail(path + ("settled",), f"{label}expected {art} {'settled' if want.settled else 'open'}, "
                      f"but it is {state}")
        for key in ("demand", "mandate", "offer"):
            value = getattr(want, key)
            if value is not None and rung(getattr(a, key)) != value:
                self.fail(path + (key,), f"{label}expected {art}.{key} '{value}', got '{rung(getattr(a, key))}'")

    def names_in(self, cond: str) -> str:
        from negotiation.scenario.expr import parse

        st = self.game.state
        parts = []
        for name in sorted(parse(cond).names()):
            try:
                value = self.rules.compile(name)(st)
            except Exception:
                continue
            parts.append(f"{name} = {float(value):g}")
        return ", ".join(parts) or "no names"


def _show(text: str) -> str:
    return text if text[:1] in "<>=!" else f"= {text}" if ".." not in text and "±" not in text else f"in {text}"


def _describe(want: LogExpect) -> str:
    parts = []
    if want.text:
        parts.append(repr(want.text))
    if want.kind:
        parts.append(f"of kind {want.kind}")
    if want.speaker:
        parts.append(f"spoken by '{want.speaker}'")
    return " ".join(parts)


def _log_matches(text: str, kind: str, speaker: str | None, want: LogExpect) -> bool:
    return (not want.text or want.text in text) and (not want.kind or want.kind == kind) and \
        (want.speaker is None or want.speaker == speaker)


# --------------------------------------------------------------------------- files
def run_loaded(loaded: LoadedTests, name_filter: str = "") -> FileResult:
    """Run every test of a validated test file against its scenario."""
    scenario_path = loaded.scenario_path()
    result = FileResult(loaded.path, str(scenario_path))
    try:
        scenario = load_file(scenario_path)
        check_against(loaded, scenario.scenario)
    except ScenarioError as exc:
        result.problems = exc.diagnostics
        return result
    rules = rules_for(scenario)
    for i, test in enumerate(loaded.tests.tests):
        if name_filter and name_filter.lower() not in test.name.lower():
            continue
        result.cases.append(_Case(rules, test, ("tests", i), loaded).run())
    return result


def run_file(path: str | Path, name_filter: str = "") -> FileResult:
    """Validate and run one test file."""
    if not Path(path).exists():
        return FileResult(str(path), problems=[Diagnostic(str(path), 1, 1, "", "no such test file",
                                                          "write one beside the scenario: see docs/playtests.md")])
    try:
        loaded = load_tests(path)
    except ScenarioError as exc:
        return FileResult(str(path), problems=exc.diagnostics)
    return run_loaded(loaded, name_filter)


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Test files from paths: test files, scenarios (the test file beside them), folders (every test file in them)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(p.glob(f"*{SUFFIX}"))
        elif p.name.endswith(SUFFIX):
            yield p
        elif p.suffix in (".yaml", ".yml"):
            yield p.parent / f"{p.stem}{SUFFIX}"
        else:
            yield p


def render_text(results: list[FileResult]) -> str:
    """A pass/fail report: per case, and per failure where in the test file, expected vs actual."""
    lines: list[str] = []
    for r in results:
        lines.append(f"{r.path}" + (f" (scenario {r.scenario})" if r.scenario else ""))
        for d in r.problems:
            lines.append(f"  ERROR {d}")
        for c in r.cases:
            if c.passed:
                ending = f", ending '{c.ending}'" if c.ending else ", not over"
                n = len(c.actions)
                lines.append(f"  PASS  {c.name} ({n} action{'s' if n != 1 else ''}{ending})")
            else:
                lines.append(f"  FAIL  {c.name}")
                for f in c.failures:
                    lines.append(f"        {r.path}:{f.line}:{f.column}: {f.message}")
                lines.append(f"        the game stood {c.standing}" if not c.standing.startswith("the game")
                             else f"        {c.standing}")
            for note in c.notes:
                lines.append(f"        note: {note}")
    cases = [c for r in results for c in r.cases]
    passed = sum(1 for c in cases if c.passed)
    broken = sum(1 for r in results if r.problems)
    summary = f"{len(cases)} test{'s' if len(cases) != 1 else ''} in {len(results)} file" \
              f"{'s' if len(results) != 1 else ''}: {passed} passed, {len(cases) - passed} failed"
    if broken:
        summary += f"; {broken} file{'s' if broken != 1 else ''} could not run"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def render_json(results: list[FileResult]) -> str:
    """The report as JSON."""
    data = {
        "files": [{
            "file": r.path, "scenario": r.scenario, "passed": r.passed,
            "problems": [str(d) for d in r.problems],
            "tests": [{"name": c.name, "line": c.line, "passed": c.passed, "ending": c.ending,
                       "actions": c.actions, "notes": c.notes,
                       "failures": [{"line": f.line, "column": f.column, "field": f.field, "message": f.message}
                                    for f in c.failures]} for c in r.cases],
        } for r in results],
        "passed": all(r.passed for r in results),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


__all__ = ["CaseResult", "Failure", "FileResult", "discover", "render_json", "render_text", "run_file", "run_loaded"]
