"""``monops impact``, ``monops metrics`` and ``monops customers sample``: the customer base
(SPEC section 9)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from monops_lint.cli.options import (
    F,
    decimal_arg,
    no_cache_option,
    open_workspace,
    parse_day,
    root_option,
    today_option,
)
from monops_lint.cli.status import STATUS, done, printable
from monops_lint.errors import MonopsError

# The reporters' formats (reporters.figures), written out so that `monops --help` need not
# import them; a test checks they are the same.
IMPACT_FORMATS = ("md", "html", "json")
METRICS_FORMATS = ("text", "md", "html", "json", "csv")
ENGINES = ("duckdb", "spark", "python")


def customer_base_options(command: F) -> F:
    """``--customers``, ``--period``, ``--engine``, ``--spark-master`` and ``--strict``:
    where the base is, which engine prices it, for which period."""
    for option in reversed((
        click.option("--customers", type=click.Path(path_type=Path, file_okay=False),
                     metavar="PATH",
                     help="The customer base: a folder of NAME.csv / NAME.parquet tables "
                          "(default: $MONOPS_CUSTOMERS, else `customers:` in monops.yaml)."),
        click.option("--period", metavar="P",
                     help="The simulated period: YYYY-MM (a calendar month) or "
                          "YYYY-MM-DD..YYYY-MM-DD (default: the month of --today)."),
        click.option("--engine", type=click.Choice(ENGINES), default="duckdb",
                     show_default=True,
                     help="duckdb: embedded, in-process; spark: Apache Spark for bases past "
                          "one machine (pip install 'monops[spark]'); python: the reference "
                          "engine, one invoice at a time (slow, exact by construction)."),
        click.option("--spark-master", default="local[*]", show_default=True, metavar="URL",
                     help="With --engine spark: the cluster (spark://host:7077, yarn...)."),
        click.option("--strict", is_flag=True,
                     help="Exit 2 when the base has bad data (by default such rows are left "
                          "out of every figure and counted in the report)."),
    )):
        command = option(command)
    return command


def base_options(period: str | None, today: str | None, customers: Path | None, engine: str,
                  spark_master: str, strict: bool) -> Any:
    from monops_lint.app.customers import BaseOptions
    from monops_lint.customers import parse_period

    if period is None:
        day = parse_day(today)
        chosen = parse_period(f"{day:%Y-%m}")
    else:
        chosen = parse_period(period)
    return BaseOptions(chosen, customers, engine, spark_master, strict)


def emit(text: str, fmt: str, out: Path | None) -> None:
    """A report in ``fmt`` written to ``out``, or printed."""
    from monops_lint.app.files import write_atomic

    STATUS.clear()
    if out is not None:
        write_atomic(out, text)
        done(f"wrote {out}")
    else:
        click.echo(printable(text, fmt), nl=False)


def _share_threshold(text: str) -> tuple[Any, Any]:
    """``PCT:SHARE``: more than SHARE % of invoices rise more than PCT %."""
    pct, sep, share = text.partition(":")
    if not sep:
        raise MonopsError(f"--fail-on-share-increase {text!r}: expected PCT:SHARE, e.g. 5:10 "
                          "(exit 1 when more than 10 % of invoices rise more than 5 %)")
    return (decimal_arg(pct, "--fail-on-share-increase PCT"),
            decimal_arg(share, "--fail-on-share-increase SHARE"))


@click.command()
@click.argument("base", required=False, default="HEAD")
@click.argument("head", required=False)
@root_option
@today_option
@customer_base_options
@click.option("--format", "output_format", type=click.Choice(IMPACT_FORMATS), default="md",
              show_default=True,
              help="md: for a pull-request comment (never customer ids); html: one "
                   "self-contained page with charts; json.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output.")
@click.option("--per-invoice", type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE",
              help="Also write every invoice at both sides to FILE (.csv or .parquet).")
@click.option("--show-customers", is_flag=True,
              help="Put customer ids in html, json and --per-invoice (default: a one-way "
                   "pseudonym in --per-invoice, none in the reports).")
@click.option("--alert-increase", default="10", show_default=True, metavar="PCT",
              help="Count (and with --show-customers list) invoices rising more than PCT %.")
@click.option("--fail-on-revenue-change", metavar="PCT",
              help="Exit 1 when net revenue moves by more than PCT % either way.")
@click.option("--fail-on-share-increase", metavar="PCT:SHARE",
              help="Exit 1 when more than SHARE % of invoices rise more than PCT %.")
@no_cache_option
def impact(base: str, head: str | None, root: Path | None, today: str | None,
           customers: Path | None, period: str | None, engine: str, spark_master: str,
           strict: bool, output_format: str, out: Path | None, per_invoice: Path | None,
           show_customers: bool, alert_increase: str, fail_on_revenue_change: str | None,
           fail_on_share_increase: str | None, no_cache: bool) -> None:
    """Show what a change does to every customer's invoice.

    Prices every invoice of the customer base for the period at BASE and at
    HEAD (git revisions as for `monops diff`; BASE defaults to HEAD, HEAD
    omitted means the working tree) and reports net revenue before and
    after, how many invoices rise or fall and by how much, by channel,
    category, plan, campaign, country and segment.

    \b
    Examples:
      monops impact origin/main HEAD --customers ~/base --period 2027-05
      monops impact HEAD --period 2027-05 --format html --out impact.html
      monops impact main --customers s3-mount/base --engine spark \\
          --fail-on-share-increase 5:10
    """
    from monops_lint.app.customers import impact_of_change
    from monops_lint.reporters.figures import render_impact

    options = base_options(period, today, customers, engine, spark_master, strict)
    threshold = decimal_arg(alert_increase, "--alert-increase")
    revenue_limit = None if fail_on_revenue_change is None else \
        decimal_arg(fail_on_revenue_change, "--fail-on-revenue-change")
    share_limit = None if fail_on_share_increase is None else \
        _share_threshold(fail_on_share_increase)
    workspace = open_workspace(root, use_cache=not no_cache)
    result = impact_of_change(workspace, base, head, options, alert_increase=threshold,
                              show_customers=show_customers, per_invoice=per_invoice,
                              share_rise=None if share_limit is None else share_limit[0])
    emit(render_impact(result, output_format, show_customers=show_customers), output_format,
         out)
    if per_invoice is not None:
        done(f"wrote {per_invoice}")
    failed = False
    change = result.revenue.change_pct
    if revenue_limit is not None and change is not None and abs(change) > revenue_limit:
        click.echo(f"monops: net revenue moves by {change:+.2f} %, over "
                   f"--fail-on-revenue-change {revenue_limit} %", err=True)
        failed = True
    if share_limit is not None and result.invoices:
        rising = result.rising_over or 0
        share = rising * 100 / result.invoices
        if share > share_limit[1]:
            click.echo(f"monops: {share:.2f} % of invoices rise more than {share_limit[0]} %, "
                       f"over --fail-on-share-increase {fail_on_share_increase}", err=True)
            failed = True
    sys.exit(1 if failed else 0)


@click.command()
@root_option
@today_option
@customer_base_options
@click.option("--rev", metavar="REV",
              help="Price the catalog at git revision REV (default: the working tree).")
@click.option("--format", "output_format", type=click.Choice(METRICS_FORMATS), default="text",
              show_default=True,
              help="text for a terminal; md; html (one page with charts); json (exact "
                   "decimals); csv (one row per dimension and key).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output.")
@no_cache_option
def metrics(root: Path | None, today: str | None, customers: Path | None, period: str | None,
            engine: str, spark_master: str, strict: bool, rev: str | None,
            output_format: str, out: Path | None, no_cache: bool) -> None:
    """Report the business's key metrics on the customer base.

    Net revenue, MRR and ARR, ARPU and ARPPU, cost and gross margin, ROAS
    per campaign, and the invoice-day load, in total and by channel,
    category, plan, campaign, country and segment, in base_currency.

    \b
    Examples:
      monops metrics --customers ~/base --period 2027-05
      monops metrics --rev origin/main --period 2027-05 --format json
    """
    from monops_lint.app.customers import figures_of
    from monops_lint.reporters.figures import render_metrics

    options = base_options(period, today, customers, engine, spark_master, strict)
    workspace = open_workspace(root, use_cache=not no_cache)
    result = figures_of(workspace, rev, options)
    emit(render_metrics(result, output_format), output_format, out)
    sys.exit(0)


@click.group("customers")
def customers_group() -> None:
    """Work with customer bases (SPEC section 9)."""


@customers_group.command("sample")
@click.argument("out", type=click.Path(path_type=Path, file_okay=False), required=False)
@click.option("--out", "out_option", type=click.Path(path_type=Path, file_okay=False),
              metavar="DIR", help="The new folder to write (or give it as OUT).")
@root_option
@today_option
@click.option("--period", metavar="P",
              help="The period the base is active in (default: the month of --today).")
@click.option("--count", default=1000, show_default=True, metavar="N",
              help="How many subscriptions.")
@click.option("--seed", default=1, show_default=True, metavar="N",
              help="The random seed: the same seed gives the same base.")
def sample(out: Path | None, out_option: Path | None, root: Path | None, today: str | None,
           period: str | None, count: int, seed: int) -> None:
    """Write a plausible customer base for this catalog into the new folder OUT (or
    --out DIR).

    One CSV per table (subscriptions, customers, usage, campaigns), every
    plan, channel, currency and promotion of the catalog used, some rows
    deliberately odd (trials, mid-period starts and ends). For trying
    `monops impact` and `monops metrics`, and for tests; never real data.
    """
    from monops_lint.app.customers import write_sample

    if (out is None) == (out_option is None):
        raise click.UsageError("give the folder to write once: OUT or --out DIR")
    out = out or out_option
    assert out is not None
    options = base_options(period, today, None, "duckdb", "", False)
    workspace = open_workspace(root)
    written = write_sample(workspace, out, options.period, count, seed)
    STATUS.clear()
    done(f"wrote {len(written)} table(s) to {out}")
