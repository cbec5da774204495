"""The engine's prices, as the price-comparing rules read them (no rules here).

Rules that compare prices never compute a price themselves: a plan's price
in a channel is what the pricing engine makes of it - ``charges_in_channel``
over the version in effect, priced by ``plan_lines``, ``price_charge`` or
``quote``. This module holds what those rules share: which versions and
which days they look at, one plan as sold in one channel on one day, the
keys under which customers see plans as one offer, and how amounts are
written in messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monops_lint.catalog import Catalog
from monops_lint.dates import MONTHS_PER_PERIOD
from monops_lint.findings import Location
from monops_lint.model import NO_USAGE, Channel, Charge, Offering, Plan, PlanVersion, Usage
from monops_lint.money import (
    MONEY_CONTEXT,
    UNIT_AMOUNT_MAX_DECIMALS,
    CurrencyError,
    decimals_of,
    minor_units,
    money_str,
    number_str,
)
from monops_lint.pricing import PricingError, Terms, charges_in_channel, plan_total
from monops_lint.pricing.charges import money_arithmetic
from monops_lint.rules.registry import PriceMemo

ONE = Decimal(1)
MONEY_FIELDS = ("amount", "unit_amount", "fixed", "min", "max")
"""A charge's money fields besides its tiers'."""
PERIOD_MONTHS = MONTHS_PER_PERIOD
"""Months in a billing period, to compare plans billed over different periods."""

Offered = Mapping[str, Mapping[str, tuple[int, Offering]]]
"""channel id -> plan id -> (position in the channel's offerings, offering)."""


# --- how amounts read in messages -------------------------------------------

def money(amount: Decimal, currency: str) -> str:
    """``USD 15.00``: an amount at its currency's minor unit (``money_str``)."""
    return f"{currency} {money_str(amount, currency)}"


def rate(amount: Decimal, currency: str) -> str:
    """A unit rate with the digits it has (``USD 0.023``), never fewer than the minor unit.

    Unit rates may carry up to 12 decimals; ``money`` would round 0.023 to
    0.02 and print a price nobody wrote. Longer values (a division) are cut
    at 12 decimals.
    """
    try:
        digits = minor_units(currency)
    except CurrencyError:
        return f"{currency} {number_str(amount)}"
    if decimals_of(amount.normalize(MONEY_CONTEXT)) <= digits:
        return money(amount, currency)
    shown = amount.quantize(Decimal(1).scaleb(-UNIT_AMOUNT_MAX_DECIMALS), rounding=ROUND_HALF_UP,
                            context=MONEY_CONTEXT)
    return f"{currency} {number_str(shown)}"


def percent(value: Decimal) -> str:
    """A number as a short percentage or factor: ``30``, ``33.3`` (one decimal at most)."""
    return number_str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP,
                                     context=MONEY_CONTEXT))


# --- which versions, which days ---------------------------------------------

def versions_in_force(plan: Plan, today: dt.date) -> list[tuple[int, PlanVersion]]:
    """The version in effect on ``today`` and every later one, with their positions.

    Past versions are history: they never change (``history-rewrite``) and
    price nobody from now on, so the rules look at what customers pay today
    and what they are going to pay.
    """
    current = plan.version_on(today)
    return [(index, version) for index, version in enumerate(plan.versions)
            if version is current or version.effective_from > today]


def price_days(today: dt.date, plans: Iterable[Plan]) -> list[dt.date]:
    """``today`` and every later day on which one of ``plans`` changes price, in order.

    Comparing two plans on these days sees every pair of versions that will
    ever be on sale together.
    """
    days = {today}
    for plan in plans:
        days.update(v.effective_from for v in plan.versions if v.effective_from > today)
    return sorted(days)


def versions_on(plan: Plan, days: Sequence[dt.date]) -> list[tuple[int, PlanVersion] | None]:
    """The version in effect on each of ``days`` (sorted), with its position: one pass.

    The same choice as ``Plan.version_on`` (the latest that starts on or
    before the day; of two on one date, the later in the file), without
    sorting the versions again for every day.
    """
    ordered = sorted(enumerate(plan.versions), key=lambda item: item[1].effective_from)
    found: list[tuple[int, PlanVersion] | None] = []
    current: tuple[int, PlanVersion] | None = None
    step = 0
    for day in days:
        while step < len(ordered) and ordered[step][1].effective_from <= day:
            current = ordered[step]
            step += 1
        found.append(current)
    return found


def on_day(day: dt.date, today: dt.date) -> str:
    """`` from 2027-02-01`` for a future price, nothing for today's."""
    return "" if day == today else f" from {day.isoformat()}"


# --- what channels offer -----------------------------------------------------

def offer_keys(plan: Plan) -> list[tuple[str, ...]]:
    """The keys under which customers see ``plan`` as one offer with others (period aside).

    Its product or bundle together with its ``name``, and its ``sku`` when
    it has one.
    """
    owner = ("product", plan.product) if plan.product else ("bundle", plan.bundle)
    keys: list[tuple[str, ...]] = [("name", *owner, plan.name)]
    if plan.sku:
        keys.append(("sku", plan.sku))
    return keys


# --- one plan as sold in one channel on one day ------------------------------

@dataclass(frozen=True)
class ChannelPrice:
    """A plan as sold through ``offering`` of ``channel`` on ``day`` (None: its catalog price).

    ``version`` is the version in effect on ``day``.

    ``charges()`` are the engine's ``charges_in_channel``: the override's
    charges when the channel writes its own, scaled by its percent; the
    version's charges otherwise.
    """

    plan: Plan
    day: dt.date
    version: PlanVersion
    channel: Channel | None = None
    offering: Offering | None = None
    position: int = -1  # of the offering in the channel's file

    @classmethod
    def on(cls, plan: Plan, day: dt.date, channel: Channel | None = None,
           sold: tuple[int, Offering] | None = None) -> ChannelPrice | None:
        """The plan as sold on ``day``; None when no version is in effect then."""
        version = plan.version_on(day)
        if version is None:
            return None
        position, offering = sold if sold is not None else (-1, None)
        return cls(plan, day, version, channel, offering, position)

    @property
    def override(self) -> bool:
        """Whether the channel sells the plan at a price of its own."""
        return self.offering is not None and self.offering.price_override is not None

    @property
    def writes_charges(self) -> bool:
        """Whether the channel writes the charges in full (``price_override.charges``)."""
        override = self.offering.price_override if self.offering is not None else None
        return override is not None and override.charges is not None

    def where(self) -> str:
        """``in web``, or ``at its catalog price``."""
        return f"in {self.channel.id}" if self.channel is not None else "at its catalog price"

    def charges(self) -> tuple[Charge, ...]:
        """The charges the engine prices in this channel; raises ``PricingError``."""
        return charges_in_channel(self.version.charges, self.offering)

    def charge_at(self, index: int, *keys: object) -> Location:
        """Where field ``keys`` of charge ``index`` of ``charges()`` is written.

        In the channel's override when it writes the charges; in the plan's
        version otherwise (a percent override scales the plan's amounts).
        """
        if self.writes_charges and self.channel is not None:
            return self.channel.origin.at("offerings", self.position, "price_override",
                                          "charges", index, *keys)
        return self.plan.origin.at("versions", self.plan.version_index(self.version),
                                   "charges", index, *keys)

    def offering_at(self, *keys: object) -> Location:
        """Where the offering (or ``keys`` below it) is written; the plan's id without one."""
        if self.channel is None:
            return self.plan.origin.at("id")
        return self.channel.origin.at("offerings", self.position, *(keys or ("plan",)))

    def period_price(self, currency: str, rounding: str, *, quantity: Decimal = ONE,
                     first: bool = False, memo: PriceMemo | None = None,
                     usage: Mapping[str, Usage] = NO_USAGE) -> Decimal | None:
        """The engine's price of one billing period, with ``usage`` (default: none), or None
        if it has none.

        The sum of the rounded lines of ``plan_lines`` at ``quantity`` (``plan_total``): the
        recurring charges, the usage charges at ``usage`` (metric ->
        quantity) and the minimum's true-up; one-time charges only with
        ``first`` (the first period). With ``first``, quantity 1 and no
        usage it is the total ``monops quote PLAN --channel CH --on DAY``
        prints (``quote`` sums the same lines, but finds the offering by
        scanning the channel, once per call). None when the plan cannot be
        priced in ``currency`` (another rule says why). ``memo`` (the run's
        ``RuleContext.prices``) keeps it for the other rules.
        """
        override = self.offering.price_override if self.offering is not None else None
        sources = (self.plan, self.version, override)
        extra = (currency, rounding, str(quantity), first,
                 tuple(sorted((metric, str(used)) for metric, used in usage.items()))
                 if usage else ())
        if memo is not None:
            key = memo.key(sources, extra)
            found, value = memo.get(key)
            if found:
                return value  # type: ignore[no-any-return]
        total: Decimal | None
        try:
            with money_arithmetic(f"plan {self.plan.id!r} in {currency}"):
                total = plan_total(self.plan, self.charges(), currency=currency,
                                   rounding=rounding,
                                   terms=Terms(quantity, usage, one_time=first))
        except (PricingError, CurrencyError):
            total = None
        if memo is not None:
            memo.put(key, sources, total)
        return total

    def price_at(self, currency: str) -> Location:
        """Where this plan's recurring price in ``currency`` is written, for a finding.

        The first recurring charge's amount or rate in ``currency`` (the
        first one-time charge's, for a plan without recurring charges); the
        percent of a percent override; failing all, the plan's id.
        """
        override = self.offering.price_override if self.offering is not None else None
        if override is not None and override.percent is not None and self.channel is not None:
            return self.channel.origin.at("offerings", self.position, "price_override", "percent")
        try:
            charges = self.charges()
        except PricingError:
            charges = ()
        kind = "recurring" if any(c.type == "recurring" for c in charges) else "one_time"
        for index, charge in enumerate(charges):
            if charge.type != kind:
                continue
            for field in ("amount", "unit_amount"):
                if currency in getattr(charge, field):
                    return self.charge_at(index, field, currency)
            for number, tier in enumerate(charge.tiers):
                for field in ("unit_amount", "flat_amount"):
                    if currency in getattr(tier, field):
                        return self.charge_at(index, "tiers", number, field, currency)
            return self.charge_at(index)
        return self.plan.origin.at("id")


def sold_as(price: ChannelPrice, today: dt.date) -> str:
    """How a finding names what it priced: ``plan p``, ``plan p in partner (price override)``,
    with `` (version from DAY)`` for a version not yet in effect."""
    text = f"plan {price.plan.id}"
    if price.channel is not None and price.override:
        text += f" in {price.channel.id} (price override)"
    if price.version.effective_from > today:
        text += f" (version from {price.version.effective_from.isoformat()})"
    return text


def price_key(price: ChannelPrice) -> str:
    """What a finding's ``key`` names: plan, version (or channel override), never today.

    A version keeps its key when it comes into effect, so a baseline entry
    for a future price still matches once that price is today's.
    """
    if price.writes_charges and price.channel is not None:
        return f"{price.plan.id}@{price.channel.id}"
    key = f"{price.plan.id}:{price.version.effective_from.isoformat()}"
    return key + (f"@{price.channel.id}" if price.override and price.channel else "")


def catalog_prices(catalog: Catalog, today: dt.date, *,
                   percent_overrides: bool = False) -> Iterable[ChannelPrice]:
    """Every plan's own prices that are or will be on sale, each written once.

    The catalog price of every version in force (``versions_in_force``);
    and every channel whose override writes the charges in full, once (they
    replace whichever version is in effect). With ``percent_overrides``,
    also every version in force scaled by a channel's percent override.
    """
    sold = catalog.offered
    for plan in catalog.plans.values():
        in_force = versions_in_force(plan, today)
        for _, version in in_force:
            yield ChannelPrice(plan, max(today, version.effective_from), version)
        if not in_force:
            continue
        seen: set[str] = set()
        for channel in catalog.channels_offering(plan.id):
            if channel.id in seen:
                continue
            seen.add(channel.id)
            position, offering = sold[channel.id][plan.id]
            override = offering.price_override
            if override is None:
                continue
            if override.charges is not None:
                _, version = in_force[0]
                yield ChannelPrice(plan, max(today, version.effective_from), version, channel,
                                   offering, position)
            elif percent_overrides:
                for _, version in in_force:
                    yield ChannelPrice(plan, max(today, version.effective_from), version,
                                       channel, offering, position)
