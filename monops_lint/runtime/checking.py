"""Running the rules over one or both sides of a diff with the rules that price plans in a
forked worker, while this process runs the others; the worker, done, takes the others not
yet started (which rules run where depends on timing, never the findings).

Fork shares the catalog with the worker for free; only findings come back.
The two sides of a diff share the entities and prices of every file a change
left alone, so one process checking both sides prices each shared plan once.
The findings are exactly ``monops_lint.lint.check_catalogs``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from monops_lint.findings import Finding
from monops_lint.lint import Side, check_catalogs, rules_of
from monops_lint.rules import Rule
from monops_lint.rules.registry import PriceMemo
from monops_lint.runtime.fork import (
    RULE_WORKER_MIN_FILES,
    can_fork,
    release_free_memory,
    run_alongside,
)
from monops_lint.runtime.heap import freeze_loaded


def check_catalogs_forked(sides: Sequence[Side], today: dt.date) -> list[list[Finding]]:
    """``check_catalogs`` over ``sides``, the rules of cost ``prices`` in a forked worker on
    a large catalog (when the memory budget allows)."""
    rules = rules_of(("load", "catalog"))
    heavy = [rule for rule in rules if rule.cost == "prices"]
    files = sum(len(catalog.files) for catalog, _ in sides)
    if not heavy or files < RULE_WORKER_MIN_FILES:
        return check_catalogs(sides, today, rules)
    for catalog, _ in sides:
        catalog.build_everything()  # once, here: the worker shares what it reads of ours
    freeze_loaded()  # the entities live as long as the catalog
    release_free_memory()  # so that the budget check sees what is in use
    if not can_fork(files, RULE_WORKER_MIN_FILES):
        return check_catalogs(sides, today, rules)
    # The long ones first: at the end, whichever process is free takes a short one.
    light = sorted((rule for rule in rules if rule.cost != "prices"),
                   key=lambda rule: rule.cost != "charges")
    prices = PriceMemo()  # each process has its own copy once forked: rules there share it

    def each(chosen: list[Rule]) -> Callable[[], list[list[Finding]]]:
        return lambda: check_catalogs(sides, today, chosen, prices)

    there, shared = run_alongside(each(heavy), [each([rule]) for rule in light])
    every = (there, *shared)  # each: one list of findings per side
    return [sorted((finding for found in every for finding in found[side]),
                   key=Finding.sort_key) for side in range(len(sides))]
