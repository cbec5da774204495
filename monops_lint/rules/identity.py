"""id-reuse (``monops diff``): an id that stood for one thing now stands for another.

Like the other diff rules it compares the catalog before a change
(``ctx.base``) with the one after, and stays silent when there is no base.
"""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.model import Product
from monops_lint.rules.registry import RuleContext, rule

_IDENTITY = {"product": ("name", "unit", "category"), "plan": ("product", "bundle",
                                                               "billing_period")}


@rule("id-reuse", Severity.ERROR, phase="diff")
def id_reuse(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """An id that stood for one thing now stands for another.

    ## What it does
    Compares products and plans with the base of the change. A plan whose
    id now sells another product or bundle, or bills over another period,
    is reported; so is a product that was retired and comes back under its
    old id as something else (another name, unit or category). Bringing a
    retired product back as itself is fine. (Only the base of the change is
    compared: an id deleted in an earlier pull request is not seen.)

    ## Why is this bad?
    Subscriptions, invoices, reports and other systems hold ids. Reusing one
    silently moves existing customers to a different product, and mixes two
    things in every metric keyed by it.

    ## Example
    ```yaml
    kind: plan
    id: storage-standard
    product: backup            # was: storage
    ```

    ## Use instead
    ```yaml
    kind: plan
    id: backup-standard
    product: backup
    ```
    """
    if ctx.base is None:
        return
    for kind, fields in _IDENTITY.items():
        before_all, after_all = ctx.base.of_kind(kind), catalog.of_kind(kind)
        for entity_id in catalog.changed_ids(ctx.base, kind):  # the same data: the same fields
            before, after = before_all.get(entity_id), after_all.get(entity_id)
            if before is None or after is None:
                continue
            changed = [f for f in fields if getattr(before, f) != getattr(after, f)]
            if not changed:
                continue
            if isinstance(before, Product) and before.status != "retired":
                continue  # renaming a live product is an edit, not a reuse
            what = ", ".join(f"{f} {getattr(before, f) or '—'} → {getattr(after, f) or '—'}"
                             for f in changed)
            retired = " (retired before this change)" if isinstance(before, Product) else ""
            yield ctx.finding(
                after.origin.at(changed[0]),
                f"{kind} id `{entity_id}`{retired} now names something else: {what}",
                f"give the new {kind} its own id and leave `{entity_id}` as it was",
                key=f"{kind}:{entity_id}:{','.join(changed)}")
