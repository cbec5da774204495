"""What every review format says the same way: amounts, the headline, the notice of each
rise, why an invoice moved (issue 15 items 11 to 15 and 21).

Plain text: each format escapes it for itself (Markdown, HTML, JSON).
"""

from __future__ import annotations

from decimal import Decimal

from monops_lint.compare import percent_str
from monops_lint.diff.invoices import InvoiceDiff
from monops_lint.diff.review import Review
from monops_lint.money import money_str

MAX_PLANS = 6
"""Plans named in the headline's price changes; more are counted."""


def money(amount: Decimal | None, currency: str) -> str:
    """``USD 116.36``, ``USD −7.27``; ``—`` when there is no amount."""
    if amount is None:
        return "—"
    sign = "−" if amount < 0 else ""
    return f"{currency} {sign}{money_str(abs(amount), currency)}"


def signed(amount: Decimal | None, currency: str) -> str:
    """``+5.69`` / ``−2.00`` in the currency's minor units."""
    if amount is None:
        return ""
    sign = "+" if amount > 0 else "−" if amount < 0 else "±"
    return f"{sign}{money_str(abs(amount), currency)}"


def total(invoice: InvoiceDiff, after: bool) -> Decimal | None:
    """The total of one side, if it could be priced."""
    side = invoice.after if after else invoice.before
    return side.total if side is not None else None


def tax_text(invoice: InvoiceDiff, after: bool) -> str:
    """One side's tax, ``(included)`` when the channel's prices hold it: ``EUR 12.55
    (included)``; ``—`` when the side could not be priced."""
    side = invoice.after if after else invoice.before
    if side is None:
        return "—"
    shown = money(side.tax, side.currency)
    return f"{shown} (included)" if side.tax_inclusive else shown


def price_changes(review: Review) -> str:
    """``storage-plus +20.0 %, backup-business in partner``: the plans whose prices the
    change edits (the largest change of each), "" when none."""
    changes = review.price_changes
    shown = [f"{name} {percent_str(percent)}" if percent is not None else name
             for name, percent in list(changes.items())[:MAX_PLANS]]
    if len(changes) > MAX_PLANS:
        shown.append(f"and {len(changes) - MAX_PLANS} more")
    return ", ".join(shown)


def weighted(review: Review) -> str:
    """``USD +370.00, EUR −12.00``: Σ weight × Δ per currency, "" when nothing moved."""
    return ", ".join(f"{currency} {signed(amount, currency)}"
                     for currency, amount in review.weighted.items())


def headline(review: Review) -> str:
    """How many invoices change, the largest rise and fall, which plans' prices changed,
    and the customer-weighted change per currency."""
    changed = review.changed_invoices
    count = len(review.invoices)
    prices = price_changes(review)
    if not changed:
        text = f"No sample invoice changes ({count} checked)"
        return f"{text} — prices changed: {prices}" if prices else text
    parts = [f"{len(changed)} of {count} sample invoices change"]
    broken = sum(1 for i in review.invoices if i.after_error and not i.before_error)
    if broken:
        parts[0] += f" ({broken} can no longer be priced)"
    rise, fall = review.largest(True), review.largest(False)
    moves = []
    if rise is not None:
        moves.append(f"largest rise {percent_str(rise.delta_percent)} ({rise.scenario})")
    if fall is not None:
        moves.append(f"largest fall {percent_str(fall.delta_percent)} ({fall.scenario})")
    if moves:
        parts.append(", ".join(moves))
    if prices:
        parts.append(f"prices changed: {prices}")
    weights = weighted(review)
    if weights:
        parts.append(f"customer-weighted Δ: {weights}")
    return " — ".join(parts)


def causes(invoice: InvoiceDiff) -> str:
    """``+5.16 from the new prices of plan storage-plus; −15.64 from channel web's tax mode
    (now includes tax)``: why the total moved, part by part ("" when it did not)."""
    return "; ".join(f"{signed(cause.delta, invoice.currency)} from {cause.cause}"
                     for cause in invoice.causes)
