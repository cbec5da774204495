"""benchmarks/generate.py: the synthetic catalog is deterministic and lint-clean, and so is
its "1 % changed" commit (issue 6: the benchmark measures monops on valid catalogs)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import lint_root

# A process per run: byte-identical output must not depend on one process's hash seed.
pytestmark = pytest.mark.e2e

GENERATE = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


def _generate(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(GENERATE), "400", str(out), *args], check=True,
                   capture_output=True)


def _digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_catalog_is_deterministic_and_lint_clean(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _generate(first)
    _generate(second)
    before = _digests(first)
    assert before == _digests(second)  # byte-identical on every run
    assert 350 <= len(before) <= 450   # "about N files"
    assert lint_root(first).findings == ()

    _generate(first, "--change-percent", "1")
    after = _digests(first)
    changed = sorted(path for path in after if before.get(path) != after[path])
    # 1 % of 400 products' pricing files: 4 files, each its plan file under pricing/
    assert len(changed) == 4 and all(path.startswith("pricing/") for path in changed)
    assert lint_root(first).findings == ()
