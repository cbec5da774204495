"""Every rule's fixture file (tests/rules/cases/<rule-id>.yaml), one test per case.

A case writes its ``files`` (and ``raw_files``, whose characters are taken
as bytes, for broken encodings; and optionally a ``config``) into a fresh
catalog, lints it, and compares the findings *of that rule* with
``expect``: a list of ``{path, line, column, message, hint}`` (``message``
and ``hint`` are optional substrings). ``expect: []`` is a passing case: the rule must stay silent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from monops_lint.rules import all_rules
from tests.conftest import TODAY, lint_root, write_catalog

CASES = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for fixture in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(fixture.read_text(encoding="utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(data["rule"], case, id=f"{fixture.stem}: {case['name']}"))
    return params


@pytest.mark.parametrize(("rule_id", "case"), _load_cases())
def test_rule_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(case.get("files", {}))
    for name, content in case.get("raw_files", {}).items():
        files[name] = content.encode("latin-1")  # each code point one byte: for bad encodings
    root = write_catalog(tmp_path / "cat", files, case.get("config"))
    today = dt.date.fromisoformat(str(case["today"])) if "today" in case else TODAY
    found = [f for f in lint_root(root, today).findings if f.rule == rule_id]
    expected = case["expect"]
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


def test_every_rule_has_a_fixture_with_passing_and_failing_cases() -> None:
    fixtures = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in CASES.glob("*.yaml")}
    for rule in all_rules().values():
        if rule.phase == "diff":
            continue  # diff rules are tested against real git repositories
        assert rule.id in fixtures, f"no tests/rules/cases/{rule.id}.yaml"
        cases = fixtures[rule.id]["cases"]
        assert any(c["expect"] for c in cases), f"{rule.id}: no failing case"
        assert any(not c["expect"] for c in cases), f"{rule.id}: no passing case"
