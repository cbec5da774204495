"""Issue 19 items 15 and 17: temporaries a killed run left are swept, a terminated run
removes its own, and written files have the mode the umask says (not 0600).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_catalog
from tests.hardening.conftest import assert_clean_exit, dated, monops
from tests.hardening.test_files import SCENARIO_CATALOG

pytestmark = pytest.mark.e2e  # monops runs in a subprocess


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_render_out_sweeps_what_a_killed_run_left_and_keeps_a_running_writer_s(
        tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".s.md.{dead_pid()}.k3j2h1g0.tmp"
    stale.write_text("half an invoice")
    live = out / f".s.md.{os.getpid()}.abcdefgh.tmp"  # this test is running: not stale
    live.write_text("being written")
    other = out / f".notes.md.{dead_pid()}.abcdefgh.tmp"  # another file's: left to its writer
    other.write_text("x")
    run = monops(*dated("render"), "--root", str(root), "--out", str(out))
    assert_clean_exit(run)
    assert run.returncode == 0, run.stderr
    assert not stale.exists()
    assert live.exists() and other.exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["s.md", live.name, other.name])


def test_the_cache_sweeps_packs_a_killed_run_left(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    cache = tmp_path / "cache"
    env = {"MONOPS_CACHE_DIR": str(cache)}
    assert monops(*dated("lint"), "--root", str(root), env=env).returncode == 1  # a finding
    [folder] = [p for p in cache.iterdir() if p.is_dir()]
    stale = folder / f".0123456789abcdef01234567.files.{dead_pid()}.zz9yy8xx.tmp"
    stale.write_bytes(b"half a pack")
    stale.chmod(0o600)
    run = monops(*dated("lint"), "--root", str(root), env=env)
    assert_clean_exit(run)
    assert run.returncode == 1, run.stderr
    assert not stale.exists()


# write_atomic, with os.replace made to deliver SIGTERM to the process between writing the
# temporary file and renaming it: the moment a kill leaves a temporary behind.
TERMINATED = """
import os, signal, sys, time
from pathlib import Path
from monops_lint.app.files import write_atomic
import importlib
cli_main = importlib.import_module('monops_lint.cli.main')

def replace(source, target):
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)  # the handler runs before this ends

cli_main._exit_cleanly_on_termination()
os.replace = replace
write_atomic(Path(sys.argv[1]) / "report.md", "# report\\n")
"""


def test_a_terminated_write_leaves_no_temporary(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-c", TERMINATED, str(tmp_path)], cwd=REPO,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 128 + 15, run.stderr
    assert run.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_sigterm_ends_monops_with_status_143_and_no_traceback(tmp_path: Path) -> None:
    # render, signalled as it starts rendering (the render command imports the function
    # when it runs, so the patched one is the one it calls)
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    process = subprocess.Popen(
        [sys.executable, "-c",
         "import os, signal, sys, time\n"
         "from monops_lint.cli.main import main\n"
         "import monops_lint.app.render as r\n"
         "real = r.render_invoices\n"
         "def slow(*a, **k):\n"
         "    os.kill(os.getpid(), signal.SIGTERM); time.sleep(5); return real(*a, **k)\n"
         "r.render_invoices = slow\n"
         "sys.argv = ['monops', 'render', '--root', sys.argv[1]]\n"
         "main()\n", str(root)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert "Traceback" not in stderr


UMASKS = [0o022, 0o027, 0o002]


@pytest.mark.parametrize("mask", UMASKS, ids=[f"{m:03o}" for m in UMASKS])
def test_written_files_follow_the_umask(tmp_path: Path, mask: int) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    expected = 0o666 & ~mask  # 022 -> 0644, 027 -> 0640, 002 -> 0664
    outputs = [
        (["render", "--out", str(tmp_path / "inv")], tmp_path / "inv" / "s.md"),
        (["lint", "--format", "json", "--output", str(tmp_path / "r.json")],
         tmp_path / "r.json"),
        (["lint", "--write-baseline", str(tmp_path / "b.json")], tmp_path / "b.json"),
    ]
    def set_umask() -> None:
        os.umask(mask)

    for command, written in outputs:
        run = monops(*dated(*command), "--root", str(root), preexec_fn=set_umask)
        assert_clean_exit(run)
        assert run.returncode in (0, 1), (command, run.stderr)  # 1: the catalog has findings
        assert stat.S_IMODE(written.stat().st_mode) == expected, (command, oct(mask))
