"""version-order: a plan's versions out of date order, or two starting the same day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.rules.registry import RuleContext, rule


@rule("version-order", Severity.ERROR)
def version_order(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """Plan versions not strictly ordered by `effective_from`, or two on one date.

    ## What it does
    Reads each plan's `versions` in the order written and reports a version
    whose `effective_from` is earlier than the version written just before
    it, and a version that starts on the same day as an earlier-written one
    (pointing at the first). Each out-of-order pair is reported once, at the
    later-written version.

    ## Why is this bad?
    Two versions on one date leave it to chance which price applies that
    day. Versions out of order hide the current price from a reviewer who
    reads the last version as the newest, and make `diff` and
    `history-rewrite` compare the wrong versions.

    ## Example
    ```yaml
    versions:
      - effective_from: 2027-01-01
        charges: [...]
      - effective_from: 2026-01-01
        charges: [...]
    ```

    ## Use instead
    ```yaml
    versions:
      - effective_from: 2026-01-01
        charges: [...]
      - effective_from: 2027-01-01
        charges: [...]
    ```
    """
    for plan in catalog.plans.values():
        first_on: dict[dt.date, int] = {}
        for index, version in enumerate(plan.versions):
            day = version.effective_from
            if day in first_on:
                other = first_on[day]
                yield ctx.finding(
                    plan.origin.at("versions", index, "effective_from"),
                    f"plan {plan.id}: versions {other + 1} and {index + 1} both take "
                    f"effect on {day}", "give each version its own effective_from, or merge "
                    "their charges into one version",
                    key=f"{plan.id}:{day}:duplicate",
                    related=[(plan.origin.at("versions", other, "effective_from"),
                              f"version {other + 1}")])
                continue
            first_on[day] = index
            if index:
                before = plan.versions[index - 1].effective_from
                if day < before:
                    yield ctx.finding(
                        plan.origin.at("versions", index, "effective_from"),
                        f"plan {plan.id}: version {index + 1} (effective_from {day}) "
                        f"is written after version {index} (effective_from {before}), which "
                        "starts later", "write versions oldest first, each effective_from after "
                        "the one before",
                        key=f"{plan.id}:{day}:after:{before}",
                        related=[(plan.origin.at("versions", index - 1, "effective_from"),
                                  f"version {index}")])
