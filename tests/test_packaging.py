"""Issue 20, item 12: the sdist and the wheel are tidy.

A LICENSE matching `License-Expression`, project URLs and classifiers, no setuptools
"would be ignored" warnings, every tracked file in the sdist (so the whole suite runs from
it: `.ci/run` does that, at the lowest allowed dependency versions), no
`importlib.abc.Traversable` (gone in Python 3.14).
"""

from __future__ import annotations

import email
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

_SKIPPED = {".git", ".venv", "build", "dist", "out", "__pycache__", ".mypy_cache",
            ".pytest_cache", ".ruff_cache", ".hypothesis", ".monops-cache"}


def _source_files() -> set[str]:
    """The files of the repository: git's list, or (an unpacked sdist) the tree itself."""
    if (REPO / ".git").exists():
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                                check=True).stdout.decode().split("\0")
        return {name for name in listed if name and (REPO / name).is_file()}
    return {str(p.relative_to(REPO)) for p in REPO.rglob("*") if p.is_file()
            and not _SKIPPED & set(p.relative_to(REPO).parts)
            and not p.name.endswith((".pyc", ".egg-info")) and ".egg-info" not in str(p)
            and p.name != "PKG-INFO" and p.name != "setup.cfg"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The sdist, the wheel, and everything setuptools said while building them."""
    work = tmp_path_factory.mktemp("build")
    tree = work / "tree"
    shutil.copytree(REPO, tree, ignore=shutil.ignore_patterns(*_SKIPPED, "*.egg-info"))
    out = work / "dist"
    built, log = [], ""
    for hook in ("build_sdist", "build_wheel"):
        script = ("import sys\nfrom setuptools import build_meta\n"
                  f"print('built:', build_meta.{hook}(sys.argv[1]))\n")
        run = subprocess.run([sys.executable, "-c", script, str(out)], cwd=tree,
                             capture_output=True, text=True, check=False, timeout=300)
        assert run.returncode == 0, run.stderr[-3000:]
        built.append(run.stdout.rsplit("built: ", 1)[1].strip())
        log += run.stdout + run.stderr
    sdist, wheel = built
    return out / sdist, out / wheel, log


def test_no_setuptools_warnings(built: tuple[Path, Path, str]) -> None:
    log = built[2]
    assert "would be ignored" not in log and "absent from the `packages`" not in log
    assert "SetuptoolsDeprecationWarning" not in log


def test_the_sdist_holds_every_tracked_file(built: tuple[Path, Path, str]) -> None:
    with tarfile.open(built[0]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    missing = sorted(_source_files() - names)
    assert not missing, missing[:20]
    assert {"tests/conftest.py", "tests/golden/hand_computed.md", "LICENSE",
            "catalog/products/cloud-storage.yaml"} <= names


def test_the_wheel_says_mit_with_its_license_file_urls_and_classifiers(
        built: tuple[Path, Path, str]) -> None:
    with zipfile.ZipFile(built[1]) as wheel:
        [metadata_name] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.message_from_bytes(wheel.read(metadata_name))
        names = wheel.namelist()
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Issues", "Changelog"} <= set(urls)
    classifiers = metadata.get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the expression says it
    # the data monops needs at run time
    for data in ("monops_lint/init_template/ci/requirements.txt",
                 "monops_lint/init_template/ci/action-ref",
                 "monops_lint/init_template/gitignore", "monops_lint/templates/invoice.md.j2",
                 "monops_lint/schemas/catalog.schema.json", "monops_lint/py.typed"):
        assert data in names, data


def test_no_module_uses_importlib_abc_traversable() -> None:
    for path in (REPO / "monops_lint").rglob("*.py"):
        assert not re.search(r"importlib\.abc\b", path.read_text()), path
