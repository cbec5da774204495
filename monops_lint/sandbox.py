"""The Jinja2 sandbox that untrusted catalog text runs in: custom rules, invoice templates.

``make_sandbox()`` builds an ``ImmutableSandboxedEnvironment`` with
``StrictUndefined``, optional HTML autoescaping and one global, a bounded
``range``. On top of Jinja's own sandbox it guarantees:

* **No escapes.** Any attribute or key starting with ``_`` is refused
  (``__class__``, ``__mro__``, ``__subclasses__``, ``__globals__``...), as
  are Jinja's internal attributes (``gi_frame``...). ``str.format`` and
  ``str.format_map`` are refused however they are reached (``.format``,
  ``|attr('format')``). ``cycler``, ``joiner``, ``namespace``, ``lipsum`` and
  ``dict`` are gone. Only these can be called: macros, ``caller``, ``loop``,
  blocks, the environment's globals, read-only methods of strings, mappings
  and sequences, and functions the host marks with ``@sandbox_callable``.
  Filters ``random``, ``pprint``, ``urlize`` and ``striptags`` are gone.
* **Bounded values.** Every value an expression makes (operators, literals,
  ``~``, filters, calls) stands for at most ``Limits.max_size`` characters
  of text, counting shared parts every time they appear; operations that
  would grow past it (``'x' * 10**9``, ``'%09999999d' % 1``, ``|center``,
  ``|join``, ``.replace``...) are refused *before* they allocate. Integers
  stay under ``max_int_bits`` (``7 ** (10 ** 8)`` is refused before Python
  computes it), ``range`` under ``max_range`` items, Decimal arithmetic
  runs at 28 digits with exponents within ±4,000, and an iterator yields
  at most ``max_size`` in total.
  A rendered template outputs at most ``max_output`` characters, counted
  inside macros and ``{% set %}`` blocks too.
* **Bounded time.** ``Template.render``, ``Template.generate`` and compiled
  expressions run under a deadline (``Limits.seconds``). It is checked at
  every attribute and item lookup, call, operator, filter, test, loop
  iteration and output, so a loop that does nothing still stops. Hosts
  nest further budgets with ``time_limit`` (one rule, all rules).

Limits. The deadline is cooperative: one C-level step between two checks
runs to its end. Every such step works on values of bounded size (a sort,
a comparison, a ``str()`` of at most ``max_size``), so the overrun is a
few milliseconds, not minutes; but it is not a hard real-time bound, and
the sandbox does not cap the process's total memory (macro recursion, up to
Python's recursion limit, can hold a few hundred values of ``max_size``).
Parsing has no deadline; sources given to ``from_string`` and
``compile_expression`` are capped at ``max_source`` (a loader's templates
are the host's to bound). ``Template.module`` and ``{% import %}`` run a
template body without a deadline; there is no loader unless the host
passes one.
"""

from __future__ import annotations

import decimal
import difflib
import functools
import operator
import re
import time
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from jinja2 import BaseLoader, StrictUndefined, Template, Undefined, nodes, pass_environment
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

F = TypeVar("F", bound=Callable[..., Any])


class SandboxLimitError(SecurityError):
    """Sandboxed code tried to make a value, a number or an output over its limit."""


class SandboxTimeout(SecurityError):
    """Sandboxed code ran past its deadline."""


@dataclass(frozen=True)
class Limits:
    """What one evaluation or one render may use."""

    seconds: float = 1.0
    max_size: int = 1_000_000
    max_int_bits: int = 16_384
    max_range: int = 10_000
    max_output: int = 1_000_000
    max_source: int = 100_000


DEFAULT_LIMITS = Limits()


def sandbox_callable(func: F) -> F:
    """Mark a host function as safe to call from sandboxed code."""
    func.monops_sandbox_callable = True  # type: ignore[attr-defined]
    return func


# --- read-only views -------------------------------------------------------------------

class View(Mapping[str, Any]):
    """A read-only mapping whose fields sandboxed code reads as attributes (``plan.id``)."""

    __slots__ = ("_fields", "_label", "_size")

    def __init__(self, fields: Mapping[str, Any], label: str) -> None:
        self._fields = dict(fields)
        self._label = label
        self._size = 2 + sum(len(k) + 4 + measure(v, 1 << 62) for k, v in self._fields.items())

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in self._fields.items()) + "}"

    __str__ = __repr__

    @property
    def label(self) -> str:
        """What this view is, for messages: ``channel``, ``plan.versions[0]``."""
        return self._label


class ListView(tuple[Any, ...]):
    """A read-only sequence that compares equal to, and adds to, a list with the same items."""

    _label: str
    _size: int

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __add__(self, other: Any) -> Any:
        return [*self, *other] if isinstance(other, (list, tuple)) else NotImplemented

    def __radd__(self, other: Any) -> Any:
        return [*other, *self] if isinstance(other, (list, tuple)) else NotImplemented

    def __repr__(self) -> str:
        return "[" + ", ".join(map(_shown, self)) + "]"

    __str__ = __repr__


def _shown(value: Any) -> str:
    return str(value) if isinstance(value, decimal.Decimal) else repr(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def read_only(data: Any, label: str) -> Any:
    """``data`` (plain YAML values) as Views, ListViews and scalars, for sandboxed code."""
    if isinstance(data, Mapping):
        return View({str(k): read_only(v, f"{label}.{k}") for k, v in data.items()}, label)
    if isinstance(data, (list, tuple)):
        items = ListView(read_only(v, f"{label}[{i}]") for i, v in enumerate(data))
        items._label = label
        items._size = 2 + sum(measure(v, 1 << 62) + 2 for v in items)
        return items
    return data


# --- sizes ---------------------------------------------------------------------------

def measure(value: Any, limit: int) -> int:
    """About how many characters ``str(value)`` takes, shared parts counted each time.

    Stops counting once past ``limit``, so it costs at most about ``limit`` steps.
    """
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, (View, ListView)):
            total += item._size
        elif isinstance(item, Undefined):
            continue
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            if total <= limit:
                for key, inner in item.items():
                    stack += (key, inner)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            total += item.bit_length() * 3 // 10 + 2
        elif isinstance(item, (decimal.Decimal, float)):
            total += len(str(item))
        else:
            total += 8
    return total


# --- deadlines -----------------------------------------------------------------------

@dataclass
class _Budget:
    deadline: float
    seconds: float
    what: str
    max_output: int | None = None
    output: int = 0


_BUDGET: ContextVar[_Budget | None] = ContextVar("monops_sandbox_budget", default=None)

_DECIMALS = decimal.Context(prec=28, Emax=4_000, Emin=-4_000)
"""28 digits whatever the host set, and exponents small enough that ``int()`` of any
result is quick: ``int(Decimal('1e999999'))`` takes Python half a minute."""


def _start(seconds: float, what: str, max_output: int | None) -> _Budget:
    """A budget from now on, within the active one's deadline."""
    outer = _BUDGET.get()
    budget = _Budget(time.monotonic() + seconds, seconds, what, max_output)
    if outer is not None and outer.deadline <= budget.deadline:
        budget.deadline, budget.seconds, budget.what = outer.deadline, outer.seconds, outer.what
    return budget


@contextmanager
def _active(budget: _Budget) -> Iterator[None]:
    token = _BUDGET.set(budget)
    try:
        with decimal.localcontext(_DECIMALS):
            yield
    finally:
        _BUDGET.reset(token)


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Run the block under a deadline of ``seconds`` (or the enclosing one, if sooner).

    Sandboxed code that runs past it raises ``SandboxTimeout("<what> took
    longer than <seconds> s")``, naming whichever deadline ran out.
    """
    with _active(_start(seconds, what, None)):
        yield


def _evaluation_budget(limits: Limits) -> _Budget:
    active = _BUDGET.get()
    if active is not None and active.max_output is not None:
        return active  # already inside an evaluation (a block called from a template)
    return _start(limits.seconds, "evaluation", limits.max_output)


def tick() -> None:
    """Raise ``SandboxTimeout`` when the active deadline has passed."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise SandboxTimeout(f"{budget.what} took longer than {budget.seconds:g} s")


# --- what may be called --------------------------------------------------------------

_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isspace",
    "istitle", "isupper", "lower", "lstrip", "partition", "removeprefix", "removesuffix",
    "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith",
    "strip", "swapcase", "title", "upper",
    "center", "ljust", "rjust", "zfill", "replace", "join",  # size-checked first
})
_MAPPING_METHODS = frozenset({"get", "keys", "values", "items"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_LOOP_METHODS = frozenset({"cycle", "changed"})

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

    def __init__(self, limits: Limits = DEFAULT_LIMITS, *, autoescape: bool = False,
                 loader: BaseLoader | None = None,
                 filters: Mapping[str, Callable[..., Any]] | None = None,
                 keep_trailing_newline: bool = False) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=autoescape, loader=loader,
                         keep_trailing_newline=keep_trailing_newline)
        self.limits = limits
        self.globals.clear()
        self.globals["range"] = self._range
        chosen = {name: func for name, func in self.filters.items()
                  if name not in _DROPPED_FILTERS}
        chosen.update({"sum": _numbers_sum, **(filters or {})})
        self.filters = {name: self._guard_filter(name, func) for name, func in chosen.items()}
        self.tests = {name: _ticking(func) for name, func in list(self.tests.items())}
        self.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _json_default}

    # sizes -------------------------------------------------------------------------

    def bounded(self, value: Any) -> Any:
        """``value`` if it is within the size limits; raises SandboxLimitError if not."""
        if isinstance(value, Iterator) and not isinstance(value, (str, Undefined)):
            return self._bounded_iterator(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if value.bit_length() > self.limits.max_int_bits:
                raise SandboxLimitError(f"a number over {self.limits.max_int_bits:,} bits")
        elif measure(value, self.limits.max_size) > self.limits.max_size:
            raise SandboxLimitError(f"a value over {self.limits.max_size:,} characters")
        return value

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
        self._grows(sum(self._measure(p) for p in pieces), "`~`")
        return pieces

    def guarded_iteration(self, items: Any) -> Any:
        """A ``{% for %}`` loop's iterable, checking the deadline at each step."""
        return items if isinstance(items, Undefined) else _SizedIteration(items)

    def counted(self, text: str) -> str:
        """One piece of template output, counted against ``max_output``."""
        budget = _BUDGET.get()
        if budget is not None and budget.max_output is not None:
            tick()
            budget.output += len(text)
            if budget.output > budget.max_output:
                raise SandboxLimitError(f"the output is over {budget.max_output:,} characters")
        return text

    def _range(self, *args: int) -> range:
        items = range(*args)
        if len(items) > self.limits.max_range:
            raise SandboxLimitError(f"range of {len(items):,} items; the sandbox allows "
                                    f"{self.limits.max_range:,}")
        return items

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
        if _is_int(left) and _is_int(right) \
                and left.bit_length() + right.bit_length() > self.limits.max_int_bits:
            raise SandboxLimitError(f"`*` would make a number over {self.limits.max_int_bits:,} "
                                    "bits")

    def _check_power(self, base: Any, exponent: Any) -> None:
        if _is_int(base) and _is_int(exponent) and exponent > 0 and abs(base) > 1 \
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
            return getattr(obj, attribute) if attribute in _MAPPING_METHODS \
                else self._no_field(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]``: an item; falls back to a safe attribute as Jinja does."""
        tick()
        if isinstance(argument, str) and argument.startswith("_") \
                and not (isinstance(obj, Mapping) and argument in obj):
            raise SecurityError(f"attribute {argument!r} is refused: names starting with `_` "
                                "are private")
        if isinstance(obj, View) and isinstance(argument, str):
            return obj[argument] if argument in obj else self._no_field(obj, argument)
        return super().getitem(obj, argument)

    def _no_field(self, view: View, name: str) -> Undefined:
        match = difflib.get_close_matches(name, list(view), n=1, cutoff=0.6)
        also = f" (did you mean `{match[0]}`?)" if match else ""
        return self.undefined(hint=f"{view.label} has no field {name!r}{also}", obj=view,
                              name=name)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map``, however reached, refuse to run."""
        return None if super().wrap_str_format(value) is None else _refused_format

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call ``obj`` if it is on the sandbox's list; check the size of what it makes."""
        tick()
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()  # `lipsum()`: say it is undefined
        if not (self.is_safe_callable(obj) and self._may_call(obj)):
            raise SecurityError(f"calling {_describe(obj)} is not allowed in the sandbox")
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, str):
            args = self._check_str_method(owner, obj.__name__, args)
        return self.bounded(context.call(obj, *args, **kwargs))

    def _may_call(self, obj: Any) -> bool:
        if isinstance(obj, (Macro, LoopContext, BlockReference)):
            return True
        if obj is _refused_format:
            return True  # it raises a clear SecurityError
        if getattr(obj, "__self__", None) is self and obj.__name__ == "guarded_iteration":
            return True
        if any(obj is value for value in self.globals.values()):
            return True
        if isinstance(obj, (types.FunctionType, types.MethodType)) \
                and getattr(obj, "monops_sandbox_callable", False) is True:
            return True
        if not isinstance(obj, (types.BuiltinMethodType, types.MethodType)):
            return False
        owner, name = obj.__self__, obj.__name__
        if isinstance(owner, str):
            return name in _STR_METHODS
        if isinstance(owner, Mapping):
            return name in _MAPPING_METHODS
        if isinstance(owner, (list, tuple)):
            return name in _SEQUENCE_METHODS
        if isinstance(owner, LoopContext):
            return name in _LOOP_METHODS
        return isinstance(owner, BlockReference) and name == "super"

    def _check_str_method(self, text: str, name: str,
                          args: tuple[Any, ...]) -> tuple[Any, ...]:
        if name in ("center", "ljust", "rjust", "zfill") and args and _is_int(args[0]):
            self._grows(args[0], f"str.{name}({args[0]:,})")
        elif name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
            self._grows(_replaced_size(text, args[0], args[1]), "str.replace")
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
        check = _FILTER_CHECKS.get(name)

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
        with _active(_evaluation_budget(self.limits)):
            return "".join(pieces)

    def from_string(self, source: str | nodes.Template,
                    globals: MutableMapping[str, Any] | None = None,
                    template_class: type[Template] | None = None) -> Template:
        """A template; a source over ``max_source`` characters is refused."""
        self._check_source(source)
        return super().from_string(source, globals, template_class)

    def compile_expression(self, source: str,
                           undefined_to_none: bool = False) -> TemplateExpression:
        """An expression that evaluates under the deadline; an undefined result raises."""
        self._check_source(source)
        compiled = super().compile_expression(source, undefined_to_none)
        return BoundedExpression(compiled._template, undefined_to_none)

    def _check_source(self, source: Any) -> None:
        if isinstance(source, str) and len(source) > self.limits.max_source:
            raise SandboxLimitError(f"source of {len(source):,} characters; the sandbox "
                                    f"compiles at most {self.limits.max_source:,}")


class BoundedTemplate(Template):
    """A template whose ``generate`` (and ``stream``) run under the deadline."""

    environment: Sandbox

    def generate(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        """Pieces of output, each produced under the render's deadline."""
        pieces = super().generate(*args, **kwargs)
        budget = _evaluation_budget(self.environment.limits)
        while True:
            with _active(budget):
                piece = next(pieces, None)
            if piece is None:
                return
            yield piece


class BoundedExpression(TemplateExpression):
    """A compiled expression that evaluates under the deadline."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        environment: Sandbox = self._template.environment  # type: ignore[assignment]
        with _active(_evaluation_budget(environment.limits)):
            value = super().__call__(*args, **kwargs)
        if isinstance(value, Undefined) and not self._undefined_to_none:
            value._fail_with_undefined_error()
        return value


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with checks around loops, literals, ``~`` and output."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        guard = nodes.EnvironmentAttribute("guarded_iteration", lineno=node.lineno)
        iterable = nodes.Call(guard, [node.iter], [], None, None, lineno=node.lineno)
        super().visit_For(nodes.For(node.target, iterable, node.body, node.else_, node.test,
                                    node.recursive, lineno=node.lineno), frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"{join}(environment.bounded_pieces((")
        for piece in node.nodes:
            self.visit(piece, frame)
            self.write(", ")
        self.write(")))")

    def _bounded_literal(self, visit: Callable[[Any, Frame], None], node: Any,
                         frame: Frame) -> None:
        self.write("environment.bounded(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._bounded_literal(super().visit_List, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._bounded_literal(super().visit_Dict, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx == "load":
            self._bounded_literal(super().visit_Tuple, node, frame)
        else:
            super().visit_Tuple(node, frame)

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.counted({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.counted(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")


Sandbox.code_generator_class = _BoundedCodeGenerator
Sandbox.template_class = BoundedTemplate


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


# --- filters -------------------------------------------------------------------------

_DROPPED_FILTERS = frozenset({"random", "pprint", "urlize", "striptags"})


def _ticking(func: Any) -> Any:
    @functools.wraps(func)
    def ticking(*args: Any, **kwargs: Any) -> Any:
        tick()
        return func(*args, **kwargs)

    return ticking


class _RefusedFormat:
    """What ``.format`` and ``.format_map`` of a string are in the sandbox: calling it
    raises; printing it shows no function and no memory address."""

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        raise SecurityError("str.format and str.format_map are refused in the sandbox; use "
                            "`~` or the `format` filter")

    def __repr__(self) -> str:
        return "<str.format: refused in the sandbox>"


_refused_format = _RefusedFormat()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(obj: Any) -> str:
    name = getattr(obj, "__qualname__", None) or type(obj).__name__
    return f"`{name}`"


@pass_environment
def _numbers_sum(environment: Sandbox, iterable: Iterable[Any], attribute: str | None = None,
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
    if _is_int(width):
        env._grows(width, f"a width of {width:,}")


def _check_indent(env: Sandbox, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = args[0] if args else kwargs.get("width", 4)
    each = len(width) if isinstance(width, str) else width if _is_int(width) else 0
    if isinstance(value, str):
        env._grows(len(value) + (value.count("\n") + 1) * each, "indent")


def _check_format(env: Sandbox, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if isinstance(value, str):
        env._check_printf(value, kwargs or args)


def _check_replace(env: Sandbox, value: Any, args: tuple[Any, ...],
                   kwargs: dict[str, Any]) -> None:
    old, new = (list(args) + [kwargs.get("old", ""), kwargs.get("new", "")])[:2]
    if isinstance(value, str) and isinstance(old, str) and isinstance(new, str):
        env._grows(_replaced_size(value, old, new), "replace")


def _replaced_size(text: str, old: str, new: str) -> int:
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
    if _is_int(count) and count > env.limits.max_range:
        raise SandboxLimitError(f"{count:,} groups; the sandbox allows {env.limits.max_range:,}")


_FILTER_CHECKS: dict[str, Callable[[Sandbox, Any, tuple[Any, ...], dict[str, Any]], None]] = {
    "center": _check_width, "indent": _check_indent, "format": _check_format,
    "replace": _check_replace, "join": _check_join, "wordwrap": _check_wordwrap,
    "batch": _check_count, "slice": _check_count,
}
