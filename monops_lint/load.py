"""Files -> catalog: parse, check each document against its kind's schema, build the model.

``load_file`` is the per-file unit of work (pure: bytes in, results out), so
it can be cached by content and spread over processes
(``monops_lint.runtime.parsing``); ``assemble`` gathers the results into a
``Catalog``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from monops_lint import build, schema
from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity, pickle_by_fields
from monops_lint.model import KINDS, Entity
from monops_lint.source.suppressions import Suppression, parse_suppressions
from monops_lint.source.tree import FileSource
from monops_lint.source.unread import Unread
from monops_lint.source.yamlstrict import Document, locate, parse_yaml
from monops_lint.suggest import closest


@dataclass(frozen=True, slots=True)
class FileResult:
    """Everything one file contributes: its schema-valid documents (by kind), the ids it
    names, findings, suppressions.

    Plain data only, so that it crosses processes and the cache cheaply; the
    entities are built from ``valid`` when the catalog is assembled.
    """

    path: str
    valid: tuple[tuple[str, Document], ...]
    ids: tuple[tuple[str, str, Location], ...]
    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]

    __reduce__ = pickle_by_fields


def _schema_finding(document: Document, keys: tuple[Any, ...], message: str, hint: str,
                    on_key: bool, kind: str, entity_id: str) -> Finding:
    line, column = locate(document.data, document.positions, keys, on_key) or \
        (document.line, document.column)
    field = ".".join(str(k) for k in keys)
    return Finding("schema", Severity.ERROR, Location(document.path, line, column),
                   f"{kind} {entity_id}: {field + ': ' if field else ''}{message}"
                   if entity_id else f"{field + ': ' if field else ''}{message}",
                   hint, key=f"{kind}:{entity_id}:{field}:{message}")


def _document(document: Document, valid: list[tuple[str, Document]],
              ids: list[tuple[str, str, Location]], findings: list[Finding]) -> None:
    data = document.data
    here = Location(document.path, document.line, document.column)
    if type(data) is not dict:
        findings.append(Finding(
            "schema", Severity.ERROR, here,
            "a catalog document must be a mapping with a `kind:` field"
            if data is not None else "empty document: no entity here",
            f"start the document with `kind: ` one of {', '.join(KINDS)}"
            if data is not None else "remove the empty document, or write an entity in it",
            key=f"document:{document.index}"))
        return
    kind = data.get("kind")
    raw_id = data.get("id")
    entity_id = raw_id if isinstance(raw_id, str) else ""
    if kind not in KINDS:
        if "kind" not in data:
            message, hint = "missing `kind:`", f"add `kind: ` one of {', '.join(KINDS)}"
            line, column = here.line, here.column
        else:
            message = f"unknown kind {kind!r}" + closest(str(kind), KINDS)
            hint = f"kind is one of {', '.join(KINDS)}"
            line, column = locate(data, document.positions, ("kind",)) or \
                (here.line, here.column)
        findings.append(Finding("schema", Severity.ERROR, Location(document.path, line, column),
                                message, hint, key=f"kind:{kind}:{entity_id}"))
        return
    if entity_id:
        line, column = locate(data, document.positions, ("id",)) or (here.line, here.column)
        ids.append((kind, entity_id, Location(document.path, line, column)))
    if not document.clean:
        return  # the loader already reported what is wrong inside
    problems = schema.check(kind, data)
    for problem in problems:
        findings.append(_schema_finding(document, problem.keys, problem.message, problem.hint,
                                        problem.on_key, kind, entity_id))
    if not problems:
        valid.append((kind, document))


def load_file(path: str, data: bytes, max_bytes: int = 1 << 20) -> FileResult:
    """Parse and schema-check one file; never raises on bad content."""
    if isinstance(data, Unread):  # not read (too large, or a name that is not UTF-8)
        return FileResult(path, (), (), (data.finding(path, max_bytes),), ())
    parsed = parse_yaml(path, data, max_bytes)
    valid: list[tuple[str, Document]] = []
    ids: list[tuple[str, str, Location]] = []
    findings = list(parsed.findings)
    documents = [d for d in parsed.documents if d.data is not None]
    if not documents and not findings:
        findings.append(Finding("schema", Severity.ERROR, Location(path, 1, 1),
                                "empty file: no entity here",
                                "write an entity (`kind: ...`) or delete the file",
                                key="empty-file"))
    for document in documents:
        _document(document, valid, ids, findings)
    if any(f.rule == "yaml-syntax" for f in parsed.findings):
        ids += _ids_past_an_error(path, data, ids)
    suppressions: tuple[Suppression, ...] = ()
    if b"monops:" in data:
        suppressions = parse_suppressions(data.decode("utf-8", "replace"))
    return FileResult(path, tuple(valid), tuple(ids), tuple(findings), suppressions)


_TOP_KIND = re.compile(r"kind:[ \t]*['\"]?([a-z]+)['\"]?[ \t]*(?:#.*)?$")
_TOP_ID = re.compile(r"(id:[ \t]*['\"]?)([a-z0-9][a-z0-9._-]*)['\"]?[ \t]*(?:#.*)?$")


def _ids_past_an_error(path: str, data: bytes, known: list[tuple[str, str, Location]]
                       ) -> list[tuple[str, str, Location]]:
    """The (kind, id) of the documents a YAML syntax error left unparsed, from their
    top-level ``kind:`` and ``id:`` lines: they exist, though invalid, so references to them
    still resolve and a diff says "invalid", not "removed"."""
    seen = {(kind, entity_id) for kind, entity_id, _ in known}
    found: list[tuple[str, str, Location]] = []
    kind, entity = "", ("", 0, 0)
    lines = data.decode("utf-8", "replace").splitlines()
    for number, line in enumerate([*lines, "---"], start=1):
        if line.startswith("---"):
            if kind in KINDS and entity[0] and (kind, entity[0]) not in seen:
                seen.add((kind, entity[0]))
                found.append((kind, entity[0], Location(path, entity[1], entity[2])))
            kind, entity = "", ("", 0, 0)
        elif (match := _TOP_KIND.match(line)) is not None:
            kind = match.group(1)
        elif (match := _TOP_ID.match(line)) is not None:
            entity = (match.group(2), number, len(match.group(1)) + 1)
    return found


Snapshot = list[tuple[str, bytes]]
"""The catalog's files as read: (root-relative path, bytes), in path order."""


def read_snapshot(source: FileSource, paths: Iterable[str], max_bytes: int | None = None
                  ) -> Snapshot:
    """Read every file of ``paths`` once (in one pass where the source can: git objects);
    a file over ``max_bytes`` is not read (``source.unread.Oversized``)."""
    paths = list(paths)
    return list(zip(paths, source.read_many(paths, max_bytes), strict=True))


def load_files(items: Snapshot, max_bytes: int) -> list[FileResult]:
    """``load_file`` over each (path, bytes) of ``items``."""
    return [load_file(path, data, max_bytes) for path, data in items]


def assemble(results: Iterable[FileResult],
             make: Callable[[str, Document], Entity] = build.entity,
             fingerprint: str = "") -> Catalog:
    """One catalog from the per-file results; ``make(kind, document)`` builds an entity
    when it is first read (default: ``build.entity``); ``fingerprint`` names the files'
    contents (see ``Catalog.fingerprint``)."""
    results = list(results)
    return Catalog.lazy(
        ((kind, document.data["id"], document) for result in results
         for kind, document in result.valid),
        make,
        [entry for result in results for entry in result.ids],
        load_findings=tuple(f for result in results for f in result.findings),
        files=tuple(result.path for result in results),
        suppressions={r.path: r.suppressions for r in results if r.suppressions},
        fingerprint=fingerprint)
