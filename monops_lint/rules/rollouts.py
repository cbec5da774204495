"""rollout-order: a staged rollout whose waves cannot be followed as written."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.dates import add_months
from monops_lint.findings import Finding, Severity
from monops_lint.money import number_str
from monops_lint.rules.registry import RuleContext, ScheduleRow, rule

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


@rule("rollout-share", Severity.WARNING, options={"max_share": 25}, phase="customers")
def rollout_share(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A price change that reaches too many of one day's invoices at once.

    ## What it does
    Runs in `monops diff --customers PATH` (and `monops rollout`): for every
    plan version the change introduces or changes, it works out from the
    customer base the days on which invoices move from the old price to the
    new for the first time (each customer on their first billing date on or
    after their wave's `from`, SPEC section 10), and reports the version when
    on some day those invoices are more than `max_share` % (default 25) of
    all the invoices of the base dated that day. The hint proposes waves
    that would keep every day under it.

    ## Why is this bad?
    An error in a new price reaches every customer it touches at once. In
    waves, a mistake reaches a few customers first, and the team answering
    their questions is not flooded on one billing day.

    ## Example
    ```yaml
    versions:
      - effective_from: 2027-05-01      # everyone on their May invoice
        charges: [...]
    ```

    ## Use instead
    ```yaml
    versions:
      - effective_from: 2027-05-01
        rollout:
          - {share: 5, from: 2027-05-01}
          - {share: 30, from: 2027-06-01}
          - {share: 100, from: 2027-07-01}
        charges: [...]
    ```
    """
    limit = Decimal(str(ctx.options.get("max_share", 25)))
    worst: dict[tuple[str, dt.date], ScheduleRow] = {}
    for row in ctx.schedule:
        key = (row.plan, row.effective_from)
        if key not in worst or row.share > worst[key].share:
            worst[key] = row
    for (plan_id, _), row in sorted(worst.items(), key=lambda item: str(item[0])):
        plan = catalog.plans.get(plan_id)
        if plan is None or row.share <= limit:
            continue
        number = next((v for v, version in enumerate(plan.versions)
                       if version.effective_from == row.effective_from), None)
        if number is None:
            continue
        version = plan.versions[number]
        where = ("versions", number, "rollout") if version.rollout else \
            ("versions", number, "effective_from")
        yield ctx.finding(
            plan.origin.at(*where),
            f"plan {plan.id}, version {row.effective_from}: on {row.day} "
            f"{row.moved_invoices:,} of the {row.invoices:,} invoices of that day "
            f"({number_str(row.share.quantize(Decimal('0.1')))} %) move to the new price at "
            f"once (wave {row.wave}), more than max_share {number_str(limit)} %",
            _waves_hint(row, limit, version.effective_from),
            key=f"{plan.id}:{row.effective_from}:rollout-share")


def _waves_hint(row: ScheduleRow, limit: Decimal, start: dt.date) -> str:
    """Waves a month apart, each moving an equal share, enough to keep the worst day under
    ``limit`` (the worst day's share divided by the number of waves)."""
    waves = max(2, math.ceil(row.share / limit) + 1)
    parts = []
    for k in range(1, waves + 1):
        share = HUNDRED if k == waves else max(1, round(HUNDRED * k / waves))
        day = add_months(start, k - 1)
        parts.append(f"{share} % from {day}")
    return ("roll it out in waves under `rollout:`, e.g. " + ", ".join(parts)
            + " (each customer moves on their first invoice on or after their wave's date)")
