"""The content cache: what each file loaded to, and the last lint result, by content hash.

* Entries are keyed by the file's bytes (a digest), and the whole cache by a
  namespace: monops' version and code, the schemas, the config and the
  Python version. An edit, a revert, a config change or an upgrade can
  therefore never reuse a stale entry: it looks up a key that was never
  written (a revert finds the entry of the content it reverts to, which is
  correct by construction).
* The cache lives in the user's cache directory (``$MONOPS_CACHE_DIR``, else
  ``$XDG_CACHE_HOME/monops``, else ``~/.cache/monops``), never in the
  catalog: a pull request cannot plant entries. Entries are pickles, so
  each pack is signed with HMAC-SHA256 under a per-user random key kept in
  that directory (mode 0600); a pack whose signature does not verify is
  ignored, never unpickled.
* The cache is an optimisation only: any problem reading or writing it (a
  read-only home, a full disk, a corrupt pack) means running without it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import sys
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from monops_lint import __version__

_MAGIC = b"monops-cache-1\n"
_DIGEST_BYTES = 32


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


@cache
def code_fingerprint() -> str:
    """monops' version, the bytes of its code, templates and schemas, and the Python version."""
    digest = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}".encode())
    for package in ("monops_lint", "monops_lint.schemas"):
        for name, entry in _walk(resources.files(package), package):
            digest.update(name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def content_digest(data: bytes) -> bytes:
    """The key of a file's content."""
    return hashlib.blake2b(data, digest_size=20).digest()


class ResultCache:
    """One catalog root's cache under one namespace: a pack of file results and a lint result.

    ``get``/``put`` work in memory; ``save`` writes the pack (only the
    entries used or added this run, so it tracks the catalog as it is).
    """

    def __init__(self, directory: Path, root: Path, namespace: str) -> None:
        tag = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.folder = directory / tag
        self.namespace = hashlib.sha256(f"{code_fingerprint()}|{namespace}".encode()).hexdigest()
        self.key = _signing_key(directory)
        self._pack: dict[Any, Any] | None = None  # read on first use: a warm run never needs it
        self._used: dict[Any, Any] = {}
        self._dirty = False

    @property
    def _files(self) -> dict[Any, Any]:
        if self._pack is None:
            loaded = self._read(self.folder / f"{self.namespace[:24]}.files") \
                if self.key is not None else None
            self._pack = loaded if isinstance(loaded, dict) else {}
        return self._pack

    @property
    def enabled(self) -> bool:
        """False when the cache directory cannot be used (then nothing is cached)."""
        return self.key is not None

    def get(self, key: Any) -> Any:
        """The result stored under ``key``, or None."""
        found = self._files.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: Any, value: Any) -> None:
        """Remember ``value`` under ``key`` (written by ``save``)."""
        self._used[key] = value
        self._dirty = True

    def get_result(self, key: str) -> Any:
        """The lint result stored for the whole-catalog ``key``, or None."""
        if self.key is None:
            return None
        stored = self._read(self.folder / f"{self.namespace[:24]}.result")
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
            return stored[1]
        return None

    def put_result(self, key: str, value: Any) -> None:
        """Store the lint result of the whole catalog under ``key``."""
        self._write(self.folder / f"{self.namespace[:24]}.result", (key, value))

    def save(self) -> None:
        """Write the results used or added this run, and keep the most recent others.

        Older contents stay for a while (up to as many again as the catalog
        has files), so that a revert or a branch switch finds them.
        """
        if self._pack is None or (not self._dirty and len(self._used) == len(self._files)):
            return
        others = [(k, v) for k, v in self._files.items() if k not in self._used]
        keep = others[max(0, len(others) - len(self._used) - 100):]
        self._write(self.folder / f"{self.namespace[:24]}.files", {**dict(keep), **self._used})

    def _read(self, path: Path) -> Any:
        assert self.key is not None
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        head = len(_MAGIC) + _DIGEST_BYTES
        if not blob.startswith(_MAGIC) or len(blob) < head:
            return None
        signature, body = blob[len(_MAGIC):head], blob[head:]
        expected = hmac.new(self.key, self.namespace.encode() + body, hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            return None  # not written by us under this namespace: never unpickle it
        try:
            return pickle.loads(body)
        except Exception:  # a pack from a half-written disk: run without it
            return None

    def _write(self, path: Path, value: Any) -> None:
        if self.key is None:
            return
        try:
            body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            signature = hmac.new(self.key, self.namespace.encode() + body,
                                 hashlib.sha256).digest()
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pack.")
            with os.fdopen(handle, "wb") as stream:
                stream.write(_MAGIC + signature + body)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError, RecursionError):
            return  # the cache is an optimisation: never fail a command for it


def _signing_key(directory: Path) -> bytes | None:
    path = directory / "key"
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            key = path.read_bytes()
        except FileNotFoundError:
            key = secrets.token_bytes(32)
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as stream:
                stream.write(key)
        return key if len(key) == 32 else None
    except OSError:
        return None


def catalog_key(entries: Iterable[tuple[str, bytes]], extra: str) -> str:
    """The key of a whole catalog: every (path, content digest) and ``extra`` (date, filters)."""
    digest = hashlib.sha256(extra.encode())
    for path, content in sorted(entries):
        digest.update(path.encode() + b"\0" + content)
    return digest.hexdigest()
