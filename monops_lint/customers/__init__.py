"""The customer base (SPEC section 9): its tables, where they are, and the simulated period.

The base never lives in the catalog repository (it is private and large):
a folder of tables, each ``NAME.parquet``, ``NAME.csv`` or a folder of
Parquet parts ``NAME/*.parquet``. The engines read the files themselves
(``monops_lint.engines``); this package only says what is there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from monops_lint.dates import add_months
from monops_lint.errors import MonopsError

TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "subscriptions": (("subscription_id", "customer_id", "channel", "currency", "plan",
                       "start"),
                      ("quantity", "end", "promotion", "bill_cycle_day")),
    "customers": (("customer_id",), ("country", "tax_rate", "segment")),
    "usage": (("subscription_id", "metric", "quantity"), ()),
    "campaigns": (("campaign", "currency", "spend"), ()),
}
"""Each table's required and optional columns (``subscriptions`` is the one table that
must be there)."""


@dataclass(frozen=True)
class TableFile:
    """Where one table of the base is: a CSV file, a Parquet file or a folder of parts."""

    name: str
    kind: str  # csv | parquet | parts
    path: Path


@dataclass(frozen=True)
class CustomerBase:
    """The folder of a customer base and the tables found in it."""

    folder: Path
    tables: dict[str, TableFile]

    def table(self, name: str) -> TableFile | None:
        """The file of table ``name``, if the base has it."""
        return self.tables.get(name)


def find_base(folder: Path) -> CustomerBase:
    """The tables of the customer base in ``folder``; one-line ``MonopsError`` when there is
    no such folder, no subscriptions table, or a table written twice."""
    if not folder.is_dir():
        raise MonopsError(f"customer base {folder}: no such folder")
    found: dict[str, TableFile] = {}
    for name in TABLES:
        candidates = []
        if (folder / f"{name}.csv").is_file():
            candidates.append(TableFile(name, "csv", folder / f"{name}.csv"))
        if (folder / f"{name}.parquet").is_file():
            candidates.append(TableFile(name, "parquet", folder / f"{name}.parquet"))
        if (folder / name).is_dir() and any((folder / name).glob("*.parquet")):
            candidates.append(TableFile(name, "parts", folder / name))
        if len(candidates) > 1:
            raise MonopsError(f"customer base {folder}: table {name} is there twice ("
                              f"{', '.join(c.path.name for c in candidates)}): keep one")
        if candidates:
            found[name] = candidates[0]
    if "subscriptions" not in found:
        raise MonopsError(f"customer base {folder}: no subscriptions table (subscriptions.csv, "
                          "subscriptions.parquet or a folder subscriptions/ of Parquet files)")
    return CustomerBase(folder, found)


@dataclass(frozen=True)
class Period:
    """The simulated period, both days included."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Days in the period."""
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})\Z")


def parse_period(text: str) -> Period:
    """``2027-03`` (a calendar month) or ``2027-03-01..2027-03-31``; one-line error else."""
    month = _MONTH.match(text)
    try:
        if month:
            start = dt.date(int(month.group(1)), int(month.group(2)), 1)
            return Period(start, add_months(start, 1) - dt.timedelta(days=1))
        span = _RANGE.match(text)
        if span:
            period = Period(dt.date.fromisoformat(span.group(1)),
                            dt.date.fromisoformat(span.group(2)))
            if period.end < period.start:
                raise MonopsError(f"--period {text}: it ends before it starts")
            return period
    except ValueError:
        pass
    raise MonopsError(f"--period {text!r}: expected a month such as 2027-03, or "
                      "2027-03-01..2027-03-31")
