"""``gitlab``: GitLab Code Quality, the report a merge request's Code Quality widget shows.

A JSON array of issues (``description``, ``check_name``, ``fingerprint``,
``severity``, ``location.path`` and ``location.lines.begin``). GitLab compares
the head's issues with the base's by ``fingerprint``, so it is monops' own
fingerprint (rule, file and subject, not the line: an issue survives
unrelated edits); two issues with one fingerprint get a counter, as GitLab
requires each to be unique.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, ClassVar

from monops_lint.findings import Severity, fingerprint
from monops_lint.reporters.escaping import visible
from monops_lint.reporters.lint.report import Report

# GitLab's scale: info, minor, major, critical, blocker.
_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitlabReporter:
    """For GitLab CI: ``artifacts: reports: codequality: <file>``."""

    name: ClassVar[str] = "gitlab"

    def render(self, report: Report) -> str:
        """The Code Quality issues as a JSON array."""
        seen: Counter[str] = Counter()
        issues: list[dict[str, Any]] = []
        for finding in report.result.findings:
            mark = fingerprint(finding)
            seen[mark] += 1
            if seen[mark] > 1:  # the same problem twice in one file: still one issue each
                mark = hashlib.sha256(f"{mark}|{seen[mark]}".encode()).hexdigest()[:32]
            text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
            issues.append({
                "type": "issue",
                "check_name": finding.rule,
                "description": " ".join(visible(text).split()),
                "severity": _SEVERITY[finding.severity],
                "fingerprint": mark,
                "location": {"path": report.repo_path(finding.location.path),
                             "lines": {"begin": finding.location.line}},
            })
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
