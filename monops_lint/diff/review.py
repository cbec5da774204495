"""A pull request's review: catalog changes, invoice changes and findings, base vs head."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from monops_lint.catalog import Catalog
from monops_lint.compare import currency_of
from monops_lint.config import Config
from monops_lint.diff.changes import CatalogChange, CatalogDiff, diff_catalogs, diff_configs
from monops_lint.diff.invoices import InvoiceDiff, diff_invoices
from monops_lint.diff.notice import Notice, notices
from monops_lint.findings import Finding, introduced_findings
from monops_lint.lint import CheckCatalogs, Known, check_catalogs, lint_sides


@dataclass(frozen=True)
class CatalogRevision:
    """One side of a diff: what the user called it, and the commit (None: working tree)."""

    label: str
    sha: str | None
    catalog: Catalog
    config: Config

    @property
    def short(self) -> str:
        """``main (1a2b3c4d5e6f)`` or ``working tree``."""
        return f"{self.label} ({self.sha[:12]})" if self.sha else self.label


@dataclass(frozen=True)
class Review:
    """Everything ``monops diff`` reports."""

    base: CatalogRevision
    head: CatalogRevision
    today: dt.date
    catalog: CatalogDiff
    invoices: tuple[InvoiceDiff, ...]
    introduced: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    checked: tuple[tuple[Finding, ...], tuple[Finding, ...]] = field(
        default=((), ()), compare=False, repr=False)
    """``LintResult.checked`` of (base, head), for the cache."""
    notices: tuple[Notice, ...] = ()
    """Every price rise for existing subscribers, with the notice it gives."""

    @property
    def weighted(self) -> dict[str, Decimal]:
        """The customer-weighted change per currency: Σ weight × Δ over the invoices whose
        total moved (a scenario's ``weight`` is how many customers it stands for)."""
        found: dict[str, Decimal] = {}
        for invoice in self.invoices:
            if invoice.delta:
                found[invoice.currency] = found.get(invoice.currency, Decimal(0)) + \
                    invoice.weight * invoice.delta
        return dict(sorted(found.items()))

    @property
    def price_changes(self) -> dict[str, Decimal | None]:
        """The plans whose prices the change edits (``plan`` or ``plan in channel`` for a
        channel's override), each with its largest change in percent (None: a price added
        or removed, which has no percent)."""
        found: dict[str, Decimal | None] = {}
        for change in self.catalog.changes:
            name = _priced_plan(change)
            if name is None:
                continue
            best = found.get(name)
            if change.percent is not None and (best is None or
                                               abs(change.percent) > abs(best)):
                found[name] = change.percent
            else:
                found.setdefault(name, best)
        return found

    @property
    def terms_changed(self) -> list[InvoiceDiff]:
        """Invoices whose amounts stayed but whose notes changed (a plan taken off sale)."""
        return [i for i in self.invoices if not i.changed and i.terms_changed]

    @property
    def changed_invoices(self) -> list[InvoiceDiff]:
        """The invoices that differ, largest relative change first."""
        changed = [i for i in self.invoices if i.changed]
        return sorted(changed, key=lambda i: (-abs(i.delta_percent or Decimal(0)), i.scenario))

    @property
    def collateral(self) -> list[InvoiceDiff]:
        """Invoices moved by something the change did not touch directly."""
        return [i for i in self.invoices if i.collateral]

    def largest(self, rise: bool) -> InvoiceDiff | None:
        """The invoice with the largest relative rise (or fall)."""
        moved = [i for i in self.invoices
                 if i.delta_percent is not None and (i.delta_percent > 0 if rise
                                                     else i.delta_percent < 0)]
        if not moved:
            return None
        return max(moved, key=lambda i: abs(i.delta_percent or Decimal(0)))

    def over(self, percent: Decimal) -> list[InvoiceDiff]:
        """Invoices whose total rises by more than ``percent``."""
        return [i for i in self.invoices if i.delta_percent is not None and
                i.delta_percent > percent]


_PRICE_WORDS = ("charges[", "phases[", "minimum", "free", "tiers[")


def _priced_plan(change: CatalogChange) -> str | None:
    """The plan whose price a catalog change edits, or None."""
    if change.kind == "plan" and change.change in ("changed", "new version", "added",
                                                   "removed") and change.field and \
            (currency_of(change.field) or any(w in change.field for w in _PRICE_WORDS)):
        return change.id
    if change.kind == "channel" and change.field.startswith("offerings[") and \
            ".price_override" in change.field:
        return f"{change.field[len('offerings['):change.field.index(']')]} in {change.id}"
    return None


def review(base: CatalogRevision, head: CatalogRevision, today: dt.date,
           progress: Callable[[str], None] | None = None,
           known: Known = (None, None), check: CheckCatalogs = check_catalogs) -> Review:
    """Compare ``base`` with ``head``: catalog, every scenario's invoice, and findings.

    ``progress``, when given, is told each step as it starts; ``known`` gives
    each side's ``LintResult.checked`` when an earlier run found it; ``check`` runs
    the rules over the others (default: in this process).
    """
    say = progress or (lambda message: None)
    say("comparing the catalogs")
    entities = diff_catalogs(base.catalog, head.catalog)
    changes = replace(entities, changes=(*diff_configs(base.config, head.config),
                                         *entities.changes))
    say(f"pricing {len(set(base.catalog.scenarios) | set(head.catalog.scenarios)):,} "
        "scenarios on both sides")
    invoices = diff_invoices(base.catalog, head.catalog, changes, base.config.rounding,
                             head.config.rounding)
    say("running the rules on both sides" if known == (None, None) else
        "running the rules on the side not seen before")
    linted = lint_sides(base.catalog, base.config, head.catalog, head.config, today,
                        known=known, check=check)
    before, after = (result.findings for result in linted)
    return Review(base, head, today, changes, tuple(invoices), introduced_findings(after, before),
                  introduced_findings(before, after), (linted[0].checked, linted[1].checked),
                  notices(base.catalog, head.catalog, head.config, today))
