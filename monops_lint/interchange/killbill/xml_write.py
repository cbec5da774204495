"""``KbCatalog`` -> Kill Bill catalog XML text, the same bytes for the same catalog.

Elements come in the order of Kill Bill's schema, attributes in a fixed order, amounts as
their ``Decimal`` text (never through ``float``), and nothing in the file depends on the
clock: the only date is the version's own ``effectiveDate``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # writing only: nothing is parsed here
from decimal import Decimal

from monops_lint.interchange.killbill.model import (
    KbCatalog,
    KbPhase,
    KbPlan,
    KbPriceList,
    KbProduct,
    KbUsage,
    Prices,
)

HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          "<!-- Written by `monops export killbill` from the monops catalog: change the "
          "catalog, not this file. -->\n")

DEFAULT_RULES: tuple[tuple[str, str, str, str], ...] = (
    # (section, case, the case's element, its value): monops' own semantics. A plan
    # change takes effect at once, phases and billing follow each subscription's own
    # start (monops counts trials and billing periods from it), a cancellation bills
    # the days used, and a price list change falls back on DEFAULT.
    ("changePolicy", "changePolicyCase", "policy", "IMMEDIATE"),
    ("changeAlignment", "changeAlignmentCase", "alignment", "START_OF_SUBSCRIPTION"),
    ("cancelPolicy", "cancelPolicyCase", "policy", "IMMEDIATE"),
    ("createAlignment", "createAlignmentCase", "alignment", "START_OF_SUBSCRIPTION"),
    ("billingAlignment", "billingAlignmentCase", "alignment", "SUBSCRIPTION"),
    ("priceList", "priceListCase", "toPriceList", "DEFAULT"),
)

# Characters XML 1.0 cannot hold at all: written as U+FFFD rather than as a broken file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def decimal_text(value: Decimal) -> str:
    """An amount or size as written in XML: plain digits, no exponent (``1E+2`` -> ``100``)."""
    return f"{value:f}"


def _sub(parent: ET.Element, tag: str, text: str | None = None,
         **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items() if v})
    if text is not None:
        element.text = _text(text)
    return element


def _prices(parent: ET.Element, tag: str, prices: Prices) -> None:
    holder = _sub(parent, tag)
    for currency, value in prices:
        price = _sub(holder, "price")
        _sub(price, "currency", currency)
        _sub(price, "value", decimal_text(value))


def _usage(parent: ET.Element, usage: KbUsage) -> None:
    element = _sub(parent, "usage", name=usage.name, prettyName=usage.pretty_name,
                   billingMode=usage.billing_mode, usageType=usage.usage_type,
                   tierBlockPolicy=usage.tier_block_policy)
    _sub(element, "billingPeriod", usage.billing_period)
    tiers = _sub(element, "tiers")
    for tier in usage.tiers:
        blocks = _sub(_sub(tiers, "tier"), "blocks")
        for block in tier.blocks:
            tiered = _sub(blocks, "tieredBlock")
            _sub(tiered, "unit", block.unit)
            _sub(tiered, "size", decimal_text(block.size))
            _prices(tiered, "prices", block.prices)
            _sub(tiered, "max", "-1" if block.max is None else decimal_text(block.max))


def _phase(parent: ET.Element, tag: str, phase: KbPhase) -> None:
    element = _sub(parent, tag, type=phase.type, prettyName=phase.pretty_name)
    duration = _sub(element, "duration")
    _sub(duration, "unit", phase.duration.unit)
    if phase.duration.number is not None:
        _sub(duration, "number", str(phase.duration.number))
    if phase.fixed is not None:
        _prices(_sub(element, "fixed"), "fixedPrice", phase.fixed)
    if phase.recurring is not None:
        recurring = _sub(element, "recurring")
        _sub(recurring, "billingPeriod", phase.recurring.billing_period)
        _prices(recurring, "recurringPrice", phase.recurring.prices)
    if phase.usages:
        usages = _sub(element, "usages")
        for usage in phase.usages:
            _usage(usages, usage)


def _plan(parent: ET.Element, plan: KbPlan) -> None:
    element = _sub(parent, "plan", name=plan.name, prettyName=plan.pretty_name)
    if plan.effective_for_existing is not None:
        _sub(element, "effectiveDateForExistingSubscriptions", plan.effective_for_existing)
    _sub(element, "product", plan.product)
    if plan.billing_mode is not None:
        _sub(element, "recurringBillingMode", plan.billing_mode)
    if plan.initial_phases:
        initial = _sub(element, "initialPhases")
        for phase in plan.initial_phases:
            _phase(initial, "phase", phase)
    _phase(element, "finalPhase", plan.final_phase)


def _product(parent: ET.Element, product: KbProduct) -> None:
    element = _sub(parent, "product", name=product.name, prettyName=product.pretty_name)
    _sub(element, "category", product.category)
    for tag, names in (("included", product.included), ("available", product.available)):
        if names:
            holder = _sub(element, tag)
            for name in names:
                _sub(holder, "addonProduct", name)


def _price_list(parent: ET.Element, tag: str, price_list: KbPriceList) -> None:
    element = _sub(parent, tag, name=price_list.name, prettyName=price_list.pretty_name)
    plans = _sub(element, "plans")
    for name in price_list.plans:
        _sub(plans, "plan", name)


def catalog_xml(catalog: KbCatalog) -> str:
    """The XML text of one catalog version (``rules`` are always ``DEFAULT_RULES``)."""
    root = ET.Element("catalog")
    _sub(root, "effectiveDate", catalog.effective)
    _sub(root, "catalogName", catalog.name)
    if catalog.billing_mode is not None:
        _sub(root, "recurringBillingMode", catalog.billing_mode)
    currencies = _sub(root, "currencies")
    for currency in catalog.currencies:
        _sub(currencies, "currency", currency)
    if catalog.units:
        units = _sub(root, "units")
        for unit in catalog.units:
            _sub(units, "unit", name=unit.name, prettyName=unit.pretty_name)
    products = _sub(root, "products")
    for product in catalog.products:
        _product(products, product)
    rules = _sub(root, "rules")
    for section, case, tag, value in DEFAULT_RULES:
        _sub(_sub(_sub(rules, section), case), tag, value)
    plans = _sub(root, "plans")
    for plan in catalog.plans:
        _plan(plans, plan)
    price_lists = _sub(root, "priceLists")
    _price_list(price_lists, "defaultPriceList", catalog.default_price_list)
    for child in catalog.child_price_lists:
        _price_list(price_lists, "childPriceList", child)
    ET.indent(root, space="    ")
    return HEADER + ET.tostring(root, encoding="unicode") + "\n"
