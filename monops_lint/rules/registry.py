"""The rule registry: every rule's id, default severity, options, docs and check.

A rule is a function decorated with ``@rule``; its docstring is its
documentation page (``monops explain``), written in four sections:
``What it does``, ``Why is this bad?``, ``Example`` and ``Use instead``.
Adding a rule is adding one module to ``monops_lint/rules/`` and one fixture
to ``tests/rules/cases/``: modules here are discovered, not listed.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from monops_lint.findings import Finding, Location, Severity

if TYPE_CHECKING:
    from monops_lint.catalog import Catalog
    from monops_lint.config import Config

PHASES = ("load", "catalog", "diff", "engine", "customers")
COSTS = ("light", "charges", "prices")
"""What a rule's check costs: ``prices`` when it prices plans through the engine (thousands
of plans on a large catalog), ``charges`` when it goes through every charge's amounts or
tiers, ``light`` otherwise. The runner may give the ``prices`` rules a process of their own
(they share their prices) and start the ``charges`` rules first among the others, so that
no process is left with a long one at the end."""


class PriceMemo:
    """Prices the rules of one run work out once and share: several rules price the same plan
    in the same channel and currency (upsell-target compares each offer with its upsell;
    interval-ratio, margin-floor and bundle-discount price it again).

    A value is kept under the identity of the immutable catalog objects it
    was worked out from (and plain ``extra`` keys); an entry holds those
    objects, so their ids stay theirs while it lives. The caller of the
    rules makes one per run; a context made without one gets its own.
    """

    __slots__ = ("_held", "_limit")

    def __init__(self, limit: int = 200_000) -> None:
        self._held: dict[tuple[object, ...], tuple[tuple[object, ...], Any]] = {}
        self._limit = limit

    @staticmethod
    def key(sources: tuple[object, ...], extra: tuple[object, ...]) -> tuple[object, ...]:
        """The key of a value worked out from ``sources`` (by identity) and ``extra``."""
        return (*map(id, sources), *extra)

    def get(self, key: tuple[object, ...]) -> tuple[bool, Any]:
        """``(True, value)`` when a value was kept under ``key`` (made by ``key``)."""
        # The ids are the key, and an entry holds its objects: while it lives, no other
        # object can have their ids, so a hit is always for these very objects.
        held = self._held.get(key)
        return (False, None) if held is None else (True, held[1])

    def put(self, key: tuple[object, ...], sources: tuple[object, ...], value: Any) -> None:
        """Keep ``value`` under ``key``, made by ``key`` from ``sources``, which the entry
        holds (the memo is emptied when full)."""
        if len(self._held) >= self._limit:
            self._held.clear()
        self._held[key] = (sources, value)


@dataclass(frozen=True)
class ScheduleRow:
    """One invoice date of a changed plan version's rollout (``monops rollout``): how many
    of that day's invoices move to the new price for the first time."""

    plan: str
    effective_from: dt.date
    wave: int
    day: dt.date
    moved_invoices: int
    invoices: int

    @property
    def share(self) -> Decimal:
        """The moved invoices in percent of that day's invoices."""
        return Decimal(self.moved_invoices) * 100 / self.invoices if self.invoices else \
            Decimal(0)


@dataclass(frozen=True)
class RuleContext:
    """What a check sees besides the catalog: its settings, the config, today's date.

    ``base`` is the catalog before the change, for the ``diff`` rules (None
    when linting one catalog). ``schedule`` is what the ``customers`` rules
    read (``diff --customers``): each changed plan version's rollout days as
    ``ScheduleRow``s, worked out from the customer base.
    """

    rule: Rule
    severity: Severity
    config: Config
    today: dt.date
    options: Mapping[str, Any] = field(default_factory=dict)
    base: Catalog | None = None
    prices: PriceMemo = field(default_factory=PriceMemo, compare=False, repr=False)
    schedule: tuple[ScheduleRow, ...] = ()

    def finding(self, location: Location, message: str, hint: str = "", *, key: str = "",
                related: Iterable[tuple[Location, str]] = ()) -> Finding:
        """A finding of this rule at ``location``.

        ``key`` names the problem independently of where it stands (entity,
        field, other side), for baseline fingerprints; it defaults to the
        message.
        """
        return Finding(self.rule.id, self.severity, location, message, hint,
                       key=key or message, related=tuple(related))


Check = Callable[["Catalog", RuleContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule: stable id, default severity, options with defaults, docs and check."""

    id: str
    severity: Severity
    check: Check
    doc: str
    options: Mapping[str, Any] = field(default_factory=dict)
    phase: str = "catalog"
    cost: str = "light"

    @property
    def summary(self) -> str:
        """The first line of the docs."""
        return self.doc.strip().splitlines()[0].rstrip(".") if self.doc.strip() else self.id

    def sections(self) -> dict[str, str]:
        """The docs' sections by heading (``What it does``, ``Example``...)."""
        found: dict[str, str] = {}
        heading = ""
        for line in self.doc.splitlines():
            match = re.match(r"#+\s+(.*)", line)
            if match:
                heading = match.group(1).strip()
                found[heading] = ""
            elif heading:
                found[heading] += line + "\n"
        return {name: text.strip("\n") for name, text in found.items()}


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, *, options: Mapping[str, Any] | None = None,
         phase: str = "catalog", cost: str = "light") -> Callable[[Check], Check]:
    """Register the decorated ``check(catalog, ctx)`` as rule ``rule_id``; ``cost`` says what
    its check goes through (see ``COSTS``)."""
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase}")
    if cost not in COSTS:
        raise ValueError(f"unknown cost {cost}")

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, check, inspect.cleandoc(check.__doc__ or ""),
                              dict(options or {}), phase, cost)
        return check

    return register
