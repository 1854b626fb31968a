"""Every bundled scenario's playthrough tests (scenarios/*.tests.yaml) run in the project's suite, one case each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from negotiation.errors import ScenarioError
from negotiation.scenario.playtests import load_tests
from negotiation.sim.playtest import FileResult, render_text, run_file

ROOT = Path(__file__).parents[2]

SCENARIOS = ROOT / "scenarios"


def cases() -> list[tuple[Path, int, str]]:
    """(test file, index, name) for every case; index -1 stands for a file that does not validate."""
    out: list[tuple[Path, int, str]] = []
    for path in sorted(SCENARIOS.glob("*.tests.yaml")):
        try:
            loaded = load_tests(path)
        except ScenarioError:
            out.append((path, -1, "the file validates"))
            continue
        out.extend((path, i, t.name) for i, t in enumerate(loaded.tests.tests))
    return out


@cache
def result_of(path: Path) -> FileResult:
    return run_file(path)


CASES = cases()


def test_bundled_test_files_are_found() -> None:
    """At least the tutorial's: an empty discovery would pass silently."""
    assert (SCENARIOS / "tutorial.tests.yaml", 0, "playing history signs the Treaty of Portsmouth on 5 September") \
        in CASES


@pytest.mark.parametrize(("path", "index", "name"), CASES, ids=[f"{p.name}::{n}" for p, _, n in CASES])
def test_bundled_playthrough(path: Path, index: int, name: str) -> None:
    result = result_of(path)
    assert not result.problems, render_text([result])
    case = result.cases[index]
    assert case.name == name
    assert case.passed, render_text([FileResult(result.path, result.scenario, [case])])
