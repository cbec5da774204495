"""Prices as a pricing team writes them: set in USD, converted at the catalog's rates,
on shelf price points, and raised in the steps each kind of price moves in.

Currency digits and rounding to a currency's minor unit come from
``monops_lint.money``, so the catalog is written with the same minor units
monops checks it against. ``round_to`` is for the steps that are pricing
policy rather than a currency's minor unit (whole dollars, tens of yen,
tier rates to four places).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from monops_lint import money

D = Decimal
BASE_CURRENCY = "USD"
"""The currency every price is set in; the others are converted from it."""
CURRENCIES = (BASE_CURRENCY, "EUR", "JPY")
FX = {"EUR": D("0.92"), "JPY": D("150")}
"""USD -> currency, as the generated ``monops.yaml`` states them."""


def round_to(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``value`` to ``places`` decimals (negative or zero: whole units)."""
    return value.quantize(D(1).scaleb(-places), rounding=rounding)


def decimals_of(value: Decimal) -> int:
    """The decimals ``value`` needs, trailing zeros dropped (``0.0250`` needs 3)."""
    return money.decimals_of(value.normalize())


def to_currency(usd: Decimal, currency: str, kind: str) -> Decimal:
    """``usd`` in ``currency`` at the configured rate, written as a pricing team would.

    kind ``money``: an amount (the minor unit; tens of yen from JPY 1,000 up);
    ``rate``: a unit rate, sub-cent allowed (whole yen, at least 1);
    ``exact``: a multiple of USD 0.50, which converts without rounding.
    Every result is within fx-consistency's tolerance (10 % + half a unit).
    """
    if currency == BASE_CURRENCY:
        return usd
    value = usd * FX[currency]
    if money.minor_units(currency) == 0:
        whole = money.quantize(value, currency)
        if kind == "exact":
            return whole
        if kind == "money" and whole >= 1000:
            whole = round_to(value / 10, 0) * 10
        return max(whole, D(1)) if usd > 0 else whole
    if kind == "rate":
        return round_to(value, max(money.minor_units(currency), decimals_of(usd)))
    return money.quantize(value, currency)


def amount_text(value: Decimal, currency: str) -> str:
    """An amount as written in YAML: the currency's minor-unit digits, more for a sub-cent
    rate (``4.90``, ``0.0079``, ``750``)."""
    if decimals_of(value) > money.minor_units(currency):
        return money.number_str(value)
    return money.money_str(value, currency)


def amounts(usd: Decimal, kind: str = "money") -> str:
    """``{USD: 4.99, EUR: 4.59, JPY: 749}``: the USD price and its conversions."""
    parts = [f"{currency}: {amount_text(to_currency(usd, currency, kind), currency)}"
             for currency in CURRENCIES]
    return "{" + ", ".join(parts) + "}"


def price_point(usd: Decimal) -> Decimal:
    """A shelf price: x.99 under 100, whole dollars above."""
    if usd < 100:
        return max(D("0.99"), round_to(usd, 0, ROUND_FLOOR) + D("0.99"))
    return round_to(usd, 0, ROUND_FLOOR)


def ceil_to_half(value: Decimal) -> Decimal:
    """The next multiple of 0.50 at or above ``value``."""
    return round_to(value * 2, 0, ROUND_CEILING) / 2


def rise(usd: Decimal, factor: Decimal, kind: str) -> Decimal:
    """``usd`` raised by ``factor`` the way its kind is written (always rounded up)."""
    if factor == 1:
        return usd
    value = usd * factor
    if kind == "exact":
        return ceil_to_half(value)
    if kind == "rate":
        return round_to(value, min(decimals_of(usd) + 1, 6), ROUND_CEILING).normalize()
    return round_to(value, money.minor_units(BASE_CURRENCY), ROUND_CEILING)
