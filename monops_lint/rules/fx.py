"""fx-consistency: every currency's price against the base currency's × the FX rate.

It compares the amounts a plan is written in (and a channel's own
charges), one currency against another: no price is worked out here, and
the rounding slack follows how each amount is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Amounts, Charge
from monops_lint.money import CurrencyError, decimals_of, minor_units, number_str, quantize
from monops_lint.pricing import PricingError
from monops_lint.pricing.charges import money_arithmetic
from monops_lint.rules.offer_prices import (
    MONEY_FIELDS,
    catalog_prices,
    percent,
    price_key,
    rate,
    sold_as,
    versions_in_force,
)
from monops_lint.rules.registry import RuleContext, rule


def _charge_money(charge: Charge) -> Iterator[tuple[tuple[object, ...], str, Amounts]]:
    """(keys below the charge, label, amounts) for every money field of a charge."""
    for name in MONEY_FIELDS:
        yield (name,), name, getattr(charge, name)
    for number, tier in enumerate(charge.tiers):
        yield ("tiers", number, "unit_amount"), f"tier {number + 1} unit_amount", \
            tier.unit_amount
        yield ("tiers", number, "flat_amount"), f"tier {number + 1} flat_amount", \
            tier.flat_amount


def _writable(amount: Decimal, currency: str, label: str) -> Decimal:
    """A suggestion money-precision accepts: unit rates keep their digits, amounts are
    rounded to the currency's minor unit."""
    if "unit_amount" in label:
        return amount
    try:
        return quantize(amount, currency)
    except CurrencyError:
        return amount


@rule("fx-consistency", Severity.WARNING)
def fx_consistency(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A currency's price that strays from the base currency's × the configured FX rate.

    ## What it does
    For every money field of every charge (`amount`, `unit_amount`, tier
    `unit_amount` and `flat_amount`, `fixed`, `min`, `max`) and every plan
    `minimum` written in the base currency (`base_currency` in
    monops.yaml), checks each other currency with a rate in `fx.rates`:
    the amount must be within `fx.tolerance` (relative, default 0.10) of
    base × rate. The threshold lives in the config's `fx` section, shared
    by every FX check, not in a rule option.

    The comparison is exact (`Decimal`, neither side rounded), with the
    rounding the written price implies as extra slack: half a minor unit
    of the currency - or half the last digit written, for a unit rate
    written more finely. A small price in a currency without decimals can
    be off by far more than 10 % through rounding alone: USD 0.023 × 150 =
    JPY 3.45, and JPY 3 and JPY 4 both pass (within 10 % plus half a yen),
    JPY 5 does not, and JPY 3.9, written to a tenth of a yen, gets 0.05 of
    slack and fails. A currency without a
    configured rate is not checked (add it to `fx.rates` to check it), nor
    is a field with no base-currency amount (`currency-coverage`'s
    business). Looked at: the version in effect today and every later one,
    and the charges a channel's `price_override` writes in full. A percent
    override scales every currency alike and is not looked at.

    ## Why is this bad?
    EUR prices set from an old rate, or with a slipped digit, sell the same
    plan much cheaper (or dearer) to one market.

    ## Example
    ```yaml
    # monops.yaml: base_currency: USD, fx: {rates: {EUR: 0.92}, tolerance: 0.10}
    amount: {USD: 10.00, EUR: 12.00}   # USD 10.00 × 0.92 = EUR 9.20; 12.00 is 30.4 % above
    ```

    ## Use instead
    ```yaml
    amount: {USD: 10.00, EUR: 9.49}
    ```
    """
    if not ctx.config.fx_rates:
        return
    for price in catalog_prices(catalog, ctx.today):
        who = sold_as(price, ctx.today)
        if price.channel is None and price.version is versions_in_force(
                price.plan, ctx.today)[0][1]:
            yield from _fx_findings(ctx, (who, price.plan.id), "minimum", price.plan.minimum,
                                    partial(price.plan.origin.at, "minimum"))
        try:
            charges = price.charges()
        except PricingError:
            continue
        key = price_key(price)
        for index, charge in enumerate(charges):
            for keys, label, amounts in _charge_money(charge):
                yield from _fx_findings(ctx, (who, key),
                                        f"charge {charge.id} {label}", amounts,
                                        partial(price.charge_at, index, *keys))


def _fx_findings(ctx: RuleContext, what: tuple[str, str], label: str, amounts: Amounts,
                 at: Callable[[str], Location]) -> Iterator[Finding]:
    """``amounts`` against the base amount × rate; ``what`` is (who, key) for the finding."""
    base, rates, tolerance = (ctx.config.base_currency, ctx.config.fx_rates,
                              ctx.config.fx_tolerance)
    who, key = what
    written = amounts.get(base)
    if written is None:
        return
    for currency, value in amounts.items():
        fx = rates.get(currency)
        if currency == base or fx is None:
            continue
        try:
            digits = max(minor_units(currency), decimals_of(value))
            with money_arithmetic(f"{label} in {currency}"):
                expected = written * fx
                slack = tolerance * expected + Decimal(5).scaleb(-digits - 1)
                if abs(value - expected) <= slack:
                    continue
                off = (f"{percent((value - expected) / expected * 100)} % above" if value >
                       expected else f"{percent((expected - value) / expected * 100)} % below"
                       ) if expected else "above"
        except (PricingError, CurrencyError):
            continue
        yield ctx.finding(
            at(currency),
            f"{who}, {label}: {rate(value, currency)} is {off} {rate(written, base)} × "
            f"{number_str(fx)} = {rate(expected, currency)} (tolerance "
            f"{percent(tolerance * 100)} %)",
            f"write about {rate(_writable(expected, currency, label), currency)}, or correct "
            f"fx.rates.{currency} in monops.yaml if the exchange rate moved",
            key=f"{key}:{label}:{currency}",
            related=[(at(base), f"the {base} amount")])
