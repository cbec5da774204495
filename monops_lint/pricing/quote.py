"""Quotes: one plan priced on its own, for one billing period (``monops quote``).

See docs/pricing.md, "Quote": a single new subscription over one billing
period starting on ``on``, with no trial and no proration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.model import NO_USAGE, Offering, Usage
from monops_lint.money import ZERO, number_str
from monops_lint.pricing.buckets import bucket_of
from monops_lint.pricing.charges import PricingError, charges_in_channel, money_arithmetic
from monops_lint.pricing.lines import (
    InvoiceLine,
    Terms,
    check_currency,
    check_rounding,
    plan_lines,
    round_money,
)


@dataclass(frozen=True, slots=True)
class Quote:
    """One plan's price for one billing period: rounded lines and their total (no tax).

    ``channel`` is the channel whose price was used (None: the catalog
    price); ``notes`` say which version, channel price and inputs were used.
    """

    plan: str
    plan_name: str
    billing_period: str
    currency: str
    channel: str | None
    on: dt.date
    rounding: str
    lines: tuple[InvoiceLine, ...]
    total: Decimal
    notes: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    """What makes the quote one no customer could get: usage above the plan's ``limits``."""


def quote(plan: str, catalog: Catalog, *, currency: str, quantity: Decimal = Decimal(1),
          usage: Mapping[str, Usage] = NO_USAGE, channel: str | None = None, on: dt.date,
          rounding: str = "half_up", customer: str = "") -> Quote:
    """Price plan ``plan`` in ``currency`` for one billing period starting ``on``.

    ``quantity`` is the subscription's quantity (recurring and one-time
    charges); ``usage`` maps a metric to its usage, or for ``percentage``
    charges to its transactions. With ``channel``, that channel's
    ``price_override`` applies. A plan minimum the charges fall short of
    adds a true-up line, as on an invoice; usage above the plan's ``limits`` is
    priced and said in ``warnings``. ``customer`` (an id) picks the
    version a staged rollout gives that customer on ``on`` (default: the
    canary's). A version with introductory phases is quoted at its first
    phase: the price of a new subscription. Raises ``PricingError`` for an
    unknown plan or channel, no version in effect on ``on``, or a charge
    with no price in ``currency``.
    """
    where = f"quote of plan {plan!r} in {currency}"
    try:
        with money_arithmetic("lines"):
            return _quote(plan, catalog, currency=currency, quantity=quantity, usage=usage,
                          channel=channel, on=on, rounding=rounding, customer=customer)
    except PricingError as exc:
        raise PricingError(f"{where}: {exc}") from None


def _quote(plan_id: str, catalog: Catalog, *, currency: str, quantity: Decimal,
           usage: Mapping[str, Usage], channel: str | None, on: dt.date,
           rounding: str, customer: str) -> Quote:
    check_rounding(rounding)
    check_currency(currency)
    _check_exact("quantity", quantity)
    for metric, value in usage.items():
        for number in (value,) if isinstance(value, Decimal) else value:
            _check_exact(f"usage {metric!r}", number)
    plan = catalog.plans.get(plan_id)
    if plan is None:
        raise PricingError("unknown plan")
    bucket = bucket_of(customer)
    version = plan.version_on(on, bucket)
    if version is None:
        raise PricingError(f"no version in effect on {on}")
    notes = [f"version effective from {version.effective_from}"]
    if version.rollout:
        notes.append(f"rolled out in waves: customer {customer or '(none: the canary)'} is in "
                     f"bucket {bucket}, wave {version.wave_of(bucket)} of "
                     f"{len(version.rollout)}, from {version.effective_for(bucket)}")
    offering: Offering | None = None
    if channel is not None:
        sold_in = catalog.channels.get(channel)
        if sold_in is None:
            raise PricingError(f"unknown channel {channel!r}")
        offering = sold_in.offering(plan.id)
        if offering is None:
            notes.append(f"plan {plan.id} is not offered in channel {channel}: "
                         "priced at its catalog price")
        elif offering.price_override is not None:
            override = offering.price_override
            how = ("its own prices" if override.percent is None
                   else f"{'+' if override.percent >= 0 else ''}"
                        f"{number_str(override.percent)} %")
            notes.append(f"channel {sold_in.name} price: {how} ({override.reason})")
        if currency not in sold_in.currencies:
            notes.append(f"channel {channel} does not sell in {currency}")
    phase = version.phases[0] if version.phases else None
    charges = charges_in_channel(phase.charges if phase else version.charges, offering,
                                 phase=phase is not None)
    if phase is not None:
        then = ", then ".join(f"{p.id} for {p.duration}" for p in version.phases[1:])
        notes.append(f"introductory phase {phase.id} ({phase.duration}) priced"
                     + (f"; then {then}" if then else "")
                     + "; then the version's own charges")
    metrics = {c.usage_metric for c in charges}
    notes += [f"usage {name!r} is not a metric of this plan: ignored"
              for name in usage if name not in metrics]
    if plan.free:
        notes.append("a free plan: every charge is zero")
    lines = plan_lines(plan, charges, currency=currency, rounding=rounding,
                       terms=Terms(quantity, usage, phase=phase.id if phase else ""))
    total = sum((line.amount for line in lines), round_money(ZERO, currency, rounding))
    return Quote(plan.id, plan.name, plan.billing_period, currency, channel, on, rounding,
                 lines, total, tuple(notes), tuple(_over_limits(plan.limits, usage)))


def _over_limits(limits: Mapping[str, Decimal], usage: Mapping[str, Usage]) -> list[str]:
    """Each metric whose usage is above the plan's limit per period, in words."""
    found = []
    for metric, value in usage.items():
        limit = limits.get(metric)
        used = value if isinstance(value, Decimal) else sum(value, ZERO)
        if limit is not None and used > limit:
            found.append(f"usage {number_str(used)} of `{metric}` exceeds the plan's limit of "
                         f"{number_str(limit)} per period: no customer can use this much on "
                         "this plan (the quote prices it anyway)")
    return found


def _check_exact(what: str, value: object) -> None:
    # A float here would already have lost the exact value the user typed.
    if not isinstance(value, Decimal) or not value.is_finite():
        raise PricingError(f"{what} must be a finite Decimal, not {value!r}")
