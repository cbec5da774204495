"""The CLI as a process of its own (``python -m monops_lint``): what only a real process
shows - the exit code the shell sees, the bytes on stdout and stderr, a reader that goes
away, and a clean exit after the one command (``atexit``). The rest of the CLI's tests run
it in the test process (tests/cli_runner.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_catalog

pytestmark = pytest.mark.e2e

BROKEN = {"catalog/p.yaml": "kind: product\nid: storage\nname: Storage\nname: Again\n"}


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "monops_lint", *args]


def environment() -> dict[str, str]:
    """The test's environment as CI has it, without ``GITHUB_ACTIONS`` (the default format)."""
    return {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}


def monops(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command(*args), cwd=REPO, capture_output=True, env=environment(),
                          check=False, timeout=120)


def test_exit_codes_and_streams_reach_the_shell(tmp_path: Path) -> None:
    clean = monops("lint", "--today", "2026-11-25")
    assert (clean.returncode, clean.stderr) == (0, b""), clean.stderr
    assert clean.stdout.startswith(b"All clear:")
    found = monops("lint", "--root", str(write_catalog(tmp_path / "c", BROKEN)))
    assert (found.returncode, found.stderr) == (1, b""), found.stderr
    assert found.stdout.startswith(b'catalog/p.yaml:4:1: error yaml-trap duplicate key "name"')
    failed = monops("lint", "--root", str(tmp_path / "nope"))
    assert (failed.returncode, failed.stdout) == (2, b"")
    assert failed.stderr.startswith(b"monops: error: ") and failed.stderr.count(b"\n") == 1


def test_a_reader_that_goes_away_is_no_traceback() -> None:
    # `monops schema catalog | head -c 1`, with the pipe closed before monops writes to it.
    with subprocess.Popen(command("schema", "catalog"), cwd=REPO, env=environment(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read()
        process.wait(timeout=120)
    assert stderr == b""


def test_help_imports_no_command() -> None:
    # Run as a process of its own: this one has imported every command already.
    probe = ("import sys\nfrom monops_lint.cli.main import cli\n"
             "cli.main(['--help'], standalone_mode=False)\n"
             "print(sorted(m for m in sys.modules if m.startswith('monops_lint.cli.commands.')))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                          text=True, check=True)
    assert "lint     " in done.stdout or "lint  " in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"
