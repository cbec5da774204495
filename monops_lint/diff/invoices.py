"""Every sample invoice before and after a change, line by line, and what moved it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.compare import percent_change
from monops_lint.diff.causes import Cause, MovedLines, attribute
from monops_lint.diff.changes import CatalogDiff
from monops_lint.money import ZERO
from monops_lint.pricing import Invoice, InvoiceLine, PricingError, invoice_for

LineKey = tuple[int, str, str, str]  # (subscription, plan, kind, charge)


@dataclass(frozen=True, slots=True)
class LineDiff:
    """One invoice line before and after (None: the line is not there)."""

    key: LineKey
    plan: str
    description: str
    before: Decimal | None
    after: Decimal | None

    @property
    def changed(self) -> bool:
        """Whether the amount (or the line's presence) differs."""
        return self.before != self.after


@dataclass(frozen=True)
class InvoiceDiff:
    """One scenario's invoice at the base and at the head.

    An invoice that cannot be priced on one side carries the reason in
    ``before_error`` / ``after_error``. ``collateral`` lists the plans whose
    lines changed although the change touched neither the plan nor its
    offering in this channel (nor the scenario): moved by something else.
    An entry with a space is not a plan id but a reason in words (a
    channel's tax mode).
    """

    scenario: str
    title: str
    channel: str
    currency: str
    before: Invoice | None
    after: Invoice | None
    lines: tuple[LineDiff, ...]
    before_error: str = ""
    after_error: str = ""
    collateral: tuple[str, ...] = ()
    invalid: tuple[bool, bool] = (False, False)
    """Whether the scenario itself is written but invalid at the base, at the head."""
    weight: Decimal = Decimal(1)
    """How many customers the scenario stands for (its ``weight``)."""
    causes: tuple[Cause, ...] = ()
    """The change of the total split by what moved it (see ``diff.causes``)."""

    def net(self, after: bool) -> Decimal | None:
        """Revenue before tax on one side: the total less the tax (in a tax-inclusive
        channel, less the tax the prices include)."""
        side = self.after if after else self.before
        return None if side is None else side.total - side.tax

    @property
    def notes_added(self) -> tuple[str, ...]:
        """Notes of the head invoice the base's does not have (a plan off sale...)."""
        old = set(self.before.notes) if self.before is not None else set()
        return tuple(n for n in (self.after.notes if self.after else ()) if n not in old)

    @property
    def notes_removed(self) -> tuple[str, ...]:
        """Notes of the base invoice the head's does not have."""
        new = set(self.after.notes) if self.after is not None else set()
        return tuple(n for n in (self.before.notes if self.before else ()) if n not in new)

    @property
    def terms_changed(self) -> bool:
        """Whether both sides are priced and their notes differ: the same amounts may
        stand on other terms (a plan no longer offered in the channel)."""
        return self.before is not None and self.after is not None and \
            bool(self.notes_added or self.notes_removed)

    @property
    def changed(self) -> bool:
        """Whether anything on the invoice differs."""
        if (self.before is None) != (self.after is None) or self.before_error != self.after_error:
            return True
        if self.before is None or self.after is None:
            return False
        return any(line.changed for line in self.lines) or \
            (self.before.subtotal, self.before.tax, self.before.total, self.before.currency) != \
            (self.after.subtotal, self.after.tax, self.after.total, self.after.currency)

    @property
    def delta(self) -> Decimal | None:
        """Total after minus total before (None unless both exist in one currency)."""
        if self.before is None or self.after is None or \
                self.before.currency != self.after.currency:
            return None
        return self.after.total - self.before.total

    @property
    def delta_percent(self) -> Decimal | None:
        """The change of the total in percent of the total before."""
        if self.delta is None or self.before is None:
            return None
        return percent_change(self.before.total, self.after.total if self.after else None)


def _key(line: InvoiceLine) -> LineKey:
    charge = f"{line.phase}/{line.charge}" if line.phase else line.charge
    return (line.subscription, line.plan, line.kind, charge)


def _price(catalog: Catalog, scenario_id: str, rounding: str) -> tuple[Invoice | None, str]:
    scenario = catalog.scenarios.get(scenario_id)
    if scenario is None:
        # Written but invalid (a schema or YAML error): there, but it cannot be priced.
        return None, (f"scenario {scenario_id} is invalid (see findings)"
                      if catalog.knows("scenario", scenario_id) else "")
    try:
        return invoice_for(scenario, catalog, rounding), ""
    except PricingError as exc:
        return None, str(exc)


def diff_invoice(scenario_id: str, base: Catalog, head: Catalog, changes: CatalogDiff,
                 base_rounding: str, head_rounding: str) -> InvoiceDiff:
    """The invoice of one scenario at both sides, matched line by line."""
    before, before_error = _price(base, scenario_id, base_rounding)
    after, after_error = _price(head, scenario_id, head_rounding)
    old = {_key(line): line for line in before.lines} if before else {}
    new = {_key(line): line for line in after.lines} if after else {}
    lines = []
    for key in [*old, *[k for k in new if k not in old]]:
        shown = new.get(key) or old[key]
        lines.append(LineDiff(key, shown.plan, shown.description,
                              old[key].amount if key in old else None,
                              new[key].amount if key in new else None))
    scenario = head.scenarios.get(scenario_id) or base.scenarios[scenario_id]
    scenario_touched = any(c.kind == "scenario" and c.id == scenario_id for c in changes.changes)
    collateral: list[str] = []
    if before is not None and after is not None and not scenario_touched:
        for line in lines:
            if line.changed and not changes.touches(line.plan, scenario.channel) and \
                    line.plan not in collateral:
                collateral.append(line.plan)
        # The channel's tax mode moves the total whatever the lines do, so it is collateral
        # even beside a touched plan's lines; and totals that moved with no line moved too.
        tax_mode_changed = before.tax_inclusive != after.tax_inclusive
        totals_moved_alone = (before.tax, before.total) != (after.tax, after.total) and \
            not any(line.changed for line in lines)
        if tax_mode_changed:
            now = "includes tax" if after.tax_inclusive else "adds tax"
            collateral.append(f"channel {scenario.channel}'s tax mode (now {now})")
        elif not collateral and totals_moved_alone:
            collateral.append("the tax on the total")
    invalid = (scenario_id not in base.scenarios and base.knows("scenario", scenario_id),
               scenario_id not in head.scenarios and head.knows("scenario", scenario_id))
    causes: tuple[Cause, ...] = ()
    if before is not None and after is not None:
        moved = [line for line in lines if line.changed]
        causes = attribute(before, after, scenario.channel,
                           _moved([m for m in moved if m.plan not in collateral]),
                           _moved([m for m in moved if m.plan in collateral]),
                           scenario_touched)
    diff = InvoiceDiff(scenario_id, scenario.name or scenario_id, scenario.channel,
                       scenario.currency, before, after, tuple(lines), before_error,
                       after_error, tuple(collateral), invalid, scenario.weight, causes)
    # Collateral is what moved an invoice: an invoice that did not change has none (a tax
    # mode flip leaves a 0 % invoice as it was).
    return diff if diff.changed else replace(diff, collateral=())


def _moved(lines: list[LineDiff]) -> MovedLines:
    """The plans of ``lines`` and the sum of their changes (a line added or removed counts
    from or to zero)."""
    delta = sum(((line.after or ZERO) - (line.before or ZERO) for line in lines), ZERO)
    return MovedLines(tuple(dict.fromkeys(line.plan for line in lines)), delta)


def diff_invoices(base: Catalog, head: Catalog, changes: CatalogDiff, base_rounding: str,
                  head_rounding: str) -> list[InvoiceDiff]:
    """Every scenario of either side, in id order."""
    ids = sorted(set(base.scenarios) | set(head.scenarios))
    return [diff_invoice(s, base, head, changes, base_rounding, head_rounding) for s in ids]
