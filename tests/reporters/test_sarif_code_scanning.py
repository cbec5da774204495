"""Issue 20, item 8: SARIF gives GitHub code scanning everything it uses."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import jsonschema
import pytest

from monops_lint.findings import Finding, Location, Severity
from monops_lint.lint import LintResult
from monops_lint.reporters.lint import LINT_REPORTERS, Report
from monops_lint.reporters.lint import sarif as sarif_module
from monops_lint.rules import all_rules
from tests.conftest import REPO

DUPLICATE = Finding("duplicate-id", Severity.ERROR, Location("catalog/b.yaml", 2, 5),
                    "product id `storage` [sic](1) is already used", "rename one",
                    key="product:storage",
                    related=((Location("catalog/a.yaml", 2, 5), "first use"),
                             (Location("catalog/c.yaml", 7, 3), "the [third](2) one")))


def _sarif(findings: tuple[Finding, ...]) -> dict[str, Any]:
    report = Report(LintResult(findings, files=3), all_rules())
    log: dict[str, Any] = json.loads(LINT_REPORTERS["sarif"]().render(report))
    return log


def _schema() -> dict[str, Any] | None:
    path = REPO.parent / "shared" / "reference" / "sarif" / "sarif-schema-2.1.0.json"
    if not path.is_file():
        return None  # .ci/check_sarif.py validates against it in CI
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def test_every_region_has_its_end() -> None:
    result = _sarif((DUPLICATE,))["runs"][0]["results"][0]
    regions = [loc["physicalLocation"]["region"] for loc in
               result["locations"] + result["relatedLocations"]]
    assert regions == [
        {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 6},
        {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 6},
        {"startLine": 7, "startColumn": 3, "endLine": 7, "endColumn": 4},
    ]


def test_related_locations_are_linked_from_the_message_and_text_cannot_forge_a_link() -> None:
    result = _sarif((DUPLICATE,))["runs"][0]["results"][0]
    text = result["message"]["text"]
    assert text == ("product id `storage` \\[sic\\](1) is already used (hint: rename one) "
                    "(see [first use](1); [the \\[third\\](2) one](2))")
    assert [r["id"] for r in result["relatedLocations"]] == [1, 2]
    # The only unescaped links are the ones monops wrote, to ids that exist.
    links = re.findall(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\((\d+)\)", text)
    assert [int(target) for _, target in links] == [1, 2]


def test_a_message_without_related_locations_is_kept_as_it_is() -> None:
    plain = Finding("orphan", Severity.WARNING, Location("p.yaml", 1, 1), "a [b](1) c")
    assert _sarif((plain,))["runs"][0]["results"][0]["message"]["text"] == "a [b](1) c"


def test_rules_carry_precision_and_problem_severity() -> None:
    rules = _sarif(())["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r["properties"] for r in rules}
    assert by_id["money-precision"]["problem.severity"] == "error"
    assert by_id["volume-cliff"]["problem.severity"] == "warning"
    assert all(p["precision"] == "very-high" for p in by_id.values())
    assert {p["problem.severity"] for p in by_id.values()} <= {"error", "warning",
                                                                "recommendation"}


def _many(count: int) -> tuple[Finding, ...]:
    # every 100th one an error, the others warnings
    return tuple(Finding("orphan" if i % 100 else "duplicate-id",
                         Severity.WARNING if i % 100 else Severity.ERROR,
                         Location(f"catalog/{i}.yaml", 1, 1), f"finding {i}", key=str(i))
                 for i in range(count))


def test_more_results_than_code_scanning_accepts_keep_the_most_severe_with_a_note() -> None:
    findings = _many(sarif_module.MAX_RESULTS + 500)
    log = _sarif(findings)
    run = log["runs"][0]
    results = run["results"]
    assert len(results) == sarif_module.MAX_RESULTS
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)  # 25,500 / 100 = 255
    assert errors == 255 and sum(r["level"] == "error" for r in results) == errors
    # The kept ones stay in report order; the 500 left out are the last 500 warnings: the
    # numbers 24,995 to 25,499 that are not multiples of 100 (505 numbers, 5 multiples).
    kept = [int(r["message"]["text"].split()[1]) for r in results]
    left_out = [i for i in range(24_995, 25_500) if i % 100]
    assert len(left_out) == 500
    assert kept == [i for i in range(25_500) if i not in set(left_out)]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert "25500 findings" in note["message"]["text"]
    assert "leaves out 500" in note["message"]["text"]
    schema = _schema()
    if schema is not None:
        jsonschema.validate(log, schema)


def test_a_log_over_the_size_limit_is_shortened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_module, "MAX_GZIPPED_BYTES", 40_000)
    findings = _many(2_000)
    text = LINT_REPORTERS["sarif"]().render(Report(LintResult(findings, files=1), all_rules()))
    assert len(gzip.compress(text.encode())) <= 40_000
    run = json.loads(text)["runs"][0]
    assert 0 < len(run["results"]) < 2_000
    assert sum(r["level"] == "error" for r in run["results"]) == 20  # every error kept
    assert "leaves out" in run["invocations"][0]["toolExecutionNotifications"][0][
        "message"]["text"]


def test_under_the_limits_nothing_is_left_out_and_nothing_is_added() -> None:
    log = _sarif((DUPLICATE,))
    assert "invocations" not in log["runs"][0] and len(log["runs"][0]["results"]) == 1
