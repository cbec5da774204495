"""Products and bundles (``kind: product``, ``kind: bundle``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.frozen import EMPTY_AMOUNTS, Amounts
from monops_lint.model.origin import ORIGIN, Origin


@dataclass(frozen=True, slots=True)
class Product:
    """Something the company sells (``kind: product``)."""

    id: str
    name: str
    description: str = ""
    category: str = ""
    unit: str = ""
    features: tuple[str, ...] = ()
    status: str = "active"  # draft | active | deprecated | retired
    available_from: dt.date | None = None
    available_until: dt.date | None = None
    tax_code: str = ""
    cost: Amounts = EMPTY_AMOUNTS
    external_name: str = ""  # its name in the billing system, where not a valid id
    origin: Origin = ORIGIN

    kind = "product"


@dataclass(frozen=True, slots=True)
class Component:
    """A product included in a bundle, with its quantity."""

    product: str
    quantity: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Bundle:
    """Products sold together (``kind: bundle``)."""

    id: str
    name: str
    components: tuple[Component, ...]
    description: str = ""
    status: str = "active"
    origin: Origin = ORIGIN

    kind = "bundle"
