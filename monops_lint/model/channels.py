"""Channels and their offerings, and promotions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.frozen import EMPTY_AMOUNTS, Amounts
from monops_lint.model.origin import ORIGIN, Origin
from monops_lint.model.plans import Charge


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
    external_name: str = ""  # its name in the billing system (a price list), where not an id
    origin: Origin = ORIGIN

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
    origin: Origin = ORIGIN

    kind = "promotion"

    def valid_on(self, day: dt.date) -> bool:
        """Whether the promotion can be applied on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
