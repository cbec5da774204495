"""``import_killbill`` mapping, case by case, on small catalogs written in the test: what is
imported (read back through monops' own loader) and what is reported, with file and
element."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.catalog import Catalog
from monops_lint.errors import MonopsError
from monops_lint.interchange.killbill import import_killbill
from tests.hardening.checks import run_in_process
from tests.interchange.support import export_root, parsed, semantics

PRICE = "<price><currency>{c}</currency><value>{v}</value></price>"


def prices(**values: str) -> str:
    return "".join(PRICE.format(c=c, v=v) for c, v in values.items())


def evergreen(period: str = "MONTHLY", **values: str) -> str:
    return (f"<finalPhase type='EVERGREEN'><duration><unit>UNLIMITED</unit></duration>"
            f"<recurring><billingPeriod>{period}</billingPeriod><recurringPrice>"
            f"{prices(**values or {'USD': '10.00'})}</recurringPrice></recurring></finalPhase>")


def catalog_xml(plans: str, *, day: str = "2026-01-01", products: str = "",
                currencies: str = "USD", units: str = "", lists: str = "",
                default: str = "") -> bytes:
    products = products or "<product name='Standard'><category>BASE</category></product>"
    currency = "".join(f"<currency>{c}</currency>" for c in currencies.split())
    return (f"<?xml version='1.0' encoding='UTF-8'?><catalog>"
            f"<effectiveDate>{day}T00:00:00+00:00</effectiveDate><catalogName>Test</catalogName>"
            f"<recurringBillingMode>IN_ADVANCE</recurringBillingMode>"
            f"<currencies>{currency}</currencies>{units}<products>{products}</products>"
            f"<rules/><plans>{plans}</plans><priceLists><defaultPriceList name='DEFAULT'>"
            f"<plans>{default}</plans></defaultPriceList>{lists}</priceLists></catalog>"
            ).encode()


def imported(tmp_path: Path, *files: tuple[str, bytes]) -> tuple[Catalog, list[str]]:
    """Import ``files`` into ``tmp_path`` and load the result as monops does."""
    result = import_killbill(list(files), 1 << 20)
    for relative, text in result.files:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    catalog = Workspace.open(tmp_path, use_cache=False).catalog()
    assert [f.message for f in catalog.load_findings] == []
    return catalog, [item.line() for item in result.left_out]


def test_names_become_ids_and_the_originals_are_kept(tmp_path: Path) -> None:
    plan = (f"<plan name='StandardMonthly' prettyName='Standard, monthly'><product>Standard"
            f"</product>{evergreen()}</plan>")
    catalog, left = imported(tmp_path, ("a.xml", catalog_xml(
        plan, default="<plan>StandardMonthly</plan>",
        lists="<childPriceList name='SpecialDiscount'><plans/></childPriceList>")))
    assert left == []
    product = catalog.products["standard"]
    assert (product.external_name, product.name, product.category) == ("Standard", "Standard",
                                                                      "BASE")
    monthly = catalog.plans["standard-monthly"]
    assert (monthly.external_name, monthly.name, monthly.product) == (
        "StandardMonthly", "Standard, monthly", "standard")
    assert catalog.channels["special-discount"].external_name == "SpecialDiscount"
    assert [o.plan for o in catalog.channels["default"].offerings] == ["standard-monthly"]
    # and export writes every original name back
    exported = parsed(export_root(tmp_path).files[0][1])
    assert [p.name for p in exported.plans] == ["StandardMonthly"]
    assert [p.name for p in exported.products] == ["Standard"]
    assert [pl.name for pl in exported.child_price_lists] == ["SpecialDiscount"]


def test_versions_come_from_effective_dates(tmp_path: Path) -> None:
    def plan(price: str) -> str:
        return (f"<plan name='standard-monthly'><effectiveDateForExistingSubscriptions>"
                f"2026-06-01T00:00:00+00:00</effectiveDateForExistingSubscriptions>"
                f"<product>Standard</product>{evergreen(USD=price)}</plan>")
    catalog, left = imported(
        tmp_path,
        ("v3.xml", catalog_xml(plan("12.00"), day="2026-09-01")),  # any order
        ("v1.xml", catalog_xml(plan("10.00"), day="2026-01-01")),
        ("v2.xml", catalog_xml(plan("12.00"), day="2026-06-01")))
    versions = catalog.plans["standard-monthly"].versions
    # v3 repeats v2's price: no new version
    assert [(v.effective_from, v.charges[0].amount["USD"]) for v in versions] == [
        (dt.date(2026, 1, 1), Decimal("10.00")), (dt.date(2026, 6, 1), Decimal("12.00"))]
    assert left == []
    files = [name for name, _ in export_root(tmp_path).files]
    assert files == ["Test-2026-01-01.xml", "Test-2026-06-01.xml"]


def test_grandfathered_prices_are_reported(tmp_path: Path) -> None:
    def plan(price: str) -> str:
        return f"<plan name='p'><product>Standard</product>{evergreen(USD=price)}</plan>"
    _, left = imported(tmp_path, ("v1.xml", catalog_xml(plan("10.00"))),
                       ("v2.xml", catalog_xml(plan("11.00"), day="2026-02-01")))
    assert left == ["v2.xml plans/plan[p]: existing subscriptions keep the old price in Kill "
                    "Bill (no effectiveDateForExistingSubscriptions); in monops a version prices "
                    "every subscription from its date"]


def test_weeks_and_years_are_days_and_months(tmp_path: Path) -> None:
    plan = ("<plan name='p'><product>Standard</product><initialPhases>"
            "<phase type='TRIAL'><duration><unit>WEEKS</unit><number>2</number></duration>"
            "<fixed><fixedPrice/></fixed></phase>"
            "<phase type='DISCOUNT'><duration><unit>YEARS</unit><number>1</number></duration>"
            f"<recurring><billingPeriod>MONTHLY</billingPeriod><recurringPrice>"
            f"{prices(USD='5.00')}</recurringPrice></recurring></phase></initialPhases>"
            f"{evergreen()}</plan>")
    catalog, left = imported(tmp_path, ("a.xml", catalog_xml(plan)))
    imported_plan = catalog.plans["p"]
    assert imported_plan.trial_days == 14  # 2 weeks x 7
    [phase] = imported_plan.versions[0].phases
    assert (phase.id, phase.months, phase.days) == ("discount", 12, 0)  # 1 year = 12 months
    assert left == []


@pytest.mark.parametrize(("plan", "where", "why"), [
    (f"<plan name='p'><product>Standard</product>{evergreen('WEEKLY')}</plan>",
     "plans/plan[p]", "billing period WEEKLY"),
    ("<plan name='p'><product>Standard</product><initialPhases><phase type='TRIAL'><duration>"
     "<unit>MONTHS</unit><number>1</number></duration><fixed><fixedPrice/></fixed></phase>"
     f"</initialPhases>{evergreen()}</plan>",
     "plans/plan[p]/initialPhases/phase[1]/duration", "a trial of MONTHS"),
    ("<plan name='p'><product>Standard</product><initialPhases><phase type='TRIAL'><duration>"
     "<unit>DAYS</unit><number>7</number></duration><recurring><billingPeriod>MONTHLY"
     f"</billingPeriod><recurringPrice>{prices(USD='1.00')}</recurringPrice></recurring>"
     f"</phase></initialPhases>{evergreen()}</plan>",
     "plans/plan[p]/initialPhases/phase[1]", "a paid trial"),
])
def test_a_plan_monops_cannot_bill_the_same_way_is_left_out(tmp_path: Path, plan: str,
                                                            where: str, why: str) -> None:
    catalog, left = imported(tmp_path, ("a.xml", catalog_xml(plan, default="<plan>p</plan>")))
    assert "p" not in catalog.plans
    assert catalog.channels["default"].offerings == ()
    [line] = left
    assert line.startswith(f"a.xml {where}: {why}")
    assert line.endswith("(the plan is left out)")


def usage(kind: str, policy: str, tiers: str, mode: str = "IN_ARREAR") -> str:
    return (f"<plan name='p'><product>Standard</product><finalPhase type='EVERGREEN'>"
            f"<duration><unit>UNLIMITED</unit></duration><usages>"
            f"<usage name='p-calls' billingMode='{mode}' usageType='{kind}' "
            f"tierBlockPolicy='{policy}'><billingPeriod>MONTHLY</billingPeriod>"
            f"<tiers>{tiers}</tiers></usage></usages></finalPhase></plan>")


def tier(size: str, most: str, usd: str, unit: str = "calls") -> str:
    return (f"<tier><blocks><tieredBlock><unit>{unit}</unit><size>{size}</size><prices>"
            f"{prices(USD=usd)}</prices><max>{most}</max></tieredBlock></blocks></tier>")


def units(*names: str) -> str:
    return "<units>" + "".join(f"<unit name='{name}'/>" for name in names) + "</units>"


def test_top_tier_is_volume_and_the_usage_name_loses_its_plan_prefix(tmp_path: Path) -> None:
    plan = usage("CONSUMABLE", "TOP_TIER", tier("1", "100", "0.50") + tier("1", "-1", "0.30"))
    catalog, left = imported(tmp_path, ("a.xml", catalog_xml(plan, units=units("calls"))))
    [charge] = catalog.plans["p"].versions[0].charges
    assert (charge.id, charge.metric, charge.model, charge.external_name) == (
        "calls", "calls", "volume", "")
    assert [(t.up_to, t.unit_amount["USD"]) for t in charge.tiers] == [
        (Decimal(100), Decimal("0.50")), (None, Decimal("0.30"))]
    assert left == []


def test_a_zero_tier_then_blocks_is_a_package_with_included_units(tmp_path: Path) -> None:
    plan = usage("CONSUMABLE", "ALL_TIERS",
                 tier("1", "10", "0", "Minutes") + tier("60", "-1", "1.20", "Minutes"))
    catalog, left = imported(tmp_path, ("a.xml", catalog_xml(plan, units=units("Minutes"))))
    [charge] = catalog.plans["p"].versions[0].charges
    assert (charge.model, charge.included, charge.package_size, charge.amount["USD"]) == (
        "package", Decimal(10), Decimal(60), Decimal("1.20"))
    assert charge.metric == "minutes"
    config = (tmp_path / "monops.yaml").read_text()
    assert "units: {minutes: Minutes}" in config
    assert left == []
    # the round trip gives Kill Bill the same usage back, unit name included
    assert semantics(parsed(export_root(tmp_path).files[0][1]))["plans"] == semantics(
        parsed(catalog_xml(plan, units=units("Minutes"))))["plans"]


@pytest.mark.parametrize(("plan", "why"), [
    (usage("CAPACITY", "ALL_TIERS", tier("1", "-1", "1.00")), "CAPACITY usage"),
    (usage("CONSUMABLE", "ALL_TIERS", tier("1", "-1", "1.00"), mode="IN_ADVANCE"),
     "prepaid (IN_ADVANCE)"),
    (usage("CONSUMABLE", "ALL_TIERS", tier("5", "10", "1.00") + tier("5", "-1", "0.50")),
     "blocks of more than one unit"),
    (usage("CONSUMABLE", "TOP_TIER", tier("5", "-1", "1.00")), "blocks of more than one unit"),
])
def test_a_usage_monops_cannot_price_is_left_out_alone(tmp_path: Path, plan: str,
                                                       why: str) -> None:
    plan = plan.replace("</usages>", "</usages><recurring><billingPeriod>MONTHLY"
                        f"</billingPeriod><recurringPrice>{prices(USD='3.00')}</recurringPrice>"
                        "</recurring>").replace("<usages>", "").replace("</usages>", "")
    plan = plan.replace("<usage ", "<usages><usage ").replace("</usage>", "</usage></usages>")
    # (the recurring price stays: only the usage is left out)
    catalog, left = imported(tmp_path, ("a.xml", catalog_xml(plan, units=units("calls"))))
    [charge] = catalog.plans["p"].versions[0].charges
    assert (charge.type, charge.amount["USD"]) == ("recurring", Decimal("3.00"))
    line, unit = left
    assert line.startswith("a.xml plans/plan[p]/finalPhase/usages/usage[p-calls]: ")
    assert why in line
    assert unit == "a.xml units/unit[calls]: counted by no usage monops imported (export " \
                   "declares the units its usages count)"


def test_currencies_outside_iso_4217_are_declared(tmp_path: Path) -> None:
    phase = evergreen(USD="1.00", BTC="0.00012345")
    plan = f"<plan name='p'><product>Standard</product>{phase}</plan>"
    catalog, _ = imported(tmp_path, ("a.xml", catalog_xml(plan, currencies="USD BTC")))
    assert "currencies:\n  BTC: {digits: 8}\n" in (tmp_path / "monops.yaml").read_text()
    assert catalog.plans["p"].versions[0].charges[0].amount["BTC"] == Decimal("0.00012345")


def test_trailing_zeros_past_the_minor_unit_go_digits_stay(tmp_path: Path) -> None:
    phase = evergreen(USD="10.00", JPY="100.00")
    plan = f"<plan name='p'><product>Standard</product>{phase}</plan>"
    imported(tmp_path, ("a.xml", catalog_xml(plan, currencies="USD JPY")))
    # 100.00 JPY is 100 (JPY has no minor unit); 10.00 USD keeps its two decimals
    assert "amount: {USD: 10.00, JPY: 100}" in (tmp_path / "pricing/standard.yaml").read_text()


def test_inconsistent_versions_are_one_line(tmp_path: Path) -> None:
    one = catalog_xml("")
    with pytest.raises(MonopsError, match=r"b\.xml take effect on the same day"):
        import_killbill([("a.xml", one), ("b.xml", one)], 1 << 20)
    other = one.replace(b"<catalogName>Test", b"<catalogName>Other")
    with pytest.raises(MonopsError, match=r"the files name 2 catalogs \(Other, Test\)"):
        import_killbill([("a.xml", one), ("b.xml", other.replace(b"2026", b"2027"))], 1 << 20)


def test_import_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    source = tmp_path / "a.xml"
    source.write_bytes(catalog_xml(""))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    code, _, err = run_in_process(["import", "killbill", str(source), "--out",
                                   str(tmp_path / "out")])
    assert code == 2
    assert err == f"monops: error: --out {tmp_path / 'out'}: not an empty folder (import never " \
                  "writes over files)\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["keep.txt"]


def test_a_child_price_list_named_default_gets_an_id_of_its_own(tmp_path: Path) -> None:
    plan = f"<plan name='p'><product>Standard</product>{evergreen()}</plan>"
    catalog, _ = imported(tmp_path, ("a.xml", catalog_xml(
        plan, default="<plan>p</plan>",
        lists="<childPriceList name='default'><plans><plan>p</plan></plans></childPriceList>")))
    assert sorted(catalog.channels) == ["default", "default-2"]
    assert catalog.channels["default"].name == "DEFAULT"
    assert catalog.channels["default-2"].external_name == "default"
    names = {pl.name for pl in parsed(export_root(tmp_path).files[0][1]).price_lists}
    assert names == {"DEFAULT", "default"}


def test_a_recurring_section_without_a_price_is_no_charge(tmp_path: Path) -> None:
    # Kill Bill's own CatalogWithValidationErrors.xml has one: an empty amount would be a
    # schema error in the imported catalog
    plan = ("<plan name='p'><product>Standard</product><finalPhase type='EVERGREEN'>"
            "<duration><unit>UNLIMITED</unit></duration><fixed><fixedPrice>"
            f"{prices(USD='5.00')}</fixedPrice></fixed><recurring><billingPeriod>MONTHLY"
            "</billingPeriod><recurringPrice/></recurring></finalPhase></plan>")
    catalog, left = imported(tmp_path, ("a.xml", catalog_xml(plan)))
    assert [(c.id, c.type) for c in catalog.plans["p"].versions[0].charges] == [
        ("fixed", "one_time")]
    assert left == ["a.xml plans/plan[p]/finalPhase/recurring: a recurring section without a "
                    "price bills nothing: no charge"]
