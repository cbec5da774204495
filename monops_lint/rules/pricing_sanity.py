"""Pricing sanity: a plan's prices against themselves and against its monthly sibling.

volume-cliff and interval-ratio (margin-floor, against cost, is in
``margins``). Every price here is the pricing engine's (``price_charge``
for one charge, ``plan_lines`` for a billing period, see
``support.prices``); the rules only compare them.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Channel, Charge, Plan
from monops_lint.money import CurrencyError, money_str, number_str
from monops_lint.pricing import PricingError, price_charge, round_money
from monops_lint.pricing.charges import money_arithmetic
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.prices import (
    ChannelPrice,
    Offered,
    catalog_prices,
    money,
    offer_keys,
    on_day,
    price_days,
    price_key,
    rate,
    sold_as,
)

JUST_PAST = Decimal("1e-12")
"""How far past a bound a fractional quantity is probed: far below any price's precision."""


# --- volume-cliff ------------------------------------------------------------

def _probes(charge: Charge, number: int, whole: bool) -> list[tuple[Decimal, str]]:
    """The quantities just past bounded tier ``number`` (0-based), with how they read.

    One unit more when units are whole (``whole``: every bound is a whole
    number); for a usage charge (measured, and pro-rated by trial days, so
    fractional) or fractional bounds, also the boundary just past
    (``JUST_PAST`` more).
    """
    bound = charge.tiers[number].up_to
    assert bound is not None
    following = charge.tiers[number + 1].up_to
    probes: list[tuple[Decimal, str]] = []
    if whole and (following is None or following >= bound + 1):
        probes.append((bound + 1, number_str(bound + 1)))
    if charge.type == "usage" or not whole:
        probes.append((bound + JUST_PAST, f"just over {number_str(bound)}"))
    return probes


@rule("volume-cliff", Severity.WARNING, cost="charges")
def volume_cliff(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A `volume` charge where buying one more unit past a tier bound lowers the total.

    ## What it does
    For every `volume` charge, at every tier bound, prices the quantity at
    the bound and one unit past it with the pricing engine, in every
    currency the charge is written in, each rounded as an invoice line.
    When the second total is lower, it reports the tier past the bound,
    both totals and the drop. A tier whose `flat_amount` makes up the
    difference (a continuous price) passes.

    Quantities are billable units (beyond `included`). Recurring and
    one-time quantities count whole units, so "one more" is `up_to + 1`.
    Usage can be fractional (a GB-month, or usage pro-rated over a trial),
    so a usage charge - or any charge with fractional bounds - is also
    priced just past the bound, and is reported when the total drops
    there even if a whole unit more does not. Looked at: the version in
    effect today, every later version, and the charges a channel's
    `price_override` writes in full (a percent override scales both sides
    alike and cannot make or mend a cliff).

    ## Why is this bad?
    A customer at 1,000 units pays more than one at 1,001: the price rewards
    padding usage, and the customer who notices feels cheated.

    ## Example
    ```yaml
    - id: calls
      type: usage
      metric: calls
      model: volume
      tiers:
        - {up_to: 1000, unit_amount: {USD: 0.40}}   # 1000 units: USD 400.00
        - {up_to: null, unit_amount: {USD: 0.30}}   # 1001 units: USD 300.30
    ```

    ## Use instead
    ```yaml
    - id: calls
      type: usage
      metric: calls
      model: volume
      tiers:
        - {up_to: 1000, unit_amount: {USD: 0.40}}
        - {up_to: null, unit_amount: {USD: 0.30}, flat_amount: {USD: 100.00}}
    ```
    """
    rounding = ctx.config.rounding
    for price in catalog_prices(catalog, ctx.today):
        try:
            charges = price.charges()
        except PricingError:
            continue
        for index, charge in enumerate(charges):
            if charge.model != "volume":
                continue
            steps = _VolumeSteps(charge)
            currencies = sorted(charge.currencies())
            priced = [c for c in currencies if steps.priced_in(c)]
            for number in range(len(charge.tiers) - 1):
                if charge.tiers[number].up_to is None:
                    break
                for currency in priced:
                    cliff = _cliff(steps, number, currency, rounding)
                    if cliff is not None:
                        yield _cliff_finding(ctx, price, index, charge, number, currency, *cliff)


FEW_TIERS = 16
"""Up to this many bounds a charge is priced whole at every probe (n² steps are few)."""


class _VolumeSteps:
    """A volume charge priced near one bound at a time, in time independent of its tiers.

    The engine prices a volume quantity at the first tier whose ``up_to``
    holds it, after checking every tier: priced whole at every bound, a
    charge with n tiers takes n² steps. Here the whole charge is checked once
    per currency, and each quantity is priced by the engine on the few tiers
    from the bound's to the one that holds it: the tiers before the bound's
    end below it, so the engine picks the same tier at the same rate and fee.
    """

    def __init__(self, charge: Charge) -> None:
        self.charge = charge
        self.whole = all(t.up_to is None or t.up_to == t.up_to.to_integral_value()
                         for t in charge.tiers)
        self.bounds = [t.up_to for t in charge.tiers if t.up_to is not None]

    def priced_in(self, currency: str) -> bool:
        """Whether the engine can price the charge in ``currency`` at all.

        Pricing nothing checks every tier (rising bounds, a price in the
        currency), as pricing any quantity does; it fails otherwise - or when
        every bound is below 0, when every bound's own price fails too.
        """
        try:
            with money_arithmetic(f"charge {self.charge.id!r}"):
                price_charge(self.charge, currency, Decimal(0))
        except PricingError:
            return False
        return True

    def price(self, currency: str, number: int, quantity: Decimal) -> Decimal:
        """The engine's price of ``quantity``, at least tier ``number``'s bound (0-based)."""
        if len(self.bounds) <= FEW_TIERS:  # the common case: the whole charge costs less
            return price_charge(self.charge, currency, quantity).amount  # than a copy of it
        holder = bisect.bisect_left(self.bounds, quantity, lo=number)  # the tier that holds it
        window = self.charge.tiers[number:holder + 1]  # to the end when no tier holds it
        return price_charge(dataclasses.replace(self.charge, tiers=window), currency,
                            quantity).amount


def _cliff(steps: _VolumeSteps, number: int, currency: str,
           rounding: str) -> tuple[Decimal, Decimal, str, Decimal] | None:
    """(total at the bound, total past it, how the past quantity reads, drop), or None."""
    charge = steps.charge
    bound = charge.tiers[number].up_to
    assert bound is not None
    try:
        with money_arithmetic(f"charge {charge.id!r}"):
            at = round_money(steps.price(currency, number, bound), currency, rounding)
            for quantity, words in _probes(charge, number, steps.whole):
                past = round_money(steps.price(currency, number, quantity), currency,
                                   rounding)
                if past < at:
                    return at, past, words, at - past
    except (PricingError, CurrencyError):
        pass
    return None


def _cliff_finding(ctx: RuleContext, price: ChannelPrice, index: int, charge: Charge,
                   number: int, currency: str, at: Decimal, past: Decimal, words: str,
                   drop: Decimal) -> Finding:
    bound = charge.tiers[number].up_to
    assert bound is not None
    following = charge.tiers[number + 1]
    field = "unit_amount" if currency in following.unit_amount else "flat_amount"
    beyond = f" beyond the {number_str(charge.included)} included" if charge.included else ""
    who = sold_as(price, ctx.today)
    return ctx.finding(
        price.charge_at(index, "tiers", number + 1, field, currency),
        f"{who}, charge {charge.id}: past volume tier {number + 1} (up to "
        f"{number_str(bound)}) the total falls: {number_str(bound)} units{beyond} cost "
        f"{money(at, currency)}, {words} cost {money(past, currency)}: "
        f"{money_str(drop, currency)} less",
        f"raise tier {number + 2}'s flat_amount by at least {money(drop, currency)} so that "
        f"the total never falls past {number_str(bound)} units, or price the charge "
        "`graduated`",
        key=f"{price_key(price)}:{charge.id}:tier{number + 2}:{currency}",
        related=[(price.charge_at(index, "tiers", number, "up_to"), "the tier bound")])


# --- interval-ratio ------------------------------------------------------------

@rule("interval-ratio", Severity.WARNING, options={"min": 9, "max": 12},
      cost="prices")
def interval_ratio(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A yearly plan priced outside `min`-`max` times its monthly sibling.

    ## What it does
    Pairs every `year` plan with its monthly siblings - `month` plans of the
    same product or bundle and `name`, or with the same `sku` - and checks,
    in every currency both are priced in, that the yearly price is within
    `[min, max]` × the monthly price (default 9-12; both edges pass).

    Prices are the engine's price of one billing period with no usage at
    quantity 1: recurring charges and any minimum true-up, without one-time
    charges (the same on either plan). Compared: the catalog prices, and
    the prices in every channel that offers both plans when it overrides the
    price of either. A monthly price of zero has no ratio and is skipped.
    Looked at: today and every later day either plan changes price.
    `min` and `max` are numbers above 0 and below 1000; another value is a
    config error.

    ## Why is this bad?
    A yearly plan at 13 monthly payments makes no customer commit; one at
    6 gives half a year away. Either is usually a typo in one of the two.

    ## Example
    ```yaml
    kind: plan
    id: fiber-yearly
    name: Fiber 500
    product: fiber
    billing_period: year
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 49.99}}  # = 1 month
    ```

    ## Use instead
    ```yaml
    kind: plan
    id: fiber-yearly
    name: Fiber 500
    product: fiber
    billing_period: year
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 499.00}}  # ~10 months
    ```
    """
    low = Decimal(str(ctx.options.get("min", 9)))
    high = Decimal(str(ctx.options.get("max", 12)))
    monthly: dict[tuple[str, ...], list[Plan]] = {}
    for plan in catalog.plans.values():
        if plan.billing_period == "month":
            for key in offer_keys(plan):
                monthly.setdefault(key, []).append(plan)
    sold = catalog.offered
    for yearly in catalog.plans.values():
        if yearly.billing_period != "year":
            continue
        siblings = {p.id: p for key in offer_keys(yearly) for p in monthly.get(key, ())}
        for month in siblings.values():
            for channel, currencies in _ratio_contexts(catalog, sold, yearly, month):
                yield from _ratio_findings(ctx, sold, yearly, month, channel, currencies,
                                           low, high)


def _ratio_contexts(catalog: Catalog, sold: Offered, yearly: Plan,
                    month: Plan) -> Iterator[tuple[Channel | None, list[str]]]:
    """(channel, or None for the catalog price; currencies) to compare the pair in."""
    currencies = {c for plan in (yearly, month) for v in plan.versions for ch in v.charges
                  for c in ch.currencies()}
    yield None, sorted(currencies)
    seen: set[str] = set()
    for channel in catalog.channels_offering(yearly.id):
        plans = sold[channel.id]
        if channel.id in seen or month.id not in plans:
            continue
        seen.add(channel.id)
        if plans[yearly.id][1].price_override or plans[month.id][1].price_override:
            yield channel, list(channel.currencies)


def _ratio_findings(ctx: RuleContext, sold: Offered, yearly: Plan, month: Plan,
                    channel: Channel | None, currencies: list[str], low: Decimal,
                    high: Decimal) -> Iterator[Finding]:
    rounding = ctx.config.rounding
    plans = sold[channel.id] if channel is not None else {}
    for currency in currencies:
        for day in price_days(ctx.today, (yearly, month)):
            y_price = ChannelPrice.on(yearly, day, channel, plans.get(yearly.id))
            m_price = ChannelPrice.on(month, day, channel, plans.get(month.id))
            if y_price is None or m_price is None:
                continue
            y = y_price.period_price(currency, rounding, memo=ctx.prices)
            m = m_price.period_price(currency, rounding, memo=ctx.prices)
            if y is None or m is None or m == 0 or low * m <= y <= high * m:
                continue
            bound, words = (high, "more") if y > high * m else (low, "less")
            where = f" in {channel.id}" if channel is not None else ""
            yield ctx.finding(
                y_price.price_at(currency),
                f"yearly plan {yearly.id} costs {money(y, currency)}{where}"
                f"{on_day(day, ctx.today)}, {words} than {number_str(bound)} × its monthly "
                f"sibling {month.id}'s {money(m, currency)} ({rate(bound * m, currency)})",
                f"price the yearly plan between {rate(low * m, currency)} and "
                f"{rate(high * m, currency)}, or set interval-ratio's `min`/`max` in "
                "monops.yaml if this ratio is intended",
                key=f"{yearly.id}:{month.id}:{channel.id if channel else ''}:{currency}",
                related=[(m_price.price_at(currency), f"the monthly sibling {month.id}")])
            break
