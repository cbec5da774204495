"""What every lint reporter is given, and the summary line they share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol

from monops_lint.findings import Severity
from monops_lint.lint import LintResult
from monops_lint.rules import Rule


@dataclass(frozen=True)
class Report:
    """A lint result with what a reporter needs around it.

    ``path_prefix`` is the catalog root relative to the repository root
    (``""`` when they are the same): CI annotations and code scanning
    address files from the repository root.
    """

    result: LintResult
    rules: Mapping[str, Rule]
    fail_on: Severity = Severity.ERROR
    path_prefix: str = ""
    color: bool = False

    def repo_path(self, path: str) -> str:
        """``path`` relative to the repository root."""
        return f"{self.path_prefix.rstrip('/')}/{path}" if self.path_prefix else path


class Reporter(Protocol):
    """Turns a report into the text of one format."""

    name: ClassVar[str]

    def render(self, report: Report) -> str:
        """The whole output, ending with a newline."""
        ...


def summary_line(result: LintResult) -> str:
    """``Found 2 errors and 1 warning in 41 files.`` or ``All clear: 41 files, no findings.``"""
    counts = result.counts()
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    extra = []
    if result.suppressed:
        extra.append(f"{result.suppressed} suppressed")
    if result.baselined:
        extra.append(f"{result.baselined} in the baseline")
    tail = f" ({', '.join(extra)})" if extra else ""
    if not result.findings:
        return f"All clear: {files}, no findings{tail}."
    parts = [f"{n} {name}{'s' if n != 1 and name != 'info' else ''}"
             for name, n in counts.items() if n]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Found {listed} in {files}{tail}."
