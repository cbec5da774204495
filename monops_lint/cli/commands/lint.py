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
LINT_FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


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
@click.option("--stdin-filename", metavar="PATH",
              help="With `-` as the only PATH: where the document read from standard input "
                   "lives in the catalog (an editor's unsaved buffer); only its findings are "
                   "reported.")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto",
              show_default=True,
              help="Colour the text format: auto = on a terminal, unless NO_COLOR is set to "
                   "a non-empty value.")
@no_cache_option
def lint(paths: tuple[str, ...], root: Path | None, today: str | None,
         output_format: str | None, output: Path | None, fail_on: str,
         changed_since: str | None, baseline_file: Path | None, write_baseline: Path | None,
         stdin_filename: str | None, color: str, no_cache: bool) -> None:
    """Check the catalog against every rule.

    The whole catalog is always read (rules compare files with each other);
    PATHS, when given, limit the report to findings in those files or
    folders. `monops lint - --stdin-filename PATH` checks the document on
    standard input as if it were the file PATH.
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
    from_stdin = "-" in paths
    if from_stdin and (len(paths) > 1 or stdin_filename is None or changed_since
                       or write_baseline is not None):
        raise MonopsError("`monops lint -` reads one document: give --stdin-filename PATH, "
                          "and no other PATHS, --changed-since or --write-baseline")
    if stdin_filename is not None and not from_stdin:
        raise MonopsError("--stdin-filename goes with `-` (read the document from standard "
                          "input)")
    near = (stdin_filename,) if stdin_filename is not None else paths
    try:
        workspace = open_workspace(root, use_cache=not no_cache, near=near)
    except MonopsError:
        from monops_lint.app.workspace import root_near

        if root is None and paths and not from_stdin and root_near(paths, Path.cwd()) is None:
            done("no catalog file among the given paths: nothing to lint")
            sys.exit(0)
        raise
    if root is None and paths and not from_stdin:
        paths = tuple(workspace.inside(paths))  # pre-commit names every staged YAML file
        if not paths:
            done("no catalog file among the given paths: nothing to lint")
            sys.exit(0)
    if from_stdin:
        from monops_lint.app.unsaved import buffer_path, lint_buffer

        assert stdin_filename is not None
        where = buffer_path(workspace, stdin_filename)
        data = sys.stdin.buffer.read(workspace.config.max_file_bytes + 1)
        result = lint_buffer(workspace, where, data, day)
    elif changed_since is not None:
        result = lint_changed_since(workspace, changed_since, day, workspace.relative(paths))
    else:
        result = lint_working_tree(workspace, day, workspace.relative(paths))
    STATUS.clear()
    if write_baseline is not None:
        record_baseline(result, write_baseline)
        done(f"recorded {len(result.findings)} finding(s) in {write_baseline}")
    if baseline_file is not None:
        result = without_baselined(result, baseline_file)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    threshold = Severity.parse(fail_on)
    rules = all_rules() if output_format in DESCRIBES_RULES else {}
    report = Report(result, rules, threshold, workspace.repo_prefix(),
                    output_format == "text" and _colored(color, output))
    text = LINT_REPORTERS[output_format]().render(report)
    if output is not None:
        write_atomic(output, text)
        done(f"wrote {output}")
    else:
        click.echo(text, nl=False, color=True if report.color else None)
    if write_baseline is not None:
        sys.exit(0)  # recording the findings is adopting monops: one green step in CI
    worst = result.worst()
    sys.exit(1 if worst is not None and worst >= threshold else 0)


def _colored(choice: str, output: Path | None) -> bool:
    """``--color``: ``auto`` colours a terminal unless NO_COLOR is set and non-empty
    (no-color.org: an empty NO_COLOR means nothing); an explicit choice wins over both."""
    if choice != "auto":
        return choice == "always"
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
