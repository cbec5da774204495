"""A plausible customer base for a catalog (``monops customers sample``): for trying
``impact``, ``metrics`` and ``rollout`` on a catalog before the real base is at hand, and
for testing the engines against each other.

Only what a real base could hold: plans offered in the subscriber's
channel, in a currency the channel sells; usage for every metric the plan
meters (a list of transactions for a percentage fee); starts in the past and
inside the period (trials and pro-rations), some ends, promotions where they
apply, several countries and segments, and each campaign's spend. The same
catalog, count and seed give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.customers import Period
from monops_lint.model import Channel, Plan
from monops_lint.money import minor_units

COUNTRIES = {"USD": ("US", "CA"), "EUR": ("DE", "FR", "NL", "IE", "ES"), "JPY": ("JP",),
             "GBP": ("GB",)}
TAX_RATES = {"US": "8.25", "CA": "5", "DE": "19", "FR": "20", "NL": "21", "IE": "23",
             "ES": "21", "JP": "10", "GB": "20"}
SEGMENTS = ("consumer", "smb", "enterprise")


@dataclass
class SampleBase:
    """The rows of each table, header first."""

    subscriptions: list[list[str]] = field(default_factory=lambda: [[
        "subscription_id", "customer_id", "channel", "currency", "plan", "quantity", "start",
        "end", "promotion", "bill_cycle_day"]])
    customers: list[list[str]] = field(default_factory=lambda: [[
        "customer_id", "country", "tax_rate", "segment"]])
    usage: list[list[str]] = field(default_factory=lambda: [[
        "subscription_id", "metric", "quantity"]])
    campaigns: list[list[str]] = field(default_factory=lambda: [[
        "campaign", "currency", "spend"]])

    def tables(self) -> dict[str, list[list[str]]]:
        """Table name -> rows (header first)."""
        return {"subscriptions": self.subscriptions, "customers": self.customers,
                "usage": self.usage, "campaigns": self.campaigns}


def _offers(catalog: Catalog, period: Period) -> list[tuple[Channel, Plan]]:
    offers = []
    for channel in sorted(catalog.channels.values(), key=lambda c: c.id):
        for offering in channel.offerings:
            plan = catalog.plans.get(offering.plan)
            if plan is not None and plan.version_on(period.start) is not None:
                offers.append((channel, plan))
    return offers


def _metrics(plan: Plan, period: Period) -> Iterator[tuple[str, bool, int]]:
    """Each usage metric of the plan, whether it is a percentage (transactions), and a
    typical usage: twice the first bounded tier, else a few dozen units."""
    version = plan.version_on(period.end) or plan.version_on(period.start)
    seen: set[str] = set()
    for charge in version.all_charges() if version else ():
        metric = charge.usage_metric
        if metric and metric not in seen:
            seen.add(metric)
            bounds = [t.up_to for t in charge.tiers or () if t.up_to is not None]
            yield metric, charge.model == "percentage", int(2 * (bounds[0] if bounds else 20)) + 1


def _start(rng: random.Random, plan: Plan, period: Period) -> dt.date:
    roll = rng.random()
    if plan.billing_period == "one_time" or roll < 0.25:  # new this period
        return period.start + dt.timedelta(days=rng.randrange(period.days))
    days_back = rng.randrange(1, 900)
    first = min((v.effective_from for v in plan.versions), default=period.start)
    return max(first, period.start - dt.timedelta(days=days_back))


def sample_base(catalog: Catalog, period: Period, count: int, seed: int = 1) -> SampleBase:
    """``count`` subscriptions of plausible customers for ``catalog`` around ``period``."""
    rng = random.Random(seed)
    offers = _offers(catalog, period)
    base = SampleBase()
    if not offers:
        return base
    promotions = list(catalog.promotions.values())
    customers: list[tuple[str, str]] = []  # (customer id, currency)
    spend: dict[tuple[str, str], Decimal] = {}
    for number in range(1, count + 1):
        channel, plan = offers[rng.randrange(len(offers))]
        currency = channel.currencies[rng.randrange(len(channel.currencies))]
        if customers and rng.random() < 0.3:
            customer, currency = customers[rng.randrange(len(customers))]
            matching = [(c, p) for c, p in offers if currency in c.currencies]
            channel, plan = matching[rng.randrange(len(matching))]
        else:
            customer = f"C{len(customers) + 1:07d}"
            customers.append((customer, currency))
            country = rng.choice(COUNTRIES.get(currency, ("US",)))
            base.customers.append([customer, country, TAX_RATES.get(country, "0"),
                                   rng.choice(SEGMENTS)])
        start = _start(rng, plan, period)
        end = ""
        if rng.random() < 0.08:
            end = (start + dt.timedelta(days=rng.randrange(20, 400))).isoformat()
            if end < period.start.isoformat():
                end = ""
        quantity = "1" if rng.random() < 0.8 else str(rng.randrange(2, 6))
        promotion = ""
        usable = [p for p in promotions if channel.id in p.channels and plan.id in p.plans]
        if usable and rng.random() < 0.5:
            chosen = rng.choice(usable)
            promotion = chosen.id
            if chosen.campaign:
                key = (chosen.campaign, currency)
                spend[key] = spend.get(key, Decimal(0)) + Decimal(rng.randrange(5, 60))
        subscription = f"S{number:08d}"
        base.subscriptions.append([subscription, customer, channel.id, currency, plan.id,
                                   quantity, start.isoformat(), end, promotion,
                                   str(rng.randrange(1, 29)) if rng.random() < 0.5 else ""])
        for metric, transactions, typical in _metrics(plan, period):
            if transactions:
                for _ in range(rng.randrange(0, 6)):
                    amount = Decimal(rng.randrange(100, 200_000)).scaleb(-2)
                    base.usage.append([subscription, metric, str(amount)])
            elif rng.random() < 0.9:
                # Mostly typical usage; now and then an outlier far past every tier.
                used = Decimal(rng.randrange(0, typical * 5)) if rng.random() < 0.01 else \
                    Decimal(rng.randrange(0, typical * 100)).scaleb(-rng.choice((2, 2, 3, 4)))
                base.usage.append([subscription, metric, str(used)])
    for (campaign, currency), amount in sorted(spend.items()):
        # About 30 per promoted subscription in a two-decimal currency (a return on ad spend
        # of a few times), a hundred times that where the minor unit is the whole unit (JPY).
        digits = minor_units(currency)
        scaled = amount if digits else amount * 100
        base.campaigns.append([campaign, currency, f"{scaled:.{digits}f}"])
    return base
