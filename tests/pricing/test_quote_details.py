"""What `monops quote` says beyond the total (issue 15 item 17): usage above the plan's
limits, the pack count of a package charge, the fee terms of a percentage charge."""

from __future__ import annotations

import datetime as dt

from monops_lint.model import FrozenMap
from monops_lint.pricing import quote
from monops_lint.reporters.invoices.view import quote_json, quote_text

from .pricing_factories import D, catalog, charge, plan, usd

ON = dt.date(2027, 1, 15)


def test_usage_above_the_limit_is_said() -> None:
    events = charge("events", "per_unit", "usage", metric="events", unit_amount=usd("0.00"))
    free = plan("events-free", events, free=True, limits=FrozenMap({"events": D("5000000")}))
    result = quote("events-free", catalog(free), currency="USD", on=ON,
                   usage={"events": D("50000000")})
    assert result.total == D("0.00")  # what a free plan costs; but nobody can use 50 M on it
    assert any("50000000" in w and "events" in w and "limit of 5000000" in w
               for w in result.warnings), result.warnings
    text = quote_text(result)
    assert "warning: usage 50000000 of `events` exceeds the plan's limit of 5000000" in text
    assert quote_json(result)["warnings"] == list(result.warnings)


def test_usage_within_the_limit_says_nothing() -> None:
    events = charge("events", "per_unit", "usage", metric="events", unit_amount=usd("0.00"))
    free = plan("events-free", events, free=True, limits=FrozenMap({"events": D("5000000")}))
    result = quote("events-free", catalog(free), currency="USD", on=ON,
                   usage={"events": D("5000000")})
    assert result.warnings == ()
    assert "warning" not in quote_text(result)


def test_a_package_charge_shows_its_pack_count() -> None:
    # 1001 SMS in packs of 250 at 2.00: ceil(1001 / 250 = 4.004) = 5 packs x 2.00 = 10.00.
    sms = charge("sms", "package", "usage", metric="sms", package_size=D("250"),
                 amount=usd("2.00"))
    result = quote("team", catalog(plan("team", sms)), currency="USD", on=ON,
                   usage={"sms": D("1001")})
    assert result.total == D("10.00")
    line = quote_text(result).splitlines()[2]
    assert line.split()[-6:] == ["5", "packs", "of", "250", "×", "$2.00"], line


def test_a_percentage_charge_shows_its_fee_min_and_max() -> None:
    # 1.5 % + 0.25 per transaction, min 0.50, max 5.00: 10.00 -> 0.40 -> 0.50;
    # 1000.00 -> 15.25 -> 5.00; total 5.50.
    fees = charge("fees", "percentage", "usage", metric="payments", rate=D("1.5"),
                  fixed=usd("0.25"), min=usd("0.50"), max=usd("5.00"))
    result = quote("pay", catalog(plan("pay", fees)), currency="USD", on=ON,
                   usage={"payments": (D("10.00"), D("1000.00"))})
    assert result.total == D("5.50")
    text = quote_text(result)
    assert "2 transactions at 1.5 % + $0.25 each, min $0.50, max $5.00" in text, text
    assert quote_json(result)["lines"][0]["fee"] == {
        "rate": "1.5", "fixed": "0.25", "min": "0.50", "max": "5.00"}


def test_a_percentage_charge_without_bounds() -> None:
    fees = charge("fees", "percentage", "usage", metric="payments", rate=D("2.9"))
    result = quote("pay", catalog(plan("pay", fees)), currency="USD", on=ON,
                   usage={"payments": D("100.00")})
    # 2.9 % of 100.00 = 2.90, no fixed fee, no bounds.
    assert result.total == D("2.90")
    assert "1 transaction at 2.9 % each" in quote_text(result)
    assert quote_json(result)["lines"][0]["fee"] == {
        "rate": "2.9", "fixed": None, "min": None, "max": None}
