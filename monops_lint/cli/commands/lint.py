"""``monops lint``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from monops_lint.cli.options import (
    no_cache_option,
    open_workspace,
    parse_day,
    root_option,
    today_option,
)
from monops_lint.cli.status import STATUS, done
from monops_lint.errors import MonopsError

# The registry's keys, written out so that `monops --help` need not import the reporters; a
# test checks they are the same.
LINT_FORMATS = ("text", "json", "sarif", "github", "junit")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@root_option
@today_option
@click.option("--format", "output_format", type=click.Choice(LINT_FORMATS),
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output.")
@click.option("--fail-on", type=click.Choice(("error", "warning", "info")), default="error",
              show_default=True, help="Exit 1 when a finding is at or above this severity.")
@click.option("--changed-since", metavar="REF",
              help="Report only findings in files changed since git revision REF (uncommitted "
                   "changes included), plus findings the change introduced elsewhere.")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Ignore the findings recorded in this baseline file (fingerprints survive "
                   "line moves).")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False),
              help="Record every current finding in FILE (atomically) and exit 0; later runs "
                   "with --baseline FILE report only new ones.")
@no_cache_option
def lint(paths: tuple[str, ...], root: Path | None, today: str | None,
         output_format: str | None, output: Path | None, fail_on: str,
         changed_since: str | None, baseline_file: Path | None, write_baseline: Path | None,
         no_cache: bool) -> None:
    """Check the catalog against every rule.

    The whole catalog is always read (rules compare files with each other);
    PATHS, when given, limit the report to findings in those files or
    folders.
    """
    from monops_lint.app.files import write_atomic
    from monops_lint.app.lint import (
        lint_changed_since,
        lint_working_tree,
        record_baseline,
        without_baselined,
    )
    from monops_lint.findings import Severity
    from monops_lint.reporters.lint import DESCRIBES_RULES, LINT_REPORTERS, Report
    from monops_lint.rules import all_rules

    day = parse_day(today)
    if write_baseline is not None and (paths or changed_since):
        raise MonopsError("--write-baseline records the whole catalog: drop PATHS and "
                          "--changed-since")
    workspace = open_workspace(root, use_cache=not no_cache)
    selected = workspace.relative(paths)
    if changed_since is not None:
        result = lint_changed_since(workspace, changed_since, day, selected)
    else:
        result = lint_working_tree(workspace, day, selected)
    STATUS.clear()
    if write_baseline is not None:
        record_baseline(result, write_baseline)
        done(f"recorded {len(result.findings)} finding(s) in {write_baseline}")
    if baseline_file is not None:
        result = without_baselined(result, baseline_file)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    threshold = Severity.parse(fail_on)
    color = (output_format == "text" and output is None and sys.stdout.isatty()
             and "NO_COLOR" not in os.environ)
    rules = all_rules() if output_format in DESCRIBES_RULES else {}
    report = Report(result, rules, threshold, workspace.repo_prefix(), color)
    text = LINT_REPORTERS[output_format]().render(report)
    if output is not None:
        write_atomic(output, text)
        done(f"wrote {output}")
    else:
        click.echo(text, nl=False)
    if write_baseline is not None:
        sys.exit(0)  # recording the findings is adopting monops: one green step in CI
    worst = result.worst()
    sys.exit(1 if worst is not None and worst >= threshold else 0)
