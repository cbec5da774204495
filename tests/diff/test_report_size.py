"""The pull-request comment stays under 65,000 characters whatever the change (SPEC section 6).

500 generated sample customers on Drive Plus, and a change that moves every
one of their invoices: the md report shortens its middle and says so, and
keeps the marker, the headline, the findings and the footer; the json
report keeps everything.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.diff.conftest import CatalogRepo

pytestmark = pytest.mark.e2e  # monops runs in a subprocess (CatalogRepo.monops)

COUNT = 500
MARKER = "<!-- monops-report -->"


def bulk_scenario(index: int) -> str:
    """A web customer in March 2027 storing 200 + index GB on Drive Plus (US, 8.25 %)."""
    return f"""\
kind: scenario
id: bulk-{index:03d}
name: Generated Drive Plus customer {index}
channel: web
currency: USD
period: {{start: 2027-03-01, end: 2027-03-31}}
customer: {{name: Customer {index}, country: US, tax_rate: 8.25}}
subscriptions:
  - plan: storage-plus
    start: 2026-10-01
    usage: {{storage_gb: {200 + index}}}
"""


def test_a_change_to_every_invoice_of_500_scenarios(example: CatalogRepo) -> None:
    for index in range(COUNT):
        example.write(f"scenarios/bulk/bulk-{index:03d}.yaml", bulk_scenario(index))
    base = example.commit("500 sample customers")
    # The change: storage-plus's version in effect is edited in place, USD 4.99 -> 5.49.
    # Every bulk invoice moves (and history-rewrite is introduced).
    example.replace("pricing/storage.yaml", "amount: {USD: 4.99, EUR: 4.59, JPY: 750}",
                    "amount: {USD: 5.49, EUR: 4.59, JPY: 750}")
    reports = example.reports(base)
    md = reports.md
    assert reports.returncode == 1

    assert len(md) < 65_000
    lines = md.splitlines()
    assert lines[0] == MARKER
    # Which invoices change: the 500 bulk ones, and the two other USD storage-plus
    # customers, us-partner-msp-backup and us-web-drive-shop: 502 of 500 + 11 = 511.
    # The largest rise: bulk-i's subtotal is 4.99 + (100 + i) × 0.02 = 6.99 + 0.02 i before
    # and 7.49 + 0.02 i after, so Δ = 0.50 + the change of tax, which is 0.04 or 0.05
    # depending on how the two taxes round. In cents, tax before = 57.6675 + 0.165 i and
    # after = 61.7925 + 0.165 i; for i = 0…4 they round to 58 and 62 (Δ 0.54), for i = 5
    # to 58 (58.4925) and 63 (62.6175): Δ 0.55. So:
    #   bulk-000: 0.54 / (6.99 + 0.58 = 7.57) = 7.133 %
    #   bulk-005: 0.55 / (7.09 + 0.58 = 7.67) = 7.171 %  -> +7.2 %, the largest: every later
    #   bulk has a larger total and Δ at most 0.55; the two other invoices rise < 1 %.
    # Then (issue 15 items 11 and 21) the price change, 0.50 / 4.99 = +10.02 % -> +10.0 %,
    # and Σ weight × Δ in USD: each bulk customer weighs 1 (Δ_i worked out below from the
    # subtotals above); us-web-drive-shop (weight 1200): Drive Plus 5.49 × 22/31 = 3.896…
    # -> 3.90 (was 3.54), half-price discount −round(14.90 / 2) = −7.45 (was −7.27),
    # subtotal 30.18, tax 2.48985 -> 2.49, total 32.67 (was 32.48): +0.19; us-partner-msp-
    # backup (weight 300): subtotal 295.69 + 0.50 = 296.19, tax 24.435675 -> 24.44 (was
    # 24.39): +0.55.
    cent = Decimal("0.01")
    rate = Decimal("0.0825")
    bulk_delta = sum((Decimal("0.50")
                      + ((Decimal("7.49") + Decimal("0.02") * i) * rate).quantize(cent,
                                                                              ROUND_HALF_UP)
                      - ((Decimal("6.99") + Decimal("0.02") * i) * rate).quantize(cent,
                                                                              ROUND_HALF_UP)
                      for i in range(COUNT)), Decimal(0))
    weighted = bulk_delta + 1200 * Decimal("0.19") + 300 * Decimal("0.55")
    assert lines[2] == ("## monops: 502 of 511 sample invoices change — largest rise +7.2 % "
                        "(bulk-005) — prices changed: storage-plus +10.0 % — "
                        f"customer-weighted Δ: USD +{weighted:.2f}")
    # The findings survive the shortening: the edit in place, at pricing/storage.yaml
    # line 44 (`        amount: {USD: 4.99, ...}` of storage-plus), column 23.
    assert "### Findings this change introduces (1)" in md
    assert "`pricing/storage.yaml:44:23` **history-rewrite**" in md
    # It says it was shortened, in the footer, which is still last.
    assert lines[-1].startswith("<sub>monops ") and lines[-2] == "---"
    assert "shortened" in lines[-1]
    hidden = re.search(r"…line changes of (\d+) more invoice\(s\) not shown here", md)
    assert hidden, md[-3000:]
    assert md.count("<details>") == md.count("</details>") == 502 - int(hidden.group(1))

    # The json report holds all of them.
    bulk = [i for i in reports.data["invoices"] if i["scenario"].startswith("bulk-")]
    assert len(bulk) == COUNT and all(i["changed"] for i in bulk)
    assert len(reports.data["invoices"]) == COUNT + 11
    first = next(i for i in bulk if i["scenario"] == "bulk-000")
    assert (first["before"]["total"], first["after"]["total"]) == ("7.57", "8.11")
    # bulk-499: q = 699 − 100 = 599 GB × 0.02 = 11.98;
    #   before 4.99 + 11.98 = 16.97, tax 1.400025 -> 1.40, total 18.37;
    #   after  5.49 + 11.98 = 17.47, tax 1.441275 -> 1.44, total 18.91.
    last = next(i for i in bulk if i["scenario"] == "bulk-499")
    assert (last["before"]["total"], last["after"]["total"]) == ("18.37", "18.91")
    assert [f["rule"] for f in reports.data["findings"]["introduced"]] == ["history-rewrite"]
    # The html artifact is not limited: every changed invoice is in it.
    assert reports.html.count('class="invoice-head"') == 502


def test_the_limit_is_counted_as_github_counts_it(example: CatalogRepo) -> None:
    # The changed line's description holds 300 emoji: each is 1 code point but 2 UTF-16
    # units, the unit JavaScript and GitHub's API count in. Measured in code points, the
    # report would fit while GitHub counts it over the limit.
    example.replace("pricing/storage.yaml", "description: Drive Plus monthly fee",
                    "description: Drive Plus monthly fee " + "\U0001F389" * 300)
    for index in range(300):
        example.write(f"scenarios/bulk/bulk-{index:03d}.yaml", bulk_scenario(index))
    base = example.commit("300 customers of a festive plan")
    example.replace("pricing/storage.yaml", "amount: {USD: 4.99, EUR: 4.59, JPY: 750}",
                    "amount: {USD: 5.49, EUR: 4.59, JPY: 750}")
    md = example.reports(base).md
    assert md.count("\U0001F389" * 300) >= 20
    assert len(md.encode("utf-16-le")) // 2 <= 65_000
    assert md.splitlines()[-1].startswith("<sub>monops ")  # shortened in the middle, not cut
