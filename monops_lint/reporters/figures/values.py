"""How the figures' numbers are written: exact text in JSON and CSV, rounded for people
elsewhere (SPEC section 9: "rounded only for display")."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from monops_lint.figures.results import quotient
from monops_lint.money import minor_units


def exact(value: Decimal | None) -> str | None:
    """A sum in one currency as its exact text (``"1234.50"``); None stays None."""
    return None if value is None else str(value)


def six(value: Decimal | None) -> str | None:
    """A quotient or an amount in ``base_currency`` (converted, so a quotient): half-even
    to 6 decimals, as text."""
    return None if value is None else str(quotient(value))


def shown(value: Decimal | None, places: int = 2) -> str:
    """A number for people: grouped, ``places`` decimals half-even; ``–`` for none."""
    if value is None:
        return "–"
    step = Decimal(1).scaleb(-places)
    return f"{value.quantize(step, rounding=ROUND_HALF_EVEN):,.{places}f}"


def money(value: Decimal | None, currency: str) -> str:
    """An amount with its currency code, to the currency's minor unit."""
    return f"{shown(value, minor_units(currency))} {currency}" if value is not None else "–"


def signed(value: Decimal | None, currency: str = "") -> str:
    """A change with its sign (``+1,234.50 USD``, ``−3.10 %``)."""
    if value is None:
        return "–"
    places = minor_units(currency) if currency and currency != "%" else 2
    text = shown(abs(value), places)
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{text}" + (f" {currency}" if currency and currency != "%" else
                              " %" if currency == "%" else "")


def percent(value: Decimal | None) -> str:
    """A percentage with its sign, two decimals."""
    return signed(value, "%")


def share(value: Decimal | None) -> str:
    """A share (0..1) as a percentage, one decimal."""
    return "–" if value is None else f"{shown(value * 100, 1)} %"
