"""Where a priced side's results are in an engine, how to read them, and money in
``base_currency``: what impact and metrics share."""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from monops_lint.engines.relations import Side as Side
from monops_lint.errors import MonopsError
from monops_lint.figures.results import Problem

Fetch = Callable[[str], list[tuple[Any, ...]]]
"""Runs a query on the engine that priced the base; its rows."""

SHOWN_ROWS = 5

EXACT = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_EVEN)


def problems(fetch: Fetch, side: Side) -> list[Problem]:
    """Every kind of bad data of ``side``, with its count and first rows."""
    found: dict[str, tuple[int, list[int]]] = {}
    for problem, count, row in fetch(
            f"SELECT problem, count, row_no FROM {side.problems} WHERE rank <= {SHOWN_ROWS} "
            "ORDER BY problem, row_no"):
        entry = found.setdefault(str(problem), (int(count), []))
        entry[1].append(int(row))
    return [Problem(name, count, tuple(rows)) for name, (count, rows) in sorted(found.items())]


class Converter:
    """Money into ``base_currency`` through ``fx.rates`` (``EUR: 0.92`` means one base unit
    is 0.92 EUR), once per currency total, exactly (80 digits), rounded when written."""

    def __init__(self, base_currency: str, rates: Mapping[str, Decimal]) -> None:
        self.base_currency = base_currency
        self.rates = dict(rates)

    def __call__(self, amount: Decimal, currency: str) -> Decimal:
        if currency == self.base_currency:
            return amount
        rate = self.rates.get(currency)
        if rate is None:
            raise MonopsError(f"the customer base has amounts in {currency}, and monops.yaml "
                              f"gives no rate to {self.base_currency} for it (add it to "
                              "fx.rates)")
        return EXACT.divide(amount, rate)

    def total(self, by_currency: Mapping[str, Decimal]) -> Decimal:
        """The sum of per-currency totals, each converted once."""
        return sum((self(amount, currency) for currency, amount in by_currency.items()),
                   Decimal(0))


def amount(minor_units: object, digits: object) -> Decimal:
    """An integer of minor units as an exact amount."""
    return Decimal(int(str(minor_units))).scaleb(-int(str(digits)))
