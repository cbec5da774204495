"""``monops fmt``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monops_lint.cli.options import open_workspace, root_option
from monops_lint.cli.status import done, warn


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@root_option
@click.option("--check", is_flag=True,
              help="Change nothing; list the files that would change and exit 1 if any would "
                   "(for CI and pre-commit).")
def fmt(paths: tuple[str, ...], root: Path | None, check: bool) -> None:
    """Rewrite catalog files (and monops.yaml) in the canonical layout, keeping comments.

    Keys in schema order, amounts as one-line maps, short maps and lists on
    one line, quotes only where YAML needs them. PATHS limit it to those
    files or folders. A file that cannot be rewritten without moving a
    comment or changing a value is reported and left as it is.
    """
    from monops_lint.app.fmt import format_catalog

    workspace = open_workspace(root, near=paths)
    results = format_catalog(workspace, workspace.relative(paths) if paths else (), check)
    for result in results:
        if result.status == "would change":
            click.echo(f"would reformat {result.path}")
        elif result.status == "rewritten":
            click.echo(f"reformatted {result.path}")
        elif result.status == "left as it is":
            warn(f"cannot format {result.path}: {result.reason}; left as it is")
    changed = sum(r.status in ("would change", "rewritten") for r in results)
    unchanged = sum(r.status == "unchanged" for r in results)
    verb = "would be reformatted" if check else "reformatted"
    done(f"{changed} file(s) {verb}, {unchanged} already in the canonical layout")
    sys.exit(1 if check and changed else 0)
