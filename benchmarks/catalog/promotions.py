"""Promotions: campaign discounts on a few plans of one channel, some already expired."""

from __future__ import annotations

import datetime as dt
import random

from benchmarks.catalog.channels import Channel
from benchmarks.catalog.dates import month_end, month_start
from benchmarks.catalog.prices import D, amounts
from benchmarks.catalog.yaml_text import flow, text, wrap


def make_promotions(rng: random.Random, channels: list[Channel],
                    count: int) -> tuple[dict[str, str], list[dict[str, object]]]:
    """``count`` promotion files (path -> text), and the live ones that scenarios can use."""
    files: dict[str, str] = {}
    live: list[dict[str, object]] = []
    for index in range(1, count + 1):
        channel = rng.choice([c for c in channels if c.offerings])
        paid = [o.plan for o in channel.offerings if not o.plan.free
                and o.plan.versions[0][0] <= dt.date(2026, 12, 1)]
        plans = sorted({p.id: p for p in rng.sample(paid, min(len(paid), rng.randint(1, 3)))
                        }.values(), key=lambda p: p.id)
        expired = rng.random() < 0.1
        start = month_start(2026, rng.randint(3, 8)) if expired else \
            month_start(2026, rng.randint(9, 14))
        until = dt.date(2026, 10, 31) if expired else month_end(month_start(2027,
                                                                          rng.randint(5, 12)))
        campaign = rng.choice(["spring-launch", "switch-and-save", "back-to-school",
                               "black-friday", "new-year", "cloud-first", "team-up"])
        pid = f"{campaign}-{start.year}-{index:04d}"
        lines = wrap("# ", f"Campaign {campaign}: a discount on {len(plans)} plan(s) in "
                     f"{channel.name.lower()}, for new subscribers.")
        lines += ["kind: promotion", f"id: {pid}",
                  f"name: {text(campaign.replace('-', ' ').capitalize() + f' {index}')}",
                  f"campaign: {campaign}", f"channels: [{channel.id}]",
                  f"plans: {flow(p.id for p in plans)}"]
        if rng.random() < 0.75:
            lines.append(f"percent_off: {rng.choice([10, 15, 20, 25, 50])}")
        else:
            lines.append(f"amount_off: {amounts(D(rng.choice([2, 5, 10])))}")
        if rng.random() < 0.8:
            lines.append(f"duration_periods: {rng.choice([1, 2, 3, 6, 12])}")
        lines += [f"valid_from: {start.isoformat()}", f"valid_until: {until.isoformat()}"]
        files[f"catalog/promotions/{pid}.yaml"] = "\n".join(lines) + "\n"
        if not expired:
            live.append({"id": pid, "channel": channel.id, "plans": [p.id for p in plans]})
    return files, live
