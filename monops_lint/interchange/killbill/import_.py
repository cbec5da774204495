"""Kill Bill catalog XML files (one catalog, or the versions of a versioned catalog) ->
catalog YAML in the conventional folders and a monops.yaml.

Products go to ``catalog/products/``, plans to ``pricing/<product>.yaml`` (one version per
effective date on which the plan changes), price lists to ``catalog/channels/`` (DEFAULT
is the channel ``default``, named in monops.yaml as ``export.killbill.default_channel``).
Kill Bill names that are not valid ids are made valid and kept as ``external_name`` so
that an export writes them back.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from monops_lint.errors import MonopsError
from monops_lint.interchange import LeftOut
from monops_lint.interchange.killbill.currencies import DIGITS
from monops_lint.interchange.killbill.import_charges import (
    MappedPlan,
    PlanContext,
    PlanRefused,
    map_plan,
)
from monops_lint.interchange.killbill.model import KbCatalog, KbPlan
from monops_lint.interchange.killbill.names import RESERVED, MonopsIds
from monops_lint.interchange.killbill.xml_read import read_catalog
from monops_lint.interchange.killbill.yaml_write import documents
from monops_lint.money import CurrencyError, declared_currencies, minor_units

_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(T(\d{2}:\d{2}:\d{2}(\.\d+)?)(Z|[+-]\d{2}:\d{2})?)?")
_MIDNIGHT = ("00:00:00", "00:00:00.0", "00:00:00.000")


@dataclass(frozen=True)
class KillBillImport:
    """The files to write (path relative to the new catalog root, YAML text) and what was
    left out."""

    files: tuple[tuple[str, str], ...]
    left_out: tuple[LeftOut, ...]


def _day(catalog: KbCatalog, file: str, left: list[LeftOut]) -> dt.date:
    match = _DATE_TIME.fullmatch(catalog.effective)
    try:
        day = dt.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        day = None
    if match is None or day is None:
        raise MonopsError(f"{file}: effectiveDate {catalog.effective[:40]!r} is not a date "
                          "and time")
    if match.group(3) not in (None, *_MIDNIGHT) or match.group(5) not in (None, "Z", "+00:00"):
        left.append(LeftOut(file, "effectiveDate", f"{catalog.effective}: monops versions "
                            f"take effect on a day (imported as {day.isoformat()})"))
    return day


class _Importer:
    def __init__(self, catalogs: Sequence[tuple[str, dt.date, KbCatalog]],
                 left: list[LeftOut]) -> None:
        self.catalogs = catalogs
        self.left = left
        self.products, self.plans, self.channels = MonopsIds(), MonopsIds(), MonopsIds()
        self.metrics = MonopsIds()
        self.used_units: set[str] = set()
        self.currencies: dict[str, int | None] = {}

    def leave(self, file: str, where: str, why: str) -> None:
        self.left.append(LeftOut(file, where, why))

    def digits_of(self, currency: str) -> int | None:
        if currency not in self.currencies:
            try:
                self.currencies[currency] = minor_units(currency)
            except CurrencyError:
                self.currencies[currency] = DIGITS.get(currency)
        return self.currencies[currency]

    def declared(self) -> dict[str, int]:
        """The currencies monops.yaml must declare: outside ISO 4217, or declared already in
        this process (declare_currencies refuses ISO codes, so those are not ISO either)."""
        found = {}
        already = declared_currencies()
        for currency, digits in self.currencies.items():
            if digits is None:
                continue
            try:
                minor_units(currency)
                outside = currency in already
            except CurrencyError:
                outside = True
            if outside:
                found[currency] = digits
        return found

    def run(self) -> list[tuple[str, str]]:
        first_file, _, first = self.catalogs[0]
        for file, _, catalog in self.catalogs:
            for section in catalog.rules:
                self.leave(file, f"rules/{section}", "plan-change, cancellation, alignment and "
                           "price-list rules have no monops equivalent (export writes "
                           "monops' own)")
            if catalog.billing_mode == "IN_ARREAR":
                self.leave(file, "recurringBillingMode", "recurring prices billed at the end of "
                           "the period: monops bills a period's recurring charges in it")
            for unit in catalog.units:
                if unit.pretty_name:
                    self.leave(file, f"units/unit[{unit.name}]/@prettyName",
                               "a unit's display name has no place in monops")
        currencies: list[str] = []
        for _, _, catalog in self.catalogs:
            currencies += [c for c in catalog.currencies if c not in currencies]
        usable = [c for c in currencies if self.digits_of(c) is not None]
        for currency in currencies:
            if currency not in usable:
                self.leave(first_file, f"currencies/currency[{currency}]",
                           f"{currency} has no minor unit monops can price in")
        files: list[tuple[str, str]] = []
        products = self.product_documents()
        plans, offered = self.plan_documents()
        cross_sell = self.add_ons()
        for product_id, document in products.items():
            files.append((f"catalog/products/{product_id}.yaml", documents([document])))
        by_product: dict[str, list[dict[str, Any]]] = {}
        for document in plans.values():
            by_product.setdefault(document["product"], []).append(document)
        for product_id, plan_documents in by_product.items():
            files.append((f"pricing/{product_id}.yaml", documents(plan_documents)))
        for channel_id, document in self.channel_documents(offered, usable, cross_sell):
            files.append((f"catalog/channels/{channel_id}.yaml", documents([document])))
        files.append(("monops.yaml", self.config(first, usable)))
        for file, _, catalog in self.catalogs:
            for unit in catalog.units:
                if unit.name not in self.used_units:
                    self.leave(file, f"units/unit[{unit.name}]", "counted by no usage monops "
                               "imported (export declares the units its usages count)")
        return sorted(files)

    def product_documents(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for file, _, catalog in self.catalogs:
            for product in catalog.products:
                product_id = self.products.of(product.name)
                if product.included:
                    self.leave(file, f"products/product[{product.name}]/included",
                               "add-ons included with a base product have no monops equivalent")
                if product_id in found:
                    if found[product_id]["category"] != product.category:
                        self.leave(file, f"products/product[{product.name}]/category",
                                   "a category that changes between versions: monops keeps "
                                   "the first")
                    continue
                document: dict[str, Any] = {"kind": "product", "id": product_id}
                if self.products.external(product.name):
                    document["external_name"] = product.name
                document["name"] = product.pretty_name or product.name
                document["category"] = product.category
                found[product_id] = document
        return found

    def plan_documents(self) -> tuple[dict[str, dict[str, Any]], set[str]]:
        """Plan id -> its document, and the Kill Bill names of the plans imported."""
        found: dict[str, dict[str, Any]] = {}
        refused: set[str] = set()
        for file, day, catalog in self.catalogs:
            for plan in catalog.plans:
                if plan.name in refused:
                    continue
                mapped = self.map(file, plan)
                if mapped is None:
                    refused.add(plan.name)
                    found.pop(self.plans.of(plan.name), None)
                    continue
                self.add_version(found, file, day, plan, mapped)
        return found, {name for _, _, c in self.catalogs for name in (p.name for p in c.plans)
                       if name not in refused}

    def map(self, file: str, plan: KbPlan) -> MappedPlan | None:
        context = PlanContext(file, plan, plan.name, self.metric_of, self.digits_of, self.left)
        try:
            mapped = map_plan(context)
        except PlanRefused as refusal:
            self.leave(file, refusal.where, f"{refusal.why} (the plan is left out)")
            return None
        if plan.billing_mode == "IN_ARREAR":
            self.leave(file, f"{plan.path}/recurringBillingMode", "recurring prices billed at "
                       "the end of the period: monops bills a period's recurring charges in it")
        return mapped

    def add_version(self, found: dict[str, dict[str, Any]], file: str, day: dt.date,
                    plan: KbPlan, mapped: MappedPlan) -> None:
        plan_id = self.plans.of(plan.name)
        document = found.get(plan_id)
        if document is None:
            document = {"kind": "plan", "id": plan_id}
            if self.plans.external(plan.name):
                document["external_name"] = plan.name
            document.update({"name": plan.pretty_name or plan.name,
                             "product": self.products.of(plan.product),
                             "billing_period": mapped.billing_period})
            if mapped.trial_days:
                document["trial_days"] = mapped.trial_days
            document["versions"] = []
            found[plan_id] = document
        elif (document["billing_period"], document.get("trial_days", 0)) != \
                (mapped.billing_period, mapped.trial_days):
            self.leave(file, plan.path, "billing period or trial changed between versions: "
                       "monops keeps one per plan (the first)")
        versions = document["versions"]
        if versions and {k: v for k, v in versions[-1].items() if k != "effective_from"} \
                == mapped.body:
            return  # unchanged in this catalog version
        if versions and plan.effective_for_existing is None:
            self.leave(file, plan.path, "existing subscriptions keep the old price in Kill Bill "
                       "(no effectiveDateForExistingSubscriptions); in monops a version prices "
                       "every subscription from its date")
        versions.append({"effective_from": day.isoformat(), **mapped.body})

    def metric_of(self, unit: str) -> str:
        self.used_units.add(unit)
        return self.metrics.of(unit)

    def add_ons(self) -> dict[str, list[str]]:
        """Base product id -> the product ids of its ``available`` add-ons."""
        found: dict[str, list[str]] = {}
        for _, _, catalog in self.catalogs:
            for product in catalog.products:
                targets = found.setdefault(self.products.of(product.name), [])
                targets += [self.products.of(a) for a in product.available
                            if self.products.of(a) not in targets]
        return found

    def channel_documents(self, offered: set[str], currencies: list[str],
                          add_ons: dict[str, list[str]]) -> list[tuple[str, dict[str, Any]]]:
        lists: dict[str, tuple[str, list[str]]] = {}  # name -> (pretty name, plan names)
        for _, _, catalog in self.catalogs:
            for price_list in catalog.price_lists:
                pretty, names = lists.setdefault(price_list.name,
                                                 (price_list.pretty_name, []))
                names += [n for n in price_list.plans if n not in names]
        product_of = {p.name: self.products.of(p.product) for _, _, c in self.catalogs
                      for p in c.plans}
        found = []
        for name, (pretty, plan_names) in lists.items():
            channel_id = self.channels.of(name)  # DEFAULT comes first: it is `default`
            document: dict[str, Any] = {"kind": "channel", "id": channel_id}
            if name != RESERVED and self.channels.external(name):
                document["external_name"] = name
            document["name"] = pretty or name
            document["currencies"] = currencies
            offerings = []
            kept = [n for n in plan_names if n in offered]
            for plan_name in kept:
                offering: dict[str, Any] = {"plan": self.plans.of(plan_name)}
                beside = [self.plans.of(n) for n in kept
                          if product_of.get(n) in add_ons.get(product_of[plan_name], ())]
                if beside:
                    offering["cross_sell"] = beside
                offerings.append(offering)
            document["offerings"] = offerings
            found.append((channel_id, document))
        return found

    def config(self, first: KbCatalog, currencies: list[str]) -> str:
        base = "USD" if "USD" in currencies else (currencies[0] if currencies else "USD")
        settings: dict[str, Any] = {"paths": ["catalog", "pricing"], "base_currency": base}
        declared = self.declared()
        if declared:
            settings["currencies"] = {c: {"digits": d} for c, d in sorted(declared.items())}
        killbill: dict[str, Any] = {"default_channel": "default", "catalog_name": first.name}
        units = {self.metrics.of(u.name): u.name for _, _, c in self.catalogs for u in c.units
                 if self.metrics.external(u.name)}
        if units:
            killbill["units"] = units
        settings["export"] = {"killbill": killbill}
        # Kill Bill catalogs hold no descriptions or tax codes: until they are written,
        # the launch checklist warns instead of failing every lint.
        settings["rules"] = {"npi-incomplete": "warning"}
        return documents([settings], comment=(
            f"Imported from the Kill Bill catalog {first.name!r} by `monops import killbill`.\n"
            "npi-incomplete is a warning: Kill Bill catalogs hold no descriptions or tax "
            "codes;\nwrite them into catalog/products/, then drop the `rules:` line."))


def import_killbill(files: Sequence[tuple[str, bytes]], max_bytes: int) -> KillBillImport:
    """Kill Bill catalog files (name as given, bytes) -> catalog files and what was left
    out. The files are the versions of one catalog, in any order."""
    if not files:
        raise MonopsError("no Kill Bill catalog file given")
    left: list[LeftOut] = []
    read = []
    for name, data in files:
        catalog, skipped = read_catalog(name, data, max_bytes)
        left += skipped
        read.append((name, _day(catalog, name, left), catalog))
    read.sort(key=lambda item: item[1])
    names = {catalog.name for _, _, catalog in read}
    if len(names) > 1:
        raise MonopsError(f"the files name {len(names)} catalogs ({', '.join(sorted(names))}): "
                          "the versions of one catalog share its catalogName")
    for (file_a, day_a, _), (file_b, day_b, _) in itertools.pairwise(read):
        if day_a == day_b:
            raise MonopsError(f"{file_a} and {file_b} take effect on the same day "
                              f"({day_a.isoformat()}): one version per effective date")
    written = _Importer(read, left).run()
    return KillBillImport(tuple(written), tuple(left))
