"""The diff-only rules (history-rewrite, notice-period, id-reuse), base catalog vs head catalog.

Each case writes a small base and head catalog, loads both through the core
API and runs the ``diff`` phase of the rules, as ``monops diff`` does. Today
is 2026-11-25, so the default 30-day notice ends on 2026-12-25.

Line numbers are counted in the YAML written here: in ``plan_yaml`` the
document's lines are 1 kind, 2 id, 3 name, 4 product, 5 billing_period,
6 versions:, then each ``version`` takes 6 lines (effective_from, charges:,
`- id: base`, type, model, `amount: {USD: …}`) plus any extra lines given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.findings import Finding
from monops_lint.lint import run_rules

TODAY = dt.date(2026, 11, 25)
CONFIG = "paths: [catalog, pricing]\nbase_currency: USD\n"

MakeCatalog = Callable[..., Path]


def product_yaml(product_id: str = "storage", name: str = "Storage", unit: str = "GB",
                 category: str = "cloud", status: str = "active") -> str:
    return f"""\
kind: product
id: {product_id}
name: {name}
description: {name}, for the diff rule tests.
category: {category}
unit: {unit}
status: {status}
available_from: 2025-01-01
tax_code: SAAS-STD
"""


def version(day: str, usd: str, extra: str = "") -> str:
    """One version: 6 lines (effective_from, charges, id, type, model, amount), + ``extra``."""
    return f"""\
  - effective_from: {day}
    charges:
      - id: base
        type: recurring
        model: flat
        amount: {{USD: {usd}}}
{extra}"""


FEE = """\
      - id: network-fee
        type: recurring
        model: flat
        amount: {USD: 2.00}
"""


def plan_yaml(*versions: str, plan_id: str = "storage-standard", product: str = "storage",
              billing_period: str = "month", name: str = "Storage Standard") -> str:
    return f"""\
kind: plan
id: {plan_id}
name: {name}
product: {product}
billing_period: {billing_period}
versions:
{"".join(versions)}"""


def diff_findings(catalog_dir: MakeCatalog, base: Mapping[str, str], head: Mapping[str, str],
                  rule: str, config: str = CONFIG) -> list[Finding]:
    """The findings of ``rule`` for the change from ``base`` to ``head`` (diff phase only)."""
    base_catalog = Workspace.open(catalog_dir(base, config)).catalog()
    workspace = Workspace.open(catalog_dir(head, config))
    findings = run_rules(workspace.catalog(), workspace.config, TODAY, ("diff",), base_catalog)
    return [f for f in findings if f.rule == rule]


def where(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.location.path, f.location.line, f.location.column) for f in findings]


def plans(*versions: str, **fields: str) -> dict[str, str]:
    return {"catalog/products.yaml": product_yaml(),
            "pricing/plan.yaml": plan_yaml(*versions, **fields)}


# --- history-rewrite ------------------------------------------------------------------------

def test_history_rewrite_edit_of_a_version_in_effect(catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "42.00"))
    findings = diff_findings(catalog_dir, base, head, "history-rewrite")
    # The amount: line 7 effective_from … line 12 `        amount: {USD: 42.00}`;
    # column 23 (8 spaces + `amount: {` + `USD: ` = 22 characters before it).
    assert where(findings) == [("pricing/plan.yaml", 12, 23)]
    assert "USD 40.00 → USD 42.00" in findings[0].message
    assert "2026-01-01" in findings[0].message
    assert str(findings[0].severity) == "error"


def test_history_rewrite_a_version_effective_today_is_in_effect(
        catalog_dir: MakeCatalog) -> None:
    # effective_from == today: customers are billed by it from today on.
    base = plans(version("2025-01-01", "40.00"), version("2026-11-25", "41.00"))
    head = plans(version("2025-01-01", "40.00"), version("2026-11-25", "43.00"))
    # The second version starts on line 13; its amount is line 18.
    assert where(diff_findings(catalog_dir, base, head, "history-rewrite")) == [
        ("pricing/plan.yaml", 18, 23)]


def test_history_rewrite_edit_of_a_future_version_is_fine(catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"), version("2027-02-01", "42.00"))
    head = plans(version("2026-01-01", "40.00"), version("2027-02-01", "44.00"))
    assert diff_findings(catalog_dir, base, head, "history-rewrite") == []


def test_history_rewrite_deleting_a_version_in_effect(catalog_dir: MakeCatalog) -> None:
    # The 2025 version is superseded, but it was in effect (customers were billed by it).
    base = plans(version("2025-01-01", "38.00"), version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "40.00"))
    findings = diff_findings(catalog_dir, base, head, "history-rewrite")
    # Reported at the head's `versions:` list (line 6), whose value starts on line 7, col 3.
    assert where(findings) == [("pricing/plan.yaml", 7, 3)]
    assert "2025-01-01" in findings[0].message and "deleted" in findings[0].message


def test_history_rewrite_deleting_a_future_version_is_fine(catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"), version("2027-02-01", "42.00"))
    head = plans(version("2026-01-01", "40.00"))
    assert diff_findings(catalog_dir, base, head, "history-rewrite") == []


def test_history_rewrite_new_plan_and_untouched_plan_are_fine(catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"))
    head = {**base, "pricing/other.yaml": plan_yaml(version("2025-01-01", "9.00"),
                                                    plan_id="storage-mini", name="Mini")}
    assert diff_findings(catalog_dir, base, head, "history-rewrite") == []


# --- notice-period --------------------------------------------------------------------------

def test_notice_period_rise_within_notice(catalog_dir: MakeCatalog) -> None:
    # 2026-12-05 is 10 days after today; the earliest allowed day is 2026-12-25.
    base = plans(version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "40.00"), version("2026-12-05", "42.00"))
    findings = diff_findings(catalog_dir, base, head, "notice-period")
    # The new version's effective_from: line 13, column 21 (`  - effective_from: `).
    assert where(findings) == [("pricing/plan.yaml", 13, 21)]
    # (42.00 − 40.00) / 40.00 = +5.0 %
    assert "USD 40.00 → USD 42.00 (+5.0 %)" in findings[0].message
    assert "10 day(s)" in findings[0].message
    assert "2026-12-25" in findings[0].hint


def test_notice_period_decrease_is_fine(catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "40.00"), version("2026-12-05", "38.00"))
    assert diff_findings(catalog_dir, base, head, "notice-period") == []


def test_notice_period_new_plan_has_no_subscribers(catalog_dir: MakeCatalog) -> None:
    # A new plan whose second version rises in 10 days: nobody subscribes to it yet.
    base = {"catalog/products.yaml": product_yaml()}
    head = plans(version("2026-11-01", "40.00"), version("2026-12-05", "42.00"))
    assert diff_findings(catalog_dir, base, head, "notice-period") == []


@pytest.mark.parametrize("day, reported", [
    # The docstring: reported when the version "takes effect fewer than `days` (default
    # 30) after today". 2026-11-25 + 30 days = 2026-12-25: exactly 30 days is enough
    # notice; 2026-12-24 is 29 days, fewer than 30.
    ("2026-12-24", True),
    ("2026-12-25", False),
    ("2026-12-26", False),
])
def test_notice_period_boundary(catalog_dir: MakeCatalog, day: str, reported: bool) -> None:
    base = plans(version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "40.00"), version(day, "42.00"))
    findings = diff_findings(catalog_dir, base, head, "notice-period")
    assert bool(findings) is reported
    if reported:
        assert "29 day(s)" in findings[0].message


def test_notice_period_days_from_the_config(catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "40.00"), version("2027-01-15", "42.00"))
    # 2027-01-15 is 51 days ahead: fine with 30 days' notice, too soon with 60.
    assert diff_findings(catalog_dir, base, head, "notice-period") == []
    sixty = CONFIG + "rules:\n  notice-period: {days: 60}\n"
    findings = diff_findings(catalog_dir, base, head, "notice-period", sixty)
    assert len(findings) == 1
    assert "51 day(s)" in findings[0].message and "60 days" in findings[0].message
    # 2026-11-25 + 60 days = 2027-01-24.
    assert "2027-01-24" in findings[0].hint


def test_notice_period_a_new_charge_is_a_rise(catalog_dir: MakeCatalog) -> None:
    # A network fee added to every subscription in 10 days: existing subscribers pay more,
    # as surely as when an amount rises.
    base = plans(version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "40.00"), version("2026-12-05", "40.00", FEE))
    findings = diff_findings(catalog_dir, base, head, "notice-period")
    assert where(findings) == [("pricing/plan.yaml", 13, 21)]
    assert "network-fee" in findings[0].message


def test_notice_period_editing_an_announced_rise_without_raising_it(
        catalog_dir: MakeCatalog) -> None:
    # The rise to 42.00 on 2026-12-10 is already in the base (announced before); the
    # change adds a fee-free edit to that version (its description). Nothing new rises.
    base = plans(version("2026-01-01", "40.00"), version("2026-12-10", "42.00"))
    head = plans(version("2026-01-01", "40.00"),
                 version("2026-12-10", "42.00", "        description: Storage fee\n"))
    assert diff_findings(catalog_dir, base, head, "notice-period") == []
    # Raising the announced rise further is a new rise, within notice.
    higher = plans(version("2026-01-01", "40.00"), version("2026-12-10", "44.00"))
    findings = diff_findings(catalog_dir, base, higher, "notice-period")
    assert where(findings) == [("pricing/plan.yaml", 13, 21)]
    assert "USD 40.00 → USD 44.00" in findings[0].message


def test_notice_period_leaves_versions_in_effect_to_history_rewrite(
        catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"), version("2026-11-01", "41.00"))
    head = plans(version("2026-01-01", "40.00"), version("2026-11-01", "45.00"))
    assert diff_findings(catalog_dir, base, head, "notice-period") == []
    assert len(diff_findings(catalog_dir, base, head, "history-rewrite")) == 1


# --- id-reuse -------------------------------------------------------------------------------

TWO_PRODUCTS = product_yaml() + "---\n" + product_yaml("backup", "Backup", "device")


def test_id_reuse_plan_now_sells_another_product(catalog_dir: MakeCatalog) -> None:
    base = {"catalog/products.yaml": TWO_PRODUCTS,
            "pricing/plan.yaml": plan_yaml(version("2026-01-01", "40.00"))}
    head = {"catalog/products.yaml": TWO_PRODUCTS,
            "pricing/plan.yaml": plan_yaml(version("2026-01-01", "40.00"), product="backup")}
    findings = diff_findings(catalog_dir, base, head, "id-reuse")
    # `product: backup` is line 4; the value starts at column 10.
    assert where(findings) == [("pricing/plan.yaml", 4, 10)]
    assert "storage-standard" in findings[0].message
    assert "storage → backup" in findings[0].message


def test_id_reuse_plan_now_billed_over_another_period(catalog_dir: MakeCatalog) -> None:
    base = plans(version("2026-01-01", "40.00"))
    head = plans(version("2026-01-01", "400.00"), billing_period="year")
    findings = diff_findings(catalog_dir, base, head, "id-reuse")
    # `billing_period: year` is line 5, value at column 17.
    assert where(findings) == [("pricing/plan.yaml", 5, 17)]


def test_id_reuse_retired_product_brought_back_as_something_else(
        catalog_dir: MakeCatalog) -> None:
    base = {"catalog/products.yaml": product_yaml("fax", "Fax Line", "line", "telecom",
                                                  status="retired")}
    head = {"catalog/products.yaml": product_yaml("fax", "Cloud Fax", "page", "cloud")}
    findings = diff_findings(catalog_dir, base, head, "id-reuse")
    # The first field that differs is `name: Cloud Fax`: line 3, column 7.
    assert where(findings) == [("catalog/products.yaml", 3, 7)]
    assert "retired" in findings[0].message
    assert "Fax Line → Cloud Fax" in findings[0].message


def test_id_reuse_retired_product_brought_back_as_itself(catalog_dir: MakeCatalog) -> None:
    base = {"catalog/products.yaml": product_yaml("fax", "Fax Line", "line", "telecom",
                                                  status="retired")}
    head = {"catalog/products.yaml": product_yaml("fax", "Fax Line", "line", "telecom")}
    assert diff_findings(catalog_dir, base, head, "id-reuse") == []


def test_id_reuse_renaming_a_live_product_is_an_edit(catalog_dir: MakeCatalog) -> None:
    base = {"catalog/products.yaml": product_yaml("fax", "Fax Line", "line", "telecom")}
    head = {"catalog/products.yaml": product_yaml("fax", "Aurora Fax", "line", "telecom")}
    assert diff_findings(catalog_dir, base, head, "id-reuse") == []


def test_diff_rules_are_silent_without_a_base(catalog_dir: MakeCatalog) -> None:
    workspace = Workspace.open(catalog_dir(plans(version("2026-12-05", "42.00")), CONFIG))
    assert run_rules(workspace.catalog(), workspace.config, TODAY, ("diff",), None) == []


def _channel(override: str = "") -> str:
    # line 1 kind, 2 id, 3 name, 4 currencies, 5 offerings:, 6 `  - plan: …`, 7 the override
    return ("kind: channel\nid: partner\nname: Partners\ncurrencies: [USD]\nofferings:\n"
            "  - plan: storage-standard\n" + override)


def test_notice_period_an_override_raised_takes_effect_at_once(catalog_dir: MakeCatalog) -> None:
    base = {**plans(version("2026-01-01", "40.00")),
            "catalog/partner.yaml": _channel("    price_override: {reason: margin, percent: 5}\n")}
    head = {**plans(version("2026-01-01", "40.00")),
            "catalog/partner.yaml": _channel("    price_override: {reason: margin, percent: 8}\n")}
    findings = diff_findings(catalog_dir, base, head, "notice-period")
    # line 7 is "    price_override: {…}": the mapping starts at column 21
    assert where(findings) == [("catalog/partner.yaml", 7, 21)]
    assert "price_override.percent 5 → 8" in findings[0].message
    assert "at once" in findings[0].message


def test_notice_period_an_override_lowered_or_new_offering_is_fine(
        catalog_dir: MakeCatalog) -> None:
    base = {**plans(version("2026-01-01", "40.00")),
            "catalog/partner.yaml": _channel("    price_override: {reason: margin, percent: 5}\n")}
    lowered = {**plans(version("2026-01-01", "40.00")), "catalog/partner.yaml":
               _channel("    price_override: {reason: margin, percent: 2}\n")}
    assert diff_findings(catalog_dir, base, lowered, "notice-period") == []
    no_channel = plans(version("2026-01-01", "40.00"))
    assert diff_findings(catalog_dir, no_channel, base, "notice-period") == []
