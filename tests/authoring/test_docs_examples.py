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


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_links_between_the_pages_resolve(page: str) -> None:
    """Every relative link of every page names a file that exists, and its #anchor a heading of that file."""
    text = (DOCS / page).read_text(encoding="utf-8")
    for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)", text):
        if "://" in target or target.startswith("mailto:"):
            continue
        path = (DOCS / target).resolve() if target else DOCS / page
        assert path.exists(), f"{page} links to missing {target}"
        if anchor and path.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.M)
            assert anchor in {_slug(h) for h in headings}, f"{page} links to missing #{anchor} in {path.name}"
