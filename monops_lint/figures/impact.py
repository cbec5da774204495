"""``monops impact``: every invoice of the base at BASE and at HEAD, compared (SPEC section 9).

The comparisons run in the engine (SQL written once: sums, counts, each
invoice's change in percent as an exact integer of millionths); only the
per-currency totals come back, to be converted to ``base_currency`` once
each.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from monops_lint.customers import Period
from monops_lint.engines.dialect import Dialect
from monops_lint.figures.results import (
    Change,
    Distribution,
    Impact,
    Mover,
    Problem,
    quotient,
)
from monops_lint.figures.sides import Converter, Fetch, Side, amount, problems

HISTOGRAM = ((None, -10), (-10, -5), (-5, -1), (-1, 0), (0, 0), (0, 1), (1, 5), (5, 10),
             (10, 20), (20, None))
"""Buckets of Δ % (low exclusive, high inclusive; (0, 0) is "unchanged")."""

MILLION = 1_000_000
INVOICE_DIMENSIONS = {"channel": "channel", "country": "country", "segment": "customer_segment"}
SUBSCRIPTION_DIMENSIONS = {"plan": "plan", "category": "category", "campaign": "campaign"}


def _bucket(low: int | None, high: int | None) -> str:
    """The condition on ``pct`` (millionths of a percent) of a histogram bucket."""
    if low == high == 0:
        return "pct = 0"
    above = "TRUE" if low is None else f"pct > {low * MILLION}"
    below = "TRUE" if high is None else (
        "pct < 0" if high == 0 else f"pct <= {high * MILLION}")
    return f"({above} AND {below})"


def _label(low: int | None, high: int | None) -> str:
    if low == high == 0:
        return "0"
    if low is None:
        return f"<= {high} %"
    if high is None:
        return f"> {low} %"
    return f"{low} % to {high} %"


class ImpactSQL:
    """The queries of one comparison."""

    def __init__(self, dialect: Dialect, base: Side, head: Side) -> None:
        self.d = dialect
        self.base, self.head = base, head

    def pairs(self) -> str:
        """Every invoice at either side, its totals and nets (NULL where it is not)."""
        return f"""(SELECT COALESCE(b.customer_id, h.customer_id) AS customer_id,
                   COALESCE(b.channel, h.channel) AS channel,
                   COALESCE(b.currency, h.currency) AS currency,
                   COALESCE(b.digits, h.digits) AS digits,
                   COALESCE(b.country, h.country) AS country,
                   COALESCE(b.customer_segment, h.customer_segment) AS customer_segment,
                   b.total AS bt, h.total AS ht, b.total - b.tax AS bn, h.total - h.tax AS hn
            FROM {self.base.invoices} b
            FULL OUTER JOIN {self.head.invoices} h ON h.customer_id = b.customer_id
                AND h.channel = b.channel AND h.currency = b.currency)"""

    def percent(self) -> str:
        """Each invoice's change of total in millionths of a percent (exact, half-even)."""
        change = self.d.round_div(f"(p.ht - p.bt) * 100 * {MILLION}", "p.bt", "half_even")
        return f"""(SELECT p.*, {change} AS pct
            FROM {self.pairs()} p WHERE p.bt > 0 AND p.ht IS NOT NULL)"""

    def subscription_pairs(self) -> str:
        """Every subscription's part of its invoice's net revenue at either side."""
        return f"""(SELECT COALESCE(b.plan, h.plan) AS plan,
                   COALESCE(b.category, h.category) AS category,
                   COALESCE(b.campaign, h.campaign) AS campaign,
                   COALESCE(b.currency, h.currency) AS currency,
                   COALESCE(b.digits, h.digits) AS digits,
                   CONCAT(COALESCE(b.customer_id, h.customer_id), '|',
                          COALESCE(b.channel, h.channel), '|',
                          COALESCE(b.currency, h.currency)) AS invoice,
                   b.net AS bn, h.net AS hn
            FROM {self.base.subscriptions} b
            FULL OUTER JOIN {self.head.subscriptions} h
                ON h.subscription_id = b.subscription_id)"""


def _by(fetch: Fetch, source: str, column: str, convert: Converter,
        invoice: str = "1") -> dict[str, Change]:
    rows = fetch(f"""SELECT COALESCE({column}, '') AS k, currency, MIN(digits),
                            COUNT(DISTINCT {invoice}) AS invoices,
                            SUM(CASE WHEN COALESCE(hn, 0) > COALESCE(bn, 0) THEN 1 ELSE 0 END),
                            SUM(CASE WHEN COALESCE(hn, 0) < COALESCE(bn, 0) THEN 1 ELSE 0 END),
                            SUM(COALESCE(bn, 0)), SUM(COALESCE(hn, 0))
                     FROM {source} x GROUP BY COALESCE({column}, ''), currency""")
    groups: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        groups[str(row[0])].append(row)
    found = {}
    for key, parts in sorted(groups.items()):
        base = convert.total({str(p[1]): amount(p[6], p[2]) for p in parts})
        head = convert.total({str(p[1]): amount(p[7], p[2]) for p in parts})
        found[key or "(none)"] = Change(sum(int(str(p[3])) for p in parts),
                                        sum(int(str(p[4])) for p in parts),
                                        sum(int(str(p[5])) for p in parts), base, head)
    return found


def _distribution(fetch: Fetch, sql: ImpactSQL) -> Distribution:
    source = sql.percent()
    [(n, rise, fall)] = fetch(f"""SELECT COUNT(*), MAX(CASE WHEN pct > 0 THEN pct END),
                                         MIN(CASE WHEN pct < 0 THEN pct END)
                                  FROM {source} x""")
    count = int(str(n))

    def pct(value: object) -> Decimal | None:
        return None if value is None else Decimal(int(str(value))).scaleb(-6)

    ranks = {name: -(-count * share // 100) for name, share in (("p50", 50), ("p90", 90),
                                                                 ("p99", 99))}
    picked: dict[int, Decimal | None] = {}
    if count:
        wanted = ", ".join(str(r) for r in sorted(set(ranks.values())))
        for rank, value in fetch(f"""SELECT r, pct FROM (
                SELECT pct, ROW_NUMBER() OVER (ORDER BY pct) AS r FROM {source} x) y
                WHERE r IN ({wanted})"""):
            picked[int(str(rank))] = pct(value)
    cases = " ".join(f"WHEN {_bucket(low, high)} THEN {i}"
                     for i, (low, high) in enumerate(HISTOGRAM))
    counts = dict.fromkeys(range(len(HISTOGRAM)), 0)
    for bucket, number in fetch(f"SELECT CASE {cases} END AS b, COUNT(*) FROM {source} x "
                                "GROUP BY CASE " + cases + " END"):
        if bucket is not None:
            counts[int(str(bucket))] = int(str(number))
    return Distribution(picked.get(ranks["p50"]), picked.get(ranks["p90"]),
                        picked.get(ranks["p99"]), pct(rise), pct(fall),
                        tuple((_label(*HISTOGRAM[i]), counts[i]) for i in counts))


def impact(fetch: Fetch, dialect: Dialect, base: Side, head: Side, period: Period,
           convert: Converter, *, engine: str, alert_increase: Decimal,
           show_customers: bool = False, labels: tuple[str, str] = ("base", "head"),
           share_rise: Decimal | None = None) -> Impact:
    """Every invoice at ``base`` and ``head`` compared."""
    sql = ImpactSQL(dialect, base, head)
    pairs = sql.pairs()
    [(invoices, customers, up, down, same)] = fetch(f"""SELECT COUNT(*),
            COUNT(DISTINCT customer_id),
            SUM(CASE WHEN COALESCE(ht, 0) > COALESCE(bt, 0) THEN 1 ELSE 0 END),
            SUM(CASE WHEN COALESCE(ht, 0) < COALESCE(bt, 0) THEN 1 ELSE 0 END),
            SUM(CASE WHEN COALESCE(ht, 0) = COALESCE(bt, 0) THEN 1 ELSE 0 END)
        FROM {pairs} p""")
    by_currency: dict[str, tuple[Decimal, Decimal]] = {}
    for currency, digits, b, h in fetch(f"""SELECT currency, MIN(digits), SUM(COALESCE(bn, 0)),
                                               SUM(COALESCE(hn, 0))
                                        FROM {pairs} p GROUP BY currency ORDER BY currency"""):
        by_currency[str(currency)] = (amount(b, digits), amount(h, digits))
    revenue = Change(int(str(invoices)), int(str(up or 0)), int(str(down or 0)),
                     convert.total({c: v[0] for c, v in by_currency.items()}),
                     convert.total({c: v[1] for c, v in by_currency.items()}))
    threshold = int(alert_increase * MILLION)
    [(alerts,)] = fetch(f"SELECT COUNT(*) FROM {sql.percent()} x WHERE pct > {threshold}")
    rising_over = None
    if share_rise is not None:
        [(over,)] = fetch(f"SELECT COUNT(*) FROM {sql.percent()} x "
                          f"WHERE pct > {int(share_rise * MILLION)}")
        rising_over = int(str(over))
    movers: list[Mover] = []
    if show_customers:
        for row in fetch(f"""SELECT customer_id, channel, currency, digits, bt, ht, pct
                             FROM {sql.percent()} x WHERE pct > {threshold}
                             ORDER BY pct DESC, customer_id LIMIT 50"""):
            movers.append(Mover(str(row[0]), str(row[1]), str(row[2]), amount(row[4], row[3]),
                                amount(row[5], row[3]), Decimal(int(str(row[6]))).scaleb(-6)))
    by: dict[str, dict[str, Change]] = {}
    for name, column in INVOICE_DIMENSIONS.items():
        by[name] = _by(fetch, pairs, column, convert,
                       "CONCAT(customer_id, '|', channel, '|', currency)")
    for name, column in SUBSCRIPTION_DIMENSIONS.items():
        by[name] = _by(fetch, sql.subscription_pairs(), column, convert, "invoice")
    skipped = _merged(problems(fetch, base), problems(fetch, head), labels)
    return Impact(period, engine, convert.base_currency, int(str(invoices)),
                  int(str(customers)), int(str(up or 0)), int(str(down or 0)),
                  int(str(same or 0)), revenue, by_currency, _distribution(fetch, sql),
                  quotient(alert_increase), int(str(alerts)), tuple(movers),
                  {name: by[name] for name in ("channel", "category", "plan", "campaign",
                                               "country", "segment")},
                  tuple(skipped), *labels, rising_over)


def _merged(base: list[Problem], head: list[Problem],
            labels: tuple[str, str]) -> list[Problem]:
    """The base's problems, and the head's where they differ (named for the head)."""
    found = list(base)
    for problem in head:
        if problem not in base:
            found.append(Problem(f"{problem.problem} (at {labels[1]})", problem.count,
                                 problem.rows))
    return found
