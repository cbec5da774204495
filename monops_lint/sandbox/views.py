"""Read-only views of catalog data for sandboxed code, and how big a value is (``measure``)."""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Mapping
from typing import Any

from jinja2 import Undefined


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


def json_default(value: Any) -> Any:
    """What ``tojson`` writes for a View (a mapping) or a Decimal (its text)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if callable(value):  # named neutrally: no class of the sandbox's shows
        raise TypeError("a callable cannot be written as JSON")
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
