"""YAML 1.2 core scalars: what a plain (unquoted) scalar means.

No YAML 1.1 resolver ever runs: ``NO``, ``0755``, ``1:30`` and ``2026-01-01``
stay strings, and ``9.99`` becomes ``Decimal("9.99")`` read from the
scalar's text, never through ``float``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

MAX_DIGITS = 4_300
"""Python's own limit for ``int(text)``: a longer integer raises ValueError."""

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_DECIMAL = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]{1,4})?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_NUMBER_START = frozenset("0123456789+-.")


class RefusedScalar(Exception):
    """A plain scalar monops refuses to read: NaN, infinity, or an integer too long."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def resolve_plain(text: str) -> Any:
    """Read a plain (unquoted) scalar with YAML 1.2 core rules.

    Integers without leading zeros become ``int``, decimals become
    ``Decimal`` built from the text, ``true``/``false``/``null`` their
    values; everything else stays the string it was written as. NaN,
    infinity and integers over ``MAX_DIGITS`` digits raise ``RefusedScalar``.
    """
    if not text or text[0] in _NUMBER_START:
        if not text:
            return None
        if _INT.match(text):
            digits = len(text.lstrip("+-"))
            if digits > MAX_DIGITS:
                raise RefusedScalar(f"a whole number of {digits:,} digits is longer than monops "
                                    f"reads ({MAX_DIGITS:,} digits)", "write a smaller number, "
                                    "or quote it if it is text")
            return int(text)
        if _DECIMAL.match(text):
            return Decimal(text)
        if _SPECIAL_FLOAT.match(text):
            raise RefusedScalar(f"{text} is not a number monops accepts (NaN and infinity are "
                                "refused)", "write a finite decimal, or quote it if it is text")
        return text
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _NULLS:
        return None
    return text
