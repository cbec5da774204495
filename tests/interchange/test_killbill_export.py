"""``export_killbill`` mapping, case by case: each expectation worked out by hand from the
monops catalog written in the test, read back from the XML the export wrote."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from monops_lint.errors import MonopsError
from monops_lint.interchange.killbill.idrefs import check_text
from monops_lint.interchange.killbill.model import KbCatalog, KbPlan
from tests.hardening.checks import run_in_process
from tests.interchange.support import export_root, parsed, schema_errors, write_tree

CONFIG = """\
    paths: [catalog, pricing]
    base_currency: USD
    export: {killbill: {default_channel: web, catalog_name: Acme}}
    """
PRODUCT = """\
    kind: product
    id: tv
    name: Acme TV
    """
WEB = """\
    kind: channel
    id: web
    name: Online
    currencies: [USD, EUR]
    offerings:
      - plan: tv-monthly
    """


def export(tmp_path: Path, plans: str, **files: str) -> tuple[list[KbCatalog], list[str]]:
    """Export a catalog of the product ``tv``, the channel ``web`` and ``plans``; every file
    must be valid against Kill Bill's schema, with every IDREF naming an ID."""
    tree = {"monops.yaml": CONFIG, "catalog/products/tv.yaml": PRODUCT,
            "catalog/channels/web.yaml": WEB, "pricing/tv.yaml": plans}
    tree.update({name.replace("__", "/").replace("_yaml", ".yaml"): text
                 for name, text in files.items()})
    result = export_root(write_tree(tmp_path, tree))
    for name, text in result.files:
        assert schema_errors(text) == [], name
        assert check_text(name, text) == [], name
    return [parsed(text) for _, text in result.files], [i.line() for i in result.left_out]


def plan(catalog: KbCatalog, name: str) -> KbPlan:
    return next(p for p in catalog.plans if p.name == name)


def test_trial_recurring_and_one_time(tmp_path: Path) -> None:
    catalogs, left = export(tmp_path, """\
        kind: plan
        id: tv-monthly
        name: TV
        product: tv
        billing_period: month
        trial_days: 14
        versions:
          - effective_from: 2026-01-01
            charges:
              - {id: base, type: recurring, model: flat, amount: {USD: 24.99, EUR: 22.99}}
              - {id: extra, type: recurring, model: flat, amount: {USD: 5.01, EUR: 4.00}}
              - {id: setup, type: one_time, model: flat, amount: {USD: 49.00, EUR: 45.00}}
        """)
    assert left == []
    [catalog] = catalogs
    assert catalog.effective == "2026-01-01T00:00:00+00:00"
    assert catalog.name == "Acme"
    tv = plan(catalog, "tv-monthly")
    trial, evergreen = tv.phases
    assert (trial.type, trial.duration.unit, trial.duration.number) == ("TRIAL", "DAYS", 14)
    # the one-time charge is billed when the subscription starts: in the trial
    assert trial.fixed == (("EUR", Decimal("45.00")), ("USD", Decimal("49.00")))
    assert (evergreen.type, evergreen.duration.unit) == ("EVERGREEN", "UNLIMITED")
    assert evergreen.fixed is None
    # one recurring price per phase: 24.99 + 5.01 = 30.00 USD, 22.99 + 4.00 = 26.99 EUR
    assert evergreen.recurring is not None
    assert evergreen.recurring.billing_period == "MONTHLY"
    assert evergreen.recurring.prices == (("EUR", Decimal("26.99")), ("USD", Decimal("30.00")))
    assert catalog.default_price_list.plans == ("tv-monthly",)
    assert [(p.name, p.category, p.pretty_name) for p in catalog.products] == [
        ("tv", "BASE", "Acme TV")]


def test_introductory_phase_and_one_time_plan(tmp_path: Path) -> None:
    catalogs, left = export(tmp_path, """\
        kind: plan
        id: tv-monthly
        name: TV
        product: tv
        billing_period: quarter
        versions:
          - effective_from: 2026-01-01
            phases:
              - id: launch
                description: Launch offer
                duration: {days: 45}
                charges:
                  - {id: base, type: recurring, model: flat, amount: {USD: 9.99}}
              - id: second
                duration: {months: 2}
                charges: []
            charges:
              - {id: base, type: recurring, model: flat, amount: {USD: 29.99}}
        ---
        kind: plan
        id: box
        name: Box
        product: tv
        billing_period: one_time
        versions:
          - effective_from: 2026-01-01
            charges:
              - {id: box, type: one_time, model: flat, amount: {USD: 199.00}}
        """)
    assert left == []
    [catalog] = catalogs
    launch, second, evergreen = plan(catalog, "tv-monthly").phases
    assert (launch.type, launch.duration.unit, launch.duration.number, launch.pretty_name) == (
        "DISCOUNT", "DAYS", 45, "Launch offer")
    assert launch.recurring is not None and launch.recurring.billing_period == "QUARTERLY"
    assert launch.recurring.prices == (("USD", Decimal("9.99")),)
    # a phase that bills nothing: Kill Bill's empty fixed price
    assert (second.duration.unit, second.duration.number, second.fixed) == ("MONTHS", 2, ())
    assert evergreen.recurring is not None
    assert evergreen.recurring.prices == (("USD", Decimal("29.99")),)
    [only] = plan(catalog, "box").phases
    assert (only.type, only.fixed, only.recurring) == ("EVERGREEN", (("USD", Decimal("199.00")),),
                                                       None)


USAGE_PLAN = """\
    kind: plan
    id: tv-monthly
    name: TV
    product: tv
    billing_period: month
    versions:
      - effective_from: 2026-01-01
        charges:
          - {charge}
    """


Row = tuple[str, str | None, str]


def usage_of(tmp_path: Path, charge: str) -> tuple[list[Row], str, list[str]]:
    """(size, max, USD price) of each tier block as text, the tier block policy, the
    left-out lines."""
    catalogs, left = export(tmp_path, USAGE_PLAN.replace("{charge}", charge))
    if not catalogs:
        return [], "", left
    phase = plan(catalogs[0], "tv-monthly").final_phase
    if not phase.usages:
        return [], "", left
    [usage] = phase.usages
    assert (usage.name, usage.billing_mode, usage.usage_type, usage.billing_period) == (
        "tv-monthly-ppv", "IN_ARREAR", "CONSUMABLE", "MONTHLY")
    rows = [(str(b.size), None if b.max is None else str(b.max), str(dict(b.prices)["USD"]))
            for t in usage.tiers for b in t.blocks]
    assert {b.unit for t in usage.tiers for b in t.blocks} == {"events"}
    return rows, usage.tier_block_policy, left


def test_per_unit_usage_is_one_unlimited_tier(tmp_path: Path) -> None:
    rows, policy, left = usage_of(tmp_path, "{id: ppv, type: usage, metric: events, "
                                            "model: per_unit, unit_amount: {USD: 0.0004}}")
    assert (rows, policy, left) == ([("1", None, "0.0004")], "ALL_TIERS", [])


def test_graduated_usage_with_included_units(tmp_path: Path) -> None:
    # included 100, then tiers of 1-1000, 1001-10000, the rest: blocks of one unit,
    # max 100 free, then 1000, then 10000 - 1000 = 9000, then no limit
    rows, policy, left = usage_of(tmp_path, """{id: ppv, type: usage, metric: events,
             included: 100, model: graduated, tiers: [
               {up_to: 1000, unit_amount: {USD: 0.02}},
               {up_to: 10000, unit_amount: {USD: 0.014}},
               {up_to: null, unit_amount: {USD: 0.0065}}]}""")
    assert left == []
    assert policy == "ALL_TIERS"
    assert rows == [("1", "100", "0"), ("1", "1000", "0.02"), ("1", "9000", "0.014"),
                    ("1", None, "0.0065")]


def test_volume_usage_is_top_tier(tmp_path: Path) -> None:
    rows, policy, left = usage_of(tmp_path, """{id: ppv, type: usage, metric: events,
             model: volume, tiers: [
               {up_to: 100, unit_amount: {USD: 0.50}},
               {up_to: 1000, unit_amount: {USD: 0.40}},
               {up_to: null, unit_amount: {USD: 0.30}}]}""")
    assert (policy, left) == ("TOP_TIER", [])
    assert rows == [("1", "100", "0.50"), ("1", "900", "0.40"), ("1", None, "0.30")]


def test_package_with_included_units(tmp_path: Path) -> None:
    # 10 free units, then packs of 5 at 5.00: ceil((q - 10) / 5) x 5.00, as Kill Bill
    # counts blocks of 5 after a free tier of 10 single units
    rows, policy, left = usage_of(tmp_path, "{id: ppv, type: usage, metric: events, "
                                            "included: 10, model: package, package_size: 5, "
                                            "amount: {USD: 5.00}}")
    assert (rows, policy, left) == ([("1", "10", "0"), ("5", None, "5.00")], "ALL_TIERS", [])


@pytest.mark.parametrize(("charge", "field", "why"), [
    ("{id: ppv, type: usage, metric: events, model: package, package_size: 5, round: down, "
     "amount: {USD: 5.00}}", "versions[0].charges[0].round", "round up"),
    ("{id: ppv, type: usage, metric: events, model: volume, included: 5, tiers: "
     "[{up_to: null, unit_amount: {USD: 1.00}}]}", "versions[0].charges[0].included", "TOP_TIER"),
    ("{id: ppv, type: usage, metric: events, model: graduated, tiers: [{up_to: 10, "
     "unit_amount: {USD: 1.00}}, {up_to: null, unit_amount: {USD: 0.50}, flat_amount: "
     "{USD: 2.00}}]}", "versions[0].charges[0].tiers[1].flat_amount", "flat fee"),
    ("{id: ppv, type: usage, metric: events, model: percentage, rate: 2.9}",
     "versions[0].charges[0]", "percentage"),
    ("{id: ppv, type: usage, metric: events, model: flat, amount: {USD: 3.00}}",
     "versions[0].charges[0]", "one price for any use"),
])
def test_a_usage_kill_bill_cannot_price_is_left_out_whole(tmp_path: Path, charge: str,
                                                          field: str, why: str) -> None:
    rows, _, left = usage_of(tmp_path, charge)
    assert rows == []
    assert any(line.startswith(f"plan tv-monthly {field}:") and why in line for line in left), \
        left
    # the plan has nothing else: it is left out too, and so is its place in the price list
    assert "plan tv-monthly versions: no charge of the plan can be priced by Kill Bill: the " \
           "plan is left out" in left


def test_what_kill_bill_cannot_express_is_reported_with_entity_and_field(
        tmp_path: Path) -> None:
    catalogs, left = export(tmp_path, """\
        kind: plan
        id: tv-monthly
        name: TV
        product: tv
        billing_period: month
        minimum: {USD: 10.00}
        limits: {events: 50}
        versions:
          - effective_from: 2026-01-01
            charges:
              - {id: base, type: recurring, model: per_unit, unit_amount: {USD: 5.00, XTS: 1}}
          - effective_from: 2026-03-01
            rollout: [{share: 10, from: 2026-03-01}, {share: 100, from: 2026-03-15}]
            charges:
              - {id: base, type: recurring, model: per_unit, unit_amount: {USD: 6.00, XTS: 1}}
        """, catalog__promotions__spring_yaml="""\
        kind: promotion
        id: spring
        channels: [web]
        plans: [tv-monthly]
        percent_off: 20
        valid_from: 2026-03-01
        """)
    assert left == [
        "promotion spring percent_off: Kill Bill's catalog has no promotions",
        "plan tv-monthly minimum: Kill Bill's catalog has no minimum per period",
        "plan tv-monthly limits: Kill Bill's catalog has no usage cap per plan",
        "plan tv-monthly versions[0].charges[0].model: per_unit: Kill Bill prices one "
        "subscription, not a quantity (exported as the price of one unit)",
        "plan tv-monthly versions[0].charges[0].unit_amount.XTS: Kill Bill has no currency XTS",
        "plan tv-monthly versions[1].rollout: Kill Bill moves every subscription at once "
        "(staged waves are not expressible; exported at effective_from)",
        "plan tv-monthly versions[1].charges[0].model: per_unit: Kill Bill prices one "
        "subscription, not a quantity (exported as the price of one unit)",
        "plan tv-monthly versions[1].charges[0].unit_amount.XTS: Kill Bill has no currency XTS",
    ]  # web sells USD and EUR, the catalog's currencies: no price-list currency is lost
    # one file per version; the later one moves existing subscriptions on its own date
    assert [c.effective for c in catalogs] == ["2026-01-01T00:00:00+00:00",
                                               "2026-03-01T00:00:00+00:00"]
    first, second = (plan(c, "tv-monthly") for c in catalogs)
    assert first.effective_for_existing is None
    assert second.effective_for_existing == "2026-03-01T00:00:00+00:00"
    assert second.final_phase.recurring is not None
    assert second.final_phase.recurring.prices == (("USD", Decimal("6.00")),)


def test_names_share_one_namespace_and_external_names_are_written_back(tmp_path: Path) -> None:
    catalogs, left = export(tmp_path, """\
        kind: plan
        id: tv
        external_name: TvMonthly
        name: TV
        product: tv
        billing_period: month
        versions:
          - effective_from: 2026-01-01
            charges:
              - {id: base, type: recurring, model: flat, amount: {USD: 5.00}}
        ---
        kind: plan
        id: tv-monthly
        name: TV
        product: tv
        billing_period: month
        versions:
          - effective_from: 2026-01-01
            charges:
              - {id: base, type: recurring, model: flat, amount: {USD: 5.00}}
        """, catalog__channels__retail_yaml="""\
        kind: channel
        id: tv-monthly
        name: Retail
        currencies: [USD, EUR]
        offerings: [{plan: tv}]
        """)
    [catalog] = catalogs
    assert sorted(p.name for p in catalog.plans) == ["TvMonthly", "tv-monthly"]
    assert [(pl.name, pl.plans) for pl in catalog.child_price_lists] == [
        ("tv-monthly-pricelist", ("TvMonthly",))]
    assert left == ["channel tv-monthly id: exported as `tv-monthly-pricelist`: `tv-monthly` "
                    "is taken by another product, plan, price list, unit or usage (Kill Bill "
                    "names share one namespace); set `external_name` to choose"]


def test_overrides_in_full_are_plans_of_their_own(tmp_path: Path) -> None:
    catalogs, left = export(tmp_path, """\
        kind: plan
        id: tv-monthly
        name: TV
        product: tv
        billing_period: month
        versions:
          - effective_from: 2026-01-01
            charges:
              - {id: base, type: recurring, model: flat, amount: {USD: 5.00, EUR: 4.50}}
        """, catalog__channels__partner_yaml="""\
        kind: channel
        id: partner
        name: Partners
        currencies: [USD, EUR]
        offerings:
          - plan: tv-monthly
            price_override:
              reason: Partner price
              charges:
                - {id: base, type: recurring, model: flat, amount: {USD: 4.00, EUR: 3.60}}
        """, catalog__channels__shop_yaml="""\
        kind: channel
        id: shop
        name: Shop
        currencies: [USD, EUR]
        offerings:
          - plan: tv-monthly
            price_override: {reason: Shop margin, percent: 5}
        """)
    [catalog] = catalogs
    assert [(pl.name, pl.plans) for pl in catalog.child_price_lists] == [
        ("partner", ("tv-monthly-partner",)), ("shop", ())]
    override = plan(catalog, "tv-monthly-partner").final_phase.recurring
    assert override is not None
    assert override.prices == (("EUR", Decimal("3.60")), ("USD", Decimal("4.00")))
    assert left == ["channel shop offerings[0].price_override.percent: Kill Bill has no "
                    "per-price-list percentage: the plan is left out of this price list"]


def test_without_a_default_channel_default_is_empty(tmp_path: Path) -> None:
    catalogs, _ = export(tmp_path, USAGE_PLAN.replace(
        "{charge}", "{id: base, type: recurring, model: flat, amount: {USD: 1.00}}"),
        monops_yaml="paths: [catalog, pricing]\n")
    [catalog] = catalogs
    assert catalog.name == "monops"
    assert catalog.default_price_list.plans == ()
    assert [(pl.name, pl.plans) for pl in catalog.child_price_lists] == [
        ("web", ("tv-monthly",))]


def test_an_unknown_default_channel_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(MonopsError, match=r"default_channel: no channel `webb` .*web"):
        export(tmp_path, USAGE_PLAN.replace(
            "{charge}", "{id: base, type: recurring, model: flat, amount: {USD: 1.00}}"),
            monops_yaml="export: {killbill: {default_channel: webb}}\n"
                        "paths: [catalog, pricing]\n")


def test_prices_keep_every_digit(tmp_path: Path) -> None:
    rows, _, _ = usage_of(tmp_path, "{id: ppv, type: usage, metric: events, model: per_unit, "
                                    "unit_amount: {USD: 0.000000000001}}")
    assert rows == [("1", None, "1E-12")]  # Decimal's own text of 0.000000000001
    text = export_root(tmp_path).files[0][1]
    assert "<value>0.000000000001</value>" in text  # not 1E-12, never through float


def test_a_catalog_with_nothing_kill_bill_can_price_is_one_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"monops.yaml": CONFIG, "catalog/products/tv.yaml": PRODUCT,
                          "catalog/channels/web.yaml": WEB,
                          "pricing/tv.yaml": USAGE_PLAN.replace(
                              "{charge}", "{id: ppv, type: usage, metric: events, "
                                          "model: percentage, rate: 2.9}")})
    code, out, err = run_in_process(["export", "killbill", "--root", str(tmp_path)])
    assert (code, out) == (2, "")
    assert err == "monops: error: nothing to export: no plan of the catalog has a charge Kill " \
                  "Bill can price (2 item(s) left out)\n"
