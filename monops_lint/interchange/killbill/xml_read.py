"""Kill Bill catalog XML -> ``KbCatalog``: untrusted input, read with ``defusedxml``.

No DTD, no entity (so no billion laughs and no external file or URL is ever opened),
nothing over the size limit is parsed. A file that is not a Kill Bill catalog is one
``MonopsError`` line naming the file and the element; what is a valid catalog but
outside what monops maps is a ``LeftOut`` (or a ``problem`` of the usage it is in).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from monops_lint.errors import MonopsError
from monops_lint.interchange import LeftOut
from monops_lint.interchange.killbill.model import (
    KbBlock,
    KbCatalog,
    KbDuration,
    KbPhase,
    KbPlan,
    KbPriceList,
    KbProduct,
    KbRecurring,
    KbTier,
    KbUnit,
    KbUsage,
    Prices,
)

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_DOUBLE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?")
_INT = re.compile(r"[+-]?\d{1,9}")
_LONGEST_NUMBER = 60  # characters: far past any price, short enough to stay cheap


def parse_xml(name: str, data: bytes, max_bytes: int) -> ET.Element:
    """The root element of ``data``, parsed without DTD, entities or external references;
    one ``MonopsError`` line for anything else."""
    if len(data) > max_bytes:
        raise MonopsError(f"{name}: {len(data):,} bytes, over the {max_bytes:,}-byte limit "
                          "(--max-file-bytes)")
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                            forbid_external=True)
    except DefusedXmlException as exc:
        raise MonopsError(f"{name}: refused: {type(exc).__name__} (a DTD, entity or "
                          "external reference has no place in a catalog)") from exc
    except ET.ParseError as exc:
        raise MonopsError(f"{name}: not well-formed XML: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise MonopsError(f"{name}: not readable as XML: {exc}") from exc
    return root


class _Reader:
    """Reads one file's elements, naming the file and element in every problem."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.left_out: list[LeftOut] = []

    def fail(self, path: str, message: str) -> MonopsError:
        return MonopsError(f"{self.name}: {path}: {message}")

    def leave(self, path: str, why: str) -> None:
        self.left_out.append(LeftOut(self.name, path, why))

    def child(self, element: ET.Element, tag: str, path: str) -> ET.Element:
        found = element.find(tag)
        if found is None:
            raise self.fail(path, f"<{tag}> is missing")
        return found

    def text(self, element: ET.Element, tag: str, path: str) -> str:
        value = (self.child(element, tag, path).text or "").strip()
        if not value:
            raise self.fail(f"{path}/{tag}", "empty")
        return value

    def optional_text(self, element: ET.Element, tag: str) -> str | None:
        found = element.find(tag)
        return None if found is None else (found.text or "").strip() or None

    def attribute(self, element: ET.Element, name: str, path: str) -> str:
        value = (element.get(name) or "").strip()
        if not value:
            raise self.fail(path, f"the {name} attribute is missing")
        return value

    def number(self, text: str, path: str, pattern: re.Pattern[str] = _DECIMAL) -> Decimal:
        if len(text) > _LONGEST_NUMBER or not pattern.fullmatch(text):
            raise self.fail(path, f"{text[:40]!r} is not a number")
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise self.fail(path, f"{text[:40]!r} is not a number") from exc

    def prices(self, element: ET.Element | None, path: str) -> Prices:
        if element is None:
            return ()
        found = []
        for index, price in enumerate(element.findall("price"), start=1):
            where = f"{path}/price[{index}]"
            currency = self.text(price, "currency", where)
            value_text = self.optional_text(price, "value")
            if value_text is None:
                raise self.fail(where, "a price without a value")
            value = self.number(value_text, f"{where}/value")
            if value < 0:
                raise self.fail(f"{where}/value", f"a negative price ({value_text})")
            found.append((currency, value))
        return tuple(found)


def _usage(reader: _Reader, element: ET.Element, path: str) -> KbUsage:
    name = reader.attribute(element, "name", path)
    path = f"{path}[{name}]"
    problems = [f"<{tag}>" for tag in ("limits", "blocks", "fixedPrice", "recurringPrice")
                if element.find(tag) is not None]
    tiers = []
    for number, tier in enumerate(element.findall("tiers/tier"), start=1):
        where = f"{path}/tiers/tier[{number}]"
        problems += [f"<{tag}> in tier {number}" for tag in
                     ("limits", "fixedPrice", "recurringPrice") if tier.find(tag) is not None]
        blocks = []
        for index, block in enumerate(tier.findall("blocks/tieredBlock"), start=1):
            at = f"{where}/blocks/tieredBlock[{index}]"
            if block.get("type", "VANILLA") != "VANILLA" or block.find("minTopUpCredit") \
                    is not None:
                problems.append(f"a {block.get('type', 'top-up')} block in tier {number}")
            size = reader.number(reader.text(block, "size", at), f"{at}/size", _DOUBLE)
            if size <= 0:
                raise reader.fail(f"{at}/size", "a block size must be above 0")
            most = reader.number(reader.text(block, "max", at), f"{at}/max", _DOUBLE)
            if most < 0 and most != -1:
                raise reader.fail(f"{at}/max", "max is a number of blocks, or -1 (no limit)")
            blocks.append(KbBlock(reader.text(block, "unit", at), size,
                                  reader.prices(block.find("prices"), f"{at}/prices"),
                                  None if most == -1 else most))
        tiers.append(KbTier(tuple(blocks)))
    return KbUsage(name, reader.attribute(element, "billingMode", path),
                   reader.attribute(element, "usageType", path),
                   reader.text(element, "billingPeriod", path), tuple(tiers),
                   element.get("tierBlockPolicy", "ALL_TIERS"),
                   element.get("prettyName", ""), tuple(problems), path)


def _phase(reader: _Reader, element: ET.Element, path: str) -> KbPhase:
    kind = reader.attribute(element, "type", path)
    duration = reader.child(element, "duration", path)
    number = reader.optional_text(duration, "number")
    if number is not None and not _INT.fullmatch(number):
        raise reader.fail(f"{path}/duration/number", f"{number[:40]!r} is not a whole number")
    fixed = element.find("fixed")
    recurring = element.find("recurring")
    return KbPhase(
        kind, KbDuration(reader.text(duration, "unit", f"{path}/duration"),
                         None if number is None else int(number)),
        None if fixed is None else reader.prices(fixed.find("fixedPrice"),
                                                  f"{path}/fixed/fixedPrice"),
        None if recurring is None else KbRecurring(
            reader.text(recurring, "billingPeriod", f"{path}/recurring"),
            reader.prices(recurring.find("recurringPrice"), f"{path}/recurring/recurringPrice")),
        tuple(_usage(reader, usage, f"{path}/usages/usage")
              for usage in element.findall("usages/usage")),
        element.get("prettyName", ""), path)


def _plan(reader: _Reader, element: ET.Element) -> KbPlan:
    name = reader.attribute(element, "name", "plans/plan")
    path = f"plans/plan[{name}]"
    if element.find("plansAllowedInBundle") is not None:
        reader.leave(f"{path}/plansAllowedInBundle",
                     "monops does not limit how many subscriptions of a plan a customer has")
    initial = tuple(_phase(reader, phase, f"{path}/initialPhases/phase[{index}]")
                    for index, phase in enumerate(element.findall("initialPhases/phase"), 1))
    return KbPlan(name, reader.text(element, "product", path), initial,
                  _phase(reader, reader.child(element, "finalPhase", path),
                         f"{path}/finalPhase"),
                  element.get("prettyName", ""),
                  reader.optional_text(element, "effectiveDateForExistingSubscriptions"),
                  reader.optional_text(element, "recurringBillingMode"), path)


def _product(reader: _Reader, element: ET.Element) -> KbProduct:
    name = reader.attribute(element, "name", "products/product")
    path = f"products/product[{name}]"
    if element.find("limits") is not None:
        reader.leave(f"{path}/limits", "product limits have no monops equivalent")

    def names(tag: str) -> tuple[str, ...]:
        return tuple((e.text or "").strip() for e in element.findall(f"{tag}/addonProduct"))

    return KbProduct(name, reader.text(element, "category", path), names("available"),
                     names("included"), element.get("prettyName", ""))


def _price_list(reader: _Reader, element: ET.Element, path: str) -> KbPriceList:
    name = reader.attribute(element, "name", path)
    return KbPriceList(name, tuple((e.text or "").strip() for e in element.findall("plans/plan")),
                       element.get("prettyName", ""))


def read_catalog(name: str, data: bytes, max_bytes: int) -> tuple[KbCatalog, list[LeftOut]]:
    """One Kill Bill catalog file (``name`` as the user gave it) and what monops leaves out
    of it at the reading stage."""
    root = parse_xml(name, data, max_bytes)
    reader = _Reader(name)
    if root.tag != "catalog":
        raise reader.fail(f"<{root.tag[:40]}>", "not a Kill Bill catalog (its root is "
                                                "not <catalog>)")
    price_lists = reader.child(root, "priceLists", "catalog")
    catalog = KbCatalog(
        name=reader.text(root, "catalogName", "catalog"),
        effective=reader.text(root, "effectiveDate", "catalog"),
        currencies=tuple((e.text or "").strip() for e in root.findall("currencies/currency")),
        products=tuple(_product(reader, e) for e in root.findall("products/product")),
        plans=tuple(_plan(reader, e) for e in root.findall("plans/plan")),
        default_price_list=_price_list(
            reader, reader.child(price_lists, "defaultPriceList", "catalog/priceLists"),
            "priceLists/defaultPriceList"),
        child_price_lists=tuple(_price_list(reader, e, "priceLists/childPriceList")
                                for e in price_lists.findall("childPriceList")),
        units=tuple(KbUnit(reader.attribute(e, "name", "units/unit"), e.get("prettyName", ""))
                    for e in root.findall("units/unit")),
        billing_mode=reader.optional_text(root, "recurringBillingMode"),
        rules=tuple(section.tag for section in root.findall("rules/*")
                    if len(section)),
    )
    return catalog, reader.left_out
