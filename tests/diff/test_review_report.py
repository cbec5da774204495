"""What a release manager asked of the review (issue 15 items 11 to 15 and 21): the plans
whose prices changed in the headline, net revenue beside the total, one invoice's change
split by cause, a removed offering that says what it means, the green light on notice, a
fall that is not coloured as good news, and the customer-weighted change.

Today is 2026-11-25 (tests/diff/conftest.py).
"""

from __future__ import annotations

from tests.diff.conftest import CatalogRepo
from tests.diff.test_diff_e2e import storage_plus_version

WEB_INCLUSIVE = ("tax_inclusive: false", "tax_inclusive: true")


def test_a_price_change_no_sample_invoice_shows_is_in_the_headline(
        example: CatalogRepo) -> None:
    # storage-plus rises from 2027-06-01: after every sample period (January to March).
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-06-01"))
    reports = example.reports(html=False)
    # USD 4.99 -> 5.99 and JPY 750 -> 900: +20.0 %, the largest (EUR 4.59 -> 5.49: +19.6 %).
    assert reports.md.splitlines()[2] == ("## monops: No sample invoice changes (11 checked) "
                                          "— prices changed: storage-plus +20.0 %")
    assert reports.data["price_changes"] == {"storage-plus": "20.04"}


def test_net_revenue_beside_the_total_and_tax_included(example: CatalogRepo) -> None:
    example.replace("catalog/channels/web.yaml", *WEB_INCLUSIVE)
    reports = example.reports()
    # us-web-drive-shop: subtotal 30.00 both sides. Before: tax 8.25 % on top = 2.48, total
    # 32.48, net 30.00. After (inclusive): tax 30.00 × 8.25 / 108.25 = 2.2864 -> 2.29 inside
    # the total 30.00, net 30.00 − 2.29 = 27.71: the company now absorbs the tax (−2.29).
    shop = reports.invoice("us-web-drive-shop")
    assert shop["net"] == {"before": "30.00", "after": "27.71"}
    assert shop["tax_inclusive"] == {"before": False, "after": True}
    assert "| | Subtotal | USD 30.00 | USD 30.00 | ±0.00 |" in reports.md
    assert "| | Tax | USD 2.48 | USD 2.29 (included) | −0.19 |" in reports.md
    assert "| | Net (before tax) | USD 30.00 | USD 27.71 | −2.29 |" in reports.md
    assert "Net (before tax)" in reports.html and "USD 2.29 (included)" in reports.html


def test_one_invoice_two_causes(example: CatalogRepo) -> None:
    # storage-plus rises from 2027-02-01 and web turns tax-inclusive. us-web-drive-shop
    # (March): Drive Plus 5.99 × 22/31 = 4.2509… -> 4.25, discount −round(15.25 / 2) = −7.63,
    # subtotal 4.25 + 11.00 − 7.63 + 22.73 = 30.35. Priced with the base's tax mode (8.25 %
    # on top): tax 2.503875 -> 2.50, total 32.85, so the new price gives 32.85 − 32.48 =
    # +0.37; inclusive, the total is 30.35, so the tax mode gives 30.35 − 32.85 = −2.50.
    # Together: 30.35 − 32.48 = −2.13.
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.replace("catalog/channels/web.yaml", *WEB_INCLUSIVE)
    reports = example.reports()
    shop = reports.invoice("us-web-drive-shop")
    assert shop["delta"] == "-2.13"
    assert shop["causes"] == [
        {"cause": "channel web's tax mode (now includes tax)", "delta": "-2.50"},
        {"cause": "the new prices of plan storage-plus", "delta": "0.37"}]
    why = ("−2.50 from channel web's tax mode (now includes tax); +0.37 from the new prices "
           "of plan storage-plus")
    assert f"Why the total moved: {why}." in reports.md
    assert why.replace("'", "&#39;") in reports.html  # (escaped as HTML)


def test_a_removed_offering_says_what_it_means(example: CatalogRepo) -> None:
    # web stops selling the free Drive tier; two web customers have it (us-web-fiber-welcome,
    # jp-web-home-duo-move). Their amounts stay (a free plan costs nothing anyway), but they
    # are now billed for a plan web does not offer.
    example.replace("catalog/channels/web.yaml",
                    "  - plan: storage-free\n    upsell: [storage-plus]\n", "")
    reports = example.reports()
    row = [c for c in reports.data["catalog_changes"]
           if c["id"] == "web" and c["field"] == "offerings[storage-free]"]
    assert len(row) == 1 and row[0]["change"] == "removed"
    assert row[0]["note"] == ("off sale in web: nobody can subscribe here any more; existing "
                              "subscribers keep being billed, at the plan's catalog price "
                              "(see the invoice notes)")
    note = "Drive Free: plan storage-free is not offered in channel web: priced at its " \
        "catalog price"
    for scenario in ("us-web-fiber-welcome", "jp-web-home-duo-move"):
        invoice = reports.invoice(scenario)
        assert invoice["changed"] is False and invoice["terms_changed"] is True
        assert note in invoice["notes"]["after"] and note not in invoice["notes"]["before"]
    assert "**2 invoice(s) keep their amounts on other terms:**" in reports.md
    assert f"- `us-web-fiber-welcome` (web): {note}" in reports.md
    assert "Same amounts, other terms (2)" in reports.html


def test_the_green_light_on_notice(example: CatalogRepo) -> None:
    # storage-plus from 2027-02-01: 2026-11-25 -> 2026-12-25 is 30 days, -> 2027-01-25 61,
    # -> 2027-02-01 68 days' notice, over the policy of 30. tv-basic from 2026-12-05: 10 days.
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.append_version("pricing/tv.yaml", "tv-basic", """\
  - effective_from: 2026-12-05
    charges:
      - id: base
        description: TV Basic monthly fee
        type: recurring
        model: flat
        amount: {USD: 25.99, EUR: 23.99, JPY: 3900}
""")
    reports = example.reports()
    assert ("- ✅ plan `storage-plus`: effective 2027-02-01: 68 days' notice, policy 30 — "
            "charges\\[base\\].amount.USD: USD 4.99 → USD 5.99 (+20.0 %) and 2 more") \
        in reports.md  # (catalog text, its brackets escaped for Markdown)
    assert "- ❌ plan `tv-basic`: effective 2026-12-05: 10 days' notice, policy 30" \
        in reports.md
    notices = {n["plan"]: n for n in reports.data["notices"]}
    assert notices["storage-plus"]["enough"] is True and notices["storage-plus"]["days"] == 68
    assert notices["tv-basic"]["enough"] is False and notices["tv-basic"]["policy"] == 30
    assert "effective 2027-02-01: 68 days&#39; notice, policy 30" in reports.html


def test_a_fall_is_not_coloured_as_good_news(example: CatalogRepo) -> None:
    example.replace("catalog/channels/web.yaml", *WEB_INCLUSIVE)
    html = example.reports().html
    assert 'class="down">−2.48 −7.6 %' in html
    # The colour of a fall is the neutral grey, never the green it was.
    assert "--down: #067647" not in html and "--down: #475467" in html


def test_the_customer_weighted_change_per_currency(example: CatalogRepo) -> None:
    # A customer with TV Basic alone, standing for 250 customers; then tv-basic rises to
    # 25.99 from 2027-01-01 (37 days' notice).
    example.write("scenarios/us-web-tv.yaml", """\
kind: scenario
id: us-web-tv
channel: web
currency: USD
period: {start: 2027-02-01, end: 2027-02-28}
customer: {name: Sam Doe, country: US, tax_rate: 0}
weight: 250
subscriptions:
  - plan: tv-basic
    start: 2026-10-01
""")
    base = example.commit("a TV customer standing for 250")
    example.append_version("pricing/tv.yaml", "tv-basic", """\
  - effective_from: 2027-01-01
    charges:
      - id: base
        description: TV Basic monthly fee
        type: recurring
        model: flat
        amount: {USD: 25.99, EUR: 22.99, JPY: 3750}
""")
    reports = example.reports(base, html=False)
    # 24.99 -> 25.99 at tax 0: Δ +1.00, × 250 customers = +250.00.
    assert reports.data["weighted_delta"] == {"USD": "250.00"}
    assert reports.invoice("us-web-tv")["weight"] == "250"
    assert reports.md.splitlines()[2].endswith("customer-weighted Δ: USD +250.00")
