"""``monops init``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Start a new catalog repository in DIRECTORY (new, empty, or holding only .git).

    Writes monops.yaml, a small example catalog that lints clean, the
    pull-request workflows (.github/workflows/monops-pr.yml and
    monops-comment.yml) and a pre-commit config.
    """
    from monops_lint.app.init import init_catalog

    written = init_catalog(directory)
    for path in written:
        click.echo(f"  wrote {directory / path}")
    click.echo(f"\nNext: cd {directory} && git init && monops lint && monops render")
