"""Parallel, streamed batches: the same bytes for any number of workers, tables, progress."""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import LoadedScenario, NegotiationError
from negotiation.cli import main
from negotiation.sim import report_bytes, simulate, summarise, to_dataframe
from negotiation.sim.batch import Tally, chunks, run_report
from negotiation.sim.explore import Bounds, explore
from negotiation.sim.tables import run_rows

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = str(FIXTURES / "mini.yaml")


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_the_streamed_report_is_the_bytes_of_the_whole_report(mini: LoadedScenario, workers: int) -> None:
    whole = report_bytes(simulate(mini, "random", 57, seed=11))
    out = io.BytesIO()
    head = run_report(mini, "random", 57, seed=11, workers=workers, json_out=out)
    assert out.getvalue() == whole
    assert head["summary"] == json.loads(whole)["summary"]


def test_simulate_gives_the_same_report_on_any_number_of_workers(moscow: LoadedScenario) -> None:
    one = simulate(moscow, "ask", 100, seed=3)
    assert simulate(moscow, "ask", 100, seed=3, workers=2) == one
    assert report_bytes(one) == report_bytes(simulate(moscow, "ask", 100, seed=3, workers=3))


def test_simulate_json_is_byte_identical_for_one_and_two_workers(tmp_path: Path) -> None:
    """The command as a user runs it: 2,000 games of the flagship, then cmp."""
    files = []
    for workers in (1, 2):
        path = tmp_path / f"w{workers}.json"
        subprocess.run([sys.executable, "-m", "negotiation", "simulate", "moscow1945", "--runs", "2000",
                        "--workers", str(workers), "--json", str(path)], check=True, capture_output=True)
        files.append(path.read_bytes())
    assert files[0] == files[1]
    assert len(json.loads(files[0])["runs"]) == 2000


def test_chunks_cover_every_seed_once() -> None:
    for runs in (1, 7, 200, 2001):
        for workers in (1, 2, 5):
            pieces = chunks(10, runs, workers)
            seeds = [s for start, count in pieces for s in range(start, start + count)]
            assert seeds == list(range(10, 10 + runs))


finite = st.floats(min_value=-100, max_value=100, allow_nan=False).map(lambda x: round(x, 6))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite, st.floats(0, 1).map(lambda x: round(x, 6)), st.sampled_from(["a", "b", "c"]),
                          st.booleans(), st.integers(1, 60)), min_size=1, max_size=40))
def test_the_tally_gives_exactly_what_summarise_gives(runs: list[tuple[float, float, str, bool, int]]) -> None:
    records = [{"interest": i, "fidelity": f, "ending": e, "signed_on": "1945-08-14" if s else None, "decisions": d}
               for i, f, e, s, d in runs]
    tally = Tally()
    for i, f, e, s, d in runs:
        tally.add((0, e, "1945-08-14" if s else None, i, f, d, ()))
    assert tally.summary() == summarise(records)
    assert math.fsum(r[1] for r in runs) / len(runs) == statistics.fmean(r[1] for r in runs)


def test_json_dash_writes_the_report_to_standard_output_only(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["simulate", MINI, "--runs", "5", "--seed", "2", "--json", "-", "--workers", "1"]) == 0
    out = capsysbinary.readouterr().out
    assert json.loads(out)["seed"] == 2
    assert not Path("-").exists()


def test_csv_has_a_row_per_run_and_matches_the_json(tmp_path: Path, mini: LoadedScenario,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", MINI, "--runs", "90", "--json", str(tmp_path / "r.json"), "--csv",
                 str(tmp_path / "r.csv"), "--workers", "2"]) == 0
    assert "written to" in capsys.readouterr().out
    with (tmp_path / "r.csv").open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    columns, rows = run_rows(json.loads((tmp_path / "r.json").read_text()))
    assert table[0] == columns == ["seed", "ending", "signed_on", "interest", "fidelity", "decisions", "article.port"]
    assert table[1:] == [["" if c is None else str(c) for c in row] for row in rows]


def test_to_dataframe_reads_a_report_or_its_file(tmp_path: Path, mini: LoadedScenario) -> None:
    report = simulate(mini, "random", 6, seed=1)
    (tmp_path / "r.json").write_bytes(report_bytes(report))
    frame = to_dataframe(tmp_path / "r.json")
    assert list(frame["seed"]) == [1, 2, 3, 4, 5, 6]
    assert frame["interest"].mean() == pytest.approx(report["summary"]["interest_mean"])
    assert to_dataframe(report).equals(frame)


def test_to_dataframe_without_pandas_says_how_to_install_it(mini: LoadedScenario,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(NegotiationError, match=r"pip install 'negotiation\[pandas\]'"):
        to_dataframe(simulate(mini, "random", 1))


def test_trace_records_the_meters_after_every_move(mini: LoadedScenario) -> None:
    report = simulate(mini, "random", 70, trace=True)
    assert report["meters"] == ["patience", "confidence", "us_support"]
    for run in report["runs"]:
        assert len(run["trace"]) == run["decisions"]
        assert all(len(values) == 3 for _, _, values in run["trace"])
    assert report_bytes(report) == report_bytes(simulate(mini, "random", 70, trace=True, workers=2))


def test_progress_is_silent_off_a_terminal_and_with_quiet(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", MINI, "--runs", "30", "--workers", "1"]) == 0
    assert capsys.readouterr().err == ""  # standard error is not a terminal here
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["simulate", MINI, "--runs", "30", "--workers", "1", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["simulate", MINI, "--runs", "30", "--workers", "1"]) == 0
    assert "simulate" in capsys.readouterr().err  # the bar, drawn on standard error


def test_lint_exploration_reports_its_progress(mini: LoadedScenario) -> None:
    seen: list[tuple[int, int]] = []
    explore(mini, Bounds(max_states=50, playthroughs=20), progress=lambda done, total: seen.append((done, total)))
    assert seen and all(total == 1 + 50 + 3 + 20 for _, total in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == seen[-1][1]


def test_bad_worker_counts_and_outputs_are_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", MINI, "--runs", "2", "--workers", "-1"]) == 1
    assert "--workers must be at least 1" in capsys.readouterr().err
    assert main(["simulate", MINI, "--runs", "2", "--json", "-", "--csv", "-"]) == 1
    assert "cannot both write to standard output" in capsys.readouterr().err


def test_a_failed_batch_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A policy that fails in the 40th game, on a worker process: an error, and the target is never written."""
    (tmp_path / "failing_policy.py").write_text(
        "from negotiation import NegotiationError\n"
        "class Failing:\n"
        "    def __init__(self, seed):\n"
        "        self.seed = seed\n"
        "    def choose(self, game):\n"
        "        if self.seed == 40:\n"
        "            raise NegotiationError('no move for seed 40')\n"
        "        return game.legal_actions()[0]\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    target = tmp_path / "out" / "r.json"
    assert main(["simulate", MINI, "--policy", "failing_policy:Failing", "--runs", "60", "--workers", "2",
                 "--json", str(target)]) == 1
    assert "no move for seed 40" in capsys.readouterr().err
    assert list((tmp_path / "out").iterdir()) == []


def test_version_does_not_import_the_models_or_the_engine() -> None:
    code = ("import sys; from negotiation.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'negotiation.engine', "
            "'negotiation.scenario', 'yaml', 'transitions'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]")
