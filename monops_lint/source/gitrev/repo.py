"""Opening the git repository that holds a catalog, with git's riskier features turned off.

GitPython is imported on first use only: importing it runs ``git version``,
which fails where git is not installed, and most commands never need git.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from monops_lint.errors import MonopsError

if TYPE_CHECKING:
    import git


def require_git() -> None:
    """Import GitPython on first use: importing it runs `git version`, and fails without git."""
    try:
        import git  # noqa: F401
    except ImportError as exc:
        raise MonopsError(f"cannot use git: {str(exc).splitlines()[0]} "
                          "(install git, or set GIT_PYTHON_GIT_EXECUTABLE)") from exc


def open_repo(path: Path) -> git.Repo:
    """The repository holding ``path`` (searching upward); close it to end git's helpers."""
    require_git()
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except git.exc.NoSuchPathError as exc:
        raise MonopsError(f"{path}: no such folder") from exc
    except git.exc.InvalidGitRepositoryError as exc:
        raise MonopsError(f"{path} is not inside a git repository "
                          "(revisions need the catalog to be in git)") from exc
    except (git.exc.GitError, OSError, ValueError) as exc:
        raise MonopsError(f"cannot open the git repository at {path}: {exc}") from exc
    # An object read by SHA must be exactly that object (no refs/replace), and
    # git must not rewrite the index that another process may hold.
    repo.git.update_environment(GIT_NO_REPLACE_OBJECTS="1", GIT_OPTIONAL_LOCKS="0")
    # Reading the index runs the command `core.fsmonitor` names, and that config may have
    # been planted with the checkout: on every git call monops makes, it is off.
    repo.git.set_persistent_git_options(c="core.fsmonitor=false")
    return repo


@contextmanager
def repository(path: Path) -> Iterator[git.Repo]:
    """``open_repo(path)`` for the length of a ``with`` block."""
    repo = open_repo(path)
    try:
        yield repo
    finally:
        repo.close()  # ends the `git cat-file` processes


def find_repository(path: Path) -> Path:
    """The top folder of the git repository holding ``path`` (a catalog root or a folder in it)."""
    with repository(path) as repo:
        if repo.working_tree_dir is None:
            raise MonopsError(f"{path} is in a bare git repository; monops needs a checkout")
        return Path(repo.working_tree_dir).resolve()


def catalog_prefix(repo: git.Repo, catalog_root: Path | None) -> str:
    """The catalog root relative to the repository top, ``/``-separated (``""`` at the top)."""
    if catalog_root is None:
        return ""
    if repo.working_tree_dir is None:
        raise MonopsError(f"{catalog_root} is in a bare git repository; monops needs a checkout")
    top = Path(repo.working_tree_dir).resolve()
    try:
        relative = catalog_root.resolve().relative_to(top).as_posix()
    except ValueError as exc:
        raise MonopsError(f"{catalog_root} is not inside the git repository at {top}") from exc
    return "" if relative == "." else relative
