"""currency-coverage: an offered plan without a price in a currency its channel sells in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Charge, Plan
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.offers import Keys, Offer, offers

# --- currency-coverage -------------------------------------------------------------


def _price_field(charge: Charge, currency: str) -> Keys:
    """Where ``charge`` lacks its ``currency`` price, below the charge."""
    if charge.model in ("flat", "package"):
        return ("amount",)
    if charge.model == "per_unit":
        return ("unit_amount",)
    if charge.model == "percentage":
        return next((f,) for f in ("fixed", "min", "max")
                    if getattr(charge, f) and currency not in getattr(charge, f))
    for index, tier in enumerate(charge.tiers):
        for field in ("unit_amount", "flat_amount"):
            amounts = getattr(tier, field)
            if amounts and currency not in amounts:
                return ("tiers", index, field)
    return ("tiers",)


def _sold_versions(plan: Plan, today: dt.date) -> Iterator[tuple[int, str]]:
    """The versions a customer can still buy: the one in effect today and later ones."""
    current = plan.version_on(today)
    for index, version in enumerate(plan.versions):
        if version is current or version.effective_from > today:
            yield index, version.effective_from.isoformat()


Gap = tuple[tuple[str, ...], Keys, str]
"""A missing price: (problem key, keys of the price below its owner, label)."""


def _plan_gaps(plan: Plan, currency: str, today: dt.date) -> list[Gap]:
    """Where ``plan``'s own sold versions and minimum lack a ``currency`` price."""
    gaps: list[Gap] = []
    if plan.minimum and currency not in plan.minimum:
        gaps.append(((plan.id, "minimum", currency), ("minimum",),
                     f"plan {plan.id}'s minimum"))
    for v, day in _sold_versions(plan, today):
        version = plan.versions[v]
        for c, charge in enumerate(version.charges):
            if not charge.priced_in(currency):
                gaps.append(((plan.id, day, charge.id, currency),
                             ("versions", v, "charges", c, *_price_field(charge, currency)),
                             f"plan {plan.id}, version {day}, charge {charge.id}"))
        for p, phase in enumerate(version.phases):
            for c, charge in enumerate(phase.charges):
                if not charge.priced_in(currency):
                    gaps.append(((plan.id, day, phase.id, charge.id, currency),
                                 ("versions", v, "phases", p, "charges", c,
                                  *_price_field(charge, currency)),
                                 f"plan {plan.id}, version {day}, phase {phase.id}, "
                                 f"charge {charge.id}"))
    return gaps


def _override_gaps(offer: Offer, charges: tuple[Charge, ...], currency: str) -> list[Gap]:
    """Where an offering's override charges lack a ``currency`` price."""
    return [((offer.channel.id, offer.plan.id, charge.id, currency),
             ("offerings", offer.index, "price_override", "charges", c,
              *_price_field(charge, currency)),
             f"channel {offer.channel.id}'s price override of plan {offer.plan.id}, "
             f"charge {charge.id}")
            for c, charge in enumerate(charges) if not charge.priced_in(currency)]


@rule("currency-coverage", Severity.ERROR, cost="charges")
def currency_coverage(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An offered plan without a price in a currency its channel sells in.

    ## What it does
    For every plan a channel offers, checks that each charge can be priced
    in each of the channel's `currencies` (`Charge.priced_in`: a flat or
    package `amount`, a `unit_amount`, every tier, and a percentage fee's
    `fixed`/`min`/`max` once written), and so does the plan's `minimum`.
    The versions checked are the one in effect today and the later ones.
    With a channel `price_override`, `percent` scales the plan's own
    amounts, so they must cover the currency; override `charges` replace
    them, so those must. Free plans are exempt. One finding per charge and
    currency, at the price that lacks it, naming every channel that needs it.

    ## Why is this bad?
    A customer who picks that currency at checkout gets no price: the
    invoice fails, or a billing system falls back to another currency.

    ## Example
    ```yaml
    kind: channel
    id: web
    currencies: [USD, EUR]
    offerings:
      - plan: storage-standard   # amount: {USD: 5.00}
    ```

    ## Use instead
    ```yaml
    # pricing/storage.yaml, in the charge:
    amount: {USD: 5.00, EUR: 4.60}
    ```
    """
    # A plan is checked once per currency, however many channels offer it.
    plan_gaps: dict[tuple[str, str], list[Gap]] = {}
    needed: dict[tuple[str, ...], list[tuple[Offer, int]]] = {}
    places: dict[tuple[str, ...], tuple[Location, str]] = {}
    for offer in offers(catalog):
        plan, override = offer.plan, offer.offering.price_override
        if plan.free:
            continue
        for position, currency in enumerate(offer.channel.currencies):
            if (plan.id, currency) not in plan_gaps:
                plan_gaps[plan.id, currency] = _plan_gaps(plan, currency, ctx.today)
            gaps = plan_gaps[plan.id, currency]
            if override is not None and override.charges is not None:
                # the override replaces the charges; the plan's minimum still applies
                gaps = [g for g in gaps if g[1] == ("minimum",)]
                gaps += _override_gaps(offer, override.charges, currency)
            for key, keys, label in gaps:
                needed.setdefault(key, []).append((offer, position))
                if key not in places:
                    owner = offer.channel if keys[0] == "offerings" else plan
                    places[key] = (owner.origin.at(*keys), label)
    for key, wanted in needed.items():
        where, label = places[key]
        currency = key[-1]
        ids = sorted({offer.channel.id for offer, _ in wanted})
        channels = ", ".join(ids)
        who = f"channel {channels} offers" if len(ids) == 1 else f"channels {channels} offer"
        yield ctx.finding(
            where, f"{label} has no {currency} price, but {who} plan {wanted[0][0].plan.id} "
            f"in {currency}",
            f"add {currency} to the amounts here, or stop offering the plan in {channels}",
            key=":".join(key),
            related=[(offer.channel.origin.at("currencies", position),
                      f"channel {offer.channel.id} sells {currency}")
                     for offer, position in wanted])
