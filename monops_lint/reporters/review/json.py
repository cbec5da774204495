"""``monops diff --format json``: everything the Markdown report shows, exact and versioned."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from monops_lint.diff.invoices import InvoiceDiff
from monops_lint.diff.review import Review
from monops_lint.findings import Finding
from monops_lint.money import MONEY_CONTEXT, money_str
from monops_lint.pricing import Invoice
from monops_lint.reporters.review.summary import headline

JSON_VERSION = 1


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01"), context=MONEY_CONTEXT))


def _totals(invoice: Invoice | None) -> dict[str, str] | None:
    if invoice is None:
        return None
    currency = invoice.currency
    return {"subtotal": money_str(invoice.subtotal, currency),
            "tax": money_str(invoice.tax, currency), "total": money_str(invoice.total, currency)}


def _money(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else money_str(amount, currency)


def _invoice(diff: InvoiceDiff) -> dict[str, Any]:
    return {
        "scenario": diff.scenario, "channel": diff.channel, "currency": diff.currency,
        "weight": str(diff.weight),
        "changed": diff.changed, "terms_changed": diff.terms_changed,
        "collateral": list(diff.collateral),
        "before": _totals(diff.before), "after": _totals(diff.after),
        "net": {"before": _money(diff.net(False), diff.currency),
                "after": _money(diff.net(True), diff.currency)},
        "tax_inclusive": {"before": diff.before.tax_inclusive if diff.before else None,
                          "after": diff.after.tax_inclusive if diff.after else None},
        "notes": {"before": list(diff.before.notes) if diff.before else [],
                  "after": list(diff.after.notes) if diff.after else []},
        "causes": [{"cause": c.cause, "delta": money_str(c.delta, diff.currency)}
                   for c in diff.causes],
        "before_error": diff.before_error or None, "after_error": diff.after_error or None,
        "delta": _money(diff.delta, diff.currency), "delta_percent": _percent(diff.delta_percent),
        "lines": [{"plan": line.plan, "kind": line.key[2], "charge": line.key[3],
                   "subscription": line.key[0], "description": line.description,
                   "before": _money(line.before, diff.currency),
                   "after": _money(line.after, diff.currency), "changed": line.changed}
                  for line in diff.lines],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {"rule": finding.rule, "severity": str(finding.severity),
            "path": finding.location.path, "line": finding.location.line,
            "column": finding.location.column, "message": finding.message, "hint": finding.hint}


def render_json(review: Review, extra: dict[str, Any] | None = None) -> str:
    """The review as a JSON document; ``extra``: keys other reporters made (``impact``)."""
    document = {
        "version": JSON_VERSION,
        "base": {"label": review.base.label, "sha": review.base.sha},
        "head": {"label": review.head.label, "sha": review.head.sha},
        "today": review.today.isoformat(),
        "headline": headline(review),
        "catalog_changes": [
            {"kind": c.kind, "id": c.id, "change": c.change, "field": c.field,
             "before": c.before, "after": c.after, "note": c.note,
             "percent": _percent(c.percent),
             "path": c.location.path if c.location else None,
             "line": c.location.line if c.location else None,
             "column": c.location.column if c.location else None}
            for c in review.catalog.changes],
        "invoices": [_invoice(i) for i in review.invoices],
        "collateral": [i.scenario for i in review.collateral],
        "price_changes": {name: _percent(percent)
                          for name, percent in review.price_changes.items()},
        "weighted_delta": {currency: money_str(amount, currency)
                           for currency, amount in review.weighted.items()},
        "notices": [{"plan": n.plan,
                     "effective_from": n.effective.isoformat() if n.effective else None,
                     "days": n.days, "policy": n.policy, "enough": n.enough,
                     "rises": list(n.rises)} for n in review.notices],
        "findings": {"introduced": [_finding(f) for f in review.introduced],
                     "fixed": [_finding(f) for f in review.fixed]},
        **(extra or {}),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
