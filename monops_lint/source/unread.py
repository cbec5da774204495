"""Catalog files a source lists but does not read, and the one finding each becomes.

* A file over ``max_file_bytes`` is known by its size, taken from ``stat`` or
  from the git object's header, and never read: a 2 GB file (or blob) costs
  no memory, and says what it always said, ``file is N bytes, over the limit``.
* A file whose name is not UTF-8 (``catalog/<0xff>.yaml`` on Linux) cannot be
  named in a report, a cache key or a JSON document as it is: it is listed
  under its name written with escapes (``catalog/\\xff.yaml``, see
  ``shown_path``) and not read either, since that name leads to no file.

The source hands back an ``Unread`` in place of such a file's bytes. It is a
``bytes`` holding no content, so the catalog's snapshot stays a list of
(path, bytes); the loader checks for it first and reports ``finding``, and
keys its cache entry with ``key`` (never the digest of any content).
"""

from __future__ import annotations

from monops_lint.findings import Finding, Location, Severity


class Unread(bytes):
    """Stands in for the bytes of a file that is not read; the subclass says why."""

    def finding(self, path: str, max_bytes: int) -> Finding:
        """The file's one finding, under the size limit ``max_bytes`` in force."""
        raise NotImplementedError

    @property
    def key(self) -> bytes:
        """What the file is cached by in place of its content's digest: a digest has 20
        bytes, this has more, so the two never meet."""
        raise NotImplementedError


class Oversized(Unread):
    """A file over ``max_file_bytes``, known by its size only."""

    size: int

    def __new__(cls, size: int) -> Oversized:
        made = super().__new__(cls)
        made.size = size
        return made

    def __reduce__(self) -> tuple[type[Oversized], tuple[int]]:
        return Oversized, (self.size,)  # to parse workers and the cache, with its size

    def __repr__(self) -> str:
        return f"Oversized({self.size})"

    def finding(self, path: str, max_bytes: int) -> Finding:
        """``file is N bytes, over the limit of M``, as the YAML loader words it for bytes."""
        message = f"file is {self.size:,} bytes, over the limit of {max_bytes:,}"
        return Finding("yaml-trap", Severity.ERROR, Location(path, 1, 1), message,
                       "split the file, or raise `max_file_bytes` in monops.yaml", key=message)

    @property
    def key(self) -> bytes:
        """The size decides the finding's text: a file that grows is a new entry."""
        return b"unread: oversized, %d bytes" % self.size


class Misnamed(Unread):
    """A file whose name is not UTF-8: listed under its escaped name, never read."""

    def __new__(cls) -> Misnamed:
        return super().__new__(cls)

    def __reduce__(self) -> tuple[type[Misnamed], tuple[()]]:
        return Misnamed, ()

    def __repr__(self) -> str:
        return "Misnamed()"

    def finding(self, path: str, max_bytes: int) -> Finding:
        """The path's bytes that are not UTF-8 are shown as ``\\xNN`` in ``path`` already."""
        message = ("file name is not UTF-8 (shown with \\xNN escapes): monops does not "
                   "read a file it cannot name exactly")
        return Finding("yaml-syntax", Severity.ERROR, Location(path, 1, 1), message,
                       "rename the file (or the folder above it) with a UTF-8 name",
                       key=message)

    @property
    def key(self) -> bytes:
        """Every such file says the same at its own path."""
        return b"unread: the name is not UTF-8"


def shown_path(path: str) -> str:
    """``path`` as monops names it: the same text when it is UTF-8, else each byte that is not
    (a surrogate escape, as Python decodes file names) written ``\\xNN``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = path.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate that stands for no byte
            return path.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return path


def misnamed(path: str) -> bool:
    """Whether ``path`` holds bytes that are not UTF-8 (surrogate escapes)."""
    return shown_path(path) != path
