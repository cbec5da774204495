"""Lint reporters: findings in one format each, chosen by name (``--format``)."""

from __future__ import annotations

from monops_lint.reporters.lint.github import GithubReporter
from monops_lint.reporters.lint.gitlab import GitlabReporter
from monops_lint.reporters.lint.json import JsonReporter
from monops_lint.reporters.lint.junit import JunitReporter
from monops_lint.reporters.lint.report import Report, Reporter
from monops_lint.reporters.lint.sarif import SarifReporter
from monops_lint.reporters.lint.text import TextReporter

LINT_REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
    "junit": JunitReporter,
    "gitlab": GitlabReporter,
}
"""Format name -> reporter; the CLI's ``--format`` choices."""

DESCRIBES_RULES = frozenset({"sarif", "junit"})
"""The formats that describe every rule (the others need not load the rule docs)."""

__all__ = ["DESCRIBES_RULES", "LINT_REPORTERS", "Report", "Reporter"]
