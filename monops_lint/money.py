"""Currencies and exact money arithmetic: minor units, rounding, canonical strings.

Minor units come from the ``iso4217`` package (the ISO 4217 table, kept up
to date by its maintainers) rather than a hand-written list; currencies
outside it (Kill Bill accepts BTC) are declared in monops.yaml.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache

from iso4217 import Currency

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}

# Enough significant digits for any amount the schema admits (below 10^15,
# up to 12 decimals) multiplied by any quantity: money arithmetic never
# rounds silently before the one explicit rounding of each line.
MONEY_CONTEXT = decimal.Context(prec=60, rounding=ROUND_HALF_UP,
                                traps=[decimal.InvalidOperation, decimal.Overflow,
                                       decimal.DivisionByZero])

UNIT_AMOUNT_MAX_DECIMALS = 12

ZERO = Decimal(0)
"""Zero, the one instance every module compares and sums with."""


class CurrencyError(ValueError):
    """A currency code that is not ISO 4217, or that has no minor unit (e.g. XAU)."""


_DECLARED: dict[str, int] = {}
_KNOWN: dict[str, int] = {}
"""ISO 4217 codes already looked up (an ISO code's digits never change, and none can be
declared): the common case of ``minor_units``, asked for every amount, in one lookup."""


def declare_currencies(currencies: Mapping[str, int]) -> None:
    """Make the currencies a config declares outside ISO 4217 (``currencies: {BTC: {digits:
    8}}``) valid codes with those minor-unit digits, for this process.

    Raises ``CurrencyError`` when a code is an ISO 4217 currency (its digits are ISO's) or
    was declared before with other digits (two configs of one run disagree).
    """
    for code, digits in currencies.items():
        if _DECLARED.get(code, digits) != digits:
            raise CurrencyError(f"{code} is declared with {_DECLARED[code]} digits elsewhere, "
                                f"not {digits}")
        if code not in _DECLARED and _iso_minor_units(code) is not None:
            raise CurrencyError(f"{code} is an ISO 4217 currency: its digits are ISO's; "
                                "declare only codes outside ISO 4217")
    _DECLARED.update(currencies)


def declared_currencies() -> Mapping[str, int]:
    """The currencies declared outside ISO 4217 so far, with their digits."""
    return dict(_DECLARED)


def minor_units(code: str) -> int:
    """Digits after the decimal point for ``code`` (USD 2, JPY 0, BHD 3; a declared BTC 8).

    Raises ``CurrencyError`` for codes outside ISO 4217 that no config
    declares, and for codes, such as gold (XAU), that ISO 4217 gives no minor
    unit because they are not money a price can be written in.
    """
    known = _KNOWN.get(code)
    if known is not None:
        return known
    declared = _DECLARED.get(code)
    if declared is not None:
        return declared
    digits = _iso_minor_units(code)
    if digits is None:
        raise CurrencyError(f"{code} is not an ISO 4217 currency code (a currency outside it "
                            "can be declared in monops.yaml: `currencies: {CODE: {digits: N}}`)")
    if digits < 0:
        raise CurrencyError(f"{code} has no minor unit in ISO 4217 (not a currency to price in)")
    _KNOWN[code] = digits
    return digits


@cache
def _iso_minor_units(code: str) -> int | None:
    """ISO 4217's minor-unit digits of ``code``; None outside ISO 4217; -1 without a minor
    unit (XAU)."""
    try:
        currency = Currency(code)
    except (ValueError, KeyError):
        return None
    return -1 if currency.exponent is None else int(currency.exponent)


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency that prices can be written in."""
    try:
        minor_units(code)
    except CurrencyError:
        return False
    return True


def decimals_of(amount: Decimal) -> int:
    """How many digits after the point ``amount`` is written with (``9.90`` has 2)."""
    exponent = amount.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@cache
def _quantum(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


def quantize(amount: Decimal, currency: str, rounding: str = "half_up") -> Decimal:
    """Round ``amount`` to ``currency``'s minor unit (``rounding``: half_up | half_even)."""
    return amount.quantize(_quantum(minor_units(currency)), rounding=ROUNDING_MODES[rounding],
                           context=MONEY_CONTEXT)


def money_str(amount: Decimal, currency: str) -> str:
    """The canonical text of a rounded amount: exactly the minor-unit digits (``"107.00"``)."""
    digits = minor_units(currency)
    value = amount.quantize(_quantum(digits), rounding=ROUND_HALF_UP, context=MONEY_CONTEXT)
    if value == 0:
        value = abs(value)  # never print "-0.00"
    return f"{value:.{digits}f}"


NUMBER_MAX_CHARS = 40
"""The longest a number is written in a message; longer ones are written with an exponent
(a 10-byte ``0e-9999`` in a catalog must not become a 10,000-character message)."""


def brief_number(value: Decimal | int, *, as_written: bool = False) -> str:
    """``number_str`` (or, ``as_written``, the value with the decimals it was written with:
    ``0.10``) when that is at most ``NUMBER_MAX_CHARS`` long, else scientific: ``0E-9999``,
    or 12 significant digits after ``≈`` (``≈1.23456789012E+4999``)."""
    if isinstance(value, int):
        value = Decimal(value)
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return str(value)  # NaN and infinities are refused earlier; never a long text
    width = len(digits) + max(exponent, 0) + max(-exponent, 0) + sign + 2
    if width <= NUMBER_MAX_CHARS:
        return f"{value:f}" if as_written else number_str(value)
    if not any(digits):
        return f"0E{exponent:+d}"
    significant = len(bytes(digits).rstrip(b"\0"))  # trailing zeros say nothing
    if significant <= 12:
        return f"{value:.{significant - 1}E}"  # exact: nothing to round
    return f"≈{value:.11E}"


def number_str(value: Decimal | int) -> str:
    """A quantity or rate as plain text: no exponent, no trailing zeros (``1E+3`` -> ``1000``)."""
    if isinstance(value, int):
        return str(value)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1), context=MONEY_CONTEXT):f}"
    return f"{value.normalize(MONEY_CONTEXT):f}"
