"""Invoices and quotes as plain data: exact strings for JSON, formatted text for people.

Amounts for people use babel (currency symbol, digit grouping, the
customer's locale) with exactly the currency's minor-unit digits; amounts in
JSON are exact strings with exactly those digits (``"107.00"``, ``"5"`` for
JPY). How each reads is in ``formatting``.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar

from monops_lint.errors import MonopsError
from monops_lint.money import MONEY_CONTEXT, money_str, number_str
from monops_lint.pricing import (
    Invoice,
    InvoiceLine,
    Quote,
    TierPortion,
    TransactionFee,
    written,
)
from monops_lint.reporters.invoices.formatting import (
    DEFAULT_LOCALE,
    QUANTITY_DECIMALS,
    Formatter,
    amount_str,
    locale_for,
    quantity_str,
    rate_str,
)

JSON_VERSION = 1

Shown = TypeVar("Shown", Invoice, Quote)
Result = TypeVar("Result")

__all__ = ["DEFAULT_LOCALE", "JSON_VERSION", "QUANTITY_DECIMALS", "Formatter", "invoice_json",
           "invoice_view", "line_json", "line_view", "locale_for", "quantity_str",
           "quote_json", "quote_text"]


def _shown_exactly(present: Callable[[Shown], Result]) -> Callable[[Shown], Result]:
    """Format at the pricing engine's precision; past it, a one-line error, not a crash.

    babel quantizes in the ambient decimal context (28 digits), so a quantity of 10^24 or
    an amount of 10^26 that the engine priced exactly raised InvalidOperation.
    """
    @wraps(present)
    def shown(subject: Shown) -> Result:
        try:
            with decimal.localcontext(prec=MONEY_CONTEXT.prec):
                return present(subject)
        except decimal.DecimalException as exc:
            what = (f"quote of plan {subject.plan}" if isinstance(subject, Quote)
                    else f"scenario {subject.scenario}")
            raise MonopsError(f"{what}: a quantity or amount has too many digits to show "
                              f"exactly (at most {MONEY_CONTEXT.prec}; {type(exc).__name__})"
                              ) from exc

    return shown


def _tier_range(portion: TierPortion, fmt: Formatter) -> str:
    if portion.tier == 0:
        return ""
    # Tiers hold (above, up_to]: say it so that a reader cannot put a unit in two tiers.
    if portion.up_to is None:
        return f"over {fmt.number(portion.above)}"
    if portion.above == 0:
        return f"up to {fmt.number(portion.up_to)}"
    return f"over {fmt.number(portion.above)} up to {fmt.number(portion.up_to)}"


def _priced_every_unit(line: InvoiceLine, rate: Decimal) -> bool:
    """Whether ``quantity × rate`` (pro-rated) is the line's amount, as the engine computed it."""
    if line.quantity is None:
        return True
    with decimal.localcontext(MONEY_CONTEXT):
        amount = line.quantity * rate
        if line.prorated is not None:
            amount = amount * line.prorated[0] / line.prorated[1]
        return amount == line.exact


def description(line: InvoiceLine, fmt: Formatter) -> str:
    """The line's text with its amounts written like the amount column."""
    return written(line.words, fmt.money) if line.words else line.description


def _fee_terms(fee: TransactionFee, fmt: Formatter) -> str:
    """``1.5 % + $0.25 each, min $0.50, max $5.00``."""
    # A channel's percent override can leave sub-cent fees: they keep their digits.
    terms = f"{number_str(fee.rate)} %" + (f" + {fmt.rate(fee.fixed)}" if fee.fixed else "")
    bounds = [f"{name} {fmt.rate(value)}" for name, value in (("min", fee.low),
                                                                ("max", fee.high))
              if value is not None]
    return ", ".join([f"{terms} each", *bounds])


def _detail(line: InvoiceLine, fmt: Formatter, rate: Decimal | None) -> str:
    """How the line's amount comes about, in one phrase: ``3 × $4.00``, ``5 packs of 250 ×
    $2.00``, ``2 transactions at 1.5 % + $0.25 each, min $0.50, max $5.00``; "" when the
    breakdown or nothing says more."""
    if line.fee is not None and line.quantity is not None:
        count = int(line.quantity)
        return (f"{count} transaction{'' if count == 1 else 's'} at "
                f"{_fee_terms(line.fee, fmt)}")
    packs = [p for p in line.breakdown if p.size is not None]
    if len(packs) == 1:
        pack = packs[0]
        return (f"{fmt.number(pack.units)} pack{'' if pack.units == 1 else 's'} of "
                f"{fmt.number(pack.size)} × {fmt.rate(pack.unit_amount)}")
    if rate is not None and len(line.breakdown) <= 1:
        return f"{fmt.number(line.quantity)} × {fmt.rate(rate)}"
    return ""


def line_view(line: InvoiceLine, fmt: Formatter) -> dict[str, Any]:
    """One invoice or quote line as strings, for templates.

    ``detail`` says how the amount comes about in one phrase (a quantity
    times a unit price, a package charge's packs, a percentage charge's fee
    terms); ``breakdown`` holds the tiers when there is more than one (or a
    tier's flat fee).
    """
    rate = line.unit_amount
    if rate is None and len(line.breakdown) == 1 and not line.breakdown[0].flat_amount:
        rate = line.breakdown[0].unit_amount  # one tier priced every unit
    if rate is not None and not _priced_every_unit(line, rate):
        rate = None  # a flat amount or a package's price: `quantity × rate` is not the amount
    return {
        "subscription": line.subscription,
        "plan": line.plan,
        "plan_name": line.plan_name,
        "charge": line.charge,
        "kind": line.kind,
        "description": description(line, fmt),
        "quantity": fmt.number(line.quantity),
        "unit_price": fmt.rate(rate) if rate is not None else "",
        "amount": fmt.money(line.amount),
        "amount_exact": money_str(line.amount, fmt.currency),
        "negative": line.amount < 0,
        "detail": _detail(line, fmt, rate),
        "breakdown": [
            {"tier": p.tier, "range": _tier_range(p, fmt), "units": fmt.number(p.units),
             "rate": fmt.rate(p.unit_amount),
             "flat": fmt.money(p.flat_amount) if p.flat_amount else "",
             "amount": fmt.money(p.amount)}
            for p in line.breakdown if len(line.breakdown) > 1 or p.flat_amount],
    }


@_shown_exactly
def invoice_view(invoice: Invoice) -> dict[str, Any]:
    """Everything an invoice template shows, formatted for the customer's locale."""
    customer = invoice.customer
    locale = locale_for(customer.locale, customer.country)
    fmt = Formatter(locale, invoice.currency, invoice.rounding)
    rate = number_str(invoice.tax_rate)
    return {
        "scenario": invoice.scenario,
        "title": invoice.scenario_name or invoice.scenario,
        "customer": {"name": customer.name, "country": customer.country},
        "channel": {"id": invoice.channel, "name": invoice.channel_name},
        "currency": invoice.currency,
        "locale": str(locale),
        "period": {"start": invoice.period_start.isoformat(),
                   "end": invoice.period_end.isoformat()},
        "tax_inclusive": invoice.tax_inclusive,
        "tax_rate": rate,
        "tax_label": (f"Included tax ({rate} %)" if invoice.tax_inclusive
                      else f"Tax ({rate} %)"),
        "lines": [line_view(line, fmt) for line in invoice.lines],
        "subtotal": fmt.money(invoice.subtotal),
        "tax": fmt.money(invoice.tax),
        "total": fmt.money(invoice.total),
        "total_exact": money_str(invoice.total, invoice.currency),
        "notes": [written(words, fmt.money) for words in invoice.note_words]
        if invoice.note_words else list(invoice.notes),
    }


def line_json(line: InvoiceLine, currency: str, rounding: str = "half_up") -> dict[str, Any]:
    """One line with exact strings (``phase`` only for a line of an introductory phase).

    Amounts (``amount``, a tier's ``flat_amount`` and ``amount``) carry
    exactly the currency's minor-unit digits; a tier's ``amount`` is its
    share of the line, rounded for display (the line's ``amount`` is what is
    billed). Unit rates (``unit_amount``) keep their own precision: at least
    the minor-unit digits, at most 12 decimals. ``quantity`` is null for a
    line without one (a true-up, a discount).
    """
    shown: dict[str, Any] = {
        "plan": line.plan,
        "charge": line.charge,
        "kind": line.kind,
        "description": line.description,
        "quantity": quantity_str(line.quantity),
        "unit_amount": rate_str(line.unit_amount, currency)
        if line.unit_amount is not None else None,
        "amount": money_str(line.amount, currency),
        "breakdown": [
            {"tier": p.tier, "above": number_str(p.above),
             "up_to": number_str(p.up_to) if p.up_to is not None else None,
             "units": quantity_str(p.units), "unit_amount": rate_str(p.unit_amount, currency),
             "flat_amount": amount_str(p.flat_amount, currency, rounding),
             "amount": amount_str(p.amount, currency, rounding)}
            for p in line.breakdown],
    }
    if line.phase:
        shown["phase"] = line.phase
    if line.fee is not None:
        fee = line.fee
        shown["fee"] = {"rate": number_str(fee.rate),
                        **{name: rate_str(value, currency) if value is not None else None
                           for name, value in (("fixed", fee.fixed), ("min", fee.low),
                                               ("max", fee.high))}}
    return shown


@_shown_exactly
def invoice_json(invoice: Invoice) -> dict[str, Any]:
    """One invoice in the shape of SPEC section 5 (plus period, customer, tax rate, notes)."""
    currency = invoice.currency
    return {
        "scenario": invoice.scenario,
        "channel": invoice.channel,
        "currency": currency,
        "period": {"start": invoice.period_start.isoformat(),
                   "end": invoice.period_end.isoformat()},
        "customer": {"name": invoice.customer.name, "country": invoice.customer.country},
        "tax_inclusive": invoice.tax_inclusive,
        "tax_rate": number_str(invoice.tax_rate),
        "lines": [line_json(line, currency, invoice.rounding) for line in invoice.lines],
        "subtotal": money_str(invoice.subtotal, currency),
        "tax": money_str(invoice.tax, currency),
        "total": money_str(invoice.total, currency),
        "notes": list(invoice.notes),
    }


@_shown_exactly
def quote_json(quote: Quote) -> dict[str, Any]:
    """``monops quote --json``: ``{"plan", "currency", "lines", "total"}`` and context."""
    return {
        "plan": quote.plan,
        "plan_name": quote.plan_name,
        "billing_period": quote.billing_period,
        "currency": quote.currency,
        "channel": quote.channel,
        "on": quote.on.isoformat(),
        "lines": [line_json(line, quote.currency, quote.rounding) for line in quote.lines],
        "total": money_str(quote.total, quote.currency),
        "warnings": list(quote.warnings),
        "notes": list(quote.notes),
    }


@_shown_exactly
def quote_text(quote: Quote) -> str:
    """``monops quote`` for people: the lines with their tier breakdown, and the total."""
    fmt = Formatter(locale_for("", ""), quote.currency, quote.rounding)
    where = f" in {quote.channel}" if quote.channel else ""
    out = [f"{quote.plan_name} ({quote.plan}), {quote.billing_period}{where}, "
           f"{quote.currency}, on {quote.on.isoformat()}", ""]
    views = [line_view(line, fmt) for line in quote.lines]
    width = max([len(view["description"]) for view in views] + [20])
    for view in views:
        detail = f"  {view['detail']}" if view["detail"] and not view["breakdown"] else ""
        out.append(f"  {view['description']:<{width}}  {view['amount']:>14}{detail}")
        for tier in view["breakdown"]:
            flat = f" + {tier['flat']}" if tier["flat"] else ""
            label = f"tier {tier['tier']} ({tier['range']})" if tier["tier"] else "units"
            out.append(f"      {label}: {tier['units']} × {tier['rate']}{flat} = {tier['amount']}")
    out.append(f"  {'Total':<{width}}  {fmt.money(quote.total):>14}")
    if quote.warnings:
        out += ["", *[f"  warning: {warning}" for warning in quote.warnings]]
    if quote.notes:
        out += ["", *[f"  note: {note}" for note in quote.notes]]
    return "\n".join(out) + "\n"
