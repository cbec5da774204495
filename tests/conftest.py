"""Shared fixtures: catalogs written into a temporary folder, linted through the core API;
a cache folder of the test run's own (never the user's ~/.cache/monops)."""

from __future__ import annotations

import atexit
import datetime as dt
import gc
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.lint import LintResult, lint_catalog

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)

DEFAULT_CONFIG = "paths: [catalog, pricing, scenarios, rules]\nbase_currency: USD\n"


@pytest.fixture(scope="session", autouse=True)
def monops_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache of every monops run of this test process (one per xdist worker), in and out
    of process: never the user's ``~/.cache/monops``. A test that looks into a cache, or
    needs an empty one, sets ``MONOPS_CACHE_DIR`` to a folder of its own."""
    cache = tmp_path_factory.mktemp("monops-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MONOPS_CACHE_DIR", str(cache))
        # Where the cache would go without MONOPS_CACHE_DIR, and where other tools put theirs.
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield cache


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    """A test that runs ``monops_lint.cli.main`` in this process other than through
    ``tests.cli_runner`` leaves no one-command settings behind: the collector's thresholds
    and ``gc.freeze`` at exit."""
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    atexit.unregister(gc.freeze)


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
