"""Every reporter on the same findings, including catalog text that tries to break out."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from monops_lint.findings import Finding, Location, Severity, fingerprint
from monops_lint.lint import LintResult
from monops_lint.reporters.lint import LINT_REPORTERS as REPORTERS
from monops_lint.reporters.lint import Report
from monops_lint.reporters.lint.github import escape_data, escape_property
from monops_lint.rules import all_rules

HOSTILE = "::add-mask::secret\n::error file=x::forged 100% <b>&</b> \x00\x1b[31m 💸"

FINDINGS = (
    Finding("money-precision", Severity.ERROR, Location("pricing/p.yaml", 9, 64),
            "plan p: amount.USD 9.999 has 3 decimals; USD allows 2", "round it to 2 decimals",
            key="plan:p:amount:USD"),
    Finding("duplicate-id", Severity.ERROR, Location("catalog/b.yaml", 2, 5),
            "product id `storage` is already used at catalog/a.yaml:2:5", "rename one",
            key="product:storage",
            related=((Location("catalog/a.yaml", 2, 5), "first use"),)),
    Finding("unused-suppression", Severity.WARNING, Location("catalog/a.yaml", 3, 1),
            f"product {HOSTILE}: silences nothing", "", key="x"),
)
RESULT = LintResult(FINDINGS, files=3, suppressed=1)


def render(name: str, **extra: object) -> str:
    report = Report(RESULT, all_rules(), **extra)  # type: ignore[arg-type]
    return REPORTERS[name]().render(report)


def test_text_lines_and_summary() -> None:
    lines = render("text").splitlines()
    assert lines[0] == ("pricing/p.yaml:9:64: error money-precision plan p: amount.USD 9.999 "
                        "has 3 decimals; USD allows 2")
    assert lines[1] == "    hint: round it to 2 decimals"
    assert lines[-1] == "Found 2 errors and 1 warning in 3 files (1 suppressed)."
    # a newline in catalog text cannot start a line that looks like a finding
    assert sum(line.startswith("catalog/a.yaml:3:1:") for line in lines) == 1


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[31merror" not in render("text")
    assert "\x1b[31merror" in render("text", color=True)


def test_json_shape() -> None:
    document = json.loads(render("json"))
    assert document["version"] == 1
    first = document["findings"][0]
    assert set(first) == {"rule", "severity", "path", "line", "column", "message", "hint",
                          "fingerprint"}
    assert (first["rule"], first["path"], first["line"], first["column"]) == \
        ("money-precision", "pricing/p.yaml", 9, 64)
    assert document["summary"] == {"files": 3, "error": 2, "warning": 1, "info": 0,
                                   "suppressed": 1, "baselined": 0}


def test_sarif_structure() -> None:
    log = json.loads(render("sarif", path_prefix="catalogs/acme"))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(all_rules())      # every rule described, in a stable order
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["money-precision", "duplicate-id",
                                              "unused-suppression"]
    first = results[0]
    assert ids[first["ruleIndex"]] == "money-precision"
    assert first["level"] == "error" and results[2]["level"] == "warning"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "catalogs/acme/pricing/p.yaml"
    assert location["region"] == {"startLine": 9, "startColumn": 64, "endLine": 9, "endColumn": 65}
    assert first["partialFingerprints"]["monopsFingerprint/v1"] == fingerprint(FINDINGS[0])
    related = results[1]["relatedLocations"][0]
    assert related["physicalLocation"]["region"]["startLine"] == 2
    assert related["message"]["text"] == "first use"
    assert "## What it does" in rules[ids.index("money-precision")]["help"]["markdown"]


def test_fingerprints_ignore_line_and_column() -> None:
    moved = Finding(FINDINGS[0].rule, FINDINGS[0].severity, Location("pricing/p.yaml", 40, 2),
                    FINDINGS[0].message, key=FINDINGS[0].key)
    assert fingerprint(moved) == fingerprint(FINDINGS[0])
    other_file = Finding(FINDINGS[0].rule, FINDINGS[0].severity, Location("pricing/q.yaml", 9, 64),
                         FINDINGS[0].message, key=FINDINGS[0].key)
    assert fingerprint(other_file) != fingerprint(FINDINGS[0])


def test_github_commands_cannot_be_forged() -> None:
    output = render("github", path_prefix="sub")
    lines = output.splitlines()
    assert lines[0] == ("::error file=sub/pricing/p.yaml,line=9,col=64,title=money-precision::"
                        "plan p: amount.USD 9.999 has 3 decimals; USD allows 2%0Around it to 2 "
                        "decimals")
    assert lines[2].startswith("::warning file=sub/catalog/a.yaml,line=3,col=1,"
                               "title=unused-suppression::")
    # exactly one line per finding plus the summary: the hostile newline was escaped
    assert len(lines) == 4
    assert sum(line.startswith("::") for line in lines) == 3
    assert "%0A::error file=x::forged 100%25" in lines[2]


@pytest.mark.parametrize(("text", "data", "prop"), [
    ("a%b", "a%25b", "a%25b"),
    ("line\nnext\r", "line%0Anext%0D", "line%0Anext%0D"),
    ("k:v,w", "k:v,w", "k%3Av%2Cw"),
])
def test_github_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_junit_one_case_per_rule_and_valid_xml_whatever_the_text() -> None:
    output = render("junit")
    root = ET.fromstring(output.encode("utf-8"))  # parses: control characters were escaped
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert set(cases) == set(all_rules())
    assert cases["money-precision"].find("failure") is not None
    assert cases["duplicate-id"].find("failure") is not None
    # a warning below --fail-on error: reported, not a failure
    unused = cases["unused-suppression"]
    assert unused.find("failure") is None
    assert "\\u0000" in (unused.findtext("system-out") or "")
    assert cases["schema"].find("failure") is None and cases["schema"].find("system-out") is None
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "2"


def test_junit_fail_on_warning_fails_the_warning_case() -> None:
    root = ET.fromstring(render("junit", fail_on=Severity.WARNING).encode("utf-8"))
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert cases["unused-suppression"].find("failure") is not None
