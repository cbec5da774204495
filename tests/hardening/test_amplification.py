"""Issue 19 item 4: output amplification. A 7-byte ``0e-9999`` became a 10,000-character
money-precision message; four small files made an 821 MB SARIF. Every number in a message is
at most a few dozen characters, every message and hint at most 1,000, so a report grows with
the number of findings, not with what they quote.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from monops_lint.findings import TEXT_MAX_CHARS, Finding, Location, Severity
from monops_lint.money import NUMBER_MAX_CHARS, brief_number
from tests.conftest import write_catalog
from tests.hardening.conftest import assert_clean_exit, dated, monops

# (value, text) worked out by hand: plain while at most 40 characters, else an exponent
BRIEF = [
    ("0e-9999", "0E-9999"),
    ("1e400", "1E+400"),  # one significant digit: exact
    ("-3.5e-100", "-3.5E-100"),
    ("9.99", "9.99"),
    ("1E+24", "1000000000000000000000000"),  # 25 characters: still plain
    ("12345678901234567890123456789012345678901234567890",
     "≈1.23456789012E+49"),  # 50 digits, rounded to 12 significant ones
]


@pytest.mark.parametrize(("value", "text"), BRIEF, ids=[b[0][:12] for b in BRIEF])
def test_numbers_in_messages_are_brief(value: str, text: str) -> None:
    assert brief_number(Decimal(value)) == text
    assert len(text) <= NUMBER_MAX_CHARS


def test_a_message_is_cut_and_says_by_how_much() -> None:
    finding = Finding("x", Severity.ERROR, Location("a.yaml"), "m" * 5000, "h" * 1001)
    assert finding.message == "m" * 1000 + "… (4,000 more characters)"
    assert finding.hint == "h" * 1000 + "… (1 more characters)"
    short = Finding("x", Severity.ERROR, Location("a.yaml"), "m" * TEXT_MAX_CHARS)
    assert short.message == "m" * TEXT_MAX_CHARS


AMOUNTS = 200


@pytest.mark.e2e
def test_tiny_amounts_make_a_report_of_a_few_hundred_bytes_each(tmp_path: Path) -> None:
    charge = "      - {{id: c{}, type: recurring, model: flat, amount: {{USD: 0e-9999}}}}\n"
    charges = "".join(charge.format(i) for i in range(AMOUNTS))
    plan = ("kind: plan\nid: p\nname: P\nproduct: a\nbilling_period: month\nversions:\n"
            "  - effective_from: 2026-01-01\n    charges:\n" + charges)
    root = write_catalog(tmp_path / "c", {
        "catalog/a.yaml": "kind: product\nid: a\nname: A\nstatus: draft\n",
        "pricing/p.yaml": plan,
    }, "paths: [catalog, pricing]\n")
    source_bytes = len(plan)
    for fmt in ("json", "sarif", "text"):
        run = monops(*dated("lint"), "--root", str(root), "--format", fmt)
        assert_clean_exit(run)
        assert run.returncode == 1, run.stderr
        # 200 findings; before the fix each carried 10,000 characters of zeros (2 MB)
        assert len(run.stdout) < 3 * 1024 * AMOUNTS, (fmt, len(run.stdout), source_bytes)
        if fmt == "json":
            findings = [f for f in json.loads(run.stdout)["findings"]
                        if f["rule"] == "money-precision"]
            assert len(findings) == AMOUNTS
            assert "USD 0E-9999 has 9999 decimals" in findings[0]["message"].replace(".USD", " USD")
