"""The layers, enforced mechanically: who may import what, no cycles, and no code from data.

Every import of ours counts: ``import negotiation.x``, ``from negotiation.x import y``,
``from negotiation import x`` (the module ``x``), ``from negotiation import Game`` (the root package),
relative imports, and imports inside functions or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "negotiation"
ROOT = "__init__"  # the root package, negotiation/__init__.py

# The foundation every layer may use: pygame-free, dependency-free helpers.
BASE = frozenset({"text", "errors", "resources"})

# unit (a package, or a module at the top of the package) -> the units of ours it may import (besides itself).
# Lower layers first. A new package or module must get a row here (test_every_unit_has_a_row).
LAYERS: dict[str, frozenset[str]] = {
    "text": frozenset(),
    "errors": frozenset({"text"}),
    "resources": frozenset({"text"}),
    "scenario": BASE,
    "engine": BASE | {"scenario"},
    "scoring": BASE | {"engine", "scenario"},
    "persist": BASE | {"engine", "scenario"},
    "actors": BASE | {"engine", "scenario", "scoring"},
    "sim": BASE | {"actors", "engine", "scenario", "scoring", "persist", "present"},
    "present": BASE | {"engine", "scenario", "scoring"},  # the pygame-free presenter (words at the edge)
    "client": BASE | {"present", "persist", "engine", "scenario", "scoring", "actors", "sim"},
    ROOT: BASE | {"engine", "scenario"},  # the public API: Game, load_file, the errors
    "terminal": BASE | {ROOT, "present", "client", "sim", "actors", "engine", "scenario", "scoring", "persist"},
    "ui": BASE | {ROOT, "present", "client", "sim", "actors", "engine", "scenario", "scoring", "persist"},
    "progress": BASE,  # the progress bar of long commands (tqdm), silent off a terminal
    "report": BASE | {"sim", "actors", "engine", "scenario", "scoring", "persist"},  # plots of results
    "rl": BASE | {"present", "actors", "engine", "scenario", "scoring"},  # the Gymnasium environment
    "agent": BASE | {"terminal", "present", "actors", "engine", "scenario", "scoring"},  # the JSON-lines protocol
    "cli": BASE | {ROOT, "ui", "terminal", "present", "client", "sim", "actors", "engine", "scenario", "scoring",
                   "persist", "progress", "report", "agent"},
    "__main__": frozenset({"cli"}),
}
PLANNED = frozenset({"present", "client"})  # rows for packages not written yet: allowed to be missing

# Cycles between the modules of one package that are tolerated for now, by package. The window's
# screens and its App know each other: ui/gamebase.py imports Session from ui/app.py at module level,
# ui/app.py imports every screen (inside functions), and the screens import App for their types.
# To be removed when Session and an App protocol move to a module of their own (the ui's owner).
INTRA_PACKAGE_CYCLES_ALLOWED = frozenset({"ui"})


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = module_names()


def _type_only(tree: ast.AST) -> set[int]:
    """The ids of the statements under ``if TYPE_CHECKING:`` (imported for annotations, never run)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
            (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
            or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
        ):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def imported_modules(name: str, runtime: bool = False) -> set[str]:
    """The modules of ours that module ``name`` imports, resolved as Python would (relative ones too).

    ``from a import b`` depends on ``a.b`` when that is a module, else on ``a``; the parents that
    Python imports on the way are not dependencies. With ``runtime``, imports made only for type
    checking (under ``if TYPE_CHECKING:``) are left out: they cannot make an import cycle.
    """
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def closest(dotted: str) -> str | None:
        while dotted and dotted not in MODULES:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_only(tree) if runtime else set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in MODULES else module for a in node.names]
        else:
            continue
        for t in targets:
            if t == "negotiation" or t.startswith("negotiation."):
                hit = closest(t)
                if hit is not None and hit != name:
                    found.add(hit)
    return found


def unit_of(module: str) -> str:
    """``negotiation.engine.game`` -> ``engine``; ``negotiation.cli`` -> ``cli``; ``negotiation`` -> the root."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ROOT


def unit_imports() -> dict[str, set[str]]:
    """unit -> the other units it imports."""
    graph: dict[str, set[str]] = {}
    for name in MODULES:
        unit = unit_of(name)
        graph.setdefault(unit, set()).update(u for u in map(unit_of, imported_modules(name)) if u != unit)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_every_unit_has_a_row() -> None:
    """A new package or top-level module cannot slip in without a place in the layers."""
    units = {unit_of(name) for name in MODULES}
    assert units - set(LAYERS) == set(), "add a row to LAYERS for these"
    assert set(LAYERS) - units <= PLANNED, "rows for units that do not exist (and are not planned)"


@pytest.mark.parametrize("unit", sorted(LAYERS))
def test_layers_import_only_downwards(unit: str) -> None:
    allowed = LAYERS[unit] | {unit}
    for name in MODULES:
        if unit_of(name) != unit:
            continue
        for target in imported_modules(name):
            assert unit_of(target) in allowed, f"{name} imports {target}"


def test_there_are_no_cycles_between_units() -> None:
    assert cycles(unit_imports()) == []


def test_there_are_no_cycles_between_the_modules_of_a_package() -> None:
    """At run time: a module may name another's types under ``if TYPE_CHECKING:`` that imports it."""
    graph = {name: imported_modules(name, runtime=True) for name in MODULES}
    bad = [c for c in cycles(graph) if not {unit_of(m) for m in c} <= INTRA_PACKAGE_CYCLES_ALLOWED]
    assert bad == []


def test_the_import_finder_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The checks above are only as good as the import finder: it resolves each form of import."""
    assert "negotiation.sim.trace" in imported_modules("negotiation.cli")  # from negotiation.sim.trace import (lazy)
    assert "negotiation.persist" in imported_modules("negotiation.cli")  # from negotiation import persist
    assert imported_modules("negotiation.__main__") == {"negotiation.cli"}  # from negotiation.cli import main
    assert "negotiation.engine.counterparts" in imported_modules("negotiation.engine.game")
    assert "negotiation.engine" not in imported_modules("negotiation.engine.game")  # the parent is no dependency
    assert "negotiation.engine.game" in imported_modules("negotiation.engine.moves")  # for its annotations
    assert "negotiation.engine.game" not in imported_modules("negotiation.engine.moves", runtime=True)
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_relative_imports_are_resolved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pkg = tmp_path / "negotiation" / "engine"
    pkg.mkdir(parents=True)
    (tmp_path / "negotiation" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "x.py").write_text("from . import y\nfrom ..ui import app\nfrom .y import z\n")
    (pkg / "y.py").write_text("")
    (tmp_path / "negotiation" / "ui").mkdir()
    (tmp_path / "negotiation" / "ui" / "__init__.py").write_text("")
    (tmp_path / "negotiation" / "ui" / "app.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path / "negotiation")
    monkeypatch.setattr(sys.modules[__name__], "MODULES", module_names())
    assert imported_modules("negotiation.engine.x") == {"negotiation.engine.y", "negotiation.ui.app"}


def test_only_the_ui_imports_pygame_and_only_the_machine_imports_transitions() -> None:
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        if not rel.startswith("ui/"):
            assert not any(n == "pygame" or n.startswith("pygame") for n in names), rel
        if rel != "engine/machine.py":
            assert not any(n.startswith("transitions") for n in names), rel


def test_importing_the_engine_and_tools_does_not_import_pygame() -> None:
    code = ("import sys, negotiation, negotiation.sim, negotiation.persist, negotiation.cli, negotiation.terminal,"
            " negotiation.text, negotiation.resources; print('pygame' in sys.modules)")
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


def _runtime_ui_imports(path: Path) -> set[str]:
    """The modules of negotiation.ui a module imports when it runs (at the top or inside functions), leaving
    out the imports made for the type checker only (``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "negotiation.ui":
                out |= {a.name for a in node.names}
            elif node.module.startswith("negotiation.ui."):
                out.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[2] for a in node.names if a.name.startswith("negotiation.ui.")}
    return out


def test_no_screen_imports_the_app_and_the_window_has_no_import_circle() -> None:
    """The app reaches the screens through one module (ui/screens.py); no screen imports the app or that
    module, and no module of ui/ imports itself back through others, even inside a function (issue 8)."""
    graph = {p.stem: _runtime_ui_imports(p) - {p.stem} for p in (SRC / "ui").glob("*.py") if p.stem != "__init__"}
    for name, deps in graph.items():
        if name != "app":
            assert "app" not in deps, f"ui/{name}.py imports the app"
        if name not in ("app", "screens"):
            assert "screens" not in deps, f"ui/{name}.py imports ui/screens.py (ask the host: app.make(name))"
    screens = {"title", "table", "views", "end", "menus"}
    assert screens <= graph["screens"] and not screens & graph["app"], "the app imports screens through one module"

    def visit(node: str, path: list[str]) -> None:
        for dep in graph.get(node, ()):
            assert dep not in path, "import circle: " + " -> ".join([*path, dep])
            visit(dep, [*path, dep])

    for name in graph:
        visit(name, [name])
