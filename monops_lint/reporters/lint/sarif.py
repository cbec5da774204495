"""``sarif``: SARIF 2.1.0 for code scanning (stable rule ids, fingerprints, related locations)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from monops_lint import __version__
from monops_lint.findings import Location, Severity, fingerprint
from monops_lint.reporters.lint.report import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFORMATION_URI = "https://github.com/monops/monops"


def _physical(report: Report, location: Location) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": {"uri": report.repo_path(location.path), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": location.line, "startColumn": location.column},
    }}


class SarifReporter:
    """One run of the ``monops`` tool, every registered rule described in the driver."""

    name: ClassVar[str] = "sarif"

    def render(self, report: Report) -> str:
        """The SARIF log as JSON."""
        rule_ids = list(report.rules)
        for finding in report.result.findings:  # custom rules are not registered
            if finding.rule not in report.rules and finding.rule not in rule_ids:
                rule_ids.append(finding.rule)
        descriptors = []
        for rule_id in rule_ids:
            rule = report.rules.get(rule_id)
            summary = rule.summary if rule else f"custom rule {rule_id}"
            doc = rule.doc if rule else summary
            descriptors.append({
                "id": rule_id, "name": rule_id,
                "shortDescription": {"text": summary},
                "fullDescription": {"text": summary},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": _LEVEL[rule.severity] if rule else "warning"},
                "properties": {"tags": ["monops"]},
            })
        index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
        results = []
        for finding in report.result.findings:
            text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
            result: dict[str, Any] = {
                "ruleId": finding.rule, "ruleIndex": index[finding.rule],
                "level": _LEVEL[finding.severity], "message": {"text": text},
                "locations": [_physical(report, finding.location)],
                "partialFingerprints": {"monopsFingerprint/v1": fingerprint(finding)},
            }
            if finding.related:
                result["relatedLocations"] = [
                    {"id": i, **_physical(report, where), "message": {"text": label}}
                    for i, (where, label) in enumerate(finding.related, start=1)]
            results.append(result)
        log = {
            "$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "monops", "version": __version__,
                                    "semanticVersion": __version__,
                                    "informationUri": INFORMATION_URI, "rules": descriptors}},
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"description": {
                    "text": "The repository root"}}},
                "results": results,
            }],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
