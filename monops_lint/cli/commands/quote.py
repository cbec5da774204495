"""``monops quote``."""

from __future__ import annotations

from pathlib import Path

import click

from monops_lint.cli.completion import complete_plans
from monops_lint.cli.options import (
    decimal_arg,
    open_workspace,
    parse_day,
    root_option,
    today_option,
    usage_arg,
)
from monops_lint.cli.status import STATUS

QUOTE_JSON_VERSION = 1
"""The version of `monops quote --json` (README: "JSON output and its version")."""


@click.command()
@click.argument("plan", shell_complete=complete_plans)
@root_option
@today_option
@click.option("--quantity", default="1", show_default=True, metavar="N",
              help="Subscription quantity (seats, lines...): recurring and one-time charges.")
@click.option("--usage", "usage_items", multiple=True, metavar="METRIC=N[,N...]",
              help="Usage of a metric; for percentage charges a list of transaction amounts. "
                   "Repeat for several metrics.")
@click.option("--currency", metavar="C",
              help="Currency (default: the channel's first currency, else base_currency).")
@click.option("--channel", metavar="CH", help="Price as sold in this channel (its override).")
@click.option("--on", "on_day", metavar="DATE",
              help="Price the version in effect on DATE (default: --today, else today).")
@click.option("--customer", metavar="ID",
              help="Price the version a staged rollout gives customer ID (its bucket) on the "
                   "day; default: the canary's (bucket 0).")
@click.option("--json", "as_json", is_flag=True, help="Print the quote as JSON.")
def quote(plan: str, root: Path | None, today: str | None, quantity: str,
          usage_items: tuple[str, ...], currency: str | None, channel: str | None,
          on_day: str | None, customer: str | None, as_json: bool) -> None:
    """Price one PLAN for one billing period: its lines, tier breakdown and total.

    \b
    Examples:
      monops quote storage-standard --usage storage=1500
      monops quote payments-standard --usage card=10.00,1000.00 --currency EUR
      monops quote fiber-500 --channel retail --on 2027-03-01 --json
    """
    from monops_lint.app.quote import quote_plan
    from monops_lint.reporters.escaping import terminal
    from monops_lint.reporters.invoices.view import quote_json, quote_text

    day = parse_day(on_day, "--on") if on_day else parse_day(today)
    workspace = open_workspace(root)
    result = quote_plan(workspace, plan, quantity=decimal_arg(quantity, "--quantity"),
                        usage=usage_arg(usage_items), currency=currency, channel=channel,
                        on=day, customer=customer or "")
    STATUS.clear()
    if as_json:
        import json

        document = {"version": QUOTE_JSON_VERSION, **quote_json(result)}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(terminal(quote_text(result)), nl=False)
