"""``monops metrics``: JSON (SPEC section 9's shape), CSV, aligned text for a terminal,
Markdown, and an HTML page with charts."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from html import escape
from typing import Any

from monops_lint.figures.results import DIMENSIONS, Figures, Metrics
from monops_lint.reporters.charts import bars, columns
from monops_lint.reporters.escaping import markdown_text, visible
from monops_lint.reporters.figures.impact import page
from monops_lint.reporters.figures.values import exact, money, share, shown, six

METRICS_JSON_VERSION = 1
FIELDS = ("customers", "invoices", "revenue", "mrr", "arr", "arpu", "arppu", "cost", "margin",
          "margin_pct")


def figure_document(fig: Figures, campaign: bool = False) -> dict[str, Any]:
    """FIG of SPEC section 9 (plus ``paying``; ``spend`` and ``roas`` for a campaign)."""
    document: dict[str, Any] = {
        "customers": fig.customers, "invoices": fig.invoices, "revenue": six(fig.revenue),
        "revenue_by_currency": {c: exact(v) for c, v in sorted(fig.revenue_by_currency.items())},
        "mrr": six(fig.mrr), "arr": six(fig.arr), "arpu": six(fig.arpu),
        "arppu": six(fig.arppu), "cost": six(fig.cost), "margin": six(fig.margin),
        "margin_pct": six(fig.margin_pct), "paying": fig.paying}
    if campaign:
        document["spend"] = six(fig.spend)
        document["roas"] = six(fig.roas)
    return document


def metrics_document(result: Metrics) -> dict[str, Any]:
    """The JSON document."""
    days: dict[str, Any] = {str(day): six(value)
                            for day, value in sorted(result.invoice_days.items())}
    days["max"] = six(result.busiest_day)
    return {
        "version": METRICS_JSON_VERSION,
        "period": {"start": result.period.start.isoformat(),
                   "end": result.period.end.isoformat()},
        "engine": result.engine, "revision": result.revision,
        "base_currency": result.base_currency,
        "total": figure_document(result.total),
        "by": {name: {key: figure_document(fig, name == "campaign")
                      for key, fig in result.by[name].items()} for name in DIMENSIONS},
        "invoice_days": days,
        "skipped": [{"problem": p.problem, "count": p.count, "rows": list(p.rows)}
                    for p in result.skipped],
    }


def metrics_json(result: Metrics) -> str:
    """``--format json``: every figure as exact decimal text."""
    return json.dumps(metrics_document(result), indent=2, ensure_ascii=False) + "\n"


def metrics_csv(result: Metrics) -> str:
    """``--format csv``: one row per dimension and key, and a ``total`` row; amounts as
    exact text in ``base_currency``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["dimension", "key", *FIELDS, "spend", "roas", "base_currency"])

    def row(dimension: str, key: str, fig: Figures) -> None:
        document = figure_document(fig, campaign=True)
        writer.writerow([dimension, key, *(document[f] if document[f] is not None else ""
                                           for f in (*FIELDS, "spend", "roas")),
                         result.base_currency])

    row("total", "", result.total)
    for name in DIMENSIONS:
        for key, fig in result.by[name].items():
            row(name, key, fig)
    return out.getvalue()


def _cells(fig: Figures, cur: str) -> list[str]:
    return [f"{fig.customers:,}", f"{fig.invoices:,}", money(fig.revenue, cur),
            money(fig.mrr, cur), money(fig.arpu, cur), money(fig.margin, cur),
            "–" if fig.margin_pct is None else f"{shown(fig.margin_pct, 1)} %"]


HEADERS = ["customers", "invoices", "net revenue", "MRR", "ARPU", "margin", "margin %"]


def _skipped_lines(result: Metrics) -> list[str]:
    if not result.skipped:
        return []
    left = sum(p.count for p in result.skipped)
    return [f"{left:,} row(s) of the customer base left out (bad data; --strict makes this "
            "an error):", *(f"  {p.problem}: {p.count:,} (rows {', '.join(map(str, p.rows))})"
                            for p in result.skipped)]


def metrics_text(result: Metrics) -> str:
    """``--format text``: aligned columns for a terminal."""
    cur = result.base_currency
    total = result.total
    lines = [f"Key metrics, {result.period}, at {visible(result.revision)} "
             f"(engine {result.engine}, amounts in {cur})", "",
             f"  net revenue  {money(total.revenue, cur)}   MRR {money(total.mrr, cur)}   "
             f"ARR {money(total.arr, cur)}",
             f"  customers    {total.customers:,} ({total.paying:,} paying), "
             f"{total.invoices:,} invoices   ARPU {money(total.arpu, cur)}   "
             f"ARPPU {money(total.arppu, cur)}",
             f"  cost         {money(total.cost, cur)}   margin {money(total.margin, cur)} "
             f"({'–' if total.margin_pct is None else shown(total.margin_pct, 1) + ' %'})",
             f"  busiest invoice day: {share(result.busiest_day)} of invoices"]
    for name in DIMENSIONS:
        groups = result.by[name]
        if not groups:
            continue
        rows = [[visible(key), *_cells(fig, cur)] for key, fig in groups.items()]
        heads = [name, *HEADERS]
        if name == "campaign":
            heads += ["spend", "ROAS"]
            for cells, fig in zip(rows, groups.values(), strict=True):
                cells += [money(fig.spend, cur), shown(fig.roas)]
        widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
        lines += ["", "  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                                for i, (h, w) in enumerate(zip(heads, widths, strict=True)))]
        for cells in rows:
            lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths, strict=True))))
    skipped = _skipped_lines(result)
    if skipped:
        lines += ["", *skipped]
    return "\n".join(lines) + "\n"


def metrics_markdown(result: Metrics) -> str:
    """``--format md``."""
    cur = result.base_currency
    total = result.total
    lines = [f"## monops metrics: {result.period} at {markdown_text(result.revision)}", "",
             f"Amounts in {cur} · engine {result.engine}", "",
             "| | |", "|---|--:|",
             f"| net revenue | {money(total.revenue, cur)} |",
             f"| MRR / ARR | {money(total.mrr, cur)} / {money(total.arr, cur)} |",
             f"| customers (paying) / invoices | {total.customers:,} ({total.paying:,}) / "
             f"{total.invoices:,} |",
             f"| ARPU / ARPPU | {money(total.arpu, cur)} / {money(total.arppu, cur)} |",
             f"| cost / margin | {money(total.cost, cur)} / {money(total.margin, cur)} "
             f"({'–' if total.margin_pct is None else shown(total.margin_pct, 1) + ' %'}) |",
             f"| busiest invoice day | {share(result.busiest_day)} of invoices |"]
    for name in DIMENSIONS:
        groups = result.by[name]
        if not groups:
            continue
        extra = name == "campaign"
        lines += ["", f"### By {name}", "",
                  "| " + " | ".join([name, *HEADERS] + (["spend", "ROAS"] if extra else []))
                  + " |", "|---|" + "--:|" * (len(HEADERS) + (2 if extra else 0))]
        for key, fig in groups.items():
            cells = [markdown_text(key), *_cells(fig, cur)]
            if extra:
                cells += [money(fig.spend, cur), shown(fig.roas)]
            lines.append("| " + " | ".join(cells) + " |")
    skipped = _skipped_lines(result)
    if skipped:
        lines += ["", markdown_text(skipped[0]), "",
                  *(f"- {markdown_text(s.strip())}" for s in skipped[1:])]
    return "\n".join(lines) + "\n"


def metrics_html(result: Metrics) -> str:
    """``--format html``: one page, charts and tables."""
    cur = result.base_currency
    total = result.total
    parts = [f"<p class=muted>{escape(str(result.period))} at {escape(result.revision)} · "
             f"engine {escape(result.engine)} · amounts in {escape(cur)}</p>",
             "<table><tbody>" + "".join(
                 f"<tr><td>{escape(k)}</td><td class=num>{escape(v)}</td></tr>" for k, v in (
                     ("net revenue", money(total.revenue, cur)),
                     ("MRR / ARR", f"{money(total.mrr, cur)} / {money(total.arr, cur)}"),
                     ("customers (paying) / invoices",
                      f"{total.customers:,} ({total.paying:,}) / {total.invoices:,}"),
                     ("ARPU / ARPPU", f"{money(total.arpu, cur)} / {money(total.arppu, cur)}"),
                     ("cost / margin", f"{money(total.cost, cur)} / {money(total.margin, cur)}"),
                     ("margin %", "–" if total.margin_pct is None
                      else f"{shown(total.margin_pct, 1)} %"),
                     ("busiest invoice day", share(result.busiest_day)))) + "</tbody></table>",
             "<h2>Invoice-day load</h2>",
             columns("Share of invoices by day of the month",
                     [(str(day), result.invoice_days.get(day, Decimal(0)) * 100)
                      for day in range(1, 32)],
                     highlight=str(max(result.invoice_days, key=lambda d: result.invoice_days[d],
                                       default="")))]
    for name in DIMENSIONS:
        groups = result.by[name]
        if not groups:
            continue
        extra = name == "campaign"
        rows = sorted(groups.items(), key=lambda item: (-item[1].revenue, item[0]))
        parts.append(f"<h2>By {escape(name)}</h2>")
        parts.append(bars(f"Net revenue by {name} ({cur})",
                          [(key, fig.revenue) for key, fig in rows[:15]]))
        parts.append(bars(f"MRR by {name} ({cur})", [(key, fig.mrr) for key, fig in rows[:15]]))
        heads = [name, *HEADERS] + (["spend", "ROAS"] if extra else [])
        body = ""
        for key, fig in rows:
            cells = _cells(fig, cur) + ([money(fig.spend, cur), shown(fig.roas)] if extra
                                        else [])
            body += f"<tr><td>{escape(key)}</td>" + "".join(
                f"<td class=num>{escape(c)}</td>" for c in cells) + "</tr>"
        parts.append("<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in heads)
                     + f"</tr></thead><tbody>{body}</tbody></table>")
    if result.skipped:
        parts.append("<h2>Rows left out (bad data)</h2><ul>" + "".join(
            f"<li>{escape(p.problem)}: {p.count:,} (rows {', '.join(map(str, p.rows))})</li>"
            for p in result.skipped) + "</ul>")
    return page(f"monops metrics: {result.period}", "\n".join(parts))
