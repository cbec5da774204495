"""Products: one per file, each with a ladder of monthly plans (and some yearly siblings)
in one pricing file beside it."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from benchmarks.catalog.dates import TODAY, month_end, month_start
from benchmarks.catalog.families import START_PRICE, Family, family_charges
from benchmarks.catalog.plans import Plan
from benchmarks.catalog.prices import D, amount_text, price_point, round_to
from benchmarks.catalog.yaml_text import flow, folded, text, wrap

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


@dataclass
class Product:
    """A product and, once they are made, its plans and the channels that sell it."""

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
        """Whether channels offer it (active or deprecated; not draft or retired)."""
        return self.status in ("active", "deprecated")

    def text(self) -> str:
        """The product's YAML document."""
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
            out.append(f"cost: {{USD: {amount_text(self.cost, 'USD')}}}")
        return "\n".join(out) + "\n"

    def pricing_text(self) -> str:
        """Its plans' YAML documents: the pricing file."""
        return "---\n".join(plan.text() for plan in self.plans)


def pricing_path(product: Product) -> str:
    """Where ``product``'s plans are written, relative to the catalog root."""
    return f"pricing/{product.folder}/{product.id}.yaml"


def make_product(rng: random.Random, index: int, family: Family) -> Product:
    """Product number ``index`` of ``family``: its name, status, dates and features."""
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


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    """A price just under a whole number of dollars between ``low`` and ``high``."""
    return D(rng.randint(low, high)) - D("0.01")


def _ladder(rng: random.Random, start: Decimal, steps: int) -> list[Decimal]:
    """Monthly price points, each at least 1.5 x the one below (an upsell is a step up)."""
    prices = [price_point(start)]
    for _ in range(steps - 1):
        prices.append(price_point(prices[-1] * D(rng.choice(["1.6", "1.8", "2.0", "2.2"]))))
    return prices


def make_plans(rng: random.Random, product: Product) -> list[Plan]:
    """``product``'s plans: a ladder of monthly levels, some with a yearly sibling."""
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


def cost_of(product: Product) -> Decimal | None:
    """Half the lowest USD price per unit of the product's paid plans (margin 100 %)."""
    prices = [p for plan in product.plans if not plan.free
              for c in plan.charges_at(D(1)) for p in c.unit_prices() if p > 0]
    if not prices:
        return None
    cheapest = min(prices) / 2
    places = max(2, 1 - cheapest.adjusted())  # two significant digits
    return round_to(cheapest, places, ROUND_FLOOR)
