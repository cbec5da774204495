"""`monops metrics` and `monops impact` figures on a five-subscription base worked out by
hand (tests/app/figures_base: its catalog, its base), on the embedded and the reference
engine.

The period is May 2027 (31 days); 1 USD = 0.8 EUR (monops.yaml), so EUR x / 0.8 in USD.
  S1  A web  USD basic 10.00, promotion spring 10 % off -> 10.00 - 1.00 = 9.00; day 10
  S2  A web  USD tv-monthly, flat 5.00 (a flat charge ignores quantity 2) -> 5.00; day 1
      invoice A/web/USD = 14.00 (invoice day: the earliest of its subscriptions, 1)
  S3  B shop EUR basic 8.00, tax-inclusive at 20 %: tax 8.00 x 20/120 = 1.333 -> 1.33;
      net 6.67 EUR; day 1
  S4  C web  USD pro, quarterly 30.00; a quarter begins 2027-05-15 -> 30.00; day 15
  S5  C web  EUR basic from 2027-05-11: 21 of 31 days, 8.00 x 21/31 = 5.419 -> 5.42; day 11
Net revenue: USD 9 + 5 + 30 = 44.00; EUR 6.67 + 5.42 = 12.09 -> 15.1125 USD; 59.1125 USD.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from monops_lint.app.customers import BaseOptions, figures_of, impact_of_change
from monops_lint.app.workspace import Workspace
from monops_lint.customers import parse_period
from monops_lint.figures.results import quotient
from tests.app.figures_repo import figures_repo, raise_basic

ROOT = Path(__file__).parent / "figures_base"
D = Decimal


def _metrics(engine: str):  # type: ignore[no-untyped-def]
    workspace = Workspace.open(ROOT, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=ROOT / "base", engine=engine)
    return figures_of(workspace, None, options)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_metrics_worked_by_hand(engine: str) -> None:
    result = _metrics(engine)
    total = result.total
    assert (total.customers, total.invoices, total.paying) == (3, 4, 3)
    assert total.revenue_by_currency == {"USD": D("44.00"), "EUR": D("12.09")}
    assert total.revenue == D("59.1125")
    assert total.arpu == D("19.704167")   # 59.1125 / 3 = 19.7041666...
    assert total.arppu == D("19.704167")  # every invoice is above zero
    # MRR on 2027-05-31: S1 9.00 (promotion running) + S2 5.00 + S4 30.00 / 3 = 24.00 USD;
    # S3 8.00 less its 1.33 tax + S5 8.00 (whole period, no proration) = 14.67 EUR
    # = 18.3375 USD; 42.3375 USD in all, ARR 12 x = 508.05.
    assert total.mrr == D("42.3375")
    assert total.arr == D("508.0500")
    # Cost: cloud 2.00 USD / 1.60 EUR per month and unit, tv 1.00 USD: S1 2.00, S2 1.00 x 2
    # = 2.00, S4 2.00 x 3 months = 6.00 (USD 10.00); S3 1.60, S5 1.60 x 21/31 = 1.0838709...
    # EUR (2.6838709... EUR = 3.3548387... USD): 13.3548387... USD.
    assert quotient(total.cost) == D("13.354839")
    # Margin 59.1125 - 13.3548387... = 45.7576612...; 45.7576612... / 59.1125 = 77.407758...%
    assert quotient(total.margin) == D("45.757661")
    assert total.margin_pct == D("77.407759")
    channels = result.by["channel"]
    assert set(channels) == {"web", "shop"}
    assert channels["shop"].revenue == D("8.3375")       # 6.67 EUR / 0.8
    assert channels["web"].revenue == D("50.775")        # 44.00 + 5.42 / 0.8 = 44 + 6.775
    assert channels["web"].invoices == 3
    assert result.by["category"]["media"].revenue == D("5.00")   # S2 only
    assert result.by["plan"]["pro"].mrr == D("10.00")            # 30.00 a quarter / 3
    spring = result.by["campaign"]["spring-2027"]
    assert spring.revenue == D("9.00") and spring.spend == D("4.50")
    assert spring.roas == D("2.000000")                           # 9.00 / 4.50
    assert result.by["segment"]["smb"].customers == 2
    # Invoice days: A/web/USD 1, B/shop/EUR 1, C/web/USD 15, C/web/EUR 11 -> 2/4, 1/4, 1/4.
    assert result.invoice_days == {1: D("0.5"), 11: D("0.25"), 15: D("0.25")}
    assert result.busiest_day == D("0.5")
    assert result.skipped == ()


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_impact_worked_by_hand(tmp_path: Path, engine: str) -> None:
    root = figures_repo(tmp_path / "repo")
    raise_basic(root)  # basic in USD 10.00 -> 12.00; in EUR unchanged
    workspace = Workspace.open(root, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=root / "base", engine=engine)
    result = impact_of_change(workspace, "HEAD", None, options, alert_increase=D(10),
                              show_customers=True, share_rise=D(5))
    # Only S1 moves: 12.00 - 10 % = 10.80 (was 9.00), so invoice A/web/USD 14.00 -> 15.80.
    assert (result.invoices, result.customers) == (4, 3)
    assert (result.up, result.down, result.unchanged) == (1, 0, 3)
    assert result.revenue.base == D("59.1125")
    assert result.revenue.head == D("60.9125")           # + 1.80
    assert result.revenue.change_pct == D("3.045041")     # 1.80 / 59.1125 = 3.0450412...%
    assert result.revenue_by_currency["USD"] == (D("44.00"), D("45.80"))
    assert result.revenue_by_currency["EUR"] == (D("12.09"), D("12.09"))
    # Δ % per invoice, sorted: 0, 0, 0, 12.857142... (1.80 / 14.00); nearest rank: p50 is
    # the 2nd (0), p90 and p99 the 4th.
    dist = result.distribution
    assert dist.p50 == D("0") and dist.p90 == D("12.857143") and dist.p99 == D("12.857143")
    assert dist.max_rise == D("12.857143") and dist.max_fall is None
    assert result.alerts == 1 and result.rising_over == 1
    assert [(m.customer_id, m.head_total) for m in result.movers] == [("A", D("15.80"))]
    basic = result.by["plan"]["basic"]
    assert (basic.base, basic.head, basic.up) == (D("24.1125"), D("25.9125"), 1)
    assert result.by["plan"]["pro"].change == 0
    assert result.by["channel"]["shop"].change == 0
    assert result.skipped == ()


def test_impact_hides_customers_unless_asked(tmp_path: Path) -> None:
    root = figures_repo(tmp_path / "repo")
    raise_basic(root)
    workspace = Workspace.open(root, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=root / "base")
    result = impact_of_change(workspace, "HEAD", None, options, alert_increase=D(10))
    assert result.alerts == 1 and result.movers == ()
