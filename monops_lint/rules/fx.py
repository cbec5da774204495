"""fx-consistency: every currency's price against the base currency's × the FX rate.

It compares the amounts a plan is written in (and a channel's own
charges), one currency against another: no price is worked out here, and
the rounding slack follows how each amount is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, DecimalException
from functools import partial
from typing import cast

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Amounts, Charge
from monops_lint.money import (
    MONEY_CONTEXT,
    UNIT_AMOUNT_MAX_DECIMALS,
    CurrencyError,
    decimals_of,
    minor_units,
    number_str,
    quantize,
)
from monops_lint.pricing import PricingError
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.prices import (
    MONEY_FIELDS,
    catalog_prices,
    percent,
    price_key,
    rate,
    sold_as,
    versions_in_force,
)


def _charge_money(charge: Charge) -> Iterator[tuple[tuple[object, ...], Amounts]]:
    """(keys below the charge, amounts) for every money field of a charge."""
    for name in MONEY_FIELDS:
        yield (name,), getattr(charge, name)
    for number, tier in enumerate(charge.tiers):
        yield ("tiers", number, "unit_amount"), tier.unit_amount
        yield ("tiers", number, "flat_amount"), tier.flat_amount


def _label(keys: tuple[object, ...]) -> str:
    """How a finding names a charge's money field: ``amount``, ``tier 2 unit_amount``."""
    if keys[0] == "tiers":
        return f"tier {cast(int, keys[1]) + 1} {keys[2]}"
    return str(keys[0])


def _writable(amount: Decimal, currency: str, label: str) -> Decimal:
    """A suggestion money-precision accepts: unit rates keep their digits, amounts are
    rounded to the currency's minor unit."""
    if "unit_amount" in label:
        return amount
    try:
        return quantize(amount, currency)
    except CurrencyError:
        return amount


@rule("fx-consistency", Severity.WARNING, cost="charges")
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
        if price.channel is None and price.version is versions_in_force(
                price.plan, ctx.today)[0][1]:
            strays = _strays(ctx, price.plan.minimum)
            if strays:
                yield from _fx_findings(ctx, (sold_as(price, ctx.today), price.plan.id), "minimum",
                                        price.plan.minimum, strays,
                                        partial(price.plan.origin.at, "minimum"))
        try:
            charges = price.charges()
        except PricingError:
            continue
        for index, charge in enumerate(charges):
            for keys, amounts in _charge_money(charge):
                strays = _strays(ctx, amounts)
                if strays:
                    what = (sold_as(price, ctx.today), price_key(price))
                    yield from _fx_findings(ctx, what, f"charge {charge.id} {_label(keys)}",
                                            amounts, strays,
                                            partial(price.charge_at, index, *keys))


# Half the last digit written, as slack: 0.5 for a whole number, 0.005 for cents...
_HALF_DIGIT = [Decimal(5).scaleb(-digits - 1) for digits in range(UNIT_AMOUNT_MAX_DECIMALS + 1)]


Stray = tuple[str, Decimal, Decimal, str]
"""A currency whose amount is off: (currency, fx rate, expected amount, how far off)."""


def _strays(ctx: RuleContext, amounts: Amounts) -> list[Stray]:
    """The currencies of ``amounts`` off the base amount × rate by more than the tolerance
    plus half the last digit written; usually none. Exact: ``MONEY_CONTEXT`` arithmetic,
    whatever the caller's context."""
    if len(amounts) < 2:
        return []  # one currency (or none) has nothing to compare
    config = ctx.config
    base, rates, tolerance = config.base_currency, config.fx_rates, config.fx_tolerance
    written = amounts.get(base)
    if written is None:
        return []
    found = []
    money = MONEY_CONTEXT
    for currency, value in amounts.items():
        fx = rates.get(currency)
        if currency == base or fx is None:
            continue
        try:
            digits = max(minor_units(currency), decimals_of(value))
            expected = money.multiply(written, fx)
            half = _HALF_DIGIT[digits] if digits < len(_HALF_DIGIT) else \
                Decimal(5).scaleb(-digits - 1)
            slack = money.add(money.multiply(tolerance, expected), half)
            gap = money.subtract(value, expected)
            if money.abs(gap) <= slack:
                continue
            share = percent(money.multiply(money.divide(money.abs(gap), expected), 100)) \
                if expected else ""
            off = f"{share} % {'above' if gap > 0 else 'below'}" if share else "above"
        except (DecimalException, CurrencyError):
            continue  # too large to compare exactly, or not a currency: other rules say so
        found.append((currency, fx, expected, off))
    return found


def _fx_findings(ctx: RuleContext, what: tuple[str, str], label: str, amounts: Amounts,
                 strays: list[Stray], at: Callable[[str], Location]) -> Iterator[Finding]:
    """A finding for each of ``strays`` (``_strays`` of ``amounts``), the field named
    ``label``; ``what`` is (who, key)."""
    base, tolerance = ctx.config.base_currency, ctx.config.fx_tolerance
    who, key = what
    written = amounts[base]
    for currency, fx, expected, off in strays:
        yield ctx.finding(
            at(currency),
            f"{who}, {label}: {rate(amounts[currency], currency)} is {off} "
            f"{rate(written, base)} × {number_str(fx)} = {rate(expected, currency)} "
            f"(tolerance {percent(MONEY_CONTEXT.multiply(tolerance, 100))} %)",
            f"write about {rate(_writable(expected, currency, label), currency)}, or correct "
            f"fx.rates.{currency} in monops.yaml if the exchange rate moved",
            key=f"{key}:{label}:{currency}",
            related=[(at(base), f"the {base} amount")])
