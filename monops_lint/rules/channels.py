"""price-drift: one offer, as customers see it, at one price in every channel.

A plan's price in a channel is the pricing engine's (``support.prices``:
``charges_in_channel`` over the version in effect, priced by ``plan_lines``
as ``monops quote`` prices it); the rule compares such prices, it never
works one out another way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Channel, Charge, Plan, PlanVersion
from monops_lint.money import number_str
from monops_lint.pricing import PricingError
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.plan_names import lookalike_names, read_as
from monops_lint.rules.support.prices import (
    MONEY_FIELDS,
    ChannelPrice,
    Offered,
    money,
    offer_keys,
    on_day,
    price_days,
    rate,
    versions_on,
)

# --- price-drift ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Fact:
    """One thing a price is made of, comparable across plans: ``slot`` says which."""

    slot: tuple[object, ...]  # e.g. ("charge", "usage", "gb", 0, "unit_amount", "USD")
    value: object
    label: str  # "charge gb unit_amount"
    at: tuple[object, ...]  # ("charge", index, *keys) or ("plan", *keys): see ``_located``


def _located(price: ChannelPrice, fact: Fact) -> Location:
    """Where ``fact`` is written (worked out only for a finding)."""
    where, *keys = fact.at
    if where == "charge":
        index, *below = keys
        assert isinstance(index, int)
        return price.charge_at(index, *below)
    if where == "charges":
        return price.plan.origin.key_at("versions", price.plan.version_index(price.version),
                                        "charges")
    return price.plan.origin.at(*keys)


def _facts(price: ChannelPrice, currency: str) -> tuple[Fact, ...]:
    """Everything that makes up ``price`` in ``currency``.

    Charges are matched across plans by type and metric (the n-th such
    charge), not by id, which customers never see; a charge one plan has
    and the other lacks shows in the number of charges, compared last.
    Raises ``PricingError``.
    """
    plan = price.plan
    facts = [Fact(("free",), plan.free, "free", ("plan", "free")),
             Fact(("minimum",), plan.minimum.get(currency), "minimum",
                  ("plan", "minimum", currency))]
    charges = price.charges()
    seen: dict[tuple[str, str], int] = {}
    for index, charge in enumerate(charges):
        kind = (charge.type, (charge.metric or charge.id) if charge.type == "usage" else "")
        seen[kind] = seen.get(kind, -1) + 1
        slot = ("charge", *kind, seen[kind])

        def fact(keys: tuple[object, ...], value: object, field: str,
                 charge: Charge = charge, index: int = index,
                 slot: tuple[object, ...] = slot) -> Fact:
            return Fact((*slot, *keys), value, f"charge {charge.id} {field}",
                        ("charge", index, *keys))

        facts.append(fact(("model",), charge.model, "model"))
        facts.append(fact(("included",), charge.included, "included"))
        facts += [fact((name, currency), getattr(charge, name).get(currency), name)
                  for name in MONEY_FIELDS]
        facts.append(fact(("package_size",), (charge.package_size, charge.round), "package"))
        facts.append(fact(("rate",), charge.rate, "rate"))
        facts.append(fact(("tiers",), len(charge.tiers), "number of tiers"))
        for number, tier in enumerate(charge.tiers):
            at = ("tiers", number)
            facts.append(fact((*at, "up_to"), tier.up_to, f"tier {number + 1} up_to"))
            facts.append(fact((*at, "unit_amount", currency), tier.unit_amount.get(currency),
                              f"tier {number + 1} unit_amount"))
            facts.append(fact((*at, "flat_amount", currency), tier.flat_amount.get(currency),
                              f"tier {number + 1} flat_amount"))
    facts.append(Fact(("charges",), len(charges), "number of charges", ("charges",)))
    return tuple(facts)


@dataclass(frozen=True, slots=True)
class Priced:
    """A plan's version priced in one currency: the engine's first-period total and its facts.

    ``price`` is the plan at its catalog price (offerings with an override
    take no part in price-drift), which is what every channel sells it at.
    """

    price: ChannelPrice
    version: int  # its position in the plan's file
    total: Decimal
    facts: tuple[Fact, ...]
    signature: tuple[tuple[object, object], ...]  # (slot, value) of every fact: equal = same price


def _first_difference(first: Priced, second: Priced) -> tuple[Fact | None, Fact] | None:
    """The first fact of ``second`` that ``first`` does not match, with ``first``'s side."""
    if first.signature == second.signature:
        return None
    mine = {fact.slot: fact for fact in first.facts}
    for fact in second.facts:
        other = mine.get(fact.slot)
        if other is None or other.value != fact.value:
            return other, fact
    return None


def _shown(value: object, currency: str) -> str:
    if isinstance(value, Decimal):
        return rate(value, currency)
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return " ".join(number_str(v) if isinstance(v, Decimal) else str(v) for v in value)
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class Member:
    """One plan as offered, without an override, in one channel: a side of a comparison."""

    plan: Plan
    channel: Channel


def _offer_keys_as_read(plan: Plan) -> list[tuple[str, ...]]:
    """``offer_keys`` with the name as customers read it: names that differ only by what
    nobody sees are one offer."""
    return [(*key[:-1], read_as(key[-1])) if key[0] == "name" else key
            for key in offer_keys(plan)]


def _drift_groups(catalog: Catalog, sold: Offered) -> Iterator[tuple[str, list[Member]]]:
    """(how customers see them as one, offerings) for each group of two plans or more."""
    groups: dict[tuple[str, ...], list[Plan]] = {}
    for plan in catalog.plans.values():
        for key in _offer_keys_as_read(plan):
            groups.setdefault((*key, plan.billing_period), []).append(plan)
    for key, plans in groups.items():
        if len(plans) < 2:
            continue  # one plan is one price, unless an override (with its reason) says why
        members = []
        for plan in sorted(plans, key=lambda p: (p.origin.path, p.origin.line)):
            for channel in dict.fromkeys(c.id for c in catalog.channels_offering(plan.id)):
                if sold[channel][plan.id][1].price_override is None:
                    members.append(Member(plan, catalog.channels[channel]))
        if len({m.channel.id for m in members}) > 1:
            phrase = (f'shown to customers as "{read_as(plans[0].name)}"' if key[0] == "name"
                      else f"sold under the same sku {key[1]}")
            yield phrase, members


@rule("price-drift", Severity.ERROR)
def price_drift(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Plans customers see as one offer, priced differently in different channels.

    ## What it does
    Groups plans that customers see as one offer - the same product (or
    bundle), billing period and `name`, or the same `sku` (and billing
    period: a yearly plan may share the monthly one's sku) - and compares
    what each costs in each channel that offers it, in every currency both
    channels sell. An offering with a `price_override` is explained (the
    schema makes it give a `reason`) and is left out.

    Prices are the pricing engine's, as the channel sells them. The message
    leads with the `monops quote PLAN --channel CH` total (quantity 1, no
    usage) when that differs, and otherwise names the first charge field
    that differs (a usage rate, a tier, an allowance). Charges are matched
    by type and metric, not by id, which customers never see.
    Amounts are compared as written: a tax-inclusive channel's shelf price
    holds the tax on the invoice (SPEC section 3), not in the catalog, so
    EUR 45.99 is the same price in a tax-inclusive store and online. Each
    plan is compared with the first offering of its group (plans in file
    order) in another channel. Looked at: today and every later day a plan
    of the group changes price, reporting the first day it drifts.

    Names are compared as customers read them: in Unicode NFKC, without
    invisible characters (zero-width space U+200B, word joiner U+2060,
    byte order mark U+FEFF and the other format characters), no-break and
    other spaces as one space, none at either end. A plan whose name differs
    from another's of the same product or bundle only by such characters is
    reported too (at its `name`, whatever the billing period), with the
    characters to remove.

    ## Why is this bad?
    The customer who sees "TV Basic" at USD 15.00 online and USD 16.50 in
    the store calls support, and the cheaper channel's price leaks into
    every negotiation.

    ## Example
    ```yaml
    kind: plan
    id: tv-basic-retail
    name: TV Basic                 # tv-basic, on the web, costs USD 15.00
    product: tv
    billing_period: month
    versions:
      - effective_from: 2026-01-01
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 16.50}}
    ```

    ## Use instead
    ```yaml
    kind: channel
    id: retail
    offerings:
      - plan: tv-basic             # USD 16.50 in retail, and why
        price_override:
          reason: Store staff install the box at home
          percent: 10
    ```
    """
    rounding = ctx.config.rounding
    reported: set[tuple[str, str, str]] = set()
    # Members sell at the catalog price (an override takes an offering out), so a plan's
    # version has one price in every channel: priced once per currency.
    memo: Memo = {}
    for phrase, members in _drift_groups(catalog, catalog.offered):
        days = price_days(ctx.today, dict.fromkeys(m.plan for m in members))
        timelines = [versions_on(m.plan, days) for m in members]
        for currency in dict.fromkeys(c for m in members for c in m.channel.currencies):
            selling = [i for i, m in enumerate(members) if currency in m.channel.currencies]
            compared: dict[int, tuple[int, int, int]] = {}
            for number, day in enumerate(days):
                priced = [(i, p) for i in selling if (p := _priced(
                    members[i].plan, timelines[i][number], day, currency, rounding, memo))]
                for (i, first), (j, second) in _pairs(members, priced):
                    # Compare a pair of versions once: later days repeat the same prices.
                    state = (i, first.version, second.version)
                    done = (members[j].plan.id, members[j].channel.id, currency)
                    if compared.get(j) == state or done in reported:
                        continue
                    compared[j] = state
                    finding = _drift(ctx, members[i], first, members[j], second, currency,
                                     day, phrase)
                    if finding is not None:
                        reported.add(done)
                        yield finding
    yield from lookalike_names(catalog, ctx)


Memo = dict[tuple[str, int, str], "Priced | None"]


def _priced(plan: Plan, version: tuple[int, PlanVersion] | None, day: dt.date, currency: str,
            rounding: str, memo: Memo) -> Priced | None:
    """``plan``'s ``version`` priced in ``currency`` (its catalog price), or None if it has none."""
    if version is None:
        return None
    key = (plan.id, version[0], currency)
    if key not in memo:
        price = ChannelPrice(plan, day, version[1])
        total = price.period_price(currency, rounding, first=True)
        try:
            facts = _facts(price, currency) if total is not None else None
        except PricingError:
            facts = None
        memo[key] = None if total is None or facts is None else Priced(
            price, version[0], total, facts, tuple((f.slot, f.value) for f in facts))
    return memo[key]


def _pairs(members: list[Member], priced: list[tuple[int, Priced]]
           ) -> Iterator[tuple[tuple[int, Priced], tuple[int, Priced]]]:
    """Each priced offering with the one it is compared with (linear, not all pairs).

    The first offering priced (in the currency, on the day) is the
    reference; offerings in its own channel are compared with the first one
    in another channel. An offering without a price (no version in effect,
    an amount missing) takes no part: other rules report why.
    """
    if not priced:
        return
    reference = priced[0]
    home = members[reference[0]].channel.id
    elsewhere = next((p for p in priced if members[p[0]].channel.id != home), None)
    for side in priced[1:]:
        other = reference if members[side[0]].channel.id != home else elsewhere
        if other is not None and members[other[0]].plan.id != members[side[0]].plan.id:
            yield other, side


def _drift(ctx: RuleContext, one: Member, first: Priced, two: Member, second: Priced,
           currency: str, day: dt.date, phrase: str) -> Finding | None:
    difference = _first_difference(first, second)
    if difference is None and first.total == second.total:
        return None
    mine, theirs = difference if difference is not None else (None, None)
    a, b = one.plan.id, two.plan.id
    if first.total != second.total:
        message = (f"{a} costs {money(first.total, currency)} in {one.channel.id}, but {b}, "
                   f"{phrase}, costs {money(second.total, currency)} in {two.channel.id}")
    else:
        assert theirs is not None
        message = (f"{a} has {theirs.label} {_shown(mine.value if mine else None, currency)} "
                   f"in {one.channel.id}, but {b}, {phrase}, has "
                   f"{_shown(theirs.value, currency)} in {two.channel.id}")
    message += on_day(day, ctx.today)
    where = (_located(second.price, theirs) if theirs is not None
             else second.price.price_at(currency))
    there = _located(first.price, mine) if mine is not None else first.price.price_at(currency)
    return ctx.finding(
        where, message,
        f"give {b} the same {currency} price as {a}; if {two.channel.id} sells it at "
        f"another price on purpose, say why in a `price_override` with a `reason` on its "
        "offering there",
        key=f"{a}@{one.channel.id}:{b}@{two.channel.id}:{currency}",
        related=[(there, f"{a} in {one.channel.id}")])
