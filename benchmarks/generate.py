#!/usr/bin/env python3
"""Generate a deterministic synthetic monops catalog for benchmarks (issue 6).

    python benchmarks/generate.py N OUT
    python benchmarks/generate.py N OUT --change-percent 1 --seed 2

The first form writes a catalog of about N files under OUT (which must be
new or empty): ``monops.yaml``, ``catalog/products``, ``catalog/bundles``,
``catalog/channels`` (5 channels), ``catalog/promotions``, ``pricing`` and
``scenarios`` (200 sample customers). N = 10,000 gives 10,000 files and
about 11 MB, like the reference catalog of issue 6: one product per file,
its plans in one pricing file beside it (monthly plans in a ladder with
upsells, yearly siblings, graduated, tapered, volume, package, per-unit and
percentage charges, every amount in USD, EUR and JPY), bundles with their
plans, promotions and scenarios. The output is byte-identical on every run
for the same arguments (``--base-seed`` picks another catalog of the same
shape), and it lints clean under every rule with ``--today 2026-11-25``:
no error, no warning.

The second form edits a catalog the first form wrote (same N and
``--base-seed``): it adds a new plan version effective 2027-04-01 with
prices raised 3-9 % (volume-tier rates, kept in steps of USD 0.50, round up
to the next step) to the pricing files of ``--change-percent`` % of N
products chosen by ``--seed``, as a pricing team would announce a price
rise. The catalog stays lint-clean, and ``monops diff`` of the two commits
shows the rise on the sample invoices it reaches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path

D = Decimal
TODAY = dt.date(2026, 11, 25)
"""The `--today` the catalog is built for (lint with `--today 2026-11-25`)."""
CHANGE_DAY = dt.date(2027, 4, 1)
"""When the price rise of `--change-percent` takes effect (notice: 127 days)."""
CURRENCIES = ("USD", "EUR", "JPY")
FX = {"EUR": D("0.92"), "JPY": D("150")}
SCENARIOS = 200
MiB = 1 << 20


# --- money ---------------------------------------------------------------------

def quantize(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(D(1).scaleb(-places), rounding=rounding)


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def to_currency(usd: Decimal, currency: str, kind: str) -> Decimal:
    """``usd`` in ``currency`` at the configured rate, written as a pricing team would.

    kind ``money``: an amount (cents; tens of yen from JPY 1,000 up);
    ``rate``: a unit rate, sub-cent allowed (whole yen, at least 1);
    ``exact``: a multiple of USD 0.50, which converts without rounding.
    Every result is within fx-consistency's tolerance (10 % + half a unit).
    """
    if currency == "USD":
        return usd
    value = usd * FX[currency]
    if currency == "JPY":
        if kind == "exact":
            return quantize(value, 0)
        yen = quantize(value, 0)
        if kind == "money" and yen >= 1000:
            yen = quantize(value / 10, 0) * 10
        return max(yen, D(1)) if usd > 0 else yen
    places = max(2, decimals_of(usd)) if kind == "rate" else 2
    return quantize(value, places)


def fmt(value: Decimal, places: int) -> str:
    """A decimal as written in YAML: at least ``places`` decimals, never an exponent."""
    value = value.normalize()
    if decimals_of(value) < places:
        value = quantize(value, places)
    return format(value, "f")


def amounts(usd: Decimal, kind: str = "money") -> str:
    """``{USD: 4.99, EUR: 4.59, JPY: 750}``."""
    parts = []
    for currency in CURRENCIES:
        value = to_currency(usd, currency, kind)
        parts.append(f"{currency}: {fmt(value, 0 if currency == 'JPY' else 2)}")
    return "{" + ", ".join(parts) + "}"


def price_point(usd: Decimal) -> Decimal:
    """A shelf price: x.99 under 100, whole dollars above."""
    if usd < 100:
        return max(D("0.99"), quantize(usd, 0, ROUND_FLOOR) + D("0.99"))
    return quantize(usd, 0, ROUND_FLOOR)


def rise(usd: Decimal, factor: Decimal, kind: str) -> Decimal:
    """``usd`` raised by ``factor`` the way its kind is written."""
    if factor == 1:
        return usd
    value = usd * factor
    if kind == "exact":
        return quantize(value * 2, 0, ROUND_CEILING) / 2
    if kind == "rate":
        return quantize(value, min(decimals_of(usd) + 1, 6), ROUND_CEILING).normalize()
    return quantize(value, 2, ROUND_CEILING)


def half_up_to(value: Decimal) -> Decimal:
    """The next multiple of 0.50 at or above ``value``."""
    return quantize(value * 2, 0, ROUND_CEILING) / 2


# --- YAML text -----------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.()'/+%&-]*")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def text(value: str) -> str:
    """A string as a YAML scalar: plain when that is safe, else double-quoted."""
    if (_PLAIN.fullmatch(value) and value.lower() not in _RESERVED and not value[0].isdigit()
            and not value.endswith(" ") and "  " not in value):
        return value
    return json.dumps(value, ensure_ascii=False)


def flow(items: Iterable[str]) -> str:
    return "[" + ", ".join(items) + "]"


def wrap(prefix: str, words: str, width: int = 76) -> list[str]:
    """``words`` as comment lines starting with ``prefix``."""
    lines: list[str] = []
    line = prefix
    for word in words.split():
        if len(line) + len(word) + 1 > width and line != prefix:
            lines.append(line.rstrip())
            line = prefix
        line += word + " "
    lines.append(line.rstrip())
    return lines


def folded(key: str, value: str, indent: str = "") -> list[str]:
    """``key: >-`` and the text over indented lines when it is long; one line otherwise."""
    if len(indent) + len(key) + len(value) + 2 <= 88:
        return [f"{indent}{key}: {text(value)}"]
    return [f"{indent}{key}: >-", *wrap(indent + "  ", value, 80)]


# --- words ---------------------------------------------------------------------

BRANDS = ["Aurora", "Nimbus", "Vertex", "Harbor", "Summit", "Meridian", "Cobalt", "Juniper",
          "Atlas", "Beacon", "Cascade", "Delta", "Ember", "Fjord", "Granite", "Helix", "Iris",
          "Kestrel", "Lumen", "Mistral", "Nova", "Orchid", "Pioneer", "Quartz", "Redwood",
          "Sierra", "Tundra", "Umbra", "Vista", "Willow", "Zephyr", "Alder", "Borealis",
          "Cedar", "Dune", "Echo", "Falcon", "Glacier", "Horizon", "Ion"]
REGIONS = [("US", "the United States"), ("EU", "the euro area"), ("JP", "Japan"),
           ("NA", "North America"), ("DACH", "Germany, Austria and Switzerland"),
           ("BNL", "the Benelux"), ("IB", "Spain and Portugal"), ("NORD", "the Nordics"),
           ("KNT", "the Kanto region"), ("GL", "every market")]
LEVELS = {
    "fiber": ["300", "500", "Gigabit", "2 Gig"],
    "mobile": ["Essentials", "Plus", "Unlimited"],
    "tv": ["Basic", "Plus", "Premium"],
    "storage": ["Free", "Plus", "Pro"],
    "messaging": ["Starter", "Business", "Enterprise"],
    "payments": ["Standard", "Plus"],
    "seats": ["Team", "Business", "Enterprise"],
    "backup": ["Essentials", "Business"],
    "device": ["Standard", "Pro"],
}
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


# --- the catalog model -----------------------------------------------------------

@dataclass(frozen=True)
class Tier:
    up_to: int | None
    unit: Decimal
    flat: Decimal | None = None


@dataclass(frozen=True)
class Charge:
    """One charge, in USD; other currencies are derived when it is written."""

    id: str
    description: str
    type: str  # recurring | usage | one_time
    model: str
    metric: str | None = None
    included: int | None = None
    amount: Decimal | None = None  # flat, package
    unit: Decimal | None = None  # per_unit
    tiers: tuple[Tier, ...] = ()
    exact: bool = False  # volume tiers in multiples of USD 0.50, flat fees derived
    package_size: int | None = None
    rate: Decimal | None = None  # percentage
    fixed: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    def raised(self, factor: Decimal) -> Charge:
        if factor == 1:
            return self
        kind = "exact" if self.exact else "rate"
        return replace(
            self,
            amount=None if self.amount is None else rise(self.amount, factor, "money"),
            unit=None if self.unit is None else rise(self.unit, factor, "rate"),
            tiers=tuple(Tier(t.up_to, rise(t.unit, factor, kind)) for t in self.tiers),
            fixed=None if self.fixed is None else rise(self.fixed, factor, "money"),
            min=None if self.min is None else rise(self.min, factor, "money"),
            max=None if self.max is None else rise(self.max, factor, "money"),
        ).with_flats()

    def yearly(self) -> Charge:
        """This recurring charge for a year at about ten months' price."""
        if self.type != "recurring":
            return self
        yearly = None if self.amount is None else quantize(self.amount * 10, 0, ROUND_FLOOR)
        return replace(
            self, amount=yearly,
            unit=None if self.unit is None else self.unit * 10,
            tiers=tuple(Tier(t.up_to, t.unit * 10) for t in self.tiers)).with_flats()

    def with_flats(self) -> Charge:
        """Volume tiers with the flat fees that keep one more unit from costing less."""
        if self.model != "volume":
            return self
        tiers: list[Tier] = []
        for tier in self.tiers:
            flat = None
            if tiers:
                before = tiers[-1]
                assert before.up_to is not None
                flat = half_up_to(before.up_to * (before.unit - tier.unit) + (before.flat or 0))
            tiers.append(Tier(tier.up_to, tier.unit, flat))
        return replace(self, tiers=tuple(tiers))

    def unit_prices(self) -> list[Decimal]:
        """Lower bounds of the USD prices per unit margin-floor compares with the cost."""
        if self.model == "percentage" or (self.model == "flat" and self.type == "usage"):
            return []
        if self.model == "flat":
            return [self.amount] if self.amount else []
        if self.model == "per_unit":
            return [self.unit] if self.unit else []
        if self.model == "package":
            assert self.amount is not None and self.package_size
            return [self.amount / self.package_size]
        return [t.unit for t in self.tiers if t.unit]

    def period_price(self, quantity: int) -> Decimal:
        """USD price of one period at ``quantity``, no usage (bundle-discount's view)."""
        if self.type != "recurring":
            return D(0)
        if self.model == "flat":
            return self.amount or D(0)
        if self.model == "per_unit":
            return (self.unit or D(0)) * quantity
        tier = next(t for t in self.tiers if t.up_to is None or quantity <= t.up_to)
        return tier.unit * quantity + (tier.flat or 0)

    def lines(self, indent: str) -> list[str]:
        out = [f"{indent}- id: {self.id}", f"{indent}  description: {text(self.description)}",
               f"{indent}  type: {self.type}"]
        if self.metric:
            out.append(f"{indent}  metric: {self.metric}")
        if self.included:
            out.append(f"{indent}  included: {self.included}")
        out.append(f"{indent}  model: {self.model}")
        if self.package_size:
            out.append(f"{indent}  package_size: {self.package_size}")
        if self.amount is not None:
            out.append(f"{indent}  amount: {amounts(self.amount)}")
        if self.unit is not None:
            out.append(f"{indent}  unit_amount: {amounts(self.unit, 'rate')}")
        if self.rate is not None:
            out.append(f"{indent}  rate: {fmt(self.rate, 1)}")
            for name in ("fixed", "min", "max"):
                value = getattr(self, name)
                if value is not None:
                    out.append(f"{indent}  {name}: {amounts(value)}")
        if self.tiers:
            out.append(f"{indent}  tiers:")
            kind = "exact" if self.exact else "rate"
            for tier in self.tiers:
                bound = "null" if tier.up_to is None else str(tier.up_to)
                item = f"up_to: {bound}, unit_amount: {amounts(tier.unit, kind)}"
                if tier.flat is not None:
                    item += f", flat_amount: {amounts(tier.flat, kind)}"
                out.append(f"{indent}    - {{{item}}}")
        return out


@dataclass
class Plan:
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
        charges = [c.raised(factor) for c in self.charges]
        if self.yearly_of is not None:
            charges = [c.yearly() for c in charges]
        return charges

    def metrics(self) -> list[str]:
        return [c.metric for c in self.charges if c.metric]

    def period_price(self, quantity: int) -> Decimal:
        """USD price of one period at the first version, no usage (with the minimum)."""
        total = sum((c.period_price(quantity) for c in self.charges_at(self.versions[0][1])),
                    D(0))
        return max(total, self.minimum or D(0))

    def text(self) -> str:
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


@dataclass
class Product:
    id: str
    name: str
    description: str
    family: str
    category: str
    unit: str
    features: list[str]
    status: str
    available_from: dt.date
    available_until: dt.date | None
    tax_code: str
    comment: str
    cost_comment: str
    folder: str
    plans: list[Plan] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    override: bool = False  # a partner price override on its plans
    cost: Decimal | None = None

    @property
    def sellable(self) -> bool:
        return self.status in ("active", "deprecated")

    def text(self) -> str:
        out = wrap("# ", self.comment) if self.comment else []
        out += ["kind: product", f"id: {self.id}", f"name: {text(self.name)}"]
        out += folded("description", self.description)
        out += [f"category: {self.category}", f"unit: {self.unit}",
                f"features: {flow(self.features)}", f"status: {self.status}",
                f"available_from: {self.available_from.isoformat()}"]
        if self.available_until:
            out.append(f"available_until: {self.available_until.isoformat()}")
        out.append(f"tax_code: {self.tax_code}")
        if self.cost is not None:
            out += wrap("# ", self.cost_comment)
            out.append(f"cost: {{USD: {fmt(self.cost, 2)}}}")
        return "\n".join(out) + "\n"

    def pricing_text(self) -> str:
        return "---\n".join(plan.text() for plan in self.plans)


@dataclass
class Bundle:
    id: str
    name: str
    description: str
    components: list[tuple[Product, int]]
    plan: Plan

    def text(self) -> str:
        names = ", ".join(p.name for p, _ in self.components)
        out = wrap("# ", f"{self.name}: {names} on one bill, for less than buying them "
                   "apart (bundle-discount).")
        out += ["kind: bundle", f"id: {self.id}", f"name: {text(self.name)}"]
        out += folded("description", self.description)
        out += ["status: active", "components:"]
        out += [f"  - {{product: {p.id}, quantity: {q}}}" for p, q in self.components]
        return "\n".join(out) + "\n"


@dataclass
class Offering:
    plan: Plan
    upsell: list[str] = field(default_factory=list)
    cross_sell: list[str] = field(default_factory=list)
    override: bool = False


@dataclass
class Channel:
    id: str
    name: str
    description: str
    currencies: list[str]
    tax_inclusive: bool
    comment: str
    offerings: list[Offering] = field(default_factory=list)

    def text(self) -> str:
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


# --- families: what each kind of product sells -----------------------------------

@dataclass(frozen=True)
class Family:
    name: str
    category: str
    unit: str
    tax_code: str
    features: tuple[str, ...]
    channels: tuple[str, ...]  # where it may be sold
    noun: str  # "Fiber", "Mobile"
    blurb: str


FAMILIES = [
    Family("fiber", "connectivity", "line", "TELCO-BB",
           ("symmetric-speeds", "wifi-mesh", "parental-controls", "static-ip", "ipv6"),
           ("web", "retail", "enterprise"), "Fiber",
           "fibre broadband to the home or office, with a router and no data cap"),
    Family("mobile", "connectivity", "SIM", "TELCO-MOB",
           ("5g", "esim", "eu-roaming", "hotspot", "wifi-calling"),
           ("web", "retail", "enterprise"), "Mobile",
           "5G mobile lines with eSIM, roaming and a shared data pool"),
    Family("tv", "entertainment", "household", "MEDIA-STREAM",
           ("live-channels", "cloud-dvr", "4k", "sports-pack", "kids-profiles"),
           ("web", "retail"), "TV",
           "IPTV and streaming TV for the household, with cloud DVR and pay-per-view"),
    Family("storage", "cloud", "GB", "SAAS-STD",
           ("encryption", "versioning", "sharing", "object-lock", "audit-log"),
           ("web", "retail", "partner", "marketplace"), "Drive",
           "encrypted cloud file storage billed per GB-month stored"),
    Family("messaging", "cloud", "message", "SAAS-API",
           ("sms", "whatsapp", "delivery-receipts", "two-way", "short-codes"),
           ("web", "enterprise", "partner", "marketplace"), "Messaging API",
           "a messaging API for SMS and chat apps, billed per message sent"),
    Family("payments", "fintech", "transaction", "FIN-SVC",
           ("cards", "wallets", "next-day-payouts", "fraud-screening", "multi-currency"),
           ("web", "enterprise", "partner"), "Pay",
           "card and wallet acceptance for shops, billed per transaction"),
    Family("seats", "software", "seat", "SAAS-STD",
           ("sso", "audit-log", "shared-inbox", "analytics", "api-access"),
           ("web", "enterprise", "partner", "marketplace"), "Workspace",
           "a team workspace billed per seat, cheaper per seat as the team grows"),
    Family("backup", "cloud", "GB", "SAAS-STD",
           ("encryption", "immutable-copies", "bare-metal-restore", "m365-backup"),
           ("web", "enterprise", "partner", "marketplace"), "Backup",
           "managed backup for laptops, servers and cloud apps, billed per GB protected"),
    Family("device", "hardware", "device", "HW-STD",
           ("wifi-7", "mesh", "4k-hdr", "voice-remote", "ethernet-backhaul"),
           ("web", "retail"), "Router",
           "home network and TV hardware, bought outright with a two-year warranty"),
]
FAMILY_WEIGHTS = [16, 12, 9, 13, 12, 7, 12, 10, 9]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return D(rng.randint(low, high)) - D("0.01")


def _ladder(rng: random.Random, start: Decimal, steps: int) -> list[Decimal]:
    """Monthly price points, each at least 1.5 x the one below (an upsell is a step up)."""
    prices = [price_point(start)]
    for _ in range(steps - 1):
        prices.append(price_point(prices[-1] * D(rng.choice(["1.6", "1.8", "2.0", "2.2"]))))
    return prices


def family_charges(family: str, rng: random.Random, level: int,
                   price: Decimal) -> tuple[list[Charge], dict[str, object]]:
    """The charges of a monthly plan of ``family`` at ``level``, and extra plan fields."""
    extra: dict[str, object] = {}
    if family == "fiber":
        charges = [Charge("base", "Line fee", "recurring", "flat", amount=price)]
        if rng.random() < 0.4:
            charges.append(Charge("installation", "Installation by a technician", "one_time",
                                  "flat", amount=D(rng.choice([49, 99, 149]))))
        return charges, extra
    if family == "mobile":
        charges = [Charge("sims", "Line fee, per SIM", "recurring", "per_unit",
                          unit=quantize(price, 0) if price > 10 else price),
                   Charge("data", "Extra data, per 5 GB pack", "usage", "package",
                          metric="data_gb", included=[5, 10, 20][level % 3],
                          amount=D(rng.choice(["5.00", "6.00", "7.50"])), package_size=5)]
        if level >= 2:
            charges.append(Charge("roaming", "Roaming outside the EU, per GB", "usage",
                                  "per_unit", metric="roaming_gb",
                                  unit=D(rng.choice(["5.00", "7.00", "9.00"]))))
        return charges, extra
    if family == "tv":
        charges = [Charge("base", "Subscription fee", "recurring", "flat", amount=price),
                   Charge("ppv", "Pay-per-view events, per event", "usage", "per_unit",
                          metric="ppv_events", unit=D(rng.choice(["4.99", "9.99", "14.99"])))]
        if level and rng.random() < 0.5:
            extra["trial_days"] = 14
        return charges, extra
    if family == "storage":
        if level == 0:
            limit = rng.choice([5, 10, 15, 20])
            extra.update(free=True, limits={"storage_gb": limit})
            return [Charge("base", "Free tier", "recurring", "flat", amount=D("0.00")),
                    Charge("storage", f"Storage, per GB-month (free up to {limit} GB)",
                           "usage", "per_unit", metric="storage_gb", unit=D("0.00"))], extra
        first = D(rng.choice(["0.02", "0.025", "0.03"])) / level
        return [Charge("base", "Subscription fee", "recurring", "flat", amount=price),
                Charge("storage", "Storage beyond the included GB, per GB-month", "usage",
                       "graduated", metric="storage_gb", included=[0, 100, 2000][level],
                       tiers=(Tier(1000, quantize(first, 4)),
                              Tier(10000, quantize(first * D("0.7"), 4)),
                              Tier(None, quantize(first * D("0.4"), 4))))], extra
    if family == "messaging":
        first = D(rng.choice(["0.0090", "0.0079", "0.0075"])) * D(("1", "0.9", "0.8")[level])
        charges = [Charge("base", "Platform fee", "recurring", "flat", amount=price),
                   Charge("messages", "Messages sent, per message", "usage", "tapered",
                          metric="messages", included=[0, 1000, 10000][level],
                          tiers=(Tier(100000, quantize(first, 4)),
                                 Tier(1000000, quantize(first * D("0.8"), 4)),
                                 Tier(None, quantize(first * D("0.6"), 4))))]
        if level == 2:
            extra["minimum"] = price_point(price * 3)
        return charges, extra
    if family == "payments":
        rate = D(("2.9", "2.4")[level % 2])
        return [Charge("base", "Account fee", "recurring", "flat", amount=price),
                Charge("transactions", "Card transactions", "usage", "percentage",
                       metric="card_payments", rate=rate, fixed=D("0.30"), min=D("0.50"),
                       max=D(rng.choice(["10.00", "15.00", "25.00"])))], extra
    if family == "seats":
        seat = half_up_to(price)
        tiers = (Tier(10, seat), Tier(50, seat - D("1.50")), Tier(250, seat - D("3.00")),
                 Tier(None, seat - D("4.50")))
        if level and rng.random() < 0.5:
            extra["trial_days"] = 14
        return [Charge("seats", "Seats, per seat", "recurring", "volume",
                       tiers=tiers, exact=True).with_flats()], extra
    if family == "backup":
        return [Charge("base", "Subscription fee", "recurring", "flat", amount=price),
                Charge("protected", "Protected data beyond the included GB, per GB-month",
                       "usage", "per_unit", metric="protected_gb",
                       included=[50, 500, 2000][level],
                       unit=D(rng.choice(["0.05", "0.06", "0.08"])) / (level + 1))], extra
    assert family == "device"
    return [Charge("device", "Device, bought outright", "one_time", "flat",
                   amount=price)], extra


START_PRICE = {"fiber": (29, 55), "mobile": (12, 25), "tv": (12, 25), "storage": (3, 9),
               "messaging": (9, 29), "payments": (9, 19), "seats": (8, 12),
               "backup": (9, 25), "device": (59, 149)}


# --- the generator -----------------------------------------------------------------

def month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    following = month_start(day.year, day.month + 1)
    return following - dt.timedelta(days=1)


@dataclass
class Catalog:
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


def pricing_path(product: Product) -> str:
    return f"pricing/{product.folder}/{product.id}.yaml"


def config_text(n: int, largest: int) -> str:
    lines = [f"# Synthetic benchmark catalog (benchmarks/generate.py, N={n}).",
             "# Prices are set in USD and converted by the pricing team; fx-consistency",
             "# keeps every EUR and JPY price within 10 % of USD x rate.",
             "paths: [catalog, pricing, scenarios]",
             "base_currency: USD",
             "fx:",
             "  rates: {EUR: 0.92, JPY: 150}",
             "  tolerance: 0.10",
             "rounding: half_up"]
    if largest > MiB // 2:
        # The web channel lists tens of thousands of offerings in one file.
        limit = MiB
        while limit < 2 * largest:
            limit *= 2
        lines.append(f"max_file_bytes: {limit}")
    return "\n".join(lines) + "\n"


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


def layout(n: int) -> tuple[int, int, int, int]:
    """(products, bundles, promotions, scenarios) so that the catalog holds about n files."""
    scenarios = min(SCENARIOS, max(10, n // 5))
    bundles = max(2, n // 100)
    promotions = max(2, n // 250)
    products = max(12, (n - 6 - scenarios - promotions - 2 * bundles) // 2)
    return products, bundles, promotions, scenarios


def make_product(rng: random.Random, index: int, family: Family) -> Product:
    brand = rng.choice(BRANDS)
    code, region = rng.choice(REGIONS)
    pid = f"{brand.lower()}-{family.name}-{code.lower()}-{index:05d}"
    name = f"{brand} {family.noun} {code} {index}"
    roll = rng.random()
    status = ("draft" if roll < 0.04 else "retired" if roll < 0.07 else
              "deprecated" if roll < 0.10 else "active")
    launch = month_start(2024, rng.randint(1, 33))  # 2024-01 .. 2026-09
    until: dt.date | None = None
    if status == "draft":
        launch = month_start(2027, rng.randint(3, 9))
    elif status == "retired":
        launch = month_start(2024, rng.randint(1, 18))
        until = dt.date(2026, rng.randint(1, 9), 28)
    elif status == "deprecated":
        until = month_end(month_start(2027, rng.randint(6, 12)))
    elif roll < 0.12:
        launch = month_start(2027, rng.randint(1, 2))  # announced, not yet on sale
    elif roll < 0.20:
        until = dt.date(2028, 12, 31)
    features = sorted(rng.sample(family.features, rng.randint(3, len(family.features))))
    description = f"{family.blurb[0].upper()}{family.blurb[1:]}, sold in {region}."
    if rng.random() < 0.5:
        description += f" {rng.choice(PITCH)}"
    comment = f"{name}: {rng.choice(NOTES)}" if rng.random() < 0.3 else ""
    return Product(pid, name, description, family.name, family.category, family.unit,
                   features, status, launch, until, family.tax_code, comment,
                   rng.choice(COST_NOTES), family.name)


PITCH = ["Month to month, cancel any time.", "Includes 24/7 support in the local language.",
         "Backed by a 99.9 % availability commitment.", "No setup fee on the standard plans.",
         "Upgrade or downgrade at the next billing period.",
         "Volume pricing for larger customers through the sales team."]
NOTES = ["prices are reviewed every quarter by the Pricing Council.",
         "launch checklist signed off by legal, tax and support.",
         "see the product brief in the wiki for positioning and competitors.",
         "price changes go out as new plan versions with 30 days' notice.",
         "regional prices follow the group FX policy (USD base)."]
COST_NOTES = ["Unit cost per the latest finance model (network, licences, support).",
              "Fully loaded unit cost; margin-floor keeps every price 30 % above it.",
              "Supplier price plus logistics and support, per unit."]


def make_plans(rng: random.Random, product: Product) -> list[Plan]:
    family = product.family
    names = LEVELS[family]
    count = min(len(names), rng.choices([1, 2, 3], [50, 38, 12])[0])
    if family == "storage":
        count = max(count, 2)  # a free tier always has a paid step up
    low, high = START_PRICE[family]
    ladder = _ladder(rng, _money(rng, low, high), count)
    first = product.available_from if product.available_from > dt.date(2024, 6, 1) \
        else month_start(2024, rng.randint(6, 12))
    first = max(first, product.available_from)
    raise_roll = rng.random()
    versions: list[tuple[dt.date, Decimal]] = [(first, D(1))]
    if product.status != "draft" and first < dt.date(2026, 1, 1) and raise_roll < 0.15:
        versions.append((month_start(2026, rng.randint(2, 10)), D("1.05")))
    elif product.status == "active" and first < TODAY and raise_roll < 0.25:
        versions.append((month_start(2027, rng.randint(1, 2)), D("1.04")))
    period = "one_time" if family == "device" else "month"
    plans: list[Plan] = []
    short = product.id.split("-")[-1]
    for level in range(count):
        level_name = names[level]
        charges, extra = family_charges(family, rng, level, ladder[level])
        plan_name = f"{product.name.rsplit(' ', 2)[0]} {level_name}"
        suffix = level_name.lower().replace(" ", "-")
        free = bool(extra.get("free"))
        sku = f"{family[:3].upper()}-{short}-{suffix[:3].upper()}"
        plan = Plan(
            id=f"{product.id}-{suffix}" + ("" if period == "one_time" else "-monthly"),
            name=plan_name, sku=sku,
            description=f"{PLAN_PITCH[family][level].capitalize()}.",
            owner=("product", product.id), billing_period=period, charges=charges,
            versions=[(first, D(1))] if free else list(versions), family=family, level=level,
            free=free, trial_days=extra.get("trial_days"),  # type: ignore[arg-type]
            limits=extra.get("limits", {}),  # type: ignore[arg-type]
            features=product.features[:level + 2] if rng.random() < 0.6 else [],
            minimum=extra.get("minimum"),  # type: ignore[arg-type]
            comment=(f"{plan_name}: {PLAN_PITCH[family][level]}." if rng.random() < 0.15
                     else ""))
        plans.append(plan)
        if period == "month" and not free and plan.minimum is None and rng.random() < 0.25:
            plans.append(Plan(
                id=f"{product.id}-{suffix}-yearly", name=plan_name, sku=sku,
                description=f"{level_name} plan of {product.name}, paid yearly "
                "(about two months free).",
                owner=plan.owner, billing_period="year", charges=charges,
                versions=list(plan.versions), family=family, level=level,
                trial_days=plan.trial_days, features=plan.features,
                comment="The yearly sibling (same product and name): about ten months' "
                "price, which interval-ratio keeps within 9-12 x the monthly plan.",
                yearly_of=plan))
    return plans


PLAN_PITCH = {
    "fiber": ["the everyday line for a small household", "more speed for streaming and gaming",
              "gigabit speeds for busy homes and offices", "our fastest line, multi-gigabit"],
    "mobile": ["a 5G line with a shared data pool", "more data and EU roaming included",
               "unlimited domestic data, hotspot and Wi-Fi calling"],
    "tv": ["live channels and cloud DVR", "more channels and more DVR hours",
           "everything plus 4K, the sports pack and kids profiles"],
    "storage": ["a small free tier, capped", "storage that grows with you, per GB beyond "
                "the allowance", "large allowances and audit logs for teams"],
    "messaging": ["pay as you send, tapered per message", "lower rates and a monthly "
                  "allowance", "our lowest rates with a monthly commitment"],
    "payments": ["card acceptance with a small monthly fee", "lower rates for higher volumes"],
    "seats": ["per-seat pricing for small teams", "SSO and audit logs, per seat",
              "enterprise controls and API access, per seat"],
    "backup": ["laptop and server backup with an allowance", "business backup with "
               "immutable copies"],
    "device": ["the standard model", "the pro model with the latest radio"],
}


def cost_of(product: Product) -> Decimal | None:
    """Half the lowest USD price per unit of the product's paid plans (margin 100 %)."""
    prices = [p for plan in product.plans if not plan.free
              for c in plan.charges_at(D(1)) for p in c.unit_prices() if p > 0]
    if not prices:
        return None
    cheapest = min(prices) / 2
    places = max(2, 1 - cheapest.adjusted())  # two significant digits
    return quantize(cheapest, places, ROUND_FLOOR)


def build(n: int, seed: int = 1) -> Catalog:
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


def make_bundles(rng: random.Random, products: list[Product], count: int,
                 channels: dict[str, Channel]) -> list[Bundle]:
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


def make_promotions(rng: random.Random, channels: list[Channel],
                    count: int) -> tuple[dict[str, str], list[dict[str, object]]]:
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


def usage_for(rng: random.Random, plan: Plan) -> dict[str, str]:
    usage: dict[str, str] = {}
    for charge in plan.charges:
        metric = charge.metric
        if metric is None:
            continue
        if charge.model == "percentage":
            tickets = [fmt(D(rng.randint(300, 90000)) / 100, 2) for _ in range(rng.randint(3, 8))]
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
                lines.append(f"    start: {(start + dt.timedelta(days=rng.randint(1, 20)))}")
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


# --- the 1 % change ---------------------------------------------------------------

def change(catalog: Catalog, percent: float, seed: int) -> dict[str, tuple[str, str]]:
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


# --- command line ------------------------------------------------------------------

def write(out: Path, files: dict[str, str]) -> None:
    for relative, content in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, metavar="N", help="about how many files to write")
    parser.add_argument("out", type=Path, metavar="OUT", help="the catalog root to write")
    parser.add_argument("--base-seed", type=int, default=1,
                        help="seed of the catalog itself (default 1)")
    parser.add_argument("--change-percent", type=float, default=None, metavar="PCT",
                        help="edit an existing catalog (same N and --base-seed): raise the "
                        "prices of PCT %% of N products from " + CHANGE_DAY.isoformat())
    parser.add_argument("--seed", type=int, default=2,
                        help="seed that picks the products --change-percent edits (default 2)")
    args = parser.parse_args(argv)
    if args.n < 50:
        parser.error("N must be at least 50")
    catalog = build(args.n, args.base_seed)
    out: Path = args.out
    if args.change_percent is None:
        if out.exists() and any(out.iterdir()):
            parser.error(f"{out} is not empty")
        files = catalog.files()
        write(out, files)
        size = sum(len(t.encode()) for t in files.values())
        print(f"wrote {len(files)} files, {size / 1e6:.1f} MB, {len(catalog.products)} "
              f"products, {sum(len(p.plans) for p in catalog.products) + len(catalog.bundles)}"
              f" plans to {out}", file=sys.stderr)
        return 0
    if not 0 < args.change_percent <= 100:
        parser.error("--change-percent must be in (0, 100]")
    edits = change(catalog, args.change_percent, args.seed)
    for relative, (before, _) in edits.items():
        path = out / relative
        if not path.is_file() or path.read_bytes() != before.encode("utf-8"):
            parser.error(f"{path} is not as `generate.py {args.n} --base-seed "
                         f"{args.base_seed}` wrote it (changed twice, or another N?)")
    write(out, {relative: after for relative, (_, after) in edits.items()})
    print(f"changed {len(edits)} pricing files (new versions from {CHANGE_DAY}) in {out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
