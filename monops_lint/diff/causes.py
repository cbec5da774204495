"""Why one invoice moved: its change of total split by cause (issue 15 item 13).

A pull request can move one invoice for several reasons at once: a plan's
new price and the channel's tax mode, say. Each part is worked out by
pricing the invoice with one cause at a time: the head invoice with the
base's tax mode (the lines do not depend on it; the engine's ``tax_of``
prices the total again) gives the tax mode's part, and what is left is the
lines' part, split by who moved them: plans the change touched, plans it
did not touch, the scenario's own edit. The parts add up to the change of
the total exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from monops_lint.money import ZERO
from monops_lint.pricing import Invoice, tax_of


@dataclass(frozen=True, slots=True)
class Cause:
    """One part of an invoice's change of total: what moved it, and by how much."""

    cause: str
    delta: Decimal


@dataclass(frozen=True, slots=True)
class MovedLines:
    """The lines that moved for one reason: their plans, and the sum of their changes."""

    plans: tuple[str, ...]
    delta: Decimal


def _plans(plans: Sequence[str]) -> str:
    names = ", ".join(plans)
    return f"plan {names}" if len(plans) == 1 else f"plans {names}"


def attribute(before: Invoice, after: Invoice, channel: str, touched: MovedLines,
              untouched: MovedLines, scenario_edited: bool) -> tuple[Cause, ...]:
    """The parts of ``after.total − before.total``, largest first; nothing when the total
    did not move.

    ``touched`` are the lines of the plans the change edited (or whose offering or
    promotion it edited), ``untouched`` the lines of the other plans; with
    ``scenario_edited`` every line change is the scenario's own edit.
    """
    if before.currency != after.currency or before.total == after.total:
        return ()
    parts: list[Cause] = []
    rest = after.total - before.total
    if before.tax_inclusive != after.tax_inclusive:
        _, as_before = tax_of(after.subtotal, after.tax_rate, inclusive=before.tax_inclusive,
                              currency=after.currency, rounding=after.rounding)
        now = "includes tax" if after.tax_inclusive else "adds tax"
        parts.append(Cause(f"channel {channel}'s tax mode (now {now})", after.total - as_before))
        rest = as_before - before.total
    groups: list[tuple[str, Decimal]] = []
    if scenario_edited:
        lines = touched.delta + untouched.delta
        if lines:
            groups.append(("the scenario's own edit", lines))
    else:
        if touched.delta:
            groups.append((f"the new prices of {_plans(touched.plans)}", touched.delta))
        if untouched.delta:
            groups.append((f"{_plans(untouched.plans)}, which this change did not touch",
                           untouched.delta))
    # The lines' changes and the tax on them (added once per invoice, rounded once): with
    # one reason the tax goes with it; with several it is a part of its own.
    tax_on_them = rest - sum((delta for _, delta in groups), ZERO)
    if len(groups) == 1:
        groups = [(groups[0][0], groups[0][1] + tax_on_them)]
    elif tax_on_them:
        groups.append(("the tax on the total", tax_on_them))
    parts += [Cause(label, delta) for label, delta in groups if delta]
    return tuple(sorted(parts, key=lambda part: -abs(part.delta)))
