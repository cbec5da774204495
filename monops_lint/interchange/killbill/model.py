"""Kill Bill's catalog as typed values: what ``xml_read`` reads, what ``export`` builds and
``xml_write`` writes (one ``KbCatalog`` per catalog version).

Only what monops maps is modelled; amounts stay ``Decimal`` from their text. ``path``
fields say where an element was read (for the import's report) and never take part in
equality.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

Prices = tuple[tuple[str, Decimal], ...]
"""(currency, value) pairs of one ``InternationalPrice``, in document order."""

UNLIMITED = None
"""A tiered block's ``max`` of -1: no upper bound."""

PERIODS = ("MONTHLY", "QUARTERLY", "ANNUAL", "NO_BILLING_PERIOD")
"""The billing periods monops has a word for (month, quarter, year, one_time)."""


@dataclass(frozen=True, slots=True)
class KbBlock:
    """A ``tieredBlock``: ``size`` units priced ``prices`` each, at most ``max`` blocks in
    its tier (None: unlimited)."""

    unit: str
    size: Decimal
    prices: Prices
    max: Decimal | None


@dataclass(frozen=True, slots=True)
class KbTier:
    """One ``tier`` of a usage (Kill Bill allows one block per unit in a tier)."""

    blocks: tuple[KbBlock, ...]


@dataclass(frozen=True, slots=True)
class KbUsage:
    """A ``usage`` section: consumable in arrear with tiers is what monops maps;
    ``problems`` says, in words, what else the reader found in it."""

    name: str
    billing_mode: str
    usage_type: str
    billing_period: str
    tiers: tuple[KbTier, ...]
    tier_block_policy: str = "ALL_TIERS"
    pretty_name: str = ""
    problems: tuple[str, ...] = ()
    path: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class KbDuration:
    """A phase's ``duration``: ``unit`` DAYS, WEEKS, MONTHS, YEARS or UNLIMITED."""

    unit: str
    number: int | None = None


@dataclass(frozen=True, slots=True)
class KbRecurring:
    """A phase's ``recurring`` section."""

    billing_period: str
    prices: Prices


@dataclass(frozen=True, slots=True)
class KbPhase:
    """A plan phase; ``fixed`` None means no ``fixed`` element, ``()`` an empty (zero)
    fixed price."""

    type: str
    duration: KbDuration
    fixed: Prices | None = None
    recurring: KbRecurring | None = None
    usages: tuple[KbUsage, ...] = ()
    pretty_name: str = ""
    path: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class KbPlan:
    """A plan: its product, initial phases and final phase."""

    name: str
    product: str
    initial_phases: tuple[KbPhase, ...]
    final_phase: KbPhase
    pretty_name: str = ""
    effective_for_existing: str | None = None
    """``effectiveDateForExistingSubscriptions``: when existing subscriptions move to it."""
    billing_mode: str | None = None
    path: str = field(default="", compare=False)

    @property
    def phases(self) -> tuple[KbPhase, ...]:
        """Every phase, in order."""
        return (*self.initial_phases, self.final_phase)


@dataclass(frozen=True, slots=True)
class KbProduct:
    """A product: its category and the add-on products available or included with it."""

    name: str
    category: str
    available: tuple[str, ...] = ()
    included: tuple[str, ...] = ()
    pretty_name: str = ""


@dataclass(frozen=True, slots=True)
class KbPriceList:
    """A price list: the plans on sale in it."""

    name: str
    plans: tuple[str, ...]
    pretty_name: str = ""


@dataclass(frozen=True, slots=True)
class KbUnit:
    """A usage unit."""

    name: str
    pretty_name: str = ""


@dataclass(frozen=True, slots=True)
class KbCatalog:
    """One catalog version (one XML file)."""

    name: str
    effective: str
    """``effectiveDate`` as written (an xs:dateTime)."""
    currencies: tuple[str, ...]
    products: tuple[KbProduct, ...]
    plans: tuple[KbPlan, ...]
    default_price_list: KbPriceList
    child_price_lists: tuple[KbPriceList, ...] = ()
    units: tuple[KbUnit, ...] = ()
    billing_mode: str | None = "IN_ADVANCE"
    rules: tuple[str, ...] = ()
    """The ``rules`` sections an import found (export writes its own fixed rules)."""

    @property
    def price_lists(self) -> tuple[KbPriceList, ...]:
        """The default price list, then the child price lists."""
        return (self.default_price_list, *self.child_price_lists)
