"""Where each comment (and blank line) of a file belongs, so that it travels with its entry.

* A comment alone on its line, and a blank line, belong to the entry that
  starts next (before it, at its indentation); above a document's first
  entry they stay at the document's top, after its last one at its end.
* A comment after code belongs to the outermost entry that starts and ends
  on that line (``plan: x  # why``, ``- {id: base}  # why``), else to the
  outermost one that starts there (``versions:  # why``, a key whose value is
  a block), else to the innermost one that ends there; it is written at the
  end of that entry's first line.

A ``#`` is a comment when it is not inside a scalar (quoted, plain or block)
and starts its line or follows a space.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from monops_lint.layout.tree import Collection, DocumentTree, Entry, LayoutError, Node, Scalar


def _scalars(node: Node) -> Iterator[Scalar]:
    if isinstance(node, Scalar):
        yield node
        return
    for entry in node.entries:
        if entry.key is not None:
            yield entry.key
        yield from _scalars(entry.value)


def _entries(node: Node) -> Iterator[Entry]:
    if isinstance(node, Collection):
        for entry in node.entries:
            yield entry
            yield from _entries(entry.value)


def _comment_start(line: str, offset: int, spans: list[tuple[int, int]], starts: list[int]
                   ) -> int | None:
    """The column of the comment on ``line`` (which starts at ``offset`` in the text)."""
    for column, char in enumerate(line):
        if char != "#" or (column > 0 and line[column - 1] not in " \t"):
            continue
        index = offset + column
        at = bisect.bisect_right(starts, index) - 1
        if at >= 0 and spans[at][0] <= index < spans[at][1]:
            continue  # inside a scalar
        return column
    return None


def attach_comments(text: str, documents: list[DocumentTree], starts: list[int]) -> None:
    """Fill every entry's ``leading`` and ``trailing`` and each document's ``trailing``.

    ``starts`` are the lines where each document begins (its ``---`` or first line).
    """
    spans = sorted({(s.start, s.end) for d in documents for s in _scalars(d.root)})
    span_starts = [s for s, _ in spans]
    inside = _lines_inside_scalars(text, spans)
    per_document = [list(_entries(d.root)) for d in documents]
    first_lines: list[dict[int, Entry]] = [{} for _ in documents]  # line -> outermost entry
    for lines, entries in zip(first_lines, per_document, strict=True):
        for entry in entries:
            known = lines.get(entry.first_line)
            if known is None or entry.depth < known.depth:
                lines[entry.first_line] = entry
            if isinstance(entry.value, Scalar) and entry.value.header_comment:
                entry.trailing = entry.value.header_comment
    pending: list[str] = []
    document = 0
    offset = 0
    for number, line in enumerate(text.split("\n")):
        here = offset
        offset += len(line) + 1
        while document + 1 < len(starts) and starts[document + 1] <= number:
            documents[document].trailing.extend(c for c in pending if c)
            pending.clear()
            document += 1
        if not documents:
            break
        starting = first_lines[document].get(number)
        if starting is not None and pending:
            starting.leading.extend(pending)
            pending.clear()
        if number in inside:
            continue
        column = _comment_start(line, here, spans, span_starts)
        if column is None:
            if not line.strip():
                pending.append("")
            continue
        comment = line[column:].rstrip()
        if line[:column].strip() in ("", "---"):
            pending.append(comment)
            continue
        owner = _owner(per_document[document], number)
        if owner is None:
            raise LayoutError(f"line {number + 1}: a comment monops cannot place")
        owner.trailing = f"{owner.trailing} {comment}" if owner.trailing else comment
    if documents:
        documents[document].trailing.extend(c for c in pending if c)
    for entries in per_document:
        for entry in entries:
            _tidy(entry)
    for tree in documents:
        if tree.root.entries:
            first = tree.root.entries[0]
            tree.leading, first.leading = first.leading, []
            while tree.leading and tree.leading[-1] == "":
                tree.leading.pop()
            while tree.leading and tree.leading[0] == "":
                tree.leading.pop(0)


def _owner(entries: list[Entry], line: int) -> Entry | None:
    whole = [e for e in entries if e.first_line == line == e.last_line]
    if whole:
        return min(whole, key=lambda e: e.depth)
    starting = [e for e in entries if e.first_line == line]
    if starting:
        return min(starting, key=lambda e: e.depth)
    ending = [e for e in entries if e.last_line == line]
    return max(ending, key=lambda e: e.depth) if ending else None


def _tidy(entry: Entry) -> None:
    """One blank line at most between things, and none at the start of a collection."""
    tidy: list[str] = []
    for item in entry.leading:
        if item == "" and tidy and tidy[-1] == "":
            continue
        tidy.append(item)
    entry.leading = tidy
    if isinstance(entry.value, Collection) and entry.value.entries:
        first = entry.value.entries[0]
        while first.leading and first.leading[0] == "":
            first.leading.pop(0)


def _lines_inside_scalars(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Lines wholly inside a multi-line scalar (block scalars' content): never comments."""
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    inside: set[int] = set()
    for start, end in spans:
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_right(starts, max(start, end - 1)) - 1
        inside.update(range(first + 1, last + 1))
    return inside


def comment_texts(text: str) -> list[str]:
    """Every comment of ``text`` (``# ...``), in order: what a rewrite must keep."""
    from monops_lint.layout.tree import read_tree

    documents = read_tree(text)
    spans = sorted({(s.start, s.end) for d in documents for s in _scalars(d.root)})
    span_starts = [s for s, _ in spans]
    inside = _lines_inside_scalars(text, spans)
    found = [s.header_comment for d in documents for s in _scalars(d.root) if s.header_comment]
    offset = 0
    for number, line in enumerate(text.split("\n")):
        here = offset
        offset += len(line) + 1
        column = None if number in inside else _comment_start(line, here, spans, span_starts)
        if column is not None:
            found.append(line[column:].rstrip())
    return found
