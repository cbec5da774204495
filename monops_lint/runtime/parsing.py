"""Loading a catalog's files fast: reuse what the content cache and the other side of a diff
already parsed, and spread the rest over forked workers.

The result is exactly ``[load_file(path, data) for path, data in snapshot]``
(``monops_lint.load``); only the work done to get it differs.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from functools import partial

from monops_lint import build
from monops_lint.load import FileResult, Snapshot, load_files
from monops_lint.model import Entity
from monops_lint.runtime.cache import ResultCache, content_digest
from monops_lint.runtime.fork import PARSE_WORKERS_MIN_FILES, can_fork, map_in_workers
from monops_lint.source.unread import Unread
from monops_lint.source.yamlstrict import Document


def file_digest(data: bytes) -> bytes:
    """The key of a file's content in the cache; a file not read (too large, a name that is
    not UTF-8) has its own kind of key, which no content's digest equals."""
    return data.key if isinstance(data, Unread) else content_digest(data)


FileKey = tuple[str, bytes, int]
"""A file's result is a function of its path, its content (digest) and the size limit."""


class SharedFiles:
    """What the two sides of a diff share for every file a change left alone: the file's
    result, by ``FileKey``, and the entities built from its documents (one object for both
    sides: built once, held once)."""

    def __init__(self) -> None:
        self.files: dict[FileKey, FileResult] = {}
        self._entities: dict[int, tuple[Document, Entity]] = {}

    def entity(self, kind: str, document: Document) -> Entity:
        """``build.entity``, once per document (the same bytes at the same path)."""
        held = self._entities.get(id(document))
        if held is not None and held[0] is document:
            return held[1]
        made = build.entity(kind, document)
        self._entities[id(document)] = (document, made)  # holding it keeps the id unique
        return made


def _load_pickled(items: Snapshot, max_bytes: int) -> bytes:
    """``load_files`` in a worker, pickled once: the parent unpickles it, and the cache
    writes these very bytes (``ResultCache.put_chunk``) instead of pickling it again."""
    return pickle.dumps(load_files(items, max_bytes), protocol=pickle.HIGHEST_PROTOCOL)


def _load_in_workers(items: Snapshot, max_bytes: int, jobs: int
                     ) -> list[tuple[list[FileResult], bytes]]:
    """``load_files`` over ``items`` in ``jobs`` workers: each chunk's results, in order,
    with their pickled bytes."""
    size = max(1, -(-len(items) // (jobs * 4)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    # Unpickled here as each chunk arrives, while the workers parse the next ones.
    return [(pickle.loads(blob), blob) for blob in
            map_in_workers(partial(_load_pickled, max_bytes=max_bytes), chunks, jobs)]


def load_snapshot(snapshot: Snapshot, digests: Sequence[bytes], max_bytes: int,
                  shared: SharedFiles | None = None, cache: ResultCache | None = None,
                  jobs: int | None = None) -> list[FileResult]:
    """``load_file`` over ``snapshot`` (``digests``: each file's ``file_digest``), reusing
    ``shared`` and ``cache`` entries of the same content, and spreading what is left over
    ``jobs`` processes (default: every core)."""
    keys = [(path, digest, max_bytes)
            for (path, _), digest in zip(snapshot, digests, strict=True)]
    results: list[FileResult | None] = []
    todo: list[int] = []
    for index, key in enumerate(keys):
        found = shared.files.get(key) if shared is not None else None
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
    # already holds a catalog, for a few hundred files, risks copying that catalog.
    if workers > 1 and can_fork(len(pending),
                                max(PARSE_WORKERS_MIN_FILES, len(snapshot) // 20)):
        start = 0
        for part, blob in _load_in_workers(pending, max_bytes, workers):
            chunk = todo[start:start + len(part)]
            start += len(part)
            for index, result in zip(chunk, part, strict=True):
                results[index] = result
            if cache is not None:
                cache.put_chunk([keys[index] for index in chunk], part, blob)
    else:
        for index, result in zip(todo, load_files(pending, max_bytes), strict=True):
            results[index] = result
            if cache is not None:
                cache.put(keys[index], result)
    if shared is not None:
        shared.files.update(zip(keys, results, strict=True))  # type: ignore[arg-type]
    return results  # type: ignore[return-value]
