"""``monops diff --format html``: one self-contained page for the CI artifact.

The headline, the catalog changes, every changed invoice side by side
(before | after) with the changed lines highlighted, the unchanged ones
listed, and the findings. Rendered from a packaged template with HTML
autoescaping: catalog text can never become markup.
"""

from __future__ import annotations

from typing import Any

from monops_lint import __version__
from monops_lint.compare import percent_str
from monops_lint.diff.invoices import InvoiceDiff
from monops_lint.diff.review import Review
from monops_lint.findings import Finding
from monops_lint.reporters.review.summary import (
    causes,
    headline,
    money,
    signed,
    tax_text,
    total,
)
from monops_lint.reporters.templating import packaged_template, render_template


def _invoice(diff: InvoiceDiff) -> dict[str, Any]:
    currency = diff.currency
    lines = []
    for line in diff.lines:
        delta = None if line.before is None or line.after is None else line.after - line.before
        lines.append({"plan": line.plan, "description": line.description,
                      "before": money(line.before, currency), "after": money(line.after, currency),
                      "delta": signed(delta, currency), "changed": line.changed,
                      "added": line.before is None, "removed": line.after is None})
    sides = []
    for label, invoice in (("before", diff.before), ("after", diff.after)):
        sides.append({"label": label, "subtotal": money(invoice.subtotal if invoice else None,
                                                          currency),
                      "tax": tax_text(diff, label == "after"),
                      "total": money(invoice.total if invoice else None, currency),
                      "net": money(diff.net(label == "after"), currency),
                      "notes": list(invoice.notes) if invoice else []})
    return {"scenario": diff.scenario, "title": diff.title, "channel": diff.channel,
            "currency": currency, "changed": diff.changed, "collateral": list(diff.collateral),
            "causes": causes(diff) if len(diff.causes) > 1 or diff.collateral else "",
            "notes_added": list(diff.notes_added), "notes_removed": list(diff.notes_removed),
            "before_total": money(total(diff, False), currency),
            "after_total": money(total(diff, True), currency),
            "delta": signed(diff.delta, currency), "percent": percent_str(diff.delta_percent),
            "before_error": diff.before_error, "after_error": diff.after_error,
            "lines": lines, "before": sides[0], "after": sides[1]}


def _finding(finding: Finding) -> dict[str, str]:
    return {"severity": str(finding.severity), "rule": finding.rule,
            "where": str(finding.location), "message": finding.message, "hint": finding.hint}


def render_html(review: Review, extra: tuple[str, ...] = ()) -> str:
    """The whole page; ``extra``: sections of HTML other reporters made (the impact on the
    customer base), placed before the findings."""
    from markupsafe import Markup

    context = {
        "extra_sections": [Markup(section) for section in extra],
        "headline": headline(review),
        "version": __version__,
        "base": review.base.short, "head": review.head.short, "today": review.today.isoformat(),
        "changes": [{"entity": c.entity, "change": c.change, "field": c.field,
                     "before": c.before, "after": c.after, "note": c.note,
                     "where": str(c.location) if c.location else ""}
                    for c in review.catalog.changes],
        "invoices": [_invoice(i) for i in review.changed_invoices],
        "unchanged": [i.scenario for i in review.invoices
                      if not i.changed and not i.terms_changed],
        "terms": [_invoice(i) for i in review.terms_changed],
        "notices": [{"plan": n.plan, "enough": n.enough, "words": n.words(),
                     "rises": list(n.rises)} for n in review.notices],
        "collateral": [_invoice(i) for i in review.collateral],
        "introduced": [_finding(f) for f in review.introduced],
        "fixed": [_finding(f) for f in review.fixed],
    }
    return render_template(packaged_template("report.html.j2"), context, autoescape=True,
                           name="report.html.j2")
