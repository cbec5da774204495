"""Offers: a plan on sale in a channel, where it is written, and whether its product can
be sold on a day. Each caller builds its indexes once, so that none is quadratic in the
size of the catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from monops_lint.catalog import Catalog
from monops_lint.findings import Location
from monops_lint.model import Channel, Offering, Plan, Product

Keys = tuple[object, ...]


@dataclass(frozen=True)
class Offer:
    """A plan on sale in a channel, with where the offering is written."""

    channel: Channel
    index: int  # of the offering in the channel's file
    offering: Offering
    plan: Plan

    def at(self, *keys: object) -> Location:
        """A location below the offering (its ``plan`` item by default)."""
        return self.channel.origin.at("offerings", self.index, *(keys or ("plan",)))


def offers(catalog: Catalog) -> Iterator[Offer]:
    """Every offering of a plan that exists, channel by channel."""
    for channel in catalog.channels.values():
        for index, offering in enumerate(channel.offerings):
            plan = catalog.plans.get(offering.plan)
            if plan is not None:
                yield Offer(channel, index, offering, plan)


def unavailable(product: Product, today: dt.date,
                starts: dt.date) -> tuple[str, str] | None:
    """Why ``product`` cannot be sold by an offer that starts on ``starts``: (reason, field).

    Retired and draft products cannot be sold at all; a product whose
    ``available_until`` is before today no longer (its last day is still fine). A product not yet
    available is a problem only if the offer starts before it: a plan whose
    first version takes effect on or after ``available_from`` is a
    pre-announced launch.
    """
    if product.status == "retired":
        return "is retired", "status"
    if product.status == "draft":
        return "is still a draft", "status"
    if product.available_until is not None and product.available_until < today:
        return f"was available only until {product.available_until}", "available_until"
    opens = max(today, starts)
    if product.available_from is not None and product.available_from > opens:
        return f"is not available until {product.available_from}", "available_from"
    return None


def first_effective(plan: Plan) -> dt.date:
    """The day a plan's earliest version takes effect: when it can first be sold."""
    return min(v.effective_from for v in plan.versions)


# --- lifecycle and bundle-availability ---------------------------------------------
