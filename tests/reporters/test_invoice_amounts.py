"""What printed invoices and quotes show of amounts (issue 15 items 2, 3 and 8; issue 20
item 3): breakdowns rounded for display, JSON with exactly the currency's minor-unit digits,
amounts inside line text in the customer's locale, and every ISO 4217 currency displayed
with its ISO digits, so that the lines add up to the total as printed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.pricing import Invoice, invoice_for, quote
from monops_lint.reporters.invoices import invoice_renderer
from monops_lint.reporters.invoices.view import quote_json, quote_text
from tests.conftest import write_catalog

PRODUCT = """\
kind: product
id: metrics
name: Metrics
"""


def _invoices(root: Path) -> dict[str, Invoice]:
    workspace = Workspace.open(root)
    catalog = workspace.catalog()
    return {s: invoice_for(catalog.scenarios[s], catalog, workspace.config.rounding)
            for s in catalog.scenarios}


def _render(fmt: str, invoice: Invoice) -> str:
    return invoice_renderer(fmt).render([invoice])


# --- item 2: breakdowns of usage pro-rated by a trial -----------------------------------

TRIAL = {
    "catalog/p.yaml": PRODUCT,
    "pricing/p.yaml": """\
        kind: plan
        id: events
        name: Events
        product: metrics
        billing_period: month
        trial_days: 10
        versions:
          - effective_from: 2026-01-01
            charges:
              - id: events
                type: usage
                metric: events
                model: graduated
                tiers:
                  - {up_to: 50, unit_amount: {EUR: 2.00}}
                  - {up_to: null, unit_amount: {EUR: 1.66}}
        """,
    "catalog/c.yaml": """\
        kind: channel
        id: web
        name: Web
        currencies: [EUR]
        offerings:
          - plan: events
        """,
    "scenarios/s.yaml": """\
        kind: scenario
        id: s
        channel: web
        currency: EUR
        period: {start: 2027-01-01, end: 2027-01-31}
        customer: {name: Beispiel GmbH, country: DE, tax_rate: 19, locale: de-DE}
        subscriptions:
          - {plan: events, start: 2027-01-01, usage: {events: 100}}
        """,
}
# Trial 1-10 January: 21 of 31 active days paid, so 100 events x 21/31 = 67.7419354838...
# billable: tier 1 holds 50 x 2.00 = 100.00, tier 2 holds 17.7419354838... x 1.66 =
# 29.451612903225806... -> shown 29.45; the line is 129.451612... -> 129.45.


def test_a_tier_breakdown_is_shown_rounded_in_every_format(tmp_path: Path) -> None:
    invoice = _invoices(write_catalog(tmp_path / "cat", TRIAL))["s"]
    assert invoice.lines[0].amount == Decimal("129.45")
    for fmt in ("md", "txt", "html"):
        text = _render(fmt, invoice)
        assert "29,45\u00a0€" in text, fmt
        assert "29,4516" not in text and "29,451612903" not in text, fmt
        assert "100,00\u00a0€" in text, fmt  # tier 1: 50 x 2.00
    line = json.loads(_render("json", invoice))["invoices"][0]["lines"][0]
    assert [p["amount"] for p in line["breakdown"]] == ["100.00", "29.45"]
    # Quantities keep 12 decimals: 17.741935483870967741... -> 17.741935483871.
    assert line["breakdown"][1]["units"] == "17.741935483871"


def test_a_quote_breakdown_is_shown_rounded(tmp_path: Path) -> None:
    catalog = Workspace.open(write_catalog(tmp_path / "cat", TRIAL)).catalog()
    # 62.7419 events: 50 x 2.00 = 100.00 and 12.7419 x 1.66 = 21.151554 -> 21.15.
    result = quote("events", catalog, currency="EUR", usage={"events": Decimal("62.7419")},
                   on=dt.date(2027, 1, 1))
    text = quote_text(result)
    assert "€21.15" in text and "21.151554" not in text
    assert [p["amount"] for p in quote_json(result)["lines"][0]["breakdown"]] == \
        ["100.00", "21.15"]


# --- item 3: JSON amounts with exactly the minor-unit digits ----------------------------

GBP = {
    "catalog/p.yaml": PRODUCT,
    "pricing/p.yaml": """\
        kind: plan
        id: growth
        name: Growth
        product: metrics
        billing_period: month
        minimum: {GBP: 1600.00}
        versions:
          - effective_from: 2026-01-01
            charges:
              - {id: platform, type: recurring, model: per_unit, unit_amount: {GBP: 185}}
              - id: seats
                type: recurring
                model: graduated
                tiers:
                  - {up_to: 10, unit_amount: {GBP: 79}, flat_amount: {GBP: 10}}
                  - {up_to: null, unit_amount: {GBP: 0.0004}}
        """,
    "catalog/c.yaml": """\
        kind: channel
        id: uk
        name: UK
        currencies: [GBP]
        offerings:
          - plan: growth
        """,
    "scenarios/s.yaml": """\
        kind: scenario
        id: s
        channel: uk
        currency: GBP
        period: {start: 2027-01-01, end: 2027-01-31}
        customer: {name: Acme Ltd, country: GB, tax_rate: 20, locale: en-GB}
        subscriptions:
          - {plan: growth, quantity: 12}
        """,
}
# platform: per_unit 12 x 185 = 2220.00. Seats, graduated at q = 12:
# tier 1: 10 x 79 + 10 = 800.00; tier 2: 2 x 0.0004 = 0.0008 -> shown 0.00; line 800.0008
# -> 800.00. Lines 2220.00 + 800.00 = 3020.00, above the minimum of 1600.00: no true-up.


def test_json_amounts_carry_the_minor_unit_digits(tmp_path: Path) -> None:
    invoice = _invoices(write_catalog(tmp_path / "cat", GBP))["s"]
    lines = json.loads(_render("json", invoice))["invoices"][0]["lines"]
    platform, seats = lines
    assert platform["unit_amount"] == "185.00" and platform["amount"] == "2220.00"
    first, second = seats["breakdown"]
    assert (first["unit_amount"], first["flat_amount"], first["amount"]) == \
        ("79.00", "10.00", "800.00")
    # A unit rate keeps its own precision (at least the minor unit's digits).
    assert (second["unit_amount"], second["flat_amount"], second["amount"]) == \
        ("0.0004", "0.00", "0.00")


def test_a_true_up_has_no_quantity_in_json(tmp_path: Path) -> None:
    # One seat: 185.00 + (1 x 79 + 10 = 89.00) = 274.00, below 1600.00: a true-up of 1326.00.
    files = {**GBP, "scenarios/s.yaml": GBP["scenarios/s.yaml"].replace("quantity: 12",
                                                                        "quantity: 1")}
    invoice = _invoices(write_catalog(tmp_path / "cat", files))["s"]
    lines = json.loads(_render("json", invoice))["invoices"][0]["lines"]
    true_up = [line for line in lines if line["kind"] == "true-up"]
    assert len(true_up) == 1
    assert true_up[0]["quantity"] is None and true_up[0]["unit_amount"] is None
    assert true_up[0]["amount"] == "1326.00"


# --- item 8: amounts inside line text, as the amount column shows them ------------------

PROMOTED = {
    "catalog/p.yaml": PRODUCT,
    "pricing/p.yaml": GBP["pricing/p.yaml"].replace("GBP", "EUR"),
    "catalog/c.yaml": """\
        kind: channel
        id: web
        name: Web
        currencies: [EUR, GBP]
        offerings:
          - plan: growth
        """,
    "catalog/promo.yaml": """\
        kind: promotion
        id: switch
        name: Switch to Growth
        channels: [web]
        plans: [growth]
        amount_off: {EUR: 45.00, GBP: 40.00}
        valid_from: 2026-01-01
        """,
    "scenarios/de.yaml": """\
        kind: scenario
        id: de
        channel: web
        currency: EUR
        period: {start: 2027-01-01, end: 2027-01-31}
        customer: {name: Beispiel GmbH, country: DE, tax_rate: 19, locale: de-DE}
        subscriptions:
          - {plan: growth, quantity: 1, promotion: switch}
        """,
}


def test_amounts_inside_line_text_are_formatted_like_the_amount_column(
        tmp_path: Path) -> None:
    # 185.00 + 89.00 = 274.00 -> true-up to 1600.00 (1326.00); then 45.00 off.
    invoice = _invoices(write_catalog(tmp_path / "cat", PROMOTED))["de"]
    for fmt in ("md", "txt", "html"):
        text = _render(fmt, invoice)
        assert "true-up to the minimum of 1.600,00\u00a0€" in text, fmt
        assert "Switch to Growth: 45,00\u00a0€ off" in text, fmt
        assert "1600.00" not in text and "45.00 off" not in text, fmt
    # JSON keeps the exact text, with the digits of its amount fields.
    lines = json.loads(_render("json", invoice))["invoices"][0]["lines"]
    assert any(line["description"] == "true-up to the minimum of 1600.00" for line in lines)
    assert any(line["description"] == "Switch to Growth: 45.00 off" for line in lines)


def test_a_gbp_true_up_reads_in_pounds(tmp_path: Path) -> None:
    files = {**GBP, "scenarios/s.yaml": GBP["scenarios/s.yaml"].replace("quantity: 12",
                                                                        "quantity: 1")}
    invoice = _invoices(write_catalog(tmp_path / "cat", files))["s"]
    assert "true-up to the minimum of £1,600.00" in _render("md", invoice)


# --- issue 20 item 3: every ISO 4217 currency shows its ISO digits -----------------------

def _iso_currencies() -> list[tuple[str, int]]:
    from iso4217 import Currency

    from monops_lint.money import CurrencyError, minor_units

    found = []
    for currency in Currency:
        try:
            found.append((currency.code, minor_units(currency.code)))
        except CurrencyError:
            continue  # no minor unit (gold, SDR...): not a currency prices are written in
    return found


def _territory_locale(code: str) -> str:
    """A locale of a territory that uses ``code`` (its likeliest), else en_US."""
    from babel.core import get_global

    for territory, currencies in get_global("territory_currencies").items():
        if any(entry[0] == code for entry in currencies):
            return f"und_{territory}"
    return "en_US"


def _read_back(text: str, code: str, locale: Any) -> Decimal:
    """The number a formatted amount shows, read with the locale's symbols."""
    from babel.numbers import get_currency_symbol, get_decimal_symbol, get_minus_sign_symbol

    number = text.replace(get_currency_symbol(code, locale), "").replace(code, "")
    decimal_mark = get_decimal_symbol(locale)
    minus = get_minus_sign_symbol(locale)
    kept = "".join(c if c.isdigit() else "." if c == decimal_mark else "-" if c in
                   (minus, "-") else "" for c in number)
    return Decimal(kept)


@pytest.mark.parametrize("code, digits", _iso_currencies())
def test_every_iso_currency_adds_up_as_displayed(code: str, digits: int) -> None:
    from monops_lint.reporters.invoices.view import Formatter, locale_for

    quantum = Decimal(1).scaleb(-digits)
    # Lines of 5499.50 and 1484.87 written in minor units: 549950 and 148487 of them.
    lines = [Decimal(549950).scaleb(-digits), Decimal(148487).scaleb(-digits)]
    total = sum(lines, Decimal(0))
    for name in ("en_US", _territory_locale(code)):
        locale = locale_for(name, "")
        fmt = Formatter(locale, code)
        shown = [fmt.money(amount) for amount in lines]
        read = [_read_back(text, code, locale) for text in shown]
        assert read == lines, (name, shown)
        assert sum(read, Decimal(0)) == _read_back(fmt.money(total), code, locale), name
        # exactly the ISO digits after the decimal mark, no more, no fewer
        for text, amount in zip(shown, lines, strict=True):
            assert _read_back(text, code, locale).as_tuple().exponent == \
                amount.quantize(quantum).as_tuple().exponent, (name, text)


# --- issue 20 item 3, end to end: HUF, IDR and JPY invoices as `monops render` prints them --

THREE = {
    "catalog/p.yaml": PRODUCT,
    "pricing/p.yaml": """\
        kind: plan
        id: team
        name: Team
        product: metrics
        billing_period: month
        versions:
          - effective_from: 2026-01-01
            charges:
              - id: base
                type: recurring
                model: flat
                amount: {HUF: 5499.50, IDR: 149999.50, JPY: 74800}
              - id: support
                type: recurring
                model: flat
                amount: {HUF: 1484.87, IDR: 25000.25, JPY: 3044}
        """,
    "catalog/c.yaml": """\
        kind: channel
        id: web
        name: Web
        currencies: [HUF, IDR, JPY]
        offerings:
          - plan: team
        """,
    "scenarios/hu.yaml": """\
        kind: scenario
        id: hu
        channel: web
        currency: HUF
        period: {start: 2027-01-01, end: 2027-01-31}
        customer: {name: Minta Kft., country: HU, tax_rate: 27, locale: hu-HU}
        subscriptions:
          - {plan: team}
        """,
    "scenarios/id.yaml": """\
        kind: scenario
        id: id
        channel: web
        currency: IDR
        period: {start: 2027-01-01, end: 2027-01-31}
        customer: {name: PT Contoh, country: ID, tax_rate: 11, locale: id-ID}
        subscriptions:
          - {plan: team}
        """,
    "scenarios/jp.yaml": """\
        kind: scenario
        id: jp
        channel: web
        currency: JPY
        period: {start: 2027-01-01, end: 2027-01-31}
        customer: {name: Sato Ken, country: JP, tax_rate: 10, locale: ja-JP}
        subscriptions:
          - {plan: team}
        """,
}
# hu: 5499.50 + 1484.87 = 6984.37; tax 27 %: 6984.37 x 0.27 = 1885.7799 -> 1885.78;
#     total 6984.37 + 1885.78 = 8870.15.
# id: 149999.50 + 25000.25 = 174999.75; tax 11 %: 174999.75 x 0.11 = 19249.9725 -> 19249.97;
#     total 174999.75 + 19249.97 = 194249.72.
# jp: 74800 + 3044 = 77844; tax 10 %: 7784.4 -> 7784; total 77844 + 7784 = 85628.
NBSP = "\u00a0"
EXPECTED = {
    "hu": (["5 499,50 Ft", "1 484,87 Ft"], "6 984,37 Ft", "1 885,78 Ft", "8 870,15 Ft"),
    "id": (["Rp149.999,50", "Rp25.000,25"], "Rp174.999,75", "Rp19.249,97", "Rp194.249,72"),
    "jp": (["￥74,800", "￥3,044"], "￥77,844", "￥7,784", "￥85,628"),
}


def _md_amounts(text: str) -> list[str]:
    """The Amount column of an invoice's Markdown table, row by row."""
    rows = [line for line in text.splitlines() if line.startswith("| ") and
            not line.startswith("| Plan") and line.count("|") == 6]
    return [row.rstrip(" |").rsplit("|", 1)[1].strip().strip("*") for row in rows]


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_huf_idr_and_jpy_invoices_add_up_as_printed(scenario: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    root = write_catalog(tmp_path / "cat", THREE)

    def render(fmt: str) -> str:
        done = subprocess.run([sys.executable, "-m", "monops_lint", "render", "--root",
                               str(root), "--scenario", scenario, "--format", fmt],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    lines, subtotal, tax, total = (
        [text.replace(" ", NBSP) for text in EXPECTED[scenario][0]],
        *(text.replace(" ", NBSP) for text in EXPECTED[scenario][1:]))
    md = render("md")
    assert _md_amounts(md) == [*lines, subtotal, tax, total]
    for fmt, text in (("txt", render("txt")), ("html", render("html"))):
        for amount in (*lines, subtotal, tax, total):
            assert amount in text, (fmt, amount)
    data = json.loads(render("json"))["invoices"][0]
    amounts = [Decimal(line["amount"]) for line in data["lines"]]
    assert sum(amounts) == Decimal(data["subtotal"])
    assert Decimal(data["subtotal"]) + Decimal(data["tax"]) == Decimal(data["total"])
