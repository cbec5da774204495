"""``json``: a versioned document (SPEC section 5)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from monops_lint.findings import fingerprint
from monops_lint.reporters.lint.report import Report

JSON_VERSION = 1


class JsonReporter:
    """For scripts: ``{"version": 1, "findings": [...], "summary": {...}}``."""

    name: ClassVar[str] = "json"

    def render(self, report: Report) -> str:
        """The findings and a summary, as JSON."""
        result = report.result
        document: dict[str, Any] = {
            "version": JSON_VERSION,
            "findings": [
                {"rule": f.rule, "severity": str(f.severity), "path": f.location.path,
                 "line": f.location.line, "column": f.location.column, "message": f.message,
                 "hint": f.hint, "fingerprint": fingerprint(f)}
                for f in result.findings],
            "summary": {"files": result.files, **result.counts(),
                        "suppressed": result.suppressed, "baselined": result.baselined},
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
