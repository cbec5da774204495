"""Money (issue 7): overflow when quantizing, currencies ZZZ and XAU, amounts with 13
decimals. Every number below is worked out by hand.

See also tests/rules/cases/money-precision.yaml and tests/pricing/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import write_catalog
from tests.hardening.conftest import (
    TODAY,
    Expect,
    assert_clean_exit,
    assert_findings,
    assert_one_line_error,
    lint_json,
    monops,
)

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

PRODUCT = "kind: product\nid: gadget\nname: Gadget\nstatus: active\ndescription: G\n" \
          "tax_code: T\n"


def plan(plan_id: str, charge: str) -> str:
    return (f"kind: plan\nid: {plan_id}\nname: {plan_id}\nproduct: gadget\n"
            "billing_period: month\nversions:\n  - effective_from: 2026-01-01\n"
            f"    charges:\n      - {charge}\n")


HUGE = {
    "catalog/p.yaml": PRODUCT,
    # the largest amount and quantity the schema admits (both below 10^15)
    "pricing/big.yaml": plan("big", "{id: seat, type: recurring, model: per_unit, "
                                    "unit_amount: {USD: 999999999999999.99}}"),
    "pricing/cent.yaml": plan("cent", "{id: seat, type: recurring, model: per_unit, "
                                      "unit_amount: {USD: 0.01}}"),
    "catalog/c.yaml": "kind: channel\nid: web\nname: Web\ncurrencies: [USD]\n"
                      "offerings: [{plan: big}, {plan: cent}]\n",
    "scenarios/s.yaml": "kind: scenario\nid: s\nchannel: web\ncurrency: USD\n"
                        "period: {start: 2027-01-01, end: 2027-01-31}\n"
                        "customer: {name: X, country: US, tax_rate: 0}\n"
                        "subscriptions: [{plan: big, quantity: 999999999999999}]\n",
}
# (10^15 - 0.01) × (10^15 - 1) = 10^30 - 10^15 - 0.01 × 10^15 + 0.01
#                              = 10^30 - 1,010,000,000,000,000 + 0.01
EXACT = "999999999999998990000000000000.01"
SHOWN = "$999,999,999,999,998,990,000,000,000,000.01"


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_catalog(tmp_path_factory.mktemp("money") / "c", HUGE)
    run, findings = lint_json(root)
    assert findings == [] and run.returncode == 0  # every value is within the schema
    return root


def test_the_largest_schema_values_price_exactly_in_every_format(huge: Path) -> None:
    run = monops("render", "--format", "json", "--root", str(huge))
    assert_clean_exit(run)
    invoice = json.loads(run.stdout)["invoices"][0]
    assert [line["amount"] for line in invoice["lines"]] == [EXACT]
    # the subtotal is the sum of the lines (it was rounded at 28 digits to ...000.00)
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == (EXACT, "0.00", EXACT)
    for fmt in ("md", "txt", "html"):
        run = monops("render", "--format", fmt, "--root", str(huge))
        assert_clean_exit(run)
        assert run.returncode == 0
        assert run.stdout.count(SHOWN) == 3, (fmt, run.stdout)  # line, subtotal, total
        assert "$999,999,999,999,998,990,000,000,000,000.00" not in run.stdout


@pytest.mark.parametrize(("args", "message"), [
    # 10^50 × 999999999999999.99 needs 65 integer digits: over the engine's 60
    (["big", "--quantity", "1e50"], "quote of plan 'big' in USD: lines: amount too large or "
                                    "invalid to price exactly (InvalidOperation)"),
    (["cent", "--quantity", "1e100"], "quote of plan 'cent' in USD: lines: amount too large "
                                      "or invalid to price exactly (InvalidOperation)"),
    (["cent", "--quantity", "1e999999999"], "amount too large or invalid to price exactly "
                                            "(Overflow)"),
    # 10^59 units at 0.01 price exactly (10^57), but the quantity has 60 digits + 4
    # decimals to show: a one-line error, not "internal error: InvalidOperation"
    (["cent", "--quantity", "1e59"], "quote of plan cent: a quantity or amount has too many "
                                     "digits to show exactly (at most 60; InvalidOperation)"),
])
@pytest.mark.parametrize("as_json", [False, True])
def test_overflow_when_quantizing_is_one_line(huge: Path, args: list[str], message: str,
                                              as_json: bool) -> None:
    json_flag = ["--json"] if as_json else []
    run = monops("quote", *args, *json_flag, "--root", str(huge), "--today", TODAY)
    if as_json and args[-1] == "1e59":
        # JSON shows quantities as exact text, which 60 digits can hold: 10^59 × 0.01
        assert_clean_exit(run)
        quote = json.loads(run.stdout)
        assert quote["lines"][0]["quantity"] == "1" + "0" * 59
        assert quote["total"] == "1" + "0" * 57 + ".00"
        return
    assert_one_line_error(run, message)
    assert run.stdout == ""


def test_a_quantity_of_10_to_the_24_is_shown_exactly(huge: Path) -> None:
    # babel formats at 28 digits: 10^24 with 4 decimals crashed the text quote
    run = monops("quote", "cent", "--quantity", "1e24", "--root", str(huge), "--today", TODAY)
    assert_clean_exit(run)
    assert "$10,000,000,000,000,000,000,000.00  1,000,000,000,000,000,000,000,000 × $0.01" \
        in run.stdout
    assert run.stdout.splitlines()[3].split() == ["Total", "$10,000,000,000,000,000,000,000.00"]


def test_a_flat_charge_does_not_claim_quantity_times_amount(tmp_path: Path) -> None:
    # a flat $10.00 with quantity 3 is $10.00 (SPEC 3: whatever q is); a package of 250 at
    # $2.00 for 1,001 units is 5 packages = $10.00. Neither is "3 x $10.00" or
    # "1,001 x $2.00".
    root = write_catalog(tmp_path / "c", {
        "catalog/p.yaml": PRODUCT,
        "pricing/team.yaml": plan("team", "{id: base, type: recurring, model: flat, "
                                          "amount: {USD: 10.00}}").rstrip("\n") +
        "\n      - {id: sms, type: usage, metric: sms, model: package, package_size: 250, "
        "amount: {USD: 2.00}}\n"})
    run = monops("quote", "team", "--quantity", "3", "--usage", "sms=1001", "--root",
                 str(root), "--today", TODAY)
    assert_clean_exit(run)
    lines = run.stdout.splitlines()
    assert lines[2].split() == ["base", "$10.00"]
    # The package line shows its pack count (issue 15 item 17): 5 packs of 250, not 1,001.
    assert lines[3].split() == ["sms", "(1001", "used)", "$10.00", "5", "packs", "of", "250",
                                "×", "$2.00"]
    assert lines[4].split() == ["Total", "$20.00"]


# --- currencies and decimals -----------------------------------------------------------------

CURRENCIES = {
    "catalog/p.yaml": PRODUCT.replace("active", "draft"),
    # column of each value, counted from `      - {` (the `{` is column 9):
    # `{id: base, type: recurring, model: flat, amount: {` is 50 characters
    "pricing/p.yaml": plan(
        "p", "{id: base, type: recurring, model: flat, amount: {USD: 1.0000000000001, "
             "ZZZ: 1.00, XAU: 1.00, JPY: 1.5}}").rstrip("\n") +
    "\n      - {id: calls, type: usage, metric: calls, model: per_unit, unit_amount: "
    "{USD: 0.0000000000001, EUR: 0.000000000001}}\n",
    "catalog/c.yaml": "kind: channel\nid: web\nname: Web\ncurrencies: [USD, ZZZ, XAU]\n"
                      "offerings: []\n",
}


def test_currencies_zzz_and_xau_and_13_decimals(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", CURRENCIES)
    _, findings = lint_json(root)
    assert_findings(findings, "pricing/p.yaml", [
        # line 9 (the first charge): USD value at 9 + 55 = 64; ZZZ key 64 + 17 = 81;
        # XAU 81 + 11 = 92; JPY 92 + 11 = 103, its value 108
        Expect("money-precision", 9, 64, "amount.USD 1.0000000000001 has 13 decimals; USD "
               "allows 2", "round it to 2 decimals"),
        Expect("money-precision", 9, 81, "amount: ZZZ is not an ISO 4217 currency code"),
        Expect("money-precision", 9, 92, "amount: XAU has no minor unit in ISO 4217 (not a "
               "currency to price in)"),
        Expect("money-precision", 9, 108, "amount.JPY 1.5 has 1 decimal; JPY allows 0"),
        # line 10: `{id: calls, type: usage, metric: calls, model: per_unit, unit_amount: {`
        # is 71 characters, so USD's value is at 9 + 76 = 85; EUR's 12 decimals are allowed
        Expect("money-precision", 10, 85, "unit_amount.USD 0.0000000000001 has 13 decimals; "
               "unit rates allow 12", "round it to 12 decimals"),
    ])
    assert_findings(findings, "catalog/c.yaml", [
        Expect("money-precision", 4, 19, "channel web: ZZZ is not an ISO 4217 currency code"),
        Expect("money-precision", 4, 24, "channel web: XAU has no minor unit in ISO 4217"),
    ])


@pytest.mark.parametrize(("currency", "message"), [
    ("ZZZ", "quote of plan 'p' in ZZZ: ZZZ is not an ISO 4217 currency code"),
    ("XAU", "quote of plan 'p' in XAU: XAU has no minor unit in ISO 4217 (not a currency to "
            "price in)"),
    ("zzz", "ZZZ is not an ISO 4217 currency code"),
])
def test_quote_in_zzz_or_xau_is_one_line(tmp_path: Path, currency: str, message: str) -> None:
    root = write_catalog(tmp_path / "c", {
        "catalog/p.yaml": PRODUCT,
        "pricing/p.yaml": plan("p", "{id: base, type: recurring, model: flat, "
                                    "amount: {USD: 1.00}}")})
    assert_one_line_error(monops("quote", "p", "--currency", currency, "--root", str(root),
                                 "--today", TODAY), message)


def test_a_scenario_in_xau_is_a_finding_and_render_says_why(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {
        **{k: v for k, v in HUGE.items() if k != "scenarios/s.yaml"},
        "scenarios/s.yaml": HUGE["scenarios/s.yaml"].replace("currency: USD", "currency: XAU")
                                                     .replace("quantity: 999999999999999",
                                                              "quantity: 1")})
    _, findings = lint_json(root)
    here = [(f["rule"], f["line"], f["column"]) for f in findings
            if f["path"] == "scenarios/s.yaml"]
    assert ("money-precision", 4, 11) in here, findings
    # Rendering every scenario, one that cannot be priced is named on stderr with exit 1
    # (issue 15 item 5); named with --scenario it is an error (exit 2).
    run = monops("render", "--root", str(root))
    assert_clean_exit(run)
    assert run.returncode == 1
    assert run.stderr.startswith("monops: scenario s (scenarios/s.yaml:")
    assert "XAU has no minor unit in ISO 4217" in run.stderr
    assert_one_line_error(monops("render", "--root", str(root), "--scenario", "s"),
                          "scenario s", "XAU has no minor unit in ISO 4217")
