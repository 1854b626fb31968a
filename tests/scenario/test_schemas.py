"""The JSON Schemas are sound JSON Schema 2020-12, accept what the game accepts and reject what it rejects."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
import yaml

from negotiation.actors.policies import POLICIES, ScriptedPolicy
from negotiation.cli import main
from negotiation.errors import NegotiationError
from negotiation.scenario.schema import SCHEMA_FILES, file_name, schema_id, schema_text
from negotiation.scenario.scripts import FALLBACKS

ROOT = Path(__file__).parents[2]
SCENARIOS = ROOT / "scenarios"
FIXTURES = ROOT / "tests" / "fixtures"


class _TextDates(yaml.SafeLoader):
    """YAML as an editor's language server reads it: a date stays text (the schema says string, format date)."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), _TextDates)  # a SafeLoader: safe


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_text(kind))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def errors(kind: str, data: Any) -> list[tuple[str, str]]:
    """(path, message) of every schema error, e.g. ('articles/0/tittle', "Additional properties ...")."""
    return sorted(("/".join(map(str, e.absolute_path)), e.message) for e in validator(kind).iter_errors(data))


def keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from keys(v)


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_each_schema_is_valid_draft_2020_12_with_a_stable_id_and_no_openapi_keyword(kind: str) -> None:
    schema = json.loads(schema_text(kind))
    jsonschema.Draft202012Validator.check_schema(schema)  # the meta-schema: raises on an invalid schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == schema_id(kind) == f"https://negotiation.invalid/schemas/{file_name(kind)}"
    assert "discriminator" not in set(keys(schema))  # ajv's strict mode refuses it (an OpenAPI keyword)
    assert SCHEMA_FILES[kind] == f"schemas/{file_name(kind)}"


BUNDLED = [("scenario", p) for p in sorted(SCENARIOS.glob("*.yaml")) if not p.name.endswith(".tests.yaml")] + [
    ("tests", p) for p in sorted(SCENARIOS.glob("*.tests.yaml"))] + [
    ("script", p) for p in sorted((SCENARIOS / "scripts").glob("*.yaml"))]


@pytest.mark.parametrize(("kind", "path"), BUNDLED, ids=[p.name for _, p in BUNDLED])
def test_every_bundled_file_is_valid_against_its_schema(kind: str, path: Path) -> None:
    assert errors(kind, read(path)) == []


def test_every_bundled_file_names_its_schema_by_a_path_that_holds_in_the_checkout_and_the_wheel() -> None:
    """scenarios/ and schemas/ sit side by side in both (negotiation/data/ in the wheel): ../schemas/ holds."""
    assert len(BUNDLED) >= 8
    for kind, path in BUNDLED:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), path
        target = (path.parent / first.removeprefix(prefix)).resolve()
        assert target == (ROOT / SCHEMA_FILES[kind]).resolve(), path


def test_a_typo_and_a_wrong_type_are_flagged_where_they_are() -> None:
    data = read(FIXTURES / "mini.yaml")
    assert errors("scenario", data) == []
    data["articles"][0]["tittle"] = data["articles"][0].pop("title")
    data["articles"][0]["weight"] = "heavy"
    found = errors("scenario", data)
    assert ("articles/0", "'title' is a required property") in found
    assert any(p == "articles/0" and "'tittle' was unexpected" in m for p, m in found)
    assert any(p == "articles/0/weight" for p, _ in found)


def test_an_old_key_name_the_loader_reads_is_accepted_and_marked_deprecated() -> None:
    schema = json.loads(schema_text("scenario"))
    props = schema["$defs"]["ArticleAI"]["properties"]
    assert props["us_lever"]["deprecated"] is True and props["us_lever"]["type"] == props["ally_lever"]["type"]
    data = read(FIXTURES / "mini.yaml")
    data["articles"][0].setdefault("counterpart", {})["us_lever"] = 0.5
    assert errors("scenario", data) == []


SCRIPTS: list[tuple[Any, bool]] = [
    (["hold", "accept"], True),
    ({"decisions": {"d1": "hold", "d2": ["counter:y25", "accept"]}, "fallback": "greedy"}, True),
    ({"actions": ["sign"]}, True),
    ({}, True),
    ({"fallback": "cleverest"}, False),
    ({"decisions": {"d1": 3}}, False),
    ({"actions": "hold"}, False),
    ({"moves": ["hold"]}, False),
    ("hold", False),
]


@pytest.mark.parametrize(("script", "valid"), SCRIPTS)
def test_the_script_schema_agrees_with_the_scripted_policy(script: Any, valid: bool) -> None:
    assert (errors("script", script) == []) is valid
    if valid:
        ScriptedPolicy(script)
    else:
        with pytest.raises(NegotiationError):
            ScriptedPolicy(script)


def test_a_script_may_fall_back_on_every_policy_but_itself() -> None:
    assert set(FALLBACKS) == set(POLICIES) - {"scripted"}


MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)  # the value ends at a space


@pytest.mark.parametrize("folder", ["schemas", "editor schemas"])
def test_schema_install_writes_every_schema_and_prints_a_modeline_for_each(tmp_path: Path, folder: str,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / folder
    assert main(["schema", "--install", str(target)]) == 0
    printed = MODELINE.findall(capsys.readouterr().out)
    assert len(printed) == len(SCHEMA_FILES)
    for kind, where in zip(SCHEMA_FILES, printed, strict=True):
        path = target / file_name(kind)
        assert path.read_text(encoding="utf-8") == schema_text(kind)
        # as the language server reads it: an absolute path, or a file: URI when the path has a space
        read_back = Path(unquote(urlparse(where).path)) if where.startswith("file:") else Path(where)
        assert read_back.is_absolute() and read_back.resolve() == path.resolve()
        assert where.startswith("file:") == (" " in folder)
    assert sorted(p.name for p in target.iterdir()) == sorted(file_name(k) for k in SCHEMA_FILES)


def test_schema_install_and_output_do_not_mix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--install", str(tmp_path), "-o", str(tmp_path / "x.json")]) == 1
    assert "--install writes every schema" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
