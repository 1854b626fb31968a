"""The release as a user gets it: the sdist carries the checkout, the wheel built from that sdist plays.

``python -m build`` builds the sdist first and then the wheel *from the unpacked sdist*, as a release does, so
a file missing from the sdist is missing from the wheel too. The wheel is installed into a fresh virtual
environment (its dependencies come from this one) and driven through its ``negotiation`` command, from a
folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

import negotiation

ROOT = Path(__file__).parents[1]
DATA = ("scenarios", "assets", "schemas")  # shipped in the wheel as negotiation/data/<name>


def _one(paths: list[Path]) -> Path:
    assert len(paths) == 1, paths
    return paths[0]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist and the wheel built from it, with the build backend of this environment (no download)."""
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "Building wheel from sdist" in build.stdout + build.stderr  # not from the checkout
    return _one(list(out.glob("negotiation-*.tar.gz"))), _one(list(out.glob("negotiation-*.whl")))


def tracked_files() -> list[str]:
    """The checkout's files as git knows them (those still on disk); without git, the files under ROOT."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True)
        names = [n for n in out.stdout.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):  # an unpacked sdist: no repository, the files are the truth
        names = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts and not p.relative_to(ROOT).parts[0].startswith(".")]
    assert names
    return [n for n in names if (ROOT / n).is_file()]


def test_the_sdist_carries_every_tracked_file(dists: tuple[Path, Path]) -> None:
    sdist, _ = dists
    with tarfile.open(sdist) as tar:
        prefix = f"negotiation-{negotiation.__version__}/"
        inside = {m.name.removeprefix(prefix) for m in tar.getmembers() if m.isfile()}
    missing = sorted(set(tracked_files()) - inside)
    assert missing == [], f"missing from the sdist: {missing[:20]}"
    for needed in ("scenarios/moscow1945.yaml", "assets/ui/theme.json", "schemas/scenario.schema.json",
                   "schemas/script.schema.json", "docs/authoring.md", "README.md", "LICENSE"):
        assert needed in inside


def test_the_wheel_carries_the_package_and_its_data(dists: tuple[Path, Path]) -> None:
    _, wheel = dists
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in DATA:
        for path in sorted((ROOT / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(ROOT / name).as_posix()
                assert f"negotiation/data/{name}/{rel}" in names
    for path in sorted((ROOT / "src" / "negotiation").rglob("*.py")):
        assert path.relative_to(ROOT / "src").as_posix() in names
    assert "negotiation/py.typed" in names
    meta = zipfile.ZipFile(wheel).read(f"negotiation-{negotiation.__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {negotiation.__version__}\n" in meta  # the version is read from negotiation/__init__.py
    assert not any(n.startswith(("scenarios/", "assets/", "schemas/", "tests/")) for n in names)


@pytest.fixture(scope="module")
def venv(dists: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; its dependencies are this environment's."""
    _, wheel = dists
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # a path line in a .pth file puts this environment's packages (pydantic, pygame, ...) after the venv's own;
    # the .pth files there (this checkout's editable install) are not read, so the package comes from the wheel
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env_dir


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``negotiation`` command from ``cwd`` (outside the checkout)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", NEGOTIATION_DATA_DIR=str(cwd / "data"))
    return subprocess.run([str(venv / "bin" / "negotiation"), *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_the_installed_command_validates_and_simulates_bundled_scenarios(venv: Path, tmp_path: Path) -> None:
    out = run(venv, "--version", cwd=tmp_path)
    assert out.stdout.strip() == f"negotiation {negotiation.__version__}", out.stderr
    out = run(venv, "validate", "moscow1945", "moscow1950", "tutorial", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 3 and all(": ok — " in line for line in lines)
    assert lines[0].startswith(str(venv)) and "/negotiation/data/scenarios/moscow1945.yaml" in lines[0]
    out = run(venv, "simulate", "moscow1945", "--policy", "historical", "--runs", "2", "--json", "report.json",
              cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["games"] == 2 and report["runs"][0]["ending"]
    out = run(venv, "simulate", "moscow1945", "--policy", "scripted", "--script", "settle-7-august", "--runs", "1",
              "--json", "-", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["policy"] == "scripted"
    out = run(venv, "validate", "--format", "json", "moscow1945", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout == "[]\n", out.stderr


def test_the_installed_package_ships_its_schemas_where_the_bundled_files_point(venv: Path, tmp_path: Path) -> None:
    out = run(venv, "schema", "--install", "editor", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    for name in ("scenario.schema.json", "scenario-tests.schema.json", "script.schema.json"):
        assert f"$schema={(tmp_path / 'editor' / name).as_posix()}" in out.stdout
        assert (tmp_path / "editor" / name).read_text(encoding="utf-8") == (ROOT / "schemas" / name).read_text(
            encoding="utf-8")
    package = next(venv.glob("lib/python*/site-packages/negotiation"))
    bundled = sorted((package / "data" / "scenarios").rglob("*.yaml"))
    assert len(bundled) >= 8
    for path in bundled:  # every modeline (../schemas/...) leads to a schema inside the installed package
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = path.parent / first.removeprefix("# yaml-language-server: $schema=")
        assert target.resolve().is_file() and target.resolve().parent == package / "data" / "schemas", path


def test_the_installed_package_finds_its_data_and_draws_its_map(venv: Path, tmp_path: Path) -> None:
    code = (
        "import negotiation, negotiation.resources as r\n"
        "from negotiation import Game, load_file\n"
        "from negotiation.ui.geo import load_world, world_path\n"
        "g = Game(load_file(r.scenario_path()), 1)\n"
        "assert g.legal_actions()\n"
        "assert len(load_world().land) > 1000\n"
        "assert sorted(p.name for p in (r.assets_dir() / 'fonts').glob('*.otf'))\n"
        "for p in (negotiation.__file__, r.scenario_path(), world_path(), r.assets_dir(), r.schemas_dir()):\n"
        "    print(p)\n"
    )
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert out.returncode == 0, out.stderr
    package = Path(out.stdout.splitlines()[0]).parent
    assert package.is_relative_to(venv) and package.name == "negotiation"
    tails = [Path(p).relative_to(package).as_posix() for p in out.stdout.splitlines()[1:]]
    assert tails == ["data/scenarios/moscow1945.yaml", "data/assets/map/world.json.gz", "data/assets", "data/schemas"]
