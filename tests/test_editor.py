"""Issue 20, item 6: editors out of the box.

`monops init` writes the JSON Schemas and `.vscode/settings.json` mapping the catalog's globs
to them (`yaml.schemas`); every property has a description (hover help); monops.yaml's
schema is ready for a SchemaStore entry. `.ci/run` checks the schemas with Ajv in strict
mode.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema

from monops_lint.app.init import template_files
from monops_lint.source.yamlstrict import parse_yaml
from tests.conftest import REPO


def _glob_match(path: str, pattern: str) -> bool:
    # yaml-language-server's globs: `**/` matches any folders, `*` within one name
    if "**/" in pattern:
        head, tail = pattern.split("**/", 1)
        return path.startswith(head) and any(
            fnmatch.fnmatch(path[len(head):].split("/", i)[-1], tail)
            for i in range(path[len(head):].count("/") + 1))
    return fnmatch.fnmatch(path, pattern)


def test_init_maps_every_catalog_file_to_a_schema_it_passes() -> None:
    files = template_files(action_ref="a" * 40)
    settings = json.loads(files[".vscode/settings.json"])
    mapping: dict[str, list[str]] = settings["yaml.schemas"]
    for schema_path in mapping:
        assert schema_path.removeprefix("./") in files, schema_path
    assert settings["yaml.yamlVersion"] == "1.2"
    documents = [name for name in files if name.endswith((".yaml", ".yml"))
                 and not name.startswith((".github/", ".pre-commit"))]
    assert documents
    for name in documents:
        schemas = [s for s, globs in mapping.items() if any(_glob_match(name, g) for g in globs)]
        assert len(schemas) == 1, (name, schemas)
        schema = json.loads(files[schemas[0].removeprefix("./")])
        # read as the language server is told to (YAML 1.2: a date stays text)
        for document in parse_yaml(name, files[name].encode()).documents:
            jsonschema.Draft7Validator(schema).validate(document.data)


def test_init_writes_the_same_schemas_as_monops_schema_out() -> None:
    files = template_files(action_ref="a" * 40)
    written = {n: t for n, t in files.items() if n.startswith("schemas/")}
    assert written == {f"schemas/{p.name}": p.read_text() for p in (REPO / "schemas")
                       .glob("*.schema.json")}


def _properties(node: Any, where: str = "", in_if: bool = False
                ) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            if not in_if and isinstance(value, dict):
                yield f"{where}/{name}", value
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}", in_if or key == "if")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{where}/{i}", in_if)


def test_every_property_has_hover_help() -> None:
    for name in ("catalog.schema.json", "monops.schema.json"):
        schema = json.loads((REPO / "schemas" / name).read_text())
        for where, node in _properties(schema):
            # a `const` (each kind's `kind: plan`) is its own help: the one value allowed
            assert node.get("description") or "const" in node, f"{name}{where}: no description"
            for example in node.get("examples", []):
                # an example must be a value the field accepts
                resolved = dict(node)
                resolved["definitions"] = schema.get("definitions", {})
                jsonschema.Draft7Validator(resolved).validate(example)


def test_closed_sets_are_enums_and_defaults_are_the_real_ones() -> None:
    catalog = json.loads((REPO / "schemas/catalog.schema.json").read_text())["definitions"]
    assert catalog["plan"]["properties"]["billing_period"]["enum"] == \
        ["month", "quarter", "year", "one_time"]
    assert catalog["plan"]["properties"]["trial_days"]["default"] == 0
    config = json.loads((REPO / "schemas/monops.schema.json").read_text())["properties"]
    assert config["rounding"]["enum"] == ["half_up", "half_even"]
    # the defaults the schema shows are the ones monops applies
    from monops_lint.config import Config

    defaults = Config(root=Path("."))
    assert config["rounding"]["default"] == defaults.rounding
    assert config["max_file_bytes"]["default"] == defaults.max_file_bytes
    assert config["paths"]["default"] == list(defaults.paths)


def test_monops_yaml_schema_is_ready_for_schemastore() -> None:
    schema = json.loads((REPO / "schemas/monops.schema.json").read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"].startswith("https://") and schema["$id"].endswith(
        "monops.schema.json")
    assert schema["title"] and schema["description"]
    # the example config of this repository passes it
    parsed = parse_yaml("monops.yaml", (REPO / "monops.yaml").read_bytes())
    jsonschema.Draft7Validator(schema).validate(parsed.documents[0].data | {})
