"""``monops rollout``: staged rollout of a price change over the customer base (SPEC
section 10)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monops_lint.cli.commands.customers import base_options, customer_base_options, emit
from monops_lint.cli.options import (
    decimal_arg,
    no_cache_option,
    open_workspace,
    parse_day,
    root_option,
    today_option,
)
from monops_lint.cli.status import done

# The reporters' formats (reporters.rollout.ROLLOUT_REPORTERS); a test checks they agree.
ROLLOUT_FORMATS = ("text", "md", "html", "json", "csv")


@click.command()
@click.argument("base", required=False, default="HEAD")
@click.argument("head", required=False)
@root_option
@today_option
@customer_base_options
@click.option("--max-share", default="25", show_default=True, metavar="PCT",
              help="Flag a day on which more than PCT % of that day's invoices move to a new "
                   "price at once (the rollout-share rule's max_share, unless monops.yaml "
                   "sets it).")
@click.option("--format", "output_format", type=click.Choice(ROLLOUT_FORMATS), default="text",
              show_default=True, help="text; md (never customer ids); html (charts); json; csv.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output.")
@click.option("--per-customer", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE",
              help="Write each moving subscription's customer_id, subscription_id, plan, "
                   "version, wave and first invoice date under the new version to FILE "
                   "(.csv or .parquet), for the billing system: customer ids in clear, it is "
                   "your own file.")
@no_cache_option
def rollout(base: str, head: str | None, root: Path | None, today: str | None,
            customers: Path | None, period: str | None, engine: str, spark_master: str,
            strict: bool, max_share: str, output_format: str, out: Path | None,
            per_customer: Path | None, no_cache: bool) -> None:
    """Show when a price change reaches which customers, wave by wave.

    For every plan version HEAD introduces or changes against BASE
    (revisions as for `monops diff`), each customer of the base moves to the
    new price on their first invoice on or after their wave's `from` (their
    bucket: SHA-256 of the customer id). The schedule lists those invoice
    dates: customers moving, their share of the plan's customers and of all
    invoices that day, and the list price change of those invoices. The
    invoice-day load of the base (--period, default: the month of the first
    wave) is shown beside it.

    \b
    Examples:
      monops rollout origin/main HEAD --customers ~/base
      monops rollout HEAD --format html --out rollout.html
      monops rollout main --per-customer waves.csv
    """
    from monops_lint.app.rollout import rollout_of_change
    from monops_lint.reporters.rollout import render_rollout

    options = base_options(period, today, customers, engine, spark_master, strict)
    limit = decimal_arg(max_share, "--max-share")
    workspace = open_workspace(root, use_cache=not no_cache)
    result = rollout_of_change(workspace, base, head, options, max_share=limit,
                               period_given=period is not None, per_customer=per_customer)
    emit(render_rollout(result, output_format), output_format, out)
    if per_customer is not None:
        done(f"wrote {per_customer}")
    parse_day(today)  # --today is checked even though the schedule does not depend on it
    sys.exit(0)
