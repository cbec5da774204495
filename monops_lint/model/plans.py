"""Plans: versions, their introductory phases and rollout waves, charges and tiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from monops_lint.dates import add_months
from monops_lint.frozen import EMPTY_AMOUNTS, Amounts, FrozenMap
from monops_lint.model.origin import BUCKET_ZERO, ORIGIN, Origin


@dataclass(frozen=True, slots=True)
class Tier:
    """One tier of a tiered charge; ``up_to`` None means no upper bound."""

    up_to: Decimal | None
    unit_amount: Amounts = EMPTY_AMOUNTS
    flat_amount: Amounts = EMPTY_AMOUNTS


@dataclass(frozen=True, slots=True)
class Charge:
    """One priced component of a plan version.

    ``model`` says which of the fields price it (SPEC section 3): ``amount``
    for flat and package, ``unit_amount`` for per_unit, ``tiers`` for
    volume, graduated and tapered, and ``rate``/``fixed``/``min``/``max``
    for percentage.
    """

    id: str
    type: str  # recurring | usage | one_time
    model: str  # flat | per_unit | volume | graduated | tapered | package | percentage
    description: str = ""
    metric: str = ""
    included: Decimal = Decimal(0)
    amount: Amounts = EMPTY_AMOUNTS
    unit_amount: Amounts = EMPTY_AMOUNTS
    tiers: tuple[Tier, ...] = ()
    package_size: Decimal = Decimal(1)
    round: str = "up"  # package rounding: up | down
    rate: Decimal = Decimal(0)  # percentage: % of each transaction
    fixed: Amounts = EMPTY_AMOUNTS
    min: Amounts = EMPTY_AMOUNTS
    max: Amounts = EMPTY_AMOUNTS
    external_name: str = ""  # its name in the billing system (a Kill Bill usage), if set

    @property
    def usage_metric(self) -> str | None:
        """The usage a subscription's ``usage`` gives this charge: its ``metric``, else its
        ``id``; None for a charge that reads no usage (recurring and one-time charges other
        than ``percentage``)."""
        if self.type == "usage" or self.model == "percentage":
            return self.metric or self.id
        return None

    def currencies(self) -> frozenset[str]:
        """Every currency this charge names a price in."""
        found: set[str] = (set(self.amount) | set(self.unit_amount) | set(self.fixed)
                           | set(self.min) | set(self.max))
        for tier in self.tiers:
            found |= set(tier.unit_amount) | set(tier.flat_amount)
        return frozenset(found)

    def priced_in(self, currency: str) -> bool:
        """Whether this charge can be priced in ``currency``.

        An optional amount (a percentage fee's ``fixed``/``min``/``max``, a
        tier's second amount) may be absent altogether, but once written in
        some currencies it must be written in this one too: otherwise it
        would silently count as zero.
        """

        def covers(amounts: Amounts) -> bool:
            return not amounts or currency in amounts

        if self.model in ("flat", "package"):
            return currency in self.amount
        if self.model == "per_unit":
            return currency in self.unit_amount
        if self.model == "percentage":
            return covers(self.fixed) and covers(self.min) and covers(self.max)
        for tier in self.tiers:  # (covers() inlined: this runs for every tier of every plan)
            unit, flat = tier.unit_amount, tier.flat_amount
            if currency in unit:
                if flat and currency not in flat:
                    return False
            elif not flat or currency not in flat or unit:
                return False
        return bool(self.tiers)


@dataclass(frozen=True, slots=True)
class Phase:
    """An introductory phase (Kill Bill's ``DISCOUNT`` phase): its charges replace the
    version's own for ``months`` months or ``days`` days (one of the two)."""

    id: str
    charges: tuple[Charge, ...]
    months: int = 0
    days: int = 0
    description: str = ""

    def ends(self, begins: dt.date) -> dt.date:
        """The first day after the phase, for a phase that begins on ``begins``."""
        if self.months:
            return add_months(begins, self.months)
        return begins + dt.timedelta(days=self.days)

    @property
    def duration(self) -> str:
        """``3 months`` / ``14 days``."""
        count, unit = (self.months, "month") if self.months else (self.days, "day")
        return f"{count} {unit}{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class Wave:
    """One wave of a staged rollout: from ``start`` (YAML ``from``) on, the customers whose
    bucket is below ``share`` (cumulative percent) are on the version."""

    share: Decimal
    start: dt.date


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """The charges of a plan from ``effective_from`` on (for every customer, or wave by wave
    with ``rollout``), after its introductory ``phases``."""

    effective_from: dt.date
    charges: tuple[Charge, ...]
    phases: tuple[Phase, ...] = ()
    rollout: tuple[Wave, ...] = ()

    def effective_for(self, bucket: Decimal) -> dt.date | None:
        """The day this version takes effect for a customer in ``bucket`` (0 <= b < 100): the
        ``from`` of the first wave whose share is above the bucket; ``effective_from``
        without a rollout; None when no wave reaches the bucket (a rollout short of 100)."""
        if not self.rollout:
            return self.effective_from
        for wave in self.rollout:
            if wave.share > bucket:
                return wave.start
        return None

    def wave_of(self, bucket: Decimal) -> int | None:
        """The 1-based number of the wave that moves a customer in ``bucket`` (None: none
        does; 1 without a rollout)."""
        if not self.rollout:
            return 1
        for number, wave in enumerate(self.rollout, start=1):
            if wave.share > bucket:
                return number
        return None

    def all_charges(self) -> tuple[Charge, ...]:
        """The version's charges and every phase's, in that order."""
        return self.charges + tuple(c for phase in self.phases for c in phase.charges)


@dataclass(frozen=True, slots=True)
class Plan:
    """A price plan for one product or one bundle (``kind: plan``)."""

    id: str
    name: str
    billing_period: str  # month | quarter | year | one_time
    versions: tuple[PlanVersion, ...]
    product: str = ""
    bundle: str = ""
    sku: str = ""
    description: str = ""
    trial_days: int = 0
    free: bool = False
    limits: FrozenMap[str, Decimal] = field(default_factory=FrozenMap)
    features: tuple[str, ...] | None = None
    minimum: Amounts = EMPTY_AMOUNTS
    external_name: str = ""  # its name in the billing system, where not a valid id
    origin: Origin = ORIGIN

    kind = "plan"

    def version_on(self, day: dt.date, bucket: Decimal = BUCKET_ZERO) -> PlanVersion | None:
        """The version in effect on ``day`` for a customer in rollout ``bucket`` (default 0,
        the canary): of the versions that have taken effect for that customer by ``day``,
        the one with the latest ``effective_from``."""
        current = None
        for version in self.versions:  # (of two on the same day, the later one in the file)
            effective = version.effective_for(bucket) if version.rollout \
                else version.effective_from
            if effective is not None and effective <= day and \
                    (current is None or version.effective_from >= current.effective_from):
                current = version
        return current

    def version_index(self, version: PlanVersion) -> int:
        """Where ``version`` stands in the file (for locations)."""
        return self.versions.index(version)
