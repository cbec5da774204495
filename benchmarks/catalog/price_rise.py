"""The "1 % changed" commit: a price rise announced as a new version of some products'
plans, as a pricing team would announce one."""

from __future__ import annotations

import math
import random

from benchmarks.catalog.build import Catalog
from benchmarks.catalog.dates import CHANGE_DAY
from benchmarks.catalog.prices import D
from benchmarks.catalog.products import pricing_path


def raise_prices(catalog: Catalog, percent: float, seed: int) -> dict[str, tuple[str, str]]:
    """Pricing files to rewrite (path -> (before, after)) for a price rise on ``percent`` % of N."""
    rng = random.Random(seed)
    eligible = [p for p in catalog.products
                if p.sellable and any(not plan.free for plan in p.plans)]
    count = min(len(eligible), max(1, math.ceil(catalog.n * percent / 100)))
    edits: dict[str, tuple[str, str]] = {}
    for product in rng.sample(eligible, count):
        before = product.pricing_text()
        factor = D(1) + D(rng.randint(3, 9)) / 100
        for plan in product.plans:
            if plan.free:
                continue
            assert plan.versions[-1][0] < CHANGE_DAY
            plan.versions.append((CHANGE_DAY, plan.versions[-1][1] * factor))
            note = (f"Price rise of {(factor - 1) * 100:.0f} % from {CHANGE_DAY}, announced to "
                    "subscribers with more than 30 days' notice.")
            plan.comment = f"{plan.comment} {note}".strip()
        edits[pricing_path(product)] = (before, product.pricing_text())
    return dict(sorted(edits.items()))
