"""Price rises for existing subscribers, as two sides of a change show them (no rules here).

``notice-period`` reports the rises that take effect too soon; the review of
a change (``monops diff``) shows every rise with the notice it gives, so a
release manager also sees the green light. Both read the plans as written
(their YAML data), like the catalog diff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monops_lint.compare import currency_of, field_changes, percent_change, percent_str, shown
from monops_lint.config import Config
from monops_lint.model import Plan

NOTICE_DAYS = 30
"""``notice-period``'s default ``days``."""

PLAN_TERMS = ("minimum", "trial_days", "limits", "free")
"""Plan-level commercial terms: they apply to every version, so they cannot be dated."""


def notice_days(config: Config) -> int | None:
    """The notice ``config`` asks for (``notice-period: {days: N}``), None when the rule is
    off."""
    setting = config.rules.get("notice-period")
    if setting is None:
        return NOTICE_DAYS
    if setting.off:
        return None
    return int(setting.options.get("days", NOTICE_DAYS))


def plan_versions(plan: Plan) -> dict[str, tuple[int, Any]]:
    """``effective_from`` (text) -> (position in the file, the version as written)."""
    data = plan.origin.data
    return {str(v["effective_from"]): (i, v) for i, v in enumerate(data.get("versions", []))}


def in_effect_since(plan: Plan, today: dt.date) -> dt.date | None:
    """The first day a version of ``plan`` took effect, when that is on or before ``today``
    (customers have been billed by it); None for a plan not yet in effect."""
    days = [v.effective_from for v in plan.versions if v.effective_from <= today]
    return min(days) if days else None


def _added_amounts(value: Any, path: str) -> Iterator[str]:
    """The money amounts above zero in an added part of a charge, in words."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _added_amounts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _added_amounts(item, f"{path}[{index}]")
    else:
        currency = currency_of(path)
        if currency is not None and isinstance(value, Decimal | int) and \
                not isinstance(value, bool) and value > 0:
            yield shown(value, currency)


def rises(before: Any, after: Any, path: str = "charges"
          ) -> dict[str, tuple[tuple[Any, ...], str]]:
    """Money that rises from one version's charges (``before``) to the next (``after``), by
    field path: the keys below ``after`` and the rise in words.

    A charge (or a fee inside one, such as a tier's ``flat_amount``) that is
    new and costs something is a rise too.
    """
    found: dict[str, tuple[tuple[Any, ...], str]] = {}
    for change in field_changes(before, after, path, (), path):
        if change.before is None and isinstance(change.after, Mapping):
            added = list(_added_amounts(change.after, change.path))
            if added:
                found[change.path] = (change.keys, f"{change.path}: new, {', '.join(added)}")
            continue
        currency = currency_of(change.path)
        percent = percent_change(change.before, change.after) if currency else None
        if currency is not None and percent is not None and percent > 0:
            found[change.path] = (change.keys, f"{change.path}: {shown(change.before, currency)}"
                                               f" → {shown(change.after, currency)} "
                                               f"({percent_str(percent)})")
    return found


def term_rises(base: Plan, head: Plan) -> list[tuple[tuple[Any, ...], str]]:
    """What the plan-level terms of ``head`` charge existing subscribers beyond ``base``'s, at
    once (they have no date): a ``minimum`` that rises or appears, a free plan that is no
    longer free. Each with the keys of the field in ``head`` and the rise in words."""
    old, new = base.origin.data, head.origin.data
    found: list[tuple[tuple[Any, ...], str]] = []
    if old.get("free") is True and new.get("free") is not True:
        found.append((("free",), "free: true → false (the plan now charges its prices)"))
    minimum, before = new.get("minimum") or {}, old.get("minimum") or {}
    if minimum and not before:
        added = ", ".join(shown(amount, currency) for currency, amount in minimum.items())
        found.append((("minimum",), f"minimum: new, {added}"))
    for currency, amount in minimum.items() if before else ():
        if currency not in before:
            # Subscribers billed in this currency had no minimum: now they have one.
            found.append((("minimum", currency), f"minimum.{currency}: new, "
                                                 f"{shown(amount, currency)}"))
            continue
        percent = percent_change(before[currency], amount)
        if percent is not None and percent > 0:
            found.append((("minimum", currency),
                          f"minimum.{currency}: {shown(before[currency], currency)} → "
                          f"{shown(amount, currency)} ({percent_str(percent)})"))
    return found


@dataclass(frozen=True)
class VersionRise:
    """A version of ``plan`` that the change makes charge existing subscribers more.

    ``day`` is its ``effective_from``; ``index`` its position in the head's
    file; ``rises`` the field paths and the rises in words, compared with
    the version it supersedes (for a version the base announced already,
    only what rises beyond what the base said).
    """

    plan: str
    day: dt.date
    index: int
    rises: tuple[tuple[str, str], ...]

    def notice(self, today: dt.date) -> int:
        """Days between ``today`` and the day the rise takes effect."""
        return (self.day - today).days


def version_rises(base: Plan, head: Plan, today: dt.date) -> Iterator[VersionRise]:
    """Every version of ``head`` that the change adds (or edits, before it takes effect) and
    that raises a price over the version before it. Versions in effect already are
    ``history-rewrite``'s business; a plan's first version supersedes nothing."""
    old, new = plan_versions(base), plan_versions(head)
    ordered = sorted(new)
    for position, day in enumerate(ordered):
        index, version = new[day]
        when = dt.date.fromisoformat(day)
        if position == 0:
            continue
        if day in old and (when <= today or old[day][1] == version):
            continue  # unchanged, or in effect already
        previous = new[ordered[position - 1]][1]
        found = {path: text for path, (_, text)
                 in rises(previous.get("charges"), version.get("charges")).items()}
        if day in old:
            # Announced in the base already: only what now rises beyond that is new.
            beyond = rises(old[day][1].get("charges"), version.get("charges"))
            found = {path: text for path, text in found.items() if path in beyond}
        if found:
            yield VersionRise(head.id, when, index, tuple(found.items()))
