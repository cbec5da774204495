"""Offer rules: what channels sell, and whether it can be sold - lifecycle and
bundle-availability (their helpers: ``rules.support.offers``)."""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Product
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.rules.support.offers import first_effective, offers, unavailable


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
