"""The budget sandboxed code runs under: one deadline per evaluation, nested ones for the
host (``time_limit``), checked by ``tick`` at every step; and, per evaluation, the output
so far and the values held by the macro and block calls running now."""

from __future__ import annotations

import decimal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from monops_lint.sandbox.limits import Limits, SandboxTimeout


@dataclass
class Budget:
    """The deadline that applies now, what it is for, the output counted against it, and
    the values held by the macro and block calls running now."""

    deadline: float
    seconds: float
    what: str
    max_output: int | None = None
    output: int = 0
    held: list[int] = field(default_factory=list)
    """Characters of the values each running macro or block call made, outermost first."""
    held_total: int = 0


_BUDGET: ContextVar[Budget | None] = ContextVar("monops_sandbox_budget", default=None)

_DECIMALS = decimal.Context(prec=28, Emax=4_000, Emin=-4_000)
"""28 digits whatever the host set, and exponents small enough that ``int()`` of any
result is quick: ``int(Decimal('1e999999'))`` takes Python half a minute."""


def current_budget() -> Budget | None:
    """The budget of the evaluation running now, if any."""
    return _BUDGET.get()


def _start(seconds: float, what: str, max_output: int | None) -> Budget:
    """A budget from now on, within the active one's deadline."""
    outer = _BUDGET.get()
    budget = Budget(time.monotonic() + seconds, seconds, what, max_output)
    if outer is not None and outer.deadline <= budget.deadline:
        budget.deadline, budget.seconds, budget.what = outer.deadline, outer.seconds, outer.what
    return budget


@contextmanager
def active(budget: Budget) -> Iterator[None]:
    """Run the block under ``budget`` (and the sandbox's decimal context)."""
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
    with active(_start(seconds, what, None)):
        yield


def evaluation_budget(limits: Limits) -> Budget:
    """The budget of one evaluation or render: the running one if a template is already
    being rendered (a block called from a template), a new one otherwise."""
    running = _BUDGET.get()
    if running is not None and running.max_output is not None:
        return running  # already inside an evaluation (a block called from a template)
    return _start(limits.seconds, "evaluation", limits.max_output)


def tick() -> None:
    """Raise ``SandboxTimeout`` when the active deadline has passed."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise SandboxTimeout(f"{budget.what} took longer than {budget.seconds:g} s")
