"""Diff-only rules on price history: history-rewrite, notice-period (``monops diff``).

They compare the catalog before a change (``ctx.base``) with the one after
(the catalog the check is given), and stay silent when there is no base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.compare import currency_of, field_changes, shown
from monops_lint.findings import Finding, Severity
from monops_lint.model import Plan
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.notice import (
    PLAN_TERMS,
    in_effect_since,
    plan_versions,
    rises,
    term_rises,
    version_rises,
)


def _both(ctx: RuleContext, catalog: Catalog) -> Iterator[tuple[Plan, Plan]]:
    if ctx.base is None:
        return
    for plan_id in catalog.changed_ids(ctx.base, "plan"):
        base, head = ctx.base.plans.get(plan_id), catalog.plans.get(plan_id)
        if base is not None and head is not None:
            yield base, head


@rule("history-rewrite", Severity.ERROR, phase="diff")
def history_rewrite(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A change edits or deletes price history already in effect.

    ## What it does
    Compares every plan with the base of the change and reports:

    * a version whose `effective_from` is on or before today and whose
      charges (or introductory phases) differ, or that is gone;
    * a plan-level term - `minimum`, `trial_days`, `limits`, `free` -
      changed on a plan in effect (one with a version on or before today):
      these apply to every version, so they cannot be dated;
    * a plan in effect that was deleted (a plan that fails its schema is not
      deleted: the `schema` finding says what is wrong with it).

    Future versions, and the terms of a plan not yet in effect, may still be
    edited.

    ## Why is this bad?
    Versions in effect are what customers were billed: rewriting one makes
    past invoices irreproducible, and makes a price change look like it was
    always there. A price change is a new version with a future
    `effective_from`. A deleted plan leaves its subscribers with no price;
    a plan-level term changed in place (a minimum raised from 2000.00 to
    3000.00) moves every subscriber's next invoice with no date at all.

    ## Example
    ```yaml
    minimum: {USD: 3000.00}            # was 2000.00, on a plan in effect
    versions:
      - effective_from: 2026-01-01     # in effect
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 42.00}}   # was 40.00
    ```

    ## Use instead
    ```yaml
    minimum: {USD: 2000.00}            # new terms: a new plan, offered instead
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 40.00}}
      - effective_from: 2027-02-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 42.00}}
    ```
    """
    yield from _deleted_plans(catalog, ctx)
    for base, head in _both(ctx, catalog):
        old, new = plan_versions(base), plan_versions(head)
        for day, (_, version) in old.items():
            if dt.date.fromisoformat(day) > ctx.today:
                continue
            if day not in new:
                yield ctx.finding(
                    head.origin.at("versions"),
                    f"plan {head.id}: the version from {day}, in effect, was deleted",
                    "keep versions that were in effect; add a new version to change the price",
                    key=f"{head.id}:{day}:deleted")
                continue
            index, current = new[day]
            changes = list(field_changes(_prices(version), _prices(current), "",
                                         ("versions", index)))
            if changes:
                first = changes[0]
                currency = currency_of(first.path)
                more = f" and {len(changes) - 1} more" if len(changes) > 1 else ""
                yield ctx.finding(
                    head.origin.at(*first.keys),
                    f"plan {head.id}: the version from {day}, in effect since then, was edited "
                    f"in place ({first.path}: {shown(first.before, currency)} → "
                    f"{shown(first.after, currency)}{more})",
                    "restore it and add a new version with a future effective_from",
                    key=f"{head.id}:{day}:edited")
        yield from _terms_rewritten(base, head, ctx)


def _deleted_plans(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Plans in effect at the base that the head does not name at all."""
    if ctx.base is None:
        return
    for plan_id in catalog.changed_ids(ctx.base, "plan"):
        before = ctx.base.plans.get(plan_id)
        if before is None or catalog.knows("plan", plan_id):
            continue  # added, or still there but invalid (the schema rule says why)
        since = in_effect_since(before, ctx.today)
        if since is None:
            continue  # nobody was ever billed by it
        yield ctx.finding(
            before.origin.at("id"),
            f"plan {plan_id}, in effect since {since}, was deleted: its subscribers have no "
            "price any more (it was here at the base of the change)",
            "keep the plan for the customers billed by it, and take it off sale instead: "
            "remove its channel `offerings` (and retire its product with `status: "
            "deprecated` or `retired`, or end it with `available_until`)",
            key=f"{plan_id}:plan-deleted")


def _terms_rewritten(base: Plan, head: Plan, ctx: RuleContext) -> Iterator[Finding]:
    """Plan-level terms changed in place on a plan in effect: one finding per term."""
    since = in_effect_since(base, ctx.today)
    if since is None:
        return
    old, new = base.origin.data, head.origin.data
    for term in PLAN_TERMS:
        changes = list(field_changes(old.get(term), new.get(term), term, (term,)))
        if not changes:
            continue
        first = changes[0]
        currency = currency_of(first.path)
        more = f" and {len(changes) - 1} more" if len(changes) > 1 else ""
        keys = first.keys if term in new else ("id",)
        yield ctx.finding(
            head.origin.at(*keys),
            f"plan {head.id}, in effect since {since}: {term} changed in place "
            f"({first.path}: {shown(first.before, currency)} → "
            f"{shown(first.after, currency)}{more}); plan-level terms apply to every "
            "version, past ones included",
            f"restore `{term}`; to sell new terms, add a new plan (a new id) and offer it "
            "instead, moving customers with notice",
            key=f"{head.id}:term:{term}")


def _prices(version: Mapping[str, Any]) -> dict[str, Any]:
    """What a version charges: its charges and introductory phases (not its date, nor the
    waves it rolls out in)."""
    return {key: version[key] for key in ("charges", "phases") if key in version}


@rule("notice-period", Severity.ERROR, options={"days": 30}, phase="diff")
def notice_period(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A price rise for existing subscribers that takes effect sooner than the notice period.

    ## What it does
    For every plan that existed before the change, each new (or edited,
    not yet effective) version is compared with the version it supersedes;
    when an amount rises, or a new charge or fee costs something, and the
    version takes effect fewer than `days` (default 30) after today, it is
    reported. A version that was already there before the change counts
    only what now rises beyond what it said. New plans have no existing
    subscribers and are not checked. `days` is a whole number from 0 to
    3650 (ten years); another value is a config error.

    Rises that have no date take effect at once and are reported whatever
    `days` is: on a plan in effect, a `minimum` raised (or added, or added
    in a currency) and a `free` plan that stops being free; in a channel, a
    `price_override` raised. (`monops diff` also shows every rise that does
    give enough notice: "effective 2027-03-01: 96 days' notice, policy 30".)

    ## Why is this bad?
    Subscribers must be told of a price rise in advance (contracts and
    consumer law often say how far). A rise that lands next week becomes a
    complaint, a chargeback or a regulator's letter.

    ## Example
    ```yaml
    # today: 2026-11-25
    - effective_from: 2026-12-01
      charges:
        - {id: base, type: recurring, model: flat, amount: {USD: 42.00}}   # was 40.00
    ```

    ## Use instead
    ```yaml
    - effective_from: 2027-01-01
      charges:
        - {id: base, type: recurring, model: flat, amount: {USD: 42.00}}
    ```
    """
    days = int(ctx.options.get("days", 30))
    earliest = ctx.today + dt.timedelta(days=days)
    for base, head in _both(ctx, catalog):
        for rise in version_rises(base, head, ctx.today):
            if rise.day >= earliest:
                continue
            more = f" and {len(rise.rises) - 1} more" if len(rise.rises) > 1 else ""
            day = rise.day.isoformat()
            yield ctx.finding(
                head.origin.at("versions", rise.index, "effective_from"),
                f"plan {head.id}: {rise.rises[0][1]}{more} from {day}, "
                f"{rise.notice(ctx.today)} day(s) after today ({ctx.today}); existing "
                f"subscribers need {days} days' notice",
                f"move effective_from to {earliest} or later",
                key=f"{head.id}:{day}")
        if in_effect_since(base, ctx.today) is not None:
            for keys, text in term_rises(base, head):
                yield ctx.finding(
                    head.origin.at(*keys),
                    f"plan {head.id}: {text} raises the price at once (plan-level terms have "
                    f"no date); existing subscribers need {days} days' notice",
                    "keep the terms; sell the new ones as a new plan, and move customers to "
                    f"it from {earliest} or later",
                    key=f"{head.id}:term:{keys[0]}")
    yield from _override_rises(catalog, ctx, days, earliest)


def _override_rises(catalog: Catalog, ctx: RuleContext, days: int,
                    earliest: dt.date) -> Iterator[Finding]:
    """A channel price raised through its ``price_override``: that takes effect at once."""
    if ctx.base is None:
        return
    for channel_id, head in catalog.channels.items():
        base = ctx.base.channels.get(channel_id)
        if base is None:
            continue
        before = {o["plan"]: o.get("price_override") or {}
                  for o in base.origin.data.get("offerings", [])}
        for index, offering in enumerate(head.origin.data.get("offerings", [])):
            plan = offering["plan"]
            if plan not in before or plan not in ctx.base.plans:
                continue  # newly offered here: nobody subscribed through this channel yet
            old, new = before[plan], offering.get("price_override") or {}
            old_percent, new_percent = old.get("percent", 0) or 0, new.get("percent", 0) or 0
            raised: list[str] = []
            if "charges" not in old and "charges" not in new and new_percent > old_percent:
                raised.append(f"price_override.percent {shown(old_percent)} → "
                              f"{shown(new_percent)}")
            elif "charges" in old and "charges" in new:
                raised = [text for _, text in rises(old["charges"], new["charges"]).values()]
            if raised:
                yield ctx.finding(
                    head.origin.at("offerings", index, "price_override"),
                    f"channel {channel_id}, plan {plan}: {raised[0]} raises the price at once; "
                    f"existing subscribers need {days} days' notice",
                    f"raise it with a new plan version from {earliest} or later instead "
                    "(overrides have no effective date)",
                    key=f"{channel_id}:{plan}:override")

