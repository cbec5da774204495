"""What users read stays true: the README's rule table (checked here only), the schema files,
the commands."""

from __future__ import annotations

import json
import re

import jsonschema

from monops_lint import schema
from monops_lint.model import KINDS
from monops_lint.rules import all_rules
from tests.conftest import REPO


def _readme_rule_table() -> list[list[str]]:
    """The cells of each row of the README's rule table (after its header and rule line)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    header = lines.index("| rule | default | what it catches |")
    assert lines[header + 1] == "|---|---|---|"
    rows = []
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break  # the table ends at the first line that is not a row
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_readme_rule_table_is_the_registry() -> None:
    # The one check of the README's rule table: a row per built-in rule (custom rules,
    # `team/...`, are the catalog's own), with its default severity, and no other row.
    rules = {rule.id: rule for rule in all_rules().values() if "/" not in rule.id}
    rows = _readme_rule_table()
    assert all(len(row) == 3 and re.fullmatch(r"`[a-z0-9-]+`", row[0]) for row in rows), \
        "every row of README.md's rule table is | `rule-id` | severity | what it catches |"
    ids = [row[0].strip("`") for row in rows]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"README.md's rule table lists these rules twice: {twice}"
    missing, unknown = sorted(set(rules) - set(ids)), sorted(set(ids) - set(rules))
    assert not missing, f"README.md's rule table lacks {missing}"
    assert not unknown, f"README.md's rule table lists rules that do not exist: {unknown}"
    for rule_id, severity, catches in rows:
        rule = rules[rule_id.strip("`")]
        assert severity == str(rule.severity), f"README says {severity} for {rule.id}"
        # a diff rule runs only on `monops diff` and `lint --changed-since`: say so
        assert catches.startswith("(diff) ") == (rule.phase == "diff"), rule.id


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
    assert "lint-imports" in test  # the layers of docs/architecture.md


def test_every_subpackage_is_packaged() -> None:
    # A subpackage missing from pyproject.toml works in an editable install and breaks
    # `pip install .`: the quick start's install.
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {str(p.parent.relative_to(REPO)).replace("/", ".")
             for p in (REPO / "monops_lint").rglob("__init__.py")}
    assert found | {"monops_lint.schemas"} == listed


def test_format_choices_are_the_registries_keys() -> None:
    # The CLI writes its --format choices out (so `monops --help` imports no reporter):
    # they must be exactly the registries' keys.
    from monops_lint.cli.commands.diff import REVIEW_FORMATS
    from monops_lint.cli.commands.lint import LINT_FORMATS
    from monops_lint.cli.commands.render import INVOICE_FORMATS as RENDER_FORMATS
    from monops_lint.reporters.invoices import INVOICE_FORMATS
    from monops_lint.reporters.lint import LINT_REPORTERS
    from monops_lint.reporters.review import REVIEW_REPORTERS

    assert tuple(LINT_REPORTERS) == LINT_FORMATS
    assert tuple(REVIEW_REPORTERS) == REVIEW_FORMATS
    assert tuple(INVOICE_FORMATS) == RENDER_FORMATS
