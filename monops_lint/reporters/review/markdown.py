"""The pull-request comment (SPEC section 6): Markdown, under 65,000 characters.

In order: the hidden marker, a headline, the catalog changes, the notice
each price rise gives, the scenario invoices (and those whose amounts stay
but whose terms change), per-scenario line diffs in ``<details>`` (net and
tax of both sides, why the total moved), the findings the change introduces
(and fixes), collateral changes, and a footer. When everything
does not fit, the middle (catalog rows, invoice rows, line diffs) is
shortened, and the report says so.
"""

from __future__ import annotations

from collections.abc import Callable

from monops_lint import __version__
from monops_lint.compare import percent_str
from monops_lint.diff.invoices import InvoiceDiff
from monops_lint.diff.review import Review
from monops_lint.findings import Finding, Severity
from monops_lint.reporters.escaping import markdown_text as md
from monops_lint.reporters.review.summary import (
    causes,
    headline,
    money,
    signed,
    tax_text,
    total,
)

MARKER = "<!-- monops-report -->"
LIMIT = 65_000
MAX_FINDINGS = 40
_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}


def code(text: str) -> str:
    """Catalog text as an inline code span (Markdown escapes do not work inside one)."""
    # GitHub reads `\|` as a pipe even inside a code span in a table; a bare `|` ends the cell.
    return "`" + " ".join(str(text).replace("`", "'").replace("|", "\\|").split()) + "`"


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


def _notices(review: Review) -> str:
    """Each price rise for existing subscribers with the notice it gives: the green light
    (✅) or the finding it is (❌)."""
    if not review.notices:
        return ""
    rows = ["### Notice of price rises", ""]
    for notice in review.notices[:MAX_FINDINGS]:
        icon = "✅" if notice.enough else "❌"
        more = f" and {len(notice.rises) - 1} more" if len(notice.rises) > 1 else ""
        see = "" if notice.enough else " — see *Findings*"
        rows.append(f"- {icon} plan {code(notice.plan)}: {md(notice.words())} — "
                    f"{md(notice.rises[0])}{more}{see}")
    if len(review.notices) > MAX_FINDINGS:
        rows.append(f"- …and {len(review.notices) - MAX_FINDINGS} more.")
    return "\n".join(rows)


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
    unchanged = [i.scenario for i in review.invoices if not i.changed and not i.terms_changed]
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
    terms = review.terms_changed
    if terms:
        rows.append(f"\n**{len(terms)} invoice(s) keep their amounts on other terms:**\n")
        for invoice in terms[:MAX_FINDINGS]:
            rows.append(f"- {code(invoice.scenario)} ({md(invoice.channel)}): "
                        + "; ".join(md(note) for note in invoice.notes_added[:3])
                        + ("; no longer: " + "; ".join(md(n) for n in invoice.notes_removed[:3])
                           if invoice.notes_removed else ""))
        if len(terms) > MAX_FINDINGS:
            rows.append(f"- …and {len(terms) - MAX_FINDINGS} more.")
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
        net_before, net_after = invoice.net(False), invoice.net(True)
        assert net_before is not None and net_after is not None
        rows += [f"| | Subtotal | {money(before.subtotal, currency)} | "
                 f"{money(after.subtotal, currency)} | "
                 f"{signed(after.subtotal - before.subtotal, currency)} |",
                 f"| | Tax | {tax_text(invoice, False)} | {tax_text(invoice, True)} | "
                 f"{signed(after.tax - before.tax, currency)} |",
                 f"| | **Total** | {money(before.total, currency)} | "
                 f"{money(after.total, currency)} | "
                 f"{signed(after.total - before.total, currency)} |",
                 f"| | Net (before tax) | {money(net_before, currency)} | "
                 f"{money(net_after, currency)} | {signed(net_after - net_before, currency)} |"]
    unchanged = sum(1 for line in invoice.lines if not line.changed)
    if unchanged:
        rows.append(f"\n{unchanged} other line(s) unchanged.")
    if len(invoice.causes) > 1 or invoice.collateral:
        rows.append(f"\nWhy the total moved: {md(causes(invoice))}.")
    if invoice.notes_added or invoice.notes_removed:
        rows.append("")
        rows += [f"- note now: {md(note)}" for note in invoice.notes_added[:5]]
        rows += [f"- note no longer: {md(note)}" for note in invoice.notes_removed[:5]]
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
        why = f" ({md(causes(invoice))})" if len(invoice.causes) > 1 else ""
        rows.append(f"- **{code(invoice.scenario)}** ({md(invoice.channel)}): {plans} — "
                    f"{money(total(invoice, False), invoice.currency)} → "
                    f"{money(total(invoice, True), invoice.currency)} "
                    f"{percent_str(invoice.delta_percent)}{why}")
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


def render_markdown(review: Review, limit: int = LIMIT, extra: tuple[str, ...] = ()) -> str:
    """The whole comment, shortened in the middle when it would pass ``limit`` characters
    (``comment_length``); ``extra``: sections other reporters made (the impact on the
    customer base), placed before the findings."""
    head = [MARKER, f"## monops: {md(headline(review))}", *_alerts(review)]
    notice = _notices(review)
    tail = [_findings(review), _collateral(review)]
    text = ""
    for catalog_rows, invoice_rows, details in _STEPS:
        catalog, hidden_a = _catalog_table(review, catalog_rows)
        invoices, hidden_b = _invoice_table(review, invoice_rows)
        lines, hidden_c = _details_section(review, details)
        shortened = bool(hidden_a or hidden_b or hidden_c)
        parts = [*head, catalog, notice, invoices, lines, *extra, *tail,
                 _footer(review, shortened)]
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
