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

The parts, one idea each: ``precheck`` (the bytes before parsing: size,
encoding, control characters, hidden line breaks, tabs), ``scalars`` (what
a plain scalar means), ``walk`` (the event walk and its traps), ``positions``
(where each node stands, and ``locate``), ``document`` (what the loader
hands back).
"""

from __future__ import annotations

from monops_lint.source.yamlstrict.document import Document, ParsedFile
from monops_lint.source.yamlstrict.positions import Pos, Positions, locate
from monops_lint.source.yamlstrict.precheck import precheck, without_bom
from monops_lint.source.yamlstrict.scalars import MAX_DIGITS, RefusedScalar, resolve_plain
from monops_lint.source.yamlstrict.walk import MAX_DEPTH, read_documents

__all__ = [
    "MAX_DEPTH",
    "MAX_DIGITS",
    "Document",
    "ParsedFile",
    "Pos",
    "Positions",
    "RefusedScalar",
    "locate",
    "parse_yaml",
    "resolve_plain",
]


def parse_yaml(path: str, data: bytes, max_bytes: int = 1 << 20) -> ParsedFile:
    """Parse one file's bytes into located documents and loader findings.

    Never raises on bad input: every problem is a ``yaml-syntax`` or
    ``yaml-trap`` finding with its line and column.
    """
    text, findings = precheck(path, data, max_bytes)
    if text is None:
        return ParsedFile(path, (), tuple(findings))
    documents, findings = read_documents(path, without_bom(data))
    return ParsedFile(path, tuple(documents), tuple(findings))
