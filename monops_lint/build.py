"""Schema-valid documents -> typed entities (the model).

The schema has already said every field has the right shape, so these
functions only convert: dates to ``datetime.date``, numbers to ``Decimal``
(from their text, never through ``float``), lists to tuples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from monops_lint.model import (
    EMPTY_AMOUNTS,
    Amounts,
    Bundle,
    Channel,
    Charge,
    Component,
    Customer,
    CustomRule,
    Entity,
    FrozenMap,
    Offering,
    Origin,
    Phase,
    Plan,
    PlanVersion,
    PriceOverride,
    Product,
    Promotion,
    Scenario,
    Subscription,
    Tier,
    Usage,
    Wave,
)
from monops_lint.source.yamlstrict import Document

_ZERO, _ONE = Decimal(0), Decimal(1)


def decimal(value: Any) -> Decimal:
    """A number as written: ``9.99``, ``"9.99"`` or ``10`` -> ``Decimal``."""
    kind = type(value)
    if kind is Decimal:
        return value  # type: ignore[no-any-return]
    if kind is int or kind is str:
        return Decimal(value)
    raise TypeError(f"not a decimal: {value!r}")


def _opt_decimal(value: Any) -> Decimal | None:
    return None if value is None else decimal(value)


def amounts(value: Any) -> Amounts:
    """``{USD: 9.99}`` -> ``FrozenMap({"USD": Decimal("9.99")})``; absent -> empty."""
    if not value:
        return EMPTY_AMOUNTS
    return FrozenMap({currency: amount if type(amount) is Decimal else decimal(amount)
                      for currency, amount in value.items()})


def date(value: Any) -> dt.date:
    """``"2026-01-01"`` -> ``date(2026, 1, 1)``."""
    return dt.date.fromisoformat(value)


def _opt_date(value: Any) -> dt.date | None:
    return None if value is None else date(value)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(value or ())


def _product(data: Mapping[str, Any], origin: Origin) -> Product:
    return Product(
        id=data["id"], name=data["name"], description=data.get("description", ""),
        category=data.get("category", ""), unit=data.get("unit", ""),
        features=_strings(data.get("features")), status=data.get("status", "active"),
        available_from=_opt_date(data.get("available_from")),
        available_until=_opt_date(data.get("available_until")),
        tax_code=data.get("tax_code", ""), cost=amounts(data.get("cost")),
        external_name=data.get("external_name", ""), origin=origin)


def _bundle(data: Mapping[str, Any], origin: Origin) -> Bundle:
    return Bundle(
        id=data["id"], name=data["name"], description=data.get("description", ""),
        status=data.get("status", "active"),
        components=tuple(Component(c["product"], decimal(c.get("quantity", 1)))
                         for c in data["components"]), origin=origin)


def charge(data: Mapping[str, Any]) -> Charge:
    """One charge mapping -> ``Charge``."""
    get = data.get
    tiers = get("tiers")
    return Charge(
        id=data["id"], type=data["type"], model=data["model"],
        description=get("description", ""), metric=get("metric", ""),
        included=decimal(get("included", _ZERO)), amount=amounts(get("amount")),
        unit_amount=amounts(get("unit_amount")),
        tiers=tuple(Tier(_opt_decimal(t["up_to"]), amounts(t.get("unit_amount")),
                         amounts(t.get("flat_amount"))) for t in tiers) if tiers else (),
        package_size=decimal(get("package_size", _ONE)), round=get("round", "up"),
        rate=decimal(get("rate", _ZERO)), fixed=amounts(get("fixed")),
        min=amounts(get("min")), max=amounts(get("max")),
        external_name=get("external_name", ""))


def _phase(data: Mapping[str, Any]) -> Phase:
    duration = data["duration"]
    return Phase(data["id"], tuple(map(charge, data["charges"])),
                 months=duration.get("months", 0), days=duration.get("days", 0),
                 description=data.get("description", ""))


def _wave(data: Mapping[str, Any]) -> Wave:
    return Wave(decimal(data["share"]), date(data["from"]))


def _version(data: Mapping[str, Any]) -> PlanVersion:
    phases, rollout = data.get("phases"), data.get("rollout")  # (most versions have neither)
    return PlanVersion(date(data["effective_from"]), tuple(map(charge, data["charges"])),
                       tuple(map(_phase, phases)) if phases else (),
                       tuple(map(_wave, rollout)) if rollout else ())


def _plan(data: Mapping[str, Any], origin: Origin) -> Plan:
    return Plan(
        id=data["id"], name=data["name"], billing_period=data["billing_period"],
        versions=tuple(map(_version, data["versions"])),
        product=data.get("product", ""), bundle=data.get("bundle", ""),
        sku=data.get("sku", ""), description=data.get("description", ""),
        trial_days=data.get("trial_days", 0), free=data.get("free", False),
        limits=FrozenMap({k: decimal(v) for k, v in (data.get("limits") or {}).items()}),
        features=None if data.get("features") is None else _strings(data["features"]),
        minimum=amounts(data.get("minimum")), external_name=data.get("external_name", ""),
        origin=origin)


def _override(data: Mapping[str, Any] | None) -> PriceOverride | None:
    if data is None:
        return None
    charges = data.get("charges")
    return PriceOverride(reason=data["reason"], percent=_opt_decimal(data.get("percent")),
                         charges=None if charges is None else tuple(charge(c) for c in charges))


def _channel(data: Mapping[str, Any], origin: Origin) -> Channel:
    return Channel(
        id=data["id"], name=data["name"], currencies=_strings(data["currencies"]),
        tax_inclusive=data.get("tax_inclusive", False), description=data.get("description", ""),
        external_name=data.get("external_name", ""),
        offerings=tuple(Offering(o["plan"], _strings(o.get("upsell")),
                                 _strings(o.get("cross_sell")), _override(o.get("price_override")))
                        for o in data.get("offerings", ())), origin=origin)


def _promotion(data: Mapping[str, Any], origin: Origin) -> Promotion:
    return Promotion(
        id=data["id"], channels=_strings(data["channels"]), plans=_strings(data["plans"]),
        valid_from=date(data["valid_from"]), valid_until=_opt_date(data.get("valid_until")),
        name=data.get("name", ""), campaign=data.get("campaign", ""),
        percent_off=_opt_decimal(data.get("percent_off")),
        amount_off=amounts(data.get("amount_off")),
        duration_periods=data.get("duration_periods"), origin=origin)


def _usage(value: Any) -> Usage:
    if isinstance(value, list):
        return tuple(decimal(v) for v in value)
    return decimal(value)


def _scenario(data: Mapping[str, Any], origin: Origin) -> Scenario:
    customer = data["customer"]
    return Scenario(
        id=data["id"], channel=data["channel"], currency=data["currency"],
        period_start=date(data["period"]["start"]), period_end=date(data["period"]["end"]),
        customer=Customer(customer["name"], customer.get("country", ""),
                          decimal(customer.get("tax_rate", 0)), customer.get("locale", ""),
                          customer.get("id", "")),
        subscriptions=tuple(
            Subscription(plan=s["plan"], quantity=decimal(s.get("quantity", 1)),
                         start=_opt_date(s.get("start")),
                         usage=FrozenMap({m: _usage(u) for m, u in (s.get("usage") or {}).items()}),
                         promotion=s.get("promotion", ""), end=_opt_date(s.get("end")))
            for s in data["subscriptions"]),
        name=data.get("name", ""), description=data.get("description", ""),
        weight=decimal(data.get("weight", 1)), origin=origin)


def _rule(data: Mapping[str, Any], origin: Origin) -> CustomRule:
    return CustomRule(
        id=data["id"], each=data["each"], assert_=data["assert"], message=data["message"],
        severity=data.get("severity", "error"), when=data.get("when", ""),
        description=data.get("description", ""), hint=data.get("hint", ""), origin=origin)


_BUILDERS: dict[str, Callable[[Mapping[str, Any], Origin], Entity]] = {
    "product": _product, "bundle": _bundle, "plan": _plan, "channel": _channel,
    "promotion": _promotion, "scenario": _scenario, "rule": _rule,
}


def entity(kind: str, document: Document) -> Entity:
    """Build the entity of a schema-valid ``document`` of ``kind``."""
    origin = Origin(document.path, document.line, document.column, document.data,
                    document.positions)
    return _BUILDERS[kind](document.data, origin)
