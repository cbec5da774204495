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
* **Nothing of the implementation shows.** ``range`` and the methods
  sandboxed code looks up print as their name (``<range()>``,
  ``<upper()>``), wherever they are printed (``{{ }}``, ``~``, ``|string``,
  inside a list); another callable printed by ``{{ }}`` prints the same way,
  a loop as ``<loop>``, ``self`` as ``<self>``: no class, module or memory
  address.
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
  inside macros and ``{% set %}`` blocks too. Macro and block calls nested
  inside each other hold at most ``NESTED_HOLD`` (4) times ``max_size``
  characters of the values they made (a call inside them is refused past
  that), so a recursion that holds big values fails a few levels deep, not
  at Python's recursion limit. A number literal that would be infinite
  (``1e999``) is a syntax error.
* **Bounded time.** ``Template.render``, ``Template.generate`` and compiled
  expressions run under a deadline (``Limits.seconds``). It is checked at
  every attribute and item lookup, call, operator, filter, test, loop
  iteration and output, so a loop that does nothing still stops; and at
  every line ``wordwrap`` makes, which takes time linear in its text.
  Compiling (``from_string``, ``compile_expression``, a loader's template)
  runs under the enclosing deadline, or one of ``Limits.seconds``
  ("compiling took longer than..."), checked at every token and every node
  compiled. Hosts nest further budgets with ``time_limit`` (one rule, all
  rules), which then count compiling too.

Limits. The deadline is cooperative: one C-level step between two checks
runs to its end. Every such step works on values of bounded size (a sort,
a comparison, a ``str()`` of at most ``max_size``), so the overrun is a
few milliseconds, not minutes; but it is not a hard real-time bound.
Python's ``compile()`` of the generated code is one such step, as long as
the source is: sources given to ``from_string`` and ``compile_expression``
are capped at ``max_source`` (a loader's templates are the host's to
bound). The sandbox does not cap the process's total memory: what a
template holds outside nested calls is bounded by its source (each
``{% set %}`` holds at most ``max_size``), and "made" counts every value
as made, even one let go of at once, so nested calls are refused
conservatively. ``Template.module`` and ``{% import %}`` run a template
body without a deadline (nor the count of nested calls); there is no
loader unless the host passes one.

Modules: ``limits`` (``Limits`` and the errors), ``views`` (read-only
catalog data, ``measure``), ``deadline`` (the budget of an evaluation: its
deadline, ``time_limit``, ``tick``, its output and what nested calls hold),
``environment`` (``Sandbox``, ``make_sandbox``: lookups, calls and the size
checks), ``calls`` (what may be called, how a callable prints),
``codegen`` (the bounded code generator and template classes, the checked
tokens), ``filters`` (the filters that are gone, ``wordwrap``, and the
checks made before the others run).
"""


from monops_lint.sandbox.deadline import time_limit
from monops_lint.sandbox.environment import Sandbox, make_sandbox, sandbox_callable
from monops_lint.sandbox.limits import Limits, SandboxLimitError, SandboxTimeout
from monops_lint.sandbox.views import read_only

__all__ = [
    "Limits",
    "Sandbox",
    "SandboxLimitError",
    "SandboxTimeout",
    "make_sandbox",
    "read_only",
    "sandbox_callable",
    "time_limit",
]
