"""scenario-invalid: a sample customer that could not be a real one."""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Channel, Plan, Scenario, Subscription
from monops_lint.rules.registry import RuleContext, rule


def _subscription_problems(scenario: Scenario, index: int, subscription: Subscription,
                           plan: Plan, channel: Channel | None,
                           catalog: Catalog) -> Iterator[tuple[tuple[object, ...], str, str]]:
    at = ("subscriptions", index)
    offering = channel.offering(plan.id) if channel else None
    if channel is not None and offering is None:
        yield at + ("plan",), f"plan {plan.id} is not offered in channel {channel.id}", \
            f"offer it in {channel.id}, or pick a plan {channel.id} sells"
    if subscription.start is not None and subscription.start > scenario.period_end:
        yield at + ("start",), f"subscription starts {subscription.start}, after the period " \
            f"ends ({scenario.period_end})", "start it within or before the period"
    version = plan.version_on(scenario.period_start)
    if version is None:
        first = min(v.effective_from for v in plan.versions)
        yield at + ("plan",), f"plan {plan.id} has no version in effect on " \
            f"{scenario.period_start} (its first starts {first})", \
            "move the period, or add a version that is in effect by then"
        return
    override = offering.price_override if offering else None
    charges = override.charges if override and override.charges is not None else version.charges
    if not plan.free:
        unpriced = [c.id for c in charges if not c.priced_in(scenario.currency)]
        if unpriced:
            yield at + ("plan",), f"plan {plan.id} has no {scenario.currency} price for " \
                f"charge(s) {', '.join(unpriced)}", \
                f"add {scenario.currency} amounts, or use a currency the plan is priced in"
    metrics = {metric for v in plan.versions for c in v.charges if (metric := c.usage_metric)}
    for metric, usage in subscription.usage.items():
        if metric not in metrics:
            yield at + ("usage", metric), f"plan {plan.id} has no usage metric `{metric}`" \
                + (f" (it meters: {', '.join(sorted(metrics))})" if metrics else ""), \
                "use a metric one of the plan's usage charges reads"
            continue
        limit = plan.limits.get(metric)
        total = sum(usage) if isinstance(usage, tuple) else usage
        if limit is not None and total > limit:
            yield at + ("usage", metric), f"usage {total} of `{metric}` exceeds plan " \
                f"{plan.id}'s limit of {limit} per period", \
                "lower the usage, or move the customer to a plan without this limit"
    promotion = catalog.promotions.get(subscription.promotion)
    if promotion is not None and (scenario.channel not in promotion.channels
                                  or plan.id not in promotion.plans):
        yield at + ("promotion",), f"promotion {promotion.id} does not cover plan " \
            f"{plan.id} in channel {scenario.channel}", \
            "name a promotion for this plan and channel, or remove it"


@rule("scenario-invalid", Severity.ERROR)
def scenario_invalid(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A scenario that no real customer could be in.

    ## What it does
    Checks every sample customer: its channel sells its currency; each
    subscribed plan is offered in the channel, has a version in effect and a
    price in the currency; usage is given only for metrics the plan meters
    and stays within the plan's `limits`; a subscription starts before the
    period ends; a named promotion covers the plan and channel; and the
    period does not end before it starts.

    ## Why is this bad?
    An invoice for a customer who cannot exist proves nothing: a release
    manager would approve a price change on a sample that does not
    represent anybody.

    ## Example
    ```yaml
    kind: scenario
    id: smb-retail-eur
    channel: retail          # sells USD only
    currency: EUR
    period: {start: 2027-01-31, end: 2027-01-01}
    ```

    ## Use instead
    ```yaml
    kind: scenario
    id: smb-retail-eur
    channel: retail-eu
    currency: EUR
    period: {start: 2027-01-01, end: 2027-01-31}
    ```
    """
    for scenario in catalog.scenarios.values():
        problems: list[tuple[tuple[object, ...], str, str]] = []
        if scenario.period_end < scenario.period_start:
            problems.append((("period", "end"), f"the period ends ({scenario.period_end}) before "
                             f"it starts ({scenario.period_start})", "swap start and end"))
        channel = catalog.channels.get(scenario.channel)
        if channel is not None and scenario.currency not in channel.currencies:
            problems.append((("currency",), f"channel {channel.id} does not sell in "
                             f"{scenario.currency} (it sells {', '.join(channel.currencies)})",
                             "use one of the channel's currencies"))
        for index, subscription in enumerate(scenario.subscriptions):
            plan = catalog.plans.get(subscription.plan)
            if plan is not None:
                problems.extend(_subscription_problems(scenario, index, subscription, plan,
                                                       channel, catalog))
        for keys, message, hint in problems:
            yield ctx.finding(scenario.origin.at(*keys), f"scenario {scenario.id}: {message}",
                              hint, key=f"{scenario.id}:{'.'.join(map(str, keys))}:{message}")
