"""The YAML an import writes: documents of plain values (dicts, lists, ``Decimal``, ``int``,
``bool``, ``str``) as text monops' strict loader reads back to the same values.

Amounts are written as their ``Decimal`` text (``75.00`` stays ``75.00``); a string is
written plain only when it cannot be read as anything else (an id starting with a
letter, a currency code, a date), otherwise double-quoted with every character that
is not printable escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._-]*|\d{4}-\d{2}-\d{2}")
_WORDS = frozenset({"true", "false", "null"})  # any case: YAML 1.2 reads True, NULL...
_FLOW_WIDTH = 88


def scalar(value: Any) -> str:
    """One scalar as YAML text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _WORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in quoted)


def _flow(value: Any) -> str | None:
    """``value`` on one line (a mapping or list of scalars), or None when it has to nest."""
    if isinstance(value, Mapping):
        if any(isinstance(v, (Mapping, list, tuple)) for v in value.values()):
            return None
        return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (Mapping, list, tuple)) for v in value):
            return None
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return scalar(value)


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            flat = _flow(item)
            head = f"{pad}{scalar(key)}:"
            if flat is not None and len(head) + len(flat) < _FLOW_WIDTH:
                lines.append(f"{head} {flat}")
            else:
                lines.append(head)
                lines += _lines(item, indent + 2)
        return lines
    for item in value:
        flat = _flow(item)
        if flat is not None and len(pad) + 2 + len(flat) < _FLOW_WIDTH:
            lines.append(f"{pad}- {flat}")
            continue
        nested = _lines(item, indent + 2)
        lines.append(f"{pad}- {nested[0].lstrip()}")
        lines += nested[1:]
    return lines


def documents(items: Sequence[Mapping[str, Any]], comment: str = "") -> str:
    """Several documents in one file, separated by ``---``; ``comment`` heads the file."""
    head = "".join(f"# {line}\n" for line in comment.splitlines())
    return head + "---\n".join("\n".join(_lines(item, 0)) + "\n" for item in items)
