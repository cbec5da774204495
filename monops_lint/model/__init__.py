"""The catalog's entities as typed, frozen values (SPEC section 2).

Entities are built from schema-valid documents only (see ``build``), so the
constructors here trust their input. Every entity carries an ``Origin``:
the file and node it came from, which rules use to point at the exact field.
Origins never take part in equality, so two entities compare equal when
their content does, wherever they were written.
"""

from __future__ import annotations

from monops_lint.frozen import EMPTY_AMOUNTS, Amounts, FrozenMap
from monops_lint.model.channels import Channel, Offering, PriceOverride, Promotion
from monops_lint.model.origin import BUCKET_ZERO, NOWHERE, Origin
from monops_lint.model.plans import Charge, Phase, Plan, PlanVersion, Tier, Wave
from monops_lint.model.products import Bundle, Component, Product
from monops_lint.model.scenarios import (
    NO_USAGE,
    Customer,
    CustomRule,
    Scenario,
    Subscription,
    Usage,
)

Entity = Product | Bundle | Plan | Channel | Promotion | Scenario | CustomRule

KINDS: tuple[str, ...] = ("product", "bundle", "plan", "channel", "promotion", "scenario", "rule")

__all__ = [
    "BUCKET_ZERO",
    "EMPTY_AMOUNTS",
    "KINDS",
    "NOWHERE",
    "NO_USAGE",
    "Amounts",
    "Bundle",
    "Channel",
    "Charge",
    "Component",
    "CustomRule",
    "Customer",
    "Entity",
    "FrozenMap",
    "Offering",
    "Origin",
    "Phase",
    "Plan",
    "PlanVersion",
    "PriceOverride",
    "Product",
    "Promotion",
    "Scenario",
    "Subscription",
    "Tier",
    "Usage",
    "Wave",
]
