"""What Kill Bill's schema declares but a schema validator need not check: every ID is
unique in its file and every IDREF names one of them.

The IDs are the ``name`` of units, products, plans, usages and price lists; the IDREFs
are the elements that name a product, plan, unit or price list.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from monops_lint.interchange.killbill.xml_read import parse_xml

ID_PATHS = ("units/unit", "products/product", "plans/plan",
            "plans/plan/initialPhases/phase/usages/usage", "plans/plan/finalPhase/usages/usage",
            "priceLists/defaultPriceList", "priceLists/childPriceList")
"""Where the elements whose ``name`` is an xs:ID are, below ``catalog``."""

IDREF_TAGS = frozenset({"addonProduct", "unit", "product", "plan", "fromProduct", "toProduct",
                        "fromPriceList", "toPriceList", "priceList"})
"""Elements whose text is an xs:IDREF (where they hold text: a ``unit`` or ``product``
element with a ``name`` attribute declares an ID instead, and a duration's ``unit`` is a
time unit)."""


def id_problems(root: ET.Element) -> list[str]:
    """Every ID named twice and every IDREF that names no ID, in words (empty: none)."""
    ids = Counter(element.get("name", "") for path in ID_PATHS for element in root.iterfind(path))
    problems = [f"the ID {name!r} is declared {count} times"
                for name, count in sorted(ids.items()) if count > 1]
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        if element.tag not in IDREF_TAGS or "name" in element.attrib or len(element) \
                or parents[element].tag == "duration":  # a duration's unit is DAYS, MONTHS...
            continue
        reference = (element.text or "").strip()
        if reference not in ids:
            problems.append(f"<{element.tag}>{reference}</{element.tag}> names no ID")
    return problems


def check_text(name: str, text: str) -> list[str]:
    """``id_problems`` of an XML text (a file an export wrote)."""
    return id_problems(parse_xml(name, text.encode("utf-8"), max(len(text) * 4, 1)))
