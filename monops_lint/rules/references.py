"""Identity rules: duplicate-id and unknown-reference."""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Bundle, Channel, Entity, Plan, Promotion, Scenario
from monops_lint.rules.registry import RuleContext, rule
from monops_lint.suggest import nearest

Reference = tuple[tuple[object, ...], str, str]  # (keys below the entity, target kind, target id)


@rule("duplicate-id", Severity.ERROR)
def duplicate_id(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Two entities of one kind share an id.

    ## What it does
    Reports the second (and every later) document of a kind whose `id` was
    already used, pointing at the first.

    ## Why is this bad?
    References name ids: with two plans called `storage-standard`, which one
    a channel sells depends on the order files are read in.

    ## Example
    ```yaml
    # pricing/storage.yaml
    kind: plan
    id: storage-standard
    ---
    # pricing/storage-v2.yaml
    kind: plan
    id: storage-standard
    ```

    ## Use instead
    ```yaml
    kind: plan
    id: storage-standard-v2
    ```
    """
    for kind, ids in catalog.id_locations.items():
        for entity_id, places in ids.items():
            first = places[0]
            for other in places[1:]:
                yield ctx.finding(
                    other, f"{kind} id `{entity_id}` is already used at {first}",
                    f"rename one of them; ids are unique within a kind ({kind})",
                    key=f"{kind}:{entity_id}", related=[(first, "first use")])


def references(entity: Entity) -> Iterator[Reference]:
    """Every id ``entity`` names, with where it is written."""
    if isinstance(entity, Bundle):
        for index, component in enumerate(entity.components):
            yield ("components", index, "product"), "product", component.product
    elif isinstance(entity, Plan):
        if entity.product:
            yield ("product",), "product", entity.product
        if entity.bundle:
            yield ("bundle",), "bundle", entity.bundle
    elif isinstance(entity, Channel):
        for index, offering in enumerate(entity.offerings):
            yield ("offerings", index, "plan"), "plan", offering.plan
            for field in ("upsell", "cross_sell"):
                for position, target in enumerate(getattr(offering, field)):
                    yield ("offerings", index, field, position), "plan", target
    elif isinstance(entity, Promotion):
        for position, channel in enumerate(entity.channels):
            yield ("channels", position), "channel", channel
        for position, plan in enumerate(entity.plans):
            yield ("plans", position), "plan", plan
    elif isinstance(entity, Scenario):
        yield ("channel",), "channel", entity.channel
        for index, subscription in enumerate(entity.subscriptions):
            yield ("subscriptions", index, "plan"), "plan", subscription.plan
            if subscription.promotion:
                yield ("subscriptions", index, "promotion"), "promotion", subscription.promotion


@rule("unknown-reference", Severity.ERROR)
def unknown_reference(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An id that names nothing.

    ## What it does
    Checks every reference - a plan's product or bundle, a bundle's
    components, a channel's offerings, upsells and cross-sells, a
    promotion's channels and plans, a scenario's channel, plans and
    promotions - and reports the ones no entity of that kind answers to,
    with the closest existing id.

    ## Why is this bad?
    A channel offering a plan that does not exist sells nothing; a typo in an
    upsell sends customers nowhere.

    ## Example
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-standrad
    ```

    ## Use instead
    ```yaml
    kind: channel
    id: web
    offerings:
      - plan: storage-standard
    ```
    """
    for entity in catalog.entities():
        for keys, kind, target in references(entity):
            if catalog.knows(kind, target):
                continue
            near = nearest(target, catalog.ids(kind), cutoff=0.6)
            hint = f"did you mean `{near}`?" if near else f"no {kind} has this id; " \
                f"check `monops lint` for a {kind} that failed to load, or add it"
            yield ctx.finding(entity.origin.at(*keys),
                              f"{entity.kind} {entity.id} names unknown {kind} `{target}`",
                              hint, key=f"{entity.kind}:{entity.id}:{kind}:{target}")
