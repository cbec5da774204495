"""The catalog as relational tables, every number an exact integer at a fixed scale, for the
SQL engines (SPEC section 9: "the pricing engine compiled for a query engine").

A query engine has no exact division and bounded decimals; integers are
exact. So every amount is stored as an integer count of ``10^-price`` units,
every quantity (tier bounds, ``included``, package sizes) of ``10^-6``
units, every rate of ``10^-rate`` units; the SQL combines them into an exact
numerator and denominator per invoice line and rounds once, as the reference
engine does (``monops_lint.engines.sql``). Channel price overrides are
applied here, with the reference engine's own ``charges_in_channel``, so the
two can never disagree about them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.dates import MONTHS_PER_PERIOD
from monops_lint.errors import MonopsError
from monops_lint.model import Channel, Charge, Plan, PlanVersion
from monops_lint.money import decimals_of, minor_units
from monops_lint.pricing import charges_in_channel

QUANTITY_SCALE = 6
"""Decimals of every quantity the SQL engines read: usage, subscription quantity, tier bounds,
``included``, package sizes, transaction amounts (the customer base is checked for it)."""

SHARE_SCALE = 4
"""Decimals of a rollout wave's share (a percent of customers)."""

TAX_SCALE = 4
"""Decimals of a customer's tax rate (a percent) in the customer base."""

EVERGREEN = 0
"""The segment number of a version's own charges (phases are 1, 2, ...)."""

CATALOG_PRICE = ""
"""The channel key of a plan's catalog price (a channel without a price override)."""


class CompileError(MonopsError):
    """A catalog the SQL engines cannot price exactly (say which value, and the way out)."""


def scaled(value: Decimal, scale: int, what: str) -> int:
    """``value × 10^scale`` as an exact integer; ``CompileError`` if it is not one."""
    result = value.scaleb(scale)
    if result != result.to_integral_value():
        raise CompileError(f"{what}: {value} has more than {scale} decimals, which the SQL "
                           "engines cannot price exactly (use --engine python)")
    return int(result)


@dataclass
class Tables:
    """Rows of every catalog table, in the column order of ``COLUMNS``."""

    rows: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)

    def add(self, table: str, *row: object) -> None:
        """Append ``row`` to ``table``."""
        self.rows.setdefault(table, []).append(row)


COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "c_currencies": (("currency", "text"), ("digits", "int")),
    "c_channels": (("channel", "text"), ("tax_inclusive", "bool")),
    "c_channel_currencies": (("channel", "text"), ("currency", "text")),
    "c_plans": (("plan", "text"), ("billing_period", "text"), ("months", "int"),
                ("trial_days", "int"), ("free", "bool"), ("product", "text"),
                ("category", "text"), ("max_phases", "int")),
    "c_minimum": (("plan", "text"), ("currency", "text"), ("minimum", "big")),
    "c_override": (("plan", "text"), ("channel", "text")),
    "c_versions": (("plan", "text"), ("version_no", "int"), ("effective_from", "date"),
                   ("phases", "int"), ("rolled_out", "bool")),
    "c_waves": (("plan", "text"), ("version_no", "int"), ("wave_no", "int"),
                ("share", "big"), ("wave_from", "date")),
    "c_phases": (("plan", "text"), ("version_no", "int"), ("phase_no", "int"),
                 ("phase_id", "text"), ("months", "int"), ("days", "int")),
    "c_priced": (("plan", "text"), ("version_no", "int"), ("channel", "text"),
                 ("currency", "text")),
    "c_charges": (("plan", "text"), ("version_no", "int"), ("segment", "int"),
                  ("channel", "text"), ("charge_no", "int"), ("charge_id", "text"),
                  ("type", "text"), ("model", "text"), ("metric", "text"),
                  ("included", "big"), ("package_size", "big"), ("round_down", "bool"),
                  ("rate", "big")),
    "c_money": (("plan", "text"), ("version_no", "int"), ("segment", "int"),
                ("channel", "text"), ("charge_no", "int"), ("currency", "text"),
                ("amount", "big"), ("unit_amount", "big"), ("fixed", "big"),
                ("min_fee", "big"), ("max_fee", "big")),
    "c_tiers": (("plan", "text"), ("version_no", "int"), ("segment", "int"),
                ("channel", "text"), ("charge_no", "int"), ("currency", "text"),
                ("tier_no", "int"), ("above", "big"), ("up_to", "big"),
                ("unit_amount", "big"), ("flat_amount", "big"), ("last", "bool")),
    "c_promotions": (("promotion", "text"), ("campaign", "text"), ("percent_off", "big"),
                     ("duration", "int"), ("valid_from", "date"), ("valid_until", "date")),
    "c_promo_channels": (("promotion", "text"), ("channel", "text")),
    "c_promo_plans": (("promotion", "text"), ("plan", "text")),
    "c_promo_amounts": (("promotion", "text"), ("currency", "text"), ("amount_off", "big")),
    "c_costs": (("product", "text"), ("currency", "text"), ("cost", "big")),
}
"""Every catalog table the SQL reads, with its columns and their kinds: ``text``, ``int``
(small), ``big`` (an exact integer that may need 128 bits), ``bool``, ``date``."""


@dataclass(frozen=True)
class Scales:
    """Decimal places of the integers of a compiled catalog."""

    price: int
    rate: int
    percent: int
    quantity: int = QUANTITY_SCALE
    share: int = SHARE_SCALE
    tax: int = TAX_SCALE


@dataclass(frozen=True)
class CompiledCatalog:
    """A catalog (and its config) as exact integer tables for the SQL engines."""

    tables: Tables
    scales: Scales
    rounding: str
    base_currency: str
    max_phases: int

    def rows(self, table: str) -> list[tuple[object, ...]]:
        """The rows of ``table`` (empty when it has none)."""
        return self.tables.rows.get(table, [])


def _money_fields(charge: Charge) -> Iterable[Decimal]:
    for amounts in (charge.amount, charge.unit_amount, charge.fixed, charge.min, charge.max):
        yield from amounts.values()
    for tier in charge.tiers:
        yield from tier.unit_amount.values()
        yield from tier.flat_amount.values()


def _channel_charges(plan: Plan, version: PlanVersion,
                     channel: Channel | None) -> list[tuple[int, tuple[Charge, ...]]]:
    """(segment, charges) of ``version`` as sold through ``channel``'s offering (None: the
    catalog price): the version's own charges and each phase's."""
    offering = channel.offering(plan.id) if channel is not None else None
    found = [(EVERGREEN, charges_in_channel(version.charges, offering))]
    for number, phase in enumerate(version.phases, start=1):
        found.append((number, charges_in_channel(phase.charges, offering, phase=True)))
    return found


def _priced_in(charges: Iterable[Charge], currency: str) -> bool:
    return all(charge.priced_in(currency) for charge in charges)


def compile_catalog(catalog: Catalog, config: Config) -> CompiledCatalog:
    """``catalog`` under ``config`` as exact integer tables; ``CompileError`` for a value the
    SQL engines cannot hold exactly."""
    plans = list(catalog.plans.values())
    channels = list(catalog.channels.values())
    overridden = {(offering.plan, channel.id): channel for channel in channels
                  for offering in channel.offerings if offering.price_override is not None}
    sold = [charge for plan in plans for version in plan.versions
            for channel in [None, *(ch for (p, _), ch in overridden.items() if p == plan.id)]
            for _, charges in _channel_charges(plan, version, channel) for charge in charges]
    price_digits = [decimals_of(value) for charge in sold for value in _money_fields(charge)]
    price_digits += [decimals_of(v) for plan in plans for v in plan.minimum.values()]
    price_digits += [decimals_of(v) for p in catalog.promotions.values()
                     for v in p.amount_off.values()]
    price_digits += [decimals_of(v) for product in catalog.products.values()
                     for v in product.cost.values()]
    rate_digits = [decimals_of(charge.rate) for charge in sold]
    percent_digits = [decimals_of(p.percent_off) for p in catalog.promotions.values()
                      if p.percent_off is not None]
    scales = Scales(price=max(price_digits, default=2), rate=max(rate_digits, default=0),
                    percent=max(percent_digits, default=0))
    tables = Tables()
    _currencies(tables, catalog, config)
    for channel in channels:
        tables.add("c_channels", channel.id, channel.tax_inclusive)
        for currency in channel.currencies:
            tables.add("c_channel_currencies", channel.id, currency)
    max_phases = max((len(v.phases) for plan in plans for v in plan.versions), default=0)
    for plan in plans:
        _plan(tables, catalog, plan, scales, max_phases)
    for (plan_id, channel_id) in overridden:
        tables.add("c_override", plan_id, channel_id)
    for plan in plans:
        for number, version in enumerate(plan.versions, start=1):
            keys: list[tuple[str, Channel | None]] = [(CATALOG_PRICE, None)]
            keys += [(ch.id, ch) for (plan_id, _), ch in overridden.items() if plan_id == plan.id]
            for key, seller in keys:
                segments = _channel_charges(plan, version, seller)
                every = [c for _, charges in segments for c in charges]
                for currency in _all_currencies(tables):
                    if plan.free or _priced_in(every, currency):
                        tables.add("c_priced", plan.id, number, key, currency)
                for segment, charges in segments:
                    for charge_no, charge in enumerate(charges, start=1):
                        _charge(tables, scales, (plan.id, number, segment, key, charge_no),
                                charge, plan.id)
    _promotions(tables, catalog, scales)
    for product in catalog.products.values():
        for currency, cost in product.cost.items():
            tables.add("c_costs", product.id, currency,
                       scaled(cost, scales.price, f"product {product.id} cost"))
    return CompiledCatalog(tables, scales, config.rounding, config.base_currency, max_phases)


def _all_currencies(tables: Tables) -> list[str]:
    return [str(row[0]) for row in tables.rows.get("c_currencies", [])]


def _currencies(tables: Tables, catalog: Catalog, config: Config) -> None:
    """Every currency a channel sells or an amount is written in, with its digits."""
    codes = {c for channel in catalog.channels.values() for c in channel.currencies}
    codes |= {c for plan in catalog.plans.values() for v in plan.versions
              for charge in v.all_charges() for c in charge.currencies()}
    codes |= {config.base_currency, *config.fx_rates}
    for code in sorted(codes):
        try:
            tables.add("c_currencies", code, minor_units(code))
        except ValueError:
            continue  # not a currency (money-precision reports it); no invoice can be in it


def _plan(tables: Tables, catalog: Catalog, plan: Plan, scales: Scales,
          max_phases: int) -> None:
    product = catalog.products.get(plan.product)
    category = product.category if product is not None else ""
    tables.add("c_plans", plan.id, plan.billing_period,
               MONTHS_PER_PERIOD.get(plan.billing_period, 0), plan.trial_days, plan.free,
               plan.product, category, max_phases)
    for currency, minimum in plan.minimum.items():
        tables.add("c_minimum", plan.id, currency,
                   scaled(minimum, scales.price, f"plan {plan.id} minimum"))
    for number, version in enumerate(plan.versions, start=1):
        tables.add("c_versions", plan.id, number, version.effective_from,
                   len(version.phases), bool(version.rollout))
        for wave_no, wave in enumerate(version.rollout, start=1):
            tables.add("c_waves", plan.id, number, wave_no,
                       scaled(wave.share, scales.share, f"plan {plan.id} rollout share"),
                       wave.start)
        for phase_no, phase in enumerate(version.phases, start=1):
            tables.add("c_phases", plan.id, number, phase_no, phase.id, phase.months,
                       phase.days)


def _quantity(value: Decimal, what: str) -> int:
    return scaled(value, QUANTITY_SCALE, what)


def _charge(tables: Tables, scales: Scales, key: tuple[str, int, int, str, int],
            charge: Charge, plan_id: str) -> None:
    where = f"plan {plan_id}, charge {charge.id}"
    tables.add("c_charges", *key, charge.id, charge.type, charge.model,
               charge.usage_metric or "", _quantity(charge.included, f"{where} included"),
               _quantity(charge.package_size, f"{where} package_size"),
               charge.round == "down", scaled(charge.rate, scales.rate, f"{where} rate"))
    for currency in sorted(charge.currencies() | {c for c in charge.amount}):
        def at(amounts: object, name: str, currency: str = currency) -> int | None:
            value = amounts.get(currency) if isinstance(amounts, dict) else None
            return None if value is None else scaled(value, scales.price, f"{where} {name}")

        tables.add("c_money", *key, currency, at(charge.amount, "amount"),
                   at(charge.unit_amount, "unit_amount"), at(charge.fixed, "fixed"),
                   at(charge.min, "min"), at(charge.max, "max"))
        above = Decimal(0)
        for tier_no, tier in enumerate(charge.tiers, start=1):
            last = tier_no == len(charge.tiers)
            tables.add("c_tiers", *key, currency, tier_no,
                       _quantity(above, f"{where} tier {tier_no}"),
                       None if tier.up_to is None else
                       _quantity(tier.up_to, f"{where} tier {tier_no} up_to"),
                       at(tier.unit_amount, f"tier {tier_no} unit_amount") or 0,
                       at(tier.flat_amount, f"tier {tier_no} flat_amount") or 0, last)
            above = tier.up_to if tier.up_to is not None else above


def _promotions(tables: Tables, catalog: Catalog, scales: Scales) -> None:
    for promotion in catalog.promotions.values():
        percent = None if promotion.percent_off is None else scaled(
            promotion.percent_off, scales.percent, f"promotion {promotion.id} percent_off")
        tables.add("c_promotions", promotion.id, promotion.campaign, percent,
                   promotion.duration_periods, promotion.valid_from,
                   promotion.valid_until or dt.date(9999, 12, 31))
        for channel in promotion.channels:
            tables.add("c_promo_channels", promotion.id, channel)
        for plan in promotion.plans:
            tables.add("c_promo_plans", promotion.id, plan)
        for currency, amount in promotion.amount_off.items():
            tables.add("c_promo_amounts", promotion.id, currency,
                       scaled(amount, scales.price, f"promotion {promotion.id} amount_off"))
