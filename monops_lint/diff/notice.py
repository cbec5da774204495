"""The notice each price rise of a change gives existing subscribers (issue 15 item 15).

``notice-period`` reports a rise that comes too soon; a release manager also
wants the green light for the others: "effective 2027-03-01: 96 days'
notice, policy 30". Rises are read as the rule reads them
(``rules.support.notice``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.rules.support.notice import (
    in_effect_since,
    notice_days,
    term_rises,
    version_rises,
)


@dataclass(frozen=True, slots=True)
class Notice:
    """One price rise for existing subscribers and the notice it gives.

    ``effective`` is the day it takes effect (None: at once, a plan-level
    term has no date); ``days`` the days from today to then; ``policy`` the
    notice the config asks for (None: ``notice-period`` is off); ``rises``
    what rises, in words.
    """

    plan: str
    effective: dt.date | None
    days: int
    policy: int | None
    rises: tuple[str, ...]

    @property
    def enough(self) -> bool:
        """Whether the rise gives the notice the policy asks for (always, with no policy)."""
        return self.policy is None or (self.effective is not None and self.days >= self.policy)

    def words(self) -> str:
        """``effective 2027-03-01: 96 days' notice, policy 30``."""
        when = f"effective {self.effective}" if self.effective is not None else \
            "effective at once (plan-level terms have no date)"
        policy = "no notice policy (notice-period is off)" if self.policy is None \
            else f"policy {self.policy}"
        return f"{when}: {self.days} days' notice, {policy}"


def notices(base: Catalog, head: Catalog, config: Config, today: dt.date) -> tuple[Notice, ...]:
    """Every rise the change makes for existing subscribers of plans that were there before
    it, in plan order: new versions that raise a price, plan-level terms that do."""
    policy = notice_days(config)
    found: list[Notice] = []
    for plan_id in head.changed_ids(base, "plan"):
        before, after = base.plans.get(plan_id), head.plans.get(plan_id)
        if before is None or after is None:
            continue
        for rise in version_rises(before, after, today):
            found.append(Notice(plan_id, rise.day, rise.notice(today), policy,
                                tuple(text for _, text in rise.rises)))
        if in_effect_since(before, today) is not None:
            terms = tuple(text for _, text in term_rises(before, after))
            if terms:
                found.append(Notice(plan_id, None, 0, policy, terms))
    return tuple(found)
