"""The ``monops`` command line: parse arguments, call the core, choose the output, exit.

Exit codes (SPEC section 5): 0 nothing at or above ``--fail-on``; 1 findings
at or above it; 2 a usage, config, git or I/O error, always with one line on
stderr. Heavy modules are imported inside the commands so that
``monops --help`` starts fast.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from monops_lint import __version__
from monops_lint.errors import MonopsError
from monops_lint.forking import one_command

F = TypeVar("F", bound=Callable[..., Any])

LINT_FORMATS = ("text", "json", "sarif", "github", "junit")


def root_option(command: F) -> F:
    """``--root DIR``, shared by every command that reads a catalog."""
    return click.option(
        "--root", type=click.Path(path_type=Path, file_okay=False),
        help="The catalog root (default: the nearest folder upward holding monops.yaml).",
    )(command)


def today_option(command: F) -> F:
    """``--today DATE``, for every command whose result depends on the date."""
    return click.option(
        "--today", metavar="DATE",
        help="Pretend today is DATE (YYYY-MM-DD), so CI results are reproducible "
             "(default: the real date).",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="monops")
def cli() -> None:
    """monops: your monetization catalog as code.

    Products, bundles, price plans, channel catalogs, promotions and sample
    customers live as YAML in git. monops lints them, renders sample
    invoices, and shows what a pull request changes.

    \b
    Start with:
      monops lint                 check the catalog (exit 1 on errors)
      monops rules                list the rules; `monops explain RULE` for one
      monops schema plan          the JSON Schema of a kind, for your editor
    """


@cli.command()
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
              help="Record every current finding in FILE (atomically); later runs with "
                   "--baseline FILE report only new ones.")
@click.option("--no-cache", is_flag=True,
              help="Parse every file again instead of reusing the content cache "
                   "(~/.cache/monops; MONOPS_CACHE_DIR moves it).")
def lint(paths: tuple[str, ...], root: Path | None, today: str | None,
         output_format: str | None, output: Path | None, fail_on: str,
         changed_since: str | None, baseline_file: Path | None, write_baseline: Path | None,
         no_cache: bool) -> None:
    """Check the catalog against every rule.

    The whole catalog is always read (rules compare files with each other);
    PATHS, when given, limit the report to findings in those files or
    folders.
    """
    from monops_lint.findings import Severity
    from monops_lint.lint import lint_changes
    from monops_lint.reporters import REPORTERS, Report
    from monops_lint.rules import all_rules
    from monops_lint.workspace import Workspace, parse_day, write_atomic

    day = parse_day(today)
    if write_baseline is not None and (paths or changed_since):
        raise MonopsError("--write-baseline records the whole catalog: drop PATHS and "
                          "--changed-since")
    workspace = Workspace.open(root, use_cache=not no_cache, progress=STATUS, warn=warn)
    selected = workspace.relative(paths)
    if changed_since is not None:
        from monops_lint.diff.sides import load_revision
        from monops_lint.load import Memo
        from monops_lint.source.gitrev import changed_files, find_repository

        memo = Memo()
        base = load_revision(workspace, changed_since, memo)
        catalog = workspace.catalog(memo=memo)
        assert base.sha is not None
        changed = changed_files(find_repository(workspace.root), base.sha, None, workspace.root)
        sides = ((base.catalog, base.config), (catalog, workspace.config))
        known = workspace.known(sides, day)
        result, before = lint_changes(catalog, base.catalog, base.config, workspace.config, day,
                                      sorted(changed), selected, (known[0], known[1]))
        # what the review's `monops diff` of the same two sides reuses
        workspace.remember(sides, day, known, (before.checked, result.checked))
    else:
        result = workspace.lint(day, selected)
    STATUS.clear()
    if write_baseline is not None:
        from monops_lint.baseline import write_baseline as baseline_text

        write_atomic(write_baseline, baseline_text(result.findings))
        click.echo(f"monops: recorded {len(result.findings)} finding(s) in {write_baseline}",
                   err=True)
    if baseline_file is not None:
        import dataclasses

        from monops_lint.baseline import filter_baseline, load_baseline

        kept, count = filter_baseline(result.findings, load_baseline(baseline_file))
        result = dataclasses.replace(result, findings=tuple(kept), baselined=count)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    threshold = Severity.parse(fail_on)
    color = (output_format == "text" and output is None and sys.stdout.isatty()
             and "NO_COLOR" not in os.environ)
    # Only SARIF and JUnit describe every rule: the others need not load them.
    rules = all_rules() if output_format in ("sarif", "junit") else {}
    report = Report(result, rules, threshold, workspace.repo_prefix(), color)
    text = REPORTERS[output_format]().render(report)
    if output is not None:
        write_atomic(output, text)
        click.echo(f"monops: wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
    worst = result.worst()
    sys.exit(1 if worst is not None and worst >= threshold else 0)


def _decimal_arg(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise MonopsError(f"{what} {text!r}: expected a non-negative number such as 12 or 9.99")
    return value


def _usage_arg(items: tuple[str, ...]) -> dict[str, Decimal | tuple[Decimal, ...]]:
    usage: dict[str, Decimal | tuple[Decimal, ...]] = {}
    for item in items:
        metric, sep, numbers = item.partition("=")
        if not sep or not metric.strip() or not numbers.strip():
            raise MonopsError(f"--usage {item!r}: expected METRIC=N or METRIC=N,N,... "
                              "(transactions)")
        values = tuple(_decimal_arg(n, f"--usage {metric}") for n in numbers.split(","))
        usage[metric.strip()] = values[0] if len(values) == 1 and "," not in numbers else values
    return usage


@cli.command()
@click.argument("plan")
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
@click.option("--json", "as_json", is_flag=True, help="Print the quote as JSON.")
def quote(plan: str, root: Path | None, today: str | None, quantity: str,
          usage_items: tuple[str, ...], currency: str | None, channel: str | None,
          on_day: str | None, as_json: bool) -> None:
    """Price one PLAN for one billing period: its lines, tier breakdown and total.

    \b
    Examples:
      monops quote storage-standard --usage storage=1500
      monops quote payments-standard --usage card=10.00,1000.00 --currency EUR
      monops quote fiber-500 --channel retail --on 2027-03-01 --json
    """
    from monops_lint.pricing import PricingError
    from monops_lint.pricing import quote as price_quote
    from monops_lint.render.present import quote_json, quote_text
    from monops_lint.suggest import closest
    from monops_lint.workspace import Workspace, parse_day

    day = parse_day(on_day, "--on") if on_day else parse_day(today)
    workspace = Workspace.open(root, progress=STATUS, warn=warn)
    catalog = workspace.catalog()
    if plan not in catalog.plans:
        raise MonopsError(f"unknown plan `{plan}`{closest(plan, list(catalog.plans))}")
    if channel is not None and channel not in catalog.channels:
        raise MonopsError(f"unknown channel `{channel}`{closest(channel, list(catalog.channels))}")
    usage = _usage_arg(usage_items)
    metrics = sorted({c.metric or c.id for v in catalog.plans[plan].versions for c in v.charges
                      if c.type == "usage" or c.model == "percentage"})
    for metric in usage:
        if metric not in metrics:
            raise MonopsError(f"--usage {metric}: plan {plan} has no usage metric `{metric}`"
                              f"{closest(metric, metrics)} (it meters: "
                              f"{', '.join(metrics) or 'nothing'})")
    if currency is None:
        currency = (catalog.channels[channel].currencies[0] if channel
                    else workspace.config.base_currency)
    try:
        result = price_quote(plan, catalog, currency=currency.upper(),
                             quantity=_decimal_arg(quantity, "--quantity"),
                             usage=usage, channel=channel, on=day,
                             rounding=workspace.config.rounding)
    except PricingError as exc:
        raise MonopsError(str(exc)) from exc
    STATUS.clear()
    if as_json:
        import json

        click.echo(json.dumps(quote_json(result), indent=2, ensure_ascii=False))
    else:
        click.echo(quote_text(result), nl=False)


@cli.command()
@root_option
@click.option("--scenario", "scenarios", multiple=True, metavar="ID",
              help="Render only this scenario (repeatable; default: all).")
@click.option("--format", "output_format", type=click.Choice(("md", "html", "txt", "json")),
              default="md", show_default=True, help="Output format.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write one file per scenario into DIR (<scenario>.<format>) instead of "
                   "printing them all.")
@click.option("--rev", metavar="REV",
              help="Render the catalog as it is at git revision REV (read from git objects; "
                   "no checkout).")
@click.option("--no-cache", is_flag=True, help="Parse every file again (no content cache).")
def render(root: Path | None, scenarios: tuple[str, ...], output_format: str,
           out: Path | None, rev: str | None, no_cache: bool) -> None:
    """Render the sample invoices of the scenarios.

    Templates come with monops; a catalog overrides them with
    invoice.md.j2, invoice.html.j2 or invoice.txt.j2 in the folder its
    monops.yaml names under `templates:`. They render sandboxed.
    """
    from monops_lint.render.invoices import InvoiceRenderer, invoices_for
    from monops_lint.workspace import Workspace, write_atomic

    workspace = Workspace.open(root, use_cache=not no_cache, progress=STATUS, warn=warn)
    source, config = workspace.source(rev)
    catalog = workspace.catalog(source)
    invoices = invoices_for(catalog, scenarios, config.rounding)
    STATUS.clear()
    renderer = InvoiceRenderer.create(output_format, workspace.template_reader(source, config))
    if out is None:
        click.echo(renderer.render(invoices), nl=False)
        return
    for invoice in invoices:
        write_atomic(out / f"{invoice.scenario}.{renderer.extension}", renderer.render([invoice]))
    click.echo(f"monops: wrote {len(invoices)} invoice(s) to {out}", err=True)


@cli.command()
@click.argument("base", required=False, default="HEAD")
@click.argument("head", required=False)
@root_option
@today_option
@click.option("--format", "output_format", type=click.Choice(("md", "html", "json")),
              default="md", show_default=True,
              help="md: the pull-request comment; html: one page for the CI artifact; json.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output.")
@click.option("--fail-on", type=click.Choice(("error", "warning", "info")), default="error",
              show_default=True,
              help="Exit 1 when the change introduces a finding at or above this severity.")
@click.option("--fail-on-increase", metavar="PCT",
              help="Exit 1 when a sample invoice's total rises by more than PCT percent.")
@click.option("--no-cache", is_flag=True, help="Parse every file again (no content cache).")
def diff(base: str, head: str | None, root: Path | None, today: str | None,
         output_format: str, out: Path | None, fail_on: str,
         fail_on_increase: str | None, no_cache: bool) -> None:
    """Show what a change does to the catalog and to every sample invoice.

    BASE and HEAD are git revisions (branch, tag, SHA, HEAD~1...), read
    straight from git objects: nothing is checked out. BASE defaults to
    HEAD; HEAD omitted means the working tree, uncommitted changes
    included.

    \b
    In a pull request:
      monops diff origin/main HEAD --out report.md --fail-on-increase 10
    """
    from monops_lint.diff.report_html import render_html
    from monops_lint.diff.report_json import render_json
    from monops_lint.diff.report_md import render_markdown
    from monops_lint.diff.sides import review_revisions
    from monops_lint.findings import Severity
    from monops_lint.workspace import Workspace, parse_day, write_atomic

    day = parse_day(today)
    threshold = _decimal_arg(fail_on_increase, "--fail-on-increase") \
        if fail_on_increase is not None else None
    workspace = Workspace.open(root, use_cache=not no_cache, progress=STATUS, warn=warn)
    result = review_revisions(workspace, base, head, day)
    STATUS.clear()
    renderers = {"md": render_markdown, "html": render_html, "json": render_json}
    text = renderers[output_format](result)
    if out is not None:
        write_atomic(out, text)
        click.echo(f"monops: wrote {out}", err=True)
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


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Start a new catalog repository in DIRECTORY (which must be new or empty).

    Writes monops.yaml, a small example catalog that lints clean, the
    pull-request workflows (.github/workflows/monops-pr.yml and
    monops-comment.yml) and a pre-commit config.
    """
    from monops_lint.init import init_catalog

    written = init_catalog(directory)
    for path in written:
        click.echo(f"  wrote {directory / path}")
    click.echo(f"\nNext: cd {directory} && git init && monops lint && monops render")


@cli.command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def rules_command(as_json: bool) -> None:
    """List every rule with its default severity."""
    from monops_lint.rules import all_rules

    rules = all_rules()
    if as_json:
        import json

        click.echo(json.dumps([{"id": r.id, "severity": str(r.severity), "phase": r.phase,
                                "summary": r.summary, "options": _jsonable(r.options)}
                               for r in rules.values()], indent=2))
        return
    width = max(len(r) for r in rules)
    for rule in rules.values():
        scope = " (diff)" if rule.phase == "diff" else ""
        click.echo(f"{rule.id:<{width}}  {rule.severity!s:<7}  {rule.summary}{scope}")
    click.echo(f"\n{len(rules)} rules. `monops explain RULE` shows what one checks and how to "
               "fix it; set severities in monops.yaml under `rules:`.")


def _yaml_scalar(value: Any) -> str:
    """An option's default as it is written in monops.yaml (``false``, not ``False``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _jsonable(options: Any) -> dict[str, Any]:
    return {k: str(v) if not isinstance(v, (int, float, str, bool)) else v
            for k, v in dict(options).items()}


@cli.command()
@click.argument("rule_id", metavar="RULE")
def explain(rule_id: str) -> None:
    """Explain RULE: what it checks, why it matters, a failing and a passing example."""
    from monops_lint.rules import all_rules
    from monops_lint.suggest import closest

    rules = all_rules()
    rule = rules.get(rule_id)
    if rule is None:
        raise MonopsError(f"unknown rule `{rule_id}`{closest(rule_id, list(rules))} "
                          "(`monops rules` lists them)")
    header = f"{rule.id} (default severity: {rule.severity})"
    lines = [header, "=" * len(header), "", rule.doc]
    if rule.options:
        lines += ["", "## Options (monops.yaml, under `rules:`)", ""]
        lines += [f"    {rule.id}: {{{name}: {_yaml_scalar(value)}}}"
                  for name, value in rule.options.items()]
    click.echo("\n".join(lines))


@cli.command()
@click.argument("kind", required=False)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write every schema to DIR as <name>.schema.json instead of printing one.")
def schema(kind: str | None, out: Path | None) -> None:
    """Print the JSON Schema (draft-07) of KIND, or of any catalog document.

    KIND is one of product, bundle, plan, channel, promotion, scenario,
    rule, or `config` for monops.yaml. Point your editor's YAML language
    server at it, e.g. `# yaml-language-server: $schema=schemas/plan.schema.json`.
    """
    import json

    from monops_lint import schema as schemas
    from monops_lint.model import KINDS
    from monops_lint.suggest import closest
    from monops_lint.workspace import write_atomic

    names = [*KINDS, "config", "catalog"]
    if out is not None:
        for name in names:
            file_name = "monops" if name == "config" else name
            write_atomic(out / f"{file_name}.schema.json",
                         json.dumps(schemas.schema_for(name), indent=2) + "\n")
        click.echo(f"monops: wrote {len(names)} schemas to {out}", err=True)
        return
    name = kind or "catalog"
    if name not in names:
        raise MonopsError(f"unknown kind `{name}`{closest(name, names)}; "
                          f"one of: {', '.join(names)}")
    click.echo(json.dumps(schemas.schema_for(name), indent=2))


class StatusLine:
    """Progress of long work on one self-overwriting stderr line, on a terminal only.

    Nothing is written when stderr is not a terminal (CI logs, pipes, tests),
    so reports and logs stay exactly as they are.
    """

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.shown = False

    def enabled(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"

    def __call__(self, message: str) -> None:
        if self.enabled():
            self.stream.write(f"\r\x1b[Kmonops: {message}...")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        """Remove the status line before anything else is written."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


STATUS = StatusLine()


def warn(message: str) -> None:
    """One ``monops: warning: ...`` line on stderr (the status line cleared first)."""
    STATUS.clear()
    click.echo(f"monops: warning: {message}", err=True)


def _fail(message: str) -> NoReturn:
    click.echo(f"monops: error: {message}", err=True)
    sys.exit(2)


# A catalog loads as millions of small dicts and lists that live until the process ends;
# the default thresholds re-scan them dozens of times while they are built (about a fifth
# of a cold lint at N = 10,000). Collections stay on, only rarer.
GC_THRESHOLDS = (50_000, 20, 100)

# The process ends right after its command, and the interpreter's last collection would walk
# every object of the catalog to free memory the exit frees anyway (0.17 s at N = 10,000):
# freezing them first skips it. While the command runs, what it loads is frozen as it comes
# (``forking.one_command``).
atexit.register(gc.freeze)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: every error is one line on stderr and exit 2, never a traceback."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        try:
            with one_command():
                cli.main(args=argv, prog_name="monops", standalone_mode=False)
        finally:
            STATUS.clear()
    except MonopsError as exc:
        _fail(" ".join(str(exc).split("\n")))
    except click.exceptions.Abort:
        _fail("aborted")
    except click.UsageError as exc:
        command = f" {exc.ctx.command_path.split(' ', 1)[1]}" if exc.ctx and " " in \
            exc.ctx.command_path else ""
        _fail(f"{exc.format_message()} (see `monops{command} --help`)")
    except click.ClickException as exc:
        _fail(exc.format_message())
    except KeyboardInterrupt:
        _fail("interrupted")
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`monops lint | head`): not an error
        sys.exit(0)
    except RecursionError:
        _fail("internal error: input nested too deeply (please report)")
    except Exception as exc:  # the last line of defence, not the mechanism
        _fail(f"internal error: {type(exc).__name__}: {exc} (please report)")
    sys.exit(0)
