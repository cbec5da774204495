"""bundle-discount: a bundle plan against its components bought alone in the same channel.

Every price is the pricing engine's price of a billing period in that
channel (``support.prices.ChannelPrice.period_price``); the rule only sums
and compares them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Channel, Offering, Plan
from monops_lint.money import number_str
from monops_lint.pricing import PricingError
from monops_lint.rules.registry import PriceMemo, RuleContext, rule
from monops_lint.rules.support.prices import ChannelPrice, money, on_day, price_days


@rule("bundle-discount", Severity.WARNING, cost="prices")
def bundle_discount(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A bundle plan that costs at least as much as its components bought alone.

    ## What it does
    For every bundle plan, in every channel that offers it and every
    currency the channel sells, prices each component product at its
    cheapest plan of the same billing period offered in that channel, and
    reports the bundle when it costs as much as their sum or more.

    Prices are the engine's price of one billing period in that channel:
    recurring charges and any minimum true-up (one-time charges only for
    `one_time` plans), and the usage the bundle includes. A component is
    bought as one subscription of the bundle's quantity (`{product: mobile,
    quantity: 2}` is a quantity-2 subscription: 2 SIMs at a per-SIM price;
    a flat plan's price does not grow with quantity), with the usage the
    bundle plan's own usage charges include (`included: 50000000` on its
    `events` charge: each component plan is priced at 50,000,000 events of
    its `events` metric). Other usage is not counted: it depends on the
    customer, not on the bundle.

    A free plan is never the price of a component (a bundle is not an
    upgrade of a capped free tier), nor is a plan whose `limits` cannot
    carry the usage the bundle includes. A component with no other plan of
    that billing period in the channel cannot be bought alone there, and
    the bundle is not compared. Looked at: today and every later day the
    bundle plan or a component plan changes price.

    ## Why is this bad?
    A bundle that does not save anything is a bundle nobody should buy: the
    customer who does the sum feels tricked.

    ## Example
    ```yaml
    kind: plan
    id: home-duo-monthly           # fiber-500 49.99 + tv-basic 24.99 = 74.98
    bundle: home-duo
    billing_period: month
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 79.99}}
    ```

    ## Use instead
    ```yaml
    kind: plan
    id: home-duo-monthly
    bundle: home-duo
    billing_period: month
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 64.99}}
    ```
    """
    sold = catalog.offered
    # What each channel sells of each product, by billing period: built once.
    selling: dict[tuple[str, str, str], list[Plan]] = {}
    for channel_id, plans in sold.items():
        for plan_id in plans:
            plan = catalog.plans.get(plan_id)
            if plan is not None and plan.product:
                selling.setdefault((channel_id, plan.product, plan.billing_period),
                                   []).append(plan)
    costs: Costs = {}
    for plan in catalog.plans.values():
        bundle = catalog.bundles.get(plan.bundle) if plan.bundle else None
        if bundle is None:
            continue
        for channel_id in dict.fromkeys(c.id for c in catalog.channels_offering(plan.id)):
            options = [selling.get((channel_id, c.product, plan.billing_period), [])
                       for c in bundle.components]
            if all(options):
                yield from _bundle_findings(ctx, plan, catalog.channels[channel_id],
                                            sold[channel_id], options,
                                            [c.quantity for c in bundle.components], costs)


Included = tuple[tuple[str, Decimal], ...]
"""The usage a bundle plan includes: (metric, quantity), sorted."""

Costs = dict[tuple[str, str, int, str, Decimal, Included], Decimal | None]
"""(plan, channel, version, currency, quantity, included usage) -> the price of a period: a
memo, so that a component plan many bundles (and days) share is priced once per version."""


def _included(bundle: ChannelPrice) -> Included:
    """The usage ``bundle``'s own usage charges include, by metric (the largest allowance of
    a metric when two charges read it)."""
    try:
        charges = bundle.charges()
    except PricingError:
        return ()
    found: dict[str, Decimal] = {}
    for charge in charges:
        metric = charge.usage_metric
        if charge.type == "usage" and metric and charge.included > 0:
            found[metric] = max(found.get(metric, Decimal(0)), charge.included)
    return tuple(sorted(found.items()))


def _can_carry(plan: Plan, included: Included) -> bool:
    """Whether ``plan`` can stand for a bundle component: not free, and within its limits at
    the usage the bundle includes."""
    if plan.free:
        return False
    return all(plan.limits.get(metric, used) >= used for metric, used in included)


def _alone(plan: Plan, channel: Channel, sold: tuple[int, Offering], day: dt.date,
           currency: str, quantity: Decimal, included: Included, rounding: str,
           costs: Costs, memo: PriceMemo) -> tuple[ChannelPrice | None, Decimal | None]:
    """A component plan bought alone in ``channel``, and the engine's price of a period at
    the bundle's quantity and included usage."""
    price = ChannelPrice.on(plan, day, channel, sold)
    if price is None:
        return None, None
    key = (plan.id, channel.id, plan.version_index(price.version), currency, quantity,
           included)
    if key not in costs:
        costs[key] = price.period_price(currency, rounding, quantity=quantity,
                                        first=plan.billing_period == "one_time", memo=memo,
                                        usage=dict(included))
    return price, costs[key]


def _bundle_findings(ctx: RuleContext, plan: Plan, channel: Channel,
                     here: Mapping[str, tuple[int, Offering]], options: list[list[Plan]],
                     quantities: Sequence[Decimal], costs: Costs) -> Iterator[Finding]:
    rounding, first = ctx.config.rounding, plan.billing_period == "one_time"
    days = price_days(ctx.today, [plan, *(p for plans in options for p in plans)])
    for currency in channel.currencies:
        for day in days:
            bundle = ChannelPrice.on(plan, day, channel, here[plan.id])
            price = bundle.period_price(currency, rounding, first=first,
                                        memo=ctx.prices) if bundle else None
            if bundle is None or price is None:
                continue
            included = _included(bundle)
            parts: list[tuple[ChannelPrice, Decimal, Decimal]] = []
            for plans, quantity in zip(options, quantities, strict=True):
                priced = [(alone, cost) for alone, cost in (
                    _alone(option, channel, here[option.id], day, currency, quantity, included,
                           rounding, costs, ctx.prices)
                    for option in plans if _can_carry(option, included))
                    if alone is not None and cost is not None]
                if not priced:
                    break
                cheapest, cost = min(priced, key=lambda pc: pc[1])
                parts.append((cheapest, quantity, cost))
            else:
                total = sum((cost for _, _, cost in parts), Decimal(0))
                if price >= total:
                    yield _bundle_finding(ctx, bundle, price, parts, total, currency, day,
                                          included)
                    break


def _bundle_finding(ctx: RuleContext, bundle: ChannelPrice, price: Decimal,
                    parts: list[tuple[ChannelPrice, Decimal, Decimal]], total: Decimal,
                    currency: str, day: dt.date, included: Included) -> Finding:
    assert bundle.channel is not None
    sums = " + ".join(f"{p.plan.id}{f' × {number_str(q)}' if q != 1 else ''} "
                      f"{money(cost, currency)}" for p, q, cost in parts)
    channel = bundle.channel.id
    usage = (" with the usage it includes (" + ", ".join(
        f"{metric} {number_str(used)}" for metric, used in included) + ")") if included else ""
    return ctx.finding(
        bundle.price_at(currency),
        f"bundle plan {bundle.plan.id} costs {money(price, currency)} in {channel}"
        f"{on_day(day, ctx.today)}, {'as much as' if price == total else 'more than'} its "
        f"components bought alone there{usage}: {sums} = {money(total, currency)}",
        f"price the bundle below {money(total, currency)} so that it saves something, or "
        "drop it",
        key=f"{bundle.plan.id}:{channel}:{currency}",
        related=[(bundle.offering_at(), f"offered in {channel}"),
                 *((p.price_at(currency), f"component plan {p.plan.id}") for p, _, _ in parts)])
