"""Sample invoices: one scenario priced into rounded lines, promotions, tax and notes.

The rules are SPEC section 3 and docs/pricing.md; every decision the
engine takes about a subscription (trial, proration, promotion, channel
price) is also written as a note a release manager can read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.model import Channel, Customer, Plan, Promotion, Scenario, Subscription
from monops_lint.money import ZERO, number_str
from monops_lint.pricing.buckets import bucket_of
from monops_lint.pricing.charges import (
    PricingError,
    TierPortion,
    charges_in_channel,
    money_arithmetic,
)
from monops_lint.pricing.lines import (
    InvoiceLine,
    Terms,
    check_currency,
    check_rounding,
    phased_lines,
    round_money,
)
from monops_lint.pricing.periods import Segment, Window, periods_passed, segments, window
from monops_lint.pricing.words import Money, Words, plain

Notes = list[str | Words]
"""An invoice's notes as they are written: plain text, or text with amounts in it."""

__all__ = ["Invoice", "InvoiceLine", "TierPortion", "invoice_for", "tax_of"]


@dataclass(frozen=True, slots=True)
class Invoice:
    """A scenario's sample invoice: rounded lines, subtotal, tax and total, all ``Decimal``.

    ``subtotal`` is the sum of the rounded lines; in a ``tax_inclusive``
    channel ``total == subtotal`` and ``tax`` is the part of it that is tax.
    ``notes`` explain trial, proration, channel price and promotion
    decisions in words.
    """

    scenario: str
    scenario_name: str
    customer: Customer
    channel: str
    channel_name: str
    currency: str
    period_start: dt.date
    period_end: dt.date
    tax_inclusive: bool
    tax_rate: Decimal
    rounding: str
    lines: tuple[InvoiceLine, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    notes: tuple[str, ...]
    note_words: tuple[Words, ...] = ()
    """``notes`` in parts, with their amounts as ``Money`` (see ``pricing.words``); one per
    note, in the same order."""


def tax_of(subtotal: Decimal, rate: Decimal, *, inclusive: bool, currency: str,
           rounding: str = "half_up") -> tuple[Decimal, Decimal]:
    """``(tax, total)`` for a rounded ``subtotal`` at ``rate`` percent, tax rounded once.

    Inclusive: ``total = subtotal`` and ``tax = total × r / (100 + r)``;
    exclusive: ``tax = subtotal × r / 100`` and ``total = subtotal + tax``.
    """
    with money_arithmetic(f"tax at {number_str(rate)} % in {currency}"):
        if inclusive:
            return round_money(subtotal * rate / (100 + rate), currency, rounding), subtotal
        tax = round_money(subtotal * rate / 100, currency, rounding)
        return tax, subtotal + tax


def invoice_for(scenario: Scenario, catalog: Catalog, rounding: str = "half_up") -> Invoice:
    """Price ``scenario`` against ``catalog`` into its sample invoice.

    ``rounding`` is ``half_up`` or ``half_even`` (the config's ``rounding``).
    Raises ``PricingError`` (one line, naming the scenario and plan) when
    the invoice cannot be priced: an unknown channel, plan or promotion, a
    plan with no version in effect on the period's start, an amount missing
    for the scenario's currency, or arithmetic too large to be exact.
    """
    where = f"scenario {scenario.id!r}"
    try:
        check_rounding(rounding)
        check_currency(scenario.currency)
    except PricingError as exc:
        raise PricingError(f"{where}: {exc}") from None
    if scenario.period_end < scenario.period_start:
        raise PricingError(f"{where}: period ends ({scenario.period_end}) before it starts "
                           f"({scenario.period_start})")
    channel = catalog.channels.get(scenario.channel)
    if channel is None:
        raise PricingError(f"{where}: {_missing(catalog, 'channel', scenario.channel)}")
    notes: Notes = []
    if scenario.currency not in channel.currencies:
        notes.append(f"channel {channel.id} does not sell in {scenario.currency} "
                     f"(it sells in {', '.join(channel.currencies)})")
    lines: list[InvoiceLine] = []
    bucket = bucket_of(scenario.customer.id)
    for index, subscription in enumerate(scenario.subscriptions):
        plan = catalog.plans.get(subscription.plan)
        if plan is None:
            raise PricingError(f"{where}: {_missing(catalog, 'plan', subscription.plan)}")
        try:
            with money_arithmetic(f"lines in {scenario.currency}"):
                lines += _subscription_lines(scenario, catalog, channel, plan, subscription,
                                             index, rounding, notes, bucket)
        except PricingError as exc:
            raise PricingError(f"{where}: plan {plan.id!r}: {exc}") from exc
    rate = scenario.customer.tax_rate
    try:
        # In the money context: the ambient one (28 digits) would round a 30-digit sum.
        with money_arithmetic(f"subtotal in {scenario.currency}"):
            subtotal = sum((line.amount for line in lines),
                           round_money(ZERO, scenario.currency, rounding))
        tax, total = tax_of(subtotal, rate, inclusive=channel.tax_inclusive,
                            currency=scenario.currency, rounding=rounding)
    except PricingError as exc:
        raise PricingError(f"{where}: {exc}") from None
    return Invoice(scenario.id, scenario.name or scenario.id, scenario.customer, channel.id,
                   channel.name, scenario.currency, scenario.period_start, scenario.period_end,
                   channel.tax_inclusive, rate, rounding, tuple(lines), subtotal, tax, total,
                   tuple(n if isinstance(n, str) else plain(n) for n in notes),
                   tuple((n,) if isinstance(n, str) else n for n in notes))


def _missing(catalog: Catalog, kind: str, entity_id: str) -> str:
    """Why an entity a scenario names is not there: it names nothing, or it is written but
    invalid (a schema or YAML error: the lint findings say what)."""
    if catalog.knows(kind, entity_id):
        return f"{kind} {entity_id!r} is invalid (see the findings of `monops lint`)"
    return f"unknown {kind} {entity_id!r}"


def _subscription_lines(scenario: Scenario, catalog: Catalog, channel: Channel, plan: Plan,
                        subscription: Subscription, index: int, rounding: str,
                        notes: Notes, bucket: Decimal) -> list[InvoiceLine]:
    days = window(scenario.period_start, scenario.period_end, subscription.start,
                  plan.trial_days, subscription.end)
    if not days.active:
        if subscription.start is not None and subscription.start > scenario.period_end:
            notes.append(f"{plan.name}: starts {subscription.start}, after this period: "
                         "not billed")
        else:
            notes.append(f"{plan.name}: ended {subscription.end}, before this period: "
                         "not billed")
        return []
    version = plan.version_on(scenario.period_start, bucket)
    if version is None:
        first = min((v.effective_from for v in plan.versions), default=None)
        raise PricingError(f"no version in effect on {scenario.period_start}"
                           + (f" (the first starts {first})" if first else " (no versions)"))
    if version.rollout:
        wave = version.wave_of(bucket)
        notes.append(f"{plan.name}: version from {version.effective_from}, rolled out in "
                     f"waves: this customer (bucket {bucket}) is in wave {wave} of "
                     f"{len(version.rollout)}, from {version.effective_for(bucket)}")
    offering = channel.offering(plan.id)
    if offering is None:
        notes.append(f"{plan.name}: plan {plan.id} is not offered in channel {channel.id}: "
                     "priced at its catalog price")
    elif offering.price_override is not None:
        override = offering.price_override
        if override.charges is not None:
            notes.append(f"{plan.name}: channel {channel.name} has its own prices "
                         f"({override.reason})")
        if override.percent is not None:
            sign = "+" if override.percent >= 0 else ""
            notes.append(f"{plan.name}: channel {channel.name} prices it at "
                         f"{sign}{number_str(override.percent)} % ({override.reason})")
    parts = []
    for segment in segments(version, days, subscription.start, plan.trial_days,
                            scenario.period_start):
        charges = charges_in_channel(segment.charges, offering, phase=bool(segment.phase))
        share = (segment.paid_days, days.period_days) \
            if segment.paid_days < days.period_days else None
        parts.append((Terms(subscription.quantity, subscription.usage, share, days.usage_share,
                            segment.one_time, segment.phase),
                      tuple(c for c in charges
                            if segment.bills_usage or c.usage_metric is None)))
        if segment.phase:
            notes.append(_phase_note(plan, segment))
    types = {c.type for _, charges in parts for c in charges}
    if plan.free:
        notes.append(f"{plan.name} is a free plan: every charge is zero")
    else:
        _day_notes(plan, subscription, days, types, notes)
    lines = list(phased_lines(plan, parts, currency=scenario.currency, rounding=rounding,
                              minimum_share=days.recurring_share, subscription=index))
    if subscription.promotion:
        promotion = catalog.promotions.get(subscription.promotion)
        if promotion is None:
            raise PricingError(_missing(catalog, "promotion", subscription.promotion))
        discount = _discount(scenario, plan, subscription, promotion, lines, index, rounding,
                             notes)
        if discount is not None:
            lines.append(discount)
    return lines


def _phase_note(plan: Plan, segment: Segment) -> str:
    """``Fiber 500: phase intro (from 2027-03-10 to 2027-06-09): 22 days of this period``."""
    span = f"from {segment.begins}" + (
        f" to {segment.ends - dt.timedelta(days=1)}" if segment.ends is not None else "")
    return (f"{plan.name}: introductory phase {segment.phase} ({span}): "
            f"{segment.paid_days} paid day(s) of this period"
            + ("; the period's usage is priced at its rates" if segment.bills_usage else ""))


def _day_notes(plan: Plan, subscription: Subscription, days: Window, types: set[str],
               notes: Notes) -> None:
    """Say how a start or trial inside the period changed the charges of the types present."""
    parts = []
    if days.active_days < days.period_days:
        bounds = []
        if subscription.start is not None and days.active_from == subscription.start:
            bounds.append(f"starts {subscription.start}")
        if subscription.end is not None and days.active_until == subscription.end:
            bounds.append(f"ends {subscription.end}")
        parts.append(f"{' and '.join(bounds) or 'active'}: active {days.active_days} of "
                     f"{days.period_days} days")
    if days.trial_days:
        parts.append(f"trial until {days.trial_until}: {days.trial_days} of "
                     f"{days.period_days} days free")
    if days.recurring_share is not None and "recurring" in types:
        paid, period = days.recurring_share
        parts.append(f"recurring charges billed for {paid} of {period} days")
    if days.usage_share is not None and "usage" in types:
        paid, active = days.usage_share
        parts.append(f"usage counted for {paid} of {active} days" if paid
                     else "no usage billed")
    if parts:
        notes.append(f"{plan.name}: " + "; ".join(parts))


def _discount(scenario: Scenario, plan: Plan, subscription: Subscription, promotion: Promotion,
              lines: list[InvoiceLine], index: int, rounding: str,
              notes: Notes) -> InvoiceLine | None:
    """The promotion's discount line, or None (with a note saying why it does not apply)."""
    name = f"promotion {promotion.id}"
    skip = f"{plan.name}: {name} not applied"
    if scenario.channel not in promotion.channels:
        notes.append(f"{skip}: not for channel {scenario.channel}")
        return None
    if plan.id not in promotion.plans:
        notes.append(f"{skip}: not for plan {plan.id}")
        return None
    if not promotion.valid_on(scenario.period_start):
        until = f" to {promotion.valid_until}" if promotion.valid_until else ""
        notes.append(f"{skip}: not valid on {scenario.period_start} "
                     f"(valid {promotion.valid_from}{until})")
        return None
    passed = periods_passed(subscription.start, scenario.period_start, plan.billing_period)
    duration = promotion.duration_periods
    if duration is not None and passed >= duration:
        notes.append(f"{skip}: its {duration} billing period(s) ended ({passed} passed since "
                     f"the subscription started on {subscription.start})")
        return None
    currency = scenario.currency
    total = sum((line.amount for line in lines), ZERO)
    if promotion.percent_off is not None:
        # Never more than the plan's lines: a discount cannot make them negative.
        exact = min(total * promotion.percent_off / 100, max(total, ZERO))
        off = round_money(exact, currency, rounding)
        what: Words = (f"{number_str(promotion.percent_off)} % off",)
    elif promotion.amount_off:
        if currency not in promotion.amount_off:
            raise PricingError(f"{name} has no amount_off in {currency} (priced in "
                               f"{', '.join(sorted(promotion.amount_off))})")
        exact = min(promotion.amount_off[currency], max(total, ZERO))
        off = round_money(exact, currency, rounding)
        what = (Money(promotion.amount_off[currency], currency), " off")
    else:
        raise PricingError(f"{name} has neither percent_off nor amount_off")
    period = f"billing period {passed + 1} of {duration}" if duration else "every billing period"
    label = promotion.name or promotion.id
    notes.append((f"{plan.name}: {name} applied: ", *what, f" ({period})"))
    words: Words = (f"{label}: ", *what)
    return InvoiceLine(index, plan.id, plan.name, promotion.id, "discount", plain(words),
                       None, None, (), round_money(-off, currency, rounding), -exact,
                       words=words)
