"""Scenarios: sample customers of each channel, with the plans, quantities, promotions and
usage their sample invoices show."""

from __future__ import annotations

import datetime as dt
import random

from benchmarks.catalog.channels import Channel
from benchmarks.catalog.dates import month_end, month_start
from benchmarks.catalog.plans import Plan
from benchmarks.catalog.prices import D
from benchmarks.catalog.yaml_text import decimal_text, flow, text, wrap

COUNTRIES = {  # country: (currency, tax rate, locale, town)
    "US": ("USD", "8.25", "en-US", ["Dallas", "Portland", "Denver", "Atlanta", "Boston"]),
    "DE": ("EUR", "19", "de-DE", ["Cologne", "Leipzig", "Hamburg", "Munich"]),
    "FR": ("EUR", "20", "fr-FR", ["Lyon", "Nantes", "Lille", "Bordeaux"]),
    "NL": ("EUR", "21", "nl-NL", ["Utrecht", "Rotterdam", "Groningen"]),
    "IE": ("EUR", "23", "en-IE", ["Dublin", "Cork", "Galway"]),
    "ES": ("EUR", "21", "es-ES", ["Valencia", "Seville", "Bilbao"]),
    "JP": ("JPY", "10", "ja-JP", ["Tokyo", "Osaka", "Sapporo", "Fukuoka"]),
}
FIRST = ["Juniper", "Maple", "Harbor", "Copper", "Willow", "Granite", "Linden", "Saffron",
         "Bluebird", "Foxglove", "Ironwood", "Pebble", "Orchard", "Lantern", "Thistle"]
SECOND = ["Ceramics", "Logistics", "Dental", "Bakery", "Studio", "Architects", "Clinic",
          "Freight", "Books", "Roasters", "Analytics", "Print", "Kitchens", "Cycles", "Law"]
FORMS = {"US": "LLC", "DE": "GmbH", "FR": "SARL", "NL": "B.V.", "IE": "Ltd", "ES": "S.L.",
         "JP": "K.K."}
HOUSEHOLDS = {"US": ["Miller", "Garcia", "Johnson", "Nguyen"], "DE": ["Schneider", "Becker"],
              "FR": ["Martin", "Bernard"], "NL": ["de Vries", "Jansen"], "IE": ["Murphy"],
              "ES": ["Garcia Lopez"], "JP": ["Sato Ken", "Suzuki Aiko", "Tanaka Yui"]}


def usage_for(rng: random.Random, plan: Plan) -> dict[str, str]:
    """A month of usage for every metric ``plan`` reads, within its limits."""
    usage: dict[str, str] = {}
    for charge in plan.charges:
        metric = charge.metric
        if metric is None:
            continue
        if charge.model == "percentage":
            tickets = [decimal_text(D(rng.randint(300, 90000)) / 100, 2)
                       for _ in range(rng.randint(3, 8))]
            usage[metric] = flow(tickets)
        elif metric in plan.limits:
            usage[metric] = str(rng.randint(0, plan.limits[metric]))
        elif metric == "storage_gb" or metric == "protected_gb":
            usage[metric] = str(rng.choice([40, 650, 1800, 12000, 45000]))
        elif metric == "messages":
            usage[metric] = str(rng.choice([800, 25000, 240000, 1500000]))
        elif metric == "data_gb":
            usage[metric] = str(rng.randint(0, 40))
        else:
            usage[metric] = str(rng.randint(0, 5))
    return usage


def make_scenarios(rng: random.Random, channels: list[Channel],
                   promotions: list[dict[str, object]], count: int) -> dict[str, str]:
    """``count`` scenario files (path -> text), spread over the channels and currencies."""
    files: dict[str, str] = {}
    countries = {"USD": ["US"], "EUR": ["DE", "FR", "NL", "IE", "ES"], "JPY": ["JP"]}
    for index in range(1, count + 1):
        channel = channels[index % len(channels)]
        currency = channel.currencies[index % len(channel.currencies)]
        country = rng.choice(countries[currency])
        _, tax, locale, towns = COUNTRIES[country]
        start = month_start(2026, rng.randint(12, 18))
        end = month_end(start)
        candidates = [o.plan for o in channel.offerings if o.plan.versions[0][0] <= start]
        chosen = sorted({p.id: p for p in rng.sample(candidates, min(len(candidates),
                                                                    rng.randint(1, 3)))
                         }.values(), key=lambda p: p.id)
        business = channel.id in ("enterprise", "partner", "marketplace") or rng.random() < 0.3
        town = rng.choice(towns)
        who = (f"{rng.choice(FIRST)} {rng.choice(SECOND)} {FORMS[country]}" if business
               else f"{rng.choice(HOUSEHOLDS[country])} household")
        sid = f"{country.lower()}-{channel.id}-{'smb' if business else 'home'}-{index:03d}"
        lines = wrap("# ", f"A sample customer in {town}: {who}, buying through "
                     f"{channel.name.lower()} in {currency}.")
        lines += ["kind: scenario", f"id: {sid}",
                  f"name: {text(f'{who} in {town}, {len(chosen)} plan(s)')}",
                  f"channel: {channel.id}", f"currency: {currency}",
                  f"period: {{start: {start.isoformat()}, end: {end.isoformat()}}}",
                  f"customer: {{name: {text(who)}, country: {country}, tax_rate: {tax}, "
                  f"locale: {locale}}}",
                  f"weight: {rng.choice([40, 120, 300, 950, 1200, 4000])}", "subscriptions:"]
        for plan in chosen:
            lines.append(f"  - plan: {plan.id}")
            if any(c.model in ("per_unit", "volume") and c.type == "recurring"
                   for c in plan.charges):
                lines.append(f"    quantity: {rng.choice([1, 2, 3, 5, 12, 25, 60])}")
            roll = rng.random()
            if roll < 0.25:
                day = start + dt.timedelta(days=rng.randint(1, 20))
                # A plan billed by the quarter or year starting mid-month would be pro-rated
                # by the month's days (scenario-period): it renews in this period instead.
                if plan.billing_period in ("month", "one_time"):
                    lines.append(f"    start: {day}")
            elif roll < 0.6:
                lines.append(f"    start: {month_start(2026, rng.randint(6, 11))}")
            offers = [str(p["id"]) for p in promotions if p["channel"] == channel.id
                      and plan.id in p["plans"]]  # type: ignore[operator]
            if offers and rng.random() < 0.7:
                lines.append(f"    promotion: {offers[0]}")
            usage = usage_for(rng, plan)
            if usage:
                lines.append("    usage: {" + ", ".join(f"{k}: {v}" for k, v in usage.items())
                             + "}")
        files[f"scenarios/{sid}.yaml"] = "\n".join(lines) + "\n"
    return files
