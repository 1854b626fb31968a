"""The examples in the authoring docs are real: the tutorial's fragments are in its files, the test-file
examples validate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotiation.scenario.playtests import load_tests_text

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_every_fragment_of_the_tutorial_is_copied_from_its_files() -> None:
    sources = [(ROOT / "scenarios" / name).read_text(encoding="utf-8") for name in ("tutorial.yaml",
                                                                                     "tutorial.tests.yaml")]
    blocks = yaml_blocks((DOCS / "authoring.md").read_text(encoding="utf-8"))
    assert len(blocks) >= 15
    for block in blocks:
        for chunk in block.strip("\n").split("\n\n"):
            assert any(chunk in text for text in sources), f"not in the tutorial's files:\n{chunk}"


def test_the_format_in_brief_is_a_valid_test_file() -> None:
    text = (DOCS / "playtests.md").read_text(encoding="utf-8")
    quoted = "\n".join(line[2:] for line in text.splitlines() if line.startswith("> "))
    brief = yaml_blocks(quoted)[0]
    loaded = load_tests_text(brief, "brief.tests.yaml")
    assert [t.name for t in loaded.tests.tests] == ["playing history reproduces the treaty",
                                                    "a walkout on 7 August breaks the talks"]


@pytest.mark.parametrize("page", ["authoring.md", "playtests.md", "reference.md", "lint-codes.md"])
def test_links_between_the_pages_resolve(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (DOCS / target).resolve().exists(), f"{page} links to missing {target}"
