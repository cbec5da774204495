"""Issue 19 item 11: catalog text in the PR comment links nothing, references nothing and
formats nothing, as GitHub reads a comment (autolinks, references, strikethrough, math),
and a bidi override cannot make a line of it read backwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monops_lint.reporters.escaping import markdown_text
from tests.conftest import write_catalog
from tests.hardening.conftest import assert_clean_exit, monops
from tests.hardening.test_files import SCENARIO_CATALOG

ZW = "\u200b"

# (catalog text, as written into Markdown): worked out by hand from GitHub's rules
CASES = [
    ("see https://evil.example/x", f"see https:{ZW}//evil.example/x"),
    ("http://a.b", f"http:{ZW}//a.b"),
    ("www.evil.example and WWW.EVIL.EXAMPLE", f"www{ZW}.evil.example and WWW{ZW}.EVIL.EXAMPLE"),
    ("fixes org/repo#1 and #2", f"fixes org/repo#{ZW}1 and #{ZW}2"),
    ("~~struck~~", "\\~\\~struck\\~\\~"),
    ("$x^2$ and $$y$$", "\\$x^2\\$ and \\$\\$y\\$\\$"),
    ("\u202eevil\u202c", "\\\\u202eevil\\\\u202c"),  # written out; the backslash escaped
    ("plain Mobile Unlimited 5G", "plain Mobile Unlimited 5G"),
]


@pytest.mark.parametrize(("text", "written"), CASES, ids=[c[0][:12] for c in CASES])
def test_github_links_references_and_math_are_inert(text: str, written: str) -> None:
    assert markdown_text(text) == written


@pytest.mark.e2e
def test_a_plan_name_in_a_markdown_invoice_links_nothing(tmp_path: Path) -> None:
    files = dict(SCENARIO_CATALOG)
    files["pricing/p.yaml"] = files["pricing/p.yaml"].replace(
        "name: P\n", "name: 'Pro https://evil.example www.evil.example org/r#1 ~~x~~ $y$'\n")
    root = write_catalog(tmp_path / "c", files, "paths: [catalog, pricing, scenarios]\n")
    run = monops("render", "--format", "md", "--root", str(root))
    assert_clean_exit(run)
    assert run.returncode == 0, run.stderr
    assert (f"Pro https:{ZW}//evil.example www{ZW}.evil.example org/r#{ZW}1 \\~\\~x\\~\\~ "
            "\\$y\\$") in run.stdout
    for live in ("https://", "www.evil", "r#1", "~~", " $y"):
        assert live not in run.stdout, live
