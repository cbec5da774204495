"""``monops rollout`` and the ``rollout-share`` rule of ``monops diff --customers``: the
customer base read by the chosen engine, and each changed plan version's schedule."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from monops_lint.app.customers import BaseOptions, engine_for, locate_base, refuse_bad_data
from monops_lint.app.files import write_atomic
from monops_lint.app.review import load_side
from monops_lint.app.workspace import Workspace
from monops_lint.catalog import Catalog
from monops_lint.customers import Period, parse_period
from monops_lint.dates import MONTHS_PER_PERIOD
from monops_lint.diff.review import CatalogRevision
from monops_lint.errors import MonopsError
from monops_lint.figures.metrics import invoice_days
from monops_lint.figures.results import Impact
from monops_lint.figures.rollout import (
    ListPrices,
    Rollout,
    Subscription,
    changed_versions,
    first_billing,
    invoices_per_day,
    schedule,
    waves_of,
)
from monops_lint.figures.sides import Converter, Fetch, problems
from monops_lint.findings import Finding
from monops_lint.lint import rule_context, rules_of
from monops_lint.model import Plan, PlanVersion, Usage
from monops_lint.pricing.buckets import bucket_of
from monops_lint.rules.registry import ScheduleRow
from monops_lint.runtime.parsing import SharedFiles


def _period(options: BaseOptions, given: bool, catalogs: tuple[Catalog, Catalog]) -> Period:
    """The period whose invoice-day load is shown: ``--period``, else the month of the
    first wave of the changed versions."""
    if given:
        return options.period
    starts = [w.start for _, version, _ in changed_versions(*catalogs)
              for w in waves_of(version)]
    first = min(starts, default=dt.date.today())
    return parse_period(f"{first:%Y-%m}")


def _usage(fetch: Fetch, prefix: str, catalog: Catalog, plans: set[str]
           ) -> dict[str, tuple[tuple[str, Usage], ...]]:
    """Each subscription's valid usage rows on ``plans``: summed per metric, or kept as
    transactions for a ``percentage`` charge (as on an invoice)."""
    if not plans:
        return {}
    percentage = {charge.usage_metric for plan in plans for version in catalog.plans[plan].versions
                  for charge in version.all_charges() if charge.model == "percentage"}
    listed = ", ".join("'" + p.replace("'", "''") + "'" for p in sorted(plans))
    found: dict[str, dict[str, list[Decimal]]] = {}
    for sub, metric, quantity in fetch(
            f"""SELECT u.subscription_id, u.metric, u.q_text FROM {prefix}m_usage u
                JOIN {prefix}m_subscriptions s ON s.subscription_id = u.subscription_id
                WHERE u.problem IS NULL AND s.problem IS NULL AND s.plan IN ({listed})
                ORDER BY u.row_no"""):
        found.setdefault(str(sub), {}).setdefault(str(metric), []).append(Decimal(str(quantity)))
    return {sub: tuple(sorted((metric, tuple(values) if metric in percentage
                               else sum(values, Decimal(0)))
                              for metric, values in metrics.items()))
            for sub, metrics in found.items()}


def _subscriptions(fetch: Fetch, prefix: str,
                   usage: dict[str, tuple[tuple[str, Usage], ...]]) -> Iterator[Subscription]:
    rows = fetch(
        f"""SELECT subscription_id, customer_id, channel, currency, plan, q_text, start_text,
                   end_text, bcd_text FROM {prefix}m_subscriptions WHERE problem IS NULL""")
    for row in rows:
        yield Subscription(str(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]),
                           Decimal(str(row[5])), dt.date.fromisoformat(str(row[6])),
                           dt.date.fromisoformat(str(row[7])) if row[7] else None,
                           int(str(row[8])) if row[8] else None, bucket_of(str(row[1])),
                           usage.get(str(row[0]), ()))


def rollout_of_change(workspace: Workspace, base_rev: str, head_rev: str | None,
                      options: BaseOptions, *, max_share: Decimal, period_given: bool = True,
                      per_customer: Path | None = None) -> Rollout:
    """Every plan version HEAD introduces or changes against BASE, scheduled over the
    customer base."""
    shared = SharedFiles()
    before = load_side(workspace, base_rev, shared)
    after = load_side(workspace, head_rev, shared)
    return schedule_change(workspace, before, after, options, max_share=max_share,
                           period_given=period_given, per_customer=per_customer)


def schedule_change(workspace: Workspace, before: CatalogRevision, after: CatalogRevision,
                    options: BaseOptions, *, max_share: Decimal, period_given: bool = True,
                    per_customer: Path | None = None) -> Rollout:
    """The schedule of the change from ``before`` to ``after`` (two loaded revisions)."""
    catalogs = (before.catalog, after.catalog)
    changed = changed_versions(*catalogs)
    base = locate_base(workspace, options.customers)
    period = _period(options, period_given, catalogs)
    convert = Converter(after.config.base_currency, after.config.fx_rates)
    with engine_for(base, options) as engine:
        workspace.step(f"reading the customer base at {after.short}")
        side = engine.price("head_", after.catalog, after.config, period)
        found = problems(engine.fetch, side)
        refuse_bad_data(found, options)
        days = invoice_days(engine.fetch, side)
        workspace.step("scheduling the changed plan versions")
        usage = _usage(engine.fetch, "head_", after.catalog, {p.id for p, _, _ in changed})
        subscriptions = list(_subscriptions(engine.fetch, "head_", usage))
    plans = {plan: (p.billing_period, MONTHS_PER_PERIOD.get(p.billing_period, 0))
             for plan, p in after.catalog.plans.items()}
    prices = ListPrices(before.catalog, after.catalog, after.config.rounding)
    on_plan: dict[str, list[Subscription]] = {}
    for sub in subscriptions:
        on_plan.setdefault(sub.plan, []).append(sub)
    drafts = [schedule(plan, version, status, on_plan.get(plan.id, []), prices, {}, convert)
              for plan, version, status in changed]
    wanted = {day.day for draft in drafts for day in draft.days}
    per_day = invoices_per_day(((s, *plans[s.plan]) for s in subscriptions if s.plan in plans),
                               wanted)
    versions = tuple(dataclasses.replace(draft, days=tuple(
        dataclasses.replace(day, invoices=per_day.get(day.day, 0)) for day in draft.days))
        for draft in drafts)
    if per_customer is not None:
        _write_per_customer(per_customer, changed, on_plan)
    return Rollout(before.short, after.short, after.config.base_currency, versions, days,
                   max_share, options.engine, tuple(found))


def _write_per_customer(path: Path, changed: list[tuple[Plan, PlanVersion, str]],
                        on_plan: dict[str, list[Subscription]]) -> None:
    """``--per-customer FILE``: each moved subscription's customer, plan, version, wave and
    first invoice date under the new version, for the billing system."""
    rows: list[tuple[str, ...]] = []
    for plan, version, _ in changed:
        waves = waves_of(version)
        months = MONTHS_PER_PERIOD.get(plan.billing_period, 0)
        for sub in on_plan.get(plan.id, []):
            number = next((w.number for w in waves if w.share > sub.bucket), None)
            if number is None:
                continue
            start = waves[number - 1].start
            first = sub.start if sub.start >= start else first_billing(
                sub, plan.billing_period, months, start)
            if first is not None:
                rows.append((sub.customer_id, sub.subscription_id, sub.plan,
                             version.effective_from.isoformat(), str(number),
                             first.isoformat()))
    rows.sort()
    header = ("customer_id", "subscription_id", "plan", "version", "wave", "first_invoice")
    if path.suffix == ".parquet":
        import duckdb

        db = duckdb.connect()
        db.execute("CREATE TABLE t (" + ", ".join(f"{c} VARCHAR" for c in header) + ")")
        if rows:
            db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [list(r) for r in rows])
        temporary = path.with_name(f".{path.name}.tmp")
        db.execute(f"COPY t TO '{str(temporary).replace(chr(39), chr(39) * 2)}' "
                   "(FORMAT PARQUET)")
        temporary.replace(path)
        return
    if path.suffix != ".csv":
        raise MonopsError(f"--per-customer {path}: write a .csv or a .parquet file")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_atomic(path, text.getvalue())


def rollout_findings(after: CatalogRevision, rollout: Rollout, today: dt.date) -> list[Finding]:
    """The ``customers`` rules (``rollout-share``) over HEAD with the schedule."""
    rows = tuple(ScheduleRow(day.plan, day.effective_from, day.wave, day.day,
                             day.moved_invoices, day.invoices)
                 for version in rollout.versions for day in version.days)
    findings: list[Finding] = []
    for rule in rules_of(("customers",)):
        context = rule_context(rule, after.config, today, None, None)
        if context is not None:
            findings.extend(rule.check(after.catalog, dataclasses.replace(context,
                                                                          schedule=rows)))
    return sorted(findings, key=Finding.sort_key)


def customer_review(workspace: Workspace, base_rev: str, head_rev: str | None,
                    options: BaseOptions, today: dt.date
                    ) -> tuple[Impact, Rollout, list[Finding]]:
    """What ``monops diff --customers`` adds: the impact on every invoice, the rollout
    schedule, and the ``rollout-share`` findings (HEAD's; they are new with the change)."""
    from monops_lint.app.customers import impact_between

    shared = SharedFiles()
    before = load_side(workspace, base_rev, shared)
    after = load_side(workspace, head_rev, shared)
    impact = impact_between(workspace, before, after, options, alert_increase=Decimal(10))
    setting = after.config.rules.get("rollout-share")
    limit = Decimal(str((setting.options if setting else {}).get("max_share", 25)))
    plan = schedule_change(workspace, before, after, options, max_share=limit)
    return impact, plan, rollout_findings(after, plan, today)
