"""The content cache: what each file loaded to, by content hash; and per whole catalog (every
path and content hash) the last lint result and what the rules found in the last two.

* Entries are keyed by the file's bytes (a digest), or the whole catalog's
  (with the day a lint is for), and the whole cache by a namespace: monops'
  version and code, the schemas, the config, the Python version and the
  versions of the libraries whose behaviour reaches a finding or an invoice
  (``RESULT_DEPENDENCIES``). An edit, a revert, a config change or an
  upgrade (of monops or of one of those libraries) can therefore never reuse a
  stale entry: it looks up a key that was never written (a revert finds the
  entry of the content it reverts to, which is correct by construction).
* The cache lives in the user's cache directory (``$MONOPS_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/monops``, else ``~/.cache/monops``), never in the
  catalog: a pull request cannot plant entries. Entries are pickles, so
  each pack is signed with HMAC-SHA256 under a per-user random key kept in
  that directory (mode 0600); a pack whose signature does not verify is
  ignored, never unpickled.
* A cache folder is trusted only as ssh trusts its own files: the folder,
  the per-catalog folder, the key and every pack must be owned by the user
  running monops and writable by nobody else, and the folder holding the
  cache folder must not let others rename it (writable by others without
  the sticky bit). Files are opened without following symlinks and must be
  regular files. Anything else means no cache, and the reason is given once
  (``ResultCache.refused``), because a folder someone else controls would
  let them plant a pack signed with a key they know.
* The cache is an optimisation only: any problem reading or writing it (a
  read-only home, a full disk, a corrupt pack) means running without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from monops_lint import __version__, tempfiles
from monops_lint.runtime.heap import collector_paused

_MAGIC = b"monops-cache-1\n"
_DIGEST_BYTES = 32
DELTA_MIN_ENTRIES = 512  # a delta this small is never merged into the main pack
KEEP_EXTRA = 100  # a merge keeps this many unused entries beyond as many as were used


def cache_directory() -> Path:
    """Where the cache lives (see the module docstring)."""
    explicit = os.environ.get("MONOPS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "monops"


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            if not entry.name.startswith(("_", ".")):
                yield from _walk(entry, name)
        elif entry.name.endswith((".py", ".json", ".j2")):
            yield name, entry


RESULT_DEPENDENCIES = ("PyYAML", "jsonschema", "jsonschema-rs", "Jinja2", "MarkupSafe",
                       "iso4217", "babel", "GitPython")
"""The distributions whose behaviour reaches a finding or an invoice: parsing (PyYAML), schema
checks and their messages (jsonschema, jsonschema-rs), the sandbox and templates (Jinja2,
MarkupSafe), currencies and their minor units (iso4217), money formatting (babel), reading
git objects (GitPython). Upgrading one of them must not reuse what the old one produced."""


def dependency_versions() -> str:
    """``name=version`` of every ``RESULT_DEPENDENCIES`` entry, as installed now."""
    installed = _installed_versions()
    found = []
    for name in RESULT_DEPENDENCIES:
        version = installed.get(_normalized(name))
        if version is None:  # not a plain dist-info folder on sys.path (an egg, a zip...)
            from importlib import metadata  # (slow to import: only for this)

            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = "absent"
        found.append(f"{name}={version}")
    return ",".join(found)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed_versions() -> dict[str, str]:
    """Distribution -> version, from the ``NAME-VERSION.dist-info`` folder names on
    ``sys.path`` (the first one wins, as for imports): one listing per folder instead of
    ``importlib.metadata``'s search per name, since every command, a warm one too, asks."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.scandir(entry or ".")
        except OSError:
            continue
        with listing:
            for item in listing:
                if item.name.endswith(".dist-info"):
                    name, _, version = item.name[:-len(".dist-info")].partition("-")
                    if version:
                        versions.setdefault(_normalized(name), version)
    return versions


@cache
def code_fingerprint() -> str:
    """monops' version, the bytes of its code, templates and schemas, the Python version and
    the versions of the libraries a result depends on (``RESULT_DEPENDENCIES``)."""
    digest = hashlib.sha256(
        f"{__version__}|{sys.version_info[:2]}|{dependency_versions()}".encode())
    for package in ("monops_lint", "monops_lint.schemas"):
        for name, entry in _walk(resources.files(package), package):
            digest.update(name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def content_digest(data: bytes) -> bytes:
    """The key of a file's content."""
    return hashlib.blake2b(data, digest_size=20).digest()


class ResultCache:
    """One catalog root's cache under one namespace: packs of file results, and of results of
    whole catalogs (``get_result``).

    ``get``/``put`` work in memory; ``save`` writes what ``put`` added. The
    file results live in two packs: the main one, and a delta of the entries
    added since it was written, so that a run that parsed a few files
    rewrites a few entries, not the whole catalog's (BENCHMARKS.md, "Design
    measurements"). When the delta outgrows an eighth
    of the main pack, both are merged into a new main pack that keeps what
    this run used and the most recent others. A main pack stores the chunks
    the parse workers pickled as they are (``put_chunk``), so a cold run
    pickles its results once.
    """

    def __init__(self, directory: Path, root: Path, namespace: str) -> None:
        tag = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.folder = directory / tag
        self.namespace = hashlib.sha256(f"{code_fingerprint()}|{namespace}".encode()).hexdigest()
        self.refused: str | None = None
        """Why the cache folder is not used (None: it is, or it merely could not be made)."""
        try:
            self.key = _signing_key(directory)
            if self.key is not None:
                _make_private_folder(self.folder)
                tempfiles.sweep(self.folder)  # packs a killed run left half-written
        except UntrustedCache as exc:
            self.key, self.refused = None, str(exc)
        self._main: dict[Any, Any] | None = None  # read on first use: a warm run never needs it
        self._delta: dict[Any, Any] = {}
        self._used: dict[Any, Any] = {}
        self._added: dict[Any, Any] = {}
        self._chunks: list[tuple[tuple[Any, ...], bytes]] = []  # see put_chunk

    def _pack(self, suffix: str) -> Path:
        return self.folder / f"{self.namespace[:24]}.{suffix}"

    @property
    def _files(self) -> dict[Any, Any]:
        if self._main is None:
            main = self._read(self._pack("files")) if self.key is not None else None
            delta = self._read(self._pack("delta")) if self.key is not None else None
            self._main = _unpack(main)
            self._delta = delta if isinstance(delta, dict) else {}
        return self._main

    @property
    def enabled(self) -> bool:
        """False when the cache directory cannot be used (then nothing is cached)."""
        return self.key is not None

    def get(self, key: Any) -> Any:
        """The result stored under ``key``, or None."""
        files = self._files
        found = self._delta.get(key)
        if found is None:
            found = files.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def touch(self, key: Any, value: Any) -> None:
        """Note that this run used ``value`` for ``key`` (found elsewhere, e.g. in a memo),
        so that compacting the packs keeps it."""
        self._used.setdefault(key, value)

    def put(self, key: Any, value: Any) -> None:
        """Remember ``value`` under ``key`` (written by ``save``)."""
        self._used[key] = value
        self._added[key] = value

    def put_chunk(self, keys: list[Any], values: list[Any], pickled: bytes) -> None:
        """``put`` each of ``keys`` with its value; ``pickled`` is ``values`` already pickled
        (by the worker that made them), which a new main pack stores as it is."""
        for key, value in zip(keys, values, strict=True):
            self.put(key, value)
        self._chunks.append((tuple(keys), pickled))

    def get_result(self, key: str, pack: str = "result") -> Any:
        """The value stored under the whole-catalog ``key`` in ``pack``, or None."""
        if self.key is None:
            return None
        stored = self._read(self._pack(pack))
        return stored.get(key) if isinstance(stored, dict) else None

    def put_result(self, key: str, value: Any, pack: str = "result", keep: int = 1) -> None:
        """Store ``value`` under the whole-catalog ``key`` in ``pack``, which holds the ``keep``
        most recent values (a diff's two sides: 2)."""
        if self.key is None:
            return
        stored = self._read(self._pack(pack)) if keep > 1 else None
        slots = {k: v for k, v in stored.items() if k != key} if isinstance(stored, dict) else {}
        slots[key] = value
        self._write(self._pack(pack), dict(list(slots.items())[-keep:]))

    def save(self) -> None:
        """Write the entries added since the last save (nothing when there are none).

        Older contents stay for a while (up to as many again as the catalog
        has files), so that a revert or a branch switch finds them.
        """
        if not self._added:
            return
        main = self._files
        delta = {**self._delta, **self._added}
        self._added = {}
        if main and len(delta) <= max(DELTA_MIN_ENTRIES, len(main) // 8):
            self._delta, self._chunks = delta, []
            self._write(self._pack("delta"), delta)
            return
        others = [(k, v) for k, v in {**main, **delta}.items() if k not in self._used]
        keep = others[max(0, len(others) - len(self._used) - KEEP_EXTRA):]
        self._main, self._delta = {**dict(keep), **self._used}, {}
        # Chunks pickled by the parse workers go in as they are (a cold run pickles its
        # results once, not twice); every other entry is pickled here.
        chunks, self._chunks = self._chunks, []
        chunked = {key for keys, _ in chunks for key in keys}
        entries = {k: v for k, v in self._main.items() if k not in chunked}
        self._write(self._pack("files"), (entries, chunks))
        self._remove(self._pack("delta"))

    def _read(self, path: Path) -> Any:
        assert self.key is not None
        try:
            blob = _read_private(path, MAX_PACK_BYTES)
        except (OSError, UntrustedCache):
            return None
        if blob is None:
            return None
        head = len(_MAGIC) + _DIGEST_BYTES
        if not blob.startswith(_MAGIC) or len(blob) < head:
            return None
        signature, body = blob[len(_MAGIC):head], blob[head:]
        expected = hmac.new(self.key, self.namespace.encode() + body, hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            return None  # not written by us under this namespace: never unpickle it
        try:
            return _unpickle(body)
        except Exception:  # a pack from a half-written disk: run without it
            return None

    def _remove(self, path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            self._write(path, {})  # cannot delete it: an empty delta means the same

    def _write(self, path: Path, value: Any) -> None:
        if self.key is None:
            return
        try:
            body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            signature = hmac.new(self.key, self.namespace.encode() + body,
                                 hashlib.sha256).digest()
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tempfiles.replace_with(path, _MAGIC + signature + body, private=True)
        except (OSError, pickle.PicklingError, RecursionError):
            return  # the cache is an optimisation: never fail a command for it


def _unpickle(data: bytes) -> Any:
    """``pickle.loads`` with the collector paused: a pack makes millions of objects, none of
    them garbage, and every collection they set off would walk them all again."""
    with collector_paused():
        return pickle.loads(data)


def _unpack(main: Any) -> dict[Any, Any]:
    """The entries of a main pack: (entries, [(keys, pickled values)]); {} for anything else
    (the packs are signed, so only an older layout of ours could be)."""
    if not (isinstance(main, tuple) and len(main) == 2 and isinstance(main[0], dict)):
        return {}
    entries: dict[Any, Any] = main[0]
    try:
        for keys, pickled in main[1]:
            entries.update(zip(keys, _unpickle(pickled), strict=True))
    except Exception:  # a layout this code did not write: run without it
        return {}
    return entries


MAX_PACK_BYTES = 4 << 30  # far above any real pack; a bound for a file that keeps growing
_KEY_BYTES = 32


class UntrustedCache(Exception):
    """A cache folder or file that someone other than this user could have written."""


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def _check_owned(path: Path, info: os.stat_result, what: str,
                 refused: int = _WRITABLE_BY_OTHERS, fix: str = "chmod 700") -> None:
    """Refuse ``path`` unless this user owns it and its mode grants none of ``refused``."""
    uid = _uid()
    if uid is not None and info.st_uid != uid:
        raise UntrustedCache(f"{what} {path} belongs to another user (uid {info.st_uid})")
    if info.st_mode & refused:
        raise UntrustedCache(f"{what} {path} is open to others "
                             f"(mode {stat.S_IMODE(info.st_mode):04o}; {fix} it)")


def _make_private_folder(folder: Path) -> None:
    """Create ``folder`` (mode 0700) if it is missing; refuse it unless it is ours alone,
    not a symlink, and in a parent that others cannot rename it in."""
    with contextlib.suppress(FileExistsError):  # a file there: lstat below says so
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        raise UntrustedCache(f"cache folder {folder} is a symlink")
    if not stat.S_ISDIR(info.st_mode):
        raise UntrustedCache(f"cache folder {folder} is not a folder")
    _check_owned(folder, info, "cache folder")
    parent = os.stat(folder.parent)
    if parent.st_mode & stat.S_IWOTH and not parent.st_mode & stat.S_ISVTX:
        raise UntrustedCache(f"cache folder {folder} is in {folder.parent}, which anyone "
                             "may write to (set MONOPS_CACHE_DIR to a private folder)")


def _read_private(path: Path, limit: int, refused: int = _WRITABLE_BY_OTHERS
                  ) -> bytes | None:
    """The bytes of ``path`` if it is a regular file of ours (None: it does not exist).

    Opened without following a symlink and without blocking (a FIFO planted
    as a pack or key must not hang monops); refused unless it is a regular
    file this user owns and nobody else may write.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if os.path.islink(path):
            raise UntrustedCache(f"cache file {path} is a symlink") from exc
        raise
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedCache(f"cache file {path} is not a regular file")
        _check_owned(path, info, "cache file", refused, "chmod 600")
        if info.st_size > limit:
            raise UntrustedCache(f"cache file {path} is larger than {limit:,} bytes")
        return stream.read(limit + 1)


def _signing_key(directory: Path) -> bytes | None:
    """This user's key for ``directory`` (made on first use, mode 0600); None when the folder
    cannot be made or read (then there is no cache); ``UntrustedCache`` when it is not ours
    alone, or the key is not a private regular file of ours."""
    path = directory / "key"
    try:
        _make_private_folder(directory)
        key = _read_private(path, _KEY_BYTES, refused=0o077)  # a key others read is no secret
        if key is None:
            key = secrets.token_bytes(_KEY_BYTES)
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(handle, "wb") as stream:
                stream.write(key)
        return key if len(key) == _KEY_BYTES else None
    except OSError:
        return None


def catalog_key(entries: Iterable[tuple[str, bytes]], extra: str) -> str:
    """The key of a whole catalog: every (path, content digest) and ``extra`` (date, filters)."""
    digest = hashlib.sha256(extra.encode())
    for path, content in sorted(entries):
        digest.update(path.encode() + b"\0" + content)
    return digest.hexdigest()
