"""How amounts, unit rates and quantities read: for people (babel, the customer's locale)
and in JSON (exact strings).

Every amount shows exactly its currency's ISO 4217 minor-unit digits (or a
declared currency's), the digits the engine rounded the invoice to. babel's
own choice would be CLDR's (cash) digits: a HUF invoice would print
5 500 Ft + 1 485 Ft = 6 984 Ft for lines of 5 499,50 and 1 484,87. So the
locale's currency pattern is used with the ISO digits put in.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern, format_currency, format_decimal

from monops_lint.money import (
    MONEY_CONTEXT,
    UNIT_AMOUNT_MAX_DECIMALS,
    decimals_of,
    minor_units,
    number_str,
    quantize,
)

DEFAULT_LOCALE = "en_US"
QUANTITY_DECIMALS = 12  # a trial-scaled usage quantity can have 60 digits; JSON shows 12


@cache
def locale_for(locale: str, country: str) -> Locale:
    """The customer's locale: as given, else the likeliest for the country, else en_US."""
    for candidate in (locale, f"und_{country}" if country else ""):
        if candidate:
            try:
                return Locale.parse(candidate.replace("-", "_"))
            except (ValueError, UnknownLocaleError):
                continue
    return Locale.parse(DEFAULT_LOCALE)


@cache
def _pattern(locale: Locale, least: int, most: int) -> NumberPattern:
    """The locale's currency pattern showing ``least`` to ``most`` decimals."""
    pattern: NumberPattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (least, most)
    return pattern


def rate_value(rate: Decimal, currency: str) -> Decimal:
    """A unit rate as it is shown: at least the currency's minor-unit digits, the digits it
    has beyond them, never more than 12 (a rate scaled by an override can be endless)."""
    digits = minor_units(currency)
    shown = rate.normalize(MONEY_CONTEXT)
    if decimals_of(shown) > UNIT_AMOUNT_MAX_DECIMALS:
        shown = rate.quantize(Decimal(1).scaleb(-UNIT_AMOUNT_MAX_DECIMALS),
                              rounding=ROUND_HALF_UP, context=MONEY_CONTEXT).normalize(
                                  MONEY_CONTEXT)
    if decimals_of(shown) < digits:
        shown = shown.quantize(Decimal(1).scaleb(-digits), context=MONEY_CONTEXT)
    return shown


def rate_str(rate: Decimal, currency: str) -> str:
    """A unit rate as exact JSON text: ``"185.00"``, ``"0.0004"`` (see ``rate_value``)."""
    return f"{rate_value(rate, currency):f}"


def amount_str(amount: Decimal, currency: str, rounding: str = "half_up") -> str:
    """An amount as exact JSON text with exactly the minor-unit digits, rounded with the
    invoice's rounding when it has more (a tier breakdown's share of a line)."""
    value = quantize(amount, currency, rounding)
    return f"{abs(value) if value == 0 else value:f}"


def quantity_str(value: Decimal | None) -> str | None:
    """A quantity as exact text, cut to 12 decimals when a day-share made it endless; None
    for a line without a quantity (a true-up, a discount)."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -QUANTITY_DECIMALS:
        value = value.quantize(Decimal(1).scaleb(-QUANTITY_DECIMALS), context=MONEY_CONTEXT)
    return number_str(value)


class Formatter:
    """Formats amounts and quantities in one locale and currency, for people."""

    def __init__(self, locale: Locale, currency: str, rounding: str = "half_up") -> None:
        self.locale = locale
        self.currency = currency
        self.rounding = rounding
        self.digits = minor_units(currency)

    def money(self, amount: Decimal) -> str:
        """``1.234,50 €`` in de_DE, ``$1,234.50`` in en_US: exactly the minor-unit digits,
        rounded with the invoice's rounding when the amount has more (a tier's share)."""
        value = quantize(amount, self.currency, self.rounding)
        return str(format_currency(abs(value) if value == 0 else value, self.currency,
                                   format=_pattern(self.locale, self.digits, self.digits),
                                   locale=self.locale, currency_digits=False))

    def rate(self, amount: Decimal) -> str:
        """A unit rate, keeping its sub-cent digits (``$0.0004``; see ``rate_value``)."""
        value = rate_value(amount, self.currency)
        return str(format_currency(value, self.currency,
                                   format=_pattern(self.locale, self.digits,
                                                   UNIT_AMOUNT_MAX_DECIMALS),
                                   locale=self.locale, currency_digits=False,
                                   decimal_quantization=False))

    def number(self, value: Decimal | None) -> str:
        """A quantity with grouping and at most 4 decimals (``12,345``; ``671.7097``)."""
        if value is None:
            return ""
        return str(format_decimal(value, format="#,##0.####", locale=self.locale))
