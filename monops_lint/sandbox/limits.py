"""What sandboxed code may use (``Limits``), and the errors it gets when it goes past them."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2.exceptions import SecurityError


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
