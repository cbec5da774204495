"""Shared fixtures: catalogs written into a temporary folder, linted through the core API."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.lint import LintResult, lint_catalog

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)

DEFAULT_CONFIG = "paths: [catalog, pricing, scenarios, rules]\nbase_currency: USD\n"


def write_catalog(root: Path, files: Mapping[str, str | bytes], config: str | None = None) -> Path:
    """Write ``files`` (path -> text or bytes) and a monops.yaml under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "monops.yaml").write_text(config if config is not None else DEFAULT_CONFIG)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def lint_root(root: Path, today: dt.date = TODAY) -> LintResult:
    """Lint the catalog at ``root`` as ``monops lint`` would (without the CLI)."""
    workspace = Workspace.open(root)
    return lint_catalog(workspace.catalog(), workspace.config, today)


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write a catalog into a fresh temporary folder and return its root."""
    counter = iter(range(1_000_000))

    def make(files: Mapping[str, str | bytes], config: str | None = None) -> Path:
        return write_catalog(tmp_path / f"catalog{next(counter)}", files, config)

    return make
