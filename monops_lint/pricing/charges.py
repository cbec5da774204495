"""Pricing one charge: the models of SPEC section 3, exact and unrounded.

Everything here works on one ``Charge``, one currency and one billable
quantity (or, for ``percentage``, a list of transactions). Rounding,
trials, proration and minimums belong to the invoice (``lines``,
``invoice``); channel overrides are applied to a charge before it is priced
(``scale_charge``, ``charges_in_channel``).
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from types import TracebackType

from monops_lint.model import Amounts, Charge, FrozenMap, Offering, Tier
from monops_lint.money import MONEY_CONTEXT, ZERO, number_str

MODELS = ("flat", "per_unit", "volume", "graduated", "tapered", "package", "percentage")


class PricingError(ValueError):
    """An invoice or quote that cannot be priced; the one-line message names what and where."""


class money_arithmetic:
    """Run the block in ``MONEY_CONTEXT``; a Decimal overflow or invalid operation is PricingError.

    ``where`` names what was being priced, for the error message. When the
    block already runs in the money context (a rule pricing thousands of
    charges sets it once), no new context is made.
    """

    __slots__ = ("_saved", "where")

    def __init__(self, where: str) -> None:
        self.where = where
        self._saved: decimal.Context | None = None

    def __enter__(self) -> None:
        current = decimal.getcontext()
        if current.prec < MONEY_CONTEXT.prec or not current.traps[decimal.InvalidOperation] \
                or not current.traps[decimal.Overflow]:
            self._saved = current
            decimal.setcontext(MONEY_CONTEXT.copy())

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._saved is not None:
            decimal.setcontext(self._saved)
            self._saved = None
        if isinstance(error, decimal.DecimalException):
            raise PricingError(f"{self.where}: amount too large or invalid to price exactly "
                               f"({type(error).__name__})") from error


@dataclass(frozen=True, slots=True)
class TierPortion:
    """How many units one tier priced, at which rate: one row of a charge's breakdown.

    ``tier`` is the 1-based position of the tier in the charge, or 0 for the
    single portion of a ``per_unit`` or ``package`` charge. The tier holds
    the quantities in ``(above, up_to]`` (``up_to`` None: no upper bound).
    For ``package`` charges ``units`` counts packages and ``unit_amount`` is
    the price of one package. ``amount`` is ``units × unit_amount +
    flat_amount``, exact.
    """

    tier: int
    above: Decimal
    up_to: Decimal | None
    units: Decimal
    unit_amount: Decimal
    flat_amount: Decimal
    amount: Decimal
    size: Decimal | None = None
    """For a ``package`` charge, the units in one package (``units`` counts packages)."""


@dataclass(frozen=True, slots=True)
class TransactionFee:
    """What one transaction of a ``percentage`` charge costs, in one currency: ``rate``
    percent of its amount plus ``fixed``, clamped to ``[low, high]`` (None: no fixed fee, no
    bound)."""

    rate: Decimal
    fixed: Decimal | None
    low: Decimal | None
    high: Decimal | None


@dataclass(frozen=True, slots=True)
class PricedCharge:
    """The exact (unrounded) price of one charge, with how it was reached.

    ``unit_amount`` is the one rate that priced every unit, when there is one
    (flat: the amount; per_unit: the rate; volume: the matching tier's rate;
    package: the price of a package); None for graduated, tapered and
    percentage charges, whose breakdown or description tells the story.
    """

    amount: Decimal
    breakdown: tuple[TierPortion, ...] = ()
    unit_amount: Decimal | None = None
    fee: TransactionFee | None = None
    """The fee terms of a ``percentage`` charge."""


def price_charge(charge: Charge, currency: str,
                 billable: Decimal | Sequence[Decimal]) -> PricedCharge:
    """Price ``charge`` in ``currency`` for a billable quantity ``q`` (SPEC section 3).

    ``billable`` is ``q`` (already net of ``included``) for every model but
    ``percentage``, which takes the list of transaction amounts (a single
    number is one transaction). Raises ``PricingError`` when the charge has
    no price in ``currency``, its tiers cannot price ``q``, or ``q`` is
    negative.
    """
    with money_arithmetic(f"charge {charge.id!r} in {currency}"):
        if charge.model == "percentage":
            transactions = (billable,) if isinstance(billable, Decimal) else tuple(billable)
            return _percentage(charge, currency, transactions)
        if not isinstance(billable, Decimal):
            raise PricingError(f"charge {charge.id!r} ({charge.model}) needs one quantity, "
                               f"not a list of {len(billable)} transactions")
        q = billable
        if q < 0:
            raise PricingError(f"charge {charge.id!r}: negative quantity {number_str(q)}")
        if charge.model == "flat":
            amount = _required(charge.amount, currency, charge, "amount")
            if charge.type == "usage" and q == 0:
                return PricedCharge(ZERO, (), amount)
            return PricedCharge(amount, (), amount)
        if charge.model == "per_unit":
            rate = _required(charge.unit_amount, currency, charge, "unit_amount")
            portions = (TierPortion(0, ZERO, None, q, rate, ZERO, q * rate),) if q else ()
            return PricedCharge(q * rate, portions, rate)
        if charge.model == "package":
            return _package(charge, currency, q)
        if charge.model == "volume":
            return _volume(charge, currency, q)
        if charge.model in ("graduated", "tapered"):
            return _graduated(charge, currency, q)
        raise PricingError(f"charge {charge.id!r} has unknown model {charge.model!r}")


def _required(amounts: Amounts, currency: str, charge: Charge, name: str) -> Decimal:
    try:
        return amounts[currency]
    except KeyError:
        priced = ", ".join(sorted(amounts)) or "no currency"
        raise PricingError(f"charge {charge.id!r} has no {name} in {currency} "
                           f"(priced in {priced})") from None


def _optional(amounts: Amounts, currency: str, charge: Charge, name: str) -> Decimal | None:
    """An optional money field: absent altogether is None; present but not in ``currency`` is
    an error, so that a fee written in one currency is never silently zero in another."""
    if not amounts:
        return None
    return _required(amounts, currency, charge, name)


def _tier_prices(charge: Charge, currency: str) -> list[tuple[Tier, Decimal, Decimal]]:
    """Each tier with its unit rate and flat fee in ``currency``, after checking the bounds."""
    if not charge.tiers:
        raise PricingError(f"charge {charge.id!r} ({charge.model}) has no tiers")
    prices = []
    previous = ZERO
    for number, tier in enumerate(charge.tiers, start=1):
        if tier.up_to is None and number != len(charge.tiers):
            raise PricingError(f"charge {charge.id!r}: tier {number} is unbounded "
                               "but is not the last tier")
        if tier.up_to is not None and tier.up_to <= previous and number > 1:
            raise PricingError(f"charge {charge.id!r}: tier {number} up_to "
                               f"{number_str(tier.up_to)} does not rise above "
                               f"{number_str(previous)}")
        unit = _optional(tier.unit_amount, currency, charge, f"tier {number} unit_amount")
        flat = _optional(tier.flat_amount, currency, charge, f"tier {number} flat_amount")
        if unit is None and flat is None:
            raise PricingError(f"charge {charge.id!r}: tier {number} has no price in {currency}")
        prices.append((tier, unit or ZERO, flat or ZERO))
        previous = tier.up_to if tier.up_to is not None else previous
    return prices


def _beyond_last_tier(charge: Charge, q: Decimal) -> PricingError:
    last = charge.tiers[-1].up_to
    return PricingError(f"charge {charge.id!r}: quantity {number_str(q)} is above its last "
                        f"tier (up_to {number_str(last or ZERO)}), so it has no price")


def _volume(charge: Charge, currency: str, q: Decimal) -> PricedCharge:
    above = ZERO
    for number, (tier, unit, flat) in enumerate(_tier_prices(charge, currency), start=1):
        if tier.up_to is None or q <= tier.up_to:
            if q == 0:
                return PricedCharge(ZERO, (), unit)
            amount = q * unit + flat
            return PricedCharge(amount, (TierPortion(number, above, tier.up_to, q, unit, flat,
                                                     amount),), unit)
        above = tier.up_to
    raise _beyond_last_tier(charge, q)


def _graduated(charge: Charge, currency: str, q: Decimal) -> PricedCharge:
    portions: list[TierPortion] = []
    above = ZERO
    for number, (tier, unit, flat) in enumerate(_tier_prices(charge, currency), start=1):
        if q <= above:
            break
        top = q if tier.up_to is None else min(q, tier.up_to)
        units = top - above
        portions.append(TierPortion(number, above, tier.up_to, units, unit, flat,
                                    units * unit + flat))
        if tier.up_to is None:
            above = q
            break
        above = tier.up_to
    if q > above:
        raise _beyond_last_tier(charge, q)
    return PricedCharge(sum((p.amount for p in portions), ZERO), tuple(portions), None)


def _package(charge: Charge, currency: str, q: Decimal) -> PricedCharge:
    price = _required(charge.amount, currency, charge, "amount")
    size = charge.package_size
    if size <= 0:
        raise PricingError(f"charge {charge.id!r}: package_size must be above 0, "
                           f"not {number_str(size)}")
    if charge.round not in ("up", "down"):
        raise PricingError(f"charge {charge.id!r}: package round must be up or down, "
                           f"not {charge.round!r}")
    # Integer division and remainder are exact, unlike a ceiling of q / size.
    packages = q // size
    if charge.round == "up" and q % size:
        packages += 1
    if packages == 0:
        return PricedCharge(ZERO, (), price)
    amount = packages * price
    return PricedCharge(amount, (TierPortion(0, ZERO, None, packages, price, ZERO, amount,
                                             size),), price)


def _percentage(charge: Charge, currency: str,
                transactions: tuple[Decimal, ...]) -> PricedCharge:
    fixed = _optional(charge.fixed, currency, charge, "fixed")
    low = _optional(charge.min, currency, charge, "min")
    high = _optional(charge.max, currency, charge, "max")
    return PricedCharge(sum((transaction_fee(t, charge.rate, fixed or ZERO, low, high)
                             for t in transactions), ZERO),
                        fee=TransactionFee(charge.rate, fixed, low, high))


def transaction_fee(amount: Decimal, rate: Decimal, fixed: Decimal,
                    low: Decimal | None, high: Decimal | None) -> Decimal:
    """One transaction's fee: ``amount × rate / 100 + fixed``, clamped to ``[low, high]``."""
    with localcontext(MONEY_CONTEXT):
        fee = amount * rate / 100 + fixed
    if low is not None and fee < low:
        fee = low
    if high is not None and fee > high:
        fee = high
    return fee


def _scaled(amounts: Amounts, factor: Decimal) -> Amounts:
    return FrozenMap({currency: value * factor for currency, value in amounts.items()})


def scale_charge(charge: Charge, percent: Decimal) -> Charge:
    """``charge`` with every money amount multiplied by ``1 + percent/100``, unrounded.

    Scaled: ``amount``, ``unit_amount``, each tier's ``unit_amount`` and
    ``flat_amount``, ``fixed``, ``min`` and ``max``. Not scaled: ``rate``
    (a percentage, not money), quantities, ``included``, ``package_size``.
    """
    with money_arithmetic(f"charge {charge.id!r} scaled by {number_str(percent)} %"):
        factor = 1 + percent / 100
        return replace(
            charge,
            amount=_scaled(charge.amount, factor),
            unit_amount=_scaled(charge.unit_amount, factor),
            tiers=tuple(replace(tier, unit_amount=_scaled(tier.unit_amount, factor),
                                flat_amount=_scaled(tier.flat_amount, factor))
                        for tier in charge.tiers),
            fixed=_scaled(charge.fixed, factor),
            min=_scaled(charge.min, factor),
            max=_scaled(charge.max, factor),
        )


def charges_in_channel(charges: Sequence[Charge], offering: Offering | None, *,
                       phase: bool = False) -> tuple[Charge, ...]:
    """The charges a plan is sold at through ``offering`` (None: the catalog price).

    A ``price_override.charges`` replaces the version's own charges (not an
    introductory phase's: ``phase``); a ``price_override.percent`` then
    scales every charge, a phase's too (the schema allows one of the two;
    were both given, both would apply in that order).
    """
    override = offering.price_override if offering is not None else None
    if override is None:
        return tuple(charges)
    replaced = override.charges is not None and not phase
    result = tuple(override.charges or ()) if replaced else tuple(charges)
    if override.percent is not None:
        percent = override.percent
        result = tuple(scale_charge(charge, percent) for charge in result)
    return result
