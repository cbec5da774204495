"""One charge of a plan version, set in USD, and how it is raised, made yearly and written."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal

from benchmarks.catalog.prices import D, amounts, ceil_to_half, rise, round_to
from benchmarks.catalog.yaml_text import decimal_text, text


@dataclass(frozen=True)
class Tier:
    """One tier of a graduated, tapered or volume charge."""

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
        """This charge with every price raised by ``factor``."""
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
        yearly = None if self.amount is None else round_to(self.amount * 10, 0, ROUND_FLOOR)
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
                flat = ceil_to_half(before.up_to * (before.unit - tier.unit) + (before.flat or 0))
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
        """This charge as an item of a version's ``charges:`` list."""
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
            out.append(f"{indent}  rate: {decimal_text(self.rate, 1)}")
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
