"""What the loader hands back: located documents, and findings at a line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from monops_lint.findings import Finding, Location, Severity, pickle_by_fields
from monops_lint.source.yamlstrict.positions import Pos, Positions


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
    positions: Positions = field(default_factory=lambda: Positions("I"))

    __reduce__ = pickle_by_fields


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What the loader made of one file."""

    path: str
    documents: tuple[Document, ...]
    findings: tuple[Finding, ...]


def yaml_finding(rule: str, path: str, pos: Pos, message: str, hint: str = "",
                 related: tuple[tuple[Location, str], ...] = ()) -> Finding:
    """An error the loader found at ``pos`` (``yaml-syntax`` or ``yaml-trap``)."""
    return Finding(rule, Severity.ERROR, Location(path, pos[0], pos[1]), message, hint,
                   key=message, related=related)
