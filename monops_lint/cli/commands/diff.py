"""``monops diff``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monops_lint.cli.options import (
    decimal_arg,
    no_cache_option,
    open_workspace,
    parse_day,
    root_option,
    today_option,
)
from monops_lint.cli.status import STATUS, done

# The registry's keys (reporters.review.REVIEW_REPORTERS), written out so that
# `monops --help` need not import the reporters; a test checks they are the same.
REVIEW_FORMATS = ("md", "html", "json")


@click.command()
@click.argument("base", required=False, default="HEAD")
@click.argument("head", required=False)
@root_option
@today_option
@click.option("--format", "output_format", type=click.Choice(REVIEW_FORMATS),
              default="md", show_default=True,
              help="md: the pull-request comment; html: one page for the CI artifact; json.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output.")
@click.option("--fail-on", type=click.Choice(("error", "warning", "info")), default="error",
              show_default=True,
              help="Exit 1 when the change introduces a finding at or above this severity.")
@click.option("--fail-on-increase", metavar="PCT",
              help="Exit 1 when a sample invoice's total rises by more than PCT percent.")
@click.option("--customers", type=click.Path(path_type=Path, file_okay=False), metavar="PATH",
              help="Also price every invoice of this customer base at both sides and add an "
                   "\"Impact on N customers\" section (see `monops impact`; "
                   "$MONOPS_CUSTOMERS or `customers:` in monops.yaml also name one).")
@click.option("--period", metavar="P",
              help="With a customer base: the simulated period, YYYY-MM or "
                   "YYYY-MM-DD..YYYY-MM-DD (default: the month of --today).")
@no_cache_option
def diff(base: str, head: str | None, root: Path | None, today: str | None,
         output_format: str, out: Path | None, fail_on: str,
         fail_on_increase: str | None, customers: Path | None, period: str | None,
         no_cache: bool) -> None:
    """Show what a change does to the catalog and to every sample invoice.

    BASE and HEAD are git revisions (branch, tag, SHA, HEAD~1...), read
    straight from git objects: nothing is checked out. BASE defaults to
    HEAD; HEAD omitted means the working tree, uncommitted changes
    included.

    \b
    In a pull request:
      monops diff origin/main HEAD --out report.md --fail-on-increase 10
    """
    from monops_lint.app.files import write_atomic
    from monops_lint.app.review import review_revisions
    from monops_lint.findings import Severity
    from monops_lint.reporters.review import render_review

    day = parse_day(today)
    threshold = decimal_arg(fail_on_increase, "--fail-on-increase") \
        if fail_on_increase is not None else None
    workspace = open_workspace(root, use_cache=not no_cache)
    result = review_revisions(workspace, base, head, day)
    impact = schedule = None
    if customers is not None or period is not None:
        import dataclasses

        from monops_lint.app.rollout import customer_review
        from monops_lint.cli.commands.customers import base_options

        options = base_options(period, today, customers, "duckdb", "", False)
        impact, schedule, found = customer_review(workspace, base, head, options, day)
        result = dataclasses.replace(result, introduced=tuple(sorted(
            [*result.introduced, *found], key=lambda f: f.sort_key())))
    STATUS.clear()
    text = render_review(result, output_format, impact, schedule)
    if out is not None:
        write_atomic(out, text)
        done(f"wrote {out}")
    else:
        click.echo(text, nl=False)
    severity = Severity.parse(fail_on)
    failing = [f for f in result.introduced if f.severity >= severity]
    rising = result.over(threshold) if threshold is not None else []
    for invoice in rising:
        click.echo(f"monops: {invoice.scenario}: total rises by "
                   f"{invoice.delta_percent:.2f} %, over --fail-on-increase {threshold} %",
                   err=True)
    sys.exit(1 if failing or rising else 0)
