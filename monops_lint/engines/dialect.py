"""What DuckDB and Spark SQL spell differently, so that the pricing SQL is written once.

Every expression here works on exact integers (DuckDB ``HUGEINT``, Spark
``DECIMAL(38,0)``) or dates; nothing passes through binary floating point.
Division is the one operation neither engine does exactly on decimals, so
it is done on non-negative integers: ``a - a % b`` is a multiple of ``b``,
and dividing a multiple exactly is something both engines get right.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """One SQL engine's spelling of the few things the pricing SQL needs."""

    name: str
    integer: str
    """The exact integer type (at least 38 decimal digits)."""

    def int(self, expression: str) -> str:
        """``expression`` cast to the exact integer type."""
        return f"CAST({expression} AS {self.integer})"

    def quotient(self, a: str, b: str) -> str:
        """``floor(a / b)`` for ``a >= 0`` and ``b > 0``, exact."""
        raise NotImplementedError

    def add_months(self, day: str, months: str) -> str:
        """``day`` moved by whole months, clamped to the month's end."""
        raise NotImplementedError

    def add_days(self, day: str, days: str) -> str:
        """``day`` plus ``days`` days."""
        raise NotImplementedError

    def days_between(self, first: str, last: str) -> str:
        """``last - first`` in days."""
        raise NotImplementedError

    def bucket(self, customer_id: str) -> str:
        """The rollout bucket of ``customer_id`` times 100 (0..9999): the first 8 bytes of
        SHA-256 of the UTF-8 id, big-endian, modulo 10,000 (``pricing.buckets``)."""
        raise NotImplementedError

    def matches(self, text: str, pattern: str) -> str:
        """Whether the whole of ``text`` matches the regular expression ``pattern``."""
        raise NotImplementedError

    def date(self, text: str) -> str:
        """``text`` (already checked to be ``YYYY-MM-DD``) as a date, NULL if impossible."""
        return f"TRY_CAST({text} AS DATE)"

    # --- exact rounding, built on quotient -------------------------------------------

    def round_div(self, numerator: str, denominator: str, rounding: str) -> str:
        """``numerator / denominator`` rounded to an integer (``half_up``: ties away from
        zero; ``half_even``: ties to even), exact; ``denominator > 0``."""
        n = f"ABS({numerator})"
        d = f"({denominator})"
        if rounding == "half_up":
            magnitude = self.quotient(f"2 * {n} + {d}", f"2 * {d}")
        else:
            q = self.quotient(n, d)
            twice = f"(2 * ({n} - {q} * {d}))"
            magnitude = (f"({q} + CASE WHEN {twice} > {d} THEN 1 WHEN {twice} = {d} "
                         f"THEN {self.int(q)} % 2 ELSE 0 END)")
        return f"(CASE WHEN ({numerator}) < 0 THEN -1 ELSE 1 END) * {magnitude}"

    def ceil_div(self, a: str, b: str) -> str:
        """``ceil(a / b)`` for ``a >= 0`` and ``b > 0``."""
        return self.quotient(f"({a}) + ({b}) - 1", b)


class DuckDB(Dialect):
    """DuckDB (embedded): ``HUGEINT`` integers, whose ``//`` is exact."""

    def __init__(self) -> None:
        super().__init__("duckdb", "HUGEINT")

    def quotient(self, a: str, b: str) -> str:
        return f"({self.int(a)} // {self.int(b)})"

    def add_months(self, day: str, months: str) -> str:
        return f"CAST({day} + TO_MONTHS(CAST({months} AS INTEGER)) AS DATE)"

    def add_days(self, day: str, days: str) -> str:
        return f"CAST({day} + TO_DAYS(CAST({days} AS INTEGER)) AS DATE)"

    def days_between(self, first: str, last: str) -> str:
        return f"DATE_DIFF('day', {first}, {last})"

    def bucket(self, customer_id: str) -> str:
        return (f"CAST(CAST(('0x' || SUBSTR(SHA256({customer_id}), 1, 16)) AS UBIGINT) "
                "% 10000 AS INTEGER)")

    def matches(self, text: str, pattern: str) -> str:
        return f"REGEXP_FULL_MATCH({text}, '{pattern}')"


class Spark(Dialect):
    """Spark SQL: ``DECIMAL(38,0)`` integers; a division of an exact multiple is exact."""

    def __init__(self) -> None:
        super().__init__("spark", "DECIMAL(38,0)")

    def quotient(self, a: str, b: str) -> str:
        a_, b_ = self.int(a), self.int(b)
        return self.int(f"({a_} - ({a_} % {b_})) / {b_}")

    def add_months(self, day: str, months: str) -> str:
        return f"ADD_MONTHS({day}, CAST({months} AS INT))"

    def add_days(self, day: str, days: str) -> str:
        return f"DATE_ADD({day}, CAST({days} AS INT))"

    def days_between(self, first: str, last: str) -> str:
        return f"DATEDIFF({last}, {first})"

    def bucket(self, customer_id: str) -> str:
        return (f"CAST(CAST(CONV(SUBSTR(SHA2({customer_id}, 256), 1, 16), 16, 10) "
                "AS DECIMAL(20,0)) % 10000 AS INT)")

    def matches(self, text: str, pattern: str) -> str:
        return f"({text} RLIKE '^(?:{pattern})$')"


DIALECTS: dict[str, Dialect] = {"duckdb": DuckDB(), "spark": Spark()}
