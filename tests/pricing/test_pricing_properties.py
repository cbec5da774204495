"""Property tests for the pricing math (hypothesis): what must hold for every input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from monops_lint.app.workspace import Workspace
from monops_lint.catalog import Catalog
from monops_lint.model import Charge, FrozenMap, Scenario, Tier, Usage
from monops_lint.money import MONEY_CONTEXT, CurrencyError, decimals_of, minor_units
from monops_lint.pricing import (
    PricingError,
    Terms,
    invoice_for,
    plan_lines,
    plan_total,
    price_charge,
)
from tests.rules.example_twin import EXAMPLE

from .pricing_factories import D, catalog, channel, charge, plan, scenario, sub, usd

# Per test, not a global profile: other suites keep their own hypothesis settings.
thorough = settings(deadline=None, max_examples=200)

# Quantities with up to 3 decimals, rates with up to 6, fees with 2: all exact Decimals.
quantities = st.decimals(min_value=0, max_value=100_000, places=3)
rates = st.decimals(min_value=0, max_value=10, places=6)
fees = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def tier_lists(draw: st.DrawFn) -> tuple[Tier, ...]:
    """1-5 tiers with rising bounds, the last unbounded, non-negative prices in USD."""
    bounds = sorted(set(draw(st.lists(st.integers(1, 50_000), min_size=0, max_size=4))))
    tiers = []
    for up_to in [*bounds, None]:
        flat = draw(st.one_of(st.none(), fees))
        tiers.append(Tier(None if up_to is None else Decimal(up_to),
                          usd(str(draw(rates))),
                          FrozenMap() if flat is None else usd(str(flat))))
    return tuple(tiers)


def _price(c: Charge, q: Decimal) -> Decimal:
    return price_charge(c, "USD", q).amount


@thorough
@given(tier_lists(), quantities, quantities)
def test_graduated_never_falls_as_q_rises(tiers: tuple[Tier, ...], a: Decimal,
                                          b: Decimal) -> None:
    c = charge("g", "graduated", "usage", tiers=tiers)
    low, high = sorted((a, b))
    assert _price(c, low) <= _price(c, high)


@thorough
@given(tier_lists(), quantities)
def test_graduated_breakdown_adds_up(tiers: tuple[Tier, ...], q: Decimal) -> None:
    priced = price_charge(charge("g", "graduated", "usage", tiers=tiers), "USD", q)
    assert sum((p.units for p in priced.breakdown), Decimal(0)) == q
    assert sum((p.amount for p in priced.breakdown), Decimal(0)) == priced.amount


@thorough
@given(tier_lists(), quantities)
def test_volume_is_the_matching_tier_for_all_units(tiers: tuple[Tier, ...], q: Decimal) -> None:
    c = charge("v", "volume", "usage", tiers=tiers)
    match = next(t for t in tiers if t.up_to is None or q <= t.up_to)
    rate = match.unit_amount["USD"]
    fee = match.flat_amount.get("USD", Decimal(0))
    assert _price(c, q) == (q * rate + fee if q else 0)


@thorough
@given(st.integers(1, 1000), fees, st.integers(0, 50), st.booleans(),
       st.decimals(min_value=0, max_value=1, places=4))
def test_package_is_a_step_function(size: int, price: Decimal, k: int, round_up: bool,
                                    fraction: Decimal) -> None:
    c = charge("p", "package", "usage", amount=usd(str(price)), package_size=Decimal(size),
               round="up" if round_up else "down")
    at_multiple = _price(c, Decimal(k * size))
    assert at_multiple == k * price  # exactly k packages at k × size
    if 0 < fraction < 1:
        # strictly between two multiples: constant, and one `amount` above the lower
        # multiple when rounding up, equal to it when rounding down
        inside = _price(c, k * size + fraction * size)
        assert inside == at_multiple + (price if round_up else 0)
        assert _price(c, (k + 1) * size - Decimal("0.0001")) == inside
        assert _price(c, Decimal((k + 1) * size)) == at_multiple + price


CURRENCIES = {"USD": "0.0004", "JPY": "0.7", "BHD": "0.0125"}


@st.composite
def invoices(draw: st.DrawFn, tax_inclusive: bool) -> tuple[Scenario, Catalog, str]:
    """A one- or two-subscription scenario with pro-rated, tiered and rounded lines."""
    currency = draw(st.sampled_from(sorted(CURRENCIES)))
    digits = minor_units(currency)
    whole = st.decimals(min_value=0, max_value=10_000, places=digits)
    base = charge("base", "flat", amount=FrozenMap({currency: draw(whole)}))
    usage_rate = FrozenMap({currency: Decimal(CURRENCIES[currency])})
    calls = charge("calls", "graduated", "usage", metric="calls", included=draw(quantities),
                   tiers=(Tier(Decimal(1000), usage_rate), Tier(None, FrozenMap(
                       {currency: Decimal(CURRENCIES[currency]) / 2}))))
    p = plan("p", base, calls, trial_days=draw(st.integers(0, 40)),
             minimum=FrozenMap({currency: draw(whole)}))
    start = draw(st.one_of(st.none(), st.dates(dt.date(2026, 11, 1), dt.date(2027, 1, 31))))
    subs = [sub("p", start=start, usage={"calls": draw(quantities)})
            for _ in range(draw(st.integers(1, 2)))]
    cat = catalog(p, channel("web", "p", tax_inclusive=tax_inclusive))
    s = scenario(*subs, currency=currency, tax_rate=str(draw(st.decimals(0, 30, places=2))))
    return s, cat, draw(st.sampled_from(["half_up", "half_even"]))


@thorough
@given(invoices(tax_inclusive=False))
def test_no_line_has_more_decimals_than_its_currency(case: tuple[Scenario, Catalog, str]) -> None:
    s, cat, rounding = case
    invoice = invoice_for(s, cat, rounding)
    digits = minor_units(invoice.currency)
    for amount in [*(line.amount for line in invoice.lines), invoice.subtotal, invoice.tax,
                   invoice.total]:
        assert isinstance(amount, Decimal)
        assert decimals_of(amount) == digits
    assert invoice.total == invoice.subtotal + invoice.tax


@thorough
@given(invoices(tax_inclusive=True))
def test_tax_inclusive_total_is_the_sum_of_lines(case: tuple[Scenario, Catalog, str]) -> None:
    s, cat, rounding = case
    invoice = invoice_for(s, cat, rounding)
    assert invoice.total == sum((line.amount for line in invoice.lines), Decimal(0))
    assert invoice.total == invoice.subtotal
    assert 0 <= invoice.tax <= invoice.total


@thorough
@given(quantities)
def test_flat_usage_is_all_or_nothing(q: Decimal) -> None:
    c = charge("f", "flat", "usage", amount=usd("9.99"))
    assert _price(c, q) == (D("9.99") if q > 0 else 0)


def test_a_plans_total_is_the_sum_of_its_lines_on_the_example_catalog() -> None:
    """``plan_total`` (what the rules compare) works a period's total out without writing
    the lines; it must be the lines' sum for every plan, currency and kind of period, and
    fail where ``plan_lines`` fails."""
    example = Workspace.open(EXAMPLE, use_cache=False).catalog()
    usage: FrozenMap[str, Usage] = FrozenMap({
        "calls": D("12500.5"), "storage_gb": D("730"), "seats": D("3"),
        "transactions": (D("120.00"), D("7.50"))})
    periods = [Terms(D("1"), FrozenMap()), Terms(D("3"), usage, one_time=False),
               Terms(D("2"), usage, recurring_share=(10, 31), usage_share=(20, 31)),
               Terms(D("1"), FrozenMap(), phase="intro", one_time=False)]
    compared = failed = 0
    for written in example.plans.values():
        for version in written.versions:
            for currency in ("USD", "EUR", "GBP", "JPY", "XXX"):
                for terms in periods:
                    with localcontext(MONEY_CONTEXT):
                        try:
                            lines = plan_lines(written, version.charges, currency=currency,
                                               rounding="half_even", terms=terms)
                        except (PricingError, CurrencyError) as exc:
                            try:
                                plan_total(written, version.charges, currency=currency,
                                           rounding="half_even", terms=terms)
                            except (PricingError, CurrencyError) as again:
                                assert str(again) == str(exc)
                                failed += 1
                                continue
                            raise AssertionError(f"{written.id} {currency}: no error") from exc
                        total = plan_total(written, version.charges, currency=currency,
                                           rounding="half_even", terms=terms)
                    assert total == sum((line.amount for line in lines), Decimal(0)), written.id
                    compared += 1
    assert compared > 100 and failed > 10  # both paths are exercised
