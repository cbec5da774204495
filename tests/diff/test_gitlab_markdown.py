"""Issue 20, item 9: the pull-request report's Markdown renders on GitLab too.

GitLab renders what the report uses: tables, `<details>`/`<summary>`, and GitHub's
`> [!WARNING]` alerts (GitLab's own alert syntax). Nothing GitHub-only is used (`:emoji:`
shortcodes, `#123` references, `@mentions`, footnotes, `<picture>`), and every alert's
first line after its marker is a bold sentence, so a renderer without alerts still shows
a quote that reads on its own.
"""

from __future__ import annotations

import re

from tests.diff.conftest import CatalogRepo


def test_the_report_uses_only_markdown_both_render(example: CatalogRepo) -> None:
    example.replace("catalog/channels/web.yaml", "tax_inclusive: false", "tax_inclusive: true")
    report = example.reports().md
    assert "> [!WARNING]" in report  # the collateral alert is in this report
    lines = report.splitlines()
    for number, line in enumerate(lines):
        if re.fullmatch(r"> \[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", line):
            follow = lines[number + 1]
            assert follow.startswith("> ") and follow[2:].strip(), follow
    assert not re.search(r"(?<![\w`]):[a-z_]+:(?![\w`])", report)  # :warning: shortcodes
    assert "<picture" not in report and "[^" not in report
    assert not re.search(r"(?<![\w`/])#\d+\b", report)  # issue references
    assert report.count("<details>") == report.count("</details>")
