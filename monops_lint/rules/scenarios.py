"""scenario-invalid: a sample customer that could not be a real one; scenario-period: a
sample invoice whose period is not one billing period of a plan it bills."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.dates import MONTHS_PER_PERIOD, add_months
from monops_lint.findings import Finding, Severity
from monops_lint.model import Channel, Plan, Scenario, Subscription
from monops_lint.pricing import window
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


_PER = {"month": "the month", "quarter": "the quarter", "year": "the year"}


@rule("scenario-period", Severity.WARNING)
def scenario_period(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A scenario's period that is not one billing period of a plan it bills.

    ## What it does
    A sample invoice bills each subscription for one billing period of its
    plan, and pro-rates a start, an end or a trial inside the scenario's
    period by the days of that period. So for every subscription of a
    `month`, `quarter` or `year` plan (`one_time` plans have no period) it
    reports:

    * a period longer than one billing period of the plan (a monthly plan
      in a year-long scenario is billed one month, once);
    * a period shorter than one billing period when the subscription is
      pro-rated in it (a yearly plan starting on 10 March in a March
      scenario is billed 22/31 of the yearly fee, not 22/365).

    A shorter period without proration is a renewal (a yearly plan renewed
    in January is billed the yearly fee on the January invoice) and is
    fine. The hint gives the period to write: one billing period of the
    plan, from the subscription's start when it starts in the period.

    ## Why is this bad?
    The invoice is exact to the cent and still wrong: nobody is billed
    22/31 of a year. A release manager reading it approves a number no
    customer will ever see.

    ## Example
    ```yaml
    kind: scenario
    id: fiber-yearly-new
    period: {start: 2027-03-01, end: 2027-03-31}
    subscriptions:
      - {plan: fiber-500-yearly, start: 2027-03-10}
    ```

    ## Use instead
    ```yaml
    kind: scenario
    id: fiber-yearly-new
    period: {start: 2027-03-10, end: 2028-03-09}
    subscriptions:
      - {plan: fiber-500-yearly, start: 2027-03-10}
    ```
    """
    for scenario in catalog.scenarios.values():
        if scenario.period_end < scenario.period_start:
            continue  # scenario-invalid's
        for index, subscription in enumerate(scenario.subscriptions):
            plan = catalog.plans.get(subscription.plan)
            months = MONTHS_PER_PERIOD.get(plan.billing_period) if plan is not None else None
            if plan is None or months is None:
                continue
            problem = _period_problem(scenario, subscription, plan, months)
            if problem is not None:
                message, hint = problem
                yield ctx.finding(scenario.origin.at("period"),
                                  f"scenario {scenario.id}: {message}", hint,
                                  key=f"{scenario.id}:{index}:{plan.id}",
                                  related=[(scenario.origin.at("subscriptions", index, "plan"),
                                            f"plan {plan.id}")])


def _period_problem(scenario: Scenario, subscription: Subscription, plan: Plan,
                    months: int) -> tuple[str, str] | None:
    """What is wrong with the scenario's period for one subscription, and the period to write;
    None when it is one billing period, or a renewal."""
    start, end = scenario.period_start, scenario.period_end
    days = (end - start).days + 1
    one = add_months(start, months) - dt.timedelta(days=1)
    per = _PER[plan.billing_period]
    span = f"{start} to {end}, {days} days"
    if end > one:
        return (f"plan {plan.id} bills by {plan.billing_period}, but the period runs longer "
                f"({span}): the invoice bills one {plan.billing_period} of it, once",
                f"write one billing period: `period: {{start: {start}, end: {one}}}` "
                "(a scenario per billing period)")
    if end == one:
        return None
    terms = window(start, end, subscription.start, plan.trial_days, subscription.end)
    share = terms.recurring_share
    if share is None:
        return None  # a renewal: the whole fee of a billing period that begins here
    first = subscription.start if subscription.start is not None and \
        start <= subscription.start <= end else start
    whole = add_months(first, months) - dt.timedelta(days=1)
    return (f"plan {plan.id} bills by {plan.billing_period}, but it is pro-rated by the days "
            f"of a shorter period ({span}): {share[0]} of {share[1]} days of {per}'s fee",
            f"write one billing period of the plan: `period: {{start: {first}, end: {whole}}}` "
            "(a scenario of its own when its other plans bill by another period)")
