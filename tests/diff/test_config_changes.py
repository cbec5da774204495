"""A change to monops.yaml is part of the review: a pull request cannot quietly turn a rule
off or move the FX rates."""

from __future__ import annotations

import pytest

from tests.diff.conftest import CatalogRepo

pytestmark = pytest.mark.e2e  # monops runs in a subprocess (CatalogRepo.monops)


def test_turning_a_rule_off_and_moving_fx_shows_in_the_catalog_changes(
        example: CatalogRepo) -> None:
    config = example.read("monops.yaml")
    example.write("monops.yaml", config.replace("rates: {EUR: 0.92, JPY: 150}",
                                                "rates: {EUR: 0.95, JPY: 150}")
                  + "rules:\n  notice-period: off\n")
    reports = example.reports(html=False)
    rows = [(c["kind"], c["id"], c["field"], c["before"], c["after"], c["note"])
            for c in reports.data["catalog_changes"]]
    assert ("config", "monops.yaml", "fx_rates", "{EUR: 0.92, JPY: 150}",
            "{EUR: 0.95, JPY: 150}", "") in rows
    assert ("config", "monops.yaml", "rules.notice-period", "default", "off",
            "a rule turned off") in rows
    assert "| config `monops.yaml` | changed `rules.notice-period` | default → off " \
        "a rule turned off |" in reports.md
    # no invoice depends on the FX rates: nothing else moves
    assert not any(i["changed"] for i in reports.data["invoices"])
