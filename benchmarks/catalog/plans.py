"""A plan: its charges, the versions that raise them, and its pricing document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from benchmarks.catalog.charges import Charge
from benchmarks.catalog.prices import D, amounts
from benchmarks.catalog.yaml_text import flow, folded, text, wrap


@dataclass
class Plan:
    """A plan of a product or a bundle; every version is its charges times a factor."""

    id: str
    name: str
    sku: str
    description: str
    owner: tuple[str, str]  # ("product" | "bundle", id)
    billing_period: str
    charges: list[Charge]
    versions: list[tuple[dt.date, Decimal]]  # (effective_from, price factor over `charges`)
    family: str = ""
    level: int = 0
    free: bool = False
    trial_days: int | None = None
    limits: dict[str, int] = field(default_factory=dict)
    features: list[str] = field(default_factory=list)
    minimum: Decimal | None = None
    comment: str = ""
    yearly_of: Plan | None = None

    def charges_at(self, factor: Decimal) -> list[Charge]:
        """The charges of the version that raises prices by ``factor``."""
        charges = [c.raised(factor) for c in self.charges]
        if self.yearly_of is not None:
            charges = [c.yearly() for c in charges]
        return charges

    def period_price(self, quantity: int) -> Decimal:
        """USD price of one period at the first version, no usage (with the minimum)."""
        total = sum((c.period_price(quantity) for c in self.charges_at(self.versions[0][1])),
                    D(0))
        return max(total, self.minimum or D(0))

    def text(self) -> str:
        """The plan's YAML document."""
        out = wrap("# ", self.comment) if self.comment else []
        out += ["kind: plan", f"id: {self.id}", f"name: {text(self.name)}", f"sku: {self.sku}"]
        out += folded("description", self.description)
        out.append(f"{self.owner[0]}: {self.owner[1]}")
        out.append(f"billing_period: {self.billing_period}")
        if self.trial_days:
            out.append(f"trial_days: {self.trial_days}")
        if self.free:
            out.append("free: true")
        if self.limits:
            out.append("limits: {" + ", ".join(f"{k}: {v}" for k, v in self.limits.items()) + "}")
        if self.features:
            out.append(f"features: {flow(self.features)}")
        if self.minimum is not None:
            out.append(f"minimum: {amounts(self.minimum)}")
        out.append("versions:")
        for day, factor in self.versions:
            out += [f"  - effective_from: {day.isoformat()}", "    charges:"]
            for charge in self.charges_at(factor):
                out += charge.lines("      ")
        return "\n".join(out) + "\n"
