"""``monops metrics``: net revenue, MRR and ARR, ARPU and ARPPU, gross margin, ROAS and the
invoice-day load of one revision's pricing of the base (SPEC section 9), in total and by
channel, product category, plan, campaign, country and segment."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from monops_lint.customers import Period
from monops_lint.engines.sql_outputs import COST_SCALE
from monops_lint.figures.results import DIMENSIONS, Figures, Metrics, Problem, quotient
from monops_lint.figures.sides import Converter, Fetch, Side, amount, problems

INVOICE_LEVEL = {"channel": "channel", "country": "country", "segment": "customer_segment"}
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
ALL = "'*'"


def _keys(column: str | None) -> str:
    return ALL if column is None else f"COALESCE({column}, '')"


class _Sums:
    """Per group and currency: the sums a group's figures are made of."""

    def __init__(self) -> None:
        self.revenue: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self.mrr: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self.cost: dict[str, dict[str, Decimal]] = defaultdict(dict)
        self.customers: dict[str, int] = defaultdict(int)
        self.invoices: dict[str, int] = defaultdict(int)
        self.paying: dict[str, int] = defaultdict(int)

    def keys(self) -> list[str]:
        return sorted(set(self.revenue) | set(self.mrr) | set(self.customers))

    def figures(self, key: str, convert: Converter, spend: Decimal | None = None) -> Figures:
        return Figures(self.customers.get(key, 0), self.invoices.get(key, 0),
                       convert.total(self.revenue.get(key, {})),
                       dict(sorted(self.revenue.get(key, {}).items())),
                       convert.total(self.mrr.get(key, {})),
                       convert.total(self.cost.get(key, {})), self.paying.get(key, 0), spend)


def _revenue(fetch: Fetch, side: Side, sums: _Sums, column: str | None,
             subscription_level: bool) -> None:
    key = _keys(column)
    if subscription_level:
        source = f"""(SELECT s.*, i.total AS invoice_total FROM {side.subscriptions} s
                     JOIN {side.invoices} i ON i.customer_id = s.customer_id
                         AND i.channel = s.channel AND i.currency = s.currency)"""
        revenue = "SUM(x.net)"
        paying = "COUNT(DISTINCT CASE WHEN x.invoice_total > 0 THEN x.customer_id END)"
    else:
        source = side.invoices
        revenue = "SUM(x.total - x.tax)"
        paying = "COUNT(DISTINCT CASE WHEN x.total > 0 THEN x.customer_id END)"
    invoice = "CONCAT(x.customer_id, '|', x.channel, '|', x.currency)"
    for group, currency, digits, value in fetch(
            f"""SELECT {key} AS k, x.currency, MIN(x.digits), {revenue}
                FROM {source} x GROUP BY {key}, x.currency"""):
        sums.revenue[str(group)][str(currency)] = amount(value, digits)
    for group, customers, invoices, payers in fetch(
            f"""SELECT {key} AS k, COUNT(DISTINCT x.customer_id), COUNT(DISTINCT {invoice}),
                       {paying}
                FROM {source} x GROUP BY {key}"""):
        sums.customers[str(group)] = int(str(customers))
        sums.invoices[str(group)] = int(str(invoices))
        sums.paying[str(group)] = int(str(payers))


def _mrr_and_cost(fetch: Fetch, side: Side, sums: _Sums, column: str | None) -> None:
    key = _keys(column)
    for group, currency, digits, months, value in fetch(
            f"""SELECT {key} AS k, x.currency, MIN(x.digits), x.months, SUM(x.mrr_period)
                FROM {side.mrr} x GROUP BY {key}, x.currency, x.months"""):
        share = amount(value, digits) / int(str(months))
        target = sums.mrr[str(group)]
        target[str(currency)] = target.get(str(currency), Decimal(0)) + share
    for group, currency, value in fetch(
            f"""SELECT {key} AS k, x.currency, SUM(c.cost_e18)
                FROM {side.subscriptions} x JOIN {side.costs} c
                    ON c.subscription_id = x.subscription_id
                GROUP BY {key}, x.currency"""):
        sums.cost[str(group)][str(currency)] = Decimal(int(str(value))).scaleb(-COST_SCALE)


def _spend(fetch: Fetch, convert: Converter) -> tuple[dict[str, Decimal], list[Problem]]:
    by_campaign: dict[str, Decimal] = defaultdict(Decimal)
    bad: list[int] = []
    for row_no, campaign, currency, spend in fetch(
            "SELECT row_no, campaign, currency, spend FROM raw_campaigns ORDER BY row_no"):
        text = (spend or "").strip()
        if not campaign or not currency or not _DECIMAL.match(text):
            bad.append(int(str(row_no)))
            continue
        by_campaign[str(campaign).strip()] += convert(Decimal(text), str(currency).strip())
    found = [Problem("campaigns: a row without campaign, currency or a decimal spend",
                     len(bad), tuple(bad[:5]))] if bad else []
    return dict(by_campaign), found


def invoice_days(fetch: Fetch, side: Side) -> dict[int, Decimal]:
    rows = fetch(f"SELECT invoice_day, COUNT(*) FROM {side.invoices} GROUP BY invoice_day")
    total = sum(int(str(count)) for _, count in rows)
    return {int(str(day)): quotient(Decimal(int(str(count))) / total)
            for day, count in sorted(rows, key=lambda r: int(str(r[0])))} if total else {}


def metrics(fetch: Fetch, side: Side, period: Period, convert: Converter, *, engine: str,
            revision: str = "working tree") -> Metrics:
    """The key metrics of ``side`` (one revision's pricing of the base)."""
    spend, spend_problems = _spend(fetch, convert)
    total = _Sums()
    _revenue(fetch, side, total, None, False)
    _mrr_and_cost(fetch, side, total, None)
    by: dict[str, dict[str, Figures]] = {}
    for name in DIMENSIONS:
        sums = _Sums()
        column = INVOICE_LEVEL.get(name, name)
        _revenue(fetch, side, sums, f"x.{column}", name not in INVOICE_LEVEL)
        _mrr_and_cost(fetch, side, sums, f"x.{column}")
        keys: Iterable[str] = sums.keys()
        if name == "campaign":
            keys = sorted((set(keys) | set(spend)) - {""})
        by[name] = {key or "(none)": sums.figures(
            key, convert, spend.get(key, Decimal(0)) if name == "campaign" else None)
            for key in keys}
    return Metrics(period, engine, convert.base_currency, total.figures("*", convert), by,
                   invoice_days(fetch, side), tuple([*problems(fetch, side), *spend_problems]),
                   revision)
