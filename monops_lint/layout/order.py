"""What the schemas say about layout: the order of a mapping's keys, and which mappings are
amounts (currency -> amount, written as one flow map).

A schema node's key order is the order its ``properties`` list them, with
those of its ``allOf``/``anyOf``/``oneOf`` members and ``if``/``then``/``else``
branches after, ``$ref`` followed; a mapping is an amount when its keys must
be currency codes (``propertyNames`` of three capitals).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from monops_lint import schema as schemas

Schema = dict[str, Any]

_BRANCHES = ("allOf", "anyOf", "oneOf")
_CURRENCY_NAMES = "^[A-Z]{3}$"


class SchemaView:
    """Resolves ``$ref``s within one root schema (the catalog's or monops.yaml's)."""

    def __init__(self, root: Schema) -> None:
        self.root = root

    def resolve(self, node: Any) -> Schema:
        """``node`` with its ``$ref`` followed (a non-schema is the empty schema)."""
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            target: Any = self.root
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
            seen += 1
        return node if isinstance(node, dict) else {}

    def _members(self, node: Any) -> Iterator[Schema]:
        """``node`` and every schema it combines with (resolved), depth first."""
        node = self.resolve(node)
        yield node
        for branch in _BRANCHES:
            for member in node.get(branch, []):
                yield from self._members(member)
        for branch in ("if", "then", "else"):
            if branch in node:
                yield from self._members(node[branch])

    def key_order(self, node: Any) -> list[str]:
        """The keys ``node`` describes, in the order the schema lists them."""
        order: list[str] = []
        for member in self._members(node):
            for key in member.get("properties", {}):
                if key not in order:
                    order.append(key)
        return order

    def child(self, node: Any, key: str | None) -> Schema:
        """The schema of ``node``'s value at ``key`` (None: a sequence's items)."""
        for member in self._members(node):
            if key is None and "items" in member:
                return self.resolve(member["items"])
            if key is not None and key in member.get("properties", {}):
                return self.resolve(member["properties"][key])
        for member in self._members(node):
            extra = member.get("additionalProperties")
            if key is not None and isinstance(extra, dict):
                return self.resolve(extra)
        return {}

    def is_amount(self, node: Any) -> bool:
        """True when the mapping's keys must be currency codes."""
        return any(member.get("propertyNames", {}).get("pattern") == _CURRENCY_NAMES
                   for member in self._members(node))


def document_schema(kind: Any, is_config: bool) -> tuple[SchemaView, Schema]:
    """The view and the schema of one document: monops.yaml's, or the kind's."""
    if is_config:
        root = schemas.config_schema()
        return SchemaView(root), root
    root = schemas.catalog_schema()
    definition = root.get("definitions", {}).get(kind) if isinstance(kind, str) else None
    return SchemaView(root), definition if isinstance(definition, dict) else {}
