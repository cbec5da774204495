"""Calendar arithmetic: whole months, clamped to a month's end."""

from __future__ import annotations

import calendar
import datetime as dt

MONTHS_PER_PERIOD = {"month": 1, "quarter": 3, "year": 12}
"""Months in a billing period (``one_time`` has none)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the month's end (Jan 31 + 1 = Feb 28)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    last = calendar.monthrange(year, month0 + 1)[1]
    return day.replace(year=year, month=month0 + 1, day=min(day.day, last))


def months_between(start: dt.date, day: dt.date) -> int:
    """Whole calendar months from ``start`` to ``day`` (0 when ``day`` is not later)."""
    if day <= start:
        return 0
    months = (day.year - start.year) * 12 + day.month - start.month
    if add_months(start, months) > day:
        months -= 1
    return max(0, months)
