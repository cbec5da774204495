"""``monops init DIR``: a new catalog repository, ready to lint, render and review.

It writes a config, a small example catalog that lints clean, the pull-request
workflows (review + comment) and a pre-commit config. It only ever writes into
an empty (or new) folder: monops never changes an existing catalog.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from monops_lint import __version__
from monops_lint.app.files import write_atomic
from monops_lint.errors import MonopsError

TEMPLATE = "init_template"
# Where each template file goes; anything not listed keeps its relative path.
_TARGETS = {
    "github/monops-pr.yml": ".github/workflows/monops-pr.yml",
    "github/monops-comment.yml": ".github/workflows/monops-comment.yml",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}


def install_command(version: str = __version__) -> str:
    """How the workflow installs monops in a catalog repository: a pinned release."""
    return f"python3 -m pip install 'monops=={version}'"


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _walk(entry, f"{name}/")
        elif not entry.name.startswith(("__", ".")):
            found.append((name, entry))
    return found


def render_file(name: str, text: str, install: str) -> str:
    """A template file with its placeholders filled in."""
    if name == "github/monops-pr.yml":
        return text.replace("{install}", install)
    if name == "pre-commit-config.yaml":
        return text.replace("{version}", __version__)
    return text


def template_files(install: str | None = None) -> dict[str, str]:
    """Every file ``init`` writes: target path -> text."""
    install = install or install_command()
    root = resources.files("monops_lint").joinpath(TEMPLATE)
    return {_TARGETS.get(name, name): render_file(name, entry.read_text(encoding="utf-8"), install)
            for name, entry in _walk(root)}


def init_catalog(target: Path) -> list[str]:
    """Write a new catalog repository into ``target`` (absent or empty); return what it wrote."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise MonopsError(f"{target} is not an empty folder; monops init never writes into an "
                          "existing catalog (pick a new folder)")
    files = template_files()
    for relative, text in files.items():
        write_atomic(target / relative, text)
    return sorted(files)
