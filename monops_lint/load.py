"""Files -> catalog: parse, check each document against its kind's schema, build the model.

``load_file`` is the per-file unit of work (pure: bytes in, results out), so
it can be cached by content and spread over processes (``load_snapshot``);
``assemble`` gathers the results into a ``Catalog``.
"""

from __future__ import annotations

import difflib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from monops_lint import build, schema
from monops_lint.cache import ResultCache, content_digest
from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.findings import Finding, Location, Severity, pickle_by_fields
from monops_lint.forking import shared_heap
from monops_lint.model import KINDS, Entity
from monops_lint.source.suppressions import Suppression, parse_suppressions
from monops_lint.source.tree import FileSource
from monops_lint.source.unread import Unread
from monops_lint.source.yamlstrict import Document, locate, parse_yaml


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
            near = difflib.get_close_matches(str(kind), KINDS, n=1, cutoff=0.5)
            message = f"unknown kind {kind!r}" + (f" (did you mean `{near[0]}`?)" if near else "")
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
    suppressions: tuple[Suppression, ...] = ()
    if b"monops:" in data:
        suppressions = parse_suppressions(data.decode("utf-8", "replace"))
    return FileResult(path, tuple(valid), tuple(ids), tuple(findings), suppressions)


class Memo:
    """What the two sides of a diff share for every file a change left alone: the file's
    result, by (path, content digest, size limit), and the entities built from its documents
    (one object for both sides: built once, held once)."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, bytes, int], FileResult] = {}
        self._entities: dict[int, tuple[Document, Entity]] = {}

    def entity(self, kind: str, document: Document) -> Entity:
        """``build.entity``, once per document (the same bytes at the same path)."""
        held = self._entities.get(id(document))
        if held is not None and held[0] is document:
            return held[1]
        made = build.entity(kind, document)
        self._entities[id(document)] = (document, made)  # holding it keeps the id unique
        return made

Snapshot = list[tuple[str, bytes]]
"""The catalog's files as read: (root-relative path, bytes), in path order."""

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves


def read_snapshot(source: FileSource, paths: Iterable[str], max_bytes: int | None = None
                  ) -> Snapshot:
    """Read every file of ``paths`` once (in one pass where the source can: git objects);
    a file over ``max_bytes`` is not read (``source.unread.Oversized``)."""
    paths = list(paths)
    return list(zip(paths, source.read_many(paths, max_bytes), strict=True))


def file_digest(data: bytes) -> bytes:
    """The key of a file's content in the cache; a file not read has its own kind of key."""
    return data.key if isinstance(data, Unread) else content_digest(data)


def _load_chunk(items: Snapshot, max_bytes: int) -> list[FileResult]:
    return [load_file(path, data, max_bytes) for path, data in items]


def _load_chunk_pickled(items: Snapshot, max_bytes: int) -> bytes:
    """``_load_chunk`` in a worker, pickled once: the parent unpickles it, and the cache
    writes these very bytes (``ResultCache.put_chunk``) instead of pickling it again."""
    return pickle.dumps(_load_chunk(items, max_bytes), protocol=pickle.HIGHEST_PROTOCOL)


def _load_parallel(items: Snapshot, max_bytes: int, jobs: int
                   ) -> list[tuple[list[FileResult], bytes]]:
    """``load_file`` over ``items`` in ``jobs`` worker processes (fork, where there is fork):
    each chunk's results, in order, with their pickled bytes."""
    import multiprocessing

    # A forked worker shares the parent's pages until either side writes to them, and a
    # garbage collection writes to every object it visits. So the workers start with the
    # parent's heap frozen (their collector stays off it), and the parent does not collect
    # while they run: its full collection would copy every result received so far, still
    # shared with the newest worker (measured at N = 50,000: a diff's process tree peaked at
    # 1.1 GiB in one run of three).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    size = max(1, -(-len(items) // (jobs * 4)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    parts = []
    with shared_heap(pause_collector=True), \
            context.Pool(jobs, maxtasksperchild=1) as pool:  # a worker per chunk: none grows
        # Unpickled here as each chunk arrives, while the workers parse the next ones.
        for blob in pool.imap(partial(_load_chunk_pickled, max_bytes=max_bytes), chunks):
            parts.append((pickle.loads(blob), blob))
    return parts


def load_snapshot(snapshot: Snapshot, config: Config, memo: Memo | None = None,
                  cache: ResultCache | None = None, jobs: int | None = None) -> list[FileResult]:
    """``load_file`` over ``snapshot``, reusing ``memo`` and ``cache`` entries of the same
    content, and spreading what is left over ``jobs`` processes (default: every core)."""
    limit = config.max_file_bytes
    keys = [(path, file_digest(data), limit) for path, data in snapshot]
    results: list[FileResult | None] = []
    todo: list[int] = []
    for index, key in enumerate(keys):
        found = memo.files.get(key) if memo is not None else None
        if cache is not None:
            if found is None:
                found = cache.get(key)
            else:
                cache.touch(key, found)  # the other side of a diff loaded it: keep it cached
        results.append(found)
        if found is None:
            todo.append(index)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    pending = [snapshot[i] for i in todo]
    # Workers only for a large share of the catalog (a cold load): forking a parent that
    # already holds a catalog, for a few hundred files, saves a tenth of a second and risks
    # copying that catalog.
    if workers > 1 and len(pending) >= max(PARALLEL_MIN_FILES, len(snapshot) // 20):
        start = 0
        for part, blob in _load_parallel(pending, limit, workers):
            chunk = todo[start:start + len(part)]
            start += len(part)
            for index, result in zip(chunk, part, strict=True):
                results[index] = result
            if cache is not None:
                cache.put_chunk([keys[index] for index in chunk], part, blob)
    else:
        for index, result in zip(todo, _load_chunk(pending, limit), strict=True):
            results[index] = result
            if cache is not None:
                cache.put(keys[index], result)
    if memo is not None:
        memo.files.update(zip(keys, results, strict=True))  # type: ignore[arg-type]
    return results  # type: ignore[return-value]


def assemble(results: Iterable[FileResult], memo: Memo | None = None,
             fingerprint: str = "") -> Catalog:
    """One catalog from the per-file results (its entities shared through ``memo``);
    ``fingerprint`` names the files' contents (see ``Catalog.fingerprint``)."""
    results = list(results)
    return Catalog.lazy(
        ((kind, document.data["id"], document) for result in results
         for kind, document in result.valid),
        memo.entity if memo is not None else build.entity,
        [entry for result in results for entry in result.ids],
        load_findings=tuple(f for result in results for f in result.findings),
        files=tuple(result.path for result in results),
        suppressions={r.path: r.suppressions for r in results if r.suppressions},
        fingerprint=fingerprint)
