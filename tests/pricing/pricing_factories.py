"""Small builders for the pricing tests: model objects written in Python, no YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.model import (
    Channel,
    Charge,
    Customer,
    Entity,
    FrozenMap,
    Offering,
    Plan,
    PlanVersion,
    PriceOverride,
    Promotion,
    Scenario,
    Subscription,
    Tier,
    Usage,
)

JAN_START = dt.date(2027, 1, 1)
JAN_END = dt.date(2027, 1, 31)


def D(text: str) -> Decimal:
    """A Decimal from its text (never from a float)."""
    return Decimal(text)


def money(**by_currency: str) -> FrozenMap[str, Decimal]:
    """``money(USD="9.99")`` -> ``{USD: Decimal("9.99")}``."""
    return FrozenMap({currency: Decimal(text) for currency, text in by_currency.items()})


def usd(text: str) -> FrozenMap[str, Decimal]:
    """An amount in USD only."""
    return money(USD=text)


def tier(up_to: str | None, unit: str | None = None, flat: str | None = None,
         currency: str = "USD") -> Tier:
    """One tier priced in one currency."""
    return Tier(up_to=None if up_to is None else Decimal(up_to),
                unit_amount=money(**{currency: unit}) if unit is not None else FrozenMap(),
                flat_amount=money(**{currency: flat}) if flat is not None else FrozenMap())


def tiers_t() -> tuple[Tier, ...]:
    """SPEC's tiers T: 1-100 at 0.50, 101-1000 at 0.40, above at 0.30 (USD)."""
    return (tier("100", "0.50"), tier("1000", "0.40"), tier(None, "0.30"))


def charge(id: str, model: str, type: str = "recurring", **fields: Any) -> Charge:
    """A charge; ``fields`` are passed to ``Charge`` as they are."""
    return Charge(id=id, type=type, model=model, **fields)


def flat(id: str, amount: str, type: str = "recurring", currency: str = "USD") -> Charge:
    """A flat charge in one currency."""
    return charge(id, "flat", type, amount=money(**{currency: amount}))


def plan(id: str, *charges: Charge, effective_from: dt.date = dt.date(2026, 1, 1),
         **fields: Any) -> Plan:
    """A plan with one version holding ``charges``."""
    return Plan(id=id, name=fields.pop("name", id.replace("-", " ").title()),
                billing_period=fields.pop("billing_period", "month"),
                versions=(PlanVersion(effective_from, tuple(charges)),), product="p", **fields)


def channel(id: str, *plans: str, currencies: tuple[str, ...] = ("USD", "EUR", "JPY", "BHD"),
            tax_inclusive: bool = False,
            overrides: Mapping[str, PriceOverride] | None = None) -> Channel:
    """A channel offering ``plans``, with optional price overrides by plan id."""
    overrides = overrides or {}
    return Channel(id=id, name=id.title(), currencies=currencies, tax_inclusive=tax_inclusive,
                   offerings=tuple(Offering(p, price_override=overrides.get(p)) for p in plans))


def sub(plan_id: str, quantity: str = "1", start: dt.date | None = None,
        usage: Mapping[str, Usage] | None = None, promotion: str = "",
        end: dt.date | None = None) -> Subscription:
    """A subscription."""
    return Subscription(plan=plan_id, quantity=Decimal(quantity), start=start,
                        usage=FrozenMap(usage or {}), promotion=promotion, end=end)


def scenario(*subscriptions: Subscription, channel: str = "web", currency: str = "USD",
             start: dt.date = JAN_START, end: dt.date = JAN_END, tax_rate: str = "0",
             id: str = "s1", customer_id: str = "") -> Scenario:
    """A scenario for the January 2027 period unless told otherwise."""
    return Scenario(id=id, channel=channel, currency=currency, period_start=start,
                    period_end=end,
                    customer=Customer("Acme", "US", Decimal(tax_rate), id=customer_id),
                    subscriptions=subscriptions)


def promotion(id: str, plans: tuple[str, ...], *, channels: tuple[str, ...] = ("web",),
              valid_from: dt.date = dt.date(2026, 1, 1), **fields: Any) -> Promotion:
    """A promotion."""
    return Promotion(id=id, channels=channels, plans=plans, valid_from=valid_from, **fields)


def catalog(*entities: Entity) -> Catalog:
    """A catalog of ``entities``; a ``web`` channel offering every plan is added when absent."""
    items = list(entities)
    if not any(isinstance(e, Channel) and e.id == "web" for e in items):
        items.append(channel("web", *(e.id for e in items if isinstance(e, Plan))))
    return Catalog.of(items)
