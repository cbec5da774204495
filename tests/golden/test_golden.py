"""The example catalog's invoices against the numbers worked out by hand, and golden renders.

``hand_computed.md`` holds every scenario's invoice computed by hand from
SPEC section 3 and docs/pricing.md (the arithmetic is written out there),
independently of the engine. The rendered files under ``invoices/`` were
read and checked by hand once; they pin every format byte for byte, so a
change to the engine, the templates or the formatting shows up here. After
an intended change, regenerate them with ``MONOPS_UPDATE_GOLDEN=1 pytest
tests/golden`` and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from monops_lint.app.workspace import Workspace
from monops_lint.money import money_str
from monops_lint.pricing import Invoice, invoice_for
from monops_lint.reporters.invoices import invoice_renderer
from tests.conftest import REPO

HERE = Path(__file__).parent
GOLDEN = HERE / "invoices"


def _hand_computed() -> dict[str, Any]:
    text = (HERE / "hand_computed.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    data: dict[str, Any] = yaml.safe_load(blocks[-1])
    return data


HAND = _hand_computed()


@pytest.fixture(scope="module")
def invoices() -> dict[str, Invoice]:
    workspace = Workspace.open(REPO)
    catalog = workspace.catalog()
    return {s: invoice_for(catalog.scenarios[s], catalog, workspace.config.rounding)
            for s in catalog.scenarios}


def test_every_scenario_was_computed_by_hand(invoices: dict[str, Invoice]) -> None:
    assert sorted(HAND) == sorted(invoices)


@pytest.mark.parametrize("scenario", sorted(HAND))
def test_invoice_matches_the_hand_computation(scenario: str,
                                              invoices: dict[str, Invoice]) -> None:
    invoice = invoices[scenario]
    expected = HAND[scenario]
    currency = invoice.currency
    assert money_str(invoice.subtotal, currency) == expected["subtotal"]
    assert money_str(invoice.tax, currency) == expected["tax"]
    assert money_str(invoice.total, currency) == expected["total"]
    got = {}
    for line in invoice.lines:
        key = f"{line.plan}/{line.kind if line.kind in ('discount', 'true-up') else line.charge}"
        got[key] = money_str(line.amount, currency)
    assert got == expected["lines"]


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "json"])
def test_golden_renders(fmt: str, invoices: dict[str, Invoice]) -> None:
    renderer = invoice_renderer(fmt)
    for scenario in sorted(invoices):
        text = renderer.render([invoices[scenario]])
        golden = GOLDEN / f"{scenario}.{fmt}"
        if os.environ.get("MONOPS_UPDATE_GOLDEN") == "1":
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        assert golden.read_text(encoding="utf-8") == text, f"{golden.name} differs"
