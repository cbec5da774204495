"""Issue 20, item 9: `--format gitlab` is GitLab Code Quality JSON with monops' fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from monops_lint.findings import Finding, Location, Severity, fingerprint
from monops_lint.lint import LintResult
from monops_lint.reporters.lint import LINT_REPORTERS, Report
from monops_lint.rules import all_rules
from tests.cli.test_cli import monops
from tests.conftest import write_catalog

PRICE = Finding("money-precision", Severity.ERROR, Location("pricing/p.yaml", 9, 64),
                "plan p: amount.USD 9.999 has 3 decimals", "round it to 2 decimals",
                key="plan:p:amount:USD")
HOSTILE = Finding("orphan", Severity.WARNING, Location("catalog/a.yaml", 3, 1),
                  "product x\n<b>y</b>\x1b[31m silences nothing", key="x")
INFO = Finding("orphan", Severity.INFO, Location("catalog/a.yaml", 4, 1), "note", key="x")


def _issues(*findings: Finding, prefix: str = "") -> list[dict[str, Any]]:
    report = Report(LintResult(findings, files=2), all_rules(), path_prefix=prefix)
    issues: list[dict[str, Any]] = json.loads(LINT_REPORTERS["gitlab"]().render(report))
    return issues


def test_an_issue_has_every_field_gitlab_requires() -> None:
    [issue] = _issues(PRICE, prefix="catalogs/acme")
    assert issue == {
        "type": "issue", "check_name": "money-precision",
        "description": "plan p: amount.USD 9.999 has 3 decimals (hint: round it to 2 decimals)",
        "severity": "major", "fingerprint": fingerprint(PRICE),
        "location": {"path": "catalogs/acme/pricing/p.yaml", "lines": {"begin": 9}},
    }


def test_severities_and_unique_fingerprints() -> None:
    # HOSTILE and INFO share rule, file and key: one fingerprint, so the second gets its own.
    issues = _issues(PRICE, HOSTILE, INFO)
    assert [i["severity"] for i in issues] == ["major", "minor", "info"]
    marks = [i["fingerprint"] for i in issues]
    assert marks[1] == fingerprint(HOSTILE) and len(set(marks)) == 3
    assert all(len(m) == 32 for m in marks)
    # the same findings give the same fingerprints run after run (GitLab compares them)
    assert [i["fingerprint"] for i in _issues(PRICE, HOSTILE, INFO)] == marks


def test_catalog_text_stays_one_visible_line() -> None:
    [issue] = _issues(HOSTILE)
    assert "\n" not in issue["description"] and "\x1b" not in issue["description"]
    assert issue["description"].startswith("product x <b>y</b>")


def test_the_cli_writes_it(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/p.yaml": "kind: product\nid: p\nname: [x\n"})
    run = monops("lint", "--root", str(root), "--format", "gitlab")
    assert run.returncode == 1
    [issue] = json.loads(run.stdout)
    assert issue["check_name"] == "yaml-syntax" and issue["location"]["path"] == \
        "catalog/p.yaml"
