"""Writing the generated files, and checking that a file is still as it was generated."""

from __future__ import annotations

from pathlib import Path


def write_files(out: Path, files: dict[str, str]) -> None:
    """Write ``files`` (path relative to ``out`` -> text) as UTF-8, creating folders."""
    for relative, content in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))


def holds(path: Path, content: str) -> bool:
    """Whether ``path`` is a file holding exactly ``content`` (as ``write_files`` wrote it)."""
    return path.is_file() and path.read_bytes() == content.encode("utf-8")
