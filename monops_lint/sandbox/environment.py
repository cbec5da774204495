"""The sandboxed environment (``Sandbox``, ``make_sandbox``): what sandboxed code may read
and call, and the size checks on every value, operator and call."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any, TypeVar

from jinja2 import BaseLoader, StrictUndefined, Template, Undefined, nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError
from jinja2.lexer import TokenStream
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from monops_lint.sandbox.calls import (
    MAPPING_METHODS,
    BoundedRange,
    describe,
    looked_up,
    may_call,
    printable,
    refused_format,
    unwrapped,
)
from monops_lint.sandbox.codegen import (
    BoundedCodeGenerator,
    BoundedExpression,
    BoundedTemplate,
    checked_tokens,
)
from monops_lint.sandbox.deadline import (
    active,
    current_budget,
    evaluation_budget,
    tick,
    time_limit,
)
from monops_lint.sandbox.filters import (
    DROPPED_FILTERS,
    FILTER_CHECKS,
    is_int,
    numbers_sum,
    replaced_size,
    ticking,
    wordwrap,
)
from monops_lint.sandbox.limits import DEFAULT_LIMITS, Limits, SandboxLimitError
from monops_lint.sandbox.views import View, json_default, measure

F = TypeVar("F", bound=Callable[..., Any])


def sandbox_callable(func: F) -> F:
    """Mark a host function as safe to call from sandboxed code."""
    func.monops_sandbox_callable = True  # type: ignore[attr-defined]
    return func


NESTED_HOLD = 4
"""Macro and block calls nested inside each other may hold this many times ``max_size``
characters of the values they made (each level of a recursion holds its own)."""

_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.S)


class _SizedIteration:
    """A loop's iterable that checks the deadline at every step (and keeps ``len``)."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self._items = items

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            tick()
            yield item

    def __len__(self) -> int:
        return len(self._items)  # type: ignore[arg-type]  # TypeError: LoopContext counts


class Sandbox(ImmutableSandboxedEnvironment):
    """The sandboxed environment; build one with ``make_sandbox``."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    code_generator_class = BoundedCodeGenerator
    template_class = BoundedTemplate

    def __init__(self, limits: Limits = DEFAULT_LIMITS, *, autoescape: bool = False,
                 loader: BaseLoader | None = None,
                 filters: Mapping[str, Callable[..., Any]] | None = None,
                 keep_trailing_newline: bool = False) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=autoescape, loader=loader,
                         keep_trailing_newline=keep_trailing_newline)
        self.limits = limits
        self.globals.clear()
        self.globals["range"] = BoundedRange(limits.max_range)
        self.finalize = printable
        chosen = {name: func for name, func in self.filters.items()
                  if name not in DROPPED_FILTERS}
        chosen.update({"sum": numbers_sum, "wordwrap": wordwrap, **(filters or {})})
        self.filters = {name: self._guard_filter(name, func) for name, func in chosen.items()}
        self.tests = {name: ticking(func) for name, func in list(self.tests.items())}
        self.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": json_default}

    # sizes -------------------------------------------------------------------------

    def bounded(self, value: Any) -> Any:
        """``value`` if it is within the size limits; raises SandboxLimitError if not.

        A value made inside a macro or block call counts as held by that call.
        """
        if isinstance(value, Iterator) and not isinstance(value, (str, Undefined)):
            return self._bounded_iterator(value)
        self._hold(self._size_checked(value))
        return value

    def _size_checked(self, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            if value.bit_length() > self.limits.max_int_bits:
                raise SandboxLimitError(f"a number over {self.limits.max_int_bits:,} bits")
            return 0
        size = measure(value, self.limits.max_size)
        if size > self.limits.max_size:
            raise SandboxLimitError(f"a value over {self.limits.max_size:,} characters")
        return size

    def _hold(self, size: int) -> None:
        budget = current_budget()
        if budget is not None and budget.held:
            budget.held[-1] += size
            budget.held_total += size

    def _grows(self, size: int, what: str) -> None:
        if size > self.limits.max_size:
            raise SandboxLimitError(f"{what} would make a value over "
                                    f"{self.limits.max_size:,} characters")

    def _bounded_iterator(self, items: Iterator[Any]) -> Iterator[Any]:
        total = 0
        for item in items:
            tick()
            total += measure(item, self.limits.max_size)
            self._grows(total, "iterating")
            yield item

    def _measure(self, value: Any) -> int:
        return measure(value, self.limits.max_size)

    def bounded_pieces(self, pieces: tuple[Any, ...]) -> tuple[Any, ...]:
        """The pieces of a ``~`` concatenation, if joined they stay within the limit."""
        tick()
        size = sum(self._measure(p) for p in pieces)
        self._grows(size, "`~`")
        self._hold(size)
        return pieces

    def guarded_iteration(self, items: Any) -> Any:
        """A ``{% for %}`` loop's iterable, checking the deadline at each step."""
        return items if isinstance(items, Undefined) else _SizedIteration(items)

    def counted(self, text: str) -> str:
        """One piece of template output, counted against ``max_output``."""
        budget = current_budget()
        if budget is not None and budget.max_output is not None:
            tick()
            budget.output += len(text)
            if budget.output > budget.max_output:
                raise SandboxLimitError(f"the output is over {budget.max_output:,} characters")
        return text

    # operators ---------------------------------------------------------------------

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``+ * ** %`` with their result's size checked before it is computed."""
        tick()
        if operator == "*":
            self._check_product(left, right)
        elif operator == "**":
            self._check_power(left, right)
        elif operator == "+" and isinstance(left, (str, list, tuple)) \
                and isinstance(right, (str, list, tuple)):
            self._grows(self._measure(left) + self._measure(right), "`+`")
        elif operator == "%" and isinstance(left, str):
            self._check_printf(left, right)
        return self.bounded(self.binop_table[operator](left, right))

    def _check_product(self, left: Any, right: Any) -> None:
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and times > 0:
                self._grows(self._measure(seq) * times, f"repeating {times:,} times")
        if is_int(left) and is_int(right) \
                and left.bit_length() + right.bit_length() > self.limits.max_int_bits:
            raise SandboxLimitError(f"`*` would make a number over {self.limits.max_int_bits:,} "
                                    "bits")

    def _check_power(self, base: Any, exponent: Any) -> None:
        if is_int(base) and is_int(exponent) and exponent > 0 and abs(base) > 1 \
                and exponent * (abs(base).bit_length() - 1) > self.limits.max_int_bits:
            raise SandboxLimitError(f"`{base} ** {exponent}` would be a number over "
                                    f"{self.limits.max_int_bits:,} bits")

    def _check_printf(self, template: str, args: Any) -> None:
        specs = _PRINTF_SPEC.findall(template)
        widths = 0
        for width, precision, _conversion in specs:
            if "*" in (width, precision):
                raise SecurityError("`*` widths in %-formatting are refused in the sandbox")
            widths += int(width or 0) + int(precision or 0)
        self._grows(len(template) + widths + len(specs) * self._measure(args), "%-formatting")

    # attributes, items and calls ---------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Never a name starting with ``_``; never what Jinja deems internal or mutating."""
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute``: a View's field, or a safe attribute."""
        tick()
        if isinstance(obj, View) and attribute in obj:
            return obj[attribute]
        if attribute.startswith("_"):
            raise SecurityError(f"attribute {attribute!r} is refused: names starting with `_` "
                                "are private")
        if isinstance(obj, View):
            return looked_up(getattr(obj, attribute)) if attribute in MAPPING_METHODS \
                else self._no_field(obj, attribute)
        return looked_up(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]``: an item; falls back to a safe attribute as Jinja does."""
        tick()
        if isinstance(argument, str) and argument.startswith("_") \
                and not (isinstance(obj, Mapping) and argument in obj):
            raise SecurityError(f"attribute {argument!r} is refused: names starting with `_` "
                                "are private")
        if isinstance(obj, View) and isinstance(argument, str):
            return obj[argument] if argument in obj else self._no_field(obj, argument)
        return looked_up(super().getitem(obj, argument))

    def _no_field(self, view: View, name: str) -> Undefined:
        match = difflib.get_close_matches(name, list(view), n=1, cutoff=0.6)
        also = f" (did you mean `{match[0]}`?)" if match else ""
        return self.undefined(hint=f"{view.label} has no field {name!r}{also}", obj=view,
                              name=name)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map``, however reached, refuse to run."""
        return None if super().wrap_str_format(value) is None else refused_format

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call ``obj`` if it is on the sandbox's list; check the size of what it makes."""
        tick()
        obj = unwrapped(obj)
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()  # `lipsum()`: say it is undefined
        if not (self.is_safe_callable(obj) and may_call(self, obj)):
            raise SecurityError(f"calling {describe(obj)} is not allowed in the sandbox")
        if isinstance(obj, (Macro, BlockReference)):
            value = self._nested_call(context, obj, args, kwargs)
            self._size_checked(value)  # its output was counted, piece by piece, as it was made
            return value
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, str):
            args = self._check_str_method(owner, obj.__name__, args)
        return self.bounded(context.call(obj, *args, **kwargs))

    def _nested_call(self, context: Any, obj: Any, args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> Any:
        """Call a macro or block, unless the calls it would run inside already hold over
        ``NESTED_HOLD * max_size`` characters of values they made."""
        budget = current_budget()
        if budget is None:
            return context.call(obj, *args, **kwargs)
        limit = NESTED_HOLD * self.limits.max_size
        if budget.held_total > limit:
            raise SandboxLimitError(f"macro and block calls nested {len(budget.held)} deep "
                                    f"made values of {budget.held_total:,} characters; "
                                    f"nested calls may hold at most {limit:,}")
        budget.held.append(0)
        try:
            return context.call(obj, *args, **kwargs)
        finally:
            budget.held_total -= budget.held.pop()

    def _check_str_method(self, text: str, name: str,
                          args: tuple[Any, ...]) -> tuple[Any, ...]:
        if name in ("center", "ljust", "rjust", "zfill") and args and is_int(args[0]):
            self._grows(args[0], f"str.{name}({args[0]:,})")
        elif name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
            self._grows(replaced_size(text, args[0], args[1]), "str.replace")
        elif name == "join" and args:
            items = args[0]
            if not isinstance(items, (str, list, tuple)):
                items = list(self._bounded_iterator(iter(items)))
            self._grows(self._measure(items) + len(items) * len(text), "str.join")
            args = (items, *args[1:])
        return args

    # filters -----------------------------------------------------------------------

    def _guard_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        first = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0
        check = FILTER_CHECKS.get(name)

        @functools.wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            tick()
            if len(args) > first:
                value = args[first]
                if isinstance(value, Iterator) and not isinstance(value, LoopContext):
                    # A filter's input is counted as a whole: a lazy map or select too.
                    value = list(self._bounded_iterator(value))
                    args = (*args[:first], value, *args[first + 1:])
                if check is not None:
                    check(self, value, args[first + 1:], kwargs)
            return self.bounded(func(*args, **kwargs))

        return guarded

    # entry points ------------------------------------------------------------------

    def concat(self, pieces: Iterable[str]) -> str:
        """Join a render's output: ``Template.render`` runs under the deadline here."""
        with active(evaluation_budget(self.limits)):
            return "".join(pieces)

    def from_string(self, source: str | nodes.Template,
                    globals: MutableMapping[str, Any] | None = None,
                    template_class: type[Template] | None = None) -> Template:
        """A template, compiled under the deadline; a source over ``max_source``
        characters is refused."""
        self._check_source(source)
        with time_limit(self.limits.seconds, "compiling"):
            return super().from_string(source, globals, template_class)

    def compile_expression(self, source: str,
                           undefined_to_none: bool = False) -> TemplateExpression:
        """An expression, compiled under the deadline, that evaluates under the deadline;
        an undefined result raises."""
        self._check_source(source)
        with time_limit(self.limits.seconds, "compiling"):
            compiled = super().compile_expression(source, undefined_to_none)
        return BoundedExpression(compiled._template, undefined_to_none)

    def _load_template(self, name: str,
                       globals: MutableMapping[str, Any] | None) -> Template:
        with time_limit(self.limits.seconds, "compiling"):  # a loader's template, compiled
            return super()._load_template(name, globals)

    def _tokenize(self, source: str, name: str | None, filename: str | None = None,
                  state: str | None = None) -> TokenStream:
        """Jinja's tokens (the sandbox has no extensions to filter them), checked as
        ``checked_tokens`` says."""
        source = self.preprocess(source, name, filename)
        tokens = self.lexer.wrap(self.lexer.tokeniter(source, name, filename, state), name,
                                 filename)
        return TokenStream(checked_tokens(tokens, name, filename), name, filename)

    def _check_source(self, source: Any) -> None:
        if isinstance(source, str) and len(source) > self.limits.max_source:
            raise SandboxLimitError(f"source of {len(source):,} characters; the sandbox "
                                    f"compiles at most {self.limits.max_source:,}")


def make_sandbox(*, autoescape: bool = False, limits: Limits = DEFAULT_LIMITS,
                 loader: BaseLoader | None = None,
                 filters: Mapping[str, Callable[..., Any]] | None = None,
                 keep_trailing_newline: bool = False) -> Sandbox:
    """A new sandboxed environment: custom-rule expressions, invoice templates.

    ``autoescape`` turns on HTML escaping (invoice HTML); ``filters`` adds
    the host's own (guarded like Jinja's: deadline, result size). Compile with
    ``compile_expression(source)`` (call the result with the variables) or
    ``from_string(source)`` (``.render(**variables)``); both run under
    ``limits``. Errors are Jinja's (``TemplateSyntaxError``,
    ``UndefinedError``, ``SecurityError`` and its ``SandboxLimitError`` and
    ``SandboxTimeout``) or Python's (``TypeError``, ``ZeroDivisionError``...).
    """
    return Sandbox(limits, autoescape=autoescape, loader=loader, filters=filters,
                   keep_trailing_newline=keep_trailing_newline)
