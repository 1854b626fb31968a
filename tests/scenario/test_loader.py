"""Loading scenarios: every problem reported at once, located, with a hint to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation import ScenarioError, load_file, load_text
from negotiation.scenario.loader import content_hash

BAD = Path(__file__).parents[1] / "fixtures" / "bad"

EXPECTED = {
    "syntax.yaml": [
        "syntax.yaml:40:4: <document>: YAML syntax: did not find expected '-' indicator "
        "(check indentation and quoting)",
    ],
    "typo_key.yaml": [
        "typo_key.yaml:38:5: articles[0].title: Field required (add 'title')",
        "typo_key.yaml:39:5: articles[0].tittle: unknown key 'tittle' (did you mean 'title'?)",
    ],
    "bad_refs.yaml": [
        "bad_refs.yaml:55:20: phases[0].transitions[0].to: unknown phase 'wrap_up' (did you mean 'wrapup'?)",
        "bad_refs.yaml:73:5: decisions[0].article: unknown article 'harbour' (known: port)",
        "bad_refs.yaml:84:18: decisions[1].historical[0]: unknown position of 'port' 'halves' "
        "(known: ours, shared, theirs)",
        "bad_refs.yaml:99:79: endings[3].terms.port: unknown position of 'port' 'mine' (known: ours, shared, theirs)",
    ],
    "bad_expr.yaml": [
        "bad_expr.yaml:25:7: actors[2].ai.aspiration: bad expression at column 10: expected a value, found '*'",
        "bad_expr.yaml:96:43: endings[0].when: expression names unknown 'patiense' (did you mean 'patience'?)",
    ],
    "many.yaml": [
        "many.yaml:6:3: scenario.start_date: Input should be a valid date or datetime, day value is outside "
        "expected range (write a date as YYYY-MM-DD)",
        "many.yaml:13:6: actors[0].id: String should match pattern '^[a-z][a-z0-9_]*$' "
        "(use lower case letters, digits and _, starting with a letter)",
        "many.yaml:40:5: articles[0].weight: Input should be a valid number, unable to parse string as a number "
        "(write a number, e.g. 2.5)",
        "many.yaml:77:5: decisions[1].title: Field required (add 'title')",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_reports_exact_diagnostics(name: str) -> None:
    """Each broken fixture yields exactly its expected diagnostics, in file order."""
    with pytest.raises(ScenarioError) as info:
        load_file(BAD / name)
    got = [str(d).replace(str(BAD) + "/", "") for d in info.value.diagnostics]
    assert got == EXPECTED[name]


def test_every_bad_fixture_is_covered() -> None:
    """No fixture in bad/ goes untested."""
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


def test_reference_errors_are_found_even_when_an_item_is_invalid(mini_text: str) -> None:
    """A broken actor does not hide a wrong reference elsewhere in the file."""
    text = mini_text.replace("  - {id: envoy, name: The Envoy, side: a, role: player}",
                             "  - {id: envoy, name: The Envoy, side: a, role: player, age: 40}")
    text = text.replace("    article: port\n    text: The rival wants the port.",
                        "    article: harbour\n    text: The rival wants the port.")
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    messages = [d.message for d in info.value.diagnostics]
    assert "unknown key 'age'" in messages
    assert "unknown article 'harbour'" in messages


def test_error_summary_counts_problems(mini_text: str) -> None:
    """The exception text starts with the count, like pygame_gui's theme validation."""
    bad = mini_text.replace("historical: shared", "historical: nowhere").replace("start_phase: talks",
                                                                                   "start_phase: opening")
    with pytest.raises(ScenarioError, match=r"^scenario validation found 2 errors"):
        load_text(bad, "x.yaml")


def test_duplicate_keys_are_errors(mini_text: str) -> None:
    """YAML silently keeps the last duplicate key; an author's typo must not vanish that way."""
    text = mini_text.replace("    weight: 10\n", "    weight: 10\n    weight: 20\n")
    with pytest.raises(ScenarioError, match="duplicate key 'weight'"):
        load_text(text, "x.yaml")


def test_python_tags_are_refused(mini_text: str) -> None:
    """Scenario text is data: a Python object tag is a YAML error, never executed."""
    text = mini_text.replace("title: A small negotiation", "title: !!python/object/apply:os.system ['true']")
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    assert "python/object" in str(info.value)


@pytest.mark.parametrize("text,message", [
    ("", "the file is empty"),
    ("- a\n- b\n", "a scenario must be a mapping of keys"),
])
def test_empty_or_non_mapping_files(text: str, message: str) -> None:
    """Degenerate files get one clear error, not a traceback."""
    with pytest.raises(ScenarioError, match=message):
        load_text(text, "x.yaml")


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    """A wrong path says so."""
    with pytest.raises(ScenarioError, match="no such file"):
        load_file(tmp_path / "absent.yaml")


def test_hash_identifies_content(mini_text: str) -> None:
    """The content hash changes with any edit and is stable otherwise."""
    assert content_hash(mini_text) == content_hash(mini_text)
    assert content_hash(mini_text) != content_hash(mini_text + "\n# edit\n")
    assert load_text(mini_text).hash == content_hash(mini_text)


def test_scenario_models_are_immutable(mini_text: str) -> None:
    """The scenario is shared by every game, so it cannot be changed."""
    s = load_text(mini_text).scenario
    with pytest.raises(ValueError):
        s.articles[0].weight = 5  # type: ignore[misc]


def test_yaml_booleans_get_a_quoting_hint(mini_text: str) -> None:
    """YAML 1.1 reads 'no' as false: the author is told to quote it."""
    with pytest.raises(ScenarioError) as info:
        load_text(mini_text.replace("demand: theirs", "demand: no"), "x.yaml")
    (diag,) = info.value.diagnostics
    assert diag.field == "articles[0].demand" and "quote it if it is text" in diag.hint


def test_an_unknown_side_is_reported_once(mini_text: str) -> None:
    """A typo in counterpart_side is one error, not one more per rung of every ladder."""
    with pytest.raises(ScenarioError) as info:
        load_text(mini_text.replace("counterpart_side: b", "counterpart_side: bb"), "x.yaml")
    assert [d.message for d in info.value.diagnostics] == ["unknown side 'bb'"]


@pytest.mark.parametrize("name", ["signed", "date", "days", "min", "true", "phase"])
def test_names_the_expression_language_reserves_cannot_be_variables(mini_text: str, name: str) -> None:
    """A variable called 'signed' would shadow the treaty's signature in every condition."""
    text = mini_text.replace("  - {id: us_support, label: Support, initial: 0}",
                             f"  - {{id: us_support, label: Support, initial: 0}}\n  - {{id: '{name}', label: X}}")
    with pytest.raises(ScenarioError, match=f"'{name}' is a reserved name in expressions"):
        load_text(text, "x.yaml")


@pytest.mark.parametrize("text,message", [
    ("scenario: &a [*a]\n", "a circular document"),
    ("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)),
     "aliases expand this document beyond 250,000 values"),
    ("x: " + "[" * 100 + "]" * 100 + "\n", "nests deeper than 64 levels"),
])
def test_hostile_yaml_is_refused_with_a_diagnostic(text: str, message: str) -> None:
    """Circular aliases, a 'billion laughs' and absurd nesting: one clear error, no hang, no traceback."""
    with pytest.raises(ScenarioError, match=message):
        load_text(text, "x.yaml")


def test_shared_aliases_still_work(mini_text: str) -> None:
    """Ordinary anchors and aliases (one value used twice) load as before."""
    text = mini_text.replace("    counterpart: {ally_lever: 0.5}", "    counterpart: &cp {ally_lever: 0.5}")
    assert "&cp" in text
    assert load_text(text, "x.yaml").scenario.articles[0].counterpart.ally_lever == 0.5


def test_a_rising_ladder_is_reported_at_the_rung_that_rises(mini_text: str) -> None:
    text = mini_text.replace("{id: shared, label: Shared, text: The port is shared., value: {a: 50, b: 50}}",
                             "{id: shared, label: Shared, text: The port is shared., value: {a: 150, b: 50}}")
    text = text.replace("value: {a: 150,", "value: {a: 100,").replace(
        "{id: ours, label: Ours, text: The port is ours., value: {a: 100, b: 0}}",
        "{id: ours, label: Ours, text: The port is ours., value: {a: 40, b: 0}}")
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    (diag,) = info.value.diagnostics
    assert diag.field == "articles[0].positions[1].value.a"
    assert "'shared' is worth 100 to 'a', more than 'ours' above it (40)" in diag.message
