"""Reports: every plot on the page, PNG files beside it, the same bytes for the same results."""

from __future__ import annotations

import base64
import json
import re
import sys
from pathlib import Path

import pytest

from negotiation import LoadedScenario, NegotiationError
from negotiation.cli import main
from negotiation.engine.rules import rules_for
from negotiation.report import png_bytes, run_plots, sweep_plots, write_report
from negotiation.sim import report_bytes, simulate
from negotiation.sim.sweep import read_base, sweep

pytest.importorskip("matplotlib")

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = str(FIXTURES / "mini.yaml")
PNG = b"\x89PNG\r\n\x1a\n"


def figures_of(page: str) -> dict[str, bytes]:
    """The figures of a page: id -> the PNG inlined in it."""
    found = re.findall(r"<figure id='(\w+)'><h2>[^<]*</h2><img src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    return {name: base64.b64decode(data) for name, data in found}


def test_a_batch_report_has_every_plot_inline_and_beside_it(mini: LoadedScenario, tmp_path: Path) -> None:
    results = simulate(mini, "random", 40, seed=3, trace=True)
    written = write_report(results, rules_for(mini), tmp_path / "out" / "page.html")
    page = (tmp_path / "out" / "page.html").read_text(encoding="utf-8")
    figures = figures_of(page)
    assert list(figures) == ["interest", "endings", "articles", "meters"]
    for name, data in figures.items():
        assert data.startswith(PNG)
        assert (tmp_path / "out" / f"page-{name}.png").read_bytes() == data
    assert [p.name for p in written] == ["page.html", *(f"page-{n}.png" for n in figures)]
    assert "src='http" not in page and "<script" not in page  # nothing to fetch: the page stands alone
    assert "Interest, mean" in page and f"{results['summary']['interest_mean']:+.2f}" in page


def test_without_traces_the_meters_come_from_replaying_the_runs(mini: LoadedScenario) -> None:
    results = simulate(mini, "random", 30, seed=5)
    plots, notes = run_plots(results, rules_for(mini), replays=10)
    assert [p.name for p in plots] == ["interest", "endings", "articles", "meters"] and notes == []
    results["runs"][0]["interest"] += 1  # runs that do not replay as recorded: no meters, and a note why
    plots, notes = run_plots(results, rules_for(mini), replays=10)
    assert [p.name for p in plots] == ["interest", "endings", "articles"]
    assert "does not give the recorded games" in notes[0]


def test_a_scripted_batch_without_traces_says_why_there_are_no_meters(mini: LoadedScenario, tmp_path: Path) -> None:
    script = tmp_path / "s.yaml"
    script.write_text("[hold]\n", encoding="utf-8")
    results = simulate(mini, "scripted", 3, script=script)
    plots, notes = run_plots(results, rules_for(mini))
    assert "meters" not in [p.name for p in plots]
    assert "cannot be replayed without its script" in notes[0]


@pytest.mark.parametrize(("specs", "names"), [
    (["actors.rival.ai.refusal_cost=1:5:2"], ["sweep", "endings", "articles"]),
    (["actors.rival.ai.refusal_cost=1:5:2", "variables.patience.initial=20,50"], ["sweep", "signed", "articles"]),
    (["actors.rival.ai.refusal_cost=1,5", "variables.patience.initial=20,50", "events.storm.date=-2,0,2"],
     ["sweep", "signed", "articles"]),
])
def test_a_sweep_report_has_its_grid_plots(mini: LoadedScenario, specs: list[str], names: list[str]) -> None:
    results = sweep(read_base(MINI, "random", None, specs), 12, workers=1)
    plots = sweep_plots(results, rules_for(mini))
    assert [p.name for p in plots] == names
    assert all(png_bytes(p).startswith(PNG) for p in plots)


def test_the_same_results_give_the_same_pictures(mini: LoadedScenario, tmp_path: Path) -> None:
    results = simulate(mini, "random", 20, trace=True)
    write_report(results, rules_for(mini), tmp_path / "a.html")
    write_report(results, rules_for(mini), tmp_path / "b.html")
    for name in ("interest", "endings", "articles", "meters"):
        assert (tmp_path / f"a-{name}.png").read_bytes() == (tmp_path / f"b-{name}.png").read_bytes()


def test_report_command_finds_the_scenario_and_writes_beside_the_results(
        mini: LoadedScenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "runs.json").write_bytes(report_bytes(simulate(mini, "random", 10)))
    assert main(["report", str(tmp_path / "runs.json")]) == 1  # 'mini' is not bundled
    assert "give its file with --scenario" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "runs.json"), "--scenario", MINI, "--replays", "5"]) == 0
    assert "written to" in capsys.readouterr().out
    assert list(figures_of((tmp_path / "runs.html").read_text(encoding="utf-8"))) == [
        "interest", "endings", "articles", "meters"]


def test_report_command_on_a_flagship_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", "moscow1945", "--vary", "actors.stalin.ai.hold_cost=3,7", "--runs", "4", "--policy",
                 "historical", "--json", str(tmp_path / "s.json"), "--quiet"]) == 0
    assert main(["report", str(tmp_path / "s.json"), "-o", str(tmp_path / "s.html")]) == 0
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert list(figures_of(page)) == ["sweep", "endings", "articles"]
    assert "2 points × 4 games" in page


def test_results_of_another_scenario_are_refused(mini: LoadedScenario, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = simulate(mini, "random", 3)
    data["scenario"] = "moscow1945"  # names a bundled scenario, but its articles are mini's
    (tmp_path / "r.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["report", str(tmp_path / "r.json")]) == 1
    assert "which the scenario 'moscow1945' does not have" in capsys.readouterr().err


def test_without_matplotlib_the_report_says_how_to_install_it(mini: LoadedScenario, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(NegotiationError, match=r"pip install 'negotiation\[report\]'"):
        write_report(simulate(mini, "random", 2), rules_for(mini), tmp_path / "r.html")


def test_not_a_report_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.json").write_text("[1, 2]", encoding="utf-8")
    assert main(["report", str(tmp_path / "x.json")]) == 1
    assert "not a report of 'negotiation simulate' or 'negotiation sweep'" in capsys.readouterr().err
