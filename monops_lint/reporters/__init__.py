"""Reporters: one class per output format, chosen by name."""

from __future__ import annotations

from monops_lint.reporters.base import Report, Reporter
from monops_lint.reporters.github import GithubReporter
from monops_lint.reporters.json import JsonReporter
from monops_lint.reporters.junit import JunitReporter
from monops_lint.reporters.sarif import SarifReporter
from monops_lint.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "github": GithubReporter,
    "junit": JunitReporter,
}

__all__ = ["REPORTERS", "Report", "Reporter"]
