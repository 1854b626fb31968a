"""The layers, enforced mechanically: who may import what, and no code from data."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "negotiation"

# package -> packages of ours it may import (besides itself, errors and resources)
LAYERS = {
    "scenario": set(),
    "engine": {"scenario"},
    "scoring": {"engine", "scenario"},
    "persist": {"engine", "scenario"},
    "actors": {"engine", "scenario", "scoring"},
    "present": {"engine", "scenario", "scoring"},
    "sim": {"actors", "engine", "scenario", "scoring", "persist", "present"},
    "client": {"present", "persist", "engine", "scenario", "scoring", "actors", "sim"},
    "terminal": {"client", "present", "sim", "actors", "engine", "scenario", "scoring", "persist"},
    "report": {"sim", "actors", "engine", "scenario", "scoring", "persist"},
    "rl": {"present", "actors", "engine", "scenario", "scoring"},
    "agent": {"terminal", "present", "actors", "engine", "scenario", "scoring"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layers_import_only_downwards(layer: str) -> None:
    allowed = LAYERS[layer] | {layer, "errors", "resources"}
    for path in (SRC / layer).rglob("*.py"):
        for name in imports_of(path):
            if name.startswith("negotiation."):
                part = name.split(".")[1]
                assert part in allowed, f"{path.relative_to(SRC)} imports {name}"


def test_only_the_ui_imports_pygame_and_only_the_machine_imports_transitions() -> None:
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        names = imports_of(path)
        if not rel.startswith("ui/"):
            assert not any(n == "pygame" or n.startswith("pygame") for n in names), rel
        if rel != "engine/machine.py":
            assert not any(n.startswith("transitions") for n in names), rel


def test_importing_the_engine_and_tools_does_not_import_pygame() -> None:
    code = ("import sys, negotiation, negotiation.sim, negotiation.persist, negotiation.cli, negotiation.terminal;"
            "print('pygame' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_eval_exec_pickle_or_unsafe_yaml_in_the_package() -> None:
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                assert name not in ("eval", "exec", "compile") or isinstance(func, ast.Attribute), path
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    assert (func.value.id, func.attr) not in {("yaml", "load"), ("pickle", "load"),
                                                              ("pickle", "loads"), ("yaml", "unsafe_load")}, path
