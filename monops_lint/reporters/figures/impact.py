"""``monops impact``: JSON (SPEC section 9's shape), the Markdown comment (never a customer
id), the HTML page with charts, and the section ``monops diff --customers`` adds."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from monops_lint.figures.results import DIMENSIONS, Change, Impact
from monops_lint.reporters.charts import columns, paired_bars
from monops_lint.reporters.escaping import markdown_text
from monops_lint.reporters.figures.values import exact, money, percent, shown, signed, six

IMPACT_JSON_VERSION = 1
TOP = 10
"""Rows per dimension in Markdown and HTML (the largest changes first); JSON has all."""


def _change(change: Change) -> dict[str, Any]:
    return {"invoices": change.invoices, "up": change.up, "down": change.down,
            "base": six(change.base), "head": six(change.head), "change": six(change.change),
            "change_pct": six(change.change_pct)}


def impact_document(result: Impact, *, show_customers: bool = False) -> dict[str, Any]:
    """The JSON document: SPEC section 9's keys, then ``alerts``, ``histogram`` and
    ``revisions``; ``movers`` only with ``show_customers``."""
    dist = result.distribution
    document: dict[str, Any] = {
        "version": IMPACT_JSON_VERSION,
        "period": {"start": result.period.start.isoformat(),
                   "end": result.period.end.isoformat()},
        "engine": result.engine,
        "base_currency": result.base_currency,
        "invoices": result.invoices, "customers": result.customers,
        "up": result.up, "down": result.down, "unchanged": result.unchanged,
        "revenue": {"base": six(result.revenue.base), "head": six(result.revenue.head),
                    "change": six(result.revenue.change),
                    "change_pct": six(result.revenue.change_pct)},
        "revenue_by_currency": {currency: {"base": exact(base), "head": exact(head)}
                                for currency, (base, head)
                                in sorted(result.revenue_by_currency.items())},
        "distribution": {"p50": six(dist.p50), "p90": six(dist.p90), "p99": six(dist.p99),
                         "max_rise": six(dist.max_rise), "max_fall": six(dist.max_fall)},
        "by": {name: {key: _change(change) for key, change in result.by[name].items()}
               for name in DIMENSIONS},
        "skipped": [{"problem": p.problem, "count": p.count, "rows": list(p.rows)}
                    for p in result.skipped],
        "alerts": {"increase_pct": six(result.alert_increase), "invoices": result.alerts},
        "histogram": [{"change_pct": label, "invoices": count}
                      for label, count in dist.histogram],
        "revisions": {"base": result.base_label, "head": result.head_label},
    }
    if show_customers:
        document["movers"] = [
            {"customer_id": m.customer_id, "channel": m.channel, "currency": m.currency,
             "base_total": exact(m.base_total), "head_total": exact(m.head_total),
             "change_pct": six(m.change_pct)} for m in result.movers]
    return document


def impact_json(result: Impact, *, show_customers: bool = False) -> str:
    """``--format json``."""
    return json.dumps(impact_document(result, show_customers=show_customers), indent=2,
                      ensure_ascii=False) + "\n"


def _largest(changes: dict[str, Change], limit: int) -> tuple[list[tuple[str, Change]], int]:
    ordered = sorted(changes.items(), key=lambda item: (-abs(item[1].change), item[0]))
    return ordered[:limit], max(len(ordered) - limit, 0)


def _headline(result: Impact) -> str:
    revenue = result.revenue
    return (f"{result.invoices:,} invoices of {result.customers:,} customers, "
            f"{result.period}: net revenue {signed(revenue.change, result.base_currency)} "
            f"({percent(revenue.change_pct)}); {result.up:,} up, {result.down:,} down, "
            f"{result.unchanged:,} unchanged")


def _md_body(result: Impact, level: str) -> list[str]:
    cur = result.base_currency
    revenue = result.revenue
    lines = [f"**{_headline(result)}** · engine {result.engine}", "",
             f"| net revenue | {markdown_text(result.base_label)} | "
             f"{markdown_text(result.head_label)} | Δ | Δ % |",
             "|---|--:|--:|--:|--:|",
             f"| all, in {cur} | {money(revenue.base, cur)} | {money(revenue.head, cur)} | "
             f"{signed(revenue.change, cur)} | {percent(revenue.change_pct)} |"]
    for currency, (base, head) in sorted(result.revenue_by_currency.items()):
        pct = None if base == 0 else (head - base) * 100 / base
        lines.append(f"| in {currency} | {money(base, currency)} | {money(head, currency)} | "
                     f"{signed(head - base, currency)} | {percent(pct)} |")
    dist = result.distribution
    lines += ["", f"Change per invoice: median {percent(dist.p50)}, p90 {percent(dist.p90)}, "
              f"p99 {percent(dist.p99)}, largest rise {percent(dist.max_rise)}, largest fall "
              f"{percent(dist.max_fall)}. **{result.alerts:,} invoice(s) rise more than "
              f"{shown(result.alert_increase)} %.**", ""]
    lines += ["| Δ % | invoices |", "|---|--:|"]
    lines += [f"| {label} | {count:,} |" for label, count in dist.histogram]
    for name in DIMENSIONS:
        shown_rows, hidden = _largest(result.by[name], TOP)
        if not shown_rows:
            continue
        lines += ["", f"{level} By {name}", "",
                  f"| {name} | invoices | up | down | {markdown_text(result.base_label)} | "
                  f"{markdown_text(result.head_label)} | Δ | Δ % |",
                  "|---|--:|--:|--:|--:|--:|--:|--:|"]
        for key, change in shown_rows:
            lines.append(f"| {markdown_text(key)} | {change.invoices:,} | {change.up:,} | "
                         f"{change.down:,} | {money(change.base, cur)} | "
                         f"{money(change.head, cur)} | {signed(change.change, cur)} | "
                         f"{percent(change.change_pct)} |")
        if hidden:
            lines.append(f"\n…and {hidden:,} more (all of them in `--format json`).")
    if result.skipped:
        left = sum(p.count for p in result.skipped)
        lines += ["", f"**{left:,} row(s) of the customer base were left out** (bad data; "
                  "`--strict` makes this an error):", ""]
        lines += [f"- {markdown_text(p.problem)}: {p.count:,} (rows "
                  f"{', '.join(map(str, p.rows))})" for p in result.skipped]
    return lines


def impact_markdown(result: Impact) -> str:
    """``--format md``: for a pull-request comment; never a customer id."""
    title = f"## monops impact: {markdown_text(result.base_label)} → " \
            f"{markdown_text(result.head_label)}"
    return "\n".join([title, "", *_md_body(result, "###")]) + "\n"


def impact_section_md(result: Impact) -> str:
    """The "Impact on N customers" section of ``monops diff --customers``'s comment."""
    return "\n".join([f"### Impact on {result.customers:,} customers", "",
                      *_md_body(result, "####")])


def _html_table(result: Impact, name: str) -> str:
    cur = result.base_currency
    rows, hidden = _largest(result.by[name], TOP)
    body = "".join(
        f"<tr><td>{escape(key)}</td><td class=num>{c.invoices:,}</td>"
        f"<td class=num>{c.up:,}</td><td class=num>{c.down:,}</td>"
        f"<td class=num>{money(c.base, cur)}</td><td class=num>{money(c.head, cur)}</td>"
        f"<td class=num>{escape(signed(c.change, cur))}</td>"
        f"<td class=num>{escape(percent(c.change_pct))}</td></tr>" for key, c in rows)
    more = f"<p class=muted>…and {hidden:,} more (all of them in JSON).</p>" if hidden else ""
    chart = paired_bars(f"Net revenue by {name}, {result.base_label} and {result.head_label}",
                        [(key, c.base, c.head) for key, c in rows],
                        (result.base_label, result.head_label))
    return (f"<h3>By {escape(name)}</h3>{chart}<table><thead><tr><th>{escape(name)}</th>"
            "<th>invoices</th><th>up</th><th>down</th><th>base</th><th>head</th><th>Δ</th>"
            f"<th>Δ %</th></tr></thead><tbody>{body}</tbody></table>{more}")


def impact_section_html(result: Impact, *, show_customers: bool = False) -> str:
    """The impact as an HTML fragment (the page's body, and ``diff --customers``'s
    section)."""
    from decimal import Decimal

    cur = result.base_currency
    revenue = result.revenue
    dist = result.distribution
    currencies = "".join(
        f"<tr><td>{escape(c)}</td><td class=num>{money(b, c)}</td>"
        f"<td class=num>{money(h, c)}</td><td class=num>{escape(signed(h - b, c))}</td></tr>"
        for c, (b, h) in sorted(result.revenue_by_currency.items()))
    histogram = columns("Invoices by change of their total",
                        [(label, Decimal(count)) for label, count in dist.histogram],
                        highlight="")
    parts = [f"<h2>Impact on {result.customers:,} customers</h2>",
             f"<p><strong>{escape(_headline(result))}</strong> · engine "
             f"{escape(result.engine)}</p>",
             "<table><thead><tr><th>net revenue</th><th>base</th><th>head</th><th>Δ</th>"
             f"</tr></thead><tbody><tr class=total><td>all, in {escape(cur)}</td>"
             f"<td class=num>{money(revenue.base, cur)}</td>"
             f"<td class=num>{money(revenue.head, cur)}</td>"
             f"<td class=num>{escape(signed(revenue.change, cur))} "
             f"({escape(percent(revenue.change_pct))})</td></tr>{currencies}</tbody></table>",
             "<h3>How invoices moved</h3>",
             f"<p>Median {escape(percent(dist.p50))}, p90 {escape(percent(dist.p90))}, p99 "
             f"{escape(percent(dist.p99))}, largest rise {escape(percent(dist.max_rise))}, "
             f"largest fall {escape(percent(dist.max_fall))}; <strong>{result.alerts:,} "
             f"invoice(s) rise more than {shown(result.alert_increase)} %</strong>.</p>",
             histogram,
             "<table><thead><tr><th>Δ %</th><th>invoices</th></tr></thead><tbody>"
             + "".join(f"<tr><td>{escape(label)}</td><td class=num>{count:,}</td></tr>"
                       for label, count in dist.histogram) + "</tbody></table>"]
    if show_customers and result.movers:
        parts.append("<h3>Invoices rising the most</h3><table><thead><tr><th>customer</th>"
                     "<th>channel</th><th>base</th><th>head</th><th>Δ %</th></tr></thead>"
                     "<tbody>" + "".join(
                         f"<tr><td>{escape(m.customer_id)}</td><td>{escape(m.channel)}</td>"
                         f"<td class=num>{money(m.base_total, m.currency)}</td>"
                         f"<td class=num>{money(m.head_total, m.currency)}</td>"
                         f"<td class=num>{escape(percent(m.change_pct))}</td></tr>"
                         for m in result.movers) + "</tbody></table>")
    parts += [_html_table(result, name) for name in DIMENSIONS if result.by[name]]
    if result.skipped:
        parts.append("<h3>Rows left out (bad data)</h3><ul>" + "".join(
            f"<li>{escape(p.problem)}: {p.count:,} (rows {', '.join(map(str, p.rows))})</li>"
            for p in result.skipped) + "</ul>")
    return "\n".join(parts)


PAGE_STYLE = """
  body { margin: 0; padding: 24px 32px 48px; color: #1d2330; background: #f5f6f8;
         font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
  h3 { font-size: 15px; margin: 24px 0 8px; }
  table { border-collapse: collapse; width: 100%; background: #fff; margin: 8px 0; }
  th, td { padding: 5px 8px; border-bottom: 1px solid #e5e7eb; text-align: left; }
  th { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: #6b7280; }
  .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  tr.total td { font-weight: 700; } .muted, footer { color: #6b7280; font-size: 12px; }
  svg { display: block; margin: 8px 0; background: #fff; }
  @media (prefers-color-scheme: dark) {
    body { background: #15171c; color: #e6e8ec; } table, svg { background: #1f232b; }
    th, td { border-color: #333a46; } svg text { fill: #e6e8ec; } }
"""


def page(title: str, body: str) -> str:
    """One self-contained page: inline style, inline SVG, no script, nothing fetched."""
    from monops_lint import __version__

    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{escape(title)}</h1>\n{body}\n<footer>Rendered by monops {__version__}; "
            "self-contained, no external resources. Amounts in the base currency are "
            "converted once per currency total and rounded for display only.</footer>\n"
            "</body>\n</html>\n")


def impact_html(result: Impact, *, show_customers: bool = False) -> str:
    """``--format html``."""
    return page(f"monops impact: {result.base_label} → {result.head_label}, {result.period}",
                impact_section_html(result, show_customers=show_customers))
