"""Quotes: one plan over one billing period, no trial, no proration (docs/pricing.md "Quote")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from monops_lint.model import Plan, PlanVersion, PriceOverride
from monops_lint.pricing import PricingError, quote

from .pricing_factories import D, catalog, channel, charge, flat, money, plan, tiers_t, usd

ON = dt.date(2027, 1, 15)
STORAGE = charge("storage", "graduated", "usage", metric="storage", included=D("5"),
                 tiers=tiers_t())
STANDARD = plan("standard", flat("base", "5.00"), STORAGE, trial_days=14)


def test_quote_with_usage_and_breakdown() -> None:
    q = quote("standard", catalog(STANDARD), currency="USD", usage={"storage": D("1505")},
              on=ON)
    # base 5.00 (no trial, no proration in a quote, even mid-month);
    # storage 1505 − 5 = 1500: 100×0.50 + 900×0.40 + 500×0.30 = 560.00; total 565.00
    assert [(line.charge, line.amount) for line in q.lines] == [("base", D("5.00")),
                                                                 ("storage", D("560.00"))]
    assert [p.units for p in q.lines[1].breakdown] == [D("100"), D("900"), D("500")]
    assert q.total == D("565.00")


def test_quote_quantity_and_one_time() -> None:
    seats = charge("seats", "per_unit", unit_amount=usd("4.00"))
    p = plan("team", seats, flat("setup", "99.00", "one_time"))
    q = quote("team", catalog(p), currency="USD", quantity=D("3"), on=ON)
    # 3 × 4.00 = 12.00; setup 99.00 (flat: whatever the quantity); total 111.00
    assert [line.amount for line in q.lines] == [D("12.00"), D("99.00")]
    assert q.total == D("111.00")


def test_quote_in_a_channel_with_percent_override() -> None:
    web = channel("web", "standard",
                  overrides={"standard": PriceOverride("margin", percent=D("10"))})
    q = quote("standard", catalog(STANDARD, web), currency="USD", channel="web", on=ON,
              usage={"storage": D("105")})
    # base 5.00 × 1.10 = 5.50; storage 100 × 0.55 = 55.00 (0.50 × 1.10); total 60.50
    assert [line.amount for line in q.lines] == [D("5.50"), D("55.00")]
    assert q.total == D("60.50")
    without = quote("standard", catalog(STANDARD, web), currency="USD", on=ON,
                    usage={"storage": D("105")})
    assert without.total == D("55.00")  # 5.00 + 100 × 0.50, no channel: catalog price


def test_quote_jpy_and_minimum() -> None:
    p = plan("jp", charge("calls", "per_unit", "usage", metric="calls",
                          unit_amount=money(JPY="0.4")), minimum=money(JPY="1000"))
    q = quote("jp", catalog(p), currency="JPY", usage={"calls": D("1234")}, on=ON)
    # 1234 × 0.4 = 493.6 -> 494; true-up 1000 − 494 = 506; total 1000
    assert [line.amount for line in q.lines] == [D("494"), D("506")]
    assert q.total == D("1000")


def test_quote_transactions() -> None:
    fees = charge("fees", "percentage", "usage", metric="payments", rate=D("1.5"),
                  fixed=usd("0.25"), min=usd("0.50"), max=usd("5.00"))
    q = quote("pay", catalog(plan("pay", fees)), currency="USD", on=ON,
              usage={"payments": (D("10.00"), D("1000.00"))})
    assert q.total == D("5.50")  # 0.40 -> 0.50 and 15.25 -> 5.00: 5.50


def test_quote_uses_the_version_on_the_date() -> None:
    p = Plan(id="p", name="P", billing_period="month", product="x", versions=(
        PlanVersion(dt.date(2026, 1, 1), (flat("base", "10.00"),)),
        PlanVersion(dt.date(2027, 2, 1), (flat("base", "11.00"),))))
    assert quote("p", catalog(p), currency="USD", on=ON).total == D("10.00")
    assert quote("p", catalog(p), currency="USD", on=dt.date(2027, 2, 1)).total == D("11.00")
    with pytest.raises(PricingError, match="no version in effect on 2025-06-01"):
        quote("p", catalog(p), currency="USD", on=dt.date(2025, 6, 1))


def test_quote_refuses_what_it_cannot_price() -> None:
    cat = catalog(STANDARD)
    with pytest.raises(PricingError, match=r"^quote of plan 'standard' in EUR: charge 'base' "
                                           r"has no amount in EUR"):
        quote("standard", cat, currency="EUR", on=ON)
    with pytest.raises(PricingError, match="unknown plan"):
        quote("gold", cat, currency="USD", on=ON)
    with pytest.raises(PricingError, match="unknown channel 'mars'"):
        quote("standard", cat, currency="USD", channel="mars", on=ON)
    with pytest.raises(PricingError, match="not an ISO 4217"):
        quote("standard", cat, currency="XYZ", on=ON)
    with pytest.raises(PricingError, match="finite Decimal"):
        quote("standard", cat, currency="USD", quantity=1.5, on=ON)  # type: ignore[arg-type]


def test_quote_notes_unknown_metrics() -> None:
    q = quote("standard", catalog(STANDARD), currency="USD", usage={"bandwidth": D("3")},
              on=ON)
    assert q.total == D("5.00")  # storage absent: 0 − 5 -> 0; base 5.00
    assert any("'bandwidth' is not a metric" in n for n in q.notes)
    assert isinstance(q.total, Decimal)
