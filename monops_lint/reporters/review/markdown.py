"""The pull-request comment (SPEC section 6): Markdown, under 65,000 characters.

In order: the hidden marker, a headline, the catalog changes, the scenario
invoices, per-scenario line diffs in ``<details>``, the findings the change
introduces (and fixes), collateral changes, and a footer. When everything
does not fit, the middle (catalog rows, invoice rows, line diffs) is
shortened, and the report says so.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from monops_lint import __version__
from monops_lint.compare import percent_str
from monops_lint.diff.invoices import InvoiceDiff
from monops_lint.diff.review import Review
from monops_lint.findings import Finding, Severity
from monops_lint.money import money_str
from monops_lint.reporters.escaping import markdown_text as md

MARKER = "<!-- monops-report -->"
LIMIT = 65_000
MAX_FINDINGS = 40
_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}


def money(amount: Decimal | None, currency: str) -> str:
    """``USD 116.36``, ``USD −7.27``; ``—`` when there is no amount."""
    if amount is None:
        return "—"
    sign = "−" if amount < 0 else ""
    return f"{currency} {sign}{money_str(abs(amount), currency)}"


def code(text: str) -> str:
    """Catalog text as an inline code span (Markdown escapes do not work inside one)."""
    # GitHub reads `\|` as a pipe even inside a code span in a table; a bare `|` ends the cell.
    return "`" + " ".join(str(text).replace("`", "'").replace("|", "\\|").split()) + "`"


def signed(amount: Decimal | None, currency: str) -> str:
    """``+5.69`` / ``−2.00`` in the currency's minor units."""
    if amount is None:
        return ""
    sign = "+" if amount > 0 else "−" if amount < 0 else "±"
    return f"{sign}{money_str(abs(amount), currency)}"


def total(invoice: InvoiceDiff, after: bool) -> Decimal | None:
    """The total of one side, if it could be priced."""
    side = invoice.after if after else invoice.before
    return side.total if side is not None else None


def headline(review: Review) -> str:
    """How many invoices change, and the largest rise and fall."""
    changed = review.changed_invoices
    count = len(review.invoices)
    if not changed:
        return f"No sample invoice changes ({count} checked)"
    parts = [f"{len(changed)} of {count} sample invoices change"]
    broken = sum(1 for i in review.invoices if i.after_error and not i.before_error)
    if broken:
        parts[0] += f" ({broken} can no longer be priced)"
    rise, fall = review.largest(True), review.largest(False)
    if rise is not None:
        parts.append(f"largest rise {percent_str(rise.delta_percent)} ({rise.scenario})")
    if fall is not None:
        parts.append(f"largest fall {percent_str(fall.delta_percent)} ({fall.scenario})")
    return " — ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def _alerts(review: Review) -> list[str]:
    lines = []
    if review.collateral:
        lines.append(f"> [!WARNING]\n> **{len(review.collateral)} invoice(s) changed for plans "
                     "this pull request did not touch** — see *Collateral changes* below.")
    errors = [f for f in review.introduced if f.severity is Severity.ERROR]
    if errors:
        lines.append(f"> [!CAUTION]\n> **{len(errors)} new error(s)** — see *Findings*.")
    return lines


def _catalog_table(review: Review, limit: int | None) -> tuple[str, int]:
    changes = review.catalog.changes
    if not changes:
        return "### Catalog changes\n\nNo catalog entity changed.", 0
    shown = changes if limit is None else changes[:limit]
    rows = ["### Catalog changes", "", "| Entity | Change | Before → after |", "|---|---|---|"]
    for change in shown:
        what = f"{change.change} {code(change.field)}" if change.field else change.change
        note = f" {md(change.note)}" if change.note else ""
        rows.append(f"| {change.kind} {code(change.id)} | {what} | "
                    f"{md(change.before)} → {md(change.after)}{note} |")
    hidden = len(changes) - len(shown)
    if hidden:
        rows.append(f"\n*…and {hidden} more catalog change(s) not shown here.*")
    return "\n".join(rows), hidden


def _invoice_row(invoice: InvoiceDiff) -> str:
    currency = invoice.currency
    status = ""
    if invoice.before is None and invoice.after is not None and not invoice.before_error:
        status = " (new)"
    elif invoice.after is None and not invoice.after_error:
        status = " (removed)"
    elif invoice.invalid[1]:
        status = " (invalid)"
    elif invoice.after_error:
        status = " (cannot be priced)"
    flag = " ⚠️" if invoice.collateral else ""
    return (f"| {code(invoice.scenario)}{status}{flag} | {md(invoice.channel)} | {currency} | "
            f"{money(total(invoice, False), currency)} | {money(total(invoice, True), currency)} | "
            f"{signed(invoice.delta, currency)} | {percent_str(invoice.delta_percent)} |")


def _invoice_table(review: Review, limit: int | None) -> tuple[str, int]:
    changed = review.changed_invoices
    unchanged = [i.scenario for i in review.invoices if not i.changed]
    rows = ["### Invoices", ""]
    if changed:
        shown = changed if limit is None else changed[:limit]
        rows += ["| Scenario | Channel | Currency | Total before | Total after | Δ | Δ % |",
                 "|---|---|---|--:|--:|--:|--:|", *[_invoice_row(i) for i in shown]]
        hidden = len(changed) - len(shown)
        if hidden:
            rows.append(f"\n*…and {hidden} more changed invoice(s) not shown here.*")
    else:
        hidden = 0
        rows.append("No invoice changes.")
    if unchanged:
        listed = ", ".join(f"{code(s)}" for s in unchanged[:30])
        more = f" and {len(unchanged) - 30} more" if len(unchanged) > 30 else ""
        rows.append(f"\n{len(unchanged)} unchanged: {listed}{more}.")
    return "\n".join(rows), hidden


def _details(invoice: InvoiceDiff) -> str:
    currency = invoice.currency
    summary = (f"<b>{md(invoice.scenario)}</b>: {money(total(invoice, False), currency)} → "
               f"{money(total(invoice, True), currency)} {percent_str(invoice.delta_percent)}")
    rows = ["<details>", f"<summary>{summary}</summary>", ""]
    for error, side in ((invoice.before_error, "base"), (invoice.after_error, "head")):
        if error:
            rows.append(f"Cannot be priced at the {side}: {md(error)}\n")
    rows += ["| Plan | Line | Before | After | Δ |", "|---|---|--:|--:|--:|"]
    for line in invoice.lines:
        if not line.changed:
            continue
        delta = None if line.before is None or line.after is None else line.after - line.before
        rows.append(f"| {code(line.plan)} | {md(line.description)} | "
                    f"{money(line.before, currency)} | {money(line.after, currency)} | "
                    f"{signed(delta, currency)} |")
    before, after = invoice.before, invoice.after
    if before is not None and after is not None:
        for label, old, new in (("Subtotal", before.subtotal, after.subtotal),
                                ("Tax", before.tax, after.tax),
                                ("**Total**", before.total, after.total)):
            rows.append(f"| | {label} | {money(old, currency)} | {money(new, currency)} | "
                        f"{signed(new - old, currency)} |")
    unchanged = sum(1 for line in invoice.lines if not line.changed)
    if unchanged:
        rows.append(f"\n{unchanged} other line(s) unchanged.")
    rows += ["", "</details>"]
    return "\n".join(rows)


def _details_section(review: Review, limit: int | None) -> tuple[str, int]:
    changed = review.changed_invoices
    if not changed:
        return "", 0
    shown = changed if limit is None else changed[:limit]
    parts = ["### Line changes", "", *[_details(i) for i in shown]]
    hidden = len(changed) - len(shown)
    if hidden:
        parts.append(f"\n*…line changes of {hidden} more invoice(s) not shown here.*")
    return "\n".join(parts), hidden


def _finding_line(finding: Finding) -> str:
    return (f"- {_ICON[finding.severity]} {code(str(finding.location))} **{finding.rule}** "
            f"{md(finding.message)}" + (f" — *{md(finding.hint)}*" if finding.hint else ""))


def _findings(review: Review) -> str:
    parts = []
    for title, findings in (("Findings this change introduces", review.introduced),
                            ("Findings this change fixes", review.fixed)):
        if not findings:
            continue
        parts.append(f"### {title} ({len(findings)})\n")
        parts += [_finding_line(f) for f in findings[:MAX_FINDINGS]]
        if len(findings) > MAX_FINDINGS:
            parts.append(f"- …and {len(findings) - MAX_FINDINGS} more (`monops lint`).")
        parts.append("")
    if not parts:
        return "### Findings\n\nThis change introduces and fixes no findings."
    return "\n".join(parts).rstrip()


def _collateral(review: Review) -> str:
    collateral = review.collateral
    if not collateral:
        return ""
    rows = ["### ⚠️ Collateral changes", "",
            "> [!WARNING]",
            "> These invoices changed although this pull request touched neither the plans "
            "below nor their offerings in that channel. Check that this is intended.", ""]
    for invoice in collateral[:MAX_FINDINGS]:
        plans = ", ".join(md(p) if " " in p else code(p) for p in invoice.collateral)
        rows.append(f"- **{code(invoice.scenario)}** ({md(invoice.channel)}): {plans} — "
                    f"{money(total(invoice, False), invoice.currency)} → "
                    f"{money(total(invoice, True), invoice.currency)} "
                    f"{percent_str(invoice.delta_percent)}")
    if len(collateral) > MAX_FINDINGS:
        rows.append(f"- …and {len(collateral) - MAX_FINDINGS} more.")
    return "\n".join(rows)


def _footer(review: Review, shortened: bool) -> str:
    note = (" The report was shortened to stay under 65,000 characters: the HTML report and "
            "`monops diff --format json` hold everything." if shortened else "")
    return (f"---\n<sub>monops {__version__} · base {md(review.base.short)} · head "
            f"{md(review.head.short)} · today {review.today} · amounts exact, each invoice "
            f"line rounded to the currency's minor unit.{note}</sub>")


Section = Callable[[Review, int | None], tuple[str, int]]
# How far the middle is cut, step by step, until the report fits: (catalog rows,
# invoice rows, line-diff sections).
_STEPS: tuple[tuple[int | None, int | None, int | None], ...] = (
    (None, None, None), (200, None, 50), (100, 300, 20), (50, 150, 10), (25, 75, 5),
    (10, 30, 0), (5, 10, 0), (0, 0, 0))


def render_markdown(review: Review, limit: int = LIMIT) -> str:
    """The whole comment, shortened in the middle when it would pass ``limit`` characters
    (``comment_length``)."""
    head = [MARKER, f"## monops: {md(headline(review))}", *_alerts(review)]
    tail = [_findings(review), _collateral(review)]
    text = ""
    for catalog_rows, invoice_rows, details in _STEPS:
        catalog, hidden_a = _catalog_table(review, catalog_rows)
        invoices, hidden_b = _invoice_table(review, invoice_rows)
        lines, hidden_c = _details_section(review, details)
        shortened = bool(hidden_a or hidden_b or hidden_c)
        parts = [*head, catalog, invoices, lines, *tail, _footer(review, shortened)]
        text = "\n\n".join(p for p in parts if p) + "\n"
        if comment_length(text) <= limit:
            return text
    return _first_units(text, limit - 200) + "\n\n*…cut at 65,000 characters.*\n" + MARKER + "\n"


def comment_length(text: str) -> int:
    """How long GitHub counts ``text`` to be: UTF-16 code units (an emoji counts 2), the
    larger of the units its API could use, so a report under the limit is never cut."""
    return len(text.encode("utf-16-le")) // 2


def _first_units(text: str, units: int) -> str:
    """The longest start of ``text`` that is at most ``units`` UTF-16 units long."""
    return text.encode("utf-16-le")[: units * 2].decode("utf-16-le", "ignore")
