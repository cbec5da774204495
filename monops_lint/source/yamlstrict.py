"""Strict YAML: YAML 1.2 core scalars, exact decimals, every node located, traps reported.

The loader walks PyYAML's *events* (from the C parser, libyaml, when it is
installed) and builds plain values itself, so that:

* no YAML 1.1 resolver ever runs: ``NO``, ``0755``, ``1:30`` and
  ``2026-01-01`` stay strings, and ``9.99`` becomes ``Decimal("9.99")``
  read from the scalar's text, never through ``float``;
* aliases are never expanded (an alias bomb costs nothing), and anchors,
  aliases, ``<<`` merge keys and explicit tags are findings;
* every mapping and sequence remembers the line and column of each of its
  children, so a finding can point at the exact node.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from decimal import Decimal
from sys import intern
from typing import TYPE_CHECKING, Any

import yaml

from monops_lint.findings import Finding, Location, Severity, pickle_by_fields

try:  # libyaml is the hot path; the pure-Python parser gives the same events.
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.SafeLoader

MAX_DEPTH = 64
_BOM = b"\xef\xbb\xbf"

Pos = tuple[int, int]  # 1-based (line, column)


if TYPE_CHECKING:
    Positions = array[int]
else:  # array is subscriptable at run time only from Python 3.12
    Positions = array
"""Where every node of a document stands: (line, column) pairs, flat, in document order.

The order is the walk's: the root, then for a mapping each key followed by
its value's nodes, for a sequence each item's nodes. Data stays plain
``dict``/``list`` values (cheap to copy, pickle and cache); ``locate`` finds
a node's position again from the keys that lead to it.
"""


@dataclass(frozen=True, slots=True)
class Document:
    """One YAML document of a file: its root value and where it starts.

    ``clean`` is false when the loader reported a syntax error or a trap
    inside it: such a document is known by its ``kind`` and ``id`` (so that
    references to it still resolve) but is not schema-checked or modelled,
    so that one mistake does not cascade into a page of findings.
    """

    path: str
    index: int
    data: Any
    line: int
    column: int
    clean: bool
    positions: Positions = field(default_factory=lambda: array("I"))

    __reduce__ = pickle_by_fields


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What the loader made of one file."""

    path: str
    documents: tuple[Document, ...]
    findings: tuple[Finding, ...]


# --- scalars ---------------------------------------------------------------

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_DECIMAL = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]{1,4})?\Z")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_NUMBER_START = frozenset("0123456789+-.")


MAX_DIGITS = 4_300
"""Python's own limit for ``int(text)``: a longer integer raises ValueError."""


class _Trap(Exception):
    """A plain scalar monops refuses to read: NaN, infinity, or an integer too long."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def resolve_plain(text: str) -> Any:
    """Read a plain (unquoted) scalar with YAML 1.2 core rules.

    Integers without leading zeros become ``int``, decimals become
    ``Decimal`` built from the text, ``true``/``false``/``null`` their
    values; everything else stays the string it was written as. NaN,
    infinity and integers over ``MAX_DIGITS`` digits raise ``_Trap``.
    """
    if not text or text[0] in _NUMBER_START:
        if not text:
            return None
        if _INT.match(text):
            digits = len(text.lstrip("+-"))
            if digits > MAX_DIGITS:
                raise _Trap(f"a whole number of {digits:,} digits is longer than monops reads "
                            f"({MAX_DIGITS:,} digits)", "write a smaller number, or quote it "
                            "if it is text")
            return int(text)
        if _DECIMAL.match(text):
            return Decimal(text)
        if _SPECIAL_FLOAT.match(text):
            raise _Trap(f"{text} is not a number monops accepts (NaN and infinity are refused)",
                        "write a finite decimal, or quote it if it is text")
        return text
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _NULLS:
        return None
    return text


# --- file-level checks before parsing ---------------------------------------

# YAML's printable set minus tab/LF/CR: C0 and C1 controls (NEL allowed), DEL,
# and the two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_TAB = re.compile("\t")
# Line breaks to YAML that git does not count (it breaks lines at LF only): past one of
# these, every line number the parser gives would point at the wrong line of the file.
_HIDDEN_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_BREAK_NAMES = {"\r": "a carriage return without a line feed", "\x85": "U+0085 (next line)",
                "\u2028": "U+2028 (line separator)", "\u2029": "U+2029 (paragraph separator)"}


def _position(text: str, offset: int) -> Pos:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _finding(rule: str, path: str, pos: Pos, message: str, hint: str = "",
             related: tuple[tuple[Location, str], ...] = ()) -> Finding:
    return Finding(rule, Severity.ERROR, Location(path, pos[0], pos[1]), message, hint,
                   key=message, related=related)


def _precheck(path: str, data: bytes, max_bytes: int) -> tuple[str | None, list[Finding]]:
    """Size, encoding, control characters, hidden line breaks and tabs: return the text, or
    findings."""
    if len(data) > max_bytes:
        return None, [_finding(
            "yaml-trap", path, (1, 1),
            f"file is {len(data):,} bytes, over the limit of {max_bytes:,}",
            "split the file, or raise `max_file_bytes` in monops.yaml")]
    if data.startswith(_BOM):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", "replace")
        hint = "save the file as UTF-8"
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "the file is UTF-16; save it as UTF-8"
        return None, [_finding(
            "yaml-syntax", path, _position(good, len(good)),
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded", hint)]
    found = []
    if text.count("\x00") * 4 > len(text) > 0:
        # Mostly NUL bytes between characters: UTF-16 without its byte-order mark.
        return None, [_finding("yaml-syntax", path, (1, 1),
                               "the file looks like UTF-16 (a NUL byte beside every character)",
                               "save the file as UTF-8")]
    for match in _CONTROL.finditer(text):
        found.append(_finding(
            "yaml-syntax", path, _position(text, match.start()),
            f"control character U+{ord(match.group()):04X} is not allowed in YAML",
            "delete the character; write it as an escape in a double-quoted string if it "
            "is really wanted"))
        if len(found) >= 20:
            break
    for match in _HIDDEN_BREAK.finditer(text):
        if len(found) >= 20:
            break
        found.append(_finding(
            "yaml-syntax", path, _position(text, match.start()),
            f"{_BREAK_NAMES[match.group()]} is a line break to YAML but not to git, so line "
            "numbers would not match the file",
            "save the file with LF (or CRLF) line endings" if match.group() == "\r" else
            "delete the character; write it as an escape (\\N, \\L, \\P) in a "
            "double-quoted string if it is really wanted"))
    if not found and "\t" in text:
        seen_lines: set[int] = set()
        for match in _TAB.finditer(text):
            pos = _position(text, match.start())
            if pos[0] not in seen_lines:
                seen_lines.add(pos[0])
                found.append(_finding(
                    "yaml-syntax", path, pos, "tab character: YAML is indented with spaces",
                    "replace the tab with spaces"))
    return (None if found else text), found


# --- the event walk ----------------------------------------------------------

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
        self.findings.append(_finding("yaml-trap", self.path, pos, message, hint, related))

    def run(self, data: bytes) -> None:
        parser = _Parser(data)
        get_event = parser.get_event
        stack: list[_Frame] = []
        root: Any = None
        root_pos: Pos = (1, 1)
        positions = array("I")
        place = positions.extend
        discard = 0  # depth inside a refused complex key, or the value of a refused key
        try:
            while True:
                event = get_event()
                cls = type(event)
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if cls is _ScalarEvent:
                    if event.anchor is not None:
                        self.trap(pos, f"anchor &{event.anchor}: anchors and aliases are not "
                                  "allowed", "write the value out in full")
                    if event.tag is not None:
                        self.trap(pos, f"explicit tag {_short_tag(event.tag)}: tags are not "
                                  "allowed", "remove the tag; quote the value if it must be a "
                                  "string")
                    if event.style:
                        value: Any = event.value
                    else:
                        try:
                            value = resolve_plain(event.value)
                        except _Trap as refused:
                            self.trap(pos, refused.message, refused.hint)
                            value = event.value
                    if discard:
                        continue
                    if type(value) is str and len(value) <= _INTERN_MAX:
                        value = intern(value)  # ids, codes, enums: one object, pickled once
                elif cls is _MappingStart or cls is _SequenceStart:
                    if event.anchor is not None:
                        self.trap(pos, f"anchor &{event.anchor}: anchors and aliases are not "
                                  "allowed", "write the value out in full")
                    if event.tag is not None:
                        self.trap(pos, f"explicit tag {_short_tag(event.tag)}: tags are not "
                                  "allowed", "remove the tag")
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
                        self.trap(pos, f"nesting deeper than {MAX_DEPTH} levels",
                                  "flatten the structure")
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
                    self.trap(pos, f"alias *{event.anchor}: anchors and aliases are not allowed",
                              "write the value out in full")
                    value = None
                    if discard:
                        continue
                elif cls is _DocumentStart:
                    root, root_pos, self.doc_clean = None, pos, True
                    positions = array("I")
                    place = positions.extend
                    continue
                elif cls is _DocumentEnd:
                    if root is None or not positions:
                        positions.extend(root_pos)
                    if max(positions) <= 0xFFFF:  # half the memory (and cache) of most files
                        positions = array("H", positions)
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
                self.trap(where, f"nesting deeper than {MAX_DEPTH} levels",
                          "flatten the structure")
                return
            context = f" ({exc.context})" if exc.context and exc.problem else ""
            self.findings.append(_finding("yaml-syntax", self.path, where,
                                          f"{problem}{context}", _syntax_hint(problem)))
        except yaml.YAMLError as exc:
            self.findings.append(_finding("yaml-syntax", self.path, (1, 1),
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


def parse_yaml(path: str, data: bytes, max_bytes: int = 1 << 20) -> ParsedFile:
    """Parse one file's bytes into located documents and loader findings.

    Never raises on bad input: every problem is a ``yaml-syntax`` or
    ``yaml-trap`` finding with its line and column.
    """
    text, findings = _precheck(path, data, max_bytes)
    if text is None:
        return ParsedFile(path, (), tuple(findings))
    walk = _Walk(path)
    walk.run(data[3:] if data.startswith(_BOM) else data)
    return ParsedFile(path, tuple(walk.documents), tuple(walk.findings))


def _slots(node: Any) -> int:
    """How many positions a node takes: itself, and its keys and children's."""
    if type(node) is dict:
        return 1 + sum(1 + _slots(value) for value in node.values())
    if type(node) is list:
        return 1 + sum(_slots(item) for item in node)
    return 1


# Offsets into long lists (a channel's thousands of offerings) are worked out once per list
# and kept while that list is: loaded data is never changed, so the offsets stay right.
_SHORT_LIST = 32
_OFFSETS: dict[int, tuple[list[Any], array[int]]] = {}
_OFFSETS_KEPT = 256


def _list_offsets(node: list[Any]) -> array[int]:
    """Each item's position offset within ``node`` (after the list's own slot)."""
    kept = _OFFSETS.get(id(node))
    if kept is not None and kept[0] is node:
        return kept[1]
    offsets, total = array("Q"), 0
    for item in node:
        offsets.append(total)
        total += _slots(item)
    if len(_OFFSETS) >= _OFFSETS_KEPT:
        _OFFSETS.clear()
    _OFFSETS[id(node)] = (node, offsets)
    return offsets


def locate(data: Any, positions: Positions, keys: tuple[Any, ...],
           on_key: bool = False) -> Pos | None:
    """Where the node at ``keys`` below ``data`` stands, or its nearest existing ancestor.

    With ``on_key``, the position of the *key* of ``keys[-1]`` when that is a
    mapping key (a field's line). None when ``positions`` holds nothing.
    """
    if len(positions) < 2:
        return None
    slot, node = 0, data
    for depth, key in enumerate(keys):
        if type(node) is dict:
            if key not in node:
                break
            slot += 1
            for name, value in node.items():
                if name == key:
                    if on_key and depth == len(keys) - 1:
                        return positions[2 * slot], positions[2 * slot + 1]
                    slot += 1
                    node = value
                    break
                slot += 1 + _slots(value)
        elif type(node) is list and type(key) is int and 0 <= key < len(node):
            slot += 1 + (_list_offsets(node)[key] if len(node) > _SHORT_LIST
                         else sum(_slots(item) for item in node[:key]))
            node = node[key]
        else:
            break
    if 2 * slot + 1 >= len(positions):
        return None
    return positions[2 * slot], positions[2 * slot + 1]
