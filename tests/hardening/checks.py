"""Checks shared by the hardening tests and the atheris harnesses in fuzz/.

Plain functions raising ``AssertionError`` (no pytest here), so that
``fuzz/*.py`` can run them under libFuzzer without the test dependencies.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from monops_lint.config import Config
from monops_lint.findings import Severity
from monops_lint.lint import lint_catalog
from monops_lint.load import assemble, load_file
from monops_lint.reporters.lint import LINT_REPORTERS as REPORTERS
from monops_lint.reporters.lint import Report
from monops_lint.rules import all_rules
from tests.cli_runner import run_cli

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)


def run_in_process(argv: list[str]) -> tuple[int, str, str]:
    """``monops ARGV`` in this process (``tests.cli_runner.run_cli``, much faster than a
    subprocess): exit code, stdout, stderr."""
    run = run_cli(*argv)
    return run.returncode, run.stdout, run.stderr


def check_loaded(data: bytes, path: str = "pricing/fuzz.yaml") -> None:
    """load_file, the rules and every reporter: findings with real positions, valid
    documents, one github command per finding. Raises AssertionError on anything else."""
    config = Config(root=REPO)
    result = load_file(path, data, config.max_file_bytes)
    linted = lint_catalog(assemble([result]), config, TODAY)
    for finding in linted.findings:
        if finding.location.line < 1 or finding.location.column < 1:
            raise AssertionError(f"finding without a location: {finding}")
        if not finding.rule or not finding.message:
            raise AssertionError(f"finding without a rule or message: {finding}")
    report = Report(linted, all_rules(), Severity.ERROR, "", False)
    for name, reporter in REPORTERS.items():
        text = reporter().render(report)
        if name in ("json", "sarif"):
            json.loads(text)
        elif name == "junit":
            ET.fromstring(text.encode("utf-8"))
        elif name == "github":
            # The runner splits its log on CR and LF only (not NEL or U+2028).
            if "\r" in text:
                raise AssertionError(f"github: a raw CR in the report:\n{text!r}")
            commands = [line for line in text.split("\n") if line.startswith("::")]
            if len(commands) != len(linted.findings):
                raise AssertionError(f"github: {len(commands)} command lines for "
                                     f"{len(linted.findings)} findings:\n{text}")
