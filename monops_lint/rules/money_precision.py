"""money-precision: amounts with more decimals than their currency, and unknown currencies."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Amounts, Channel, Charge, Entity, Plan, Product, Promotion, Scenario
from monops_lint.money import (
    UNIT_AMOUNT_MAX_DECIMALS,
    CurrencyError,
    brief_number,
    decimals_of,
    minor_units,
)
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.charges import located_charges, override_charges

Keys = tuple[object, ...]


def _charge_amounts(charge: Charge, keys: Keys) -> Iterator[tuple[Keys, Amounts, bool]]:
    """(keys, amounts, is-a-unit-rate) for every money field of a charge."""
    for field in ("amount", "fixed", "min", "max"):
        yield keys + (field,), getattr(charge, field), False
    yield keys + ("unit_amount",), charge.unit_amount, True
    for index, tier in enumerate(charge.tiers):
        yield keys + ("tiers", index, "unit_amount"), tier.unit_amount, True
        yield keys + ("tiers", index, "flat_amount"), tier.flat_amount, False


def money_fields(entity: Entity) -> Iterator[tuple[Keys, Amounts, bool]]:
    """Every money field of ``entity``: where, the amounts, and whether it is a unit rate."""
    if isinstance(entity, Product):
        yield ("cost",), entity.cost, True
    elif isinstance(entity, Plan):
        yield ("minimum",), entity.minimum, False
        for keys, charge, _, _ in located_charges(entity):
            yield from _charge_amounts(charge, keys)
    elif isinstance(entity, Channel):
        for item in override_charges(entity):
            yield from _charge_amounts(item.charge, item.keys)
    elif isinstance(entity, Promotion):
        yield ("amount_off",), entity.amount_off, False


def currency_fields(entity: Entity) -> Iterator[tuple[Keys, str]]:
    """Every currency code ``entity`` names outside its amounts."""
    if isinstance(entity, Channel):
        for index, code in enumerate(entity.currencies):
            yield ("currencies", index), code
    elif isinstance(entity, Scenario):
        yield ("currency",), entity.currency


@cache
def _allowed(currency: str, unit_rate: bool) -> int:
    """Decimals an amount in ``currency`` may have; raises ``CurrencyError`` (never cached)."""
    digits = minor_units(currency)  # raises for a code that is not a currency
    return UNIT_AMOUNT_MAX_DECIMALS if unit_rate else digits


@rule("money-precision", Severity.ERROR, cost="charges")
def money_precision(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An amount with more decimals than its currency has, or a currency that is not ISO 4217.

    ## What it does
    Checks every amount against its currency's minor unit from ISO 4217
    (JPY 0 decimals, USD 2, BHD 3). Unit rates (`unit_amount`, and a
    product's `cost`) may carry up to 12 decimals, for sub-cent usage
    prices. Codes that are not ISO 4217 currencies, or that have no minor
    unit (such as gold, XAU), are reported too.

    ## Why is this bad?
    `JPY: 980.5` cannot be charged: an invoice rounds it, and the customer
    pays a price nobody approved.

    ## Example
    ```yaml
    amount: {USD: 9.999, JPY: 980.5}
    ```

    ## Use instead
    ```yaml
    amount: {USD: 9.99, JPY: 980}
    ```
    """
    for entity in catalog.entities():
        for keys, amounts, unit_rate in money_fields(entity):
            for currency, amount in amounts.items():
                found = _check_amount(ctx, entity, keys, currency, amount, unit_rate)
                if found is not None:
                    yield found
        for keys, code in currency_fields(entity):
            try:
                minor_units(code)
            except CurrencyError as exc:
                yield ctx.finding(entity.origin.at(*keys), f"{entity.kind} {entity.id}: {exc}",
                                  "use an ISO 4217 code such as USD, EUR or JPY",
                                  key=f"{entity.kind}:{entity.id}:{code}")


def _check_amount(ctx: RuleContext, entity: Entity, keys: Keys, currency: str, amount: Decimal,
                  unit_rate: bool) -> Finding | None:
    """What is wrong with one amount, or None (the common case, decided before any text is
    made)."""
    try:
        allowed = _allowed(currency, unit_rate)
    except CurrencyError as exc:
        field = ".".join(str(k) for k in keys)
        return ctx.finding(entity.origin.key_at(*keys, currency),
                           f"{entity.kind} {entity.id}: {field}: {exc}",
                           "use an ISO 4217 code such as USD, EUR or JPY",
                           key=f"{entity.kind}:{entity.id}:{field}:{currency}")
    written = decimals_of(amount)
    if written <= allowed:
        return None
    field = ".".join(str(k) for k in keys)
    what = "unit rates" if unit_rate else currency
    return ctx.finding(
        entity.origin.at(*keys, currency),
        f"{entity.kind} {entity.id}: {field}.{currency} "
        f"{brief_number(amount, as_written=True)} has {written} "
        f"decimal{'s' if written != 1 else ''}; {what} allow{'' if unit_rate else 's'} "
        f"{allowed}",
        f"round it to {allowed} decimals" if allowed else "write a whole number",
        key=f"{entity.kind}:{entity.id}:{field}:{currency}")
