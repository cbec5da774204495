"""``sarif``: SARIF 2.1.0 for code scanning (stable rule ids, fingerprints, related locations).

What GitHub code scanning reads, it gets: a region with its end on every
location, related locations linked from the message (``[label](id)``), each
rule's ``precision`` and ``problem.severity``, and a log within its limits
(25,000 results per run, 10 MB gzip-compressed per upload): past them, the
most severe findings are kept and a notification says how many were left out.
"""

from __future__ import annotations

import gzip
import json
import re
import urllib.parse
from collections.abc import Sequence
from typing import Any, ClassVar

from monops_lint import __version__
from monops_lint.findings import Finding, Location, Severity, fingerprint
from monops_lint.reporters.lint.report import Report

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub's security severity scale for a rule's problems (`problem.severity`).
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning",
                     Severity.INFO: "recommendation"}
INFORMATION_URI = "https://github.com/monops/monops"

MAX_RESULTS = 25_000
"""GitHub code scanning's limit of results per run (it refuses a run with more)."""
MAX_GZIPPED_BYTES = 10 * 1024 * 1024
"""GitHub code scanning's limit on an uploaded SARIF file, gzip-compressed."""
MAX_RELATED = 1_000
"""GitHub keeps at most this many related locations per result."""


def _physical(report: Report, location: Location) -> dict[str, Any]:
    # A finding points at where a YAML node starts; the region is that one character (GitHub
    # shows and hashes the whole line either way).
    return {"physicalLocation": {
        "artifactLocation": {"uri": _uri(report.repo_path(location.path)),
                             "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": location.line, "startColumn": location.column,
                   "endLine": location.line, "endColumn": location.column + 1},
    }}


def _uri(path: str) -> str:
    """A repository path as the relative URI reference SARIF requires: ``a b#c%41?.yaml``
    is ``a%20b%23c%2541%3F.yaml`` (unescaped, ``#`` and ``?`` would cut the path short)."""
    return urllib.parse.quote(path, safe="/")


def _literal(text: str) -> str:
    """Plain message text with its square brackets escaped, as SARIF requires in a message
    that holds embedded links (so that catalog text cannot forge one)."""
    return re.sub(r"(\\(?=[\[\]])|[\[\]])", r"\\\1", text)


def _message(finding: Finding, related: Sequence[tuple[Location, str]]) -> str:
    text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
    if not related:
        return text
    links = "; ".join(f"[{_literal(label) or 'related'}]({i})"
                      for i, (_, label) in enumerate(related, start=1))
    return f"{_literal(text)} (see {links})"


def _descriptor(report: Report, rule_id: str) -> dict[str, Any]:
    rule = report.rules.get(rule_id)
    summary = rule.summary if rule else f"custom rule {rule_id}"
    doc = rule.doc if rule else summary
    severity = rule.severity if rule else Severity.WARNING
    return {
        "id": rule_id, "name": rule_id,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": summary},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": _LEVEL[severity] if rule else "warning"},
        # Every rule is exact about what it reports (no heuristics): very high precision.
        "properties": {"tags": ["monops"], "precision": "very-high",
                       "problem.severity": _PROBLEM_SEVERITY[severity]},
    }


def _result(report: Report, finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    related = finding.related[:MAX_RELATED]
    result: dict[str, Any] = {
        "ruleId": finding.rule, "ruleIndex": index[finding.rule],
        "level": _LEVEL[finding.severity], "message": {"text": _message(finding, related)},
        "locations": [_physical(report, finding.location)],
        "partialFingerprints": {"monopsFingerprint/v1": fingerprint(finding)},
    }
    if related:
        result["relatedLocations"] = [
            {"id": i, **_physical(report, where), "message": {"text": label}}
            for i, (where, label) in enumerate(related, start=1)]
    return result


def _most_severe(findings: Sequence[Finding], count: int) -> list[int]:
    """The positions of the ``count`` most severe findings, in their report order."""
    ranked = sorted(range(len(findings)), key=lambda i: (-findings[i].severity, i))
    return sorted(ranked[:count])


def _over_size(text: str) -> bool:
    data = text.encode("utf-8")
    # gzip never makes a log larger than a few bytes over its size: compress only when needed.
    return len(data) > MAX_GZIPPED_BYTES and len(gzip.compress(data)) > MAX_GZIPPED_BYTES


class SarifReporter:
    """One run of the ``monops`` tool, every registered rule described in the driver."""

    name: ClassVar[str] = "sarif"

    def render(self, report: Report) -> str:
        """The SARIF log as JSON, within code scanning's limits."""
        findings = report.result.findings
        rule_ids = list(report.rules)
        for finding in findings:  # custom rules are not registered
            if finding.rule not in report.rules and finding.rule not in rule_ids:
                rule_ids.append(finding.rule)
        index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
        descriptors = [_descriptor(report, rule_id) for rule_id in rule_ids]
        results = [_result(report, finding, index) for finding in findings]
        kept = _most_severe(findings, MAX_RESULTS) if len(results) > MAX_RESULTS else None
        text = self._log(descriptors, results, kept)
        while _over_size(text):
            count = len(kept if kept is not None else results) * 9 // 10
            kept = _most_severe(findings, count)
            text = self._log(descriptors, results, kept)
        return text

    @staticmethod
    def _log(descriptors: list[dict[str, Any]], results: list[dict[str, Any]],
             kept: list[int] | None) -> str:
        run: dict[str, Any] = {
            "tool": {"driver": {"name": "monops", "version": __version__,
                                "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {
                "text": "The repository root"}}},
            "results": results if kept is None else [results[i] for i in kept],
        }
        if kept is not None:
            left_out = len(results) - len(kept)
            run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [{
                "level": "warning",
                "message": {"text": (
                    f"monops found {len(results)} findings; GitHub code scanning accepts "
                    f"{MAX_RESULTS:,} results and {MAX_GZIPPED_BYTES // (1024 * 1024)} MB "
                    f"(gzip-compressed) per upload, so this log holds the {len(kept)} most "
                    f"severe and leaves out {left_out}. `monops lint --format json` lists "
                    "them all.")},
            }]}]
        log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
