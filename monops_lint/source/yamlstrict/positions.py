"""Where each node of a document stands, and how a path of keys finds it again.

The loader keeps a document's data as plain ``dict``/``list`` values (cheap to
copy, pickle and cache) and, beside them, one flat array of (line, column)
pairs in the order of its walk. ``locate`` finds a node's pair from the keys
that lead to it, by counting how many nodes come before it.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING, Any

Pos = tuple[int, int]  # 1-based (line, column)

if TYPE_CHECKING:
    _Pairs = array[int]
else:  # array is subscriptable at run time only from Python 3.12
    _Pairs = array

_CHEAP_SCAN = 64
"""Slots a lookup may step over inside one mapping or list before that container gets a
table of where each of its children starts. Below it (a document's ``kind`` and ``id``,
an amount's currencies) nothing is kept; above it (the thousandth key of a wide mapping,
an item after a long list) the container is counted once, and every later lookup in it
reads the table."""


_NO_DATA: Any = object()  # what a Positions without tables was worked out from: nothing


class Positions(_Pairs):
    """Where every node of a document stands: (line, column) pairs, flat, in document order.

    The order is the walk's: the root, then for a mapping each key followed by
    its value's nodes, for a sequence each item's nodes. A node's index in that
    order is its *slot*; its pair is at ``2 * slot``.

    Besides the pairs, a Positions keeps the tables ``locate`` worked out for
    the document's large containers (by the slot of the container), together
    with the data they were worked out from: the tables belong to this one
    document and go when it goes. They are not pickled (an array pickles its
    items only), and they are rebuilt if ``locate`` is ever given other data.
    """

    __slots__ = ("_data", "_tables")
    _data: Any  # the document's root value, once a table is kept
    _tables: dict[int, Any]  # container slot -> {key: slot} or the array of item slots

    def tables(self, data: Any) -> dict[int, Any] | None:
        """The child tables worked out so far for ``data``, or None when there are none."""
        # Unset until a table is kept: new arrays and arrays read back from a pickle.
        return self._tables if getattr(self, "_data", _NO_DATA) is data else None

    def keep(self, data: Any, slot: int, table: Any) -> dict[int, Any]:
        """Remember ``table`` for the container at ``slot`` of ``data``; return all tables."""
        tables = self.tables(data)
        if tables is None:
            self._data, self._tables = data, {}
            tables = self._tables
        tables[slot] = table
        return tables


def _slots(node: Any) -> int:
    """How many positions a node takes: itself, and its keys and children's."""
    if type(node) is dict:
        return 1 + sum(1 + _slots(value) for value in node.values())
    if type(node) is list:
        return 1 + sum(_slots(item) for item in node)
    return 1


def _key_slots(mapping: dict[Any, Any], slot: int) -> dict[Any, int]:
    """The slot of each key of the mapping at ``slot``."""
    table, at = {}, slot + 1
    for name, value in mapping.items():
        table[name] = at
        at += 1 + _slots(value)
    return table


def _item_slots(items: list[Any], slot: int) -> array[int]:
    """The slot of each item of the list at ``slot``."""
    table, at = array("Q"), slot + 1
    for item in items:
        table.append(at)
        at += _slots(item)
    return table


def locate(data: Any, positions: Positions, keys: tuple[Any, ...],
           on_key: bool = False) -> Pos | None:
    """Where the node at ``keys`` below ``data`` stands, or its nearest existing ancestor.

    With ``on_key``, the position of the *key* of ``keys[-1]`` when that is a
    mapping key (a field's line). None when ``positions`` holds nothing.

    Each container on the way is either counted up to the key (when few
    nodes come before it) or read from its table; so finding every key of a
    mapping costs time in proportion to the mapping, not to its square.
    """
    if len(positions) < 2:
        return None
    # A document of no more than _CHEAP_SCAN nodes is always counted: it never has a table.
    tables = positions.tables(data) if len(positions) > 2 * _CHEAP_SCAN else None
    slot, node = 0, data
    for depth, key in enumerate(keys):
        if type(node) is dict:
            if key not in node:
                break
            table = tables.get(slot) if tables else None
            if table is not None:
                at = table[key]
            else:
                at = slot + 1
                for name, value in node.items():
                    if name == key:
                        break
                    at += 1 + _slots(value)
                if at - slot > _CHEAP_SCAN:
                    tables = positions.keep(data, slot, _key_slots(node, slot))
            if on_key and depth == len(keys) - 1:
                return positions[2 * at], positions[2 * at + 1]
            slot, node = at + 1, node[key]
        elif type(node) is list and type(key) is int and 0 <= key < len(node):
            table = tables.get(slot) if tables else None
            if table is not None:
                at = table[key]
            else:
                at = slot + 1 + sum(_slots(item) for item in node[:key])
                if at - slot > _CHEAP_SCAN:
                    tables = positions.keep(data, slot, _item_slots(node, slot))
            slot, node = at, node[key]
        else:
            break
    if 2 * slot + 1 >= len(positions):
        return None
    return positions[2 * slot], positions[2 * slot + 1]
