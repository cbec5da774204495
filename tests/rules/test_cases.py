"""Every rule's fixture file (tests/rules/cases/<rule-id>.yaml), one test per case.

A case builds a catalog - its own ``files`` (and ``raw_files``, whose
characters are taken as bytes, for broken encodings; and optionally a
``config``), or a copy of the example catalog with ``edits`` (``base:
example``) - lints it, and compares the findings *of that rule* with
``expect``: a list of ``{path, line, column, message, hint}`` (``message``
and ``hint`` are optional substrings). ``expect: []`` is a passing case: the
rule must stay silent. With ``severity``, every finding of the rule has it.
The form is described in tests/rules/fixtures.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from monops_lint.findings import Finding
from monops_lint.rules import all_rules
from tests.conftest import TODAY, lint_root, write_catalog
from tests.rules.example_twin import apply_edits, copy_example, edits_of
from tests.rules.fixtures import RuleCase, read_fixtures

FIXTURES = read_fixtures()


def _load_cases() -> list[Any]:
    return [pytest.param(case, id=f"{fixture}: {case.name}")
            for fixture, cases in FIXTURES.items() for case in cases]


def _catalog(case: RuleCase, root: Path) -> Path:
    if case.on_example:
        copy_example(root)
        apply_edits(root, edits_of(case))
        return root
    files: dict[str, str | bytes] = dict(case.data.get("files", {}))
    for name, content in case.data.get("raw_files", {}).items():
        files[name] = content.encode("latin-1")  # each code point one byte: for bad encodings
    return write_catalog(root, files, case.data.get("config"))


def check_findings(case: RuleCase, found: list[Finding]) -> None:
    """Assert that ``found``, the findings of ``case.rule``, are what ``case`` expects."""
    expected = case.data["expect"]
    got = [(f.location.path, f.location.line, f.location.column) for f in found]
    want = [(e["path"], e["line"], e["column"]) for e in expected]
    assert sorted(got) == sorted(want), "\n".join(str(f.location) + " " + f.message for f in found)
    for expectation in expected:
        here = [f for f in found if (f.location.path, f.location.line, f.location.column)
                == (expectation["path"], expectation["line"], expectation["column"])]
        for field in ("message", "hint"):
            if field in expectation:
                texts = [getattr(f, field) for f in here]
                assert any(expectation[field] in t for t in texts), texts
    if "severity" in case.data:
        assert {str(f.severity) for f in found} <= {case.data["severity"]}, \
            [f"{f.location} {f.severity}" for f in found]


@pytest.mark.parametrize("case", _load_cases())
def test_rule_case(case: RuleCase, tmp_path: Path) -> None:
    root = _catalog(case, tmp_path / "cat")
    today = dt.date.fromisoformat(str(case.data["today"])) if "today" in case.data else TODAY
    check_findings(case, [f for f in lint_root(root, today).findings if f.rule == case.rule])


def test_every_rule_has_a_fixture_with_passing_and_failing_cases() -> None:
    for rule in all_rules().values():
        if rule.phase in ("diff", "customers"):
            continue  # tested against real git repositories (and customer bases)
        assert rule.id in FIXTURES, f"no tests/rules/cases/{rule.id}.yaml"
        cases = FIXTURES[rule.id]
        assert all(case.rule == rule.id for case in cases), f"{rule.id}: another `rule`"
        assert any(c.data["expect"] for c in cases), f"{rule.id}: no failing case"
        assert any(not c.data["expect"] for c in cases), f"{rule.id}: no passing case"
