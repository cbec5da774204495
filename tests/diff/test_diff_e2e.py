"""`monops diff` end to end (issue 5): real git repositories holding the example catalog.

Every expected amount is worked out by hand from tests/golden/hand_computed.md
(the base invoices) and SPEC section 3 (the pricing math), with the
arithmetic in the comments; every expected location is counted in the
example's files. Nothing is copied from monops' own output.

Conventions of the arithmetic below: lines are rounded half-up to the
currency's minor unit, subtotal = sum of rounded lines; web, partner and
enterprise are tax-exclusive (total = subtotal + round(subtotal × r/100)),
retail is tax-inclusive (total = subtotal, tax = round(total × r/(100+r))).
Δ % = (after − before) / before × 100; the md report shows one decimal, the
json report two.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.diff.conftest import TODAY, CatalogRepo, Reports, Run, run_git

pytestmark = pytest.mark.e2e  # monops runs in a subprocess (CatalogRepo.monops)

# The base totals of the 11 example scenarios: hand_computed.md, "Summary".
HAND_TOTALS = {
    "us-web-fiber-welcome": "116.36",
    "de-retail-family-bundle": "78.58",
    "jp-retail-tv-trial": "82344",
    "fr-web-mobile-family": "183.96",
    "us-partner-msp-backup": "320.08",
    "de-partner-cafe-payments": "85.51",
    "us-enterprise-logistics": "10063.06",
    "nl-enterprise-minimum": "607.50",
    "jp-enterprise-storage": "86075",
    "jp-web-home-duo-move": "36487",
    "us-web-drive-shop": "32.48",
}
MARKER = "<!-- monops-report -->"
INVOICE_HEADER = "| Scenario | Channel | Currency | Total before | Total after | Δ | Δ % |"
CATALOG_HEADER = "| Entity | Change | Before → after |"


def storage_plus_version(day: str, usd: str = "5.99", eur: str = "5.49", jpy: str = "900") -> str:
    """A new version of storage-plus: the base fee changes, the storage tiers stay as they are."""
    return f"""\
  - effective_from: {day}
    charges:
      - id: base
        description: Drive Plus monthly fee
        type: recurring
        model: flat
        amount: {{USD: {usd}, EUR: {eur}, JPY: {jpy}}}
      - id: storage
        description: Storage beyond 100 GB, per GB-month
        type: usage
        metric: storage_gb
        included: 100
        model: graduated
        tiers:
          - {{up_to: 1000, unit_amount: {{USD: 0.02, EUR: 0.018, JPY: 3}}}}
          - {{up_to: 10000, unit_amount: {{USD: 0.014, EUR: 0.013, JPY: 2}}}}
          - {{up_to: null, unit_amount: {{USD: 0.007, EUR: 0.0065, JPY: 1}}}}
"""


def changed_totals(reports: Reports) -> dict[str, tuple[str | None, str | None]]:
    """The json report's (before, after) totals of the invoices that differ."""
    return {s: t for s, t in reports.totals().items() if t[0] != t[1]}


def unchanged_base(reports: Reports, *changed: str) -> None:
    """Every other example invoice is still its hand-computed total, before and after."""
    for scenario, total in HAND_TOTALS.items():
        if scenario not in changed:
            assert reports.totals()[scenario] == (total, total), scenario
            assert reports.invoice(scenario)["changed"] is False, scenario


def self_contained(html: str) -> None:
    """One page, no external resource (SPEC section 6: the CI artifact)."""
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "@import" not in html


# --- a future price version ---------------------------------------------------------------

def test_future_price_version(example: CatalogRepo) -> None:
    # The pull request: storage-plus gets a new version from 2027-02-01 (today 2026-11-25
    # + 30 days = 2026-12-25, so it is beyond the notice period), its base fee rising
    # USD 4.99 -> 5.99, EUR 4.59 -> 5.49, JPY 750 -> 900. Committed on a branch.
    example.git("checkout", "-q", "-b", "feature")
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.commit("Drive Plus: new price from 2027-02-01")
    reports = example.reports("main", "feature")

    # No finding, exit 0.
    assert reports.returncode == 0
    assert reports.data["findings"] == {"introduced": [], "fixed": []}
    assert "This change introduces and fixes no findings." in reports.md

    # The catalog rows, in words, before -> after, percent, "from DATE":
    #   USD (5.99 − 4.99) / 4.99 = 20.04 %  -> +20.0 %
    #   EUR (5.49 − 4.59) / 4.59 = 19.61 %  -> +19.6 %
    #   JPY (900 − 750) / 750    = 20.00 %  -> +20.0 %
    for currency, before, after, shown, exact in (("USD", "4.99", "5.99", "+20.0 %", "20.04"),
                                                  ("EUR", "4.59", "5.49", "+19.6 %", "19.61"),
                                                  ("JPY", "750", "900", "+20.0 %", "20.00")):
        row = (f"| plan `storage-plus` | new version `charges[base].amount.{currency}` | "
               f"{currency} {before} → {currency} {after} {shown} from 2027-02-01 |")
        assert row in reports.md
        assert {"kind": "plan", "id": "storage-plus", "change": "new version",
                "field": f"charges[base].amount.{currency}",
                "before": f"{currency} {before}", "after": f"{currency} {after}",
                "percent": exact, "path": "pricing/storage.yaml",
                # The new version's amount line: storage.yaml has 56 lines, the version
                # starts on 57 (effective_from), 58 charges, 59 id, 60 description, 61 type,
                # 62 model, 63 `        amount: {USD: 5.99, EUR: 5.49, JPY: 900}`.
                "line": 63}.items() <= next(
                    c for c in reports.data["catalog_changes"]
                    if c["field"] == f"charges[base].amount.{currency}").items()
    assert len(reports.data["catalog_changes"]) == 3

    # Invoices in periods before 2027-02-01 are unchanged: us-partner-msp-backup (January,
    # USD, storage-plus) stays 320.08. From February on, every storage-plus invoice moves:
    #
    # de-retail-family-bundle (February, retail EUR, tax-inclusive 19 %):
    #   storage-plus/base 4.59 -> 5.49; subtotal 82.99 − 9.00 + 5.49 + 0.00 = 79.48 = total;
    #   tax 79.48 × 19 / 119 = 1510.12 / 119 = 12.6900… -> 12.69; Δ +0.90;
    #   0.90 / 78.58 = 1.1453 % -> +1.1 % (json 1.15)
    # jp-enterprise-storage (March, enterprise JPY, 10 %):
    #   storage-plus/base 750 -> 900; subtotal 900 + 28900 + 45000 + 3600 = 78400;
    #   tax 7840; total 86240; Δ +165; 165 / 86075 = 0.1917 % -> +0.2 % (json 0.19)
    # us-web-drive-shop (March, web USD, 8.25 %), Drive Plus from 10 March (22 of 31 days):
    #   storage-plus/base 5.99 × 22 / 31 = 131.78 / 31 = 4.2509… -> 4.25 (was 3.54);
    #   discount −round((4.25 + 11.00) × 50 % = 7.625) = −7.63 (was −7.27);
    #   subtotal 4.25 + 11.00 − 7.63 + 22.73 = 30.35; tax 30.35 × 0.0825 = 2.503875 -> 2.50;
    #   total 32.85; Δ +0.37; 0.37 / 32.48 = 1.1392 % -> +1.1 % (json 1.14)
    assert changed_totals(reports) == {
        "de-retail-family-bundle": ("78.58", "79.48"),
        "jp-enterprise-storage": ("86075", "86240"),
        "us-web-drive-shop": ("32.48", "32.85"),
    }
    unchanged_base(reports, "de-retail-family-bundle", "jp-enterprise-storage",
                   "us-web-drive-shop")
    retail = reports.invoice("de-retail-family-bundle")
    assert retail["after"] == {"subtotal": "79.48", "tax": "12.69", "total": "79.48"}
    assert (retail["delta"], retail["delta_percent"]) == ("0.90", "1.15")
    shop = reports.invoice("us-web-drive-shop")
    assert shop["after"] == {"subtotal": "30.35", "tax": "2.50", "total": "32.85"}
    assert (shop["delta"], shop["delta_percent"]) == ("0.37", "1.14")
    moved = {(line["charge"], line["before"], line["after"])
             for line in shop["lines"] if line["changed"]}
    # A discount line is keyed by its promotion.
    assert moved == {("base", "3.54", "4.25"), ("drive-plus-half-price", "-7.27", "-7.63")}
    studio = reports.invoice("jp-enterprise-storage")
    assert (studio["delta"], studio["delta_percent"]) == ("165", "0.19")

    # The md invoice table, one row per changed invoice (largest relative change first).
    assert reports.md.index(INVOICE_HEADER) < reports.md.index(
        "| `de-retail-family-bundle` | retail | EUR | EUR 78.58 | EUR 79.48 | +0.90 | +1.1 % |")
    assert "| `us-web-drive-shop` | web | USD | USD 32.48 | USD 32.85 | +0.37 | +1.1 % |" \
        in reports.md
    assert "| `jp-enterprise-storage` | enterprise | JPY | JPY 86075 | JPY 86240 | +165 | " \
        "+0.2 % |" in reports.md
    # The headline: 3 of the 11 change, the largest rise is de-retail-family-bundle
    # (1.1453 % > 1.1392 % > 0.1917 %), and nothing falls.
    # Then (issue 15 items 11 and 21) the plans whose prices changed, with the largest
    # change: storage-plus USD 4.99 -> 5.99 and JPY 750 -> 900, +20.0 % (EUR 4.59 -> 5.49 is
    # +19.6 %); and Σ weight × Δ per currency: EUR 950 × 0.90 = 855.00, JPY 15 × 165 = 2475,
    # USD 1200 × 0.37 = 444.00.
    assert reports.md.splitlines()[2] == (
        "## monops: 3 of 11 sample invoices change — largest rise +1.1 % "
        "(de-retail-family-bundle) — prices changed: storage-plus +20.0 % — "
        "customer-weighted Δ: EUR +855.00, JPY +2475, USD +444.00")
    assert "largest fall" not in reports.md
    # The line diffs of the drive shop: 4.25 − 3.54 = +0.71; −7.63 − (−7.27) = −0.36.
    assert "| USD 3.54 | USD 4.25 | +0.71 |" in reports.md
    assert "| USD −7.27 | USD −7.63 | −0.36 |" in reports.md
    assert re.search(r"8 unchanged: .*`us-partner-msp-backup`", reports.md)
    # Only touched plans moved: no collateral anywhere.
    assert reports.data["collateral"] == []
    assert "Collateral" not in reports.md and "⚠️" not in reports.md

    # html: the same numbers, side by side, self-contained.
    self_contained(reports.html)
    assert "EUR 78.58 → EUR 79.48" in reports.html
    assert "USD 32.48 → USD 32.85" in reports.html
    assert "from 2027-02-01" in reports.html
    assert "collateral:" not in reports.html


# --- notice period ------------------------------------------------------------------------

def test_rise_inside_the_notice_period(example: CatalogRepo) -> None:
    # A rise effective 2026-12-05: 10 days after today (2026-11-25), inside the default
    # 30-day notice (the earliest allowed day is 2026-11-25 + 30 = 2026-12-25). Working tree.
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2026-12-05"))
    reports = example.reports(html=False)
    assert reports.returncode == 1
    # The finding points at the new version's effective_from: line 57 (storage.yaml had
    # 56 lines), column 21 (`  - effective_from: ` is 20 characters).
    assert reports.introduced() == [("notice-period", "pricing/storage.yaml", 57, 21)]
    finding = reports.data["findings"]["introduced"][0]
    assert finding["severity"] == "error"
    assert "storage-plus" in finding["message"]
    assert "USD 4.99 → USD 5.99" in finding["message"]
    assert "10 day(s)" in finding["message"] and "30 days" in finding["message"]
    assert "2026-12-25" in finding["hint"]
    assert "- ❌ `pricing/storage.yaml:57:21` **notice-period**" in reports.md
    assert "> [!CAUTION]\n> **1 new error(s)**" in reports.md


def test_notice_period_days_come_from_the_config(example: CatalogRepo) -> None:
    # The catalog's own notice is 5 days (committed with the base): 2026-12-05 is 10 days
    # ahead, past the earliest allowed day 2026-11-25 + 5 = 2026-11-30: no finding.
    example.write("monops.yaml", example.read("monops.yaml")
                  + "rules:\n  notice-period: {days: 5}\n")
    base = example.commit("five days' notice")
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2026-12-05"))
    reports = example.reports(base, html=False)
    assert reports.returncode == 0
    assert reports.data["findings"]["introduced"] == []
    # The rise still shows, in words, and moves the invoices (the January one too now).
    assert "USD 4.99 → USD 5.99 +20.0 % from 2026-12-05" in reports.md
    # us-partner-msp-backup (January, USD): storage-plus/base 4.99 -> 5.99;
    # subtotal 295.69 + 1.00 = 296.69; tax 296.69 × 0.0825 = 24.476925 -> 24.48; 321.17.
    assert reports.totals()["us-partner-msp-backup"] == ("320.08", "321.17")


# --- history-rewrite ----------------------------------------------------------------------

def test_in_place_edit_of_a_version_in_effect(example: CatalogRepo) -> None:
    # fiber-500-monthly's only version (from 2025-03-01, in effect) is edited in place:
    # USD 49.99 -> 52.99. Committed.
    example.replace("pricing/fiber.yaml", "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
                    "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}")
    base = example.sha()
    example.commit("fiber 500 costs more")
    reports = example.reports(base, "HEAD")
    assert reports.returncode == 1
    # The location is the edited amount: pricing/fiber.yaml line 18
    # (`        amount: {USD: 49.99, ...}`), column 23: 8 spaces + `amount: {` (9) +
    # `USD: ` (5) = 22 characters before the number.
    assert reports.introduced() == [("history-rewrite", "pricing/fiber.yaml", 18, 23)]
    message = reports.data["findings"]["introduced"][0]["message"]
    assert "fiber-500-monthly" in message and "2025-03-01" in message
    assert "USD 49.99 → USD 52.99" in message
    assert "`pricing/fiber.yaml:18:23` **history-rewrite**" in reports.md
    # The catalog row says it was edited in place: (52.99 − 49.99) / 49.99 = 6.0 %.
    assert ("| plan `fiber-500-monthly` | changed `charges[base].amount.USD` | USD 49.99 → "
            "USD 52.99 +6.0 % in the version from 2025-03-01 (edited in place) |") in reports.md
    # us-web-fiber-welcome (January): base 52.99; discount −round(52.99 × 25 % = 13.2475)
    # = −13.25; subtotal 52.99 − 13.25 + 70.00 = 109.74; tax 109.74 × 0.0825 = 9.05355
    # -> 9.05; total 118.79 (was 116.36): Δ +2.43, 2.43 / 116.36 = 2.088 % -> +2.1 %.
    assert changed_totals(reports) == {"us-web-fiber-welcome": ("116.36", "118.79")}
    assert "| `us-web-fiber-welcome` | web | USD | USD 116.36 | USD 118.79 | +2.43 | +2.1 % |" \
        in reports.md
    assert "history-rewrite" in reports.html


# --- a removed plan that is still offered -------------------------------------------------

def test_removed_plan_still_offered(example: CatalogRepo) -> None:
    # tv-premium (the second document of pricing/tv.yaml) is deleted; web and retail still
    # offer it and upsell to it from tv-basic; jp-retail-tv-trial subscribes to it.
    text = example.read("pricing/tv.yaml")
    example.write("pricing/tv.yaml", text.split("\n---\n")[0] + "\n")
    reports = example.reports()
    assert reports.returncode == 1
    # unknown-reference where it is still named (lines and columns counted in the files):
    #   retail.yaml 22 `    upsell: [tv-premium]` col 14, 23 `  - plan: tv-premium` col 11;
    #   web.yaml 20 (upsell) col 14, 21 (offering) col 11;
    #   jp-retail-tv-trial.yaml 15 `  - plan: tv-premium` col 11.
    # tv-premium is in effect (since 2025), so deleting it is a history-rewrite (issue 15,
    # item 1), reported where it was at the base: pricing/tv.yaml 21 `id: tv-premium` col 5.
    assert sorted(reports.introduced()) == [
        ("history-rewrite", "pricing/tv.yaml", 21, 5),
        ("unknown-reference", "catalog/channels/retail.yaml", 22, 14),
        ("unknown-reference", "catalog/channels/retail.yaml", 23, 11),
        ("unknown-reference", "catalog/channels/web.yaml", 20, 14),
        ("unknown-reference", "catalog/channels/web.yaml", 21, 11),
        ("unknown-reference", "scenarios/jp-retail-tv-trial.yaml", 15, 11),
    ]
    assert "| plan `tv-premium` | removed | TV Premium (tv, month) → — |" in reports.md
    # The scenario that used it cannot be priced any more: before 82344 (hand-computed),
    # after nothing.
    trial = reports.invoice("jp-retail-tv-trial")
    assert trial["before"]["total"] == "82344" and trial["after"] is None
    assert "tv-premium" in trial["after_error"]
    assert "| `jp-retail-tv-trial` (cannot be priced) | retail | JPY | JPY 82344 | — |" \
        in reports.md
    assert "Cannot be priced at the head" in reports.md
    unchanged_base(reports, "jp-retail-tv-trial")
    assert "Cannot be priced" in reports.html


# --- a renamed file -----------------------------------------------------------------------

@pytest.mark.parametrize("committed", [True, False], ids=["committed", "staged"])
def test_renamed_file_changes_nothing(example: CatalogRepo, committed: bool) -> None:
    base = example.sha()
    example.git("mv", "pricing/tv.yaml", "pricing/television.yaml")
    revs: tuple[str, ...] = (base, example.commit("rename")) if committed else ()
    reports = example.reports(*revs, html=False)
    assert reports.returncode == 0
    if committed:  # two different commits, whose trees differ by the rename only
        assert reports.data["base"]["sha"] == base != reports.data["head"]["sha"] == revs[1]
    assert reports.data["catalog_changes"] == []
    assert reports.data["findings"] == {"introduced": [], "fixed": []}
    assert reports.data["collateral"] == []
    assert not any(i["changed"] for i in reports.data["invoices"])
    assert reports.totals() == {s: (t, t) for s, t in HAND_TOTALS.items()}
    assert reports.md.splitlines()[2] == "## monops: No sample invoice changes (11 checked)"
    assert "No catalog entity changed." in reports.md
    assert "This change introduces and fixes no findings." in reports.md


# --- collateral changes -------------------------------------------------------------------

WEB_INCLUSIVE = {
    # web turns tax-inclusive: total = subtotal, tax = subtotal × r / (100 + r).
    # fr-web-mobile-family: 153.30 × 20 / 120 = 25.55; total 153.30 (was 183.96):
    #   Δ −30.66, −30.66 / 183.96 = −16.667 % -> −16.7 %
    "fr-web-mobile-family": ("EUR", "183.96", "153.30", "−30.66", "−16.7 %"),
    # jp-web-home-duo-move: 33170 × 10 / 110 = 3015.45 -> 3015; total 33170 (was 36487):
    #   Δ −3317, −9.091 % -> −9.1 %
    "jp-web-home-duo-move": ("JPY", "36487", "33170", "−3317", "−9.1 %"),
    # us-web-drive-shop: 30.00 × 8.25 / 108.25 = 2.2864 -> 2.29; total 30.00 (was 32.48):
    #   Δ −2.48, −7.635 % -> −7.6 %
    "us-web-drive-shop": ("USD", "32.48", "30.00", "−2.48", "−7.6 %"),
    # us-web-fiber-welcome: 107.49 × 8.25 / 108.25 = 8.192 -> 8.19; total 107.49 (was
    #   116.36): Δ −8.87, −7.623 % -> −7.6 %
    "us-web-fiber-welcome": ("USD", "116.36", "107.49", "−8.87", "−7.6 %"),
}


def test_channel_tax_mode_flip_is_collateral(example: CatalogRepo) -> None:
    # The pull request touches no plan: it makes the web channel tax-inclusive. Every web
    # invoice changes, for plans the pull request did not touch.
    example.replace("catalog/channels/web.yaml", "tax_inclusive: false", "tax_inclusive: true")
    reports = example.reports()
    assert reports.returncode == 0
    assert "| channel `web` | changed `tax_inclusive` | false → true |" in reports.md
    assert changed_totals(reports) == {s: (v[1], v[2].replace("−", "-"))
                                       for s, v in WEB_INCLUSIVE.items()}
    assert reports.invoice("us-web-drive-shop")["after"] == {
        "subtotal": "30.00", "tax": "2.29", "total": "30.00"}
    unchanged_base(reports, *WEB_INCLUSIVE)
    # Flagged loudly: the alert under the headline, ⚠️ on each row, the section.
    assert reports.data["collateral"] == sorted(WEB_INCLUSIVE)
    assert all(reports.invoice(s)["collateral"] == ["channel web's tax mode (now includes tax)"]
               for s in WEB_INCLUSIVE)
    assert ("> [!WARNING]\n> **4 invoice(s) changed for plans this pull request did not "
            "touch**") in reports.md
    assert "### ⚠️ Collateral changes" in reports.md
    for scenario, (currency, before, after, delta, percent) in WEB_INCLUSIVE.items():
        assert (f"| `{scenario}` ⚠️ | web | {currency} | {currency} {before} | "
                f"{currency} {after} | {delta} | {percent} |") in reports.md
        assert (f"- **`{scenario}`** (web): channel web's tax mode (now includes tax) — "
                f"{currency} {before} → "
                f"{currency} {after} {percent}") in reports.md
    # The headline: four change, the largest fall is fr-web-mobile-family's −16.7 %.
    # No price changed; Σ weight × Δ (issue 15 item 21): EUR 2600 × −30.66 = −79716.00;
    # JPY 600 × −3317 = −1990200; USD 1200 × −2.48 + 1800 × −8.87 = −2976.00 − 15966.00
    # = −18942.00.
    assert reports.md.splitlines()[2] == (
        "## monops: 4 of 11 sample invoices change — largest fall −16.7 % "
        "(fr-web-mobile-family) — customer-weighted Δ: EUR −79716.00, JPY −1990200, "
        "USD −18942.00")
    assert "4 invoice(s) changed for plans this change did not touch" in reports.html


def test_tax_mode_flip_beside_a_touched_plan_is_still_collateral(example: CatalogRepo) -> None:
    # Two changes in one pull request: a storage-plus price rise from 2027-02-01 (touched)
    # and web turning tax-inclusive (touches no plan). us-web-drive-shop holds both: its
    # storage-plus lines move because of the plan, but its total moves mostly because of
    # the tax mode, which the plan change does not explain: that is collateral too.
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.replace("catalog/channels/web.yaml", "tax_inclusive: false", "tax_inclusive: true")
    reports = example.reports()
    # us-web-drive-shop: lines as in test_future_price_version, subtotal 30.35, now
    # tax-inclusive: total 30.35, tax 30.35 × 8.25 / 108.25 = 2.3130 -> 2.31;
    # Δ −2.13, −2.13 / 32.48 = −6.558 %.
    shop = reports.invoice("us-web-drive-shop")
    assert shop["after"] == {"subtotal": "30.35", "tax": "2.31", "total": "30.35"}
    assert shop["delta_percent"] == "-6.56"
    assert "channel web's tax mode (now includes tax)" in shop["collateral"]
    assert "storage-plus" not in shop["collateral"]  # that plan was touched
    assert reports.data["collateral"] == sorted(WEB_INCLUSIVE)
    # The storage-plus rise alone moves the other two, which are not collateral.
    for scenario in ("de-retail-family-bundle", "jp-enterprise-storage"):
        assert reports.invoice(scenario)["changed"] is True
        assert reports.invoice(scenario)["collateral"] == []
    assert "**`us-web-drive-shop`** (web)" in reports.md


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (.ci/run installs it)")
def test_html_report_opens_in_chromium(example: CatalogRepo, tmp_path: Path) -> None:
    # The same pull request as above: 6 invoices change (the 4 web ones collateral).
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.replace("catalog/channels/web.yaml", "tax_inclusive: false", "tax_inclusive: true")
    page = tmp_path / "report.html"
    run = example.monops("diff", "--format", "html", "--out", str(page))
    assert run.returncode == 0, run
    self_contained(page.read_text(encoding="utf-8"))
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    # Side by side: a before card and an after card for each of the 6 changed invoices,
    # the 4 collateral ones marked.
    assert dom.count('<div class="pair">') == 6
    assert dom.count('<div class="card">') + dom.count('<div class="card collateral">') == 12
    assert dom.count('<div class="card collateral">') == 8
    assert dom.count("<h3>Before</h3>") == dom.count("<h3>After</h3>") == 6
    # Changed lines highlighted: the drive shop's base fee and discount (both cards), the
    # retail bundle's and the studio's Drive Plus fee (both cards): (2 + 1 + 1) × 2.
    assert dom.count('<tr class="changed">') == 8
    # The numbers a reader needs (the arithmetic is in the two tests above).
    assert "USD 32.48 → USD 30.35" in dom and "EUR 78.58 → EUR 79.48" in dom
    assert "4 invoice(s) changed for plans this change did not touch" in dom


def test_channel_override_moves_only_that_channel_and_is_not_collateral(
        example: CatalogRepo) -> None:
    # The partner channel's override on backup-business goes from +10 % to +12 %: the
    # offering is touched, so its invoices move but nothing is collateral; the enterprise
    # channel (no override) does not move.
    example.replace("catalog/channels/partner.yaml", "percent: 10", "percent: 12")
    reports = example.reports()
    # An override has no effective date: raising it raises partner subscribers' price at
    # once, which notice-period reports (exit 1).
    assert reports.returncode == 1
    assert [f["rule"] for f in reports.data["findings"]["introduced"]] == ["notice-period"]
    assert ("| channel `partner` | changed `offerings[backup-business].price_override.percent` "
            "| 10 → 12 |") in reports.md
    # us-partner-msp-backup (25 devices, volume tier 11–50): unit 5.00 × 1.12 = 5.60, flat
    #   10.00 × 1.12 = 11.20; 25 × 5.60 + 11.20 = 151.20 (was 148.50); subtotal
    #   151.20 + 4.99 + 38.20 + 104.00 = 298.39; tax 298.39 × 0.0825 = 24.617175 -> 24.62;
    #   total 323.01; Δ +2.93, 0.915 % -> +0.9 %.
    # de-partner-cafe-payments (8 devices, tier 1–10): 5.50 × 1.12 = 6.16; 8 × 6.16 = 49.28
    #   (was 48.40); subtotal 23.46 + 49.28 = 72.74; tax 72.74 × 0.19 = 13.8206 -> 13.82;
    #   total 86.56; Δ +1.05, 1.05 / 85.51 = 1.228 % -> +1.2 %.
    assert changed_totals(reports) == {"us-partner-msp-backup": ("320.08", "323.01"),
                                       "de-partner-cafe-payments": ("85.51", "86.56")}
    unchanged_base(reports, "us-partner-msp-backup", "de-partner-cafe-payments")
    assert reports.data["collateral"] == []
    assert "⚠️" not in reports.md and "Collateral" not in reports.md
    # The price change is partner's override of backup-business (a percent, not an amount:
    # no money percent to show); Σ weight × Δ: EUR 700 × 1.05 = 735.00, USD 300 × 2.93
    # = 879.00 (issue 15 items 11 and 21).
    assert reports.md.splitlines()[2] == (
        "## monops: 2 of 11 sample invoices change — largest rise +1.2 % "
        "(de-partner-cafe-payments) — prices changed: backup-business in partner — "
        "customer-weighted Δ: EUR +735.00, USD +879.00")


def test_channel_currency_dropped(example: CatalogRepo) -> None:
    # web stops selling JPY while jp-web-home-duo-move is a JPY customer of web: the
    # scenario is no longer one a real customer could be in.
    example.replace("catalog/channels/web.yaml", "currencies: [USD, EUR, JPY]",
                    "currencies: [USD, EUR]")
    reports = example.reports(html=False)
    assert reports.returncode == 1
    # scenarios/jp-web-home-duo-move.yaml line 8 `currency: JPY`, column 11.
    assert reports.introduced() == [
        ("scenario-invalid", "scenarios/jp-web-home-duo-move.yaml", 8, 11)]
    assert "| channel `web` | changed `currencies` |" in reports.md


# --- --fail-on-increase -------------------------------------------------------------------

TV_ONLY = """\
kind: scenario
id: us-web-tv-basic
name: US household, TV Basic only
channel: web
currency: USD
period: {start: 2027-02-01, end: 2027-02-28}
customer: {name: Sam Doe, country: US, tax_rate: 0}
subscriptions:
  - plan: tv-basic
    start: 2026-10-01
"""


@pytest.mark.parametrize("usd, eur, jpy, percent, code", [
    # 27.49 / 24.99: Δ 2.50 = 10.004 % > 5: exit 1.
    ("27.49", "25.29", "4110", "10.0", 1),
    # 25.49 / 24.99: Δ 0.50 = 2.0008 % <= 5: exit 0.
    ("25.49", "23.45", "3810", "2.0", 0),
])
def test_fail_on_increase(example: CatalogRepo, usd: str, eur: str, jpy: str, percent: str,
                          code: int) -> None:
    # A sample customer with TV Basic alone, tax 0: the invoice is the plan's price, 24.99.
    example.write("scenarios/us-web-tv-basic.yaml", TV_ONLY)
    example.commit("a TV-only customer")
    # A new tv-basic version from 2027-01-01 (past the notice period), EUR and JPY moved
    # alike (so that fx-consistency stays quiet).
    example.append_version("pricing/tv.yaml", "tv-basic", f"""\
  - effective_from: 2027-01-01
    charges:
      - id: base
        description: TV Basic monthly fee
        type: recurring
        model: flat
        amount: {{USD: {usd}, EUR: {eur}, JPY: {jpy}}}
""")
    reports = example.reports(options=("--fail-on-increase", "5"), html=False)
    assert reports.returncode == code
    assert reports.data["findings"]["introduced"] == []
    assert changed_totals(reports) == {"us-web-tv-basic": ("24.99", usd)}
    assert f"| `us-web-tv-basic` | web | USD | USD 24.99 | USD {usd} |" in reports.md
    assert f"+{percent} %" in reports.md
    if code:
        assert reports.stderr == ("monops: us-web-tv-basic: total rises by 10.00 %, over "
                                  "--fail-on-increase 5 %\n")
    else:
        assert reports.stderr == ""
    # Without the threshold, a rise alone never fails the diff.
    assert example.monops("diff").returncode == 0


# --- git: a shallow clone, and revisions that are not revisions ---------------------------

def test_shallow_clone_names_the_fetch_that_fixes_it(example: CatalogRepo,
                                                      tmp_path: Path) -> None:
    base = example.sha()
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.commit("Drive Plus price")
    clone_path = tmp_path / "shallow"
    run_git(tmp_path, example.env, "clone", "-q", "--depth=1", example.path.as_uri(),
            str(clone_path))
    clone = CatalogRepo(clone_path, example.env)

    failed = clone.monops("diff", "HEAD~1")
    assert failed.returncode == 2
    assert failed.stdout == ""
    lines = failed.stderr.splitlines()
    assert len(lines) == 1, failed
    assert lines[0].startswith("monops: error: ")
    match = re.search(r"`(git fetch [^`]*)`", lines[0])
    assert match, failed
    command = shlex.split(match.group(1))
    # The missing commit is the base, by its full SHA, fetched one commit deep.
    assert command[0:2] == ["git", "fetch"] and command[-1] == base and "--depth=1" in command

    subprocess.run(command, cwd=clone_path, env=example.env, check=True, capture_output=True)
    fixed = clone.monops("diff", "HEAD~1", "--format", "json")
    assert fixed.returncode == 0, fixed
    assert fixed.json()["base"]["sha"] == base
    assert {c["field"] for c in fixed.json()["catalog_changes"]} == {
        "charges[base].amount.USD", "charges[base].amount.EUR", "charges[base].amount.JPY"}


BAD_REVISIONS = ["--output={x}", "-h", "a..b", "x@{{1}}", "../../etc/passwd",
                 "HEAD:monops.yaml", "--upload-pack=touch {x}", "-ofoo"]


def refused(run: Run, side_effect: Path) -> None:
    """Exit 2, nothing on stdout, one line on stderr (no traceback), no file written."""
    assert run.returncode == 2, run
    assert run.stdout == "", run
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("monops: error: "), run
    assert not side_effect.exists(), run


@pytest.mark.parametrize("template", BAD_REVISIONS)
def test_revisions_that_look_like_options_are_refused(example: CatalogRepo, tmp_path: Path,
                                                      template: str) -> None:
    # After `--` (how a script passes a revision it did not write) as BASE, and as HEAD.
    side_effect = tmp_path / "x"
    rev = template.format(x=side_effect)
    refused(example.monops("diff", "--", rev), side_effect)
    refused(example.monops("diff", "--format", "json", "HEAD", "--", rev), side_effect)


@pytest.mark.parametrize("template", ["--output={x}", "-h", "HEAD:monops.yaml"])
def test_lint_and_render_refuse_them_too(example: CatalogRepo, tmp_path: Path,
                                         template: str) -> None:
    side_effect = tmp_path / "x"
    rev = template.format(x=side_effect)
    refused(example.monops("lint", f"--changed-since={rev}"), side_effect)
    refused(example.monops("render", f"--rev={rev}"), side_effect)


def test_option_like_text_without_double_dash(example: CatalogRepo, tmp_path: Path) -> None:
    # Unquoted in a shell script, `--output=...` is read as an option monops does not have:
    # a usage error, and nothing is written.
    side_effect = tmp_path / "x"
    run = example.monops("diff", f"--output={side_effect}")
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run
    assert not side_effect.exists()
    for rev in ("a..b", "x@{1}", "../../etc/passwd", "HEAD:monops.yaml"):
        run = example.monops("diff", rev)
        assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run


# --- the working tree is never touched ----------------------------------------------------

def test_working_tree_untouched_when_dirty(example: CatalogRepo, tmp_path: Path) -> None:
    # An unstaged edit, a staged edit and an untracked file. Every monops run below is
    # checked by the fixture (git status, HEAD, the index bytes, every file's bytes).
    example.replace("pricing/fiber.yaml", "JPY: 7480}", "JPY: 7490}")
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.git("add", "pricing/storage.yaml")
    example.write("scenarios/extra.yaml", TV_ONLY.replace("us-web-tv-basic", "extra-tv"))
    # And a tracked file whose content is unchanged but whose stat data is stale (as after
    # a fresh checkout or a `touch`): `git diff` would refresh the index to record it.
    os.utime(example.path / "catalog/products/tv.yaml", (1_000_000_000, 1_000_000_000))
    status = example.status()
    assert status.splitlines() == [" M pricing/fiber.yaml", "M  pricing/storage.yaml",
                                   "?? scenarios/extra.yaml"]
    reports = example.reports()  # HEAD omitted: the working tree, uncommitted files too
    # The untracked scenario is part of the head: a new invoice of 24.99 (TV Basic, tax 0).
    extra = reports.invoice("extra-tv")
    assert extra["before"] is None and extra["after"]["total"] == "24.99"
    assert "| `extra-tv` (new) | web | USD | — | USD 24.99 |" in reports.md
    assert example.monops("diff", "main", "HEAD").returncode == 0  # nothing committed yet
    out = tmp_path / "report.md"
    run = example.monops("diff", "--out", str(out))
    assert run.returncode == 1 and out.read_text(encoding="utf-8").startswith(MARKER), run
    example.monops("lint", "--changed-since", "main")
    example.monops("render", "--rev", "main", "--format", "json")
    assert example.status() == status


# --- lint --changed-since -----------------------------------------------------------------

ORPHAN = """\
kind: plan
id: {id}
name: {name}
sku: {sku}
description: Kept for reference; offered nowhere.
product: {product}
billing_period: month
versions:
  - effective_from: 2025-03-01
    charges:
      - id: base
        description: {name} monthly fee
        type: recurring
        model: flat
        amount: {{USD: 19.99, EUR: 18.39, JPY: 3000}}
"""


def test_lint_changed_since(example: CatalogRepo) -> None:
    # The base has two pre-existing orphan warnings: tv-legacy in a file of its own, and
    # sms-legacy as a second document of pricing/messaging.yaml.
    example.write("pricing/legacy.yaml", ORPHAN.format(id="tv-legacy", name="TV Legacy",
                                                       sku="TV-LEG", product="tv"))
    messaging = example.read("pricing/messaging.yaml")
    example.write("pricing/messaging.yaml", messaging + "---\n" + ORPHAN.format(
        id="sms-legacy", name="Messaging Legacy", sku="SMS-LEG", product="sms-api"))
    base = example.commit("legacy plans")
    full = example.monops("lint", "--format", "json")
    assert full.returncode == 0
    assert sorted((f["rule"], f["path"]) for f in full.json()["findings"]) == [
        ("orphan", "pricing/legacy.yaml"), ("orphan", "pricing/messaging.yaml")]

    # The change: messaging.yaml gets a new description (no new finding there), and
    # tv-premium is deleted from pricing/tv.yaml, which breaks references elsewhere.
    example.replace("pricing/messaging.yaml",
                    "description: Application-to-person SMS, billed in packs",
                    "description: A2P SMS, billed in packs")
    example.write("pricing/tv.yaml", example.read("pricing/tv.yaml").split("\n---\n")[0] + "\n")
    run = example.monops("lint", "--changed-since", base, "--format", "json")
    assert run.returncode == 1
    found = sorted((f["rule"], f["path"], f["line"], f["column"])
                   for f in run.json()["findings"])
    assert found == [
        # Introduced by the change: tv-premium, in effect, deleted (issue 15 item 1), at
        # its place in the base (pricing/tv.yaml 21 `id: tv-premium`, column 5).
        ("history-rewrite", "pricing/tv.yaml", 21, 5),
        # Pre-existing, but in a file the change touched: messaging.yaml's first document
        # has 18 lines, `---` is line 19, `kind: plan` 20, `id: sms-legacy` 21 (the id's
        # value, column 5).
        ("orphan", "pricing/messaging.yaml", 21, 5),
        # Introduced by the change, in files it did not touch: the five places that still
        # name tv-premium (counted in test_removed_plan_still_offered).
        ("unknown-reference", "catalog/channels/retail.yaml", 22, 14),
        ("unknown-reference", "catalog/channels/retail.yaml", 23, 11),
        ("unknown-reference", "catalog/channels/web.yaml", 20, 14),
        ("unknown-reference", "catalog/channels/web.yaml", 21, 11),
        ("unknown-reference", "scenarios/jp-retail-tv-trial.yaml", 15, 11),
    ]
    # Not reported: tv-legacy's orphan warning, in a file the change did not touch.
    assert all(f["path"] != "pricing/legacy.yaml" for f in run.json()["findings"])
    text = example.monops("lint", "--changed-since", base)
    assert "pricing/legacy.yaml" not in text.stdout
    assert "catalog/channels/web.yaml:21:11" in text.stdout


# --- render --rev -------------------------------------------------------------------------

def test_render_rev_reads_the_base_while_the_tree_holds_a_change(example: CatalogRepo) -> None:
    example.replace("pricing/fiber.yaml", "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
                    "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}")
    at_base = example.monops("render", "--rev", "main", "--format", "json")
    assert at_base.returncode == 0, at_base
    totals = {i["scenario"]: i["total"] for i in at_base.json()["invoices"]}
    assert totals == HAND_TOTALS
    # The working tree holds the change: us-web-fiber-welcome is 118.79 there (the
    # arithmetic is in test_in_place_edit_of_a_version_in_effect).
    here = example.monops("render", "--format", "json")
    assert {i["scenario"]: i["total"] for i in here.json()["invoices"]} == {
        **HAND_TOTALS, "us-web-fiber-welcome": "118.79"}
    welcome = next(i for i in at_base.json()["invoices"]
                   if i["scenario"] == "us-web-fiber-welcome")
    assert (welcome["subtotal"], welcome["tax"]) == ("107.49", "8.87")


# --- SPEC section 6, every element ---------------------------------------------------------

def test_report_holds_every_element_of_spec_section_6(example: CatalogRepo) -> None:
    # The base has a finding the pull request fixes: wifi-router without its tax_code
    # (npi-incomplete: an active product missing what launch needs).
    example.replace("catalog/products/wifi-router.yaml", "tax_code: GOODS-STD\n", "")
    base = example.commit("router without tax code")
    # The pull request: restores the tax code (fixes), raises storage-plus from 2027-02-01
    # (catalog change, invoices rise), edits fiber-500-monthly in place (history-rewrite:
    # introduced) and makes web tax-inclusive (collateral, invoices fall).
    example.replace("catalog/products/wifi-router.yaml", "status: active\n",
                    "status: active\ntax_code: GOODS-STD\n")
    example.append_version("pricing/storage.yaml", "storage-plus",
                           storage_plus_version("2027-02-01"))
    example.replace("pricing/fiber.yaml", "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
                    "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}")
    example.replace("catalog/channels/web.yaml", "tax_inclusive: false", "tax_inclusive: true")
    example.commit("the pull request")
    reports = example.reports(base, "HEAD")
    md = reports.md
    lines = md.splitlines()

    # 1. the hidden marker, first line.
    assert lines[0] == MARKER
    # 2. the headline: changed invoices and the largest rise and fall in %.
    #   rises: de-retail-family-bundle +1.1453 % (test_future_price_version),
    #          jp-enterprise-storage +0.19 %; falls: fr-web-mobile-family −16.667 %,
    #          jp-web-home-duo-move −9.09 %, us-web-drive-shop (30.35 inclusive vs 32.48)
    #          −6.56 %, us-web-fiber-welcome (109.74 inclusive vs 116.36) −5.69 %.
    #   Then the plans whose prices changed (fiber-500-monthly USD 49.99 -> 52.99: +6.0 %;
    #   storage-plus +20.0 %) and Σ weight × Δ per currency (issue 15 items 11 and 21):
    #   EUR 950 × 0.90 + 2600 × −30.66 = 855.00 − 79716.00 = −78861.00;
    #   JPY 15 × 165 + 600 × −3317 = 2475 − 1990200 = −1987725;
    #   USD 1200 × (30.35 − 32.48 = −2.13) + 1800 × −6.62 = −2556.00 − 11916.00 = −14472.00.
    assert lines[2] == ("## monops: 6 of 11 sample invoices change — largest rise +1.1 % "
                        "(de-retail-family-bundle), largest fall −16.7 % (fr-web-mobile-family)"
                        " — prices changed: fiber-500-monthly +6.0 %, storage-plus +20.0 % — "
                        "customer-weighted Δ: EUR −78861.00, JPY −1987725, USD −14472.00")
    # 3. the catalog changes table (entity, change, before → after).
    assert "### Catalog changes" in md and CATALOG_HEADER in md
    assert "| product `wifi-router` | added `tax_code` | — → GOODS-STD |" in md
    # 4. the invoice table with its seven columns.
    assert INVOICE_HEADER in md
    # us-web-fiber-welcome: subtotal 109.74 (see the in-place test), inclusive now:
    # total 109.74; Δ 109.74 − 116.36 = −6.62; −5.689 % -> −5.7 %.
    assert "| `us-web-fiber-welcome` ⚠️ | web | USD | USD 116.36 | USD 109.74 | −6.62 | " \
        "−5.7 % |" in md
    # 5. one <details> per changed scenario, with its line diffs.
    assert md.count("<details>") == md.count("</details>") == 6
    assert "<summary><b>de-retail-family-bundle</b>: EUR 78.58 → EUR 79.48 +1.1 %</summary>" \
        in md
    # 6. findings introduced and fixed.
    assert "### Findings this change introduces (1)" in md
    assert "**history-rewrite**" in md
    assert "### Findings this change fixes (1)" in md
    assert "**npi-incomplete**" in md
    assert [f["rule"] for f in reports.data["findings"]["fixed"]] == ["npi-incomplete"]
    # 7. collateral changes, flagged loudly: all four web invoices (the tax mode moved them,
    # whatever else moved their lines).
    assert "### ⚠️ Collateral changes" in md
    assert reports.data["collateral"] == sorted(WEB_INCLUSIVE)
    # 8. the footer, last.
    assert lines[-1].startswith("<sub>monops ") and lines[-2] == "---"
    assert f"today {TODAY}" in lines[-1]
    assert "working tree" not in lines[-1] and base[:12] in lines[-1]
    # In that order.
    order = [MARKER, "## monops:", "### Catalog changes", "### Invoices", "<details>",
             "### Findings this change introduces", "### Findings this change fixes",
             "### ⚠️ Collateral changes", "<sub>monops"]
    positions = [md.index(part) for part in order]
    assert positions == sorted(positions)
    assert len(md) < 65_000
    assert reports.returncode == 1
    # The json report holds what the md shows.
    assert reports.data["version"] == 1
    assert reports.data["headline"] == lines[2].removeprefix("## monops: ")
    assert reports.data["base"]["sha"] == base
    self_contained(reports.html)
