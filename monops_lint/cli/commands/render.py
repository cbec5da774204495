"""``monops render``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monops_lint.cli.completion import complete_scenarios
from monops_lint.cli.options import no_cache_option, open_workspace, root_option
from monops_lint.cli.status import STATUS, done, printable
from monops_lint.reporters.escaping import terminal

# The registry's keys (reporters.invoices.INVOICE_FORMATS), written out so that
# `monops --help` need not import the reporters; a test checks they are the same.
INVOICE_FORMATS = ("md", "html", "txt", "json")


@click.command()
@root_option
@click.option("--scenario", "scenarios", multiple=True, metavar="ID",
              shell_complete=complete_scenarios,
              help="Render only this scenario (repeatable; default: all).")
@click.option("--format", "output_format", type=click.Choice(INVOICE_FORMATS),
              default="md", show_default=True, help="Output format.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write one file per scenario into DIR (<scenario>.<format>) instead of "
                   "printing them all.")
@click.option("--rev", metavar="REV",
              help="Render the catalog as it is at git revision REV (read from git objects; "
                   "no checkout).")
@no_cache_option
def render(root: Path | None, scenarios: tuple[str, ...], output_format: str,
           out: Path | None, rev: str | None, no_cache: bool) -> None:
    """Render the sample invoices of the scenarios.

    A scenario that cannot be priced (invalid, or refused by the pricing
    engine) is named on stderr and the exit code is 1; the others are
    rendered. A scenario named with --scenario that cannot be priced is an
    error (exit 2).

    Templates come with monops; a catalog overrides them with
    invoice.md.j2, invoice.html.j2 or invoice.txt.j2 in the folder its
    monops.yaml names under `templates:`. They render sandboxed.
    """
    from monops_lint.app.render import render_invoices

    workspace = open_workspace(root, use_cache=not no_cache)
    rendered = render_invoices(workspace, output_format, scenarios, rev, out)
    STATUS.clear()
    if rendered.text is not None:
        click.echo(printable(rendered.text, output_format), nl=False)
    else:
        done(f"wrote {len(rendered.written)} invoice(s) to {out}")
    for problem in rendered.problems:
        click.echo(f"monops: {terminal(problem)}", err=True)
    sys.exit(1 if rendered.problems else 0)
