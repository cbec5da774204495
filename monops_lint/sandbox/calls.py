"""What sandboxed code may call, and what a callable shows when it is printed: a neutral
text naming it (``<range()>``), never a Python class, a module or a memory address."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jinja2 import Undefined
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference

from monops_lint.sandbox.limits import SandboxLimitError

if TYPE_CHECKING:
    from monops_lint.sandbox.environment import Sandbox

STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isspace",
    "istitle", "isupper", "lower", "lstrip", "partition", "removeprefix", "removesuffix",
    "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith",
    "strip", "swapcase", "title", "upper",
    "center", "ljust", "rjust", "zfill", "replace", "join",  # size-checked first
})
MAPPING_METHODS = frozenset({"get", "keys", "values", "items"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_LOOP_METHODS = frozenset({"cycle", "changed"})


class RefusedFormat:
    """What ``.format`` and ``.format_map`` of a string are in the sandbox: calling it
    raises; printing it shows no function and no memory address."""

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        raise SecurityError("str.format and str.format_map are refused in the sandbox; use "
                            "`~` or the `format` filter")

    def __repr__(self) -> str:
        return "<str.format: refused in the sandbox>"


refused_format = RefusedFormat()


class BoundedRange:
    """The sandbox's ``range``: Python's, with at most ``max_range`` items."""

    __slots__ = ("_max_range",)  # nothing public: sandboxed code reads nothing from it

    def __init__(self, max_range: int) -> None:
        self._max_range = max_range

    def __call__(self, *args: int) -> range:
        items = range(*args)
        if len(items) > self._max_range:
            raise SandboxLimitError(f"range of {len(items):,} items; the sandbox allows "
                                    f"{self._max_range:,}")
        return items

    def __repr__(self) -> str:
        return "<range()>"


class Method:
    """A method sandboxed code looked up (``'a'.upper``, ``loop.cycle``), as it sees it:
    the sandbox calls the method inside, and printing it shows only its name."""

    __slots__ = ("_method",)  # nothing public: sandboxed code reads nothing from it

    def __init__(self, method: Any) -> None:
        self._method = method

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Templates call it through Sandbox.call, which checks and calls the method
        # inside; this keeps `is callable` true.
        return self._method(*args, **kwargs)

    def __repr__(self) -> str:
        return _neutral_text(self._method)


def looked_up(value: Any) -> Any:
    """``value`` as sandboxed code gets it from an attribute or item: a method wrapped so
    that printing it shows nothing of the implementation, anything else as it is."""
    if isinstance(value, (types.BuiltinMethodType, types.MethodType)):
        return Method(value)
    return value


def unwrapped(obj: Any) -> Any:
    """The method inside a ``Method``, or ``obj``."""
    return obj._method if isinstance(obj, Method) else obj


def printable(value: Any) -> Any:
    """What ``{{ value }}`` prints: a neutral text for a callable, a loop or ``self``
    (Jinja's own objects show a class name, or a memory address); other values as
    they are."""
    if isinstance(value, (str, int, float, Undefined, RefusedFormat, BoundedRange, Method)):
        return value  # data, or the sandbox's own callables, which print neutrally
    if isinstance(value, LoopContext):
        return "<loop>"
    if isinstance(value, TemplateReference):
        return "<self>"
    return _neutral_text(value) if callable(value) else value


def _neutral_text(value: Any) -> str:
    name = value.name if isinstance(value, (Macro, BlockReference)) \
        else getattr(value, "__name__", None)
    return f"<{name}()>" if isinstance(name, str) and name.isidentifier() else "<callable>"


def describe(obj: Any) -> str:
    """``obj`` named for an error message, in backticks: `` `str.upper` ``."""
    name = getattr(obj, "__qualname__", None) or type(obj).__name__
    return f"`{name}`"


def may_call(environment: Sandbox, obj: Any) -> bool:
    """Whether sandboxed code may call ``obj`` (the sandbox's list, in its docstring)."""
    if isinstance(obj, (Macro, LoopContext, BlockReference)):
        return True
    if obj is refused_format:
        return True  # it raises a clear SecurityError
    if getattr(obj, "__self__", None) is environment and obj.__name__ == "guarded_iteration":
        return True
    if any(obj is value for value in environment.globals.values()):
        return True
    if isinstance(obj, (types.FunctionType, types.MethodType)) \
            and getattr(obj, "monops_sandbox_callable", False) is True:
        return True
    if not isinstance(obj, (types.BuiltinMethodType, types.MethodType)):
        return False
    owner, name = obj.__self__, obj.__name__
    if isinstance(owner, str):
        return name in STR_METHODS
    if isinstance(owner, Mapping):
        return name in MAPPING_METHODS
    if isinstance(owner, (list, tuple)):
        return name in _SEQUENCE_METHODS
    if isinstance(owner, LoopContext):
        return name in _LOOP_METHODS
    return isinstance(owner, BlockReference) and name == "super"
