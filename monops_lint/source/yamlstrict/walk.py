"""The event walk: plain values and their positions from libyaml's events, traps as findings.

The walk reads PyYAML's *events* (from the C parser, libyaml, when it is
installed) and builds plain values itself, so that no YAML 1.1 resolver
ever runs, aliases are never expanded (an alias bomb costs nothing), and
anchors, aliases, ``<<`` merge keys and explicit tags are findings. Every
node's (line, column) goes into the document's ``Positions`` as it is read.
"""

from __future__ import annotations

from sys import intern
from typing import Any

import yaml

from monops_lint.findings import Finding, Location
from monops_lint.source.yamlstrict.document import Document, yaml_finding
from monops_lint.source.yamlstrict.positions import Pos, Positions
from monops_lint.source.yamlstrict.scalars import RefusedScalar, resolve_plain

try:  # libyaml is the hot path; the pure-Python parser gives the same events.
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

MAX_DEPTH = 64

_ScalarEvent = yaml.ScalarEvent
_MappingStart = yaml.MappingStartEvent
_SequenceStart = yaml.SequenceStartEvent
_CollectionEnd = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_AliasEvent = yaml.AliasEvent
_DocumentStart = yaml.DocumentStartEvent
_DocumentEnd = yaml.DocumentEndEvent
_StreamEnd = yaml.StreamEndEvent

_INTERN_MAX = 64  # longer strings (descriptions) are rarely repeated
_NO_KEY: Any = object()   # a mapping frame waiting for its next key
_BAD_KEY: Any = object()  # a refused key: its value is dropped


class _Frame:
    __slots__ = ("container", "key", "keys", "mapping")

    def __init__(self, container: Any, mapping: bool) -> None:
        self.container = container
        self.mapping = mapping
        self.key: Any = _NO_KEY
        self.keys: dict[str, Pos] = {}  # where each key of a mapping was written


class _Walk:
    """Builds the documents of one file from parser events."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.documents: list[Document] = []
        self.doc_clean = True

    def trap(self, pos: Pos, message: str, hint: str,
             related: tuple[tuple[Location, str], ...] = ()) -> None:
        self.doc_clean = False
        self.findings.append(yaml_finding("yaml-trap", self.path, pos, message, hint, related))

    def refuse_properties(self, event: Any, pos: Pos) -> None:
        """The anchor, alias or explicit tag a node event carries: each one a trap.

        Called for every alias, and for a scalar or collection only when it has
        an anchor or a tag (the walk tests both inline: most nodes have neither).
        """
        if type(event) is _AliasEvent:
            self.trap(pos, f"alias *{event.anchor}: anchors and aliases are not allowed",
                      "write the value out in full")
            return
        if event.anchor is not None:
            self.trap(pos, f"anchor &{event.anchor}: anchors and aliases are not allowed",
                      "write the value out in full")
        if event.tag is not None:
            # A scalar can be quoted to stay text; a collection has no such way out.
            self.trap(pos, f"explicit tag {_short_tag(event.tag)}: tags are not allowed",
                      "remove the tag; quote the value if it must be a string"
                      if type(event) is _ScalarEvent else "remove the tag")

    def too_deep(self, pos: Pos) -> None:
        """Nesting past ``MAX_DEPTH`` (or libyaml's own limit): the walk stops here."""
        self.trap(pos, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")

    def run(self, data: bytes) -> None:
        """Walk the events of ``data`` (bytes without a byte-order mark) to the end."""
        parser = _Parser(data)
        get_event = parser.get_event
        stack: list[_Frame] = []
        root: Any = None
        root_pos: Pos = (1, 1)
        positions = Positions("I")
        place = positions.extend
        discard = 0  # depth inside a refused complex key, or the value of a refused key
        try:
            while True:
                event = get_event()
                cls = type(event)
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if cls is _ScalarEvent:
                    if event.anchor is not None or event.tag is not None:
                        self.refuse_properties(event, pos)
                    if event.style:
                        value: Any = event.value
                    else:
                        try:
                            value = resolve_plain(event.value)
                        except RefusedScalar as refused:
                            self.trap(pos, refused.message, refused.hint)
                            value = event.value
                    if discard:
                        continue
                    if type(value) is str and len(value) <= _INTERN_MAX:
                        value = intern(value)  # ids, codes, enums: one object, pickled once
                elif cls is _MappingStart or cls is _SequenceStart:
                    if event.anchor is not None or event.tag is not None:
                        self.refuse_properties(event, pos)
                    if discard:
                        discard += 1
                        continue
                    if stack and stack[-1].mapping and stack[-1].key is _NO_KEY:
                        self.trap(pos, "a mapping or sequence used as a key",
                                  "keys must be plain strings")
                        stack[-1].key = _BAD_KEY
                        discard = 1
                        continue
                    if stack and stack[-1].mapping and stack[-1].key is _BAD_KEY:
                        stack[-1].key = _NO_KEY  # the value of a refused key: skipped whole
                        discard = 1
                        continue
                    if len(stack) >= MAX_DEPTH:
                        self.too_deep(pos)
                        return
                    container: Any = {} if cls is _MappingStart else []
                    place(pos)
                    if stack:
                        self._add(stack[-1], container, pos, place)
                    else:
                        root, root_pos = container, pos
                    stack.append(_Frame(container, cls is _MappingStart))
                    continue
                elif cls in _CollectionEnd:
                    if discard:
                        discard -= 1
                    else:
                        stack.pop()
                    continue
                elif cls is _AliasEvent:
                    self.refuse_properties(event, pos)
                    value = None
                    if discard:
                        continue
                elif cls is _DocumentStart:
                    root, root_pos, self.doc_clean = None, pos, True
                    positions = Positions("I")
                    place = positions.extend
                    continue
                elif cls is _DocumentEnd:
                    if root is None or not positions:
                        positions.extend(root_pos)
                    if max(positions) <= 0xFFFF:  # half the memory (and cache) of most files
                        positions = Positions("H", positions)
                    self.documents.append(Document(self.path, len(self.documents), root,
                                                   root_pos[0], root_pos[1], self.doc_clean,
                                                   positions))
                    continue
                elif cls is _StreamEnd:
                    return
                else:
                    continue
                if stack:
                    self._add(stack[-1], value, pos, place)
                else:
                    root, root_pos = value, pos
                    place(pos)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = _within(data, (mark.line + 1, mark.column + 1) if mark else (1, 1))
            problem = exc.problem or exc.context or "cannot parse"
            if "maximum nesting depth" in problem:  # libyaml's own guard, at 1000 levels
                self.too_deep(where)
                return
            context = f" ({exc.context})" if exc.context and exc.problem else ""
            self.findings.append(yaml_finding("yaml-syntax", self.path, where,
                                              f"{problem}{context}", _syntax_hint(problem)))
        except yaml.YAMLError as exc:
            self.findings.append(yaml_finding("yaml-syntax", self.path, (1, 1),
                                              str(exc).splitlines()[0], ""))

    def _add(self, frame: _Frame, value: Any, pos: Pos, place: Any) -> None:
        """Add ``value`` (already placed, when it is a container) to ``frame``."""
        if not frame.mapping:
            frame.container.append(value)
            if type(value) is not dict and type(value) is not list:
                place(pos)
            return
        key = frame.key
        if key is _NO_KEY:
            if type(value) is not str:
                shown = "null" if value is None else str(value).lower() if isinstance(
                    value, bool) else str(value)
                self.trap(pos, f"key {shown} is not a string",
                          f'quote it: "{shown}":' if value is not None else "give the key a name")
                frame.key = _BAD_KEY
            elif value == "<<":
                self.trap(pos, "merge key <<: merge keys are not allowed",
                          "write the merged fields out in full")
                frame.key = _BAD_KEY
            elif value in frame.keys:
                first = frame.keys[value]
                self.trap(pos, f'duplicate key "{value}" (first at line {first[0]})',
                          "remove one of the two; YAML would silently keep the last",
                          ((Location(self.path, first[0], first[1]), "first definition"),))
                frame.key = _BAD_KEY
            else:
                # Keys repeat across thousands of documents: one string object for each.
                frame.key = value = intern(value)
                frame.keys[value] = pos
                place(pos)
            return
        if key is not _BAD_KEY:
            frame.container[key] = value
            if type(value) is not dict and type(value) is not list:
                place(pos)
        frame.key = _NO_KEY


def read_documents(path: str, data: bytes) -> tuple[list[Document], list[Finding]]:
    """The documents of ``data`` (bytes without a byte-order mark) and the walk's findings."""
    walk = _Walk(path)
    walk.run(data)
    return walk.documents, walk.findings


def _within(data: bytes, pos: Pos) -> Pos:
    """``pos``, or the end of the last line when it lies past it.

    At the end of a file without a final newline, libyaml reports the start of a line
    that does not exist: a CI annotation there would point at nothing.
    """
    lines = data.count(b"\n") + 1
    if pos[0] <= lines:
        return pos
    return lines, len(data.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _syntax_hint(problem: str) -> str:
    if "tab" in problem:
        return "indent with spaces"
    if "mapping values are not allowed" in problem:
        return "quote a value that contains ': ', or fix the indentation"
    if "could not find expected ':'" in problem:
        return "a key needs a ':' after it; check the indentation"
    return "check the indentation and quoting around this position"
