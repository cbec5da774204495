"""What a channel offers beside a plan: upsell-target and free-tier.

Where an upsell has to be dearer, "dearer" is the pricing engine's price in
that channel (``support.prices.ChannelPrice.period_price``), never a sum
worked out here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Channel, Offering, Plan
from monops_lint.money import MONEY_CONTEXT
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.prices import (
    PERIOD_MONTHS,
    ChannelPrice,
    money,
    on_day,
    price_days,
)
from monops_lint.suggest import nearest

# --- upsell-target ---------------------------------------------------------------


@rule("upsell-target", Severity.ERROR, cost="prices")
def upsell_target(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An upsell or cross-sell that leads nowhere, back to the plan, or down.

    ## What it does
    For every offering's `upsell` and `cross_sell` lists, reports a target
    that the same channel does not offer, a target that is the plan itself,
    and an upsell that is not dearer than the plan it is offered on.

    "Dearer" compares the pricing engine's price in that channel, in every
    currency the channel sells: one billing period's recurring charges and
    any minimum true-up, at quantity 1 with no usage (one-time charges only
    between two `one_time` plans). Plans billed over different periods are
    compared per month (a yearly price over 12, a quarterly over 3); a
    `one_time` plan and a recurring one are not compared. An upsell target
    that is not free but has no recurring charge (priced by usage alone)
    has no per-period price to compare and is not compared. An id that names
    no plan is `unknown-reference`'s business. Looked at: today and every
    later day either plan changes price; reported once per target.

    ## Why is this bad?
    An upsell the channel does not sell is a dead button; one that costs
    less is a downsell, and sends customers to a cheaper plan.

    ## Example
    ```yaml
    offerings:
      - plan: tv-premium           # USD 44.99
        upsell: [tv-basic]         # USD 24.99: cheaper
      - plan: tv-basic
        upsell: [tv-basic]         # itself
        cross_sell: [router]       # not offered in this channel
    ```

    ## Use instead
    ```yaml
    offerings:
      - plan: tv-basic
        upsell: [tv-premium]
        cross_sell: [router]
      - plan: tv-premium
      - plan: router
    ```
    """
    sold = catalog.offered
    for channel in catalog.channels.values():
        here = sold[channel.id]
        for position, offering in enumerate(channel.offerings):
            for field in ("upsell", "cross_sell"):
                for number, target in enumerate(getattr(offering, field)):
                    at = ("offerings", position, field, number)
                    what = field.replace("_", "-")
                    key = f"{channel.id}:{offering.plan}:{field}:{target}"
                    if target == offering.plan:
                        yield ctx.finding(
                            channel.origin.at(*at),
                            f"plan {target} names itself as its own {what} in {channel.id}",
                            f"name another plan under `{field}`, or remove it",
                            key=key)
                    elif target not in here and catalog.knows("plan", target):
                        yield ctx.finding(
                            channel.origin.at(*at),
                            f"{what} target {target} of plan {offering.plan} is not offered in "
                            f"{channel.id}",
                            f"offer {target} in {channel.id} too, or name a plan "
                            f"{channel.id} sells", key=key)
                    elif field == "upsell" and target in here:
                        finding = _not_dearer(ctx, catalog, channel, here, offering.plan,
                                              target, at, key)
                        if finding is not None:
                            yield finding


def _comparable(plan: Plan, target: Plan) -> bool:
    if (plan.billing_period == "one_time") != (target.billing_period == "one_time"):
        return False
    if target.free:
        return True
    return any(c.type == "recurring" for v in target.versions for c in v.charges) or \
        target.billing_period == "one_time"


def _not_dearer(ctx: RuleContext, catalog: Catalog, channel: Channel,
                here: Mapping[str, tuple[int, Offering]], plan_id: str, target_id: str,
                at: tuple[str | int, ...], key: str) -> Finding | None:
    plan, target = catalog.plans.get(plan_id), catalog.plans.get(target_id)
    if plan is None or target is None or not _comparable(plan, target):
        return None
    first = plan.billing_period == "one_time"
    months = PERIOD_MONTHS.get(plan.billing_period, 1)
    target_months = PERIOD_MONTHS.get(target.billing_period, 1)
    rounding = ctx.config.rounding
    for day in price_days(ctx.today, (plan, target)):
        mine = ChannelPrice.on(plan, day, channel, here[plan_id])
        theirs = ChannelPrice.on(target, day, channel, here[target_id])
        if mine is None or theirs is None:
            continue
        for currency in channel.currencies:
            price = mine.period_price(currency, rounding, first=first, memo=ctx.prices)
            step = theirs.period_price(currency, rounding, first=first, memo=ctx.prices)
            # Per month, without dividing: step / target_months > price / months.
            if price is None or step is None or step * months > price * target_months:
                continue
            return ctx.finding(
                channel.origin.at(*at),
                f"upsell {target_id} is not dearer than plan {plan_id} in {channel.id}"
                f"{on_day(day, ctx.today)}: {_per(step, currency, target.billing_period)} "
                f"against {_per(price, currency, plan.billing_period)}",
                f"upsell to a plan that costs more, or list {target_id} under `cross_sell` "
                "if it is an alternative rather than a step up",
                key=key, related=[(theirs.price_at(currency), f"the price of {target_id}"),
                                  (mine.price_at(currency), f"the price of {plan_id}")])
    return None


def _per(amount: Decimal, currency: str, period: str) -> str:
    """``USD 499.00 a year (USD 41.58 a month)``; a month's or one-time price alone."""
    if period == "one_time":
        return money(amount, currency)
    text = f"{money(amount, currency)} a {period}"
    months = PERIOD_MONTHS.get(period, 1)
    if months != 1:
        monthly = MONEY_CONTEXT.divide(amount, Decimal(months))
        text += f" ({money(monthly, currency)} a month)"
    return text


# --- free-tier -------------------------------------------------------------------


@rule("free-tier", Severity.WARNING)
def free_tier(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A free plan with no paid upsell where it is offered, or a plan enabling unknown features.

    ## What it does
    Reports every offering of a free plan (`free: true`) whose `upsell`
    list names no paid plan the same channel offers (a plan that is not
    `free`), at the offering, suggesting a paid plan of the same product
    the channel sells. And reports every `features` entry of a plan that
    its product does not list, at the entry, with the closest feature the
    product has; for a bundle plan, the features of its component products.

    ## Why is this bad?
    A free tier exists to turn users into customers: without a paid step up
    where it is sold, it only costs money. A plan promising a feature its
    product does not have is a promise the product cannot keep - or a typo
    that leaves the real feature out.

    ## Example
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-free         # no upsell
      - plan: storage-plus
    ---
    kind: plan
    id: storage-plus
    product: storage               # features: [encryption, versioning]
    features: [encryption, versoning]
    ```

    ## Use instead
    ```yaml
    offerings:
      - plan: storage-free
        upsell: [storage-plus]
      - plan: storage-plus
    ---
    features: [encryption, versioning]
    ```
    """
    sold = catalog.offered
    for channel in catalog.channels.values():
        here = sold[channel.id]
        for position, offering in enumerate(channel.offerings):
            plan = catalog.plans.get(offering.plan)
            if plan is not None and plan.free and not _paid_upsell(catalog, here, offering):
                yield _no_paid_upsell(ctx, catalog, channel, here, position, offering, plan)
    for plan in catalog.plans.values():
        yield from _unknown_features(ctx, catalog, plan)


def _paid_upsell(catalog: Catalog, here: Mapping[str, tuple[int, Offering]],
                 offering: Offering) -> bool:
    for target in offering.upsell:
        plan = catalog.plans.get(target)
        if target in here and target != offering.plan and (plan is None or not plan.free):
            return True  # a plan that failed to load gets the benefit of the doubt
    return False


def _no_paid_upsell(ctx: RuleContext, catalog: Catalog, channel: Channel,
                    here: Mapping[str, tuple[int, Offering]], position: int,
                    offering: Offering, plan: Plan) -> Finding:
    kind, owner = ("product", plan.product) if plan.product else ("bundle", plan.bundle)
    paid = [p.id for p in catalog.plans_for(kind, owner) if not p.free and p.id in here]
    many = len(offering.upsell) > 1
    why = (f" (its upsell{'s' if many else ''} {', '.join(offering.upsell)} "
           f"{'are' if many else 'is'} free or not offered there)" if offering.upsell else "")
    hint = (f"add `upsell: [{paid[0]}]` to this offering" if paid else
            f"offer a paid plan of {kind} {owner} in {channel.id} and name it under `upsell`")
    return ctx.finding(
        channel.origin.at("offerings", position, "plan"),
        f"free plan {plan.id} is offered in {channel.id} without a paid upsell{why}", hint,
        key=f"{channel.id}:{plan.id}:no-paid-upsell")


def _unknown_features(ctx: RuleContext, catalog: Catalog, plan: Plan) -> Iterator[Finding]:
    if plan.features is None:
        return
    if plan.product:
        product = catalog.products.get(plan.product)
        if product is None:
            return
        known, owner = product.features, f"product {product.id}"
    else:
        bundle = catalog.bundles.get(plan.bundle)
        products = [catalog.products.get(c.product) for c in bundle.components] if bundle else []
        if bundle is None or any(p is None for p in products):
            return
        known = tuple(dict.fromkeys(f for p in products if p for f in p.features))
        owner = f"any product of bundle {bundle.id}"
    for number, feature in enumerate(plan.features):
        if feature in known:
            continue
        near = nearest(feature, known, cutoff=0.6)
        hint = (f"did you mean `{near}`?" if near else
                f"it has: {', '.join(known)}" if known else "it lists no features")
        yield ctx.finding(
            plan.origin.at("features", number),
            f"plan {plan.id} enables feature `{feature}`, which {owner} does not have",
            hint + "; add the feature to the product, or remove it here",
            key=f"{plan.id}:feature:{feature}")
