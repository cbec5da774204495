"""Where an entity was written: the origin every entity carries, for exact locations."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from monops_lint.findings import Location
from monops_lint.source.yamlstrict import Positions, locate


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entity was written: its file, its document, its data and node positions."""

    path: str
    line: int
    column: int
    data: Any = field(default=None, repr=False)
    positions: Positions | None = field(default=None, repr=False)

    def _where(self, keys: tuple[Any, ...], on_key: bool) -> Location:
        found = locate(self.data, self.positions, keys, on_key) if self.positions else None
        line, column = found or (self.line, self.column)
        return Location(self.path, line, column)

    def at(self, *keys: Any) -> Location:
        """The location of the value at ``keys`` (or of its nearest existing ancestor)."""
        return self._where(keys, False)

    def key_at(self, *keys: Any) -> Location:
        """The location of the key of ``keys[-1]`` - where a field's line starts."""
        return self._where(keys, True)

    def location(self) -> Location:
        """Where the entity's document starts."""
        return Location(self.path, self.line, self.column)


NOWHERE = Origin("<none>", 1, 1)

BUCKET_ZERO = Decimal(0)
"""The rollout bucket of a customer without an id: the canary's."""
ORIGIN: Any = field(default=NOWHERE, compare=False, repr=False)
