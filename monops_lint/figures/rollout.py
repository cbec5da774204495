"""``monops rollout``: for every plan version a change introduces or changes, the days on
which customers' invoices move from the old price to the new (SPEC section 10).

A customer moves on the first billing date of their subscription on or after
the ``from`` of their wave (the first wave whose share is above their
bucket). Each such date is a row of the schedule: how many customers move,
their share of the plan's customers, their share of every invoice of the
base dated that day, and what those invoices' list price does (one whole
billing period of the version's charges at BASE and at HEAD, at the
subscription's quantity, channel and currency, and its usage in the base's
period; promotions and tax left out: they do not change with the version).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.dates import MONTHS_PER_PERIOD, add_months
from monops_lint.figures.results import Problem, quotient
from monops_lint.figures.sides import Converter
from monops_lint.model import Plan, PlanVersion, Usage
from monops_lint.pricing import PricingError, quote

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Subscription:
    """A valid subscription of the base, as the schedule needs it."""

    subscription_id: str
    customer_id: str
    channel: str
    currency: str
    plan: str
    quantity: Decimal
    start: dt.date
    end: dt.date | None
    bill_cycle_day: int | None
    bucket: Decimal  # 0 <= b < 100, as pricing.buckets gives it
    usage: tuple[tuple[str, Usage], ...] = ()  # in the base's period, for the list price

    @property
    def invoice(self) -> tuple[str, str, str]:
        """The invoice it is on: customer, channel, currency."""
        return self.customer_id, self.channel, self.currency


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def first_billing(sub: Subscription, billing_period: str, months: int,
                  day: dt.date) -> dt.date | None:
    """The subscription's first billing date on or after ``day`` (a monthly plan on its
    bill-cycle day, else every ``months`` from its start), None past its end."""
    if billing_period == "one_time":
        found: dt.date | None = sub.start if sub.start >= day else None
    elif billing_period == "month":
        anchor = sub.bill_cycle_day or sub.start.day
        found = _clamped(day.year, day.month, anchor)
        if found < day:
            following = add_months(dt.date(day.year, day.month, 1), 1)
            found = _clamped(following.year, following.month, anchor)
    else:
        step = max(months, 1)
        count = max((day.year - sub.start.year) * 12 + day.month - sub.start.month, 0) // step
        found = add_months(sub.start, count * step)
        while found < day:
            count += 1
            found = add_months(sub.start, count * step)
    if found is None or (sub.end is not None and found > sub.end):
        return None
    return found


def billing_dates(sub: Subscription, billing_period: str, months: int, first: dt.date,
                  last: dt.date) -> Iterable[dt.date]:
    """Every billing date of ``sub`` from ``first`` to ``last``."""
    day = max(first, sub.start)
    while day <= last:
        found = first_billing(sub, billing_period, months, day)
        if found is None or found > last:
            return
        yield found
        if billing_period == "one_time":
            return
        day = found + dt.timedelta(days=1)


@dataclass(frozen=True)
class ScheduleDay:
    """One invoice date of one version's rollout."""

    plan: str
    effective_from: dt.date
    wave: int
    day: dt.date
    customers: int
    subscriptions: int
    invoices: int  # invoices of the base dated that day, all plans
    moved_invoices: int  # of them, those that move to the new price that day
    plan_customers: int
    base_by_currency: dict[str, Decimal]
    head_by_currency: dict[str, Decimal]
    base: Decimal = Decimal(0)  # in base_currency
    head: Decimal = Decimal(0)

    @property
    def change(self) -> Decimal:
        """Head minus base, in base_currency."""
        return self.head - self.base

    @property
    def share_of_plan(self) -> Decimal | None:
        """The moved customers in percent of the plan's customers."""
        return None if not self.plan_customers else \
            quotient(Decimal(self.customers) * HUNDRED / self.plan_customers)

    @property
    def share_of_day(self) -> Decimal | None:
        """The moved invoices in percent of every invoice dated that day."""
        return None if not self.invoices else \
            quotient(Decimal(self.moved_invoices) * HUNDRED / self.invoices)


@dataclass(frozen=True)
class Wave:
    """A wave as the schedule shows it (a version without rollout: one wave, 100 %)."""

    number: int
    share: Decimal
    start: dt.date


@dataclass(frozen=True)
class VersionRollout:
    """One changed plan version: its waves and the days its customers move."""

    plan: str
    effective_from: dt.date
    waves: tuple[Wave, ...]
    days: tuple[ScheduleDay, ...]
    plan_customers: int
    moved_customers: int
    new_subscriptions: int  # started on or after their wave: never had the old price
    status: str  # "changed" or "added"

    @property
    def busiest(self) -> ScheduleDay | None:
        """The day with the largest share of that day's invoices."""
        return max(self.days, key=lambda d: (d.share_of_day or 0, d.day), default=None)


@dataclass(frozen=True)
class Rollout:
    """``monops rollout``: every changed version's schedule, and the base's invoice-day
    load next to it."""

    base_label: str
    head_label: str
    base_currency: str
    versions: tuple[VersionRollout, ...]
    invoice_days: dict[int, Decimal]
    max_share: Decimal
    engine: str
    skipped: tuple[Problem, ...] = field(default=())


def changed_versions(before: Catalog, after: Catalog) -> list[tuple[Plan, PlanVersion, str]]:
    """The plan versions of ``after`` that ``before`` does not have as they are: new
    (``added``) or different (``changed``: charges, phases or waves)."""
    found = []
    for plan in after.plans.values():
        old = before.plans.get(plan.id)
        for version in plan.versions:
            if old is not None and version in old.versions:
                continue
            same_day = old is not None and any(v.effective_from == version.effective_from
                                               for v in old.versions)
            found.append((plan, version, "changed" if same_day else "added"))
    return found


def waves_of(version: PlanVersion) -> tuple[Wave, ...]:
    """The version's waves, or one wave of 100 % on its effective_from."""
    if not version.rollout:
        return (Wave(1, HUNDRED, version.effective_from),)
    return tuple(Wave(n, w.share, w.start) for n, w in enumerate(version.rollout, start=1))


class ListPrices:
    """One whole billing period's list price of a subscription at BASE and at HEAD, memoized
    per (plan, channel, currency, quantity, the versions in effect)."""

    def __init__(self, before: Catalog, after: Catalog, rounding: str) -> None:
        self.before, self.after, self.rounding = before, after, rounding
        self.memo: dict[tuple[object, ...], tuple[Decimal, Decimal]] = {}

    def _one(self, catalog: Catalog, sub: Subscription, day: dt.date) -> Decimal:
        plan = catalog.plans.get(sub.plan)
        if plan is None or plan.version_on(day, sub.bucket) is None:
            return Decimal(0)
        try:
            return quote(sub.plan, catalog, currency=sub.currency, quantity=sub.quantity,
                         usage=dict(sub.usage), channel=sub.channel, on=day,
                         rounding=self.rounding, customer=sub.customer_id).total
        except PricingError:
            return Decimal(0)

    def of(self, sub: Subscription, day: dt.date) -> tuple[Decimal, Decimal]:
        """(BASE, HEAD) for ``sub``'s billing period starting ``day``."""
        versions = tuple(id(c.plans[sub.plan].version_on(day, sub.bucket))
                         if sub.plan in c.plans else None for c in (self.before, self.after))
        key = (sub.plan, sub.channel, sub.currency, sub.quantity, sub.usage, versions)
        if key not in self.memo:
            self.memo[key] = (self._one(self.before, sub, day), self._one(self.after, sub, day))
        return self.memo[key]


def schedule(plan: Plan, version: PlanVersion, status: str,
             subscriptions: Sequence[Subscription], prices: ListPrices,
             day_invoices: dict[dt.date, int], convert: Converter) -> VersionRollout:
    """The schedule of ``version`` over the plan's valid ``subscriptions``."""
    waves = waves_of(version)
    moved: dict[tuple[int, dt.date], list[Subscription]] = defaultdict(list)
    new = 0
    for sub in subscriptions:
        number = next((w.number for w in waves if w.share > sub.bucket), None)
        if number is None:
            continue
        start = waves[number - 1].start
        if sub.start >= start:
            new += 1
            continue
        day = first_billing(sub, plan.billing_period,
                            MONTHS_PER_PERIOD.get(plan.billing_period, 0), start)
        if day is not None:
            moved[(number, day)].append(sub)
    customers_of_plan = len({s.customer_id for s in subscriptions
                             if s.end is None or s.end >= version.effective_from})
    days = []
    for (number, day), subs in sorted(moved.items(), key=lambda item: (item[0][1], item[0][0])):
        base: dict[str, Decimal] = defaultdict(Decimal)
        head: dict[str, Decimal] = defaultdict(Decimal)
        for sub in subs:
            old, new_price = prices.of(sub, day)
            base[sub.currency] += old
            head[sub.currency] += new_price
        days.append(ScheduleDay(plan.id, version.effective_from, number, day,
                                len({s.customer_id for s in subs}), len(subs),
                                day_invoices.get(day, 0), len({s.invoice for s in subs}),
                                customers_of_plan, dict(base), dict(head),
                                convert.total(dict(base)), convert.total(dict(head))))
    return VersionRollout(plan.id, version.effective_from, waves, tuple(days),
                          customers_of_plan, len({s.customer_id for d in moved.values()
                                                  for s in d}), new, status)


def invoices_per_day(subscriptions: Iterable[tuple[Subscription, str, int]],
                     days: set[dt.date]) -> dict[dt.date, int]:
    """How many invoices (customer x channel x currency) of the base bill on each of
    ``days``: ``subscriptions`` with their plan's billing period and months."""
    if not days:
        return {}
    first, last = min(days), max(days)
    found: dict[dt.date, set[tuple[str, str, str]]] = defaultdict(set)
    for sub, billing_period, months in subscriptions:
        for day in billing_dates(sub, billing_period, months, first, last):
            if day in days:
                found[day].add(sub.invoice)
    return {day: len(keys) for day, keys in found.items()}
