"""Counterfactual sweeps: parameter paths, grids, rebuilt scenarios, and the same numbers as simulate."""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from negotiation import LoadedScenario, NegotiationError, load_file, load_text
from negotiation.cli import main
from negotiation.resources import scenario_path
from negotiation.scenario.loader import read_text, read_yaml
from negotiation.sim import simulate
from negotiation.sim.sweep import PathError, load_data, parse_vary, point_rows, read_base, resolve, set_values, sweep

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = str(FIXTURES / "mini.yaml")
FLAGSHIP = str(scenario_path("moscow1945"))


@pytest.fixture(scope="module")
def flagship_data() -> tuple[dict[str, Any], Any]:
    data, marks, _ = read_yaml(read_text(FLAGSHIP), FLAGSHIP)
    return data, marks


@pytest.mark.parametrize(("path", "kind", "base"), [
    ("actors.stalin.ai.hold_cost", "float", 5),
    ("actors.stalin.ai.concede_within", "int", 2),
    ("actors.stalin.ai.sign_margin", "expr", 4.0),  # an expression that is a plain number
    ("actors.chiang.ai.ask_days", "int", 3),
    ("articles.mongolia.counterpart.offset", "float", -10),
    ("articles.mongolia.positions.shelved.value.ussr", "float", 0),
    ("articles.dairen.counterpart.ally_lever", "float", None),  # read below: whatever the file says
    ("events.trinity.date", "date", "1945-07-16"),
    ("variables.patience.initial", "float", None),
    ("scoring.timeline_days", "int", 30),  # not in the file: the model's default
])
def test_paths_name_numbers_by_ids(flagship_data: tuple[dict[str, Any], Any], path: str, kind: str,
                                   base: Any) -> None:
    data, _ = flagship_data
    keys, got_kind, got_base = resolve(path, data)
    assert got_kind == kind
    if base is not None:
        assert got_base == base
    node: Any = data
    for k in keys[:-1]:
        node = node[k] if isinstance(node, list) or k in node else {}
    if keys[-1] in node:
        value = node[keys[-1]]
        assert value == got_base or str(value) == str(got_base) or float(value) == got_base


@pytest.mark.parametrize(("spec", "message"), [
    ("actors.stalin.ai.hold_cst=3:9:2", "'hold_cst' is not a field of CounterpartAI"),
    ("actors.staline.ai.hold_cost=1", "no item with id 'staline' in actors (did you mean 'stalin'?)"),
    ("actors.stalin.ai.aspiration=1", "is text or an expression"),
    ("actors.stalin.ai.patience=1", "vary its start, variables.patience.initial"),
    ("articles.dairen=1", "is a group of fields, not a number"),
    ("actors.stalin.ai.hold_cost.x=1", "'hold_cost' is a value"),
    ("actors.stalin.ai.hold_cost=9:3:2", "STEP must be non-zero and go from START towards STOP"),
    ("actors.stalin.ai.concede_within=1:3:0.5", "takes whole numbers"),
    ("actors.stalin.ai.hold_cost=a:b:c", "'a' is not a number"),
    ("phases.moscow1.allow_signing=0,1", "true or false, not a number"),
    ("events.trinity.date=next week", "neither a date"),
    ("actors..ai=1", "'' is not a name"),
    ("actors.stalin.ai.hold_cost", "write PATH=START:STOP:STEP"),
    ("decisions.d0702_basis.options[9].label=1", "beyond it"),
])
def test_bad_paths_and_grids_are_explained(flagship_data: tuple[dict[str, Any], Any], spec: str,
                                           message: str) -> None:
    data, marks = flagship_data
    with pytest.raises(NegotiationError) as info:
        parse_vary(spec, data, FLAGSHIP, marks)
    assert message in str(info.value)


def test_a_bad_path_is_located_in_the_path_and_in_the_file(flagship_data: tuple[dict[str, Any], Any]) -> None:
    data, marks = flagship_data
    with pytest.raises(PathError) as info:
        parse_vary("actors.stalin.ai.hold_cst=3:9:2", data, FLAGSHIP, marks)
    lines = str(info.value).splitlines()
    assert lines[1:3] == ["  actors.stalin.ai.hold_cst", "                   ^^^^^^^^"]
    assert lines[3].endswith("moscow1945.yaml:218:5: actors[2].ai)")


def test_grids_include_their_stop_and_dates_move_by_days(flagship_data: tuple[dict[str, Any], Any]) -> None:
    data, _ = flagship_data
    assert parse_vary("actors.stalin.ai.hold_cost=0:1:0.1", data).values == tuple(i / 10 for i in range(11))
    assert parse_vary("actors.stalin.ai.concede_within=1,3,4", data).values == (1, 3, 4)
    assert parse_vary("events.trinity.date=-14:14:7", data).values == (
        "1945-07-02", "1945-07-09", "1945-07-16", "1945-07-23", "1945-07-30")
    assert parse_vary("events.trinity.date=1945-07-10:1945-07-12:1", data).values == (
        "1945-07-10", "1945-07-11", "1945-07-12")


def test_a_rebuilt_scenario_goes_through_the_loader_and_the_original_is_untouched(
        flagship_data: tuple[dict[str, Any], Any]) -> None:
    data, marks = flagship_data
    before = json.dumps(data, sort_keys=True, default=str)
    assert load_data(data, FLAGSHIP, marks).scenario == load_text(read_text(FLAGSHIP), FLAGSHIP).scenario
    vary = parse_vary("actors.stalin.ai.hold_cost=11", data)
    changed = load_data(set_values(data, [(vary.keys, vary.kind, 11.0)]), FLAGSHIP, marks)
    assert changed.scenario.actors[2].ai.hold_cost == 11.0  # type: ignore[union-attr]
    assert json.dumps(data, sort_keys=True, default=str) == before


def test_a_point_that_does_not_validate_is_a_located_error() -> None:
    base = read_base(FLAGSHIP, "random", None, ["actors.chiang.ai.ask_days=-2"])
    with pytest.raises(NegotiationError) as info:
        sweep(base, 2, workers=1)
    text = str(info.value)
    assert "with actors.chiang.ai.ask_days=-2 the scenario does not validate" in text
    assert "moscow1945.yaml:201:" in text and "actors[1].ai.ask_days" in text


def test_each_point_gives_the_numbers_simulate_gives_on_that_scenario(moscow: LoadedScenario, tmp_path: Path) -> None:
    base = read_base(FLAGSHIP, "greedy", None, ["actors.stalin.ai.hold_cost=5,9"])
    report = sweep(base, 12, seed=4, workers=2)
    first, second = report["points"]
    assert first["values"] == {"actors.stalin.ai.hold_cost": 5.0}  # the file's own value
    assert first["summary"] == simulate(moscow, "greedy", 12, seed=4)["summary"]
    varied = read_text(FLAGSHIP).replace("      hold_cost: 5\n", "      hold_cost: 9\n", 1)
    (tmp_path / "varied.yaml").write_text(varied, encoding="utf-8")
    assert second["summary"] == simulate(load_file(tmp_path / "varied.yaml"), "greedy", 12, seed=4)["summary"]
    assert sum(second["articles"]["dairen"].values()) == 12


def test_a_sweep_is_the_same_on_one_or_several_workers() -> None:
    base = read_base(MINI, "random", None, ["articles.port.counterpart.ally_lever=0:1:0.5",
                                            "actors.rival.ai.hold_cost=2,8"])
    one = sweep(base, 15, seed=2, workers=1)
    assert sweep(base, 15, seed=2, workers=2) == one
    assert [p["values"] for p in one["points"]][:2] == [
        {"articles.port.counterpart.ally_lever": 0.0, "actors.rival.ai.hold_cost": 2.0},
        {"articles.port.counterpart.ally_lever": 0.0, "actors.rival.ai.hold_cost": 8.0}]


def test_a_sweep_on_a_dask_cluster_gives_the_local_results() -> None:
    """A LocalCluster of two single-threaded workers in this process, for at most a minute."""
    distributed = pytest.importorskip("distributed")
    base = read_base(MINI, "random", None, ["actors.rival.ai.refusal_cost=1:5:2"])
    local = sweep(base, 10, seed=1, workers=1)
    started = time.monotonic()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
        remote = sweep(base, 10, seed=1, executor="dask", scheduler=lc.scheduler_address)
    assert remote == local
    assert time.monotonic() - started < 60


def test_the_dask_executor_explains_what_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr("negotiation.sim.sweep.CONNECT_TIMEOUT", "1s")
    base = read_base(MINI, "random", None, ["actors.rival.ai.refusal_cost=1"])
    with pytest.raises(NegotiationError, match="needs --scheduler ADDRESS"):
        sweep(base, 1, executor="dask")
    with pytest.raises(NegotiationError, match="cannot reach the Dask scheduler"):
        sweep(base, 1, executor="dask", scheduler="tcp://127.0.0.1:1")
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    with pytest.raises(NegotiationError, match=r"pip install 'negotiation\[distributed\]'"):
        sweep(base, 1, executor="dask", scheduler="tcp://127.0.0.1:8786")


def test_sweep_command_writes_text_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", MINI, "--vary", "actors.rival.ai.refusal_cost=1:5:2", "--runs", "8", "--workers", "1",
                 "--json", str(tmp_path / "s.json"), "--csv", str(tmp_path / "s.csv")]) == 0
    out = capsys.readouterr().out
    assert "Sweep of mini: policy random, 8 games a point (seeds 0..7), 3 points" in out
    report = json.loads((tmp_path / "s.json").read_text())
    assert [p["values"]["actors.rival.ai.refusal_cost"] for p in report["points"]] == [1.0, 3.0, 5.0]
    with (tmp_path / "s.csv").open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    columns, rows = point_rows(report)
    assert table[0] == columns and len(table) == 4
    assert table[1] == [str(c) for c in rows[0]]
    assert columns[:3] == ["actors.rival.ai.refusal_cost", "games", "interest_mean"]
    assert "ending.signed" in columns and "port.shared" in columns


def test_sweep_command_errors_are_one_line_and_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", MINI, "--vary", "actors.rivl.ai.hold_cost=1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --vary actors.rivl.ai.hold_cost: no item with id 'rivl'")
    assert main(["sweep", MINI]) == 1
    assert "name at least one parameter to vary" in capsys.readouterr().err


def test_a_sweep_goes_to_standard_output_and_to_a_data_frame(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["sweep", MINI, "--vary", "actors.rival.ai.refusal_cost=1,3", "--runs", "5", "--json", "-",
                 "--quiet"]) == 0
    report = json.loads(capsysbinary.readouterr().out)
    assert report["kind"] == "sweep" and len(report["points"]) == 2
    from negotiation.sim import to_dataframe

    frame = to_dataframe(report)
    assert list(frame["actors.rival.ai.refusal_cost"]) == [1.0, 3.0] and list(frame["games"]) == [5, 5]
    assert main(["sweep", MINI, "--vary", "actors.rival.ai.refusal_cost=1,3", "--runs", "5", "--csv", "-"]) == 0
    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert lines[0].startswith("actors.rival.ai.refusal_cost,games,") and len(lines) == 3
