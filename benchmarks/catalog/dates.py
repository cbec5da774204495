"""The days the synthetic catalog is built around."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 25)
"""The `--today` the catalog is built for (lint with `--today 2026-11-25`)."""
CHANGE_DAY = dt.date(2027, 4, 1)
"""When the price rise of `--change-percent` takes effect (notice: 127 days)."""


def month_start(year: int, month: int) -> dt.date:
    """The first day of ``month`` of ``year``; months past 12 run into the next years."""
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    following = month_start(day.year, day.month + 1)
    return following - dt.timedelta(days=1)
