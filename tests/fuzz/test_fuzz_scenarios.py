"""Mutated scenarios: every one loads, or is refused with located, printable diagnostics; none crashes.

A mutated file that validates is then played and linted through the command line: it must run,
or fail with the project's own one-line error (exit 1), never an unexpected error.
"""

from __future__ import annotations

import contextlib
import copy
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzz_harness import budget, tally
from fuzz_mutate import DATA_MUTATIONS, dump, text_mutation
from hypothesis import given
from hypothesis import strategies as st

from negotiation import cli
from negotiation.errors import ScenarioError
from negotiation.resources import scenario_path
from negotiation.scenario.loader import load_text
from negotiation.text import printable

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASES = {"mini": FIXTURES / "mini.yaml", "tutorial": scenario_path("tutorial")}
DATA = {name: yaml.safe_load(path.read_text(encoding="utf-8")) for name, path in BASES.items()}


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run the command line in this process; return its status, output and errors."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(args)
    return status, out.getvalue(), err.getvalue()


def assert_clean_failure(status: int, err: str, what: str) -> None:
    """Exit 1 with the project's own message: no traceback, no 'unexpected' error, printable."""
    assert status == 1, what
    assert "Traceback" not in err and "error: unexpected " not in err, f"{what}: {err[:2000]}"
    for line in err.split("\n"):
        assert printable(line) == line, f"{what}: unescaped control character in {line[:200]!r}"


def check_load(text: str, name: str = "fuzz.yaml") -> Any:
    """Load ``text``; on refusal check the diagnostics' contract. Return the scenario or None."""
    try:
        return load_text(text, name)
    except ScenarioError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.file == name and d.line >= 1 and d.column >= 1, d
        shown = str(exc)
        for line in shown.split("\n"):
            assert printable(line) == line, f"unescaped control character in {line[:200]!r}"
            assert len(line) < 3_000, f"a diagnostic of {len(line):,} characters"
        return None


def mutated(data: st.DataObject) -> tuple[str, str]:
    base = data.draw(st.sampled_from(sorted(BASES)), label="base")
    tree = copy.deepcopy(DATA[base])
    done = [DATA_MUTATIONS[k](tree, data.draw) for k in data.draw(
        st.lists(st.sampled_from(sorted(DATA_MUTATIONS)), min_size=1, max_size=3), label="mutations")]
    text = dump(tree)
    if data.draw(st.integers(0, 3), label="text mutation?") == 0:
        text, kind = text_mutation(text, data.draw)
        done.append(kind)
    return text, "; ".join(done)


@budget(150)
@given(data=st.data())
def test_mutated_scenarios_load_or_are_refused_cleanly(data: st.DataObject) -> None:
    text, _ = mutated(data)
    loaded = check_load(text)
    tally("mutated scenario", "loaded" if loaded is not None else "refused with located diagnostics")


@budget(40)
@given(data=st.data())
def test_mutated_scenarios_that_validate_play_and_lint_or_fail_cleanly(data: st.DataObject,
                                                                       tmp_path_factory: pytest.TempPathFactory
                                                                       ) -> None:
    """validate, simulate and lint through the CLI: exit 0, or exit 1 with a clean one-line error."""
    text, what = mutated(data)
    path = tmp_path_factory.mktemp("mut") / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    status, _, err = run_cli(["validate", str(path)])
    if status != 0:
        assert_clean_failure(status, err, f"validate after {what}")
        assert f"{path}:" in err
        tally("validate (CLI)", "refused, exit 1")
        return
    tally("validate (CLI)", "ok")
    for args, kind in ((["simulate", str(path), "--runs", "3", "--policy", "random"], "simulate (CLI)"),
                       (["lint", "--no-play", str(path)], "lint --no-play (CLI)")):
        status, _, err = run_cli(args)
        if status == 0 or (kind.startswith("lint") and "Traceback" not in err and "error: unexpected " not in err):
            tally(kind, "ran")
            continue
        assert_clean_failure(status, err, f"{kind} after {what}")
        tally(kind, "failed cleanly, exit 1")


NUMERIC_AI = ("refusal_cost", "hold_cost", "walkout_cost", "accept_gain", "threat_below", "walkout_softening",
              "overreach_cost", "ask_cost", "offset", "ally_lever", "us_lever", "weight", "initial", "min", "max")
BIG_FINITE = (0, -1, 1e6, 1e150, 1e300, -1e300, 1.7e308, 5e-324)


@budget(60)
@given(data=st.data())
def test_formulas_and_numbers_that_validate_play_or_fail_cleanly(data: st.DataObject,
                                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    """Valid but extreme formulas and numbers (the kind validate accepts): play exits 0, or 1 with the
    project's own error (e.g. a RuleError for a formula that overflows at play time), never a crash."""
    from fuzz_mutate import expressions, get, grammar, paths, put

    base = data.draw(st.sampled_from(sorted(BASES)), label="base")
    tree = copy.deepcopy(DATA[base])
    names = ("days", *(v["id"] for v in tree.get("variables", [])))
    for _ in range(data.draw(st.integers(1, 4), label="changes")):
        if data.draw(st.booleans(), label="formula?"):
            targets = expressions(tree)
            put(tree, data.draw(st.sampled_from(targets)), data.draw(grammar(tuple(names), max_leaves=12)))
        else:
            targets = [p for p in paths(tree) if p and p[-1] in NUMERIC_AI
                       and isinstance(get(tree, p), (int, float))]
            if targets:
                put(tree, data.draw(st.sampled_from(targets)), data.draw(st.sampled_from(BIG_FINITE)))
    path = tmp_path_factory.mktemp("play") / "fuzz.yaml"
    path.write_text(dump(tree), encoding="utf-8")
    status, _, err = run_cli(["validate", str(path)])
    if status != 0:
        assert_clean_failure(status, err, "validate")
        tally("extreme formulas and numbers: validate", "refused, exit 1")
        return
    status, _, err = run_cli(["simulate", str(path), "--runs", "3", "--policy",
                              data.draw(st.sampled_from(("random", "historical", "greedy")))])
    if status:
        assert_clean_failure(status, err, "simulate")
    tally("extreme formulas and numbers: validate ok, simulate", "ran" if status == 0 else "failed cleanly, exit 1")
