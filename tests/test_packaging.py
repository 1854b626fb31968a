"""A plain, non-editable install from a built wheel finds its scenarios and plays."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_wheel_ships_scenarios_and_runs_from_a_fresh_install(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(dist.glob("negotiation-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "negotiation/data/scenarios/moscow1945.yaml" in names
    assert "negotiation/py.typed" in names
    assert "negotiation/data/assets/map/world.json.gz" in names  # the map's coasts (assets/map/PROVENANCE.md)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True)
    # dependencies come from this environment's site-packages, the package itself only from the wheel
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), sysconfig.get_paths()["purelib"]]))
    code = (
        "import negotiation, negotiation.resources as r\n"
        "from negotiation import Game, load_file\n"
        f"assert negotiation.__file__.startswith({str(target)!r}), negotiation.__file__\n"
        "from negotiation.ui.geo import load_world, world_path\n"
        "g = Game(load_file(r.scenario_path()), 1)\n"
        f"print(r.scenario_path().relative_to({str(target)!r}).as_posix(), len(g.legal_actions()) > 0)\n"
        f"print(world_path().relative_to({str(target)!r}).as_posix(), len(load_world().land) > 1000)\n"
    )
    out = subprocess.run([sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["negotiation/data/scenarios/moscow1945.yaml", "True",
                                  "negotiation/data/assets/map/world.json.gz", "True"]
