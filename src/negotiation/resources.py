"""Find the scenarios, assets and schemas shipped with the package (wheel) or beside it (checkout), and the user's data.

A wheel carries the checkout's scenarios/, assets/ and schemas/ as negotiation/data/<name> (pyproject.toml maps
them), so a path between them, such as a scenario's ``../schemas/`` modeline, holds in both places.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import traceback
from pathlib import Path

from negotiation.text import show

DEFAULT_SCENARIO = "moscow1945"
APP = "negotiation"


def data_dir() -> Path:
    """The user data folder (saves, the error log); NEGOTIATION_DATA_DIR overrides it. Pygame-free."""
    env = os.environ.get("NEGOTIATION_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs  # only when needed: the command line's fast paths never ask

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def error_log() -> Path:
    """The file unexpected errors are written to."""
    return data_dir() / "error.log"


def log_exception(exc: BaseException, context: str = "") -> Path | None:
    """Append an unexpected error's traceback to the error log; return the log, or None if it cannot be written."""
    log = error_log()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} {context}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return log


def _first_dir(*candidates: Path) -> Path:
    for c in candidates:
        if c.is_dir():
            return c
    return candidates[0]


def scenarios_dir() -> Path:
    """The folder of bundled scenarios: inside the installed package, else the checkout's scenarios/."""
    here = Path(__file__).resolve().parent
    return _first_dir(here / "data" / "scenarios", here.parents[1] / "scenarios")


def assets_dir() -> Path:
    """The folder of bundled assets (fonts, themes, images)."""
    here = Path(__file__).resolve().parent
    return _first_dir(here / "data" / "assets", here.parents[1] / "assets")


def schemas_dir() -> Path:
    """The folder of the JSON Schemas (scenario, playthrough tests, strategy scripts) shipped with the package."""
    here = Path(__file__).resolve().parent
    return _first_dir(here / "data" / "schemas", here.parents[1] / "schemas")


def bundled_scenarios() -> dict[str, Path]:
    """Scenario id (the file's stem) -> path, for every bundled scenario."""
    d = scenarios_dir()
    if not d.is_dir():
        return {}
    return {p.stem: p for p in sorted(d.glob("*.yaml")) if not p.name.endswith(".tests.yaml")}


def script_path(name: str) -> Path:
    """Resolve a strategy script given as a path or as the name of a bundled one (scenarios/scripts/)."""
    p = Path(name)
    if p.exists():
        return p
    for candidate in (scenarios_dir() / "scripts" / name, scenarios_dir() / "scripts" / f"{name}.yaml"):
        if candidate.is_file():
            return candidate
    bundled = sorted(x.stem for x in (scenarios_dir() / "scripts").glob("*.yaml"))
    raise FileNotFoundError(f"no script {name!r} (bundled: {', '.join(bundled) or 'none'}); give a path to a file")


def scenario_path(name: str | None = None) -> Path:
    """Resolve a scenario given as a path or a bundled id (default: the flagship)."""
    name = name or DEFAULT_SCENARIO
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    found = bundled_scenarios().get(name)
    if found is None:
        known = ", ".join(bundled_scenarios()) or "none"
        raise FileNotFoundError(f"no scenario {name!r} (bundled: {known}); give a path to a .yaml file")
    return found


def last_resort(exc: BaseException, context: str) -> int:
    """Report an unexpected error in one line (its traceback goes to the error log); return exit status 1."""
    log = log_exception(exc, context)
    where = f"details in {log}" if log else "the error log could not be written"
    with contextlib.suppress(OSError, ValueError):
        print(f"error: unexpected {type(exc).__name__}: {show(exc, 200)} ({where}; please report it)",
              file=sys.stderr)
    return 1
