"""Values as YAML text, written the way a person would write them by hand."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal

from benchmarks.catalog.prices import decimals_of, round_to

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.()'/+%&-]*")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def text(value: str) -> str:
    """A string as a YAML scalar: plain when that is safe, else double-quoted."""
    if (_PLAIN.fullmatch(value) and value.lower() not in _RESERVED and not value[0].isdigit()
            and not value.endswith(" ") and "  " not in value):
        return value
    return json.dumps(value, ensure_ascii=False)


def decimal_text(value: Decimal, places: int) -> str:
    """A decimal that is not an amount (a rate, a card payment): at least ``places``
    decimals, never an exponent."""
    value = value.normalize()
    if decimals_of(value) < places:
        value = round_to(value, places)
    return format(value, "f")


def flow(items: Iterable[str]) -> str:
    """A flow sequence: ``[a, b]``."""
    return "[" + ", ".join(items) + "]"


def wrap(prefix: str, words: str, width: int = 76) -> list[str]:
    """``words`` as comment lines starting with ``prefix``."""
    lines: list[str] = []
    line = prefix
    for word in words.split():
        if len(line) + len(word) + 1 > width and line != prefix:
            lines.append(line.rstrip())
            line = prefix
        line += word + " "
    lines.append(line.rstrip())
    return lines


def folded(key: str, value: str, indent: str = "") -> list[str]:
    """``key: >-`` and the text over indented lines when it is long; one line otherwise."""
    if len(indent) + len(key) + len(value) + 2 <= 88:
        return [f"{indent}{key}: {text(value)}"]
    return [f"{indent}{key}: >-", *wrap(indent + "  ", value, 80)]
