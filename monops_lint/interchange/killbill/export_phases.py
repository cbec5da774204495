"""One plan version's charges -> Kill Bill phases: the trial as ``TRIAL``, each
introductory phase as ``DISCOUNT``, the version's own charges as ``EVERGREEN``.

In each phase, one-time charges become its ``fixed`` price, recurring charges its
``recurringPrice`` (flat amounts added up: Kill Bill has one recurring price per phase),
usage charges consumable in-arrear ``usages`` with tiered blocks. A charge Kill Bill
cannot price exactly is left out whole (never exported at a wrong price) and reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from monops_lint.interchange import LeftOut
from monops_lint.interchange.killbill.model import (
    UNLIMITED,
    KbBlock,
    KbDuration,
    KbPhase,
    KbRecurring,
    KbTier,
    KbUsage,
    Prices,
)
from monops_lint.model import Amounts, Charge, Phase, Plan, PlanVersion

PERIOD = {"month": "MONTHLY", "quarter": "QUARTERLY", "year": "ANNUAL",
          "one_time": "NO_BILLING_PERIOD"}
"""monops billing periods -> Kill Bill's."""

_ZERO, _ONE = Decimal(0), Decimal(1)


@dataclass
class PhaseContext:
    """What mapping a plan's charges needs from the catalog around it."""

    plan: Plan
    kb_plan: str
    currencies: frozenset[str]
    """The currencies Kill Bill accepts (a price in another is left out)."""
    unit_of: Callable[[str], str]
    """A usage metric -> its Kill Bill unit name."""
    usage_name: Callable[[str, Charge], str]
    """(phase id or "", charge) -> the usage's Kill Bill name."""
    left_out: list[LeftOut] = field(default_factory=list)

    def leave(self, where: str, why: str) -> None:
        item = LeftOut(f"plan {self.plan.id}", where, why)
        if item not in self.left_out:
            self.left_out.append(item)

    def prices(self, amounts: Mapping[str, Decimal], where: str) -> Prices:
        """``amounts`` as Kill Bill prices, sorted by currency; a currency Kill Bill does not
        know is left out."""
        kept = []
        for currency in sorted(amounts):
            if currency in self.currencies:
                kept.append((currency, amounts[currency]))
            else:
                self.leave(f"{where}.{currency}", f"Kill Bill has no currency {currency}")
        return tuple(kept)


def _sum(context: PhaseContext, parts: Sequence[tuple[Amounts, str]]) -> Prices:
    """Amounts added up currency by currency; a currency missing from one of them is left
    out (its sum would be wrong)."""
    if not parts:
        return ()
    shared = set.intersection(*(set(amounts) for amounts, _ in parts))
    for amounts, where in parts:
        for currency in sorted(set(amounts) - shared):
            context.leave(f"{where}.{currency}", f"the other charges it adds up with have no "
                          f"{currency} price (Kill Bill has one price per phase)")
    total = {c: sum((amounts[c] for amounts, _ in parts), _ZERO) for c in shared}
    return context.prices(total, parts[0][1])


def _flat_price(context: PhaseContext, charge: Charge, where: str) -> tuple[Amounts, str] | None:
    """A one-time or recurring charge as one price per subscription, or None (left out)."""
    if charge.model == "flat":
        return charge.amount, f"{where}.amount"
    if charge.model == "per_unit":
        context.leave(f"{where}.model", "per_unit: Kill Bill prices one subscription, not a "
                      "quantity (exported as the price of one unit)")
        return charge.unit_amount, f"{where}.unit_amount"
    context.leave(where, f"a {charge.type} {charge.model} charge on the subscription's quantity "
                  "has no Kill Bill equivalent")
    return None


def _tiers(context: PhaseContext, charge: Charge, where: str) -> list[tuple[Decimal | None,
                                                                          Amounts]] | None:
    """The charge's tiers as (units in the tier or None for no limit, unit price), or None
    when one carries a flat fee (left out)."""
    for index, tier in enumerate(charge.tiers):
        if tier.flat_amount:
            context.leave(f"{where}.tiers[{index}].flat_amount", "Kill Bill's tiered blocks "
                          "have no flat fee per tier (the charge is left out)")
            return None
    found: list[tuple[Decimal | None, Amounts]] = []
    below = _ZERO
    for tier in charge.tiers:
        found.append((None if tier.up_to is None else tier.up_to - below, tier.unit_amount))
        below = tier.up_to if tier.up_to is not None else below
    return found


def _usage(context: PhaseContext, phase_id: str, charge: Charge, where: str) -> KbUsage | None:
    """A usage charge as a consumable in-arrear usage, or None (left out)."""
    unit = context.unit_of(charge.usage_metric or charge.id)
    policy = "ALL_TIERS"
    # (block size, most blocks or None, price per block) for each tier, in order
    rows: list[tuple[Decimal, Decimal | None, Mapping[str, Decimal]]] = []
    free = {currency: _ZERO for currency in charge.currencies()}
    if charge.model == "per_unit":
        rows = [(_ONE, UNLIMITED, charge.unit_amount)]
    elif charge.model in ("graduated", "tapered"):
        tiers = _tiers(context, charge, where)
        if tiers is None:
            return None
        rows = [(_ONE, most, price) for most, price in tiers]
    elif charge.model == "volume":
        if charge.included:
            context.leave(f"{where}.included", "Kill Bill's TOP_TIER prices every unit used: "
                          "free units before a volume tier have no equivalent")
            return None
        tiers = _tiers(context, charge, where)
        if tiers is None:
            return None
        policy, rows = "TOP_TIER", [(_ONE, most, price) for most, price in tiers]
    elif charge.model == "package":
        if charge.round == "down":
            context.leave(f"{where}.round", "Kill Bill counts every started block (round up)")
            return None
        rows = [(charge.package_size, UNLIMITED, charge.amount)]
    else:
        why = ("a percentage of each transaction" if charge.model == "percentage"
               else "one price for any use")
        context.leave(where, f"{charge.model}: no Kill Bill usage charges {why}")
        return None
    if charge.included:  # free units first: a zero-priced tier of single units
        rows.insert(0, (_ONE, charge.included, free))
    blocks = tuple(KbTier((KbBlock(unit, size, context.prices(price, f"{where}.price"), most),))
                   for size, most, price in rows)
    return KbUsage(context.usage_name(phase_id, charge), "IN_ARREAR", "CONSUMABLE",
                   PERIOD[context.plan.billing_period], blocks, policy, charge.description)


@dataclass
class _Parts:
    fixed: list[tuple[Amounts, str]] = field(default_factory=list)
    recurring: list[tuple[Amounts, str]] = field(default_factory=list)
    usages: list[KbUsage] = field(default_factory=list)
    lost: bool = False  # a charge was left out


def _parts(context: PhaseContext, phase_id: str, charges: Iterable[Charge],
           where: str) -> _Parts:
    parts = _Parts()
    one_time_plan = context.plan.billing_period == "one_time"
    for index, charge in enumerate(charges):
        at = f"{where}.charges[{index}]"
        if charge.type == "usage" or charge.model == "percentage":
            usage = None
            if one_time_plan:
                context.leave(at, "a one-time plan has no billing period to bill usage in")
            else:
                usage = _usage(context, phase_id, charge, at)
            parts.usages += [usage] if usage is not None else []
            parts.lost |= usage is None
            continue
        if charge.type == "recurring" and one_time_plan:
            context.leave(at, "a one-time plan has no billing period to recur in")
            parts.lost = True
            continue
        price = _flat_price(context, charge, at)
        parts.lost |= price is None
        if price is not None:
            (parts.fixed if charge.type == "one_time" else parts.recurring).append(price)
    return parts


def _phase(context: PhaseContext, kind: str, duration: KbDuration, parts: _Parts,
           fixed: list[tuple[Amounts, str]], pretty_name: str = "") -> KbPhase:
    recurring = None
    if parts.recurring:
        recurring = KbRecurring(PERIOD[context.plan.billing_period],
                                _sum(context, parts.recurring))
    fixed_prices = _sum(context, fixed) if fixed else None
    if fixed_prices is None and recurring is None and not parts.usages:
        fixed_prices = ()  # nothing to bill in this phase: Kill Bill's zero fixed price
    return KbPhase(kind, duration, fixed_prices, recurring, tuple(parts.usages), pretty_name)


def _duration(phase: Phase) -> KbDuration:
    return KbDuration("MONTHS", phase.months) if phase.months else KbDuration("DAYS", phase.days)


def plan_phases(context: PhaseContext, version: PlanVersion, index: int,
                charges: Sequence[Charge]) -> tuple[tuple[KbPhase, ...], KbPhase] | None:
    """The initial phases and the final phase of ``version`` (with ``charges`` as its own
    charges), or None when every charge it has was left out."""
    where = f"versions[{index}]"
    if version.rollout:
        context.leave(f"{where}.rollout", "Kill Bill moves every subscription at once (staged "
                      "waves are not expressible; exported at effective_from)")
    intro = [_parts(context, phase.id, phase.charges, f"{where}.phases[{number}]")
             for number, phase in enumerate(version.phases)]
    own = _parts(context, "", charges, where)
    # One-time charges billed when the subscription starts go in its first phase: the trial.
    first = intro[0] if intro else own
    at_start, first.fixed = (first.fixed, []) if context.plan.trial_days else ([], first.fixed)
    initial = []
    if context.plan.trial_days:
        initial.append(KbPhase("TRIAL", KbDuration("DAYS", context.plan.trial_days),
                               _sum(context, at_start) if at_start else ()))
    for phase, parts in zip(version.phases, intro, strict=True):
        initial.append(_phase(context, "DISCOUNT", _duration(phase), parts, parts.fixed,
                              phase.description))
    final = _phase(context, "EVERGREEN", KbDuration("UNLIMITED"), own, own.fixed)
    lost = own.lost or any(parts.lost for parts in intro)
    if lost and final.fixed == () and final.recurring is None and not final.usages:
        return None
    return tuple(initial), final
