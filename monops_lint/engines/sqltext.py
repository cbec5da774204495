"""The SQL the engines run is text built here: small exact helpers shared by the checks of
the customer base (``sql_checks``), the pricing (``sql``) and its outputs (``sql_outputs``).
"""

from __future__ import annotations

import datetime as dt
import re

from monops_lint.customers import Period
from monops_lint.engines.compiled import CompiledCatalog
from monops_lint.engines.dialect import Dialect

DECIMAL = "[0-9]+([.][0-9]+)?"
NEGATIVE = "-[0-9]+([.][0-9]+)?"
DAY = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

_NAMES = re.compile(r"\b([mc]_[a-z][a-z0-9_]*)")


def prefixed(statement: str, prefix: str) -> str:
    """``statement`` with every catalog table (``c_*``) and view (``m_*``) named
    ``prefix + name``."""
    return _NAMES.sub(lambda match: prefix + match.group(1), statement) if prefix else statement


def text(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


class SQLText:
    """What every statement builder shares: the dialect, the catalog, the period."""

    """The pricing of one period of a customer base against one compiled catalog."""

    def __init__(self, dialect: Dialect, catalog: CompiledCatalog, period: Period,
                 prefix: str = "") -> None:
        self.d = dialect
        self.c = catalog
        self.period = period
        self.prefix = prefix

    # --- small helpers ----------------------------------------------------------------

    def lit_date(self, day: dt.date) -> str:
        return f"DATE '{day.isoformat()}'"

    def scaled(self, column: str, scale: int) -> str:
        """A checked decimal text as the integer ``value × 10^scale``."""
        whole = f"REGEXP_EXTRACT({column}, '^([0-9]+)', 1)"
        fraction = f"REGEXP_EXTRACT({column}, '[.]([0-9]*)$', 1)"
        digits = f"CONCAT({whole}, RPAD({fraction}, {scale}, '0'))" if scale else whole
        return self.d.int(digits)

    def places(self, scale: int) -> str:
        """A decimal text with at most ``scale`` decimals (a regular expression)."""
        return f"[0-9]+([.][0-9]{{1,{scale}}})?" if scale else "[0-9]+"

    def pow10(self, exponent: int | str) -> str:
        """``10^exponent`` as an exact integer (a literal, or a CASE for a column)."""
        if isinstance(exponent, int):
            return self.d.int(str(10 ** exponent))
        cases = " ".join(f"WHEN {i} THEN {10 ** i}" for i in range(0, 19))
        return self.d.int(f"CASE {exponent} {cases} END")

    def months_between(self, start: str, day: str) -> str:
        """Whole calendar months from ``start`` to ``day`` (``dates.months_between``)."""
        raw = f"((YEAR({day}) - YEAR({start})) * 12 + MONTH({day}) - MONTH({start}))"
        fixed = f"({raw} - CASE WHEN {self.d.add_months(start, raw)} > {day} THEN 1 ELSE 0 END)"
        return f"(CASE WHEN {day} <= {start} THEN 0 ELSE GREATEST({fixed}, 0) END)"
