"""benchmarks/catalog/prices.py: the synthetic catalog converts USD prices with the minor
units and rounding of monops_lint.money (rates EUR 0.92, JPY 150; half up)."""

from __future__ import annotations

from decimal import Decimal

from benchmarks.catalog.prices import amounts, rise


def test_amounts_convert_to_each_currencys_minor_unit() -> None:
    # EUR 4.99 x 0.92 = 4.5908 -> 4.59; JPY 4.99 x 150 = 748.5 -> 749 (half up, whole yen)
    assert amounts(Decimal("4.99")) == "{USD: 4.99, EUR: 4.59, JPY: 749}"
    # EUR 0.30 x 0.92 = 0.276 -> 0.28 (half up, to the cent); JPY 0.30 x 150 = 45
    assert amounts(Decimal("0.30")) == "{USD: 0.30, EUR: 0.28, JPY: 45}"
    # EUR 9.99 x 0.92 = 9.1908 -> 9.19; JPY 9.99 x 150 = 1,498.5: from 1,000 yen in tens,
    # 149.85 -> 150 tens = 1500
    assert amounts(Decimal("9.99")) == "{USD: 9.99, EUR: 9.19, JPY: 1500}"
    # a multiple of USD 0.50: EUR 12.50 x 0.92 = 11.5, written with its two cents digits;
    # JPY 12.50 x 150 = 1875 exactly
    assert amounts(Decimal("12.50"), "exact") == "{USD: 12.50, EUR: 11.50, JPY: 1875}"


def test_unit_rates_keep_sub_cent_digits_but_not_sub_yen() -> None:
    # EUR 0.0079 x 0.92 = 0.007268 -> 4 places, as many as the USD rate: 0.0073;
    # JPY 0.0079 x 150 = 1.185 -> 1 yen (whole yen, at least 1)
    assert amounts(Decimal("0.0079"), "rate") == "{USD: 0.0079, EUR: 0.0073, JPY: 1}"
    # EUR 0.02 x 0.92 = 0.0184 -> 2 places (the cent): 0.02; JPY 0.02 x 150 = 3
    assert amounts(Decimal("0.02"), "rate") == "{USD: 0.02, EUR: 0.02, JPY: 3}"


def test_a_rise_rounds_up_in_the_step_of_each_kind() -> None:
    # 4.99 x 1.05 = 5.2395 -> up to the cent: 5.24
    assert rise(Decimal("4.99"), Decimal("1.05"), "money") == Decimal("5.24")
    # 0.0079 x 1.03 = 0.008137 -> up to one place more than the rate had (5): 0.00814
    assert rise(Decimal("0.0079"), Decimal("1.03"), "rate") == Decimal("0.00814")
    # 12.50 x 1.07 = 13.375 -> up to the next USD 0.50: 13.50
    assert rise(Decimal("12.50"), Decimal("1.07"), "exact") == Decimal("13.50")
