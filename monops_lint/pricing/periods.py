"""Days and billing periods: which days of an invoice period a subscription pays for, and
under which charges (the version's own, or an introductory phase's).

See docs/pricing.md, "The invoice period", "Trial and proration" and
"Introductory phases".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monops_lint.dates import MONTHS_PER_PERIOD, months_between
from monops_lint.model import Charge, PlanVersion


@dataclass(frozen=True, slots=True)
class Window:
    """The days of one invoice period as one subscription sees them.

    The subscription is active from ``active_from`` to ``active_until`` (both
    in the period; ``active_from`` None: not active in the period at all).
    ``trial_days`` counts the active days inside the trial window
    ``[start, start + trial_days)``; ``trial_until`` is the trial's last day
    when the trial reaches into the period. ``new`` says the subscription
    starts in the period, or has no start: one-time charges are billed.
    """

    period_days: int
    active_from: dt.date | None
    active_days: int
    trial_days: int
    trial_until: dt.date | None
    new: bool
    active_until: dt.date | None = None

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
           trial_days: int, end: dt.date | None = None) -> Window:
    """The ``Window`` of a subscription from ``start`` (None: before the period, no trial) to
    ``end`` (its last day; None: open) on a plan with ``trial_days``, for the inclusive
    period ``[period_start, period_end]``."""
    period_days = (period_end - period_start).days + 1
    active_from = period_start if start is None else max(start, period_start)
    active_until = period_end if end is None else min(end, period_end)
    if active_until < active_from:
        return Window(period_days, None, 0, 0, None, False)
    active_days = (active_until - active_from).days + 1
    in_trial = 0
    trial_until = None
    if start is not None and trial_days > 0:
        last_trial_day = start + dt.timedelta(days=trial_days - 1)
        in_trial = max(0, (min(active_until, last_trial_day) - active_from).days + 1)
        trial_until = last_trial_day if in_trial else None
    new = start is None or start >= period_start
    return Window(period_days, active_from, active_days, in_trial, trial_until, new,
                  active_until)


@dataclass(frozen=True, slots=True)
class Segment:
    """Part of the period under one set of charges: an introductory phase (``phase`` its id)
    or the version's own charges (``phase`` ""), with the days it holds.

    ``paid_days`` are the segment's active days of the period outside the
    trial; ``one_time`` says its one-time charges are billed on this invoice
    (the segment begins in the period; the first segment when the
    subscription does); ``bills_usage`` says the period's usage is priced
    with its charges (it holds the period's last active day).
    """

    phase: str
    charges: tuple[Charge, ...]
    paid_days: int
    one_time: bool
    bills_usage: bool
    begins: dt.date | None = None  # the segment's first day (None: before any start)
    ends: dt.date | None = None  # the first day after it (None: open)


def segments(version: PlanVersion, days: Window, start: dt.date | None, trial_days: int,
             period_start: dt.date) -> list[Segment]:
    """The segments of an active ``days`` window: one with the version's own charges, or the
    introductory phases one after another (counted from the end of the trial, or the start;
    a subscription without start is a new one from the period's first day), then the
    version's own charges. Segments that hold none of the period are left out."""
    assert days.active_from is not None and days.active_until is not None
    if not version.phases:
        return [Segment("", version.charges, days.paid_days, days.new, True)]
    anchor = period_start if start is None else start + dt.timedelta(days=trial_days)
    spans: list[tuple[str, tuple[Charge, ...], dt.date, dt.date | None]] = []
    begins = anchor
    for intro in version.phases:
        ends = intro.ends(begins)
        spans.append((intro.id, intro.charges, begins, ends))
        begins = ends
    spans.append(("", version.charges, begins, None))
    last = days.active_until
    # Usage is priced by the segment of the last active day (the first, while in the trial).
    usage_at = max(last, anchor)
    found: list[Segment] = []
    for number, (phase, charges, first_day, after) in enumerate(spans):
        low = max(first_day, days.active_from)
        high = last if after is None else min(after - dt.timedelta(days=1), last)
        paid = max(0, (high - low).days + 1)
        bills_usage = first_day <= usage_at and (after is None or usage_at < after)
        one_time = days.new if number == 0 else \
            days.active_from <= first_day <= last
        if paid or bills_usage or one_time:
            found.append(Segment(phase, charges, paid, one_time, bills_usage, first_day, after))
    return found


def periods_passed(start: dt.date | None, day: dt.date, billing_period: str) -> int:
    """Whole billing periods between a subscription's ``start`` and ``day``.

    A subscription without ``start`` is in its first period (0 passed); so is
    every subscription of a ``one_time`` plan, which has a single period.
    """
    per_period = MONTHS_PER_PERIOD.get(billing_period)
    if start is None or per_period is None:
        return 0
    return months_between(start, day) // per_period
