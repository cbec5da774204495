"""Bundles: fibre and TV (and sometimes mobile) on one bill, cheaper than bought apart."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from benchmarks.catalog.channels import Channel, Offering
from benchmarks.catalog.charges import Charge
from benchmarks.catalog.plans import Plan
from benchmarks.catalog.prices import D, price_point
from benchmarks.catalog.products import Product
from benchmarks.catalog.yaml_text import folded, text, wrap


@dataclass
class Bundle:
    """A bundle of products and its one monthly plan."""

    id: str
    name: str
    description: str
    components: list[tuple[Product, int]]
    plan: Plan

    def text(self) -> str:
        """The bundle's YAML document."""
        names = ", ".join(p.name for p, _ in self.components)
        out = wrap("# ", f"{self.name}: {names} on one bill, for less than buying them "
                   "apart (bundle-discount).")
        out += ["kind: bundle", f"id: {self.id}", f"name: {text(self.name)}"]
        out += folded("description", self.description)
        out += ["status: active", "components:"]
        out += [f"  - {{product: {p.id}, quantity: {q}}}" for p, q in self.components]
        return "\n".join(out) + "\n"


def make_bundles(rng: random.Random, products: list[Product], count: int,
                 channels: dict[str, Channel]) -> list[Bundle]:
    """``count`` bundles of active products, each offered in the web shop, the stores or both."""
    pool: dict[str, list[Product]] = {}
    for product in products:
        if product.status == "active" and product.available_from <= dt.date(2026, 9, 1) \
                and product.family in ("fiber", "tv", "mobile") and product.available_until \
                is None:
            pool.setdefault(product.family, []).append(product)
    if not all(pool.get(f) for f in ("fiber", "tv", "mobile")):
        return []
    bundles: list[Bundle] = []
    for index in range(1, count + 1):
        parts = [(rng.choice(pool["fiber"]), 1), (rng.choice(pool["tv"]), 1)]
        if rng.random() < 0.5:
            parts.append((rng.choice(pool["mobile"]), rng.randint(1, 2)))
        alone = sum((min(p.period_price(q) for p in product.plans
                         if p.billing_period == "month") for product, q in parts), D(0))
        price = price_point(alone * D("0.8") - 1)
        brand = parts[0][0].name.split()[0]
        name = f"{brand} {'Family' if len(parts) == 3 else 'Home'} {index}"
        bid = f"{name.lower().replace(' ', '-')}-bundle"
        plan = Plan(f"{bid}-monthly", name, f"BDL-{index:04d}-M",
                    f"{' + '.join(p.name for p, _ in parts)} on one bill, monthly.",
                    ("bundle", bid), "month",
                    [Charge("base", "Bundle monthly fee", "recurring", "flat", amount=price)],
                    [(dt.date(2026, 10, 1), D(1))], family="bundle",
                    comment=f"Bought alone these cost USD {alone:.2f} a month at their "
                    f"cheapest plans; the bundle costs USD {price:.2f}.")
        bundle = Bundle(bid, name, f"{', '.join(p.name for p, _ in parts)} together, "
                        "on one bill.", parts, plan)
        bundles.append(bundle)
        for channel_id in rng.sample(["web", "retail"], rng.randint(1, 2)):
            channels[channel_id].offerings.append(Offering(plan))
    return bundles
