"""The catalog's entities as typed, frozen values (SPEC section 2).

Entities are built from schema-valid documents only (see ``build``), so the
constructors here trust their input. Every entity carries an ``Origin``:
the file and node it came from, which rules use to point at the exact field.
Origins never take part in equality, so two entities compare equal when
their content does, wherever they were written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from monops_lint.findings import Location
from monops_lint.source.yamlstrict import Positions, locate

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class FrozenMap(dict[K, V]):
    """An immutable, hashable mapping that keeps insertion order.

    A dict that refuses every change: reading it (``[]``, ``get``, ``len``,
    ``items``, ``in``) is the dict's own C code, which matters because rules
    and the pricing engine read amounts millions of times.
    """

    __slots__ = ()

    def _refuse(self) -> NoReturn:
        raise TypeError("a FrozenMap cannot be changed")

    def __setitem__(self, key: K, value: V) -> NoReturn:
        self._refuse()

    def __delitem__(self, key: K) -> NoReturn:
        self._refuse()

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        self._refuse()

    def clear(self) -> NoReturn:
        self._refuse()

    def pop(self, key: K, default: Any = None) -> NoReturn:
        self._refuse()

    def popitem(self) -> NoReturn:
        self._refuse()

    def setdefault(self, key: K, default: Any = None) -> NoReturn:
        self._refuse()

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._refuse()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self),))

    def __copy__(self) -> FrozenMap[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenMap[K, V]:
        return self


Amounts = FrozenMap[str, Decimal]
"""Money by currency: ``{USD: Decimal("9.99"), EUR: Decimal("9.49")}``."""

EMPTY_AMOUNTS: Amounts = FrozenMap()


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entity was written: its file, its document, its data and node positions."""

    path: str
    line: int
    column: int
    data: Any = field(default=None, repr=False)
    positions: Positions | None = field(default=None, repr=False)

    def _where(self, keys: tuple[Any, ...], on_key: bool) -> Location:
        found = locate(self.data, self.positions, keys, on_key) if self.positions else None
        line, column = found or (self.line, self.column)
        return Location(self.path, line, column)

    def at(self, *keys: Any) -> Location:
        """The location of the value at ``keys`` (or of its nearest existing ancestor)."""
        return self._where(keys, False)

    def key_at(self, *keys: Any) -> Location:
        """The location of the key of ``keys[-1]`` - where a field's line starts."""
        return self._where(keys, True)

    def location(self) -> Location:
        """Where the entity's document starts."""
        return Location(self.path, self.line, self.column)


NOWHERE = Origin("<none>", 1, 1)
_ORIGIN: Any = field(default=NOWHERE, compare=False, repr=False)


# --- products and bundles -----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Product:
    """Something the company sells (``kind: product``)."""

    id: str
    name: str
    description: str = ""
    category: str = ""
    unit: str = ""
    features: tuple[str, ...] = ()
    status: str = "active"  # draft | active | deprecated | retired
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    tax_code: str = ""
    cost: Amounts = EMPTY_AMOUNTS
    origin: Origin = _ORIGIN

    kind = "product"


@dataclass(frozen=True, slots=True)
class Component:
    """A product included in a bundle, with its quantity."""

    product: str
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Bundle:
    """Products sold together (``kind: bundle``)."""

    id: str
    name: str
    components: tuple[Component, ...]
    description: str = ""
    status: str = "active"
    origin: Origin = _ORIGIN

    kind = "bundle"


# --- plans ---------------------------------------------------------------------

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
class PlanVersion:
    """The charges of a plan from ``effective_from`` on."""

    effective_from: dt.date
    charges: tuple[Charge, ...]


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
    origin: Origin = _ORIGIN

    kind = "plan"

    def version_on(self, day: dt.date) -> PlanVersion | None:
        """The version in effect on ``day``: the latest that starts on or before it."""
        current = None
        for version in sorted(self.versions, key=lambda v: v.effective_from):
            if version.effective_from <= day:
                current = version
        return current

    def version_index(self, version: PlanVersion) -> int:
        """Where ``version`` stands in the file (for locations)."""
        return self.versions.index(version)


# --- channels ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class PriceOverride:
    """A channel-specific price: ``percent`` on every charge, or ``charges`` in full."""

    reason: str
    percent: Decimal | None = None
    charges: tuple[Charge, ...] | None = None


@dataclass(frozen=True, slots=True)
class Offering:
    """A plan on sale in a channel."""

    plan: str
    upsell: tuple[str, ...] = ()
    cross_sell: tuple[str, ...] = ()
    price_override: PriceOverride | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """Where customers buy: web, retail, partners... (``kind: channel``)."""

    id: str
    name: str
    currencies: tuple[str, ...]
    offerings: tuple[Offering, ...] = ()
    tax_inclusive: bool = False
    description: str = ""
    origin: Origin = _ORIGIN

    kind = "channel"

    def offering(self, plan_id: str) -> Offering | None:
        """The offering of ``plan_id`` in this channel, if it is on sale here."""
        for offering in self.offerings:
            if offering.plan == plan_id:
                return offering
        return None

    def offering_index(self, plan_id: str) -> int:
        """Where the offering of ``plan_id`` stands in the file (for locations)."""
        for index, offering in enumerate(self.offerings):
            if offering.plan == plan_id:
                return index
        return -1


# --- promotions ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Promotion:
    """A discount on some plans in some channels (``kind: promotion``)."""

    id: str
    channels: tuple[str, ...]
    plans: tuple[str, ...]
    valid_from: dt.date
    valid_until: dt.date | None = None
    name: str = ""
    campaign: str = ""
    percent_off: Decimal | None = None
    amount_off: Amounts = EMPTY_AMOUNTS
    duration_periods: int | None = None
    origin: Origin = _ORIGIN

    kind = "promotion"

    def valid_on(self, day: dt.date) -> bool:
        """Whether the promotion can be applied on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


# --- scenarios -----------------------------------------------------------------

Usage = Decimal | tuple[Decimal, ...]
"""A usage figure: a quantity, or for ``percentage`` charges a list of transactions."""

NO_USAGE: FrozenMap[str, Usage] = FrozenMap()
"""No usage at all: a quote or a price of recurring charges only."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """One plan a sample customer holds."""

    plan: str
    quantity: Decimal = Decimal(1)
    start: dt.date | None = None
    usage: FrozenMap[str, Usage] = field(default_factory=FrozenMap)
    promotion: str = ""


@dataclass(frozen=True, slots=True)
class Customer:
    """Who a scenario's invoice is addressed to."""

    name: str
    country: str = ""
    tax_rate: Decimal = Decimal(0)
    locale: str = ""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A sample customer: one invoice each (``kind: scenario``)."""

    id: str
    channel: str
    currency: str
    period_start: dt.date
    period_end: dt.date
    customer: Customer
    subscriptions: tuple[Subscription, ...]
    name: str = ""
    description: str = ""
    weight: Decimal = Decimal(1)
    origin: Origin = _ORIGIN

    kind = "scenario"


# --- custom rules --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CustomRule:
    """A check written as data (``kind: rule``), evaluated in a sandbox."""

    id: str
    each: str
    assert_: str
    message: str
    severity: str = "error"
    when: str = ""
    description: str = ""
    hint: str = ""
    origin: Origin = _ORIGIN

    kind = "rule"


Entity = Product | Bundle | Plan | Channel | Promotion | Scenario | CustomRule

KINDS: tuple[str, ...] = ("product", "bundle", "plan", "channel", "promotion", "scenario", "rule")
