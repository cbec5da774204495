"""The whole catalog: how many of each thing N files hold, building them in one seeded
order, and the files they make (with ``monops.yaml``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from benchmarks.catalog.bundles import Bundle, make_bundles
from benchmarks.catalog.channels import CHANNELS, Channel, Offering
from benchmarks.catalog.families import FAMILIES, FAMILY_WEIGHTS
from benchmarks.catalog.prices import FX
from benchmarks.catalog.products import Product, cost_of, make_plans, make_product, pricing_path
from benchmarks.catalog.promotions import make_promotions
from benchmarks.catalog.scenarios import make_scenarios

SCENARIOS = 200
"""Scenarios in a catalog of 1,000 files or more (fewer below)."""
MiB = 1 << 20


@dataclass
class Catalog:
    """Everything generated for N: the documents, not yet written."""

    n: int
    products: list[Product]
    bundles: list[Bundle]
    channels: list[Channel]
    promotion_files: dict[str, str]
    scenario_files: dict[str, str]

    def files(self) -> dict[str, str]:
        """Every file of the catalog: relative path -> text."""
        out: dict[str, str] = {}
        for product in self.products:
            out[f"catalog/products/{product.folder}/{product.id}.yaml"] = product.text()
            out[pricing_path(product)] = product.pricing_text()
        for bundle in self.bundles:
            out[f"catalog/bundles/{bundle.id}.yaml"] = bundle.text()
            out[f"pricing/bundles/{bundle.plan.id}.yaml"] = bundle.plan.text()
        for channel in self.channels:
            out[f"catalog/channels/{channel.id}.yaml"] = channel.text()
        out.update(self.promotion_files)
        out.update(self.scenario_files)
        largest = max(len(t.encode()) for t in out.values())
        out["monops.yaml"] = config_text(self.n, largest)
        return dict(sorted(out.items()))


def config_text(n: int, largest: int) -> str:
    """``monops.yaml``: the paths, the currencies and rounding, and room for the largest file."""
    lines = [f"# Synthetic benchmark catalog (benchmarks/generate.py, N={n}).",
             "# Prices are set in USD and converted by the pricing team; fx-consistency",
             "# keeps every EUR and JPY price within 10 % of USD x rate.",
             "paths: [catalog, pricing, scenarios]",
             "base_currency: USD",
             "fx:",
             "  rates: {" + ", ".join(f"{code}: {rate}" for code, rate in FX.items()) + "}",
             "  tolerance: 0.10",
             "rounding: half_up"]
    if largest > MiB // 2:
        # The web channel lists tens of thousands of offerings in one file.
        limit = MiB
        while limit < 2 * largest:
            limit *= 2
        lines.append(f"max_file_bytes: {limit}")
    return "\n".join(lines) + "\n"


def layout(n: int) -> tuple[int, int, int, int]:
    """(products, bundles, promotions, scenarios) so that the catalog holds about n files."""
    scenarios = min(SCENARIOS, max(10, n // 5))
    bundles = max(2, n // 100)
    promotions = max(2, n // 250)
    products = max(12, (n - 6 - scenarios - promotions - 2 * bundles) // 2)
    return products, bundles, promotions, scenarios


def build(n: int, seed: int = 1) -> Catalog:
    """The catalog of about ``n`` files that ``seed`` picks (the same one every time)."""
    rng = random.Random(seed)
    n_products, n_bundles, n_promotions, n_scenarios = layout(n)
    products: list[Product] = []
    for index in range(n_products):
        family = FAMILIES[index % len(FAMILIES)] if index < len(FAMILIES) else \
            rng.choices(FAMILIES, FAMILY_WEIGHTS)[0]
        product = make_product(rng, index + 1, family)
        product.plans = make_plans(rng, product)
        if rng.random() < 0.6:
            product.cost = cost_of(product)
        products.append(product)
    channels = [replace(c, offerings=[]) for c in CHANNELS]
    by_id = {c.id: c for c in channels}
    families = {f.name: f for f in FAMILIES}
    for product in products:
        if not product.sellable:
            continue
        allowed = list(families[product.family].channels)
        product.channels = sorted(rng.sample(allowed, rng.randint(1, min(3, len(allowed)))),
                                  key=allowed.index)
        product.override = "partner" in product.channels and rng.random() < 0.5 \
            and product.family in ("storage", "backup", "seats")
    # Devices are cross-sold beside fibre and TV in the channels that sell both.
    devices: dict[str, list[str]] = {}
    for product in products:
        if product.family == "device" and product.status == "active":
            for channel_id in product.channels:
                devices.setdefault(channel_id, []).append(product.plans[0].id)
    for product in products:
        for channel_id in product.channels:
            channel = by_id[channel_id]
            for plan in product.plans:
                offering = Offering(plan, override=product.override and not plan.free
                                    and channel_id == "partner")
                if plan.yearly_of is None:
                    step = next((p for p in product.plans if p.level == plan.level + 1
                                 and p.yearly_of is None), None)
                    if (step is not None and rng.random() < 0.85) or plan.free:
                        assert step is not None
                        offering.upsell.append(step.id)
                if product.family in ("fiber", "tv") and devices.get(channel_id) \
                        and rng.random() < 0.3:
                    offering.cross_sell.append(rng.choice(devices[channel_id]))
                channel.offerings.append(offering)
    bundles = make_bundles(rng, products, n_bundles, by_id)
    promotion_files, promotions = make_promotions(rng, channels, n_promotions)
    scenario_files = make_scenarios(rng, channels, promotions, n_scenarios)
    return Catalog(n, products, bundles, channels, promotion_files, scenario_files)
