"""Days and billing periods: which days of an invoice period a subscription pays for.

See docs/pricing.md, "The invoice period" and "Trial and proration".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monops_lint.dates import MONTHS_PER_PERIOD, months_between


@dataclass(frozen=True, slots=True)
class Window:
    """The days of one invoice period as one subscription sees them.

    ``active_from`` is the first day the subscription is active in the
    period (None: it starts after the period ends). ``trial_days`` counts
    the active days inside the trial window ``[start, start + trial_days)``;
    ``trial_until`` is the trial's last day when the trial reaches into the
    period. ``new`` says the subscription starts in the period, or has no
    start: one-time charges are billed.
    """

    period_days: int
    active_from: dt.date | None
    active_days: int
    trial_days: int
    trial_until: dt.date | None
    new: bool

    @property
    def active(self) -> bool:
        """Whether the subscription is active on any day of the period."""
        return self.active_from is not None

    @property
    def paid_days(self) -> int:
        """Active days outside the trial."""
        return self.active_days - self.trial_days

    @property
    def recurring_share(self) -> tuple[int, int] | None:
        """``(paid_days, period_days)`` when recurring charges are pro-rated, else None."""
        return (self.paid_days, self.period_days) if self.paid_days < self.period_days else None

    @property
    def usage_share(self) -> tuple[int, int] | None:
        """``(paid_days, active_days)`` when a trial makes part of the usage free, else None."""
        return (self.paid_days, self.active_days) if self.trial_days else None


def window(period_start: dt.date, period_end: dt.date, start: dt.date | None,
           trial_days: int) -> Window:
    """The ``Window`` of a subscription starting ``start`` (None: before the period, no trial)
    on a plan with ``trial_days``, for the inclusive period ``[period_start, period_end]``."""
    period_days = (period_end - period_start).days + 1
    if start is not None and start > period_end:
        return Window(period_days, None, 0, 0, None, False)
    active_from = period_start if start is None else max(start, period_start)
    active_days = (period_end - active_from).days + 1
    in_trial = 0
    trial_until = None
    if start is not None and trial_days > 0:
        last_trial_day = start + dt.timedelta(days=trial_days - 1)
        in_trial = max(0, (min(period_end, last_trial_day) - active_from).days + 1)
        trial_until = last_trial_day if in_trial else None
    new = start is None or start >= period_start
    return Window(period_days, active_from, active_days, in_trial, trial_until, new)


def periods_passed(start: dt.date | None, day: dt.date, billing_period: str) -> int:
    """Whole billing periods between a subscription's ``start`` and ``day``.

    A subscription without ``start`` is in its first period (0 passed); so is
    every subscription of a ``one_time`` plan, which has a single period.
    """
    per_period = MONTHS_PER_PERIOD.get(billing_period)
    if start is None or per_period is None:
        return 0
    return months_between(start, day) // per_period
