"""The research docs are real: their links resolve, their parameter paths resolve, their commands parse."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from negotiation.cli import build_parser
from negotiation.resources import scenario_path
from negotiation.scenario.loader import read_text, read_yaml
from negotiation.sim.sweep import resolve

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
PAGES = ["research.md", "sweeps.md", "policies.md", "rl.md", "agent-protocol.md", "report-example/README.md"]


@pytest.mark.parametrize("page", PAGES)
def test_links_resolve(page: str) -> None:
    path = DOCS / page
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
        if "://" not in target:
            assert (path.parent / target).resolve().exists(), f"{page} links to missing {target}"


def test_every_path_in_the_sweeps_table_names_a_number_of_the_flagship() -> None:
    flagship = str(scenario_path("moscow1945"))
    data, marks, _ = read_yaml(read_text(flagship), flagship)
    text = (DOCS / "sweeps.md").read_text(encoding="utf-8")
    paths = re.findall(r"^\| `([a-z_0-9.\[\]]+)` \|", text, re.M)
    assert len(paths) >= 10
    for path in paths:
        keys, kind, _ = resolve(path, data, flagship, marks)
        assert kind in ("float", "int", "date", "expr") and keys


def command_lines(text: str) -> list[list[str]]:
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line.split("#")[0].split("|")[0])
            while words and "=" in words[0]:  # PYTHONPATH=... negotiation ...
                words.pop(0)
            if words[:1] == ["negotiation"]:
                out.append(words[1:])
    return out


@pytest.mark.parametrize("page", ["README.md", "docs/research.md", "docs/sweeps.md", "docs/policies.md",
                                  "docs/report-example/README.md"])
def test_the_commands_in_the_docs_parse(page: str) -> None:
    commands = command_lines((ROOT / page).read_text(encoding="utf-8"))
    assert commands
    parser = build_parser()
    for argv in commands:
        args = parser.parse_args(argv)
        assert callable(args.func), argv
