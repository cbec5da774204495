"""``monops init DIR``: a new catalog repository, ready to lint, render and review.

It writes a config, a small example catalog that lints clean, the CI of the
chosen host (GitHub: the pull-request review, its commenter and the
default-branch scan; GitLab: one pipeline file), a pre-commit config, and
what an editor needs to check catalog files as they are typed (the JSON
Schemas and ``.vscode/settings.json``). It only ever writes into an empty (or
new) folder, or one holding only ``.git``: monops never changes an existing catalog.

The GitHub workflows run monops through this repository's GitHub Action,
pinned by the full commit SHA of a release (``ACTION_REF_FILE``, written by
the release workflow before it builds the package); the GitLab pipeline
installs the same commit with its dependencies pinned by hash.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from monops_lint import __version__
from monops_lint.app.files import write_atomic
from monops_lint.errors import MonopsError

TEMPLATE = "init_template"
ACTION_REPOSITORY = "monops/monops"
ACTION_REF_FILE = "ci/action-ref"
"""The commit of this release (the release workflow writes it); ``unreleased`` otherwise."""
PLACEHOLDER_REF = "0" * 40
"""What the workflows pin the action to when this monops is not a release: a commit that
cannot exist, so that the workflow fails loudly until ``--action-ref`` names a real one."""
CI_HOSTS = ("github", "gitlab")
SCHEMA_FOLDER = "schemas"
_FULL_SHA = re.compile(r"[0-9a-f]{40}")

# Where each template file goes, per CI host; None: not written. Anything not listed keeps
# its relative path.
_COMMON_TARGETS: dict[str, str | None] = {
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "vscode/settings.json": ".vscode/settings.json",
    ACTION_REF_FILE: None,
}
_TARGETS: dict[str, dict[str, str | None]] = {
    "github": {
        "github/monops-pr.yml": ".github/workflows/monops-pr.yml",
        "github/monops-comment.yml": ".github/workflows/monops-comment.yml",
        "github/monops-scan.yml": ".github/workflows/monops-scan.yml",
        "gitlab/monops.gitlab-ci.yml": None,
        "ci/requirements.txt": None,
    },
    "gitlab": {
        "github/monops-pr.yml": None,
        "github/monops-comment.yml": None,
        "github/monops-scan.yml": None,
        "gitlab/monops.gitlab-ci.yml": ".gitlab-ci.yml",
        "ci/requirements.txt": ".monops/requirements.txt",
    },
}


@dataclass(frozen=True)
class ActionPin:
    """The commit of monops the CI uses, and the comment that names it."""

    ref: str
    comment: str

    @property
    def is_placeholder(self) -> bool:
        """True when no release commit is known (an unreleased monops, no ``--action-ref``)."""
        return self.ref == PLACEHOLDER_REF


def action_pin(ref: str | None = None) -> ActionPin:
    """``ref`` (a full commit SHA) or this release's commit; the placeholder when neither."""
    if ref is not None:
        if not _FULL_SHA.fullmatch(ref):
            raise MonopsError(f"--action-ref {ref!r}: expected a full 40-character commit SHA "
                              "(lowercase hex), as GitHub shows for a release tag")
        return ActionPin(ref, "pinned with monops init --action-ref")
    released = _template_root().joinpath(ACTION_REF_FILE).read_text(encoding="utf-8").strip()
    if _FULL_SHA.fullmatch(released):
        return ActionPin(released, f"v{__version__}")
    return ActionPin(PLACEHOLDER_REF, "unreleased monops: pass --action-ref SHA (README, In CI)")


def install_command(version: str = __version__) -> str:
    """How monops is installed from a package index (the README's instructions for people)."""
    return f"python3 -m pip install 'monops=={version}'"


def install_steps(install: str | None, pin: ActionPin) -> str:
    """The workflow steps that put ``monops`` on PATH.

    By default the monops GitHub Action at ``pin``; with ``install`` (a shell command, as in
    this repository's own workflows, which install the checkout) Python and that command.
    """
    if install is None:
        return ("      - name: Install monops (its GitHub Action, pinned by commit)\n"
                f"        uses: {ACTION_REPOSITORY}@{pin.ref} # {pin.comment}")
    return ("      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
            "        with:\n"
            '          python-version: "3.11"\n'
            "      - name: Install monops\n"
            f"        run: {install}")


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found += _walk(entry, f"{name}/")
        elif not entry.name.startswith(("__", ".")):
            found.append((name, entry))
    return found


def _template_root() -> Traversable:
    return resources.files("monops_lint").joinpath(TEMPLATE)


def render_file(name: str, text: str, install: str, pin: ActionPin | None = None,
                use_action: bool = False) -> str:
    """A template file with its placeholders filled in."""
    pin = pin or action_pin()
    text = text.replace("{install_steps}", install_steps(None if use_action else install, pin))
    if name == "github/monops-pr.yml":
        text = text.replace("{install}", install)
    if name == "gitlab/monops.gitlab-ci.yml":
        text = text.replace("{action_ref}", pin.ref).replace("{action_comment}", pin.comment)
    if name == "pre-commit-config.yaml":
        return text.replace("{version}", __version__)
    return text


def schema_files() -> dict[str, str]:
    """The JSON Schemas an editor checks catalog files with (as ``monops schema --out``)."""
    from monops_lint import schema as schemas
    from monops_lint.model import KINDS

    return {f"{SCHEMA_FOLDER}/{'monops' if name == 'config' else name}.schema.json":
            json.dumps(schemas.schema_for(name), indent=2) + "\n"
            for name in [*KINDS, "config", "catalog"]}


def template_files(install: str | None = None, action_ref: str | None = None,
                   ci: str = "github") -> dict[str, str]:
    """Every file ``init`` writes: target path -> text.

    ``install``: a shell command that installs monops in the workflows instead of the
    pinned GitHub Action (this repository's own workflows install the checkout).
    """
    if ci not in CI_HOSTS:
        raise MonopsError(f"--ci {ci!r}: one of {', '.join(CI_HOSTS)}")
    pin = action_pin(action_ref)
    targets = {**_COMMON_TARGETS, **_TARGETS[ci]}
    files = {}
    for name, entry in _walk(_template_root()):
        target = targets.get(name, name)
        if target is not None:
            files[target] = render_file(name, entry.read_text(encoding="utf-8"),
                                        install or "", pin, use_action=install is None)
    return {**files, **schema_files()}


def init_catalog(target: Path, action_ref: str | None = None, ci: str = "github"
                 ) -> tuple[list[str], ActionPin]:
    """Write a new catalog repository into ``target`` (absent or empty); return what it wrote
    and the commit its CI runs monops at.

    A folder holding only ``.git`` counts as empty: ``git init`` first, then
    ``monops init .``, is as good as the other order.
    """
    if target.exists() and (not target.is_dir() or
                            any(entry.name != ".git" for entry in target.iterdir())):
        raise MonopsError(f"{target} is not an empty folder; monops init never writes into an "
                          "existing catalog (pick a new folder)")
    files = template_files(action_ref=action_ref, ci=ci)
    for relative, text in files.items():
        write_atomic(target / relative, text)
    return sorted(files), action_pin(action_ref)
