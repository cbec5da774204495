"""Offer rules: what channels sell, and whether it can be sold.

upsell-cycle, lifecycle, orphan, npi-incomplete, bundle-availability and
currency-coverage. Each check builds its indexes once (by plan, by product,
by channel), so that none is quadratic in the size of the catalog.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import Channel, Charge, Offering, Plan, Product
from monops_lint.rules.registry import RuleContext, rule

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


# --- upsell-cycle ------------------------------------------------------------------


def _strong_components(graph: Mapping[str, tuple[str, ...]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (upsell chains can be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def _shortest_cycle(graph: Mapping[str, tuple[str, ...]], component: set[str],
                    start: str) -> list[str]:
    """A shortest cycle through ``start`` (breadth first; one exists in a strong component)."""
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(graph[node]):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if nxt in component and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return [start, start]  # not reached for a component with a cycle


def _cycles(graph: Mapping[str, tuple[str, ...]], component: set[str],
            limit: int) -> tuple[list[list[str]], str]:
    """Up to ``limit`` elementary cycles of one component, each once (the rotation from its
    smallest id), and why the list stops short: "" (it does not), "limit" or "budget".

    The search is bounded by the component's size, so a pathological tangle costs linear
    time; when it runs out with nothing found, a shortest cycle is listed instead.
    """
    inner = sum(1 for n in component for t in graph[n] if t in component)
    if inner == len(component):  # strongly connected with one edge per node: a single ring
        return [_shortest_cycle(graph, component, min(component))], ""
    budget = 100 * (len(component) + inner) + 10_000
    found: list[list[str]] = []
    for start in sorted(component):
        path = [start]
        on_path = {start}
        work = [iter(sorted(graph[start]))]
        while work:
            budget -= 1
            if budget < 0:
                return found or [_shortest_cycle(graph, component, min(component))], "budget"
            nxt = next(work[-1], None)
            if nxt is None:
                work.pop()
                on_path.discard(path.pop())
            elif nxt == start:
                if len(found) == limit:
                    return found, "limit"
                found.append([*path, start])
            elif nxt in component and nxt > start and nxt not in on_path:
                path.append(nxt)
                on_path.add(nxt)
                work.append(iter(sorted(graph[nxt])))
    return found, ""


@rule("upsell-cycle", Severity.ERROR, options={"max_cycles": 20})
def upsell_cycle(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Upsell paths that loop back to where they started.

    ## What it does
    Follows each channel's `upsell` lists from offering to offering (only
    plans that channel offers continue a path) and reports every loop once,
    as the rotation that starts at its smallest plan id, at the first step
    of it: `a -> b -> c -> a`. (A plan that upsells to itself is
    `upsell-target`'s finding, not a loop here.) Option `max_cycles`
    (default 20) caps how many loops are listed per group of plans that
    upsell to each other; past it (or when the group is too tangled to
    search in time linear in its size), one more finding names the group.

    ## Why is this bad?
    An upsell is the step up. In a loop, at least one "step up" is a step
    down, and a storefront that follows upsells never reaches the top offer.

    ## Example
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-basic
        upsell: [storage-plus]
      - plan: storage-plus
        upsell: [storage-basic]
    ```

    ## Use instead
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-basic
        upsell: [storage-plus]
      - plan: storage-plus
    ```
    """
    limit = max(int(ctx.options.get("max_cycles", 20)), 1)
    for channel in catalog.channels.values():
        edges: dict[tuple[str, str], Location] = {}
        upsells: dict[str, tuple[str, ...]] = {}
        for index, offering in enumerate(channel.offerings):
            if offering.plan in upsells:
                continue  # the first offering of a plan is the one a channel sells
            upsells[offering.plan] = offering.upsell
            for position, target in enumerate(offering.upsell):
                edges[(offering.plan, target)] = \
                    channel.origin.at("offerings", index, "upsell", position)
        graph = {plan: tuple(t for t in targets if t in upsells and t != plan)
                 for plan, targets in upsells.items()}
        for component in _strong_components(graph):
            first = min(component)
            if len(component) == 1:
                continue  # no self-loops in the graph: one plan alone is no loop
            cycles, short = _cycles(graph, component, limit)
            for cycle in cycles:
                steps = list(itertools.pairwise(cycle))
                path = " -> ".join(cycle)
                hint = "an upsell is a step up: remove the upsell that leads back down, so " \
                    "the path ends at the dearest plan"
                yield ctx.finding(
                    edges[steps[0]], f"channel {channel.id}: upsell path loops: {path}", hint,
                    key=f"{channel.id}:{path}",
                    related=[(edges[step], f"{step[0]} upsells to {step[1]}")
                             for step in steps[1:]])
            if short:
                names = sorted(component)
                listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more"
                                                  if len(names) > 10 else "")
                why = f"in more loops than the {len(cycles)} listed" if short == "limit" else \
                    f"in a tangle of loops too large to list (the search stopped after " \
                    f"{len(cycles)})"
                yield ctx.finding(
                    edges[(first, min(t for t in graph[first] if t in component))],
                    f"channel {channel.id}: plans {listed} upsell to each other {why}",
                    "order these plans from cheapest to dearest and upsell only upwards; "
                    "raise option max_cycles to list more", key=f"{channel.id}:loops:{first}")


# --- lifecycle and bundle-availability ---------------------------------------------


@rule("lifecycle", Severity.ERROR, options={"deprecated_on_offer": False})
def lifecycle(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A retired, draft or unavailable product on offer; a deprecated product newly offered.

    ## What it does
    For every offering of a product's plan in a channel, reports the
    product when it is `retired` or still a `draft`; when its
    `available_until` is before today (the last day itself is fine); or
    when its `available_from` is after today and the plan takes effect
    before it (a plan whose first version starts on or after
    `available_from` is a pre-announced launch, which is fine). The same
    status checks apply to the bundle of a bundle plan; a bundle's
    components are `bundle-availability`'s.

    A *deprecated* product is no longer sold to new customers. Lint has no
    "offered since" date, so "newly offered" reads: the plan's first
    version takes effect today or later - a new offer being launched for a
    product on its way out. Offers that started before today are existing
    business and are not reported, unless option `deprecated_on_offer` is
    true, which reports every offering of a deprecated product. Dates are
    compared with `--today`.

    ## Why is this bad?
    A channel that sells a retired product takes orders nobody can fulfil
    or bill; a product sold before its launch date or after its end date
    breaks a commitment to legal, tax or the supplier.

    ## Example
    ```yaml
    kind: product
    id: dsl
    status: retired
    ---
    kind: channel
    id: web
    offerings:
      - plan: dsl-monthly
    ```

    ## Use instead
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: fiber-monthly
    ```
    """
    every_deprecated = bool(ctx.options.get("deprecated_on_offer", False))
    for offer in offers(catalog):
        plan, channel = offer.plan, offer.channel
        starts = first_effective(plan)
        owner: Product | None = catalog.products.get(plan.product) if plan.product else None
        bundle = catalog.bundles.get(plan.bundle) if plan.bundle else None
        entity = owner or bundle
        if entity is None:
            continue
        what = f"{entity.kind} {entity.id}"
        if owner is not None:
            problem = unavailable(owner, ctx.today, starts)
        elif entity.status in ("retired", "draft"):
            problem = ("is retired" if entity.status == "retired" else "is still a draft",
                       "status")
        else:
            problem = None
        if problem is not None:
            reason, field = problem
            yield ctx.finding(
                offer.at(), f"channel {channel.id} offers plan {plan.id}, but its {what} "
                f"{reason} (today is {ctx.today})",
                f"remove the offering from channel {channel.id}, or fix the {entity.kind}'s "
                f"`{field}`", key=f"{channel.id}:{plan.id}:{entity.id}:{field}",
                related=[(entity.origin.at(field), f"{entity.kind} {entity.id} {field}")])
        elif entity.status == "deprecated" and (every_deprecated or starts >= ctx.today):
            newly = f"newly (its first version takes effect {starts}) " \
                if starts >= ctx.today else ""
            yield ctx.finding(
                offer.at(), f"channel {channel.id} {newly}offers plan {plan.id} of deprecated "
                f"{what}", f"offer a plan of the product that replaces {entity.id}, or keep "
                f"{entity.id} `active` while it is still sold to new customers",
                key=f"{channel.id}:{plan.id}:{entity.id}:deprecated",
                related=[(entity.origin.at("status"), f"{entity.kind} {entity.id} status")])


@rule("bundle-availability", Severity.ERROR)
def bundle_availability(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A bundle offered in a channel while one of its products cannot be sold.

    ## What it does
    For every offering of a bundle plan, checks each product of the bundle:
    it must not be `retired` or a `draft`, must not be past its
    `available_until` (that day itself is fine), and must be available by
    the time the plan takes effect (`available_from` after today and after
    the plan's first version is reported). A `deprecated` component is
    still available: it may be sold until it is retired or its
    `available_until` passes. The bundle's own status is `lifecycle`'s.

    ## Why is this bad?
    A customer who buys the bundle is promised a product the company no
    longer (or not yet) delivers: the order cannot be provisioned, and the
    bundle's price counts a component the customer does not get.

    ## Example
    ```yaml
    kind: bundle
    id: home-duo
    components:
      - {product: dsl-broadband}     # status: retired
      - {product: tv}
    ```

    ## Use instead
    ```yaml
    kind: bundle
    id: home-duo
    components:
      - {product: fiber-broadband}
      - {product: tv}
    ```
    """
    for offer in offers(catalog):
        bundle = catalog.bundles.get(offer.plan.bundle) if offer.plan.bundle else None
        if bundle is None:
            continue
        starts = first_effective(offer.plan)
        for position, component in enumerate(bundle.components):
            product = catalog.products.get(component.product)
            problem = unavailable(product, ctx.today, starts) if product else None
            if product is None or problem is None:
                continue
            reason, field = problem
            yield ctx.finding(
                offer.at(), f"channel {offer.channel.id} offers plan {offer.plan.id} of bundle "
                f"{bundle.id}, but its component product {product.id} {reason} "
                f"(today is {ctx.today})",
                f"replace {product.id} in bundle {bundle.id}, or stop offering "
                f"{offer.plan.id} in {offer.channel.id}",
                key=f"{offer.channel.id}:{offer.plan.id}:{product.id}:{field}",
                related=[(bundle.origin.at("components", position), f"component {product.id}"),
                         (product.origin.at(field), f"product {product.id} {field}")])


# --- orphan and npi-incomplete -----------------------------------------------------


@dataclass(frozen=True)
class Sales:
    """Which plans are offered, and which plans sell each product (its own and its bundles')."""

    offered: frozenset[str]
    plans_of: Mapping[str, tuple[Plan, ...]]

    @classmethod
    def of(cls, catalog: Catalog) -> Sales:
        """Index ``catalog`` once."""
        offered = frozenset(o.plan for _, o in catalog.offerings())
        plans_of: dict[str, list[Plan]] = {}
        for plan in catalog.plans.values():
            if plan.product:
                plans_of.setdefault(plan.product, []).append(plan)
            bundle = catalog.bundles.get(plan.bundle) if plan.bundle else None
            for product in {c.product for c in bundle.components} if bundle else ():
                plans_of.setdefault(product, []).append(plan)
        return cls(offered, {p: tuple(plans) for p, plans in plans_of.items()})

    def on_sale(self, product_id: str) -> bool:
        """Whether any offered plan sells ``product_id``, alone or in a bundle."""
        return any(p.id in self.offered for p in self.plans_of.get(product_id, ()))


@rule("orphan", Severity.WARNING)
def orphan(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An active product or plan that no channel offers.

    ## What it does
    Reports a plan of an `active` product (or of an `active` bundle) that
    no channel offers, at the plan's id. A product sold only inside a
    bundle is on sale when a bundle plan that includes it is offered; an
    `active` product is reported at its id when it is on sale nowhere and
    has no plan of its own (a product with plans is reported through
    them). Draft, deprecated and retired products are exempt.

    Plans kept only to bill existing subscribers ("grandfathered") are
    reported too: suppress the finding on the plan with a reason.

    ## Why is this bad?
    A plan nobody can buy is dead code in the price list: reviewers keep
    maintaining it, and reports count it as part of the offer.

    ## Example
    ```yaml
    kind: plan
    id: storage-pro          # in no channel's offerings
    product: storage
    ```

    ## Use instead
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-pro
    ```
    """
    sales = Sales.of(catalog)
    for plan in catalog.plans.values():
        owner = catalog.products.get(plan.product) if plan.product else \
            catalog.bundles.get(plan.bundle)
        if owner is None or owner.status != "active" or plan.id in sales.offered:
            continue
        yield ctx.finding(
            plan.origin.at("id"), f"plan {plan.id} of active {owner.kind} {owner.id} is "
            "offered in no channel", "add it to a channel's `offerings`, or remove the plan "
            "(a plan kept for existing subscribers: suppress this with a reason)",
            key=f"plan:{plan.id}", related=[(owner.origin.at("status"), f"{owner.kind} status")])
    for product in catalog.products.values():
        if product.status != "active" or sales.on_sale(product.id) or \
                catalog.plans_for("product", product.id):
            continue
        bundled = sorted({p.id for p in sales.plans_of.get(product.id, ())})
        why = f"the bundle plans that include it ({', '.join(bundled)}) are offered " \
            "nowhere" if bundled else "no plan sells it"
        yield ctx.finding(
            product.origin.at("id"), f"active product {product.id} is offered in no channel: "
            f"{why}", "offer a plan of it (or of a bundle with it) in a channel, or set its "
            "status to draft, deprecated or retired",
            key=f"product:{product.id}",
            related=[(product.origin.at("status"), "status")])


@rule("npi-incomplete", Severity.ERROR)
def npi_incomplete(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An `active` product missing what launch needs: a plan, a channel, a tax code, a description.

    ## What it does
    Checks every product whose status is `active` (explicitly, or by
    default) and reports, one finding for each, a missing plan (of its
    own, or a bundle plan that includes it), a missing channel offering one
    of those plans, a missing or empty `tax_code`, and a missing or empty
    `description`. Missing items are reported at the product's id; an empty
    field at the field. Draft products are not launched yet, and
    deprecated or retired ones are on their way out: they are exempt.

    ## Why is this bad?
    `active` means launched. Without a plan or a channel nobody can buy
    it; without a tax code an invoice cannot be taxed correctly; without a
    description customers and support cannot tell what it is.

    ## Example
    ```yaml
    kind: product
    id: storage
    name: Cloud Storage
    status: active
    ```

    ## Use instead
    ```yaml
    kind: product
    id: storage
    name: Cloud Storage
    description: Object storage billed per GB-month
    status: active
    tax_code: SAAS-STD
    # ... with a plan for it, offered in a channel
    ```
    """
    sales = Sales.of(catalog)
    for product in catalog.products.values():
        if product.status != "active":
            continue
        data = product.origin.data
        missing: list[tuple[str, str, str]] = []
        plans = sales.plans_of.get(product.id, ())
        if not plans:
            missing.append(("plan", "has no plan", "add a plan with `product: "
                            f"{product.id}` (or a bundle plan that includes it)"))
        if not sales.on_sale(product.id):
            missing.append(("channel", "is offered in no channel", "offer one of its plans "
                            "in a channel's `offerings`"))
        if not product.tax_code.strip():
            missing.append(("tax_code", "has no tax_code", "add `tax_code:` (the code your tax "
                            "engine uses, e.g. SAAS-STD)"))
        if not product.description.strip():
            missing.append(("description", "has no description", "add `description:` in a "
                            "sentence a customer understands"))
        for item, what, hint in missing:
            written = isinstance(data, Mapping) and item in data
            yield ctx.finding(
                product.origin.at(item if written else "id"),
                f"active product {product.id} {what}", f"{hint}; or keep `status: draft` "
                "until it launches", key=f"{product.id}:{item}")


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
        for c, charge in enumerate(plan.versions[v].charges):
            if not charge.priced_in(currency):
                gaps.append(((plan.id, day, charge.id, currency),
                             ("versions", v, "charges", c, *_price_field(charge, currency)),
                             f"plan {plan.id}, version {day}, charge {charge.id}"))
    return gaps


def _override_gaps(offer: Offer, charges: tuple[Charge, ...], currency: str) -> list[Gap]:
    """Where an offering's override charges lack a ``currency`` price."""
    return [((offer.channel.id, offer.plan.id, charge.id, currency),
             ("offerings", offer.index, "price_override", "charges", c,
              *_price_field(charge, currency)),
             f"channel {offer.channel.id}'s price override of plan {offer.plan.id}, "
             f"charge {charge.id}")
            for c, charge in enumerate(charges) if not charge.priced_in(currency)]


@rule("currency-coverage", Severity.ERROR)
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
