"""The JSON Schemas of the file formats, generated from the pydantic models.

Three kinds: ``scenario`` (a scenario file), ``tests`` (a playthrough-test file, ``*.tests.yaml``) and
``script`` (a strategy script for ``simulate --policy scripted``). Each is JSON Schema draft 2020-12 with a
stable ``$id`` (a name, not an address: nothing is fetched from it) and none of the OpenAPI keywords that
pydantic adds (``discriminator``), so that strict validators such as ajv accept them; a key's older names,
which the loader still reads, are listed as deprecated properties. The committed copies
in schemas/ (``make schema``) are shipped in the wheel as ``negotiation/data/schemas``.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import AliasChoices, BaseModel

from negotiation.scenario.models import Scenario
from negotiation.scenario.playtests import PlayTestFile
from negotiation.scenario.scripts import script_json_schema

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {"scenario": "schemas/scenario.schema.json", "tests": "schemas/scenario-tests.schema.json",
                "script": "schemas/script.schema.json"}
"""Where each schema is committed, relative to the checkout (written by `make schema`)."""
ID_BASE = "https://negotiation.invalid/schemas/"  # .invalid (RFC 2606) can never resolve: an identifier only
TITLES = {"scenario": "negotiation scenario", "tests": "negotiation playthrough tests",
          "script": "negotiation strategy script"}
NOT_JSON_SCHEMA = frozenset({"discriminator"})  # OpenAPI's; strict validators reject unknown keywords


def schema_id(kind: str) -> str:
    """The ``$id`` of a schema kind, e.g. ``https://negotiation.invalid/schemas/scenario.schema.json``."""
    return ID_BASE + file_name(kind)


def file_name(kind: str) -> str:
    """The file name of a schema kind (``scenario.schema.json``, ...)."""
    return PurePosixPath(SCHEMA_FILES[kind]).name


def _strip(node: Any) -> Any:
    """The schema without the keywords that are not JSON Schema (the union's ``oneOf`` still decides)."""
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k not in NOT_JSON_SCHEMA}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _models(root: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """Every model reachable from ``root`` through its fields' types, ``root`` first."""
    seen: set[type[BaseModel]] = set()
    stack = [root]
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        yield model
        for info in model.model_fields.values():
            stack.extend(_model_types(info.annotation))


def _model_types(tp: Any) -> Iterator[type[BaseModel]]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        yield tp
        return
    for arg in typing.get_args(tp):
        yield from _model_types(arg)


def _old_names(schema: dict[str, Any], root: type[BaseModel]) -> dict[str, Any]:
    """Accept every name the loader accepts: a field's other names (``us_lever``) as deprecated properties.

    Without them an editor would flag as errors files the game loads (those that migrate has not rewritten).
    """
    defs = schema.get("$defs", {})
    for model in _models(root):
        node = schema if model is root else defs.get(model.__name__)
        if node is None or "properties" not in node:
            continue
        for name, info in model.model_fields.items():
            choices = info.validation_alias
            if not isinstance(choices, AliasChoices):
                continue
            names = [c for c in choices.choices if isinstance(c, str)]
            primary = names[0] if names else name
            if primary not in node["properties"]:
                continue
            if primary in node.get("required", ()):  # would need a required-one-of: not written until needed
                raise ValueError(f"{model.__name__}.{name}: a required field with other names is not supported "
                                 "by the schema generator (negotiation.scenario.schema._old_names)")
            for old in names[1:]:
                node["properties"][old] = {**node["properties"][primary], "deprecated": True,
                                           "title": old, "description": f"The old name of '{primary}'."}
    return schema


def _finish(schema: dict[str, Any], kind: str, root: type[BaseModel] | None = None) -> dict[str, Any]:
    schema = _strip(schema)
    if root is not None:
        schema = _old_names(schema, root)
    schema["$schema"] = DRAFT
    schema["$id"] = schema_id(kind)
    schema["title"] = TITLES[kind]
    return schema


def scenario_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a scenario file."""
    return _finish(Scenario.model_json_schema(mode="validation"), "scenario", Scenario)


def tests_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a playthrough-test file (``<scenario>.tests.yaml``)."""
    return _finish(PlayTestFile.model_json_schema(mode="validation"), "tests", PlayTestFile)


def script_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a strategy script (a mapping, or a bare list of actions)."""
    schema = _finish(script_json_schema(), "script")
    schema["description"] = ("A strategy script for the scripted policy (negotiation simulate --policy scripted "
                             "--script FILE): a list of actions, or a mapping with actions, decisions and fallback.")
    return schema


BUILDERS = {"scenario": scenario_schema, "tests": tests_schema, "script": script_schema}


def schema_text(kind: str = "scenario") -> str:
    """A schema (``scenario``, ``tests`` or ``script``) as stable, pretty JSON text."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown schema kind {kind!r} (known: {', '.join(BUILDERS)})")
    return json.dumps(BUILDERS[kind](), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def modeline(path: str | Path) -> str:
    """The first line that points the YAML language server (VS Code's YAML extension, ...) at a schema file.

    An absolute path is written as it is, unless it holds a space, which would end the modeline's value:
    then as a ``file:`` URI (spaces as ``%20``). A relative path (a ``str``) is relative to the YAML file.
    """
    where = str(path)
    if isinstance(path, Path) and path.is_absolute():
        where = path.as_uri() if any(ch.isspace() for ch in str(path)) else path.as_posix()
    return f"# yaml-language-server: $schema={where}"


__all__ = ["BUILDERS", "ID_BASE", "SCHEMA_FILES", "file_name", "modeline", "scenario_schema", "schema_id",
           "schema_text", "script_schema", "tests_schema"]
