"""The reference engine over a customer base: each invoice built as the scenario SPEC
section 9's exactness contract names, and priced by ``pricing.invoice_for``, one at a time.

Slow, and exact by construction: it is what the SQL engines are checked
against. The rows come from the same checks as theirs (the ``m_billed`` and
``m_usage`` views of an engine that read the base), so the three engines
price the same subscriptions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.customers import Period
from monops_lint.engines.compiled import QUANTITY_SCALE, TAX_SCALE
from monops_lint.model import Customer, FrozenMap, Scenario, Subscription, Usage
from monops_lint.pricing import Invoice, PricingError, invoice_for

InvoiceKey = tuple[str, str, str]
"""(customer_id, channel, currency)."""

Fetch = Callable[[str], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class PricedInvoice:
    """One invoice of the base as the reference engine prices it, or why it cannot."""

    key: InvoiceKey
    invoice: Invoice | None
    reason: str
    rows: tuple[int, ...]  # the subscription rows it was built from


def _reason(error: PricingError) -> str:
    """The kind of problem, worded as the SQL engines word it."""
    message = str(error)
    if "no version in effect" in message:
        return "no version of the plan in effect on the period start"
    if "above its last tier" in message:
        return "usage above the plan's last tier"
    if "amount_off" in message:
        return "a promotion without an amount in the invoice currency"
    if " has no " in message or "minimum has no amount" in message:
        return "no price in the invoice currency"
    return "cannot be priced: " + message


def _percentage_metrics(catalog: Catalog, plan_id: str) -> set[str]:
    plan = catalog.plans.get(plan_id)
    if plan is None:
        return set()
    return {metric for version in plan.versions for charge in version.all_charges()
            if charge.model == "percentage" and (metric := charge.usage_metric)}


def scenarios(fetch: Fetch, prefix: str, catalog: Catalog,
              period: Period) -> Iterator[tuple[InvoiceKey, Scenario, tuple[int, ...]]]:
    """The scenario of every invoice of the base (SPEC section 9), with its rows."""
    usage: dict[str, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for subscription_id, metric, text in fetch(
            f"SELECT subscription_id, metric, q_text FROM {prefix}m_usage "
            "WHERE problem IS NULL ORDER BY row_no"):
        usage[subscription_id][metric].append(Decimal(text))
    rows = fetch(f"""SELECT customer_id, channel, currency, subscription_id, plan, quantity_u,
                            start_day, end_day, promotion, tax_u, country, row_no
                     FROM {prefix}m_billed ORDER BY customer_id, channel, currency,
                                                     subscription_id""")
    grouped: dict[InvoiceKey, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        grouped[(row[0], row[1], row[2])].append(row)
    for key, members in grouped.items():
        customer_id, channel, currency = key
        subscriptions = []
        for (_, _, _, subscription_id, plan, quantity_u, start, end, promotion, _, _,
             _) in members:
            percentage = _percentage_metrics(catalog, plan)
            used: dict[str, Usage] = {}
            for metric, values in usage.get(subscription_id, {}).items():
                used[metric] = tuple(values) if metric in percentage else sum(values,
                                                                              Decimal(0))
            subscriptions.append(Subscription(
                plan=plan, quantity=Decimal(int(quantity_u)).scaleb(-QUANTITY_SCALE),
                start=start, usage=FrozenMap(used), promotion=promotion or "", end=end))
        first = members[0]
        customer = Customer(customer_id, first[10] or "",
                            Decimal(int(first[9])).scaleb(-TAX_SCALE), id=customer_id)
        scenario = Scenario(f"{customer_id}|{channel}|{currency}", channel, currency,
                            period.start, period.end, customer, tuple(subscriptions))
        yield key, scenario, tuple(int(row[11]) for row in members)


def price_base(fetch: Fetch, prefix: str, catalog: Catalog, period: Period,
               rounding: str) -> list[PricedInvoice]:
    """Every invoice of the base priced by the reference engine."""
    priced = []
    for key, scenario, rows in scenarios(fetch, prefix, catalog, period):
        try:
            priced.append(PricedInvoice(key, invoice_for(scenario, catalog, rounding), "",
                                        rows))
        except PricingError as error:
            priced.append(PricedInvoice(key, None, _reason(error), rows))
    return priced


def minor(amount: Decimal, digits: int) -> int:
    """An amount rounded to its currency as an integer of minor units."""
    return int(amount.scaleb(digits))


def invoice_rows(priced: Sequence[PricedInvoice], digits: Callable[[str], int]
                 ) -> list[tuple[object, ...]]:
    """(customer, channel, currency, subtotal, tax, total) in minor units, per invoice."""
    found: list[tuple[object, ...]] = []
    for item in priced:
        if item.invoice is None:
            continue
        k = digits(item.key[2])
        found.append((*item.key, minor(item.invoice.subtotal, k), minor(item.invoice.tax, k),
                      minor(item.invoice.total, k)))
    return found
