"""The sandbox's filters: which of Jinja's are gone, and the size checks made before a
filter runs (a width, a repeat count, a join's result...)."""

from __future__ import annotations

import decimal
import functools
import operator
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from jinja2 import pass_environment
from jinja2.exceptions import SecurityError

from monops_lint.sandbox.deadline import tick
from monops_lint.sandbox.limits import SandboxLimitError

if TYPE_CHECKING:
    from monops_lint.sandbox.environment import Sandbox

DROPPED_FILTERS = frozenset({"random", "pprint", "urlize", "striptags"})


def ticking(func: Any) -> Any:
    """``func`` checking the deadline before it runs (Jinja's tests)."""
    @functools.wraps(func)
    def on_time(*args: Any, **kwargs: Any) -> Any:
        tick()
        return func(*args, **kwargs)

    return on_time


def is_int(value: Any) -> bool:
    """Whether ``value`` is an integer and not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


@pass_environment
def numbers_sum(environment: Sandbox, iterable: Iterable[Any], attribute: str | None = None,
                start: Any = 0) -> Any:
    """Jinja's ``sum``, for numbers only (adding lists or strings grows quadratically)."""
    total: Any = start
    for item in iterable:
        tick()
        value: Any = item
        for part in str(attribute).split(".") if attribute is not None else ():
            value = environment.getitem(value, int(part) if part.isdigit() else part)
        if not isinstance(value, (int, float, decimal.Decimal)) or not isinstance(
                total, (int, float, decimal.Decimal)):
            raise SecurityError("the sandbox's `sum` adds numbers only")
        total = environment.bounded(operator.add(total, value))
    return total


def _check_width(env: Sandbox, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = args[0] if args else kwargs.get("width", 80)
    if is_int(width):
        env._grows(width, f"a width of {width:,}")


def _check_indent(env: Sandbox, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = args[0] if args else kwargs.get("width", 4)
    each = len(width) if isinstance(width, str) else width if is_int(width) else 0
    if isinstance(value, str):
        env._grows(len(value) + (value.count("\n") + 1) * each, "indent")


def _check_format(env: Sandbox, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if isinstance(value, str):
        env._check_printf(value, kwargs or args)


def _check_replace(env: Sandbox, value: Any, args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> None:
    old, new = (list(args) + [kwargs.get("old", ""), kwargs.get("new", "")])[:2]
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        env._grows(replaced_size(value, old, new), "replace")


def replaced_size(text: str, old: str, new: str) -> int:
    """The length of ``text.replace(old, new)``, worked out without making it."""
    if not old:
        return len(text) + (len(text) + 1) * len(new)
    return len(text) + text.count(old) * max(0, len(new) - len(old))


def _check_join(env: Sandbox, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    glue = args[0] if args else kwargs.get("d", "")
    if isinstance(value, (list, tuple)) and isinstance(glue, str):
        env._grows(env._measure(value) + len(value) * len(glue), "join")


def _check_wordwrap(env: Sandbox, value: Any, args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> None:
    wrap = args[2] if len(args) > 2 else kwargs.get("wrapstring")
    if isinstance(value, str):
        # textwrap is pure Python and slow: 1,000,000 characters take it over a second.
        if len(value) > env.limits.max_size // 10:
            raise SandboxLimitError(f"wordwrap of {len(value):,} characters; the sandbox "
                                    f"wraps at most {env.limits.max_size // 10:,}")
        env._grows(len(value) * (1 + len(wrap if isinstance(wrap, str) else "\n")), "wordwrap")


def _check_count(env: Sandbox, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    count = args[0] if args else kwargs.get("linecount", kwargs.get("slices", 1))
    if is_int(count) and count > env.limits.max_range:
        raise SandboxLimitError(f"{count:,} groups; the sandbox allows {env.limits.max_range:,}")


FilterCheck = Callable[["Sandbox", Any, tuple[Any, ...], dict[str, Any]], None]
"""A check run before a filter: the environment, the filter's input, its arguments."""

FILTER_CHECKS: dict[str, FilterCheck] = {
    "center": _check_width, "indent": _check_indent, "format": _check_format,
    "replace": _check_replace, "join": _check_join, "wordwrap": _check_wordwrap,
    "batch": _check_count, "slice": _check_count,
}
