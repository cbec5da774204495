"""One Kill Bill plan -> a monops plan version: ``TRIAL`` -> ``trial_days``, ``DISCOUNT``
phases -> introductory phases, the final phase -> the version's charges; in each phase
``fixed`` -> a one-time charge, ``recurring`` -> a recurring flat charge, consumable
in-arrear usages -> usage charges (ALL_TIERS -> per_unit, graduated or package; TOP_TIER
-> volume).

What monops cannot price the same way is reported with the file and element: a usage
that does not fit is left out alone; a plan whose phases do not fit (a trial counted in
months, a paid trial, a billing period monops has no word for) is left out whole, since
importing it without that part would change what its customers pay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from monops_lint.interchange import LeftOut
from monops_lint.interchange.killbill.model import KbPhase, KbPlan, KbUsage, Prices
from monops_lint.interchange.killbill.names import MonopsIds
from monops_lint.money import decimals_of

PERIODS = {"MONTHLY": "month", "QUARTERLY": "quarter", "ANNUAL": "year",
           "NO_BILLING_PERIOD": "one_time"}
"""Kill Bill billing periods -> monops'; the others (DAILY, WEEKLY, BIENNIAL...) have no
word in monops' pricing model."""

_ONE = Decimal(1)


class PlanRefused(Exception):
    """The plan cannot be imported without changing what it bills (``why`` says where)."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(why)
        self.where = where
        self.why = why


@dataclass
class PlanContext:
    """What mapping one plan of one file needs."""

    file: str
    plan: KbPlan
    kb_name: str
    """The plan's name as export will write it back (its Kill Bill name)."""
    metric_of: Callable[[str], str]
    digits_of: Callable[[str], int | None]
    """A currency's minor-unit digits (None: not a currency monops can price in)."""
    left_out: list[LeftOut] = field(default_factory=list)

    def leave(self, where: str, why: str) -> None:
        self.left_out.append(LeftOut(self.file, where, why))

    def amounts(self, prices: Prices, where: str, unit_rate: bool = False) -> dict[str, Decimal]:
        """Prices as a monops amount map, every digit kept; trailing zeros beyond the
        currency's minor unit are dropped (``100.00`` JPY is ``100``: the same value)."""
        found: dict[str, Decimal] = {}
        for currency, value in prices:
            digits = self.digits_of(currency)
            if digits is None:
                self.leave(f"{where}[{currency}]", f"{currency} has no minor unit to price in")
                continue
            limit = 12 if unit_rate else digits
            if decimals_of(value) > limit:
                places = max(limit, decimals_of(value.normalize()))
                value = value.quantize(Decimal(1).scaleb(-places))
            found[currency] = value
        return found


@dataclass
class MappedPlan:
    """A plan's fields and one version's body (``charges``, ``phases``)."""

    billing_period: str
    trial_days: int
    body: dict[str, Any]


def _period(plan: KbPlan) -> str:
    for phase in (plan.final_phase, *plan.initial_phases):
        if phase.recurring is not None:
            return phase.recurring.billing_period
    for phase in plan.phases:
        for usage in phase.usages:
            return usage.billing_period
    return "NO_BILLING_PERIOD"


def _days(phase: KbPhase) -> int | None:
    number = phase.duration.number or 0
    return {"DAYS": number, "WEEKS": 7 * number}.get(phase.duration.unit)


def _usage_id(context: PlanContext, usage: KbUsage, phase_id: str,
              charge_ids: MonopsIds) -> tuple[str, str]:
    """(charge id, external_name or "") of a usage: its name without the plan's (and
    phase's) name in front, when what remains is an id export turns back into it."""
    prefix = "-".join(p for p in (context.kb_name, phase_id) if p) + "-"
    rest = usage.name[len(prefix):] if usage.name.startswith(prefix) else usage.name
    charge_id = charge_ids.of(rest)
    return charge_id, "" if prefix + charge_id == usage.name else usage.name


def _usage(context: PlanContext, usage: KbUsage, phase_id: str, period: str,
           charge_ids: MonopsIds) -> dict[str, Any] | None:
    at = usage.path
    why = ""
    if usage.problems:
        why = f"{', '.join(usage.problems)}: no monops equivalent"
    elif usage.usage_type != "CONSUMABLE":
        why = ("CAPACITY usage bills the tier of the period's peak per unit, even at zero use; "
               "monops prices the period's total")
    elif usage.billing_mode != "IN_ARREAR":
        why = "prepaid (IN_ADVANCE) usage blocks have no monops equivalent"
    elif usage.billing_period != period:
        why = f"billed {usage.billing_period} in a {period} plan: monops bills usage per period"
    elif not usage.tiers or any(len(tier.blocks) != 1 for tier in usage.tiers):
        why = "monops prices one unit per usage charge, in tiers of one block each"
    elif len({tier.blocks[0].unit for tier in usage.tiers}) != 1:
        why = "tiers counting different units"
    if why:
        context.leave(at, why)
        return None
    blocks = [tier.blocks[0] for tier in usage.tiers]
    charge_id, external = _usage_id(context, usage, phase_id, charge_ids)
    charge: dict[str, Any] = {"id": charge_id}
    if external:
        charge["external_name"] = external
    if usage.pretty_name:
        charge["description"] = usage.pretty_name
    charge["type"] = "usage"

    def priced(**fields: Any) -> dict[str, Any]:  # the unit counts only once it is imported
        return {**charge, "metric": context.metric_of(blocks[0].unit), **fields}

    sizes = [block.size for block in blocks]
    if any(block.max is None for block in blocks[:-1]):
        context.leave(at, "a tier without a limit before the last: later tiers are never "
                          "reached")
        return None
    if sizes == [_ONE] * len(blocks):
        if usage.tier_block_policy == "ALL_TIERS" and len(blocks) == 1 and blocks[0].max is None:
            return priced(model="per_unit",
                          unit_amount=context.amounts(blocks[0].prices, at, True))
        tiers, below = [], Decimal(0)
        for block in blocks:
            up_to = None if block.max is None else below + block.max
            tiers.append({"up_to": up_to,
                          "unit_amount": context.amounts(block.prices, at, True)})
            below = up_to if up_to is not None else below
        model = "volume" if usage.tier_block_policy == "TOP_TIER" else "graduated"
        return priced(model=model, tiers=tiers)
    package = blocks[-1]
    free = blocks[0] if len(blocks) == 2 else None
    if usage.tier_block_policy == "ALL_TIERS" and package.max is None and (
            len(blocks) == 1 or (free is not None and free.size == _ONE and free.max
                                 and all(value == 0 for _, value in free.prices))):
        if free is not None:
            charge["included"] = free.max
        return priced(model="package", package_size=package.size,
                      amount=context.amounts(package.prices, at))
    context.leave(at, "blocks of more than one unit in tiers: monops prices tiers per unit")
    return None


def _charges(context: PlanContext, phase: KbPhase, phase_id: str,
             period: str) -> list[dict[str, Any]]:
    charges: list[dict[str, Any]] = []
    ids = MonopsIds()
    if phase.fixed:
        charges.append({"id": ids.of("fixed"), "type": "one_time", "model": "flat",
                        "amount": context.amounts(phase.fixed, f"{phase.path}/fixed")})
    if phase.recurring is not None:
        if phase.recurring.billing_period != period:
            raise PlanRefused(f"{phase.path}/recurring", f"billed {phase.recurring.billing_period}"
                              f" in a plan billed {period}: monops has one period per plan")
        if phase.recurring.prices:
            charges.append({"id": ids.of("recurring"), "type": "recurring", "model": "flat",
                            "amount": context.amounts(phase.recurring.prices,
                                                      f"{phase.path}/recurring")})
        else:
            context.leave(f"{phase.path}/recurring", "a recurring section without a price "
                          "bills nothing: no charge")
    for usage in phase.usages:
        mapped = _usage(context, usage, phase_id, period, ids)
        if mapped is not None:
            charges.append(mapped)
    return charges


def map_plan(context: PlanContext) -> MappedPlan:
    """The plan's billing period, trial and one version body; ``PlanRefused`` when its
    phases do not fit monops' (the caller reports it and leaves the plan out)."""
    plan = context.plan
    period = _period(plan)
    if period not in PERIODS:
        raise PlanRefused(f"{plan.path}", f"billing period {period}: monops bills by month, "
                          "quarter, year or once")
    initial = list(plan.initial_phases)
    trial_days = 0
    trial_fixed_prices: Prices = ()
    if initial and initial[0].type == "TRIAL":
        trial = initial.pop(0)
        days = _days(trial)
        if days is None or days < 1:
            raise PlanRefused(f"{trial.path}/duration", f"a trial of {trial.duration.unit}: "
                              "monops counts a trial in days")
        if trial.recurring is not None or trial.usages:
            raise PlanRefused(trial.path, "a paid trial: in monops a trial bills nothing "
                              "recurring and no usage")
        trial_days, trial_fixed_prices = days, trial.fixed or ()
        if trial.pretty_name:
            context.leave(trial.path, f"the trial's name {trial.pretty_name!r} has no place "
                          "in monops")
    phases: list[dict[str, Any]] = []
    phase_ids = MonopsIds()
    for phase in initial:
        if phase.type not in ("DISCOUNT", "FIXEDTERM"):
            raise PlanRefused(phase.path, f"a {phase.type} phase after the first: monops has "
                              "one trial, first")
        unit, number = phase.duration.unit, phase.duration.number or 0
        duration = ({"days": number} if unit == "DAYS" else {"days": 7 * number}
                    if unit == "WEEKS" else {"months": number} if unit == "MONTHS"
                    else {"months": 12 * number} if unit == "YEARS" else None)
        if duration is None or number < 1:
            raise PlanRefused(f"{phase.path}/duration", f"an introductory phase of "
                              f"{unit}: it needs a number of days, weeks, months or years")
        if phase.type == "FIXEDTERM":
            context.leave(phase.path, "a FIXEDTERM initial phase is imported as an "
                          "introductory phase (export writes it back as DISCOUNT)")
        phase_id = phase_ids.of(phase.type.lower())
        body: dict[str, Any] = {"id": phase_id}
        if phase.pretty_name:
            body["description"] = phase.pretty_name
        body["duration"] = duration
        body["charges"] = _charges(context, phase, phase_id, period)
        phases.append(body)
    final = plan.final_phase
    if final.type == "FIXEDTERM":
        context.leave(final.path, "the subscription's end after a FIXEDTERM final phase: "
                      "monops plans run until the subscription ends")
    elif final.type != "EVERGREEN":
        raise PlanRefused(final.path, f"a final {final.type} phase")
    charges = _charges(context, final, "", period)
    if trial_fixed_prices:  # billed when the subscription starts: monops' first one-time charges
        trial_path = f"{plan.path}/initialPhases/phase[1]"
        fixed = {"id": "fixed", "type": "one_time", "model": "flat",
                 "amount": context.amounts(trial_fixed_prices, trial_path)}
        target = phases[0]["charges"] if phases else charges
        if any(c["id"] == "fixed" for c in target):
            raise PlanRefused(plan.path, "one-time prices both in the trial and in the phase "
                              "after it")
        target.insert(0, fixed)
    elif trial_days and final.fixed and not phases:
        context.leave(f"{final.path}/fixed", "billed after the trial in Kill Bill; monops bills "
                      "a plan's one-time charges when the subscription starts")
    if final.pretty_name:
        context.leave(final.path, f"the final phase's name {final.pretty_name!r} has no "
                      "place in monops")
    body = {"phases": phases} if phases else {}
    body["charges"] = charges
    return MappedPlan(PERIODS[period], trial_days, body)

