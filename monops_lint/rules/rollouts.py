"""rollout-order: a staged rollout whose waves cannot be followed as written."""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.money import number_str
from monops_lint.rules.registry import RuleContext, rule

HUNDRED = 100


@rule("rollout-order", Severity.ERROR)
def rollout_order(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A plan version's rollout waves out of order, short of 100 %, or not starting on its date.

    ## What it does
    Reads the `rollout` of every plan version: the shares must rise strictly
    within (0, 100], the last must be 100, the `from` dates must rise
    strictly, and the first wave's `from` must be the version's
    `effective_from`. Each problem is reported at the wave (or the version's
    date) that breaks it.

    ## Why is this bad?
    A customer moves to the version on the `from` of the first wave whose
    share is above its bucket (SPEC section 10). A share that falls makes a
    later wave move nobody; a last share below 100 leaves some customers on
    the old price for ever; dates out of order move customers back and
    forth; a first wave away from `effective_from` makes the date a reader
    sees in the catalog diff wrong.

    ## Example
    ```yaml
    versions:
      - effective_from: 2027-04-01
        rollout:
          - {share: 20, from: 2027-04-01}
          - {share: 10, from: 2027-04-15}     # falls
          - {share: 90, from: 2027-05-01}     # never reaches 100
        charges: [...]
    ```

    ## Use instead
    ```yaml
    versions:
      - effective_from: 2027-04-01
        rollout:
          - {share: 1, from: 2027-04-01}      # canary
          - {share: 20, from: 2027-04-15}
          - {share: 100, from: 2027-05-01}
        charges: [...]
    ```
    """
    for plan in catalog.plans.values():
        for v, version in enumerate(plan.versions):
            waves = version.rollout
            if not waves:
                continue
            day = version.effective_from.isoformat()
            label = f"plan {plan.id}, version {day}"
            if waves[0].start != version.effective_from:
                yield ctx.finding(
                    plan.origin.at("versions", v, "rollout", 0, "from"),
                    f"{label}: the first wave starts {waves[0].start}, not on the version's "
                    f"effective_from {day}",
                    f"start the first wave on {day}, or move effective_from to "
                    f"{waves[0].start}", key=f"{plan.id}:{day}:first-wave")
            for index in range(1, len(waves)):
                before, wave = waves[index - 1], waves[index]
                if wave.share <= before.share:
                    yield ctx.finding(
                        plan.origin.at("versions", v, "rollout", index, "share"),
                        f"{label}: wave {index + 1}'s share {number_str(wave.share)} % does "
                        f"not rise above wave {index}'s {number_str(before.share)} % "
                        "(shares are cumulative)",
                        "write each wave's share as the total of customers moved by then",
                        key=f"{plan.id}:{day}:share:{index}")
                if wave.start <= before.start:
                    yield ctx.finding(
                        plan.origin.at("versions", v, "rollout", index, "from"),
                        f"{label}: wave {index + 1} starts {wave.start}, not after wave "
                        f"{index} ({before.start})",
                        "give each wave a later `from` than the one before",
                        key=f"{plan.id}:{day}:from:{index}")
            last = waves[-1]
            if last.share != HUNDRED:
                yield ctx.finding(
                    plan.origin.at("versions", v, "rollout", len(waves) - 1, "share"),
                    f"{label}: the last wave moves {number_str(last.share)} % of customers, "
                    "not 100 %: the others would keep the previous price for ever",
                    "end the rollout with a wave of share 100 on the day every customer "
                    "has switched", key=f"{plan.id}:{day}:last-wave")
