"""Writing a document tree in the canonical layout (README: ``monops fmt``).

Keys in schema order; amounts as flow maps; other mappings, and sequences of
plain values, on one line when they hold no comment, no block scalar and no
sequence of collections, and fit in ``WIDTH`` columns; everything else in
block style, two spaces per level, sequences indented under their key.
Scalars keep their text when written plain; quoted ones lose quotes YAML
does not need (``plain_ok``); block scalars keep their lines.
"""

from __future__ import annotations

from monops_lint.layout.order import Schema, SchemaView
from monops_lint.layout.tree import Collection, DocumentTree, Entry, LayoutError, Node, Scalar
from monops_lint.source.yamlstrict import RefusedScalar, resolve_plain

WIDTH = 100
_INDICATORS = frozenset("[]{},#&*!|>'\"%@`")
_FLOW = frozenset(",[]{}:")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def plain_ok(value: str, in_flow: bool) -> bool:
    """Whether ``value`` written without quotes reads back as the same string."""
    if not value or value != value.strip() or not value.isprintable():
        return False
    try:
        if resolve_plain(value) != value or not isinstance(resolve_plain(value), str):
            return False  # a number, true/false or null
    except RefusedScalar:
        return False
    if value[0] in _INDICATORS or value.startswith(("---", "...")):
        return False
    if value[0] in "-?:" and (len(value) == 1 or value[1] == " "):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    return not (in_flow and any(char in _FLOW for char in value))


def quoted(value: str) -> str:
    """``value`` in double quotes, escaped so that YAML reads it back exactly."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif not char.isprintable() or char in "\u2028\u2029\x85\ufeff":
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _inline(scalar: Scalar, in_flow: bool) -> str | None:
    """The scalar on one line, or None for a block scalar."""
    if scalar.style in ("|", ">"):
        return None
    if scalar.style == "" and "\n" not in scalar.source and (
            not in_flow or not any(char in _FLOW for char in scalar.source)):
        return scalar.source
    return scalar.value if plain_ok(scalar.value, in_flow) else quoted(scalar.value)


def _has_comments(node: Node) -> bool:
    return isinstance(node, Collection) and any(
        entry.trailing or any(entry.leading) or _has_comments(entry.value)
        for entry in node.entries)


class Writer:
    """Writes documents under one schema view."""

    def __init__(self, view: SchemaView) -> None:
        self.view = view

    def document(self, tree: DocumentTree, schema: Schema) -> list[str]:
        """The lines of one document (its root mapping always in block style)."""
        return tree.leading + self._mapping(tree.root, schema, 0) + tree.trailing

    def _ordered(self, node: Collection, schema: Schema) -> list[Entry]:
        if not node.is_mapping:
            return node.entries
        order = self.view.key_order(schema)
        rank = {key: i for i, key in enumerate(order)}
        return sorted(node.entries, key=lambda e: rank.get(e.key.value if e.key else "",
                                                           len(order)))

    def _flow(self, node: Node, schema: Schema) -> str | None:
        """``node`` on one line, or None when it cannot be."""
        if isinstance(node, Scalar):
            return _inline(node, in_flow=True)
        if _has_comments(node):
            return None
        parts = []
        for entry in self._ordered(node, schema):
            if not node.is_mapping and isinstance(entry.value, Collection):
                return None  # a sequence of collections is a block list
            child = self._child(schema, entry)
            value = self._flow(entry.value, child)
            if value is None:
                return None
            if entry.key is None:
                parts.append(value)
            else:
                key = _inline(entry.key, in_flow=True)
                if key is None:
                    return None
                parts.append(f"{key}: {value}")
        opening, closing = ("{", "}") if node.is_mapping else ("[", "]")
        return opening + ", ".join(parts) + closing

    def _child(self, schema: Schema, entry: Entry) -> Schema:
        return self.view.child(schema, entry.key.value if entry.key is not None else None)

    def _leading(self, entry: Entry, indent: int) -> list[str]:
        return [" " * indent + line if line else "" for line in entry.leading]

    def _mapping(self, node: Collection, schema: Schema, indent: int) -> list[str]:
        lines: list[str] = []
        for entry in self._ordered(node, schema):
            assert entry.key is not None
            key = _inline(entry.key, in_flow=False)
            if key is None:
                raise LayoutError("a block scalar used as a key")
            lines += self._leading(entry, indent)
            lines += self._value(" " * indent + key + ":", entry, self._child(schema, entry),
                                 indent)
        return lines

    def _value(self, prefix: str, entry: Entry, schema: Schema, indent: int) -> list[str]:
        """``prefix`` (``key:`` or ``-``) followed by the entry's value."""
        value, comment = entry.value, f"  {entry.trailing}" if entry.trailing else ""
        if isinstance(value, Scalar):
            inline = _inline(value, in_flow=False)
            if inline is not None:
                return [f"{prefix} {inline}{comment}"]
            return [f"{prefix} {_block_header(value)}{comment}", *_block_lines(value, indent + 2)]
        amount = value.is_mapping and self.view.is_amount(schema)
        flow = self._flow(value, schema) if amount or value.is_mapping or all(
            isinstance(e.value, Scalar) for e in value.entries) else None
        if amount and flow is None:
            raise LayoutError("a comment inside an amount, which is always written on one line")
        if flow is not None and (amount or not value.entries or
                                 len(prefix) + 1 + len(flow) <= WIDTH):
            return [f"{prefix} {flow}{comment}"]
        if value.is_mapping:
            return [prefix + comment, *self._mapping(value, schema, indent + 2)]
        return [prefix + comment, *self._sequence(value, schema, indent + 2)]

    def _sequence(self, node: Collection, schema: Schema, indent: int) -> list[str]:
        lines: list[str] = []
        item_schema = self.view.child(schema, None)
        for entry in node.entries:
            lines += self._leading(entry, indent)
            value = entry.value
            if isinstance(value, Collection) and value.is_mapping and value.entries:
                flow = self._flow(value, item_schema)
                if flow is not None and (self.view.is_amount(item_schema) or
                                         indent + 2 + len(flow) <= WIDTH):
                    comment = f"  {entry.trailing}" if entry.trailing else ""
                    lines.append(" " * indent + f"- {flow}{comment}")
                    continue
                body = self._mapping(value, item_schema, indent + 2)
                first = self._ordered(value, item_schema)[0]
                lead = len(first.leading)
                # the first entry's comments go above the dash, at the item's indentation
                lines += [line[2:] if line else "" for line in body[:lead]]
                head = " " * indent + "- " + body[lead][indent + 2:]
                lines.append(head + (f"  {entry.trailing}" if entry.trailing else ""))
                lines += body[lead + 1:]
                continue
            lines += self._value(" " * indent + "-", entry, item_schema, indent)
        return lines


def _block_header(scalar: Scalar) -> str:
    header = scalar.source.split("\n", 1)[0].split("#", 1)[0].strip()
    if any(char.isdigit() for char in header):
        raise LayoutError("a block scalar with an indentation indicator")
    return header


def _block_lines(scalar: Scalar, indent: int) -> list[str]:
    """A block scalar's content lines, moved to ``indent``."""
    body = scalar.source.split("\n")[1:]
    while body and not body[-1].strip():
        body.pop()  # the chomping indicator, kept in the header, says what they meant
    present = [len(line) - len(line.lstrip(" ")) for line in body if line.strip()]
    if not present:
        return []
    cut = min(present)
    return [" " * indent + line[cut:] if line.strip() else "" for line in body]
