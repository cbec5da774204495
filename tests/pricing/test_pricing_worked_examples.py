"""The nine worked examples of SPEC section 3, exactly as the table gives them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from monops_lint.pricing import invoice_for, price_charge

from .pricing_factories import (
    D,
    catalog,
    channel,
    charge,
    flat,
    plan,
    scenario,
    sub,
    tiers_t,
    usd,
)


def test_graduated_t_1500() -> None:
    priced = price_charge(charge("c", "graduated", "usage", tiers=tiers_t()), "USD", D("1500"))
    # 100×0.50 + 900×0.40 + 500×0.30 = 50 + 360 + 150 = 560.00
    assert priced.amount == D("560.00")
    assert [(p.tier, p.units, p.unit_amount) for p in priced.breakdown] == [
        (1, D("100"), D("0.50")), (2, D("900"), D("0.40")), (3, D("500"), D("0.30"))]


def test_volume_t_1000() -> None:
    priced = price_charge(charge("c", "volume", "usage", tiers=tiers_t()), "USD", D("1000"))
    # 1000 ≤ 1000: tier 2 prices all units: 1000×0.40 = 400.00
    assert priced.amount == D("400.00")
    assert priced.unit_amount == D("0.40")


def test_volume_t_1001_cliff() -> None:
    priced = price_charge(charge("c", "volume", "usage", tiers=tiers_t()), "USD", D("1001"))
    # 1001 > 1000: tier 3 prices all units: 1001×0.30 = 300.30 (99.70 less than q = 1000)
    assert priced.amount == D("300.30")
    assert D("400.00") - priced.amount == D("99.70")


def test_package_250_at_2() -> None:
    c = charge("c", "package", "usage", amount=usd("2.00"), package_size=D("250"))
    # ceil(1001 / 250) = ceil(4.004) = 5 packages × 2.00 = 10.00
    assert price_charge(c, "USD", D("1001")).amount == D("10.00")


def test_percentage_with_min_and_max() -> None:
    c = charge("fees", "percentage", "usage", metric="payments", rate=D("1.5"),
               fixed=usd("0.25"), min=usd("0.50"), max=usd("5.00"))
    # 10.00 × 1.5 % + 0.25 = 0.40 -> min 0.50; 1000.00 × 1.5 % + 0.25 = 15.25 -> max 5.00
    # 0.50 + 5.00 = 5.50
    assert price_charge(c, "USD", (D("10.00"), D("1000.00"))).amount == D("5.50")


def test_flat_prorated_from_day_10_of_30() -> None:
    cat = catalog(plan("basic", flat("base", "31.00")))
    april = scenario(sub("basic", start=dt.date(2027, 4, 10)),
                     start=dt.date(2027, 4, 1), end=dt.date(2027, 4, 30))
    invoice = invoice_for(april, cat)
    # active April 10..30 = 21 of 30 days: 31.00 × 21/30 = 21.70
    assert [line.amount for line in invoice.lines] == [D("21.70")]
    assert invoice.lines[0].prorated == (21, 30)


def test_sub_cent_per_unit_rounded_per_line() -> None:
    rate = charge("api", "per_unit", "usage", metric="calls", unit_amount=usd("0.0004"))
    cat = catalog(plan("api", rate))
    invoice = invoice_for(scenario(sub("api", usage={"calls": D("12345")})), cat)
    # 0.0004 × 12,345 = 4.938 -> 4.94
    assert invoice.lines[0].exact == D("4.938")
    assert invoice.lines[0].amount == D("4.94")


def test_tax_inclusive_119_at_19() -> None:
    cat = catalog(plan("box", flat("base", "119.00")),
                  channel("retail", "box", tax_inclusive=True))
    invoice = invoice_for(scenario(sub("box"), channel="retail", tax_rate="19"), cat)
    # tax = 119.00 × 19 / (100 + 19) = 19.00; total = subtotal = 119.00
    assert (invoice.subtotal, invoice.tax, invoice.total) == (D("119.00"), D("19.00"),
                                                               D("119.00"))


def test_tax_exclusive_100_at_8_25() -> None:
    cat = catalog(plan("box", flat("base", "100.00")))
    invoice = invoice_for(scenario(sub("box"), tax_rate="8.25"), cat)
    # tax = 100.00 × 8.25 / 100 = 8.25; total = 100.00 + 8.25 = 108.25
    assert (invoice.subtotal, invoice.tax, invoice.total) == (D("100.00"), D("8.25"),
                                                               D("108.25"))
    assert invoice.tax_rate == Decimal("8.25")
