"""The scenario models hold: immutable all the way down, finite numbers, bounded diagnostics."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest

from negotiation import LoadedScenario
from negotiation.errors import ScenarioError
from negotiation.scenario.loader import load_text
from negotiation.scenario.models import Scenario
from negotiation.scenario.playtests import load_tests_text


def _collections(obj: Any, path: str = "scenario") -> list[tuple[str, Any]]:
    """Every list-like or dict-like value reachable from a model, with its path."""
    from pydantic import BaseModel

    found: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [(path, obj)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, BaseModel):
            stack.extend((f"{where}.{k}", getattr(value, k)) for k in type(value).model_fields)
        elif isinstance(value, (list, tuple)):
            found.append((where, value))
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
        elif hasattr(value, "keys"):
            found.append((where, value))
            stack.extend((f"{where}[{k!r}]", v) for k, v in value.items())
    return found


def test_no_collection_of_a_loaded_scenario_can_change_in_place(mini: LoadedScenario, moscow: LoadedScenario) -> None:
    """Every list of the scenario is a tuple and every mapping read-only: the compiled rules cannot drift."""
    for loaded in (mini, moscow):
        found = _collections(loaded.scenario)
        assert len(found) > 20
        for where, value in found:
            assert not isinstance(value, (list, dict)), f"{where} is a mutable {type(value).__name__}"
    article = moscow.scenario.articles[0]
    with pytest.raises(TypeError):
        article.positions[0].value["roc"] = 0  # type: ignore[index]
    with pytest.raises(AttributeError):
        moscow.scenario.decisions.append(moscow.scenario.decisions[0])  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        moscow.scenario.scenario.sources["x"] = "y"  # type: ignore[index]


def test_defaults_are_immutable_too(mini: LoadedScenario) -> None:
    """A field left out takes an empty tuple or read-only mapping, not a fresh list or dict."""
    ending = mini.scenario.endings[0]
    with pytest.raises(TypeError):
        ending.terms["port"] = "ours"  # type: ignore[index]


def test_a_frozen_scenario_dumps_and_validates_back(mini: LoadedScenario) -> None:
    """model_dump and JSON dumps still work, and give back the same scenario."""
    again = Scenario.model_validate(mini.scenario.model_dump())
    assert again == mini.scenario
    assert Scenario.model_validate_json(mini.scenario.model_dump_json()) == mini.scenario


@pytest.mark.parametrize("bad", [".nan", ".inf", "-.inf", ".NaN"])
def test_nan_and_infinity_are_refused_with_their_location(mini_text: str, bad: str) -> None:
    """No NaN or infinity in scenario numbers: the diagnostic names the line of the value."""
    text = mini_text.replace("weight: 10", f"weight: {bad}", 1)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if f"weight: {bad}" in x)
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    (diag,) = [d for d in info.value.diagnostics if d.field == "articles[0].weight"]
    assert diag.line == line
    assert "finite" in diag.message


def test_nan_in_a_mapping_of_numbers_is_refused(mini_text: str) -> None:
    text = mini_text.replace("value: {a: 100, b: 0}", "value: {a: .nan, b: 0}", 1)
    with pytest.raises(ScenarioError, match=r"positions\[0\]\.value\.a: Input should be a finite number"):
        load_text(text, "x.yaml")


def test_nan_is_refused_in_test_files() -> None:
    text = "tests:\n  - name: t\n    play: [historical]\n    expect: {variables: {patience: .nan}}\n"
    with pytest.raises(ScenarioError, match=r"4:\d+: tests\[0\]\.expect\.variables\.patience"):
        load_tests_text(text, "t.tests.yaml")


def test_test_file_models_are_immutable() -> None:
    text = "tests:\n  - name: t\n    play: [historical]\n    expect: {variables: {patience: 3}, holds: [x]}\n"
    loaded = load_tests_text(text, "t.tests.yaml")
    for where, value in _collections(loaded.tests):
        assert not isinstance(value, (list, dict)), where


def test_constant_overflow_in_a_formula_is_refused_at_validation(mini_text: str) -> None:
    """A formula of constants beyond a float is a located validation error, not a crash at play."""
    huge = " * ".join(["999999999999999"] * 21)
    text = mini_text.replace('sign_aspiration: "40"', f'sign_aspiration: "{huge}"')
    with pytest.raises(ScenarioError, match=r"actors\[2\]\.ai\.sign_aspiration: the expression .* too large"):
        load_text(text, "x.yaml")


def _many_unknown_names(mini_text: str, n: int) -> str:
    conds = "".join(f"  - {{id: e{i}, title: E, when: 'nosuch_{i} > 1'}}\n" for i in range(n))
    return mini_text.replace("endings:\n", "endings:\n" + conds, 1)


def test_suggestions_are_bounded_per_file(mini_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A thousand unknown names: every one reported, but 'did you mean' is computed for a bounded few."""
    calls = 0
    real = difflib.get_close_matches

    def counting(*args: Any, **kwargs: Any) -> list[str]:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    text = _many_unknown_names(mini_text, 1000)
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    unknown = [d for d in info.value.diagnostics if "names unknown" in d.message]
    assert len(unknown) == 1000
    assert calls <= 120, calls
    assert any("did you mean 'patience'" not in d.message for d in unknown)


def test_a_huge_bad_key_is_not_echoed_whole(mini_text: str) -> None:
    """A 5 MB key is reported, cut to a readable length."""
    key = "k" * 5_000_000  # YAML allows a long key only as an explicit one ('? key')
    text = mini_text.replace("  title: A small negotiation\n", f"  title: A small negotiation\n  ? {key}\n  : 1\n", 1)
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    message = str(info.value)
    assert "unknown key 'kkkk" in message
    assert len(message) < 5_000


@pytest.mark.parametrize("ch,escaped", [("\x1b", "\\x1b"), ("\x07", "\\x07"), ("\u202e", "\\u202e")])
def test_control_characters_in_a_reported_value_are_escaped(mini_text: str, ch: str, escaped: str) -> None:
    """Escape sequences in a bad value (written as YAML escapes) reach the terminal as text, not as commands."""
    code = f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
    text = mini_text.replace("historical: [hold, counter:shared]", f'historical: [hold, "co{code}[2Junter"]', 1)
    assert text != mini_text
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    message = str(info.value)
    assert ch not in message
    assert escaped in message


@pytest.mark.parametrize("ch", ["\x07", "\x1b", "\x00", "\x7f"])
def test_a_raw_control_character_is_reported_where_it_is(mini_text: str, ch: str) -> None:
    """A control character YAML refuses is located at its own line and column, not at 1:1."""
    text = mini_text.replace("title: The port\n", f"title: The p{ch}ort\n", 1)
    line = next(i for i, x in enumerate(text.splitlines(), 1) if ch in x)
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    (diag,) = info.value.diagnostics
    assert (diag.line, diag.column) == (line, text.splitlines()[line - 1].index(ch) + 1)
    assert ch not in str(info.value)


@pytest.mark.parametrize("value", [
    "!!timestamp x", "!!bool x", "!!int x", "!!float x", "!!binary x", "!!set x", "!!omap x", "!!int 0x",
    "!!timestamp 2020-13-45", "!!python/name:os.system x", "!!python/object/apply:os.system [ls]", "!!str [1]",
    "!!merge x", "!!value x", "!!yaml x", "!!float .", "!!null x",
])
def test_explicit_yaml_tags_are_located_errors_never_crashes(value: str) -> None:
    """The one-line files of issue 9 (and their kin) give a located ScenarioError, nothing else."""
    with pytest.raises(ScenarioError) as info:
        load_text(f"title: {value}\n", "x.yaml")
    assert all(d.file == "x.yaml" and d.line >= 1 for d in info.value.diagnostics)


@pytest.mark.parametrize("value", ["!!timestamp x", "!!bool x", "!!int x"])
def test_a_tag_that_does_not_fit_its_value_names_the_tag_and_the_line(mini_text: str, value: str) -> None:
    text = mini_text.replace("  title: A small negotiation\n", f"  title: {value}\n", 1)
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    (diag,) = [d for d in info.value.diagnostics if d.field == "scenario.title"]
    assert diag.line == 5
    assert "cannot be read as !!" in diag.message


def test_tagged_keys_are_located_errors() -> None:
    with pytest.raises(ScenarioError, match=r"x.yaml:1:1: \?: the key 'x' cannot be read as !!timestamp"):
        load_text("!!timestamp x: 1\n", "x.yaml")


def test_a_file_over_the_size_cap_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    from negotiation.scenario.loader import MAX_FILE_BYTES, load_file

    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    with pytest.raises(ScenarioError, match="larger than"):
        load_file(big)


def test_a_file_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    from negotiation.scenario.loader import load_file

    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(ScenarioError, match=r"bad.yaml:2:4: .*not UTF-8"):
        load_file(bad)


def test_a_line_spoken_by_an_unknown_actor_is_refused(mini_text: str) -> None:
    """A line's speaker must be one of the scenario's actors, like a decision's or an event's."""
    from negotiation import ScenarioError, load_text

    text = mini_text.replace("      walkout_break: \"0.5\"\n",
                             "      walkout_break: \"0.5\"\n      lines: {refuse: [{text: No., speaker: rivel}]}\n")
    assert "lines: {refuse" in text
    with pytest.raises(ScenarioError, match=r"speaker: unknown actor 'rivel' \(did you mean 'rival'\?\)"):
        load_text(text, "x.yaml")
