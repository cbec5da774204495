"""The catalog -> Kill Bill catalog XML: one file per catalog version, a new version on each
day a plan version takes effect.

Products (and bundles, which Kill Bill sells as products) become products; plans become
plans with their phases (``export_phases``); channels become price lists, the one
``export.killbill.default_channel`` names being ``DEFAULT``; an offering whose
``price_override`` gives its charges in full becomes a plan of its own in that price list.
Everything Kill Bill cannot express is a ``LeftOut``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from monops_lint.catalog import Catalog
from monops_lint.config import KillBillSettings
from monops_lint.errors import MonopsError
from monops_lint.interchange import LeftOut
from monops_lint.interchange.killbill.currencies import KILLBILL_CURRENCIES
from monops_lint.interchange.killbill.export_phases import PhaseContext, plan_phases
from monops_lint.interchange.killbill.idrefs import check_text
from monops_lint.interchange.killbill.model import (
    KbCatalog,
    KbPhase,
    KbPlan,
    KbPriceList,
    KbProduct,
    KbUnit,
)
from monops_lint.interchange.killbill.names import RESERVED, KbNames
from monops_lint.interchange.killbill.xml_write import catalog_xml
from monops_lint.model import Channel, Charge, Plan
from monops_lint.suggest import closest

CATEGORIES = ("BASE", "ADD_ON", "STANDALONE")


@dataclass(frozen=True)
class KillBillExport:
    """The XML text of every catalog version, by file name in date order, and what was
    left out."""

    files: tuple[tuple[str, str], ...]
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True)
class _PlanVersions:
    """A Kill Bill plan and its phases from each date on (monops' versions, mapped)."""

    name: str
    product: str
    pretty_name: str
    versions: tuple[tuple[dt.date, tuple[tuple[KbPhase, ...], KbPhase]], ...]


def _category(text: str) -> str:
    """A product's Kill Bill category: its own ``category`` when that is one (``add-on``
    reads as ADD_ON), else BASE."""
    word = text.strip().upper().replace("-", "_")
    return word if word in CATEGORIES else "BASE"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+00:00"


class _Exporter:
    def __init__(self, catalog: Catalog, settings: KillBillSettings) -> None:
        self.catalog = catalog
        self.settings = settings
        self.names = KbNames()
        self.left_out: list[LeftOut] = []
        self.currencies = frozenset(KILLBILL_CURRENCIES)

    def leave(self, entity: str, where: str, why: str) -> None:
        self.left_out.append(LeftOut(entity, where, why))

    # --- products ---------------------------------------------------------------
    def products(self) -> dict[tuple[str, str], KbProduct]:
        found: dict[tuple[str, str], KbProduct] = {}
        for product in sorted(self.catalog.products.values(), key=lambda p: p.id):
            name = self.names.claim(("product", product.id), product.external_name or product.id,
                                    "product", f"product {product.id}")
            found["product", product.id] = KbProduct(
                name, _category(product.category),
                pretty_name=product.name if product.name != name else "")
        for bundle in sorted(self.catalog.bundles.values(), key=lambda b: b.id):
            name = self.names.claim(("bundle", bundle.id), bundle.id, "bundle",
                                    f"bundle {bundle.id}")
            self.leave(f"bundle {bundle.id}", "components", "Kill Bill products have no "
                       "components: the bundle is exported as a BASE product of its own")
            found["bundle", bundle.id] = KbProduct(
                name, "BASE", pretty_name=bundle.name if bundle.name != name else "")
        return found

    # --- plans ------------------------------------------------------------------
    def plan(self, plan: Plan, name: str, products: dict[tuple[str, str], KbProduct],
             charges_of: Sequence[Sequence[Charge]] | None = None) -> _PlanVersions | None:
        entity = f"plan {plan.id}"
        owner = ("product", plan.product) if plan.product else ("bundle", plan.bundle)
        if owner not in products:
            self.leave(entity, owner[0], f"names no {owner[0]} of the catalog")
            return None
        for field_name, value in (("minimum", plan.minimum), ("limits", plan.limits)):
            if value:
                self.leave(entity, field_name, "Kill Bill's catalog has no " + (
                    "minimum per period" if field_name == "minimum" else "usage cap per plan"))
        context = PhaseContext(
            plan, name, self.currencies, self.unit_of,
            lambda phase, charge: self.names.claim(
                (name, phase, charge.id),
                charge.external_name or "-".join(p for p in (name, phase, charge.id) if p),
                "usage", entity),
            self.left_out)
        versions = []
        ordered = sorted(enumerate(plan.versions), key=lambda item: item[1].effective_from)
        for index, version in ordered:
            charges = version.charges if charges_of is None else charges_of[index]
            phases = plan_phases(context, version, index, charges)
            if phases is not None:
                versions.append((version.effective_from, phases))
        if not versions:
            self.leave(entity, "versions", "no charge of the plan can be priced by Kill Bill: "
                       "the plan is left out")
            return None
        product = products[owner]
        return _PlanVersions(name, product.name, plan.name if plan.name != name else "",
                             tuple(versions))

    def unit_of(self, metric: str) -> str:
        return self.names.claim(("unit", metric), self.settings.units.get(metric, metric),
                                "unit", f"usage metric {metric}")

    def plans(self, products: dict[tuple[str, str], KbProduct]) -> dict[str, _PlanVersions]:
        found: dict[str, _PlanVersions] = {}
        plans = sorted(self.catalog.plans.values(), key=lambda p: p.id)
        names = {plan.id: self.names.claim(("plan", plan.id), plan.external_name or plan.id,
                                           "plan", f"plan {plan.id}") for plan in plans}
        for plan in plans:
            mapped = self.plan(plan, names[plan.id], products)
            if mapped is not None:
                found[plan.id] = mapped
        return found

    def overrides(self, products: dict[tuple[str, str], KbProduct],
                  channels: Sequence[Channel]) -> dict[tuple[str, str], _PlanVersions | None]:
        """(channel, plan) -> the plan an override with charges in full makes (None: the
        offering is not on sale in Kill Bill's price list)."""
        found: dict[tuple[str, str], _PlanVersions | None] = {}
        for channel in channels:
            for index, offering in enumerate(channel.offerings):
                override = offering.price_override
                plan = self.catalog.plans.get(offering.plan)
                if override is None or plan is None:
                    continue
                where = f"offerings[{index}].price_override"
                if override.charges is None:
                    self.leave(f"channel {channel.id}", f"{where}.percent",
                               "Kill Bill has no per-price-list percentage: the plan is "
                               "left out of this price list")
                    found[channel.id, plan.id] = None
                    continue
                name = self.names.claim(("override", channel.id, plan.id),
                                        f"{plan.external_name or plan.id}-{channel.id}", "plan",
                                        f"channel {channel.id} {where}")
                charges = [override.charges] * len(plan.versions)
                found[channel.id, plan.id] = self.plan(plan, name, products, charges)
        return found

    # --- the whole catalog ------------------------------------------------------
    def run(self) -> KillBillExport:
        for promotion in sorted(self.catalog.promotions.values(), key=lambda p: p.id):
            self.leave(f"promotion {promotion.id}", "percent_off" if promotion.percent_off
                       is not None else "amount_off", "Kill Bill's catalog has no promotions")
        channels = sorted(self.catalog.channels.values(), key=lambda c: c.id)
        default = self.settings.default_channel
        if default is not None and default not in self.catalog.channels:
            raise MonopsError(f"export.killbill.default_channel: no channel `{default}`"
                              f"{closest(default, list(self.catalog.channels))}")
        products = self.products()
        plans = self.plans(products)
        overrides = self.overrides(products, channels)
        lists = {c.id: RESERVED if c.id == default else self.names.claim(
            ("pricelist", c.id), c.external_name or c.id, "pricelist", f"channel {c.id}")
            for c in channels}
        everything = [*plans.values(), *(p for p in overrides.values() if p is not None)]
        days = sorted({day for plan in everything for day, _ in plan.versions})
        currencies = sorted({c for channel in channels for c in channel.currencies
                             if c in self.currencies}
                            | {c for plan in everything for _, (initial, final) in plan.versions
                               for phase in (*initial, final) for c in _currencies(phase)})
        for channel in channels:
            self.channel_notes(channel, currencies)
        available = self.available(products, plans, channels)
        files = []
        for number, day in enumerate(days):
            kb = KbCatalog(
                name=self.settings.catalog_name, effective=_timestamp(day),
                currencies=tuple(currencies),
                products=tuple(sorted((replace_available(p, available.get(key, ()))
                                       for key, p in products.items()), key=lambda p: p.name)),
                plans=tuple(sorted(_plans_on(everything, day), key=lambda p: p.name)),
                default_price_list=KbPriceList(RESERVED, ()) if default is None else
                self.price_list(self.catalog.channels[default], RESERVED, day, plans, overrides),
                child_price_lists=tuple(sorted(
                    (self.price_list(c, lists[c.id], day, plans, overrides)
                     for c in channels if c.id != default), key=lambda pl: pl.name)),
                units=tuple(KbUnit(name) for name in sorted(self.units_in(everything))))
            if number > 0:
                self.shape_changes(everything, days[number - 1], day)
            text = catalog_xml(kb)
            name = f"{_file_stem(self.settings.catalog_name)}-{day.isoformat()}.xml"
            problems = check_text(name, text)
            if problems:  # a mapping bug, never the user's catalog: say it loudly
                raise MonopsError(f"internal error: {name}: {problems[0]} (please report)")
            files.append((name, text))
        left = []
        for item in [*self.names.left_out, *self.left_out]:
            if item not in left:
                left.append(item)
        return KillBillExport(tuple(files), tuple(left))

    def channel_notes(self, channel: Channel, currencies: Sequence[str]) -> None:
        entity = f"channel {channel.id}"
        if channel.tax_inclusive:
            self.leave(entity, "tax_inclusive", "Kill Bill prices carry no tax mode (its tax "
                       "plugin decides)")
        if set(channel.currencies) != set(currencies):
            self.leave(entity, "currencies", "Kill Bill price lists have no currencies: every "
                       "catalog currency can be billed in every price list")

    def available(self, products: dict[tuple[str, str], KbProduct],
                  plans: dict[str, _PlanVersions],
                  channels: Sequence[Channel]) -> dict[tuple[str, str], tuple[str, ...]]:
        """Product -> the ADD_ON products cross-sold beside its plans (Kill Bill's
        ``available`` add-ons)."""
        found: dict[tuple[str, str], set[str]] = {}
        for channel in channels:
            for offering in channel.offerings:
                base = self.catalog.plans.get(offering.plan)
                if base is None or offering.plan not in plans:
                    continue
                owner = ("product", base.product) if base.product else ("bundle", base.bundle)
                for target_id in offering.cross_sell:
                    target = self.catalog.plans.get(target_id)
                    if target is None or not target.product or target_id not in plans:
                        continue
                    add_on = products.get(("product", target.product))
                    if add_on is not None and add_on.category == "ADD_ON" \
                            and owner in products and products[owner].category != "ADD_ON":
                        found.setdefault(owner, set()).add(add_on.name)
        return {key: tuple(sorted(names)) for key, names in found.items()}

    def price_list(self, channel: Channel, name: str, day: dt.date,
                   plans: dict[str, _PlanVersions],
                   overrides: dict[tuple[str, str], _PlanVersions | None]) -> KbPriceList:
        names = []
        for offering in channel.offerings:
            key = (channel.id, offering.plan)
            plan = overrides[key] if key in overrides else plans.get(offering.plan)
            if plan is not None and plan.versions[0][0] <= day:
                names.append(plan.name)
        return KbPriceList(name, tuple(sorted(set(names))),
                           channel.name if channel.name != name else "")

    def units_in(self, plans: Sequence[_PlanVersions]) -> set[str]:
        return {block.unit for plan in plans for _, (initial, final) in plan.versions
                for phase in (*initial, final) for usage in phase.usages
                for tier in usage.tiers for block in tier.blocks}

    def shape_changes(self, plans: Sequence[_PlanVersions], before: dt.date,
                      day: dt.date) -> None:
        for plan in plans:
            old, new = _phases_on(plan, before), _phases_on(plan, day)
            if old is None or new is None or [p.type for p in old] == [p.type for p in new]:
                continue
            self.leave(f"plan {plan.name}", f"phases on {day.isoformat()}",
                       "Kill Bill refuses a plan whose phases change between catalog versions "
                       f"({'/'.join(p.type for p in old)} -> {'/'.join(p.type for p in new)}):"
                       " give the new offer a plan of its own")


def _currencies(phase: KbPhase) -> set[str]:
    found = {c for c, _ in phase.fixed or ()}
    found |= {c for c, _ in phase.recurring.prices} if phase.recurring else set()
    return found | {c for usage in phase.usages for tier in usage.tiers
                    for block in tier.blocks for c, _ in block.prices}


def _phases_on(plan: _PlanVersions, day: dt.date) -> tuple[KbPhase, ...] | None:
    current = None
    for start, (initial, final) in plan.versions:
        if start <= day:
            current = (*initial, final)
    return current


def _plans_on(plans: Sequence[_PlanVersions], day: dt.date) -> list[KbPlan]:
    found = []
    for plan in plans:
        current = None
        for number, (start, phases) in enumerate(plan.versions):
            if start <= day:
                # A later version moves existing subscriptions too (monops prices every
                # subscription by the version in effect): Kill Bill's deferred price change.
                current = (phases, _timestamp(start) if number and start == day else None)
        if current is not None:
            (initial, final), existing = current
            found.append(KbPlan(plan.name, plan.product, initial, final, plan.pretty_name,
                                existing))
    return found


def replace_available(product: KbProduct, available: tuple[str, ...]) -> KbProduct:
    """``product`` with ``available`` add-ons."""
    return KbProduct(product.name, product.category, available, product.included,
                     product.pretty_name)


def _file_stem(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return stem or "catalog"


def export_killbill(catalog: Catalog, settings: KillBillSettings) -> KillBillExport:
    """Every catalog version of ``catalog`` as Kill Bill XML, and what was left out."""
    return _Exporter(catalog, settings).run()
