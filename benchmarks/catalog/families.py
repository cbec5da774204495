"""Product families: what each kind of product sells, where, and the charges of its plans."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from benchmarks.catalog.charges import Charge, Tier
from benchmarks.catalog.prices import D, ceil_to_half, price_point, round_to


@dataclass(frozen=True)
class Family:
    """A kind of product: its catalog fields and the channels allowed to sell it."""

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
START_PRICE = {"fiber": (29, 55), "mobile": (12, 25), "tv": (12, 25), "storage": (3, 9),
               "messaging": (9, 29), "payments": (9, 19), "seats": (8, 12),
               "backup": (9, 25), "device": (59, 149)}
"""The range, in whole USD, of a family's cheapest monthly price."""


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
                          unit=round_to(price, 0) if price > 10 else price),
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
                       tiers=(Tier(1000, round_to(first, 4)),
                              Tier(10000, round_to(first * D("0.7"), 4)),
                              Tier(None, round_to(first * D("0.4"), 4))))], extra
    if family == "messaging":
        first = D(rng.choice(["0.0090", "0.0079", "0.0075"])) * D(("1", "0.9", "0.8")[level])
        charges = [Charge("base", "Platform fee", "recurring", "flat", amount=price),
                   Charge("messages", "Messages sent, per message", "usage", "tapered",
                          metric="messages", included=[0, 1000, 10000][level],
                          tiers=(Tier(100000, round_to(first, 4)),
                                 Tier(1000000, round_to(first * D("0.8"), 4)),
                                 Tier(None, round_to(first * D("0.6"), 4))))]
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
        seat = ceil_to_half(price)
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
