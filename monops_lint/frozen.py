"""Immutable, hashable mappings: the catalog's maps (amounts, limits, usage) as values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(dict[K, V]):
    """An immutable, hashable mapping that keeps insertion order.

    A dict that refuses every change: reading it (``[]``, ``get``, ``len``,
    ``items``, ``in``) is the dict's own C code, which matters because rules
    and the pricing engine read amounts millions of times.
    """

    __slots__ = ()

    def _refuse(self) -> NoReturn:
        raise TypeError("a FrozenMap cannot be changed")

    def __setitem__(self, key: K, value: V) -> NoReturn:
        self._refuse()

    def __delitem__(self, key: K) -> NoReturn:
        self._refuse()

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[misc]
        self._refuse()

    def clear(self) -> NoReturn:
        self._refuse()

    def pop(self, key: K, default: Any = None) -> NoReturn:
        self._refuse()

    def popitem(self) -> NoReturn:
        self._refuse()

    def setdefault(self, key: K, default: Any = None) -> NoReturn:
        self._refuse()

    def update(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._refuse()

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (dict(self),))

    def __copy__(self) -> FrozenMap[K, V]:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenMap[K, V]:
        return self


Amounts = FrozenMap[str, Decimal]
"""Money by currency: ``{USD: Decimal("9.99"), EUR: Decimal("9.49")}``."""

EMPTY_AMOUNTS: Amounts = FrozenMap()
