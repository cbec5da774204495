"""margin-floor: a paid plan's prices against its product's unit cost plus a margin.

Every price is the pricing engine's (``price_charge`` for a rate,
``plan_lines`` for a billing period, see ``support.prices``); the rule only
compares them with ``cost × (1 + min_margin)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Charge, Plan
from monops_lint.money import ZERO, CurrencyError, number_str
from monops_lint.pricing import PricingError, price_charge
from monops_lint.pricing.charges import money_arithmetic
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.prices import (
    ONE,
    PERIOD_MONTHS,
    ChannelPrice,
    catalog_prices,
    money,
    percent,
    price_key,
    rate,
    sold_as,
)

UnitPrice = tuple[tuple[object, ...], Decimal, str]
"""(keys below the charge, price of one unit, what was priced) - one comparable price."""


def _tier_quantity(charge: Charge, number: int, plan: Plan) -> Decimal | None:
    """The most billable units tier ``number`` can hold: its bound, or the plan's limit."""
    tier = charge.tiers[number]
    if tier.up_to is not None:
        return tier.up_to
    metric = charge.usage_metric if charge.type == "usage" else None
    limit = plan.limits.get(metric) if metric is not None else None
    below = charge.tiers[number - 1].up_to if number else ZERO
    if limit is not None and below is not None and limit - charge.included > below:
        return limit - charge.included
    return None


def _unit_prices(charge: Charge, currency: str, plan: Plan) -> Iterator[UnitPrice]:
    """The engine's price of one unit at each rate of ``charge``; raises ``PricingError``.

    Flat fees are not rates (``_period_floor`` compares them); one-time
    charges of a recurring plan are set-up fees, not the price of a unit.
    """
    if charge.type == "one_time" and plan.billing_period != "one_time":
        return
    if charge.model == "per_unit":
        yield ("unit_amount", currency), price_charge(charge, currency, ONE).amount, "the rate"
    elif charge.model == "package":
        size = charge.package_size
        if size > 0:
            package = price_charge(charge, currency, size).amount
            yield (("amount", currency), package / size,
                   f"{money(package, currency)} per {number_str(size)}")
    elif charge.model in ("volume", "graduated", "tapered"):
        below = ZERO
        for number, tier in enumerate(charge.tiers):
            field = "unit_amount" if currency in tier.unit_amount else "flat_amount"
            keys = ("tiers", number, field, currency)
            top = _tier_quantity(charge, number, plan)
            if top is not None and top > below:
                priced = price_charge(charge, currency, top)
                if charge.model == "volume":
                    yield keys, priced.amount / top, f"tier {number + 1}, at {number_str(top)}"
                else:
                    portion = priced.breakdown[-1]
                    yield keys, portion.amount / portion.units, f"tier {number + 1}"
            elif tier.up_to is None:
                # Unbounded: its flat fee spreads over ever more units; its rate remains.
                priced = price_charge(charge, currency, below + 1)
                unit = priced.breakdown[-1].unit_amount if priced.breakdown else ZERO
                yield keys, unit, f"tier {number + 1}"
            if tier.up_to is None:
                break
            below = tier.up_to


@rule("margin-floor", Severity.ERROR, options={"min_margin": Decimal("0.3")},
      cost="prices")
def margin_floor(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A paid plan priced below `cost × (1 + min_margin)` per unit of its product.

    ## What it does
    Compares every price per unit of a paid plan with its product's `cost`
    in the same currency, plus `min_margin` (default 0.3, i.e. 30 %). Free
    plans are exempt; so are bundle plans (a bundle has no cost of its own)
    and currencies the product has no `cost` in. `min_margin` is a number
    from -1 to 100 (a floor from no price at all to 101 × cost); another
    value is a config error.

    A unit is what the product's quantities count (its `unit`), and every
    price is the pricing engine's. A plan with a flat fee is compared by
    the price of one unit for one period: its recurring charges at
    quantity 1 and any minimum true-up, per month for quarterly and yearly
    plans (a subscription product's cost is per unit and month, as the
    example catalog writes it); a `one_time` plan by its one-time charges.
    That is lenient for a flat fee that covers many units (an allowance):
    it is compared as if it bought one. Then every rate: a `per_unit` rate;
    a `package` price divided by its size; for tiered charges, each tier's
    price per unit when the tier is full (its units, rate and flat fee; a
    `volume` tier prices all units, so all of them count), and for an
    unbounded last tier its rate (its flat fee spreads over ever more
    units) unless the plan's `limits` cap the metric. Not compared: prices
    of zero (free allowances, paid for by the plan's other charges), `flat`
    usage fees, `percentage` fees (a share of a payment has no unit cost),
    and a recurring plan's one-time charges (set-up fees, not the price of
    a unit). Looked at: the version in effect today and every later one,
    at the catalog price and at every channel's `price_override` (a percent
    override is reported at its `percent`).

    ## Why is this bad?
    Every unit sold below cost plus margin loses money, and the more the
    plan sells, the more it loses.

    ## Example
    ```yaml
    kind: product
    id: fiber
    cost: {USD: 14.00}
    ---
    kind: plan
    id: fiber-basic
    product: fiber
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 15.00}}  # floor 18.20
    ```

    ## Use instead
    ```yaml
    charges:
      - {id: base, type: recurring, model: flat, amount: {USD: 19.99}}
    ```
    """
    margin = Decimal(str(ctx.options.get("min_margin", "0.3")))
    for price in catalog_prices(catalog, ctx.today, percent_overrides=True):
        plan = price.plan
        product = catalog.products.get(plan.product)
        if plan.free or product is None or not product.cost:
            continue
        try:
            charges = price.charges()
        except PricingError:
            continue
        unit = product.unit or "unit"
        for currency, cost in product.cost.items():
            floor = Floor(currency, cost, margin, unit)
            yield from _period_floor(ctx, price, charges, floor)
            for index, charge in enumerate(charges):
                yield from _below_floor(ctx, price, index, charge, floor)


@dataclass(frozen=True)
class Floor:
    """The lowest price per unit margin-floor lets through, in one currency."""

    currency: str
    cost: Decimal
    margin: Decimal
    unit: str

    @property
    def amount(self) -> Decimal:
        """``cost × (1 + margin)``, exact."""
        with money_arithmetic("margin floor"):
            return self.cost * (1 + self.margin)

    def words(self) -> str:
        """``below the margin floor of USD 18.20 (cost USD 14.00 + 30 %)``."""
        return (f"below the margin floor of {rate(self.amount, self.currency)} (cost "
                f"{rate(self.cost, self.currency)} + {percent(self.margin * 100)} %)")

    def hint(self) -> str:
        """How to fix a price below the floor."""
        return (f"price it at {rate(self.amount, self.currency)} per {self.unit} or more, or "
                "suppress this line with the reason if selling below the floor is intended")


def _override_at(price: ChannelPrice) -> Location | None:
    """The ``percent`` of a percent override: where a scaled price is set."""
    if price.override and not price.writes_charges:
        return price.offering_at("price_override", "percent")
    return None


def _period_floor(ctx: RuleContext, price: ChannelPrice, charges: tuple[Charge, ...],
                  floor: Floor) -> Iterator[Finding]:
    """The price of one unit for a period, when the plan has a flat fee, against the floor."""
    one_time = price.plan.billing_period == "one_time"
    fee = "one_time" if one_time else "recurring"
    if not any(c.model == "flat" and c.type == fee for c in charges):
        return
    currency = floor.currency
    total = price.period_price(currency, ctx.config.rounding, first=one_time, memo=ctx.prices)
    months = PERIOD_MONTHS.get(price.plan.billing_period)
    if not total or total / (months or 1) >= floor.amount:
        return
    period = "" if one_time else f" a {price.plan.billing_period}"
    monthly = (f" ({money(total / months, currency)} a month)" if months and months > 1
               else "")
    who = sold_as(price, ctx.today)
    yield ctx.finding(
        _override_at(price) or price.price_at(currency),
        f"{who}: {money(total, currency)}{period} for one {floor.unit}{monthly} is "
        f"{floor.words()}", floor.hint(), key=f"{price_key(price)}:period:{currency}",
        related=[(price.plan.origin.at("product"), "the product whose cost applies")])


def _below_floor(ctx: RuleContext, price: ChannelPrice, index: int, charge: Charge,
                 floor: Floor) -> Iterator[Finding]:
    """Each rate of ``charge`` (per unit) against the floor."""
    try:
        with money_arithmetic(f"charge {charge.id!r}"):
            unit_prices = list(_unit_prices(charge, floor.currency, price.plan))
    except (PricingError, CurrencyError):
        return
    who = sold_as(price, ctx.today)
    for keys, per_unit, what in unit_prices:
        if per_unit == 0 or per_unit >= floor.amount:
            continue
        yield ctx.finding(
            _override_at(price) or price.charge_at(index, *keys),
            f"{who}, charge {charge.id} ({what}): {rate(per_unit, floor.currency)} per "
            f"{floor.unit} is {floor.words()}", floor.hint(),
            key=f"{price_key(price)}:{charge.id}:{':'.join(map(str, keys))}",
            related=[(price.plan.origin.at("product"), "the product whose cost applies")])
