"""Subscriptions that end, introductory phases, staged rollouts and declared currencies.

The period is January 2027 (31 days) and the currency USD unless a test
says otherwise. Every expectation was worked out by hand; the arithmetic is
in the comment beside it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from monops_lint.model import FrozenMap, Phase, Plan, PlanVersion, Wave
from monops_lint.money import CurrencyError, declare_currencies, minor_units, money_str
from monops_lint.pricing import invoice_for, quote
from monops_lint.pricing.buckets import bucket_of

from .pricing_factories import D, catalog, channel, charge, flat, plan, scenario, sub, usd

JAN_1 = dt.date(2027, 1, 1)
CALLS = charge("calls", "per_unit", "usage", metric="calls", unit_amount=usd("0.10"))


def lines(plan_: Plan, *subs: object, **kwargs: object) -> list[tuple[str, str, str]]:
    invoice = invoice_for(scenario(*subs, **kwargs), catalog(plan_))  # type: ignore[arg-type]
    return [(line.phase, line.charge, money_str(line.amount, "USD")) for line in invoice.lines]


# --- end -------------------------------------------------------------------------

def test_a_subscription_ending_inside_the_period_is_pro_rated_by_its_active_days() -> None:
    # Active Jan 1-20: 20 of 31 days. 31.00 × 20 / 31 = 20.00.
    assert lines(plan("p", flat("base", "31.00")), sub("p", end=dt.date(2027, 1, 20))) == \
        [("", "base", "20.00")]


def test_start_and_end_inside_the_period() -> None:
    # Jan 10-20: 11 days. 31.00 × 11 / 31 = 11.00; usage is not pro-rated without a trial:
    # 40 calls × 0.10 = 4.00.
    p = plan("p", flat("base", "31.00"), CALLS)
    got = lines(p, sub("p", start=dt.date(2027, 1, 10), end=dt.date(2027, 1, 20),
                       usage={"calls": D("40")}))
    assert got == [("", "base", "11.00"), ("", "calls", "4.00")]


def test_a_subscription_that_ended_before_the_period_is_not_billed() -> None:
    invoice = invoice_for(scenario(sub("p", start=dt.date(2026, 6, 1),
                                       end=dt.date(2026, 12, 31))),
                          catalog(plan("p", flat("base", "31.00"))))
    assert invoice.lines == () and invoice.total == 0
    assert any("ended 2026-12-31, before this period: not billed" in n for n in invoice.notes)


def test_a_trial_and_an_end_inside_the_period() -> None:
    # Start Jan 1, trial 10 days (Jan 1-10), end Jan 25: active 25 days, 15 paid.
    # Recurring: 31.00 × 15 / 31 = 15.00. Usage 50 over the 25 active days, 15 paid:
    # 50 × 15 / 25 = 30 calls × 0.10 = 3.00.
    p = plan("p", flat("base", "31.00"), CALLS, trial_days=10)
    got = lines(p, sub("p", start=JAN_1, end=dt.date(2027, 1, 25), usage={"calls": D("50")}))
    assert got == [("", "base", "15.00"), ("", "calls", "3.00")]


# --- introductory phases -----------------------------------------------------------

def phased(*phases: Phase, trial_days: int = 0) -> Plan:
    """Fiber at 31.00 a month and 0.10 a call, after the given introductory phases."""
    version = PlanVersion(dt.date(2026, 1, 1), (flat("base", "31.00"), CALLS), phases=phases)
    return Plan(id="fiber", name="Fiber", billing_period="month", versions=(version,),
                product="p", trial_days=trial_days)


INTRO = Phase("intro", (flat("base", "15.50"),
                        charge("calls", "per_unit", "usage", metric="calls",
                               unit_amount=usd("0.05"))), days=10)


def test_a_phase_ending_inside_the_period_splits_the_recurring_charge() -> None:
    # Start Jan 1, intro 10 days (Jan 1-10), then the version's own charges (Jan 11-31).
    # intro base: 15.50 × 10 / 31 = 5.00; own base: 31.00 × 21 / 31 = 21.00.
    # Usage is priced by the segment of the last active day (Jan 31: the version's own):
    # 40 calls × 0.10 = 4.00; the intro's usage charge is not billed.
    got = lines(phased(INTRO), sub("fiber", start=JAN_1, usage={"calls": D("40")}))
    assert got == [("intro", "base", "5.00"), ("", "base", "21.00"), ("", "calls", "4.00")]


def test_usage_is_priced_by_the_phase_of_the_last_active_day() -> None:
    # A 3-month intro from Jan 1 holds the whole of January: base 15.50 (not pro-rated:
    # 31 of 31 days), usage at the intro's rate, 40 × 0.05 = 2.00.
    intro = Phase("intro", INTRO.charges, months=3)
    got = lines(phased(intro), sub("fiber", start=JAN_1, usage={"calls": D("40")}))
    assert got == [("intro", "base", "15.50"), ("intro", "calls", "2.00")]


def test_phases_count_from_the_end_of_the_trial() -> None:
    # Start Dec 27, 2026, trial 7 days: Dec 27 - Jan 2. The intro (10 days) runs Jan 3-12,
    # then the version's own charges Jan 13-31 (19 days).
    # intro base: 15.50 × 10 / 31 = 5.00; own base: 31.00 × 19 / 31 = 19.00.
    # No usage given: the usage line of the last day's segment is kept at zero.
    got = lines(phased(INTRO, trial_days=7), sub("fiber", start=dt.date(2026, 12, 27)))
    assert got == [("intro", "base", "5.00"), ("", "base", "19.00"), ("", "calls", "0.00")]


def test_phases_one_after_another_and_a_one_time_charge_when_a_phase_begins() -> None:
    # Start Dec 22, 2026: "first" (days 10) Dec 22-31, "second" (days 15) Jan 1-15 with a
    # one-time activation fee billed when it begins (Jan 1, inside January), then the own
    # charges Jan 16-31 (16 days).
    # first: outside January (no line); second base 31.00 × 15 / 31 = 15.00, fee 9.00;
    # own base 31.00 × 16 / 31 = 16.00.
    first = Phase("first", (flat("base", "0.00"),), days=10)
    second = Phase("second", (flat("base", "31.00"), flat("fee", "9.00", "one_time")), days=15)
    got = lines(phased(first, second), sub("fiber", start=dt.date(2026, 12, 22)))
    assert got == [("second", "base", "15.00"), ("second", "fee", "9.00"),
                   ("", "base", "16.00"), ("", "calls", "0.00")]


def test_without_a_start_the_subscription_is_new_from_the_period_start() -> None:
    # As for one-time charges and promotions: phases count from Jan 1.
    got = lines(phased(INTRO), sub("fiber"))
    assert got == [("intro", "base", "5.00"), ("", "base", "21.00"), ("", "calls", "0.00")]


def test_a_quote_prices_the_first_phase() -> None:
    result = quote("fiber", catalog(phased(INTRO)), currency="USD", on=JAN_1)
    # A new subscription: the intro's charges, 15.50 and no usage.
    assert [(line.phase, line.charge, line.amount) for line in result.lines] == \
        [("intro", "base", D("15.50")), ("intro", "calls", D("0.00"))]
    assert any("introductory phase intro (10 days)" in note for note in result.notes)


# --- staged rollout -----------------------------------------------------------------

def test_buckets_are_the_first_8_bytes_of_sha_256_mod_10000_over_100() -> None:
    # `printf C-1042 | sha256sum` = 14a9477452361be0 9c6b...; the first 8 bytes, big-endian,
    # are 0x14a9477452361be0 = 1,488,799,716,743,715,808; mod 10,000 = 5,808; / 100 = 58.08.
    assert bucket_of("C-1042") == D("58.08")
    # "é" is the UTF-8 bytes c3 a9: sha256 = 4a99557e4033c353 9de2...;
    # 0x4a99557e4033c353 = 5,375,421,630,974,772,051; mod 10,000 = 2,051 -> 20.51.
    assert bucket_of("é") == D("20.51")
    assert bucket_of("") == 0  # no id: the canary's bucket


def rolled() -> Plan:
    """6.00 from 2027-01-01 for 1 % of customers, 50 % from Jan 10, everyone from Feb 1."""
    waves = (Wave(D("1"), JAN_1), Wave(D("50"), dt.date(2027, 1, 10)),
             Wave(D("100"), dt.date(2027, 2, 1)))
    return Plan(id="p", name="P", billing_period="month", product="p", versions=(
        PlanVersion(dt.date(2026, 1, 1), (flat("base", "5.00"),)),
        PlanVersion(JAN_1, (flat("base", "6.00"),), rollout=waves)))


@pytest.mark.parametrize(("customer", "day", "price"), [
    ("", JAN_1, "6.00"),                  # bucket 0 < 1: the canary, from Jan 1
    ("é", JAN_1, "5.00"),                 # bucket 20.51: wave 2, from Jan 10
    ("é", dt.date(2027, 1, 9), "5.00"),   # the day before its wave
    ("é", dt.date(2027, 1, 10), "6.00"),  # the day its wave starts
    ("C-1042", dt.date(2027, 1, 31), "5.00"),  # bucket 58.08: wave 3, from Feb 1
    ("C-1042", dt.date(2027, 2, 1), "6.00"),
])
def test_each_customer_moves_on_its_wave_s_day(customer: str, day: dt.date, price: str) -> None:
    result = quote("p", catalog(rolled()), currency="USD", on=day, customer=customer)
    assert result.total == D(price)


def test_a_bucket_exactly_at_a_share_waits_for_the_next_wave() -> None:
    # The wave moves the buckets below its share: 20.51 is not below 20.51.
    version = PlanVersion(JAN_1, (), rollout=(Wave(D("20.51"), JAN_1),
                                                Wave(D("100"), dt.date(2027, 2, 1))))
    assert version.effective_for(bucket_of("é")) == dt.date(2027, 2, 1)
    assert version.effective_for(D("20.50")) == JAN_1


def test_an_invoice_uses_its_customer_s_own_date() -> None:
    # January's invoice is priced on Jan 1: the canary (no id) pays 6.00, "é" still 5.00.
    assert lines(rolled(), sub("p")) == [("", "base", "6.00")]
    assert lines(rolled(), sub("p"), customer_id="é") == [("", "base", "5.00")]


# --- currencies outside ISO 4217 ---------------------------------------------------

def test_a_declared_currency_prices_with_its_digits() -> None:
    declare_currencies({"BTC": 8})
    assert minor_units("BTC") == 8
    p = plan("p", charge("base", "per_unit", unit_amount=FrozenMap({"BTC": D("0.00012345")})))
    invoice = invoice_for(scenario(sub("p", quantity="3"), currency="BTC"),
                          catalog(p, channel("web", "p", currencies=("BTC",))))
    # per_unit: 3 × 0.00012345 = 0.00037035, 8 digits kept, no rounding needed.
    assert money_str(invoice.total, "BTC") == "0.00037035"


def test_an_iso_code_cannot_be_declared() -> None:
    with pytest.raises(CurrencyError, match="USD is an ISO 4217 currency"):
        declare_currencies({"USD": 3})
