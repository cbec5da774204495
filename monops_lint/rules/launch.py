"""Launch readiness: orphan (on sale nowhere) and npi-incomplete (not ready to launch)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Plan
from monops_lint.rules.registry import RuleContext, rule

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
