"""Comparing an engine's invoices with the reference engine's, line totals included."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.customers import Period
from monops_lint.engines.reference import price_base
from monops_lint.money import minor_units

Fetch = Any


def write_base(folder: Path, tables: dict[str, list[list[str]]]) -> Path:
    """Each table as NAME.csv in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(rows)
    return folder


def sql_results(fetch: Fetch, prefix: str) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """(invoices by key -> (subtotal, tax, total), subscriptions by id -> (charged,
    true-up, discount)) in minor units, as the SQL engine priced them."""
    invoices = {tuple(row[:3]): tuple(int(v) for v in row[3:]) for row in fetch(
        f"SELECT customer_id, channel, currency, subtotal, tax, total FROM {prefix}m_invoices")}
    priced = {(row[0], row[1], row[2]) for row in invoices}
    subs = {row[0]: tuple(int(v) for v in row[4:]) for row in fetch(
        f"""SELECT subscription_id, customer_id, channel, currency, charged, true_up, discount
            FROM {prefix}m_subscription_totals""") if (row[1], row[2], row[3]) in priced}
    return invoices, subs


def reference_results(fetch: Fetch, prefix: str, catalog: Catalog, period: Period,
                      rounding: str) -> tuple[dict[Any, Any], dict[Any, Any], dict[str, int]]:
    """The same from the reference engine, and its problems by kind."""
    invoices: dict[Any, Any] = {}
    subs: dict[Any, Any] = {}
    problems: dict[str, int] = defaultdict(int)
    ids = defaultdict(list)
    for row in fetch(f"SELECT customer_id, channel, currency, subscription_id FROM "
                     f"{prefix}m_billed ORDER BY subscription_id"):
        ids[(row[0], row[1], row[2])].append(row[3])
    for item in price_base(fetch, prefix, catalog, period, rounding):
        if item.invoice is None:
            problems[item.reason] += len(item.rows)
            continue
        digits = minor_units(item.key[2])
        invoice = item.invoice
        invoices[item.key] = tuple(int(a.scaleb(digits)) for a in
                                   (invoice.subtotal, invoice.tax, invoice.total))
        for index, subscription in enumerate(ids[item.key]):
            lines = [line for line in invoice.lines if line.subscription == index]
            parts = (sum(int(line.amount.scaleb(digits)) for line in lines if line.kind == kind)
                     for kind in ("charge", "true-up", "discount"))
            charged, true_up, discount = parts
            subs[subscription] = (charged, true_up, -discount)
    return invoices, subs, dict(problems)


def sql_problems(fetch: Fetch, prefix: str) -> dict[str, int]:
    """The SQL engine's invoice-level problems by kind (rows counted)."""
    return {str(row[0]): int(row[1]) for row in fetch(
        f"""SELECT problem, MAX(count) FROM {prefix}m_problems
            WHERE problem NOT LIKE '%: %' GROUP BY problem""")}
