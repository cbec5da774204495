"""What users read stays true: the README's rule table, the schema files, the commands."""

from __future__ import annotations

import json
import re

import jsonschema

from monops_lint import schema
from monops_lint.model import KINDS
from monops_lint.rules import all_rules
from tests.conftest import REPO


def test_readme_lists_every_rule_with_its_default_severity() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \|", readme, re.MULTILINE))
    for rule in all_rules().values():
        if "/" in rule.id:
            continue
        assert rule.id in rows, f"README.md's rule table lacks {rule.id}"
        assert rows[rule.id] == str(rule.severity), f"README says {rows[rule.id]} for {rule.id}"


def test_schema_files_match_monops_schema_output() -> None:
    for name in (*KINDS, "catalog"):
        on_disk = json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())
        assert on_disk == schema.schema_for(name), f"run `monops schema --out schemas` ({name})"
    config = json.loads((REPO / "schemas" / "monops.schema.json").read_text())
    assert config == schema.schema_for("config")


def test_schemas_are_valid_draft_07() -> None:
    for name in (*KINDS, "catalog", "config"):
        document = schema.schema_for(name)
        assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
        jsonschema.Draft7Validator.check_schema(document)


def test_readme_quick_start_has_exactly_two_command_lines() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", quick, re.DOTALL)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    install, test = (b.strip() for b in blocks)
    assert "pip install ." in install and "monops lint" in install and "monops diff" in install
    assert "'.[test]'" in test and "pytest" in test and "ruff" in test and "mypy" in test


def test_every_subpackage_is_packaged() -> None:
    # A subpackage missing from pyproject.toml works in an editable install and breaks
    # `pip install .`: the quick start's install.
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {str(p.parent.relative_to(REPO)).replace("/", ".")
             for p in (REPO / "monops_lint").rglob("__init__.py")}
    assert found | {"monops_lint.schemas"} == listed
