"""``monops init``."""

from __future__ import annotations

from pathlib import Path

import click

from monops_lint.cli.status import warn


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--ci", type=click.Choice(("github", "gitlab")), default="github",
              show_default=True,
              help="The CI to write: GitHub Actions workflows, or a GitLab CI pipeline.")
@click.option("--action-ref", metavar="SHA",
              help="The full commit SHA of the monops release the CI runs (default: the "
                   "commit of this release; an unreleased monops writes a placeholder).")
def init(directory: Path, ci: str, action_ref: str | None) -> None:
    """Start a new catalog repository in DIRECTORY (new, empty, or holding only .git).

    Writes monops.yaml, a small example catalog that lints clean, the CI
    (GitHub: .github/workflows/monops-pr.yml, monops-comment.yml and
    monops-scan.yml, running monops' GitHub Action pinned by commit; GitLab:
    .gitlab-ci.yml), a pre-commit config, the JSON Schemas (schemas/) and
    .vscode/settings.json, so that an editor checks catalog files as you type.
    """
    from monops_lint.app.init import init_catalog

    written, pin = init_catalog(directory, action_ref=action_ref, ci=ci)
    for path in written:
        click.echo(f"  wrote {directory / path}")
    if pin.is_placeholder:
        warn("this monops is not a release, so the CI pins monops to a placeholder commit "
             "(000…0) that fails until you set a real one: run init again with "
             "--action-ref SHA (README: In CI)")
    click.echo(f"\nNext: cd {directory} && git init && monops lint && monops render")
