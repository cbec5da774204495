"""Text with amounts in it: line descriptions and notes whose money the reader's formatter
writes (``1.600,00 €`` on a German invoice, ``1600.00`` in JSON).

The engine decides what a line says; how an amount inside it reads belongs
to whoever shows the line, with the same formatter as the amount column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.money import money_str


@dataclass(frozen=True, slots=True)
class Money:
    """An amount inside a text: exact, in ``currency``."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return money_str(self.amount, self.currency)


Words = tuple[str | Money, ...]
"""A text in parts: plain strings and the amounts between them."""


def plain(words: Words) -> str:
    """``words`` as one string, each amount with exactly its currency's minor-unit digits
    (``true-up to the minimum of 1600.00``): the text JSON and diffs show."""
    return "".join(str(part) for part in words)


def written(words: Words, money: Callable[[Decimal], str]) -> str:
    """``words`` as one string, each amount written by ``money`` (a formatter's)."""
    return "".join(money(part.amount) if isinstance(part, Money) else part for part in words)
