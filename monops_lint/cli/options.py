"""Options shared by several commands, and turning option text into values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from monops_lint.errors import MonopsError

if TYPE_CHECKING:
    from monops_lint.app.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


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


def no_cache_option(command: F) -> F:
    """``--no-cache``, for every command that loads a catalog through the cache."""
    return click.option(
        "--no-cache", is_flag=True,
        help="Parse every file again instead of reusing the content cache "
             "(~/.cache/monops; MONOPS_CACHE_DIR moves it).",
    )(command)


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    from monops_lint.cli.status import VERBOSITY

    if value:
        VERBOSITY.set(quiet=param.name == "quiet", verbose=param.name == "verbose")


def verbosity_options(command: F) -> F:
    """``-q/--quiet`` and ``-v/--verbose``, on the group and on every command (so that both
    ``monops -q lint`` and ``monops lint -q`` work)."""
    quiet = click.option("-q", "--quiet", is_flag=True, expose_value=False, is_eager=True,
                         callback=_set_verbosity,
                         help="Say nothing on stderr but errors (no progress, warnings or "
                              "\"wrote\" lines); the report itself is unchanged.")
    verbose = click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True,
                           callback=_set_verbosity,
                           help="Also say what was read and where: the catalog root, its "
                                "config, the cache folder.")
    return quiet(verbose(command))


def parse_day(text: str | None, option: str = "--today") -> dt.date:
    """A ``YYYY-MM-DD`` option value (default: the real date)."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise MonopsError(f"{option} {text!r}: expected a date as YYYY-MM-DD") from exc


def decimal_arg(text: str, what: str) -> Decimal:
    """A non-negative number typed on the command line, read exactly."""
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise MonopsError(f"{what} {text!r}: expected a non-negative number such as 12 or 9.99")
    return value


def usage_arg(items: tuple[str, ...]) -> dict[str, Decimal | tuple[Decimal, ...]]:
    """``--usage METRIC=N`` or ``METRIC=N,N,...`` (transactions), repeated."""
    usage: dict[str, Decimal | tuple[Decimal, ...]] = {}
    for item in items:
        metric, sep, numbers = item.partition("=")
        if not sep or not metric.strip() or not numbers.strip():
            raise MonopsError(f"--usage {item!r}: expected METRIC=N or METRIC=N,N,... "
                              "(transactions)")
        values = tuple(decimal_arg(n, f"--usage {metric}") for n in numbers.split(","))
        usage[metric.strip()] = values[0] if len(values) == 1 and "," not in numbers else values
    return usage


def open_workspace(root: Path | None, use_cache: bool = True,
                   near: tuple[str, ...] = ()) -> Workspace:
    """The catalog at ``root`` (or found upward from the files ``near``, else from here),
    reporting progress and warnings on stderr."""
    from monops_lint.app.workspace import Workspace
    from monops_lint.cli.status import STATUS, detail, warn

    workspace = Workspace.open(root, use_cache=use_cache, progress=STATUS, warn=warn,
                               near=near)
    detail(f"catalog root {workspace.root} (paths: {', '.join(workspace.config.paths)})")
    if use_cache:
        detail(f"cache {workspace.cache_folder()} (--no-cache skips it)")
    else:
        detail("cache not used (--no-cache)")
    return workspace
