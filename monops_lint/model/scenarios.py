"""Scenarios: sample customers and their subscriptions (one invoice each), and custom rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from monops_lint.frozen import FrozenMap
from monops_lint.model.origin import ORIGIN, Origin

Usage = Decimal | tuple[Decimal, ...]
"""A usage figure: a quantity, or for ``percentage`` charges a list of transactions."""

NO_USAGE: FrozenMap[str, Usage] = FrozenMap()
"""No usage at all: a quote or a price of recurring charges only."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """One plan a sample customer holds, from ``start`` to ``end`` (the last day billed)."""

    plan: str
    quantity: Decimal = Decimal(1)
    start: dt.date | None = None
    usage: FrozenMap[str, Usage] = field(default_factory=FrozenMap)
    promotion: str = ""
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    """Who a scenario's invoice is addressed to."""

    name: str
    country: str = ""
    tax_rate: Decimal = Decimal(0)
    locale: str = ""
    id: str = ""  # the rollout bucket's input (absent: bucket 0)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A sample customer: one invoice each (``kind: scenario``)."""

    id: str
    channel: str
    currency: str
    period_start: dt.date
    period_end: dt.date
    customer: Customer
    subscriptions: tuple[Subscription, ...]
    name: str = ""
    description: str = ""
    weight: Decimal = Decimal(1)
    origin: Origin = ORIGIN

    kind = "scenario"




@dataclass(frozen=True, slots=True)
class CustomRule:
    """A check written as data (``kind: rule``), evaluated in a sandbox."""

    id: str
    each: str
    assert_: str
    message: str
    severity: str = "error"
    when: str = ""
    description: str = ""
    hint: str = ""
    origin: Origin = ORIGIN

    kind = "rule"
