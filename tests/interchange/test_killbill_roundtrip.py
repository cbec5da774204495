"""Round trip on Kill Bill's own catalogs: import, then export, keeps every product, plan,
phase (type and duration), price per currency, usage, tier and price list; the imported
catalog lints with only the findings the README names; every exported file is valid
against Kill Bill's schema and every IDREF names an ID."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.findings import Severity
from monops_lint.interchange.killbill.idrefs import check_text
from monops_lint.lint import lint_catalog
from tests.hardening.checks import run_in_process
from tests.interchange.support import (
    HERE,
    SHARED,
    export_root,
    import_into,
    parsed,
    schema_errors,
    semantics,
    sources,
)

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize("source", sources(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_import_then_export_keeps_the_catalog(source: Path, tmp_path: Path) -> None:
    import_into(tmp_path, source)
    result = export_root(tmp_path)
    assert [name for name, _ in result.files] == [f"{source.stem}-2013-02-08.xml"]
    text = result.files[0][1]
    assert schema_errors(text) == []
    assert check_text("exported", text) == []
    before, after = semantics(parsed(source.read_bytes())), semantics(parsed(text))
    for key in before:  # one key at a time: a failure names what was lost
        assert after[key] == before[key], key
    # `included` add-ons (Super includes OilSlick) are reported, not kept: the only loss.
    assert result.left_out == ()


if SHARED.is_dir():  # a user's clone has no ../shared: the copies are the reference there
    def test_the_copies_are_kill_bill_s_files() -> None:
        for name in ("SpyCarBasic.xml", "SpyCarAdvanced.xml", "catalog.xsd"):
            assert (HERE / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_spycar_advanced_keeps_what_it_is_known_for(tmp_path: Path) -> None:
    """Spot checks worked out by hand from SpyCarAdvanced.xml, beside the whole comparison."""
    import_into(tmp_path, HERE / "SpyCarAdvanced.xml")
    exported = parsed(export_root(tmp_path).files[0][1])
    plans = {plan.name: plan for plan in exported.plans}
    discount = plans["discount-standard-monthly"]
    assert [(p.type, p.duration.unit, p.duration.number) for p in discount.phases] == [
        ("TRIAL", "DAYS", 30), ("DISCOUNT", "MONTHS", 3), ("EVERGREEN", "UNLIMITED", None)]
    assert dict(discount.phases[1].recurring.prices) == {  # type: ignore[union-attr]
        "GBP": Decimal("50"), "EUR": Decimal("60"), "USD": Decimal("66"),
        "JPY": Decimal("6.6"), "BTC": Decimal("0.06")}
    # Two tiers of single gallons: 100 at 3.95 USD, then 500 more (max 500) at 4.95 USD.
    usage = plans["gas-monthly-2-tiers"].final_phase.usages[0]
    assert usage.name == "gas-monthly-2-tiers-in-arrear"
    assert (usage.billing_mode, usage.usage_type, usage.tier_block_policy) == (
        "IN_ARREAR", "CONSUMABLE", "ALL_TIERS")
    assert [(str(b.size), str(b.max), str(dict(b.prices)["USD"]))
            for t in usage.tiers for b in t.blocks] == [("1", "100", "3.95"), ("1", "500", "4.95")]
    assert dict(plans["standard-annual"].final_phase.recurring.prices)[  # type: ignore[union-attr]
        "BTC"] == Decimal("1.0")
    assert {pl.name for pl in exported.price_lists} == {"DEFAULT", "SpecialDiscount", "CIA",
                                                         "ambiguous"}


def _errors(root: Path) -> list[tuple[str, str]]:
    workspace = Workspace.open(root, use_cache=False)
    found = lint_catalog(workspace.catalog(), workspace.config, TODAY).findings
    return sorted((f.rule, f"{f.location.path}:{f.location.line}") for f in found
                  if f.severity is Severity.ERROR)


def test_imported_spycar_basic_lints_without_errors(tmp_path: Path) -> None:
    import_into(tmp_path, HERE / "SpyCarBasic.xml")
    assert _errors(tmp_path) == []


def test_imported_spycar_advanced_has_exactly_the_findings_the_readme_names(
        tmp_path: Path) -> None:
    import_into(tmp_path, HERE / "SpyCarAdvanced.xml")
    found = _errors(tmp_path)
    # The gas plans end at a bounded last tier (100 and 100 + 500 gallons): above it
    # Kill Bill bills nothing, monops has no price (tier-unbounded).
    assert [f for f in found if f[0] == "tier-unbounded"] == [
        ("tier-unbounded", "pricing/gas.yaml:14"), ("tier-unbounded", "pricing/gas.yaml:32")]
    # JPY prices with hundredths (0.40 JPY) that JPY does not have: 9 recurring prices.
    precision = [f for f in found if f[0] == "money-precision"]
    assert len(precision) == 9
    assert {path.split(":")[0] for _, path in precision} == {
        "pricing/oil-slick.yaml", "pricing/remote-control.yaml", "pricing/sports.yaml",
        "pricing/standard.yaml", "pricing/super.yaml"}
    assert len(found) == 11


def test_the_cli_round_trip_with_report_and_strict(tmp_path: Path) -> None:
    source = HERE / "SpyCarAdvanced.xml"
    code, _, err = run_in_process(["import", "killbill", str(source), "--out",
                                   str(tmp_path / "cat"), "--report", str(tmp_path / "in.json"),
                                   "--strict"])
    assert code == 1  # rules and the included add-on are left out
    assert f"monops: left out: {source} products/product[Super]/included:" in err
    assert '"field": "rules/changePolicy"' in (tmp_path / "in.json").read_text()
    code, _, err = run_in_process(["export", "killbill", "--root", str(tmp_path / "cat"),
                                   "--out", str(tmp_path / "xml"), "--strict"])
    assert (code, err.count("left out")) == (0, 0), err
    written = sorted(p.name for p in (tmp_path / "xml").iterdir())
    assert written == ["SpyCarAdvanced-2013-02-08.xml"]
    text = (tmp_path / "xml" / written[0]).read_text()
    assert semantics(parsed(text))["plans"] == semantics(parsed(source.read_bytes()))["plans"]
    # one catalog version and no --out: the XML on stdout, the same bytes
    code, out, _ = run_in_process(["export", "killbill", "--root", str(tmp_path / "cat")])
    assert (code, out) == (0, text)
