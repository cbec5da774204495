"""Whole invoices: trials, proration, one-time charges, minimums, promotions, tax, rounding.

The period is January 2027 (31 days) and the currency USD unless a test
says otherwise. Every expectation was worked out by hand; the arithmetic is
in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from monops_lint.model import Plan, PlanVersion, PriceOverride
from monops_lint.pricing import Invoice, PricingError, invoice_for

from .pricing_factories import (
    D,
    catalog,
    channel,
    charge,
    flat,
    money,
    plan,
    promotion,
    scenario,
    sub,
    tiers_t,
    usd,
)

JAN_1 = dt.date(2027, 1, 1)
JAN_END = dt.date(2027, 1, 31)
CALLS = charge("calls", "per_unit", "usage", metric="calls", unit_amount=usd("0.10"))
SETUP = flat("setup", "50.00", "one_time")


def amounts(invoice: Invoice) -> list[Decimal]:
    return [line.amount for line in invoice.lines]


# --- usage and included -----------------------------------------------------------

def test_included_larger_than_usage() -> None:
    c = charge("calls", "per_unit", "usage", metric="calls", included=D("100"),
               unit_amount=usd("0.10"))
    invoice = invoice_for(scenario(sub("api", usage={"calls": D("40")})),
                          catalog(plan("api", c)))
    # q = max(0, 40 − 100) = 0 -> 0.00, and the zero line is kept
    assert amounts(invoice) == [D("0.00")]
    assert invoice.lines[0].quantity == D("0")
    assert invoice.total == D("0.00")


def test_included_then_graduated() -> None:
    c = charge("storage", "graduated", "usage", metric="storage", included=D("5"),
               tiers=tiers_t())
    invoice = invoice_for(scenario(sub("st", usage={"storage": D("1505")})),
                          catalog(plan("st", c)))
    # q = 1505 − 5 = 1500: 100×0.50 + 900×0.40 + 500×0.30 = 560.00
    assert amounts(invoice) == [D("560.00")]
    assert invoice.lines[0].quantity == D("1500")
    assert len(invoice.lines[0].breakdown) == 3


def test_fractional_usage_rounds_per_line() -> None:
    c = charge("gb", "per_unit", "usage", metric="gb", unit_amount=usd("0.023"))
    invoice = invoice_for(scenario(sub("st", usage={"gb": D("10.5")})), catalog(plan("st", c)))
    # 10.5 × 0.023 = 0.2415 -> 0.24
    assert invoice.lines[0].exact == D("0.2415")
    assert amounts(invoice) == [D("0.24")]


def test_absent_usage_is_zero() -> None:
    invoice = invoice_for(scenario(sub("api")), catalog(plan("api", CALLS)))
    assert amounts(invoice) == [D("0.00")]  # no usage given: 0 × 0.10


def test_percentage_transactions_on_an_invoice() -> None:
    fees = charge("fees", "percentage", "usage", metric="payments", rate=D("2"),
                  fixed=usd("0.10"))
    s = scenario(sub("pay", usage={"payments": (D("10.00"), D("25.00"), D("0.50"))}))
    invoice = invoice_for(s, catalog(plan("pay", fees)))
    # 10×2 % + 0.10 = 0.30; 25×2 % + 0.10 = 0.60; 0.50×2 % + 0.10 = 0.11; sum 1.01
    assert amounts(invoice) == [D("1.01")]
    assert invoice.lines[0].quantity == D("3")


# --- trial and proration ----------------------------------------------------------

def test_trial_covering_the_whole_period() -> None:
    p = plan("trial", flat("base", "30.00"), CALLS, trial_days=60)
    invoice = invoice_for(scenario(sub("trial", start=dt.date(2026, 12, 20),
                                       usage={"calls": D("1000")})), catalog(p))
    # trial [2026-12-20, 2027-02-18): all 31 January days free -> 30.00 × 0/31 = 0;
    # usage 1000 × 0/31 = 0 -> 0.00
    assert amounts(invoice) == [D("0.00"), D("0.00")]
    assert any("trial until 2027-02-17: 31 of 31 days free" in n for n in invoice.notes)


def test_trial_ending_mid_period() -> None:
    p = plan("trial", flat("base", "31.00"), CALLS, trial_days=14)
    invoice = invoice_for(scenario(sub("trial", start=JAN_1, usage={"calls": D("310")})),
                          catalog(p))
    # trial Jan 1..14: 17 of 31 days paid. base 31.00 × 17/31 = 17.00;
    # usage 310 × 17/31 = 170 calls × 0.10 = 17.00; total 34.00
    assert amounts(invoice) == [D("17.00"), D("17.00")]
    assert invoice.lines[0].prorated == (17, 31)
    assert invoice.lines[1].quantity == D("170")
    assert invoice.total == D("34.00")
    assert any("trial until 2027-01-14: 14 of 31 days free" in n for n in invoice.notes)


def test_trial_started_last_period_ends_on_day_2() -> None:
    p = plan("trial", flat("base", "62.00"), trial_days=14)
    invoice = invoice_for(scenario(sub("trial", start=dt.date(2026, 12, 20))), catalog(p))
    # trial Dec 20 .. Jan 2 (Dec 20 + 13 days): Jan 1, 2 free; 29 of 31 days paid
    # 62.00 × 29/31 = 58.00
    assert amounts(invoice) == [D("58.00")]


def test_trial_usage_keeps_included_whole() -> None:
    c = charge("calls", "per_unit", "usage", metric="calls", included=D("100"),
               unit_amount=usd("0.10"))
    p = plan("trial", c, trial_days=14)
    invoice = invoice_for(scenario(sub("trial", start=JAN_1, usage={"calls": D("310")})),
                          catalog(p))
    # 310 × 17/31 = 170 paid calls, minus 100 included (not pro-rated) = 70 × 0.10 = 7.00
    assert amounts(invoice) == [D("7.00")]


def test_trial_pro_rates_percentage_fees() -> None:
    fees = charge("fees", "percentage", "usage", metric="payments", rate=D("2"))
    p = plan("pay", fees, trial_days=14)
    s = scenario(sub("pay", start=JAN_1, usage={"payments": (D("100.00"), D("100.00"))}))
    invoice = invoice_for(s, catalog(p))
    # 2 % of 100 = 2.00, twice = 4.00; × 17/31 = 2.1935… -> 2.19
    assert amounts(invoice) == [D("2.19")]


def test_subscription_starting_on_the_last_day() -> None:
    p = plan("late", flat("base", "31.00"), SETUP)
    invoice = invoice_for(scenario(sub("late", start=JAN_END)), catalog(p))
    # 1 of 31 days: 31.00 × 1/31 = 1.00; the one-time setup 50.00 is billed; total 51.00
    assert amounts(invoice) == [D("1.00"), D("50.00")]
    assert invoice.total == D("51.00")


def test_subscription_starting_after_the_period() -> None:
    invoice = invoice_for(scenario(sub("later", start=dt.date(2027, 2, 1))),
                          catalog(plan("later", flat("base", "31.00"))))
    assert invoice.lines == ()
    assert invoice.total == D("0.00")
    assert any("after this period: not billed" in n for n in invoice.notes)


# --- one-time charges --------------------------------------------------------------

def test_one_time_not_billed_after_the_start_period() -> None:
    p = plan("p", flat("base", "10.00"), SETUP)
    invoice = invoice_for(scenario(sub("p", start=dt.date(2026, 12, 1))), catalog(p))
    # started before January: setup 0.00 (kept as a zero line), base 10.00 in full
    assert amounts(invoice) == [D("10.00"), D("0.00")]
    assert invoice.total == D("10.00")


def test_one_time_billed_for_a_subscription_without_start() -> None:
    invoice = invoice_for(scenario(sub("p", quantity="2")), catalog(plan("p", SETUP)))
    assert amounts(invoice) == [D("50.00")]  # flat: 50.00 whatever the quantity


def test_trial_does_not_waive_one_time_charges() -> None:
    p = plan("p", flat("base", "10.00"), flat("setup", "25.00", "one_time"), trial_days=31)
    invoice = invoice_for(scenario(sub("p", start=JAN_1)), catalog(p))
    # trial covers Jan 1..31: base 10.00 × 0/31 = 0.00; setup 25.00 still billed
    assert amounts(invoice) == [D("0.00"), D("25.00")]


# --- currencies and rounding ---------------------------------------------------------

def test_jpy_has_no_decimals() -> None:
    p = plan("p", flat("base", "1000", currency="JPY"))
    invoice = invoice_for(scenario(sub("p", start=dt.date(2027, 1, 10)), currency="JPY"),
                          catalog(p))
    # Jan 10..31 = 22 days: 1000 × 22/31 = 709.677… -> 710
    assert amounts(invoice) == [D("710")]
    assert invoice.lines[0].amount.as_tuple().exponent == 0


@pytest.mark.parametrize(("rounding", "expected"), [("half_up", "4.163"),
                                                     ("half_even", "4.162")])
def test_bhd_three_decimals(rounding: str, expected: str) -> None:
    c = charge("u", "per_unit", "usage", metric="u", unit_amount=money(BHD="0.0125"))
    invoice = invoice_for(scenario(sub("p", usage={"u": D("333")}), currency="BHD"),
                          catalog(plan("p", c)), rounding=rounding)
    # 333 × 0.0125 = 4.1625: half_up 4.163; half_even keeps the even 2: 4.162
    assert amounts(invoice) == [D(expected)]


@pytest.mark.parametrize(("calls", "rounding", "expected"), [
    ("5", "half_up", "0.03"),    # 5 × 0.005 = 0.025 -> up to 0.03
    ("5", "half_even", "0.02"),  # 0.025 -> to the even 0.02
    ("7", "half_up", "0.04"),    # 7 × 0.005 = 0.035 -> 0.04
    ("7", "half_even", "0.04"),  # 0.035 -> the even neighbour is 0.04
])
def test_half_up_and_half_even(calls: str, rounding: str, expected: str) -> None:
    c = charge("u", "per_unit", "usage", metric="u", unit_amount=usd("0.005"))
    invoice = invoice_for(scenario(sub("p", usage={"u": D(calls)})), catalog(plan("p", c)),
                          rounding=rounding)
    assert amounts(invoice) == [D(expected)]


# --- tax ----------------------------------------------------------------------------

def test_tax_inclusive_rounded_once() -> None:
    cat = catalog(plan("a", flat("base", "10.00")), plan("b", flat("base", "5.00")),
                  channel("retail", "a", "b", tax_inclusive=True))
    invoice = invoice_for(scenario(sub("a"), sub("b"), channel="retail", tax_rate="19"), cat)
    # subtotal 10.00 + 5.00 = 15.00 = total; tax 15 × 19/119 = 2.3949… -> 2.39
    # (rounding each line's tax would give 1.60 + 0.80 = 2.40)
    assert (invoice.subtotal, invoice.tax, invoice.total) == (D("15.00"), D("2.39"), D("15.00"))


@pytest.mark.parametrize(("rounding", "tax", "total"), [("half_up", "0.03", "0.13"),
                                                       ("half_even", "0.02", "0.12")])
def test_tax_exclusive_rounding(rounding: str, tax: str, total: str) -> None:
    invoice = invoice_for(scenario(sub("p"), tax_rate="25"),
                          catalog(plan("p", flat("base", "0.10"))), rounding=rounding)
    # 0.10 × 25/100 = 0.025 -> 0.03 (half_up) or 0.02 (half_even); total 0.10 + tax
    assert (invoice.tax, invoice.total) == (D(tax), D(total))


def test_tax_exclusive_two_subscriptions() -> None:
    cat = catalog(plan("a", flat("base", "12.50")), plan("b", CALLS))
    invoice = invoice_for(scenario(sub("a"), sub("b", usage={"calls": D("75")}),
                                   tax_rate="7.5"), cat)
    # 12.50 + 75×0.10 = 12.50 + 7.50 = 20.00; tax 20.00 × 7.5 % = 1.50; total 21.50
    assert (invoice.subtotal, invoice.tax, invoice.total) == (D("20.00"), D("1.50"), D("21.50"))
    assert [line.subscription for line in invoice.lines] == [0, 1]


# --- minimum --------------------------------------------------------------------------

def test_minimum_true_up() -> None:
    p = plan("p", CALLS, minimum=usd("10.00"))
    invoice = invoice_for(scenario(sub("p", usage={"calls": D("37")})), catalog(p))
    # 37 × 0.10 = 3.70 < 10.00: true-up 10.00 − 3.70 = 6.30; total 10.00
    assert amounts(invoice) == [D("3.70"), D("6.30")]
    assert invoice.lines[1].kind == "true-up"
    assert invoice.total == D("10.00")


def test_minimum_is_pro_rated() -> None:
    p = plan("p", flat("base", "3.10"), CALLS, minimum=usd("31.00"))
    invoice = invoice_for(scenario(sub("p", start=dt.date(2027, 1, 11),
                                       usage={"calls": D("50")})), catalog(p))
    # Jan 11..31 = 21 of 31 days: minimum 31.00 × 21/31 = 21.00; base 3.10 × 21/31 = 2.10;
    # usage is not pro-rated by the start: 50 × 0.10 = 5.00; 2.10 + 5.00 = 7.10;
    # true-up 21.00 − 7.10 = 13.90; total 21.00
    assert amounts(invoice) == [D("2.10"), D("5.00"), D("13.90")]
    assert invoice.total == D("21.00")


def test_minimum_already_met() -> None:
    p = plan("p", flat("base", "15.00"), minimum=usd("10.00"))
    assert amounts(invoice_for(scenario(sub("p")), catalog(p))) == [D("15.00")]


def test_trial_month_has_no_true_up() -> None:
    p = plan("p", flat("base", "5.00"), minimum=usd("10.00"), trial_days=31)
    invoice = invoice_for(scenario(sub("p", start=JAN_1)), catalog(p))
    # minimum 10.00 × 0/31 = 0.00: nothing to true up
    assert amounts(invoice) == [D("0.00")]


def test_minimum_needs_the_currency() -> None:
    p = plan("p", flat("base", "5.00", currency="EUR"), minimum=usd("10.00"))
    with pytest.raises(PricingError, match=r"scenario 's1': plan 'p': minimum has no amount "
                                           r"in EUR"):
        invoice_for(scenario(sub("p"), currency="EUR"), catalog(p))


# --- promotions --------------------------------------------------------------------

def _promo_invoice(start: dt.date | None, base: str = "50.00", **fields: object) -> Invoice:
    promo = promotion("spring", ("p",), **fields)  # type: ignore[arg-type]
    return invoice_for(scenario(sub("p", start=start, promotion="spring")),
                       catalog(plan("p", flat("base", base)), promo))


def test_percent_off_inside_duration() -> None:
    invoice = _promo_invoice(dt.date(2026, 11, 15), percent_off=D("20"), duration_periods=3)
    # Nov 15 -> Dec 15: 1 whole month before Jan 1 (< 3): 20 % of 50.00 = 10.00 off
    assert amounts(invoice) == [D("50.00"), D("-10.00")]
    assert invoice.lines[1].kind == "discount"
    assert invoice.total == D("40.00")
    assert any("billing period 2 of 3" in n for n in invoice.notes)


def test_percent_off_after_duration() -> None:
    invoice = _promo_invoice(dt.date(2026, 9, 15), percent_off=D("20"), duration_periods=3)
    # Sep 15 -> Oct 15 -> Nov 15 -> Dec 15: 3 whole months before Jan 1, not < 3
    assert amounts(invoice) == [D("50.00")]
    assert any("not applied" in n for n in invoice.notes)


def test_promotion_not_yet_valid() -> None:
    invoice = _promo_invoice(None, percent_off=D("20"), valid_from=dt.date(2027, 1, 2))
    assert amounts(invoice) == [D("50.00")]  # valid from Jan 2, period starts Jan 1


def test_promotion_valid_until_is_inclusive() -> None:
    invoice = _promo_invoice(None, percent_off=D("10"), valid_until=JAN_1)
    assert amounts(invoice) == [D("50.00"), D("-5.00")]  # 10 % of 50.00 = 5.00
    expired = _promo_invoice(None, percent_off=D("10"), valid_until=dt.date(2026, 12, 31))
    assert amounts(expired) == [D("50.00")]


def test_promotion_for_another_channel() -> None:
    invoice = _promo_invoice(None, percent_off=D("10"), channels=("retail",))
    assert amounts(invoice) == [D("50.00")]
    assert any("not for channel web" in n for n in invoice.notes)


def test_amount_off_larger_than_the_lines() -> None:
    invoice = _promo_invoice(None, base="3.00", amount_off=usd("5.00"))
    # −min(5.00, 3.00) = −3.00: the plan's lines never go negative
    assert amounts(invoice) == [D("3.00"), D("-3.00")]
    assert invoice.total == D("0.00")


def test_amount_off() -> None:
    invoice = _promo_invoice(None, base="12.00", amount_off=usd("5.00"))
    assert invoice.total == D("7.00")  # 12.00 − 5.00


def test_percent_off_rounds_the_discount() -> None:
    invoice = _promo_invoice(None, base="9.99", percent_off=D("15"))
    # 9.99 × 15 % = 1.4985 -> 1.50; 9.99 − 1.50 = 8.49
    assert invoice.total == D("8.49")


def test_promotion_includes_the_true_up() -> None:
    promo = promotion("ten", ("p",), percent_off=D("10"))
    p = plan("p", flat("base", "5.00"), minimum=usd("20.00"))
    invoice = invoice_for(scenario(sub("p", promotion="ten")), catalog(p, promo))
    # 5.00 + true-up 15.00 = 20.00; 10 % off = −2.00; total 18.00
    assert amounts(invoice) == [D("5.00"), D("15.00"), D("-2.00")]


@pytest.mark.parametrize(("duration", "applies"), [(2, False), (3, True)])
def test_promotion_duration_in_quarters(duration: int, applies: bool) -> None:
    promo = promotion("q", ("p",), percent_off=D("50"), duration_periods=duration)
    p = plan("p", flat("base", "30.00"), billing_period="quarter")
    invoice = invoice_for(scenario(sub("p", start=dt.date(2026, 7, 1), promotion="q")),
                          catalog(p, promo))
    # Jul 1 -> Jan 1: 6 months = 2 whole quarters passed; applies while 2 < duration
    assert amounts(invoice) == ([D("30.00"), D("-15.00")] if applies else [D("30.00")])


def test_promotion_months_clamp_to_month_end() -> None:
    promo = promotion("m", ("p",), percent_off=D("10"), duration_periods=1)
    p = plan("p", flat("base", "30.00"))
    s = scenario(sub("p", start=dt.date(2026, 1, 31), promotion="m"),
                 start=dt.date(2026, 2, 28), end=dt.date(2026, 3, 27))
    # Jan 31 + 1 month = Feb 28 (clamped): 1 period has passed by Feb 28, not < 1
    assert amounts(invoice_for(s, catalog(p, promo))) == [D("30.00")]


# --- channel prices, free plans, versions -------------------------------------------

def test_channel_percent_override() -> None:
    storage = charge("storage", "graduated", "usage", metric="gb", tiers=tiers_t())
    p = plan("p", flat("base", "20.00"), storage, minimum=usd("700.00"))
    web = channel("web", "p", overrides={"p": PriceOverride("margin", percent=D("5"))})
    invoice = invoice_for(scenario(sub("p", usage={"gb": D("1500")})), catalog(p, web))
    # base 20.00 × 1.05 = 21.00; storage 560.00 × 1.05 = 588.00 (each tier rate × 1.05);
    # minimum 700.00 is not scaled: true-up 700.00 − 609.00 = 91.00
    assert amounts(invoice) == [D("21.00"), D("588.00"), D("91.00")]
    assert any("+5 % (margin)" in n for n in invoice.notes)


def test_channel_full_charges_override() -> None:
    own = PriceOverride("partner", charges=(flat("partner-base", "15.00"),))
    cat = catalog(plan("p", flat("base", "20.00")), channel("web", "p", overrides={"p": own}))
    invoice = invoice_for(scenario(sub("p")), cat)
    assert [(line.charge, line.amount) for line in invoice.lines] == [("partner-base",
                                                                       D("15.00"))]


def test_free_plan_is_all_zero() -> None:
    p = plan("free", flat("base", "10.00"), CALLS, minimum=usd("5.00"), free=True)
    invoice = invoice_for(scenario(sub("free", usage={"calls": D("99")})), catalog(p))
    assert amounts(invoice) == [D("0.00"), D("0.00")]  # zeros, and no true-up


def test_version_in_effect_on_the_period_start() -> None:
    p = Plan(id="p", name="P", billing_period="month", product="x", versions=(
        PlanVersion(dt.date(2026, 1, 1), (flat("base", "10.00"),)),
        PlanVersion(dt.date(2027, 1, 1), (flat("base", "12.00"),)),
        PlanVersion(dt.date(2027, 1, 15), (flat("base", "14.00"),))))
    assert amounts(invoice_for(scenario(sub("p")), catalog(p))) == [D("12.00")]
    december = scenario(sub("p"), start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))
    assert amounts(invoice_for(december, catalog(p))) == [D("10.00")]


# --- errors ---------------------------------------------------------------------------

def test_errors_name_scenario_plan_charge_and_currency() -> None:
    cat = catalog(plan("p", flat("base", "10.00")))
    with pytest.raises(PricingError, match=r"^scenario 's1': unknown plan 'nope'$"):
        invoice_for(scenario(sub("nope")), cat)
    with pytest.raises(PricingError, match=r"^scenario 's1': unknown channel 'mars'$"):
        invoice_for(scenario(sub("p"), channel="mars"), cat)
    with pytest.raises(PricingError, match=r"^scenario 's1': plan 'p': charge 'base' has no "
                                           r"amount in EUR"):
        invoice_for(scenario(sub("p"), currency="EUR"), cat)
    with pytest.raises(PricingError, match=r"plan 'p': no version in effect on 2025-01-01"):
        invoice_for(scenario(sub("p"), start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31)),
                    cat)
    with pytest.raises(PricingError, match=r"unknown promotion 'gone'"):
        invoice_for(scenario(sub("p", promotion="gone")), cat)
    with pytest.raises(PricingError, match="rounding must be one of"):
        invoice_for(scenario(sub("p")), cat, rounding="bankers")


def test_invoice_header() -> None:
    invoice = invoice_for(scenario(sub("p")), catalog(plan("p", flat("base", "1.00"))))
    assert (invoice.scenario, invoice.channel, invoice.channel_name, invoice.currency) == (
        "s1", "web", "Web", "USD")
    assert (invoice.period_start, invoice.period_end) == (JAN_1, JAN_END)
    assert invoice.customer.name == "Acme"



def test_amount_too_large_to_round_exactly() -> None:
    # 1E+70 needs 73 digits at cents, more than MONEY_CONTEXT's 60: refused, not rounded
    cat = catalog(plan("p", charge("base", "flat", amount=usd("1E+70"))))
    with pytest.raises(PricingError, match=r"^scenario 's1': plan 'p': lines in USD: amount "
                                           r"too large"):
        invoice_for(scenario(sub("p")), cat)
