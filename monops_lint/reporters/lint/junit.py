"""``junit``: one test case per rule, failing when it found something at ``--fail-on``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import cache
from typing import ClassVar

from monops_lint.findings import Finding
from monops_lint.reporters.lint.report import Report


@cache
def _not_xml() -> re.Pattern[str]:
    """Characters XML 1.0 cannot hold, even escaped (made on first use: this class takes
    milliseconds to compile, and every lint imports this module)."""
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold shown as ``\\uXXXX``."""
    return _not_xml().sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _describe(finding: Finding) -> str:
    hint = f"\n    hint: {finding.hint}" if finding.hint else ""
    return f"{finding.location}: {finding.severity} {finding.message}{hint}"


class JunitReporter:
    """For CI dashboards that read JUnit XML."""

    name: ClassVar[str] = "junit"

    def render(self, report: Report) -> str:
        """A ``<testsuites>`` document with one ``<testcase>`` per rule."""
        by_rule: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.result.findings:
            by_rule[finding.rule].append(finding)
        rule_ids = sorted(set(report.rules) | set(by_rule))
        suites = ET.Element("testsuites", name="monops")
        suite = ET.SubElement(suites, "testsuite", name="monops lint", tests=str(len(rule_ids)))
        failures = 0
        for rule_id in rule_ids:
            case = ET.SubElement(suite, "testcase", classname="monops", name=rule_id)
            found = by_rule.get(rule_id, [])
            failing = [f for f in found if f.severity >= report.fail_on]
            body = xml_text("\n".join(_describe(f) for f in found))
            if failing:
                failures += 1
                failure = ET.SubElement(case, "failure", type=str(max(f.severity for f in failing)),
                                        message=f"{len(found)} finding(s)")
                failure.text = body
            elif found:
                ET.SubElement(case, "system-out").text = body
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suites.set("tests", str(len(rule_ids)))
        suites.set("failures", str(failures))
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
            suites, encoding="unicode") + "\n"
