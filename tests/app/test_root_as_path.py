"""``paths: [.]``: the catalog root itself holds catalog files. monops.yaml is the config,
never linted as a catalog file (it was: a `schema` finding, "missing `kind:`")."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import run_cli
from tests.conftest import write_catalog


def test_the_config_is_not_a_catalog_file_when_the_root_is_a_path(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {
        "gadget.yaml": "kind: product\nid: gadget\nname: Gadget\nstatus: draft\n",
        "catalog/widget.yaml": "kind: product\nid: widget\nname: Widget\nstatus: draft\n",
    }, "paths: [., catalog]\n")
    run = run_cli("lint", "--root", str(root), "--today", "2026-11-25")
    assert run.returncode == 0, run.stdout + run.stderr
    # two catalog files, each once: the root's and catalog/'s (not monops.yaml)
    assert run.stdout == "All clear: 2 files, no findings.\n"
