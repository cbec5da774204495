"""The baseline: recorded findings by fingerprint, surviving line moves, dropping fixed ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from monops_lint.baseline import (
    Baseline,
    BaselineEntry,
    filter_baseline,
    load_baseline,
    read_baseline,
    write_baseline,
)
from monops_lint.errors import MonopsError
from monops_lint.findings import Finding, Location, Severity, fingerprint
from monops_lint.reporters.lint import LINT_REPORTERS as REPORTERS
from monops_lint.reporters.lint import Report
from monops_lint.rules import all_rules
from tests.conftest import lint_root


def finding(rule: str, path: str, line: int, key: str, message: str = "") -> Finding:
    return Finding(rule, Severity.ERROR, Location(path, line, 5), message or f"{rule} {key}",
                   key=key)


DRIFT = finding("price-drift", "pricing/storage.yaml", 12, "storage-plus:USD", "USD differs")
CAP = finding("acme/free-capped", "pricing/storage.yaml", 3, "plan:storage-free", "no limits")
EUR = finding("acme/retail-eur", "catalog/retail.yaml", 2, "channel:retail", "sells no EUR")


def test_write_is_sorted_deterministic_and_round_trips() -> None:
    text = write_baseline([DRIFT, EUR, CAP])
    assert text == write_baseline([CAP, DRIFT, EUR])  # order in, order out: none of it
    # Sorted by path, then rule: catalog/ before pricing/, `acme/...` before `price-drift`.
    assert json.loads(text) == {
        "version": 1,
        "kind": "monops-baseline",
        "findings": [
            {"rule": "acme/retail-eur", "path": "catalog/retail.yaml",
             "fingerprint": fingerprint(EUR), "message": "sells no EUR"},
            {"rule": "acme/free-capped", "path": "pricing/storage.yaml",
             "fingerprint": fingerprint(CAP), "message": "no limits"},
            {"rule": "price-drift", "path": "pricing/storage.yaml",
             "fingerprint": fingerprint(DRIFT), "message": "USD differs"},
        ],
    }
    assert text.endswith("}\n")  # and no other keys: no timestamp, no tool version
    baseline = read_baseline(text)
    assert baseline.entries == (
        BaselineEntry("catalog/retail.yaml", "acme/retail-eur", fingerprint(EUR), "sells no EUR"),
        BaselineEntry("pricing/storage.yaml", "acme/free-capped", fingerprint(CAP), "no limits"),
        BaselineEntry("pricing/storage.yaml", "price-drift", fingerprint(DRIFT), "USD differs"),
    )
    assert filter_baseline([DRIFT, CAP, EUR], baseline) == ([], 3)


def test_an_empty_baseline_keeps_everything() -> None:
    assert json.loads(write_baseline([]))["findings"] == []
    assert filter_baseline([DRIFT], read_baseline(write_baseline([]))) == ([DRIFT], 0)


def test_a_finding_moved_to_another_line_stays_baselined() -> None:
    baseline = read_baseline(write_baseline([DRIFT]))
    moved = finding("price-drift", "pricing/storage.yaml", 40, "storage-plus:USD", "USD differs")
    reworded = finding("price-drift", "pricing/storage.yaml", 12, "storage-plus:USD", "new text")
    assert filter_baseline([moved, reworded], baseline) == ([reworded], 1)
    # Two findings, one recorded: the second of a kind is new.
    assert filter_baseline([reworded], read_baseline(write_baseline([moved]))) == ([], 1)


def test_the_same_problem_elsewhere_is_not_baselined() -> None:
    baseline = read_baseline(write_baseline([DRIFT]))
    other_file = finding("price-drift", "pricing/backup.yaml", 12, "storage-plus:USD")
    other_rule = finding("fx-consistency", "pricing/storage.yaml", 12, "storage-plus:USD")
    other_key = finding("price-drift", "pricing/storage.yaml", 12, "storage-plus:EUR")
    assert filter_baseline([other_file, other_rule, other_key], baseline) == \
        ([other_file, other_rule, other_key], 0)


def test_a_fixed_finding_drops_out_when_the_baseline_is_rewritten() -> None:
    baseline = read_baseline(write_baseline([DRIFT, CAP]))
    today = [CAP, EUR]  # DRIFT was fixed, EUR is new
    kept, baselined = filter_baseline(today, baseline)
    assert (kept, baselined) == ([EUR], 1)
    rewritten = read_baseline(write_baseline(today))
    assert [e.rule for e in rewritten.entries] == ["acme/retail-eur", "acme/free-capped"]


@pytest.mark.parametrize(("text", "reason"), [
    ("", "not a monops baseline: invalid JSON at line 1 column 1: Expecting value"),
    ('{"version": 1,', "invalid JSON at line 1 column 15"),
    ("[]", "not a monops baseline: expected a JSON object"),
    ('{"version": 1, "findings": []}', 'not a monops baseline: `kind` must be "monops-baseline"'),
    ('{"version": 2, "kind": "monops-baseline", "findings": []}',
     "unsupported baseline version 2 (this monops reads version 1"),
    ('{"kind": "monops-baseline", "findings": []}', "unsupported baseline version null"),
    ('{"version": 1, "kind": "monops-baseline", "findings": {}}', "`findings` must be a list"),
    ('{"version": 1, "kind": "monops-baseline", "findings": [7]}',
     "findings[0]: expected an object with rule, path, fingerprint, message"),
    ('{"version": 1, "kind": "monops-baseline", "findings": [{"rule": "r", "path": "p", '
     '"message": "m"}]}', "findings[0]: `fingerprint` must be a string"),
    ('{"version": 1, "kind": "monops-baseline", "findings": [{"rule": "r", "path": "p", '
     '"message": "m", "fingerprint": "ABC"}]}',
     "findings[0]: `fingerprint` must be 32 lower-case hex digits"),
])
def test_an_invalid_baseline_is_a_one_line_monops_error(text: str, reason: str) -> None:
    with pytest.raises(MonopsError) as error:
        read_baseline(text, "ci/baseline.json")
    assert str(error.value).startswith("ci/baseline.json: ")
    assert reason in str(error.value)
    assert "\n" not in str(error.value)


def test_a_lint_json_report_is_not_a_baseline() -> None:
    report = json.dumps({"version": 1, "findings": [{"rule": "schema", "path": "a.yaml"}]})
    with pytest.raises(MonopsError, match="not a monops baseline"):
        read_baseline(report)


def test_load_reads_a_file_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(write_baseline([CAP]), encoding="utf-8")
    assert load_baseline(path) == Baseline((
        BaselineEntry("pricing/storage.yaml", "acme/free-capped", fingerprint(CAP), "no limits"),))
    with pytest.raises(MonopsError, match=r"cannot read baseline .*missing.json: No such file"):
        load_baseline(tmp_path / "missing.json")
    path.write_bytes(b"\xff")
    with pytest.raises(MonopsError, match="cannot read baseline"):
        load_baseline(path)


CHANNEL = """\
kind: channel
id: retail
name: Retail
currencies: [USD]
"""
RULE = """\
kind: rule
id: acme/retail-sells-eur
each: channel
assert: "'EUR' in channel.currencies"
message: "channel {{ channel.id }} must sell in EUR"
"""


def custom_findings(root: Path) -> list[Finding]:
    """The custom rule's findings (other rules may have their say about so small a catalog)."""
    return [f for f in lint_root(root).findings if f.rule == "acme/retail-sells-eur"]


def test_a_real_catalog_edited_above_a_finding_stays_clean(
        catalog_dir: Callable[..., Path]) -> None:
    root = catalog_dir({"catalog/c.yaml": CHANNEL, "rules/r.yaml": RULE})
    first = custom_findings(root)
    assert [f.location.line for f in first] == [2]
    baseline = read_baseline(write_baseline(first))

    (root / "catalog/c.yaml").write_text("# Stores in the US.\n\n" + CHANNEL, encoding="utf-8")
    moved = custom_findings(root)
    assert [f.location.line for f in moved] == [4]
    assert filter_baseline(moved, baseline) == ([], 1)

    # SARIF's partialFingerprints are the baseline's fingerprints.
    sarif = json.loads(REPORTERS["sarif"]().render(Report(lint_root(root), all_rules())))
    marks = [r["partialFingerprints"]["monopsFingerprint/v1"]
             for r in sarif["runs"][0]["results"] if r["ruleId"] == "acme/retail-sells-eur"]
    assert marks == [entry.fingerprint for entry in baseline.entries]

    (root / "catalog/c.yaml").write_text(CHANNEL.replace("[USD]", "[USD, EUR]"), "utf-8")
    fixed = custom_findings(root)
    assert fixed == [] and json.loads(write_baseline(fixed))["findings"] == []
