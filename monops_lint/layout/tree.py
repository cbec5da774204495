"""A YAML file as a tree of nodes that remember where they stand in the text.

Built from PyYAML's events (the pure-Python parser, whose marks count
characters of the text): each scalar keeps its source span and style, each
collection whether it was written in flow style, and each entry (a mapping's
key and value, a sequence's item) its first and last line, which is what
comments are attached by (``comments``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml


class LayoutError(Exception):
    """A file ``monops fmt`` will not rewrite, and why (it is left as it is)."""


@dataclass
class Scalar:
    """A scalar: its value (text as YAML read it), how it was written, and where."""

    value: str
    style: str  # "" plain, "'" or '"' quoted, "|" literal, ">" folded
    source: str  # the text as written, indicators and quotes included
    start: int
    end: int
    line: int
    last_line: int
    header_comment: str = ""  # a comment on a block scalar's `|`/`>` line


@dataclass
class Entry:
    """A mapping entry (``key`` set) or a sequence item, and the comments it carries."""

    key: Scalar | None
    value: Node
    first_line: int
    last_line: int
    depth: int
    leading: list[str] = field(default_factory=list)  # "" for a blank line, else a comment
    trailing: str = ""


@dataclass
class Collection:
    """A mapping (entries with keys) or a sequence (entries without)."""

    is_mapping: bool
    flow: bool
    entries: list[Entry]
    line: int
    last_line: int


Node = Scalar | Collection


@dataclass
class DocumentTree:
    """One document of a file: its root mapping, the comments above its first entry (they
    describe the document, and stay at its top whatever key comes first) and those after
    its last entry."""

    root: Collection
    leading: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)


def _marks(event: yaml.Event) -> tuple[Any, Any]:
    """An event's start and end marks (the pure-Python parser always sets both)."""
    assert event.start_mark is not None and event.end_mark is not None
    return event.start_mark, event.end_mark


def _last_line(mark: Any) -> int:
    # A block scalar's end is at column 0 of the line after its content.
    line: int = mark.line
    return line - 1 if mark.column == 0 and line > 0 else line


def read_tree(text: str) -> list[DocumentTree]:
    """Every document of ``text`` as a tree (a mapping at the root of each)."""
    events = iter(yaml.parse(text, Loader=yaml.SafeLoader))
    documents: list[DocumentTree] = []
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            root = _node(text, next(events), events, 0)
            if not isinstance(root, Collection) or not root.is_mapping:
                raise LayoutError("a document that is not a mapping")
            documents.append(DocumentTree(root))
    return documents


def _node(text: str, event: yaml.Event, events: Iterator[yaml.Event], depth: int) -> Node:
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) or \
            (getattr(event, "tag", None) and not getattr(event, "implicit", (True,))[0]):
        raise LayoutError("anchors, aliases or tags (run `monops lint`)")
    if isinstance(event, yaml.ScalarEvent):
        return _scalar(text, event)
    if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        mapping = isinstance(event, yaml.MappingStartEvent)
        entries: list[Entry] = []
        start_line = _marks(event)[0].line
        last_line = start_line
        stream = events
        while True:
            child = next(stream)
            if isinstance(child, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                flow = bool(event.flow_style)
                end_line = _marks(child)[1].line if flow else last_line
                return Collection(mapping, flow, entries, start_line, max(end_line, last_line))
            key = None
            if mapping:
                key_node = _node(text, child, stream, depth + 1)
                if not isinstance(key_node, Scalar):
                    raise LayoutError("a key that is not a string")
                key = key_node
                child = next(stream)
            value = _node(text, child, stream, depth + 1)
            first = key.line if key is not None else _first_line(value)
            last = _node_last_line(value)
            entries.append(Entry(key, value, first, last, depth + 1))
            last_line = max(last_line, last)
    raise LayoutError(f"unexpected YAML event {type(event).__name__}")


def _first_line(node: Node) -> int:
    return node.line


def _node_last_line(node: Node) -> int:
    return node.last_line


def _scalar(text: str, event: yaml.ScalarEvent) -> Scalar:
    start_mark, end_mark = _marks(event)
    start, end = start_mark.index, end_mark.index
    style = event.style or ""
    header = ""
    if style in ("|", ">"):
        line_end = text.find("\n", start)
        head = text[start:line_end if line_end >= 0 else len(text)]
        if "#" in head:
            header = head[head.index("#"):].rstrip()
        last = _last_line(end_mark)
    else:
        last = end_mark.line
    return Scalar(event.value, style, text[start:end], start, end, start_mark.line, last, header)
