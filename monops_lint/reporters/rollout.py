"""``monops rollout``: each changed plan version's waves and the days its customers move to
the new price, next to the base's invoice-day load (text, md, html, json, csv)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from html import escape
from typing import Any

from monops_lint.figures.rollout import Rollout, ScheduleDay, VersionRollout
from monops_lint.reporters.charts import columns
from monops_lint.reporters.escaping import markdown_text, visible
from monops_lint.reporters.figures.impact import page
from monops_lint.reporters.figures.values import exact, money, shown, signed, six

ROLLOUT_JSON_VERSION = 1


def _day(day: ScheduleDay) -> dict[str, Any]:
    return {"date": day.day.isoformat(), "wave": day.wave, "customers": day.customers,
            "subscriptions": day.subscriptions, "invoices_moved": day.moved_invoices,
            "invoices_that_day": day.invoices, "share_of_plan_pct": six(day.share_of_plan),
            "share_of_day_pct": six(day.share_of_day), "base": six(day.base),
            "head": six(day.head), "change": six(day.change),
            "by_currency": {c: {"base": exact(day.base_by_currency[c]),
                                "head": exact(day.head_by_currency.get(c))}
                            for c in sorted(day.base_by_currency)}}


def _version(version: VersionRollout) -> dict[str, Any]:
    busiest = version.busiest
    return {"plan": version.plan, "effective_from": version.effective_from.isoformat(),
            "status": version.status,
            "waves": [{"wave": w.number, "share": str(w.share), "from": w.start.isoformat()}
                      for w in version.waves],
            "plan_customers": version.plan_customers,
            "customers_moved": version.moved_customers,
            "new_subscriptions": version.new_subscriptions,
            "max_share_of_day_pct": six(busiest.share_of_day) if busiest else None,
            "days": [_day(d) for d in version.days]}


def rollout_json(result: Rollout) -> str:
    """``--format json``."""
    days: dict[str, Any] = {str(d): six(v) for d, v in sorted(result.invoice_days.items())}
    days["max"] = six(max(result.invoice_days.values(), default=Decimal(0)))
    document = {"version": ROLLOUT_JSON_VERSION, "base": result.base_label,
                "head": result.head_label, "engine": result.engine,
                "base_currency": result.base_currency, "max_share_pct": str(result.max_share),
                "versions": [_version(v) for v in result.versions], "invoice_days": days,
                "skipped": [{"problem": p.problem, "count": p.count, "rows": list(p.rows)}
                            for p in result.skipped]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def rollout_csv(result: Rollout) -> str:
    """``--format csv``: one row per version and day."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["plan", "effective_from", "wave", "date", "customers", "subscriptions",
                     "invoices_moved", "invoices_that_day", "share_of_plan_pct",
                     "share_of_day_pct", "base", "head", "change", "base_currency"])
    for version in result.versions:
        for day in version.days:
            writer.writerow([version.plan, version.effective_from.isoformat(), day.wave,
                             day.day.isoformat(), day.customers, day.subscriptions,
                             day.moved_invoices, day.invoices, six(day.share_of_plan),
                             six(day.share_of_day), six(day.base), six(day.head),
                             six(day.change), result.base_currency])
    return out.getvalue()


def _pct(value: Decimal | None) -> str:
    return "–" if value is None else f"{shown(value, 1)} %"


def _waves(version: VersionRollout) -> str:
    return ", ".join(f"{shown(w.share, 0) if w.share == w.share.to_integral_value() else w.share}"
                     f" % from {w.start}" for w in version.waves)


def _over(day: ScheduleDay, limit: Decimal) -> bool:
    return day.share_of_day is not None and day.share_of_day > limit


def _load_line(result: Rollout) -> str:
    if not result.invoice_days:
        return "Invoice-day load of the base: no invoices."
    busiest = max(result.invoice_days, key=lambda d: (result.invoice_days[d], -d))
    return (f"Invoice-day load of the base: the busiest is day {busiest} of the month "
            f"({_pct(result.invoice_days[busiest] * 100)} of invoices).")


def rollout_text(result: Rollout) -> str:
    """``--format text``."""
    cur = result.base_currency
    lines = [f"Rollout of {visible(result.base_label)} → {visible(result.head_label)} "
             f"(engine {result.engine}; max share of a day's invoices {result.max_share} %)",
             _load_line(result)]
    if not result.versions:
        lines.append("No plan version is introduced or changed.")
    for version in result.versions:
        lines += ["", f"plan {visible(version.plan)}, version {version.effective_from} "
                  f"({version.status}): waves {_waves(version)}",
                  f"  {version.moved_customers:,} of {version.plan_customers:,} customers "
                  f"move; {version.new_subscriptions:,} subscription(s) start on the new "
                  "price"]
        heads = ["date", "wave", "customers", "% of plan", "invoices", "% of day", "Δ list price"]
        rows = [[str(d.day), str(d.wave), f"{d.customers:,}", _pct(d.share_of_plan),
                 f"{d.moved_invoices:,}/{d.invoices:,}",
                 _pct(d.share_of_day) + (" !" if _over(d, result.max_share) else ""),
                 signed(d.change, cur)] for d in version.days]
        widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
        lines.append("  " + "  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True)))
        lines += ["  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                  for r in rows]
    if any(_over(d, result.max_share) for v in result.versions for d in v.days):
        lines += ["", f"! more than {result.max_share} % of that day's invoices move at once "
                  "(rule rollout-share)"]
    return "\n".join(lines) + "\n"


def rollout_markdown(result: Rollout) -> str:
    """``--format md`` (never a customer id)."""
    lines = [f"## monops rollout: {markdown_text(result.base_label)} → "
             f"{markdown_text(result.head_label)}", "", _load_line(result)]
    lines += rollout_section_md(result, "###")
    return "\n".join(lines) + "\n"


def rollout_section_md(result: Rollout, level: str = "####") -> list[str]:
    """The schedule as Markdown lines (also under ``diff --customers``'s impact)."""
    cur = result.base_currency
    lines: list[str] = []
    for version in result.versions:
        lines += ["", f"{level} Plan {markdown_text(version.plan)}, version "
                  f"{version.effective_from} ({version.status})", "",
                  f"Waves: {_waves(version)}. {version.moved_customers:,} of "
                  f"{version.plan_customers:,} customers move.", "",
                  "| date | wave | customers | % of plan | invoices moved | % of that day | "
                  "Δ list price |", "|---|--:|--:|--:|--:|--:|--:|"]
        for d in version.days:
            flag = " ⚠️" if _over(d, result.max_share) else ""
            lines.append(f"| {d.day} | {d.wave} | {d.customers:,} | {_pct(d.share_of_plan)} | "
                         f"{d.moved_invoices:,} of {d.invoices:,} | {_pct(d.share_of_day)}"
                         f"{flag} | {signed(d.change, cur)} |")
    return lines


def rollout_html(result: Rollout) -> str:
    """``--format html``: a chart of customers moved per day for each version."""
    cur = result.base_currency
    parts = [f"<p>{escape(_load_line(result))}</p>",
             columns("Share of the base's invoices by day of the month",
                     [(str(d), result.invoice_days.get(d, Decimal(0)) * 100)
                      for d in range(1, 32)])]
    for version in result.versions:
        parts.append(f"<h2>Plan {escape(version.plan)}, version {version.effective_from} "
                     f"({escape(version.status)})</h2><p>Waves: {escape(_waves(version))}. "
                     f"{version.moved_customers:,} of {version.plan_customers:,} customers "
                     "move.</p>")
        parts.append(columns(f"Customers moving to the new price, {version.plan}",
                             [(str(d.day), Decimal(d.customers)) for d in version.days],
                             highlight=str(version.busiest.day) if version.busiest else ""))
        body = "".join(
            f"<tr><td>{d.day}</td><td class=num>{d.wave}</td><td class=num>{d.customers:,}</td>"
            f"<td class=num>{_pct(d.share_of_plan)}</td>"
            f"<td class=num>{d.moved_invoices:,} of {d.invoices:,}</td>"
            f"<td class=num>{_pct(d.share_of_day)}{' ⚠' if _over(d, result.max_share) else ''}"
            f"</td><td class=num>{escape(signed(d.change, cur))}</td></tr>"
            for d in version.days)
        parts.append("<table><thead><tr><th>date</th><th>wave</th><th>customers</th>"
                     "<th>% of plan</th><th>invoices moved</th><th>% of that day</th>"
                     f"<th>Δ list price ({escape(cur)})</th></tr></thead><tbody>{body}"
                     "</tbody></table>")
    if not result.versions:
        parts.append("<p>No plan version is introduced or changed.</p>")
    return page(f"monops rollout: {result.base_label} → {result.head_label}", "\n".join(parts))


ROLLOUT_REPORTERS = {"text": rollout_text, "md": rollout_markdown, "html": rollout_html,
                     "json": rollout_json, "csv": rollout_csv}


def render_rollout(result: Rollout, fmt: str) -> str:
    """``monops rollout --format fmt``."""
    return ROLLOUT_REPORTERS[fmt](result)


__all__ = ["ROLLOUT_REPORTERS", "money", "render_rollout", "rollout_section_md"]
