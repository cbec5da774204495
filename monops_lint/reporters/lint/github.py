"""``github``: GitHub Actions workflow commands, escaped so catalog text cannot forge one."""

from __future__ import annotations

from typing import ClassVar

from monops_lint.findings import Severity
from monops_lint.reporters.escaping import visible
from monops_lint.reporters.lint.report import Report, summary_line

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF (so no new command can start),
    and control characters written out (no escape sequence reaches the log)."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    """Annotations on the pull request's changed lines, one command per finding."""

    name: ClassVar[str] = "github"

    def render(self, report: Report) -> str:
        """``::error file=...,line=...,col=...,title=rule::message`` lines and a summary."""
        lines = []
        for finding in report.result.findings:
            location = finding.location
            properties = ",".join((
                f"file={escape_property(report.repo_path(location.path))}",
                f"line={location.line}", f"col={location.column}",
                f"title={escape_property(finding.rule)}"))
            message = finding.message + (f"\n{finding.hint}" if finding.hint else "")
            lines.append(f"::{_LEVEL[finding.severity]} {properties}::{escape_data(message)}")
        lines.append(escape_data(summary_line(report.result)))
        return "\n".join(lines) + "\n"
