"""The figures of ``monops impact`` and ``monops metrics`` as values (SPEC section 9): what
the reporters write in JSON, Markdown, HTML, text or CSV.

Every amount is a ``Decimal``: sums in one currency are exact; figures in
``base_currency`` and every other quotient (ARPU, shares, Δ %, ROAS...) are
rounded half-even to 6 decimals (``QUOTIENT``), once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from monops_lint.customers import Period

QUOTIENT = Decimal("0.000001")
DIMENSIONS = ("channel", "category", "plan", "campaign", "country", "segment")


def quotient(value: Decimal) -> Decimal:
    """A quotient as the figures write it: half-even, 6 decimals."""
    return value.quantize(QUOTIENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Problem:
    """One kind of bad data: how many rows, the first few row numbers."""

    problem: str
    count: int
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Change:
    """Net revenue of a group at the base and the head, in ``base_currency``."""

    invoices: int
    up: int
    down: int
    base: Decimal
    head: Decimal

    @property
    def change(self) -> Decimal:
        """Head minus base."""
        return self.head - self.base

    @property
    def change_pct(self) -> Decimal | None:
        """The change in percent of the base (None when the base is zero)."""
        return None if self.base == 0 else quotient(self.change * 100 / self.base)


@dataclass(frozen=True)
class Distribution:
    """How invoices moved, in percent of their base total (invoices at both sides with a
    base total above zero): nearest-rank percentiles, the extremes, a histogram."""

    p50: Decimal | None
    p90: Decimal | None
    p99: Decimal | None
    max_rise: Decimal | None
    max_fall: Decimal | None
    histogram: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Mover:
    """An invoice that rose more than ``--alert-increase``."""

    customer_id: str
    channel: str
    currency: str
    base_total: Decimal
    head_total: Decimal
    change_pct: Decimal


@dataclass(frozen=True)
class Impact:
    """What a change does to every invoice of the base (``monops impact``)."""

    period: Period
    engine: str
    base_currency: str
    invoices: int
    customers: int
    up: int
    down: int
    unchanged: int
    revenue: Change
    revenue_by_currency: dict[str, tuple[Decimal, Decimal]]
    distribution: Distribution
    alert_increase: Decimal
    alerts: int
    movers: tuple[Mover, ...]
    by: dict[str, dict[str, Change]]
    skipped: tuple[Problem, ...]
    base_label: str = "base"
    head_label: str = "head"
    rising_over: int | None = None
    """With ``--fail-on-share-increase PCT:SHARE``: how many invoices rise more than PCT %."""


@dataclass(frozen=True)
class Figures:
    """The key metrics of a group (SPEC section 9); amounts in ``base_currency``."""

    customers: int
    invoices: int
    revenue: Decimal
    revenue_by_currency: dict[str, Decimal]
    mrr: Decimal
    cost: Decimal
    paying: int = 0
    spend: Decimal | None = None

    @property
    def arr(self) -> Decimal:
        """12 × MRR."""
        return 12 * self.mrr

    @property
    def arpu(self) -> Decimal | None:
        """Net revenue per customer with an invoice."""
        return None if not self.customers else quotient(self.revenue / self.customers)

    @property
    def arppu(self) -> Decimal | None:
        """Net revenue per customer whose invoice is above zero."""
        return None if not self.paying else quotient(self.revenue / self.paying)

    @property
    def margin(self) -> Decimal:
        """Net revenue less cost."""
        return self.revenue - self.cost

    @property
    def margin_pct(self) -> Decimal | None:
        """The margin in percent of net revenue."""
        return None if self.revenue == 0 else quotient(self.margin * 100 / self.revenue)

    @property
    def roas(self) -> Decimal | None:
        """Net revenue per unit of campaign spend (campaigns only)."""
        return None if not self.spend else quotient(self.revenue / self.spend)


@dataclass(frozen=True)
class Metrics:
    """The business's key metrics for one revision (``monops metrics``)."""

    period: Period
    engine: str
    base_currency: str
    total: Figures
    by: dict[str, dict[str, Figures]]
    invoice_days: dict[int, Decimal]
    skipped: tuple[Problem, ...]
    revision: str = "working tree"
    notes: tuple[str, ...] = field(default=())

    @property
    def busiest_day(self) -> Decimal:
        """The largest share of invoices on one bill-cycle day."""
        return max(self.invoice_days.values(), default=Decimal(0))
