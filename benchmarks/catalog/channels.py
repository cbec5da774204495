"""Sales channels and the offerings each lists (with upsells, cross-sells and overrides)."""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmarks.catalog.plans import Plan
from benchmarks.catalog.yaml_text import flow, folded, text, wrap


@dataclass
class Offering:
    """A plan as one channel lists it."""

    plan: Plan
    upsell: list[str] = field(default_factory=list)
    cross_sell: list[str] = field(default_factory=list)
    override: bool = False


@dataclass
class Channel:
    """A sales channel: its currencies, tax display and offerings."""

    id: str
    name: str
    description: str
    currencies: list[str]
    tax_inclusive: bool
    comment: str
    offerings: list[Offering] = field(default_factory=list)

    def text(self) -> str:
        """The channel's YAML document."""
        out = wrap("# ", self.comment)
        out += ["kind: channel", f"id: {self.id}", f"name: {text(self.name)}"]
        out += folded("description", self.description)
        out += [f"currencies: {flow(self.currencies)}",
                f"tax_inclusive: {'true' if self.tax_inclusive else 'false'}", "offerings:"]
        for offering in self.offerings:
            out.append(f"  - plan: {offering.plan.id}")
            if offering.upsell:
                out.append(f"    upsell: {flow(offering.upsell)}")
            if offering.cross_sell:
                out.append(f"    cross_sell: {flow(offering.cross_sell)}")
            if offering.override:
                out += ["    price_override:",
                        "      reason: Partner first-line support (uplift, PRT-2026)",
                        "      percent: 10"]
        return "\n".join(out) + "\n"


CHANNELS = [
    Channel("web", "Online shop", "Self-serve sign-up on the website and in the app.",
            ["USD", "EUR", "JPY"], False,
            "Self-serve in all three markets. Prices are shown before tax; tax is added at "
            "checkout."),
    Channel("retail", "Stores", "Flagship and mall stores in the euro area and Japan.",
            ["EUR", "JPY"], True,
            "Stores in the euro area and Japan. Shelf prices include VAT or consumption tax, "
            "as consumer law there requires."),
    Channel("enterprise", "Enterprise direct sales",
            "Account-managed sales to companies with 10+ employees.",
            ["USD", "EUR", "JPY"], False,
            "Direct enterprise sales: account managers, signed order forms, monthly invoices."),
    Channel("partner", "Reseller partners", "MSPs and IT resellers in the US and the euro area.",
            ["USD", "EUR"], False,
            "Reseller partners who bill their own small-business customers; some carry a "
            "10 % service uplift as a price override."),
    Channel("marketplace", "Cloud marketplaces",
            "Private offers and listings on the big cloud marketplaces.",
            ["USD", "EUR", "JPY"], False,
            "Cloud marketplace listings, billed through the marketplace's invoice."),
]
