"""The sandbox's filters: which of Jinja's are gone, and the size checks made before a
filter runs (a width, a repeat count, a join's result...)."""

from __future__ import annotations

import decimal
import functools
import operator
import re
import textwrap
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


@pass_environment
def wordwrap(environment: Sandbox, s: str, width: int = 79, break_long_words: bool = True,
             wrapstring: str | None = None, break_on_hyphens: bool = True) -> str:
    """Jinja's ``wordwrap``, with the same output, in time linear in the text and checking
    the deadline at every line. (``textwrap`` copies what is left of a long word for every
    line it fills: a word of n characters at width 1 costs n²/2.)"""
    if wrapstring is None:
        wrapstring = environment.newline_sequence
    wrapper = textwrap.TextWrapper(width=width, expand_tabs=False, replace_whitespace=False,
                                   break_long_words=break_long_words,
                                   break_on_hyphens=break_on_hyphens)
    return wrapstring.join([wrapstring.join(_wrapped(wrapper, line))
                            for line in s.splitlines()])


_NOT_SPACE = re.compile(r"\S")
_NOT_HYPHEN = re.compile(r"[^-]")


def _wrapped(wrapper: textwrap.TextWrapper, text: str) -> list[str]:
    """``wrapper.wrap(text)`` (no indents, no line limit, dropping whitespace at line ends).

    textwrap's loop, except that a long word being broken stays one string with an offset
    (``start``) rather than being copied, less its first line, once per line.
    """
    chunks = wrapper._split_chunks(text)
    width = wrapper.width
    if width <= 0:
        raise ValueError(f"invalid width {width!r} (must be > 0)")
    lines: list[str] = []
    chunks.reverse()
    start = 0  # characters of chunks[-1] already on earlier lines
    while chunks:
        tick()
        line: list[str] = []
        length = 0
        if lines and _NOT_SPACE.search(chunks[-1], start) is None:
            del chunks[-1]  # whitespace at the start of a line (not the first) goes
            start = 0
        while chunks and length + len(chunks[-1]) - start <= width:
            length += len(chunks[-1]) - start
            line.append(chunks.pop()[start:])
            start = 0
        if chunks and len(chunks[-1]) - start > width:
            start = _break_long_word(wrapper, chunks, start, line, width - length)
            length = sum(map(len, line))
        if line and not line[-1].strip():
            length -= len(line.pop())  # whitespace at the end of a line goes
        if line:
            lines.append("".join(line))
    return lines


def _break_long_word(wrapper: textwrap.TextWrapper, chunks: list[str], start: int,
                     line: list[str], space_left: int) -> int:
    """textwrap's ``_handle_long_word`` on ``chunks[-1][start:]``: the new ``start``."""
    chunk = chunks[-1]
    if wrapper.break_long_words:
        end = space_left
        if wrapper.break_on_hyphens and len(chunk) - start > space_left:
            # after the last hyphen that fits, if something other than hyphens precedes it
            hyphen = chunk.rfind("-", start, start + space_left)
            if hyphen > start and _NOT_HYPHEN.search(chunk, start, hyphen):
                end = hyphen + 1 - start
        line.append(chunk[start:start + end])
        return start + end
    if not line:  # an unbreakable word gets a line of its own
        line.append(chunks.pop()[start:])
        return 0
    return start


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
        # Wrapping is pure Python and slow: 1,000,000 characters take it over a second.
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
