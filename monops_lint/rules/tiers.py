"""Tier rules: tier-order, tier-unbounded, tapered-rates, allowance-overlap, unreachable-tier.

Every rule here reads the same charges: each tiered charge (``volume``,
``graduated``, ``tapered``) of every version of every plan, and of every
channel's ``price_override.charges`` (which replace the plan's charges in
that channel, so they are priced just the same).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Charge, Tier
from monops_lint.money import ZERO, brief_number, number_str
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.charges import WrittenCharge, written_charges

TIERED = frozenset({"volume", "graduated", "tapered"})


def tiered_charges(catalog: Catalog) -> Iterator[WrittenCharge]:
    """Every tiered charge written in the catalog (``written_charges``)."""
    return written_charges(catalog, _tiered)


def _tiered(charge: Charge) -> bool:
    return charge.model in TIERED and bool(charge.tiers)


def well_ordered(tiers: tuple[Tier, ...]) -> bool:
    """Whether ``up_to`` rises strictly from above 0 and only the last tier is unbounded."""
    previous = ZERO
    for number, tier in enumerate(tiers, start=1):
        if tier.up_to is None:
            return number == len(tiers)
        if tier.up_to <= previous:
            return False
        previous = tier.up_to
    return True


def billable_cap(item: WrittenCharge) -> Decimal | None:
    """The most units a usage charge can bill per period under its plan's ``limits``."""
    charge, plan = item.charge, item.plan
    metric = charge.usage_metric if charge.type == "usage" else None
    if plan is None or metric is None or metric not in plan.limits:
        return None
    return max(plan.limits[metric] - charge.included, ZERO)


def _bound(value: Decimal | None) -> str:
    return "null" if value is None else number_str(value)


@rule("tier-order", Severity.ERROR)
def tier_order(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Tier bounds that do not rise, or an unbounded tier before the last one.

    ## What it does
    Checks the tiers of every tiered charge (`volume`, `graduated`,
    `tapered`) in every plan version and every channel price override:
    each `up_to` must be above the one before it (the first above 0, since
    a tier holds the units `(previous up_to, up_to]`), and only the last
    tier may be unbounded (`up_to: null`). A tier written after an
    unbounded one is compared with the last bounded tier before it.

    ## Why is this bad?
    Tiers are read in order: a tier whose `up_to` does not rise holds no
    units, so its price is never charged, and a `null` in the middle
    swallows every unit above it. The pricing engine refuses such charges,
    so every invoice for the plan fails.

    ## Example
    ```yaml
    model: graduated
    tiers:
      - {up_to: 1000, unit_amount: {USD: 0.023}}
      - {up_to: 500, unit_amount: {USD: 0.021}}
      - {up_to: null, unit_amount: {USD: 0.019}}
    ```

    ## Use instead
    ```yaml
    model: graduated
    tiers:
      - {up_to: 500, unit_amount: {USD: 0.023}}
      - {up_to: 1000, unit_amount: {USD: 0.021}}
      - {up_to: null, unit_amount: {USD: 0.019}}
    ```
    """
    for item in tiered_charges(catalog):
        tiers = item.charge.tiers
        previous, previous_number = ZERO, 0
        for number, tier in enumerate(tiers, start=1):
            if tier.up_to is None:
                if number != len(tiers):
                    yield ctx.finding(
                        item.at("tiers", number - 1, "up_to"),
                        f"{item.label}: tier {number} of {len(tiers)} is unbounded "
                        "(up_to: null), so the tiers after it are never reached",
                        "only the last tier may have `up_to: null`; give this tier a bound, "
                        "or move it to the end",
                        key=f"{item.key}:tier{number}:null",
                        related=[(item.at("tiers", len(tiers) - 1), "the last tier")])
                continue
            if tier.up_to <= previous:
                if previous_number:
                    message = (f"{item.label}: tier {number} up_to {_bound(tier.up_to)} does not "
                               f"rise above tier {previous_number}'s up_to {_bound(previous)}")
                    related = [(item.at("tiers", previous_number - 1, "up_to"),
                                f"tier {previous_number}'s up_to")]
                else:
                    message = (f"{item.label}: tier {number} up_to {_bound(tier.up_to)} holds "
                               "no units (bounds start above 0)")
                    related = []
                yield ctx.finding(
                    item.at("tiers", number - 1, "up_to"),
                    message, "write the tiers in rising order of `up_to`, each bound "
                    "above the one before; merge or remove a tier that holds no units",
                    key=f"{item.key}:tier{number}:order", related=related)
                continue
            previous, previous_number = tier.up_to, number


@rule("tier-unbounded", Severity.ERROR)
def tier_unbounded(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """The last tier is bounded, so usage above it has no price.

    ## What it does
    Reports a tiered charge (in a plan version or a channel price override)
    none of whose tiers is unbounded: its last tier has an `up_to`, so a
    quantity above it falls outside every tier. A usage charge whose metric
    is capped by the plan's `limits` is fine when its last tier reaches the
    cap (less the `included` units): no customer can use more.

    ## Why is this bad?
    The first customer who uses more than the last bound gets an invoice
    that cannot be computed: it fails, or a billing system that guesses
    charges nothing for the excess.

    ## Example
    ```yaml
    model: graduated
    tiers:
      - {up_to: 1000, unit_amount: {USD: 0.023}}
      - {up_to: 10000, unit_amount: {USD: 0.021}}
    ```

    ## Use instead
    ```yaml
    model: graduated
    tiers:
      - {up_to: 1000, unit_amount: {USD: 0.023}}
      - {up_to: null, unit_amount: {USD: 0.021}}
    ```
    """
    for item in tiered_charges(catalog):
        tiers = item.charge.tiers
        last = tiers[-1].up_to
        if last is None or any(t.up_to is None for t in tiers):
            continue  # a null before the last tier is tier-order's finding
        cap = billable_cap(item)
        if cap is not None and last >= cap:
            continue
        yield ctx.finding(
            item.at("tiers", len(tiers) - 1, "up_to"),
            f"{item.label}: the last tier (tier {len(tiers)}) ends at up_to {_bound(last)}, "
            f"so a quantity above {_bound(last)} has no price",
            "set the last tier's `up_to` to null (or add a last tier with `up_to: null`)",
            key=f"{item.key}:unbounded")


@rule("tapered-rates", Severity.ERROR)
def tapered_rates(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A `tapered` charge whose unit rate rises from one tier to a later one.

    ## What it does
    Compares, currency by currency, each tier's `unit_amount` of every
    `tapered` charge (in plan versions and channel price overrides) with
    the rate of the last tier before it that has one, and reports a tier
    whose rate is higher. Equal rates are fine. A tier with only a
    `flat_amount` has no unit rate and is skipped. One finding per tier, at
    the first currency (as written) that rises, naming every one that does.

    ## Why is this bad?
    `tapered` promises that each further unit costs no more than the one
    before (SPEC section 3): a rising rate breaks what sales told the
    customer, and usually is a typo in one currency.

    ## Example
    ```yaml
    model: tapered
    tiers:
      - {up_to: 500, unit_amount: {USD: 2.00, EUR: 1.84}}
      - {up_to: null, unit_amount: {USD: 1.50, EUR: 1.94}}
    ```

    ## Use instead
    ```yaml
    model: tapered
    tiers:
      - {up_to: 500, unit_amount: {USD: 2.00, EUR: 1.84}}
      - {up_to: null, unit_amount: {USD: 1.50, EUR: 1.38}}
    ```
    """
    for item in tiered_charges(catalog):
        if item.charge.model != "tapered":
            continue
        last: dict[str, tuple[int, Decimal]] = {}  # currency -> (tier index, rate)
        for index, tier in enumerate(item.charge.tiers):
            rising = [(currency, *last[currency], rate)
                      for currency, rate in tier.unit_amount.items()
                      if currency in last and rate > last[currency][1]]
            last.update({currency: (index, rate) for currency, rate in tier.unit_amount.items()})
            if not rising:
                continue
            first, before, _, _ = rising[0]
            changes = ", ".join(f"{c} {brief_number(o, as_written=True)} (tier {t + 1}) -> "
                                f"{brief_number(n, as_written=True)}"
                                for c, t, o, n in rising)
            yield ctx.finding(
                item.at("tiers", index, "unit_amount", first),
                f"{item.label}: tapered unit rate rises in tier {index + 1}: {changes}",
                f"lower tier {index + 1}'s unit_amount to at most the rate before it; if rates "
                "are meant to rise, use `model: graduated`",
                key=f"{item.key}:tier{index + 1}:{','.join(r[0] for r in rising)}",
                related=[(item.at("tiers", before, "unit_amount", first),
                          f"tier {before + 1}'s {first} rate")])


def _priced_zero(tier: Tier) -> bool:
    return all(v == 0 for v in tier.unit_amount.values()) and \
        all(v == 0 for v in tier.flat_amount.values())


@rule("allowance-overlap", Severity.WARNING)
def allowance_overlap(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Free units given twice on one usage charge: `included` and a zero-priced first tier.

    ## What it does
    Reports a usage charge with `included` above 0 whose first tier costs
    nothing (every `unit_amount` zero and no `flat_amount`, or a zero one),
    in plan versions and channel price overrides. Free plans are exempt:
    everything in them is zero by design.

    ## Why is this bad?
    `included` already makes the first units free; the tiers price what is
    left *after* it (SPEC section 3). A zero first tier on top gives the
    customer `included + up_to` free units - usually someone wrote the same
    allowance twice, and the company gives away twice what it meant to.

    ## Example
    ```yaml
    - id: storage
      type: usage
      metric: storage
      included: 100
      model: graduated
      tiers:
        - {up_to: 100, unit_amount: {USD: 0}}
        - {up_to: null, unit_amount: {USD: 0.02}}
    ```

    ## Use instead
    ```yaml
    - id: storage
      type: usage
      metric: storage
      included: 100
      model: graduated
      tiers:
        - {up_to: null, unit_amount: {USD: 0.02}}
    ```
    """
    for item in tiered_charges(catalog):
        charge = item.charge
        if charge.type != "usage" or charge.included <= 0 or (item.plan and item.plan.free):
            continue
        first = charge.tiers[0]
        if not _priced_zero(first):
            continue
        included = number_str(charge.included)
        if first.up_to is None:
            total = "so every unit is free"
        else:
            total = f"so the first {number_str(charge.included + first.up_to)} units are free"
        yield ctx.finding(
            item.at("tiers", 0),
            f"{item.label}: `included: {included}` and tier 1 (up_to {_bound(first.up_to)}) "
            f"at zero both give `{charge.usage_metric}` away, {total}",
            "tiers price the units after `included`: drop the zero tier and set `included` to "
            "the whole allowance, or set `included` to 0",
            key=f"{item.key}:allowance",
            related=[(item.at("included"), "included")])


def _first_unreachable(tiers: tuple[Tier, ...], cap: Decimal) -> int | None:
    """The index of the first tier whose lower bound is at or above ``cap``, if any."""
    lower = ZERO
    for index, tier in enumerate(tiers):
        if lower >= cap:
            return index
        lower = tier.up_to if tier.up_to is not None else lower
    return None


@rule("unreachable-tier", Severity.WARNING)
def unreachable_tier(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A tier that the plan's `limits` cap makes impossible to reach.

    ## What it does
    For a usage charge whose metric the plan caps in `limits`, the most
    units the tiers can ever price is the cap less `included`. A tier whose
    lower bound (the `up_to` of the tier before it, or 0) is at or above
    that is never reached; the finding points at the first such tier (the
    ones after it are unreachable too). Channel price overrides are checked
    against their plan's limits. Charges whose tiers are out of order are
    left to `tier-order`.

    ## Why is this bad?
    Either the limit is wrong (customers are cut off before the price the
    pricing team designed for them), or the tier is dead weight that makes
    reviewers believe in a price nobody pays.

    ## Example
    ```yaml
    limits: {storage: 1000}
    # ... in the storage charge:
    included: 100
    tiers:
      - {up_to: 900, unit_amount: {USD: 0.02}}
      - {up_to: null, unit_amount: {USD: 0.01}}   # above 900: needs usage > 1000
    ```

    ## Use instead
    ```yaml
    limits: {storage: 1000}
    # ... in the storage charge:
    included: 100
    tiers:
      - {up_to: null, unit_amount: {USD: 0.02}}
    ```
    """
    for item in tiered_charges(catalog):
        cap = billable_cap(item)
        tiers = item.charge.tiers
        if cap is None or item.plan is None or not well_ordered(tiers):
            continue
        index = _first_unreachable(tiers, cap)
        if index is None:
            continue
        lower = (tiers[index - 1].up_to or ZERO) if index else ZERO
        charge, plan = item.charge, item.plan
        metric = charge.usage_metric or charge.id  # billable_cap found it in the limits
        limit = plan.limits[metric]
        allowance = f" and {number_str(charge.included)} are included" if charge.included else ""
        rest = f" (nor can the {len(tiers) - index - 1} after it)" \
            if index < len(tiers) - 1 else ""
        raise_to = f"raise limits.{metric} above {number_str(lower + charge.included)}"
        if index:
            hint = f"remove tier {index + 1} and the tiers after it (the tiers before it " \
                f"already price every unit the limit allows), or {raise_to}"
        else:
            hint = f"this charge never bills anything: lower `included` below {number_str(limit)}" \
                f", or {raise_to}"
        yield ctx.finding(
            item.at("tiers", index),
            f"{item.label}: tier {index + 1} (units above {number_str(lower)}) can never be "
            f"reached{rest}: plan {plan.id} limits `{metric}` to {number_str(limit)} "
            f"per period{allowance}, so at most {number_str(cap)} units are billed",
            hint, key=f"{item.key}:tier{index + 1}:unreachable",
            related=[(plan.origin.at("limits", metric), f"limits.{metric}")])
