"""``monops export killbill`` and ``monops import killbill``: the catalog to Kill Bill's
catalog XML and back."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from monops_lint.cli.options import no_cache_option, open_workspace, root_option
from monops_lint.cli.status import STATUS, done
from monops_lint.errors import MonopsError

if TYPE_CHECKING:
    from monops_lint.interchange import LeftOut

_REPORT_HELP = ("Also write what was left out to FILE: Markdown for a .md file, JSON "
                "({\"version\": 1, \"left_out\": [{\"entity\", \"field\", \"why\"}]}) otherwise.")
_STRICT_HELP = "Exit 1 when anything was left out (the files are written all the same)."


def _finish(left_out: Sequence[LeftOut], direction: str, report: Path | None,
            strict: bool) -> None:
    """Say what was left out (stderr, and ``report``); exit 1 under ``strict`` if any."""
    from monops_lint.app.files import write_atomic
    from monops_lint.app.interchange import left_out_lines, left_out_report

    STATUS.clear()
    for line in left_out_lines(left_out):
        click.echo(f"monops: {line}", err=True)
    if report is not None:
        write_atomic(report, left_out_report("Kill Bill", direction, left_out,
                                             report.suffix.lower() == ".md"))
        done(f"wrote {report}")
    if strict and left_out:
        sys.exit(1)


@click.group("export")
def export_group() -> None:
    """Write the catalog in a billing system's own format."""


@export_group.command("killbill")
@root_option
@click.option("--rev", metavar="REV",
              help="Export the catalog as it is at git revision REV (read from git objects; "
                   "no checkout).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False),
              help="Write the catalog versions into DIR as <catalog name>-<date>.xml "
                   "(default: print the XML when there is one version).")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), help=_REPORT_HELP)
@click.option("--strict", is_flag=True, help=_STRICT_HELP)
@no_cache_option
def export_killbill(root: Path | None, rev: str | None, out: Path | None,
                    report: Path | None, strict: bool, no_cache: bool) -> None:
    """Export the catalog as Kill Bill catalog XML.

    One file per catalog version: a new version on each day a plan version
    takes effect (Kill Bill orders the files of a versioned catalog by their
    effectiveDate). Each file is valid against Kill Bill's catalog schema.
    Channels become price lists; the one monops.yaml names under
    `export: {killbill: {default_channel: ID}}` is DEFAULT (without it,
    DEFAULT is empty and every channel is a child price list). A trial
    becomes a TRIAL phase, introductory phases DISCOUNT phases, a version's
    charges the EVERGREEN phase; usage charges become consumable in-arrear
    usages with tiered blocks.

    What Kill Bill cannot express (promotions, percentage charges, minimums,
    staged rollouts, percent overrides...) is never dropped silently: each
    item is a `monops: left out:` line on stderr, and in --report.
    """
    from monops_lint.app.interchange import export_catalog, write_export

    workspace = open_workspace(root, use_cache=not no_cache)
    result = export_catalog(workspace, rev)
    if out is None:
        if len(result.files) != 1:
            raise MonopsError(f"the catalog has {len(result.files)} catalog versions: "
                              "give --out DIR to write them")
        STATUS.clear()
        click.echo(result.files[0][1], nl=False)
    else:
        written = write_export(result, out)
        done(f"wrote {len(written)} catalog version(s) to {out}")
    _finish(result.left_out, "export", report, strict)


@click.group("import")
def import_group() -> None:
    """Read a billing system's catalog into a new monops catalog."""


@import_group.command("killbill")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="The new catalog's folder: absent or empty (never written over).")
@click.option("--report", type=click.Path(path_type=Path, dir_okay=False), help=_REPORT_HELP)
@click.option("--strict", is_flag=True, help=_STRICT_HELP)
@click.option("--max-file-bytes", type=click.IntRange(min=1), default=1 << 20,
              show_default=True, help="Refuse a file larger than this, unread.")
def import_killbill(files: tuple[Path, ...], out: Path, report: Path | None, strict: bool,
                    max_file_bytes: int) -> None:
    """Import Kill Bill catalog XML FILES into a new catalog in --out.

    FILES are one catalog, or the versions of a versioned catalog (any order:
    each file's effectiveDate dates its plan versions). Products go to
    catalog/products/, plans to pricing/<product>.yaml, price lists to
    catalog/channels/ (DEFAULT is the channel `default`), with a monops.yaml.
    Names that are not valid monops ids are made valid and the original kept
    as `external_name`, so that `monops export killbill` writes it back.

    The XML is untrusted: no DTD, entity or external reference is read.
    What monops cannot price the same way (CAPACITY usage, prepaid blocks,
    billing periods other than monthly, quarterly, annual or none, trials
    counted in months, plan-change rules...) is a `monops: left out:` line
    on stderr, and in --report.
    """
    from monops_lint.app.interchange import import_catalog

    result, written = import_catalog(list(files), out, max_file_bytes)
    done(f"wrote {len(written)} file(s) to {out}")
    _finish(result.left_out, "import", report, strict)
