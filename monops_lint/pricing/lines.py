"""One plan's invoice lines: each charge priced, pro-rated and rounded, then the minimum.

Shared by invoices (one subscription of a scenario) and quotes (one plan on
its own). See docs/pricing.md, "Quantities" and "Lines, minimum, promotion,
tax".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.model import Charge, Plan, Usage
from monops_lint.money import (
    ROUNDING_MODES,
    ZERO,
    CurrencyError,
    minor_units,
    number_str,
    quantize,
)
from monops_lint.pricing.charges import (
    PricedCharge,
    PricingError,
    TierPortion,
    TransactionFee,
    price_charge,
)
from monops_lint.pricing.words import Money, Words, plain

LINE_KINDS = ("charge", "true-up", "discount")


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One line of an invoice or quote.

    ``kind`` is ``charge`` (one plan charge; ``charge`` holds its id),
    ``true-up`` (up to the plan minimum; ``charge`` is ``minimum``) or
    ``discount`` (a promotion; ``charge`` is the promotion id, ``amount``
    negative). ``quantity`` is the billable quantity the charge was priced
    at (for ``percentage`` charges, the number of transactions), ``unit_amount``
    the one rate that priced every unit when there is one. ``amount`` is
    rounded to the currency's minor unit; ``exact`` is the amount before
    this line's own rounding. ``prorated`` is ``(billed_days, period_days)``
    when a recurring charge or the minimum was pro-rated by days.
    ``subscription`` is the 0-based position of the subscription in its
    scenario (0 in a quote).
    """

    subscription: int
    plan: str
    plan_name: str
    charge: str
    kind: str
    description: str
    quantity: Decimal | None
    unit_amount: Decimal | None
    breakdown: tuple[TierPortion, ...]
    amount: Decimal
    exact: Decimal
    prorated: tuple[int, int] | None = None
    phase: str = ""
    """The introductory phase whose charge this line prices ("": the version's own)."""
    words: Words = ()
    """``description`` in parts, with its amounts as ``Money`` for the reader's formatter to
    write (empty: ``description`` holds no amount)."""
    fee: TransactionFee | None = None
    """The fee terms of a ``percentage`` charge's line."""


@dataclass(frozen=True, slots=True)
class Terms:
    """How one subscription is billed this period.

    ``recurring_share`` is ``(billed_days, period_days)`` when recurring
    charges and the minimum are pro-rated; ``usage_share`` is ``(paid_days,
    active_days)`` when a trial makes part of the usage free; ``one_time``
    says one-time charges are billed.
    """

    quantity: Decimal
    usage: Mapping[str, Usage]
    recurring_share: tuple[int, int] | None = None
    usage_share: tuple[int, int] | None = None
    one_time: bool = True
    phase: str = ""  # the introductory phase of the charges ("": the version's own)


def check_rounding(rounding: str) -> None:
    """Raise ``PricingError`` unless ``rounding`` is ``half_up`` or ``half_even``."""
    if rounding not in ROUNDING_MODES:
        raise PricingError(f"rounding must be one of {', '.join(ROUNDING_MODES)}, "
                           f"not {rounding!r}")


def check_currency(currency: str) -> None:
    """Raise ``PricingError`` unless ``currency`` is an ISO 4217 currency prices can be in."""
    try:
        minor_units(currency)
    except CurrencyError as exc:
        raise PricingError(str(exc)) from None


def round_money(amount: Decimal, currency: str, rounding: str) -> Decimal:
    """``amount`` rounded to ``currency``'s minor unit, never ``-0``."""
    rounded = quantize(amount, currency, rounding)
    return abs(rounded) if rounded == 0 else rounded


def _share(amount: Decimal, share: tuple[int, int] | None) -> Decimal:
    # Multiply before dividing: 31.00 × 21 / 30 stays exact (21.70).
    return amount if share is None else amount * share[0] / share[1]


def plan_lines(plan: Plan, charges: tuple[Charge, ...], *, currency: str, rounding: str,
               terms: Terms, subscription: int = 0) -> tuple[InvoiceLine, ...]:
    """Every charge of ``plan`` as a rounded line, then a true-up line when below its minimum.

    Must run inside ``money_arithmetic``. A free plan gives zero lines and
    no true-up.
    """
    return phased_lines(plan, [(terms, charges)], currency=currency, rounding=rounding,
                        minimum_share=terms.recurring_share, subscription=subscription)


def plan_total(plan: Plan, charges: tuple[Charge, ...], *, currency: str, rounding: str,
               terms: Terms) -> Decimal:
    """The sum of ``plan_lines``' amounts, worked out the same way without writing the lines
    (rules compare the totals of thousands of plans). Must run inside ``money_arithmetic``."""
    total = sum((round_money(_charge_amount(plan, charge, currency, terms).exact, currency,
                             rounding) for charge in charges), ZERO)
    if plan.minimum and not plan.free:
        total = max(total, _minimum(plan, currency, rounding, terms.recurring_share))
    return total


def phased_lines(plan: Plan, parts: Sequence[tuple[Terms, tuple[Charge, ...]]], *,
                 currency: str, rounding: str, minimum_share: tuple[int, int] | None,
                 subscription: int = 0) -> tuple[InvoiceLine, ...]:
    """``plan``'s lines when its charges change within the period (introductory phases):
    each part's charges under its own terms, then one true-up over all of them with the
    minimum pro-rated by ``minimum_share``. Must run inside ``money_arithmetic``."""
    lines = [_charge_line(plan, charge, currency, rounding, terms, subscription)
             for terms, charges in parts for charge in charges]
    if plan.minimum and not plan.free:
        true_up = _true_up(plan, lines, currency, rounding, minimum_share, subscription)
        if true_up is not None:
            lines.append(true_up)
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class _Amount:
    """What one charge costs this period, before its line's rounding."""

    quantity: Decimal  # billable (for a percentage charge: the number of transactions)
    priced: PricedCharge
    exact: Decimal
    prorated: tuple[int, int] | None
    used: Decimal  # the usage read (usage charges; 0 otherwise)


def _charge_amount(plan: Plan, charge: Charge, currency: str, terms: Terms) -> _Amount:
    prorated, used = None, ZERO
    if charge.model == "percentage":
        transactions = _transactions(terms.usage.get(charge.usage_metric or charge.id))
        quantity = Decimal(len(transactions))
        priced = _priced(plan, charge, currency, transactions)
        exact = _share(priced.amount, terms.usage_share)
    elif charge.type == "usage":
        metric = charge.usage_metric or charge.id  # (a usage charge always reads one)
        usage = terms.usage.get(metric, ZERO)
        if not isinstance(usage, Decimal):
            raise PricingError(f"charge {charge.id!r}: usage {metric!r} is a list of "
                               f"{len(usage)} transactions, but a {charge.model} charge "
                               "needs one quantity")
        used = usage
        quantity = max(ZERO, _share(used, terms.usage_share) - charge.included)
        priced = _priced(plan, charge, currency, quantity)
        exact = priced.amount
    else:
        quantity = terms.quantity
        priced = _priced(plan, charge, currency, quantity)
        exact = priced.amount
        if charge.type == "one_time" and not terms.one_time:
            exact = ZERO
        elif charge.type != "one_time" and terms.recurring_share is not None:
            exact = _share(exact, terms.recurring_share)
            prorated = terms.recurring_share
    return _Amount(quantity, priced, ZERO if plan.free else exact, prorated, used)


def _notes(plan: Plan, charge: Charge, terms: Terms, amount: _Amount) -> list[str]:
    """What a charge's line says in brackets after its label, from how it was priced."""
    notes: list[str] = [f"phase {terms.phase}"] if terms.phase else []
    percentage = charge.model == "percentage"
    if percentage or charge.type == "usage":
        notes.append(_count(int(amount.quantity), "transaction") if percentage
                     else f"{number_str(amount.used)} used")
        if terms.usage_share:
            notes.append(f"{terms.usage_share[0]} of {terms.usage_share[1]} days paid")
        if not percentage and charge.included:
            notes.append(f"{number_str(charge.included)} included")
    elif charge.type == "one_time" and not terms.one_time:
        notes.append("one-time, billed when the phase began" if terms.phase
                     else "one-time, billed when the subscription started")
    elif amount.prorated is not None:
        notes.append(f"{amount.prorated[0]} of {amount.prorated[1]} days")
    if plan.free:
        notes.append("free plan")
    return notes


def _charge_line(plan: Plan, charge: Charge, currency: str, rounding: str, terms: Terms,
                 subscription: int) -> InvoiceLine:
    amount = _charge_amount(plan, charge, currency, terms)
    label = charge.description or charge.id
    notes = _notes(plan, charge, terms, amount)
    description = f"{label} ({', '.join(notes)})" if notes else label
    priced = amount.priced
    return InvoiceLine(subscription, plan.id, plan.name, charge.id, "charge", description,
                       amount.quantity, priced.unit_amount, priced.breakdown,
                       round_money(amount.exact, currency, rounding), amount.exact,
                       amount.prorated, terms.phase, fee=priced.fee)


def _priced(plan: Plan, charge: Charge, currency: str,
            billable: Decimal | tuple[Decimal, ...]) -> PricedCharge:
    if plan.free:
        # A free plan needs no price in any currency: every line is zero anyway.
        try:
            return price_charge(charge, currency, billable)
        except PricingError:
            return PricedCharge(ZERO)
    return price_charge(charge, currency, billable)


def _transactions(usage: Usage | None) -> tuple[Decimal, ...]:
    if usage is None:
        return ()
    return (usage,) if isinstance(usage, Decimal) else tuple(usage)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _minimum(plan: Plan, currency: str, rounding: str, share: tuple[int, int] | None
             ) -> Decimal:
    """The plan's minimum in ``currency`` for the period (pro-rated by ``share``), rounded."""
    if currency not in plan.minimum:
        raise PricingError(f"minimum has no amount in {currency} "
                           f"(priced in {', '.join(sorted(plan.minimum))})")
    return round_money(_share(plan.minimum[currency], share), currency, rounding)


def _true_up(plan: Plan, lines: list[InvoiceLine], currency: str, rounding: str,
             share: tuple[int, int] | None, subscription: int) -> InvoiceLine | None:
    minimum = _minimum(plan, currency, rounding, share)
    charged = sum((line.amount for line in lines), ZERO)
    if charged >= minimum:
        return None
    difference = minimum - charged
    words: Words = ("true-up to the minimum of ", Money(minimum, currency))
    if share is not None:
        words += (f" ({share[0]} of {share[1]} days of ", Money(plan.minimum[currency], currency),
                  ")")
    return InvoiceLine(subscription, plan.id, plan.name, "minimum", "true-up", plain(words),
                       None, None, (), difference, difference, share, words=words)
