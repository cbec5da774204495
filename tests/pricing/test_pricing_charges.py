"""One charge at a time: every model, tier bounds, q = 0, fractions, overrides, errors.

Every expectation was worked out by hand from SPEC section 3 and
docs/pricing.md; the arithmetic is in the comment beside it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from monops_lint.model import Charge, Offering, PriceOverride
from monops_lint.pricing import (
    PricingError,
    charges_in_channel,
    price_charge,
    scale_charge,
    transaction_fee,
)

from .pricing_factories import D, charge, money, tier, tiers_t, usd


def amount(c: Charge, q: str | tuple[str, ...], currency: str = "USD") -> Decimal:
    billable = D(q) if isinstance(q, str) else tuple(D(x) for x in q)
    return price_charge(c, currency, billable).amount


GRADUATED_T = charge("g", "graduated", "usage", tiers=tiers_t())
VOLUME_T = charge("v", "volume", "usage", tiers=tiers_t())
# tiers with flat fees: 1-10 at 1.00 + 5.00, above at 0.50 + 20.00
FEES = (tier("10", "1.00", "5.00"), tier(None, "0.50", "20.00"))


# --- graduated and tapered --------------------------------------------------------

@pytest.mark.parametrize(("q", "expected"), [
    ("100", "50.00"),    # exactly at the bound: 100×0.50 = 50.00, all in tier 1
    ("101", "50.40"),    # 100×0.50 + 1×0.40 = 50.40
    ("1000", "410.00"),  # 100×0.50 + 900×0.40 = 50 + 360 = 410.00
    ("1001", "410.30"),  # 100×0.50 + 900×0.40 + 1×0.30 = 410.30
    ("100.5", "50.20"),  # fractional: 100×0.50 + 0.5×0.40 = 50.20
    ("0.25", "0.125"),   # 0.25×0.50 = 0.125 (unrounded)
    ("0", "0"),          # q = 0 charges nothing
])
def test_graduated_t(q: str, expected: str) -> None:
    assert amount(GRADUATED_T, q) == D(expected)


def test_graduated_breakdown_at_tier_bound() -> None:
    portions = price_charge(GRADUATED_T, "USD", D("1000")).breakdown
    # (0, 100] 100 units at 0.50 = 50; (100, 1000] 900 units at 0.40 = 360; tier 3 holds none
    assert [(p.tier, p.above, p.up_to, p.units, p.amount) for p in portions] == [
        (1, D("0"), D("100"), D("100"), D("50.00")),
        (2, D("100"), D("1000"), D("900"), D("360.00"))]


@pytest.mark.parametrize(("q", "expected"), [
    ("12", "36.00"),    # 10×1.00 + 5.00 + 2×0.50 + 20.00 = 15 + 21 = 36.00
    ("10", "15.00"),    # 10×1.00 + 5.00; tier 2 holds no unit, so no 20.00 fee
    ("1", "6.00"),      # 1×1.00 + 5.00 = 6.00
    ("10.5", "35.25"),  # 10×1.00 + 5.00 + 0.5×0.50 + 20.00 = 15 + 20.25 = 35.25
    ("0", "0"),         # q = 0: nothing, flat tier fees included
])
def test_graduated_flat_fees(q: str, expected: str) -> None:
    assert amount(charge("g", "graduated", "usage", tiers=FEES), q) == D(expected)


def test_tapered_is_priced_as_graduated() -> None:
    tapered = charge("t", "tapered", "usage", tiers=(tier("50", "1.00"), tier(None, "0.80")))
    # 50×1.00 + 10×0.80 = 58.00
    assert amount(tapered, "60") == D("58.00")


# --- volume --------------------------------------------------------------------

@pytest.mark.parametrize(("q", "expected"), [
    ("100", "50.00"),     # 100 ≤ 100: tier 1, 100×0.50 = 50.00
    ("101", "40.40"),     # tier 2 prices all: 101×0.40 = 40.40
    ("100.25", "40.10"),  # fractional, above 100: 100.25×0.40 = 40.10
    ("1", "0.50"),        # 1×0.50
    ("0", "0"),           # q = 0 charges nothing
])
def test_volume_t(q: str, expected: str) -> None:
    assert amount(VOLUME_T, q) == D(expected)


@pytest.mark.parametrize(("q", "expected"), [
    ("11", "19.50"),  # tier 2 prices all: 11×1.50 + 3.00 = 16.50 + 3.00 = 19.50
    ("10", "21.00"),  # tier 1: 10×2.00 + 1.00 = 21.00
    ("0", "0"),       # q = 0: not even tier 1's flat fee
])
def test_volume_flat_fees(q: str, expected: str) -> None:
    # tiers: 1-10 at 2.00 + 1.00 flat, above at 1.50 + 3.00 flat
    fees_v = (tier("10", "2.00", "1.00"), tier(None, "1.50", "3.00"))
    assert amount(charge("v", "volume", "usage", tiers=fees_v), q) == D(expected)


# --- flat, per_unit, package --------------------------------------------------------

def test_flat_usage_is_zero_without_usage() -> None:
    c = charge("f", "flat", "usage", amount=usd("9.00"))
    assert amount(c, "0") == D("0")        # q = 0 for a usage charge: 0
    assert amount(c, "0.1") == D("9.00")   # any usage at all: the whole 9.00


def test_flat_recurring_ignores_quantity() -> None:
    c = charge("f", "flat", amount=usd("9.00"))
    assert amount(c, "0") == D("9.00")  # SPEC: amount, whatever q is (recurring)
    assert amount(c, "3") == D("9.00")  # not 3×9.00


def test_per_unit_fractional() -> None:
    c = charge("u", "per_unit", "usage", unit_amount=usd("0.40"))
    assert amount(c, "2.5") == D("1.00")  # 2.5×0.40 = 1.00


@pytest.mark.parametrize(("q", "rounding", "expected"), [
    ("1001", "down", "8.00"),  # floor(1001/250) = floor(4.004) = 4 × 2.00 = 8.00
    ("500", "up", "4.00"),     # 500/250 = 2 exactly: 2 × 2.00 = 4.00
    ("500", "down", "4.00"),   # same: an exact multiple rounds neither way
    ("0.5", "up", "2.00"),     # ceil(0.002) = 1 package × 2.00
    ("0.5", "down", "0"),      # floor(0.002) = 0 packages
    ("0", "up", "0"),          # q = 0: no package
    ("250.0001", "up", "4.00"),  # ceil(1.0000004) = 2 × 2.00 = 4.00
])
def test_package(q: str, rounding: str, expected: str) -> None:
    c = charge("p", "package", "usage", amount=usd("2.00"), package_size=D("250"),
               round=rounding)
    assert amount(c, q) == D(expected)


# --- percentage ------------------------------------------------------------------

CARD = charge("card", "percentage", "usage", metric="payments", rate=D("2.9"),
              fixed=usd("0.30"))


def test_percentage_without_clamp() -> None:
    # 100.00×2.9 % + 0.30 = 3.20; 20.00×2.9 % + 0.30 = 0.88; 3.20 + 0.88 = 4.08
    assert amount(CARD, ("100.00", "20.00")) == D("4.08")


def test_percentage_single_number_is_one_transaction() -> None:
    assert amount(CARD, "50.00") == D("1.75")  # 50.00×2.9 % + 0.30 = 1.45 + 0.30 = 1.75


def test_percentage_no_transactions() -> None:
    assert amount(CARD, ()) == D("0")  # no transactions, no fee


def test_transaction_fee_clamps() -> None:
    # 10×1.5 % + 0.25 = 0.40 -> raised to min 0.50; 1000×1.5 % + 0.25 = 15.25 -> max 5.00
    assert transaction_fee(D("10"), D("1.5"), D("0.25"), D("0.50"), D("5.00")) == D("0.50")
    assert transaction_fee(D("1000"), D("1.5"), D("0.25"), D("0.50"), D("5.00")) == D("5.00")
    # 100×1.5 % + 0.25 = 1.75, inside [0.50, 5.00]
    assert transaction_fee(D("100"), D("1.5"), D("0.25"), D("0.50"), D("5.00")) == D("1.75")


def test_percentage_needs_its_fixed_fee_in_the_currency() -> None:
    with pytest.raises(PricingError, match=r"charge 'card' has no fixed in EUR"):
        amount(CARD, ("10.00",), "EUR")


# --- channel overrides -------------------------------------------------------------

def test_scale_charge_by_percent() -> None:
    c = charge("c", "graduated", "usage", tiers=(tier("10", "0.50", "2.00"),
                                                 tier(None, "0.40")))
    scaled = scale_charge(c, D("5"))
    # 0.50×1.05 = 0.525; 2.00×1.05 = 2.10; 0.40×1.05 = 0.42
    assert scaled.tiers[0].unit_amount["USD"] == D("0.525")
    assert scaled.tiers[0].flat_amount["USD"] == D("2.10")
    assert scaled.tiers[1].unit_amount["USD"] == D("0.42")
    assert scaled.tiers[0].up_to == D("10")  # bounds are quantities, not scaled


def test_scale_percentage_charge_keeps_rate() -> None:
    c = charge("c", "percentage", "usage", rate=D("1.5"), fixed=usd("0.30"),
               min=usd("0.50"), max=usd("5.00"))
    scaled = scale_charge(c, D("5"))
    # fixed 0.30×1.05 = 0.315; min 0.50×1.05 = 0.525; max 5.00×1.05 = 5.25; rate stays 1.5
    assert (scaled.fixed["USD"], scaled.min["USD"], scaled.max["USD"], scaled.rate) == (
        D("0.315"), D("0.525"), D("5.25"), D("1.5"))


def test_scale_by_negative_percent_is_unrounded() -> None:
    c = charge("c", "per_unit", "usage", unit_amount=money(USD="0.0004", JPY="1"))
    scaled = scale_charge(c, D("-10"))
    # 0.0004×0.90 = 0.00036; 1×0.90 = 0.9 (JPY, unrounded: rounding is per line)
    assert scaled.unit_amount == money(USD="0.00036", JPY="0.9")


def test_override_charges_replace_the_version() -> None:
    own = charge("own", "flat", amount=usd("15.00"))
    offering = Offering("p", price_override=PriceOverride("partner", charges=(own,)))
    assert charges_in_channel((charge("base", "flat", amount=usd("20.00")),), offering) == (own,)


def test_override_percent_scales_every_charge() -> None:
    offering = Offering("p", price_override=PriceOverride("margin", percent=D("5")))
    base = charge("base", "flat", amount=usd("20.00"))
    (scaled,) = charges_in_channel((base,), offering)
    assert scaled.amount["USD"] == D("21.00")  # 20.00×1.05 = 21.00
    assert charges_in_channel((base,), None) == (base,)
    assert charges_in_channel((base,), Offering("p")) == (base,)


# --- what cannot be priced -----------------------------------------------------------

def test_missing_currency_names_charge_and_currency() -> None:
    with pytest.raises(PricingError, match=r"charge 'v' has no tier 1 unit_amount in JPY"):
        amount(VOLUME_T, "10", "JPY")
    with pytest.raises(PricingError, match=r"charge 'f' has no amount in EUR \(priced in USD\)"):
        amount(charge("f", "flat", amount=usd("1.00")), "1", "EUR")


def test_quantity_above_a_bounded_last_tier() -> None:
    bounded = charge("b", "graduated", "usage", tiers=(tier("10", "1.00"),))
    assert amount(bounded, "10") == D("10.00")  # 10×1.00, still inside (0, 10]
    with pytest.raises(PricingError, match="above its last tier"):
        amount(bounded, "10.5")
    with pytest.raises(PricingError, match="above its last tier"):
        amount(charge("b", "volume", "usage", tiers=(tier("10", "1.00"),)), "11")


def test_tiers_out_of_order_are_refused() -> None:
    bad = charge("b", "graduated", "usage", tiers=(tier("100", "1"), tier("50", "1"),
                                                   tier(None, "1")))
    with pytest.raises(PricingError, match="does not rise"):
        amount(bad, "10")


def test_list_for_a_quantity_charge_and_negative_quantity() -> None:
    with pytest.raises(PricingError, match="needs one quantity"):
        amount(VOLUME_T, ("1", "2"))
    with pytest.raises(PricingError, match="negative quantity"):
        amount(VOLUME_T, "-1")


def test_zero_package_size() -> None:
    with pytest.raises(PricingError, match="package_size must be above 0"):
        amount(charge("p", "package", amount=usd("1.00"), package_size=D("0")), "3")


def test_overflow_becomes_pricing_error() -> None:
    huge = charge("h", "per_unit", unit_amount=usd("9" * 30))
    with pytest.raises(PricingError, match="too large"):
        amount(huge, "1E+999999")
