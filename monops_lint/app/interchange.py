"""``monops export killbill`` and ``monops import killbill``: the catalog to Kill Bill's
catalog XML and back, with the report of what each direction leaves out."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from monops_lint.app.files import write_atomic
from monops_lint.app.workspace import Workspace
from monops_lint.config import DEFAULT_MAX_FILE_BYTES
from monops_lint.errors import MonopsError
from monops_lint.findings import Severity
from monops_lint.interchange import LeftOut
from monops_lint.interchange.killbill import (
    KillBillExport,
    KillBillImport,
    export_killbill,
    import_killbill,
)
from monops_lint.reporters.escaping import markdown_text, visible


def export_catalog(workspace: Workspace, rev: str | None = None) -> KillBillExport:
    """The catalog at ``rev`` (default: the working tree) as Kill Bill XML, one file per
    catalog version. A catalog whose files do not load (schema or YAML errors) is refused:
    what reaches the billing system must be the catalog as written."""
    source, config = workspace.source(rev)
    catalog = workspace.catalog(source, config)
    errors = [f for f in catalog.load_findings if f.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        raise MonopsError(f"the catalog has {len(errors)} error(s) that keep it from loading, "
                          f"first {first.location.path}:{first.location.line}: {first.message} "
                          "(run `monops lint`)")
    result = export_killbill(catalog, config.killbill)
    if not result.files:
        raise MonopsError(f"nothing to export: no plan of the catalog has a charge Kill Bill "
                          f"can price ({len(result.left_out)} item(s) left out)")
    return result


def write_export(result: KillBillExport, out: Path) -> list[Path]:
    """Write every catalog version into ``out`` (files of the same name are replaced)."""
    written = []
    for name, text in result.files:
        write_atomic(out / name, text)
        written.append(out / name)
    return written


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes`` + 1 bytes of a regular file: a FIFO, a device or a folder is
    refused before it is read, and a huge file is never read whole."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise MonopsError(f"{path}: not a regular file")
        with open(path, "rb") as stream:
            return stream.read(max_bytes + 1)
    except OSError as exc:
        raise MonopsError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def import_catalog(paths: Sequence[Path], out: Path,
                   max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> tuple[KillBillImport, list[Path]]:
    """Kill Bill catalog files -> a new catalog in ``out`` (which must be empty or absent);
    the import and the paths written."""
    if out.exists() and (not out.is_dir() or out.is_symlink() or any(out.iterdir())):
        raise MonopsError(f"--out {out}: not an empty folder (import never writes over files)")
    files = [(str(path), _read_bounded(path, max_bytes)) for path in paths]
    result = import_killbill(files, max_bytes)
    written = []
    for relative, text in result.files:
        write_atomic(out / relative, text)
        written.append(out / relative)
    return result, written


def left_out_report(system: str, direction: str, left_out: Sequence[LeftOut],
                    markdown: bool) -> str:
    """The ``--report`` file: JSON (``{"version": 1, "system", "direction", "left_out":
    [{"entity", "field", "why"}]}``) or, for a ``.md`` file, a Markdown table."""
    if not markdown:
        document = {"version": 1, "system": system, "direction": direction,
                    "left_out": [{"entity": i.entity, "field": i.field, "why": i.why}
                                 for i in left_out]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    lines = [f"# {system} {direction}: {len(left_out)} item(s) left out", ""]
    if not left_out:
        return "\n".join([*lines, "Everything was carried over."]) + "\n"
    lines += ["| entity | field | why |", "| --- | --- | --- |"]
    lines += [f"| {markdown_text(i.entity)} | {markdown_text(i.field)} | "
              f"{markdown_text(i.why)} |" for i in left_out]
    return "\n".join(lines) + "\n"


def left_out_lines(left_out: Sequence[LeftOut]) -> list[str]:
    """One ``left out: ...`` line per item, safe for a terminal or CI log."""
    return [f"left out: {visible(item.line())}" for item in left_out]
