"""The ``monops`` group, its commands, and the one place errors become exit 2."""

from __future__ import annotations

import signal
import sys
import threading
from typing import NoReturn

import click

from monops_lint import __version__
from monops_lint.cli.commands import COMMANDS, load_command
from monops_lint.cli.options import verbosity_options
from monops_lint.cli.status import STATUS, VERBOSITY
from monops_lint.errors import MonopsError


class _Commands(click.Group):
    """The group of ``COMMANDS``, each imported when it is asked for (listed in ``--help``
    from its summary, without importing it)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            # (shortened as click shortens a command's own help)
            formatter.write_dl([(name, click.Command(name, help=COMMANDS[name].summary)
                                 .get_short_help_str(limit)) for name in names])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(verbosity_options(load_command(cmd_name)))
        return self.commands.get(cmd_name)


@click.group(cls=_Commands,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="monops")
@verbosity_options
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


def _fail(message: str) -> NoReturn:
    from monops_lint.reporters.escaping import terminal

    one_line = " ".join(terminal(message).split("\n"))
    click.echo(f"monops: error: {one_line}", err=True)
    sys.exit(2)


def _terminated(signum: int, frame: object) -> NoReturn:
    # Unwinds like an exception, so that every finally block runs: a file being written
    # loses its temporary sibling instead of leaving it beside the output.
    raise SystemExit(128 + signum)


def _exit_cleanly_on_termination() -> None:
    """SIGTERM and SIGHUP (CI cancelling a job, a closed terminal) end monops through its
    finally blocks; exit status 128 + the signal's number, as the shell reports a kill."""
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers (monops run from a test's thread)
    # (Forked workers take the default action again: runtime.fork.)
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _terminated)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: every error is one line on stderr and exit 2, never a traceback."""
    from monops_lint.app.session import one_command

    VERBOSITY.level = 0  # each run starts from the default (tests run several in one process)
    _exit_cleanly_on_termination()
    try:
        try:
            with one_command():
                cli.main(args=argv, prog_name="monops", standalone_mode=False)
        finally:
            STATUS.clear()
    except MonopsError as exc:
        _fail(str(exc))
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
