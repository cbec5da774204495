"""Diff-only rules: history-rewrite, notice-period, id-reuse (``monops diff``).

They compare the catalog before a change (``ctx.base``) with the one after
(the catalog the check is given), and stay silent when there is no base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.compare import (
    currency_of,
    field_changes,
    percent_change,
    percent_str,
    shown,
)
from monops_lint.findings import Finding, Severity
from monops_lint.model import Plan, Product
from monops_lint.rules.registry import RuleContext, rule


def _versions(plan: Plan) -> dict[str, tuple[int, Any]]:
    data = plan.origin.data
    return {str(v["effective_from"]): (i, v) for i, v in enumerate(data.get("versions", []))}


def _both(ctx: RuleContext, catalog: Catalog) -> Iterator[tuple[Plan, Plan]]:
    if ctx.base is None:
        return
    for plan_id in catalog.changed_ids(ctx.base, "plan"):
        base, head = ctx.base.plans.get(plan_id), catalog.plans.get(plan_id)
        if base is not None and head is not None:
            yield base, head


@rule("history-rewrite", Severity.ERROR, phase="diff")
def history_rewrite(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A change edits (or deletes) a plan version that is already in effect.

    ## What it does
    Compares every plan with the base of the change: a version whose
    `effective_from` is on or before today and whose charges differ, or that
    is gone, is reported. Future versions may still be edited.

    ## Why is this bad?
    Versions in effect are what customers were billed: rewriting one makes
    past invoices irreproducible, and makes a price change look like it was
    always there. A price change is a new version with a future
    `effective_from`.

    ## Example
    ```yaml
    versions:
      - effective_from: 2026-01-01     # in effect
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 42.00}}   # was 40.00
    ```

    ## Use instead
    ```yaml
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 40.00}}
      - effective_from: 2027-02-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 42.00}}
    ```
    """
    for base, head in _both(ctx, catalog):
        old, new = _versions(base), _versions(head)
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


def _prices(version: Mapping[str, Any]) -> dict[str, Any]:
    """What a version charges: its charges and introductory phases (not its date, nor the
    waves it rolls out in)."""
    return {key: version[key] for key in ("charges", "phases") if key in version}


def _added_amounts(value: Any, path: str) -> Iterator[str]:
    """The money amounts above zero in an added part of a charge, in words."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _added_amounts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _added_amounts(item, f"{path}[{index}]")
    else:
        currency = currency_of(path)
        if currency is not None and isinstance(value, Decimal | int) and \
                not isinstance(value, bool) and value > 0:
            yield shown(value, currency)


def _rises(before: Any, after: Any) -> dict[str, str]:
    """Money that rises from one version's charges to the next, in words, by field path.

    A charge (or a fee inside one, such as a tier's ``flat_amount``) that is
    new and costs something is a rise too.
    """
    found = {}
    for change in field_changes(before, after, "charges", (), "charges"):
        if change.before is None and isinstance(change.after, Mapping):
            added = list(_added_amounts(change.after, change.path))
            if added:
                found[change.path] = f"{change.path}: new, {', '.join(added)}"
            continue
        currency = currency_of(change.path)
        if currency is not None:
            percent = percent_change(change.before, change.after)
            if percent is not None and percent > 0:
                found[change.path] = (f"{change.path}: {shown(change.before, currency)} → "
                                      f"{shown(change.after, currency)} ({percent_str(percent)})")
    return found


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
        old, new = _versions(base), _versions(head)
        ordered = sorted(new)
        for position, day in enumerate(ordered):
            index, version = new[day]
            when = dt.date.fromisoformat(day)
            if when >= earliest or position == 0:
                continue
            if day in old and (when <= ctx.today or old[day][1] == version):
                continue  # unchanged, or in effect already (history-rewrite's business)
            previous = new[ordered[position - 1]][1]
            rises = list(_rises(previous.get("charges"), version.get("charges")).items())
            if day in old:
                # Announced in the base already: only what now rises beyond that is new.
                beyond = _rises(old[day][1].get("charges"), version.get("charges"))
                rises = [(path, text) for path, text in rises if path in beyond]
            if rises:
                more = f" and {len(rises) - 1} more" if len(rises) > 1 else ""
                yield ctx.finding(
                    head.origin.at("versions", index, "effective_from"),
                    f"plan {head.id}: {rises[0][1]}{more} from {day}, {(when - ctx.today).days} "
                    f"day(s) after today ({ctx.today}); existing subscribers need {days} days' "
                    "notice",
                    f"move effective_from to {earliest} or later",
                    key=f"{head.id}:{day}")
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
            rises: list[str] = []
            if "charges" not in old and "charges" not in new and new_percent > old_percent:
                rises.append(f"price_override.percent {shown(old_percent)} → "
                             f"{shown(new_percent)}")
            elif "charges" in old and "charges" in new:
                rises = list(_rises(old["charges"], new["charges"]).values())
            if rises:
                yield ctx.finding(
                    head.origin.at("offerings", index, "price_override"),
                    f"channel {channel_id}, plan {plan}: {rises[0]} raises the price at once; "
                    f"existing subscribers need {days} days' notice",
                    f"raise it with a new plan version from {earliest} or later instead "
                    "(overrides have no effective date)",
                    key=f"{channel_id}:{plan}:override")


_IDENTITY = {"product": ("name", "unit", "category"), "plan": ("product", "bundle",
                                                               "billing_period")}


@rule("id-reuse", Severity.ERROR, phase="diff")
def id_reuse(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An id that stood for one thing now stands for another.

    ## What it does
    Compares products and plans with the base of the change. A plan whose
    id now sells another product or bundle, or bills over another period,
    is reported; so is a product that was retired and comes back under its
    old id as something else (another name, unit or category). Bringing a
    retired product back as itself is fine. (Only the base of the change is
    compared: an id deleted in an earlier pull request is not seen.)

    ## Why is this bad?
    Subscriptions, invoices, reports and other systems hold ids. Reusing one
    silently moves existing customers to a different product, and mixes two
    things in every metric keyed by it.

    ## Example
    ```yaml
    kind: plan
    id: storage-standard
    product: backup            # was: storage
    ```

    ## Use instead
    ```yaml
    kind: plan
    id: backup-standard
    product: backup
    ```
    """
    if ctx.base is None:
        return
    for kind, fields in _IDENTITY.items():
        before_all, after_all = ctx.base.of_kind(kind), catalog.of_kind(kind)
        for entity_id in catalog.changed_ids(ctx.base, kind):  # the same data: the same fields
            before, after = before_all.get(entity_id), after_all.get(entity_id)
            if before is None or after is None:
                continue
            changed = [f for f in fields if getattr(before, f) != getattr(after, f)]
            if not changed:
                continue
            if isinstance(before, Product) and before.status != "retired":
                continue  # renaming a live product is an edit, not a reuse
            what = ", ".join(f"{f} {getattr(before, f) or '—'} → {getattr(after, f) or '—'}"
                             for f in changed)
            retired = " (retired before this change)" if isinstance(before, Product) else ""
            yield ctx.finding(
                after.origin.at(changed[0]),
                f"{kind} id `{entity_id}`{retired} now names something else: {what}",
                f"give the new {kind} its own id and leave `{entity_id}` as it was",
                key=f"{kind}:{entity_id}:{','.join(changed)}")
