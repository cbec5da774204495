"""Issue 19 item 5 (part): `volume-cliff` on a volume charge with 20,000 tiers is linear.

It priced the whole charge at every bound, and looked at every tier again for each
bound: quadratic, over 300 s for 19,000 tiers. The bound here is generous (a graduated
charge with the same tiers lints in about a second); the findings are exact.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.hardening.conftest import TODAY, Expect, assert_clean_exit, assert_findings, monops

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

TIERS = 20_000
CLIFF = 12_345
"""The tier past whose bound the total falls in the second plan."""

SECONDS = 20.0

HEADER = """\
kind: plan
id: {id}
name: {name}
product: api
billing_period: month
versions:
  - effective_from: 2026-01-01
    charges:
      - id: calls
        type: usage
        metric: calls
        model: volume
        tiers:
"""
# The header is 13 lines: tier k is on line 13 + k.


def _plan(plan_id: str, name: str, rate_of: dict[int, str]) -> str:
    """A plan whose volume charge has TIERS tiers of 10 units each (tier k up to 10 k)."""
    lines = [HEADER.format(id=plan_id, name=name)]
    for k in range(1, TIERS + 1):
        bound = "null" if k == TIERS else str(10 * k)
        lines.append(f"          - {{up_to: {bound}, unit_amount: {{USD: {rate_of[k]}}}}}\n")
    return "".join(lines)


def _catalog(root: Path) -> Path:
    (root / "catalog").mkdir(parents=True)
    (root / "pricing").mkdir()
    # Each plan file is about 1 MB, over the default max_file_bytes.
    (root / "monops.yaml").write_text(
        "paths: [catalog, pricing]\nbase_currency: USD\nmax_file_bytes: 4194304\n")
    (root / "catalog/api.yaml").write_text(
        "kind: product\nid: api\nname: API\ndescription: Calls.\ntax_code: SAAS\n"
        "---\nkind: channel\nid: web\nname: Web\ncurrencies: [USD]\n"
        "offerings:\n  - plan: flat-rate\n  - plan: cliff-rate\n")
    # One rate for every tier: the total rises with every unit, no cliff anywhere.
    (root / "pricing/flat-rate.yaml").write_text(
        _plan("flat-rate", "Flat rate", dict.fromkeys(range(1, TIERS + 1), "0.01")))
    # USD 0.02 up to tier CLIFF, then USD 0.01: one cliff, past tier 12345's bound 123450.
    (root / "pricing/cliff-rate.yaml").write_text(
        _plan("cliff-rate", "Cliff rate",
              {k: "0.02" if k <= CLIFF else "0.01" for k in range(1, TIERS + 1)}))
    return root


def test_volume_cliff_is_linear_in_the_number_of_tiers(tmp_path: Path) -> None:
    root = _catalog(tmp_path / "cat")
    started = time.monotonic()
    # Quadratic, this ran for half an hour: the timeout ends it (subprocess.TimeoutExpired).
    run = monops("lint", "--root", str(root), "--format", "json", "--today", TODAY,
                 timeout=3 * SECONDS)
    elapsed = time.monotonic() - started
    assert_clean_exit(run)
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    assert run.returncode == 0, run.stderr  # a warning fails nothing by default
    findings = json.loads(run.stdout)["findings"]
    assert [f for f in findings if f["path"] != "pricing/cliff-rate.yaml"] == []
    # 123450 units x 0.02 = 2469.00; 123451 x 0.01 = 1234.51; 2469.00 - 1234.51 = 1234.49.
    # Reported at tier 12346's rate: line 13 + 12346 = 12359; `          - {` puts `{` at
    # 13, `up_to: ` 14-20, 123460 at 21-26, `, ` 27-28, `unit_amount: ` 29-41, `{` 42,
    # `USD: ` 43-47, 0.01 at 48.
    assert_findings(findings, "pricing/cliff-rate.yaml", [Expect(
        "volume-cliff", 12359, 48,
        "past volume tier 12345 (up to 123450) the total falls: 123450 units cost "
        "USD 2469.00, 123451 cost USD 1234.51: 1234.49 less",
        "raise tier 12346's flat_amount by at least USD 1234.49")])
