"""The canonical layout of catalog YAML, for ``monops fmt``: pure text in, text out.

``canonical(path, text)`` returns the file in the canonical layout
(``emit``), with every comment kept in its place (``comments``). It refuses,
with the reason, a file it cannot rewrite exactly: one that monops' strict
reader finds problems in, or whose rewrite would not read back to the same
documents (every value and its type) with the same comments. A refused file
is never changed.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import yaml

from monops_lint.layout.comments import attach_comments, comment_texts
from monops_lint.layout.emit import Writer
from monops_lint.layout.order import document_schema
from monops_lint.layout.tree import LayoutError, read_tree
from monops_lint.source.yamlstrict import parse_yaml

__all__ = ["LayoutError", "canonical"]

CONFIG_NAME = "monops.yaml"


def _typed(value: Any) -> Any:
    """A value with its type made part of it, key order ignored: what must not change."""
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, _typed(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("list", tuple(_typed(v) for v in value))
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    return (type(value).__name__, value)


def _documents(path: str, text: str) -> list[Any]:
    parsed = parse_yaml(path, text.encode("utf-8"))
    if parsed.findings:
        first = parsed.findings[0]
        raise LayoutError(f"{first.location.line}:{first.location.column}: {first.message} "
                          "(run `monops lint`)")
    return [_typed(document.data) for document in parsed.documents]


def _document_starts(text: str) -> list[int]:
    starts = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.DocumentStartEvent) and event.start_mark is not None:
            starts.append(event.start_mark.line)
    return starts


def canonical(path: str, text: str) -> str:
    """``text`` (the file at ``path``) in the canonical layout; ``LayoutError`` if it cannot
    be rewritten without changing a value or losing a comment."""
    before = _documents(path, text)
    try:
        trees = read_tree(text)
        attach_comments(text, trees, _document_starts(text))
    except yaml.YAMLError as exc:
        raise LayoutError(f"unreadable YAML ({exc.__class__.__name__})") from exc
    is_config = path.rsplit("/", 1)[-1] == CONFIG_NAME
    parts = []
    for tree in trees:
        kind = next((e.value.value for e in tree.root.entries
                     if e.key is not None and e.key.value == "kind" and
                     hasattr(e.value, "value")), None)
        view, schema = document_schema(kind, is_config)
        parts.append("\n".join(Writer(view).document(tree, schema)))
    result = "\n---\n".join(parts) + "\n"
    if _documents(path, result) != before:
        raise LayoutError("its rewrite would not read back to the same values")
    if Counter(comment_texts(result)) != Counter(comment_texts(text)):
        raise LayoutError("a comment could not keep its place")
    return result
