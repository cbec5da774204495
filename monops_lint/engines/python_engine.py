"""The reference engine as a customer-base engine (``--engine python``): the rows read and
checked by DuckDB exactly as the SQL engines check them, each invoice priced by
``pricing.invoice_for``, and the results kept in DuckDB tables the figures read."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.customers import CustomerBase, Period
from monops_lint.engines.compiled import TAX_SCALE, compile_catalog
from monops_lint.engines.duckdb_engine import DuckDBEngine
from monops_lint.engines.reference import PricedInvoice, price_base
from monops_lint.engines.relations import Side
from monops_lint.money import minor_units, quantize


def _minor(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(minor_units(currency)))


class PythonEngine:
    """``--engine python``: slow, exact by construction; the SQL engines are checked by it."""

    def __init__(self, base: CustomerBase) -> None:
        self.sql = DuckDBEngine(base, threads=1)
        self.dialect = self.sql.dialect

    def price(self, prefix: str, catalog: Catalog, config: Config, period: Period) -> Side:
        """Check the rows with the SQL views, price every invoice with the reference engine,
        and keep the results as ``prefix + r_invoices`` and ``r_subscription_net``."""
        compiled = compile_catalog(catalog, config)
        self.sql.price_compiled(prefix, compiled, period)
        priced = price_base(self.sql.fetch, prefix, catalog, period, config.rounding)
        self._store(prefix, catalog, priced, config.rounding)
        self._store_problems(prefix, priced)
        return Side(prefix, f"{prefix}r_invoices", f"{prefix}r_subscription_net",
                    f"{prefix}r_problems")

    def _store(self, prefix: str, catalog: Catalog, priced: Sequence[PricedInvoice],
               rounding: str) -> None:
        facts = {row[0]: row[1:] for row in self.sql.fetch(
            f"""SELECT subscription_id, country, customer_segment, bill_cycle_day, tax_u,
                       tax_inclusive, product, category, promotion, quantity_u, plan
                FROM {prefix}m_billed ORDER BY subscription_id""")}
        ids: dict[tuple[str, str, str], list[str]] = {}
        for row in self.sql.fetch(f"SELECT customer_id, channel, currency, subscription_id "
                                  f"FROM {prefix}m_billed ORDER BY subscription_id"):
            ids.setdefault((row[0], row[1], row[2]), []).append(row[3])
        invoices: list[tuple[Any, ...]] = []
        subscriptions: list[tuple[Any, ...]] = []
        for item in priced:
            invoice = item.invoice
            if invoice is None:
                continue
            customer, channel, currency = item.key
            members = ids[item.key]
            first = facts[members[0]]
            digits = minor_units(currency)
            invoices.append((customer, channel, currency, digits,
                             _minor(invoice.subtotal, currency), _minor(invoice.tax, currency),
                             _minor(invoice.total, currency), first[0], first[1],
                             min(int(facts[m][2]) for m in members)))
            rate = Decimal(int(first[3])).scaleb(-TAX_SCALE)
            for index, subscription in enumerate(members):
                fact = facts[subscription]
                gross = sum((line.amount for line in invoice.lines
                             if line.subscription == index), Decimal(0))
                net = gross
                if fact[4]:  # tax inclusive: less the tax these lines hold
                    net = gross - quantize(gross * rate / (100 + rate), currency, rounding)
                promotion = catalog.promotions.get(fact[7] or "")
                subscriptions.append((
                    subscription, customer, channel, currency, digits, fact[9],
                    fact[6], fact[5], promotion.campaign if promotion else "", fact[0], fact[1],
                    int(fact[8]), _minor(gross, currency), _minor(net, currency)))
        self._table(f"{prefix}r_invoices", (
            "customer_id VARCHAR, channel VARCHAR, currency VARCHAR, digits INTEGER, "
            "subtotal HUGEINT, tax HUGEINT, total HUGEINT, country VARCHAR, "
            "customer_segment VARCHAR, invoice_day INTEGER"), invoices)
        self._table(f"{prefix}r_subscription_net", (
            "subscription_id VARCHAR, customer_id VARCHAR, channel VARCHAR, currency VARCHAR, "
            "digits INTEGER, plan VARCHAR, category VARCHAR, product VARCHAR, "
            "campaign VARCHAR, country VARCHAR, customer_segment VARCHAR, quantity_u HUGEINT, "
            "gross HUGEINT, net HUGEINT"), subscriptions)

    def _store_problems(self, prefix: str, priced: Sequence[PricedInvoice]) -> None:
        """The invoices the reference engine could not price replace the SQL's own list of
        them in ``prefix + m_problems`` (the row checks are shared)."""
        rows = [(item.reason, row) for item in priced if item.invoice is None
                for row in item.rows]
        self._table(f"{prefix}r_invoice_problems", "problem VARCHAR, row_no BIGINT", rows)
        self.sql.db.execute(f"""CREATE OR REPLACE VIEW {prefix}r_problems AS
            SELECT problem, row_no, COUNT(*) OVER (PARTITION BY problem) AS count,
                   ROW_NUMBER() OVER (PARTITION BY problem ORDER BY row_no) AS rank
            FROM (SELECT problem, row_no FROM {prefix}m_problems WHERE problem LIKE '%: %'
                  UNION ALL SELECT problem, row_no FROM {prefix}r_invoice_problems) p""")

    def _table(self, name: str, columns: str, rows: Sequence[tuple[Any, ...]]) -> None:
        self.sql.db.execute(f"CREATE OR REPLACE TABLE {name} ({columns})")
        if rows:
            marks = ", ".join("?" for _ in columns.split(","))
            self.sql.db.executemany(f"INSERT INTO {name} VALUES ({marks})",
                                    [list(row) for row in rows])

    def fetch(self, query: str) -> list[tuple[Any, ...]]:
        """The rows of ``query``."""
        return self.sql.fetch(query)

    def export(self, query: str, path: Path, fmt: str) -> None:
        """See ``DuckDBEngine.export``."""
        self.sql.export(query, path, fmt)

    def close(self) -> None:
        """Release the connection."""
        self.sql.close()
