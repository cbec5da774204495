"""promotion-scope: promotions that cannot apply where they say, or expired but still used."""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Promotion
from monops_lint.rules.registry import RuleContext, rule


def _scope(promotion: Promotion, catalog: Catalog, offered: dict[str, frozenset[str]],
           every_pair: bool) -> Iterator[tuple[tuple[object, ...], str, str, str]]:
    """(keys, message, hint, key) for each part of the promotion that no offering backs.

    Ids that name nothing are left to unknown-reference.
    """
    channels = [(i, c) for i, c in enumerate(promotion.channels) if c in offered]
    plans = [(i, p) for i, p in enumerate(promotion.plans) if catalog.knows("plan", p)]
    if not channels or not plans:
        return
    names = ", ".join(c for _, c in channels)
    lonely_plans = [(i, p) for i, p in plans if not any(p in offered[c] for _, c in channels)]
    for i, plan in lonely_plans:
        yield ("plans", i), f"plan {plan} is not offered in any of its channels ({names})", \
            f"offer {plan} in one of them, or remove it from the promotion", f"plan:{plan}"
    if len(lonely_plans) == len(plans):
        return  # then no channel offers any of the plans: the plan findings say it all
    plan_names = ", ".join(p for _, p in plans)
    for i, channel in channels:
        if not any(p in offered[channel] for _, p in plans):
            yield ("channels", i), f"channel {channel} offers none of its plans ({plan_names})", \
                f"remove {channel} from the promotion, or offer its plans there", \
                f"channel:{channel}"
        elif every_pair:
            lonely = {p for _, p in lonely_plans}
            for j, plan in plans:
                if plan not in lonely and plan not in offered[channel]:
                    yield ("plans", j), f"plan {plan} is not offered in its channel {channel}", \
                        f"offer {plan} in {channel}, or split the promotion by channel", \
                        f"pair:{channel}:{plan}"


@rule("promotion-scope", Severity.ERROR, options={"every_pair": False})
def promotion_scope(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A promotion for a plan or channel that does not offer it, or expired yet still used.

    ## What it does
    Reports a promotion's plan that none of the promotion's channels
    offers (at the plan), and a channel that offers none of its plans (at
    the channel). A promotion is read as "wherever these plans are sold in
    these channels": a plan sold in only some of the channels is fine,
    unless option `every_pair` is true, which reports every channel and plan
    pair that is not on sale. Unknown ids are `unknown-reference`'s.

    It also reports each scenario subscription that still uses a promotion
    whose `valid_until` is before today (`--today`; the last day itself is
    fine), at the subscription's `promotion`.

    ## Why is this bad?
    A discount for a plan the channel does not sell can never be granted:
    the campaign spends its budget on nothing and marketing promises what
    checkout refuses. A sample invoice with an expired promotion shows a
    price no customer can get any more.

    ## Example
    ```yaml
    kind: promotion
    id: spring-2027
    channels: [retail]           # retail does not offer storage-standard
    plans: [storage-standard]
    ```

    ## Use instead
    ```yaml
    kind: promotion
    id: spring-2027
    channels: [web]              # web offers storage-standard
    plans: [storage-standard]
    ```
    """
    offered = {c.id: frozenset(o.plan for o in c.offerings) for c in catalog.channels.values()}
    every_pair = bool(ctx.options.get("every_pair", False))
    for promotion in catalog.promotions.values():
        for keys, message, hint, key in _scope(promotion, catalog, offered, every_pair):
            yield ctx.finding(promotion.origin.at(*keys), f"promotion {promotion.id}: {message}",
                              hint, key=f"{promotion.id}:{key}")
    users: dict[str, list[tuple[Location, str]]] = {}
    for scenario in catalog.scenarios.values():
        for index, subscription in enumerate(scenario.subscriptions):
            if subscription.promotion:
                users.setdefault(subscription.promotion, []).append(
                    (scenario.origin.at("subscriptions", index, "promotion"),
                     f"scenario {scenario.id}, subscription to {subscription.plan}"))
    for promotion_id, places in users.items():
        used = catalog.promotions.get(promotion_id)
        if used is None or used.valid_until is None or used.valid_until >= ctx.today:
            continue
        for where, who in places:
            yield ctx.finding(
                where, f"{who} uses promotion {used.id}, which expired on "
                f"{used.valid_until} (today is {ctx.today})",
                "remove the promotion from the scenario, or extend its valid_until if the "
                "offer runs on", key=f"{used.id}:expired:{who}",
                related=[(used.origin.at("valid_until"), "valid_until")])
