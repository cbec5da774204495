"""`monops rollout` and rule rollout-share on the hand-worked base of tests/app/figures_base
(SPEC section 10). Buckets, worked out with `echo -n ID | sha256sum` (first 16 hex digits,
mod 10,000, / 100): A 559aead08264d579 -> 90.65, B df7e70e5021544f4 -> 24.20,
C 6b23c0d5f35d1b11 -> 44.17."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from monops_lint.app.customers import BaseOptions, impact_of_change
from monops_lint.app.rollout import customer_review, rollout_of_change
from monops_lint.app.workspace import Workspace
from monops_lint.customers import parse_period
from monops_lint.pricing.buckets import bucket_of
from tests.app.figures_repo import figures_repo

D = Decimal
OLD = "      - {id: base, type: recurring, model: flat, amount: {USD: 10.00, EUR: 8.00}}\n"


def _new_version(root: Path, amounts: str, rollout: str = "") -> None:
    """Add a version of `basic` from 2027-05-01 to the working tree."""
    plans = root / "pricing" / "plans.yaml"
    text = plans.read_text(encoding="utf-8")
    assert OLD in text
    version = ("  - effective_from: 2027-05-01\n" + rollout + "    charges:\n"
               f"      - {{id: base, type: recurring, model: flat, amount: {amounts}}}\n")
    plans.write_text(text.replace(OLD, OLD + version, 1), encoding="utf-8")


WAVES = ("    rollout:\n      - {share: 30, from: 2027-05-01}\n"
         "      - {share: 100, from: 2027-06-01}\n")


def test_buckets_of_the_fixture_ids() -> None:
    assert (bucket_of("A"), bucket_of("B"), bucket_of("C")) == (D("90.65"), D("24.2"),
                                                                 D("44.17"))


def test_schedule_worked_by_hand(tmp_path: Path) -> None:
    root = figures_repo(tmp_path / "repo")
    _new_version(root, "{USD: 12.00, EUR: 9.00}", WAVES)
    workspace = Workspace.open(root, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=root / "base")
    per_customer = tmp_path / "waves.csv"
    result = rollout_of_change(workspace, "HEAD", None, options, max_share=D(25),
                               per_customer=per_customer)
    [version] = result.versions
    assert (version.plan, version.effective_from, version.status) == (
        "basic", dt.date(2027, 5, 1), "added")
    assert version.plan_customers == 3 and version.moved_customers == 3
    # B (24.20 < 30) moves in wave 1: S3 bills on the 1st -> 2027-05-01, EUR 8.00 -> 9.00.
    # A (90.65) and C (44.17) in wave 2 (from June 1): S1 bills on the 10th (its start),
    # USD 10.00 -> 12.00; S5 (started 2027-05-11, before June 1) on the 11th, EUR +1.00.
    rows = [(d.day, d.wave, d.customers, d.moved_invoices, d.invoices, d.change)
            for d in version.days]
    assert rows == [
        (dt.date(2027, 5, 1), 1, 1, 1, 2, D("1.25")),   # 1.00 EUR / 0.8; 2 invoices that day
        (dt.date(2027, 6, 10), 2, 1, 1, 1, D("2.00")),  # (A/web/USD also holds S2, on the 1st)
        (dt.date(2027, 6, 11), 2, 1, 1, 1, D("1.25")),
    ]
    assert version.days[0].share_of_day == D("50.000000")
    assert version.days[0].share_of_plan == D("33.333333")  # 1 of 3 customers
    lines = per_customer.read_text(encoding="utf-8").splitlines()
    assert list(csv.reader(lines)) == [
        ["customer_id", "subscription_id", "plan", "version", "wave", "first_invoice"],
        ["A", "S1", "basic", "2027-05-01", "2", "2027-06-10"],
        ["B", "S3", "basic", "2027-05-01", "1", "2027-05-01"],
        ["C", "S5", "basic", "2027-05-01", "2", "2027-06-11"]]
    assert result.invoice_days  # the load of May, shown next to the waves


def test_a_bucket_exactly_at_a_share_waits(tmp_path: Path) -> None:
    # B's bucket is 24.20: a first wave of 24.2 % does not move it (share must be above).
    root = figures_repo(tmp_path / "repo")
    _new_version(root, "{USD: 12.00, EUR: 9.00}", WAVES.replace("share: 30", "share: 24.2"))
    workspace = Workspace.open(root, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=root / "base")
    [version] = rollout_of_change(workspace, "HEAD", None, options, max_share=D(25)).versions
    assert [d.day for d in version.days if d.wave == 1] == []
    assert dt.date(2027, 6, 1) in [d.day for d in version.days]  # B: June 1, wave 2
    waves = WAVES.replace("share: 30", "share: 24.21")
    root2 = figures_repo(tmp_path / "repo2")
    _new_version(root2, "{USD: 12.00, EUR: 9.00}", waves)
    workspace = Workspace.open(root2, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=root2 / "base")
    [version] = rollout_of_change(workspace, "HEAD", None, options, max_share=D(25)).versions
    assert [d.day for d in version.days if d.wave == 1] == [dt.date(2027, 5, 1)]


def test_schedule_total_equals_impact(tmp_path: Path) -> None:
    # Without promotions or usage, one wave of 100 % on the period's first day: the list
    # price changes the schedule adds up are the impact's net revenue change. basic USD
    # 10.00 -> 12.00 (EUR unchanged): S1 +2.00 USD; S3 and S5 (EUR) unchanged.
    root = figures_repo(tmp_path / "repo")
    subs = root / "base" / "subscriptions.csv"
    subs.write_text(subs.read_text(encoding="utf-8").replace(",spring,", ",,"),
                    encoding="utf-8")
    _new_version(root, "{USD: 12.00, EUR: 8.00}")
    workspace = Workspace.open(root, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=root / "base")
    schedule = rollout_of_change(workspace, "HEAD", None, options, max_share=D(25))
    impact = impact_of_change(workspace, "HEAD", None, options, alert_increase=D(10))
    total = sum((d.change for v in schedule.versions for d in v.days), D(0))
    assert total == impact.revenue.change == D("2.00")


def test_rollout_share_fires_and_stays_silent(tmp_path: Path) -> None:
    root = figures_repo(tmp_path / "repo")
    _new_version(root, "{USD: 12.00, EUR: 9.00}", WAVES)
    workspace = Workspace.open(root, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=root / "base")
    _, _, found = customer_review(workspace, "HEAD", None, options, dt.date(2027, 3, 1))
    [finding] = found
    assert finding.rule == "rollout-share" and str(finding.severity) == "warning"
    assert finding.location.path == "pricing/plans.yaml"
    assert "on 2027-06-10 1 of the 1 invoices" in finding.message  # 100 %, the worst day
    assert "% from 2027-05-01" in finding.hint
    config = root / "monops.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "rules: {rollout-share: {max_share: 100}}\n", encoding="utf-8")
    workspace = Workspace.open(root, use_cache=False)
    _, _, found = customer_review(workspace, "HEAD", None, options, dt.date(2027, 3, 1))
    assert found == []  # 100 % is not more than 100 %
