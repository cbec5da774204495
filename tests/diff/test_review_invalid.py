"""The review of a change where something breaks or moves nothing (issue 15 items 4 and 5):
collateral only on invoices that changed, and an entity that exists but fails to load
reported as invalid, never as removed or unknown - in `monops diff` and in `monops render`.
"""

from __future__ import annotations

import json

from tests.diff.conftest import CatalogRepo

# --- item 4: collateral is a property of a changed invoice -----------------------------------


def test_a_tax_mode_flip_that_moves_nothing_is_not_collateral(example: CatalogRepo) -> None:
    # enterprise turns tax-inclusive. nl-enterprise-minimum is reverse-charged (tax 0 %):
    # 607.50 before and after (tax 0.00 either way), so nothing moved it. The two other
    # enterprise invoices (8.25 % and 10 %) fall.
    example.replace("catalog/channels/enterprise.yaml", "tax_inclusive: false",
                    "tax_inclusive: true")
    reports = example.reports(html=False)
    minimum = reports.invoice("nl-enterprise-minimum")
    assert minimum["changed"] is False
    assert minimum["collateral"] == []
    assert minimum["before"]["total"] == minimum["after"]["total"] == "607.50"
    assert reports.data["collateral"] == ["jp-enterprise-storage", "us-enterprise-logistics"]
    assert ("> **2 invoice(s) changed for plans this pull request did not touch**"
            in reports.md)
    assert "`nl-enterprise-minimum`** (enterprise)" not in reports.md
    assert "`nl-enterprise-minimum` ⚠️" not in reports.md


# --- item 5: invalid, not removed -------------------------------------------------------------


def test_a_plan_with_a_typo_is_invalid_not_removed(example: CatalogRepo) -> None:
    example.replace("pricing/storage.yaml", "sku: DRV-PLUS\n", "skew: DRV-PLUS\n")
    reports = example.reports(html=False)
    rows = [c for c in reports.data["catalog_changes"] if c["id"] == "storage-plus"]
    assert [(c["kind"], c["change"]) for c in rows] == [("plan", "invalid")]
    assert rows[0]["after"] == "invalid (see findings)"
    assert "| plan `storage-plus` | invalid |" in reports.md
    assert "removed" not in json.dumps(rows)
    # The invoices that use it cannot be priced, and say why.
    shop = reports.invoice("us-web-drive-shop")
    assert shop["after"] is None
    assert "plan 'storage-plus' is invalid" in shop["after_error"]
    assert "schema" in {f[0] for f in reports.introduced()}


def test_a_scenario_with_a_typo_is_invalid_not_removed(example: CatalogRepo) -> None:
    example.replace("scenarios/us-web-drive-shop.yaml", "currency: USD\n", "curency: USD\n")
    reports = example.reports(html=False)
    shop = reports.invoice("us-web-drive-shop")
    assert shop["before"]["total"] == "32.48" and shop["after"] is None
    assert shop["after_error"] == "scenario us-web-drive-shop is invalid (see findings)"
    assert "| `us-web-drive-shop` (invalid) |" in reports.md
    assert "(removed)" not in reports.md
    rows = [c for c in reports.data["catalog_changes"] if c["id"] == "us-web-drive-shop"]
    assert [(c["kind"], c["change"]) for c in rows] == [("scenario", "invalid")]


def test_a_yaml_syntax_error_leaves_the_later_documents_invalid(example: CatalogRepo) -> None:
    # An unclosed flow sequence in storage-free, the first document of pricing/storage.yaml:
    # storage-free and storage-plus after it cannot be read.
    example.replace("pricing/storage.yaml", "features: [encryption]\n",
                    "features: [encryption\n")
    reports = example.reports(html=False)
    rows = {c["id"]: c["change"] for c in reports.data["catalog_changes"]
            if c["kind"] == "plan"}
    assert rows == {"storage-free": "invalid", "storage-plus": "invalid"}
    introduced = reports.data["findings"]["introduced"]
    assert {f["rule"] for f in introduced} >= {"yaml-syntax"}
    # The plans are still known: no "names nothing, did you mean" for every reference.
    assert not [f for f in introduced if f["rule"] == "unknown-reference"], introduced
    assert "(removed)" not in reports.md


# --- item 5: render never skips a scenario silently ---------------------------------------


def test_render_reports_each_scenario_it_cannot_price(example: CatalogRepo) -> None:
    example.replace("scenarios/us-web-drive-shop.yaml", "currency: USD\n", "curency: USD\n")
    # nl-enterprise-minimum in GBP, which its plans have no price in: cannot be priced.
    example.replace("scenarios/nl-enterprise-minimum.yaml", "currency: EUR\n",
                    "currency: GBP\n")
    run = example.monops("render", "--format", "json")
    assert run.returncode == 1, run
    rendered = sorted(i["scenario"] for i in run.json()["invoices"])
    assert len(rendered) == 9 and "us-web-drive-shop" not in rendered
    problems = run.stderr.splitlines()
    assert len(problems) == 2, run
    assert problems[0].startswith("monops: scenario nl-enterprise-minimum "
                                  "(scenarios/nl-enterprise-minimum.yaml:")
    assert "GBP" in problems[0] and "cannot be priced" in problems[0]
    assert problems[1].startswith("monops: scenario us-web-drive-shop "
                                  "(scenarios/us-web-drive-shop.yaml:")
    assert "is invalid" in problems[1] and "monops lint" in problems[1]


def test_render_of_a_named_invalid_scenario_exits_2(example: CatalogRepo) -> None:
    example.replace("scenarios/us-web-drive-shop.yaml", "currency: USD\n", "curency: USD\n")
    run = example.monops("render", "--scenario", "us-web-drive-shop")
    assert run.returncode == 2, run
    assert run.stdout == ""
    assert "unknown scenario" not in run.stderr
    assert run.stderr.startswith("monops: error: scenario us-web-drive-shop "
                                 "(scenarios/us-web-drive-shop.yaml:")
    assert "is invalid" in run.stderr
    # A name that really names nothing is still unknown, with the closest one.
    unknown = example.monops("render", "--scenario", "us-web-drive-sho")
    assert unknown.returncode == 2
    assert "unknown scenario `us-web-drive-sho`" in unknown.stderr
