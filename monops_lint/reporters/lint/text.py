"""``text``: ``path:line:col: severity rule message``, hints indented, a summary line."""

from __future__ import annotations

from typing import ClassVar

from monops_lint.findings import Severity
from monops_lint.reporters.escaping import terminal_line, visible
from monops_lint.reporters.lint.report import Report, summary_line

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _one_line(text: str) -> str:
    return " ".join(visible(text).split())


class TextReporter:
    """For people at a terminal (colour when it is one)."""

    name: ClassVar[str] = "text"

    def render(self, report: Report) -> str:
        """One line per finding, its hint below it, then the summary."""
        lines = []
        for finding in report.result.findings:
            severity, rule = str(finding.severity), finding.rule
            where = terminal_line(str(finding.location))
            if report.color:
                where = f"{_BOLD}{where}{_RESET}"
                severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
                rule = f"{_DIM}{rule}{_RESET}"
            lines.append(f"{where}: {severity} {rule} {_one_line(finding.message)}")
            if finding.hint:
                lines.append(f"    hint: {_one_line(finding.hint)}")
        lines.append(summary_line(report.result))
        return "\n".join(lines) + "\n"
