"""Sources (issue 19, items 5, 7, 9 and 18): how catalog files are read from the working tree
and from git objects.

* 5: a file or blob over ``max_file_bytes`` is never read: the limit is checked against
  ``stat`` or the object's header, and the process's peak memory (measured in a
  subprocess) stays far below the file's size;
* 7: a file name that is not UTF-8 is a finding at its name written with escapes, in the
  working tree and at a revision, and no command fails with an internal error;
* 9: comparing the working tree with a commit runs none of the commands the repository's
  config names (``core.fsmonitor``, a ``clean`` filter);
* 18: a hard-linked file (perhaps a file from outside the root) is refused, as a symlink is.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monops_lint.load import load_file
from monops_lint.runtime.parsing import file_digest
from monops_lint.source.gitrev import changed_files
from monops_lint.source.unread import Misnamed, Oversized, shown_path
from tests.conftest import REPO, write_catalog
from tests.hardening.checks import run_in_process
from tests.hardening.conftest import (
    TODAY,
    Expect,
    assert_clean_exit,
    assert_findings,
    assert_one_line_error,
    dated,
    lint_json,
    monops,
)
from tests.hardening.test_files import SCENARIO_CATALOG, assert_secret_never_shown, outside_secret

CONFIG = "paths: [catalog, pricing, scenarios]\n"
PRODUCT_B = "kind: product\nid: other\nname: Other\nstatus: draft\n"
IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
MIB = 1 << 20


def git(root: Path, *args: str) -> str:
    """git with fixed arguments, no user or system config."""
    return subprocess.run(["git", *IDENTITY, *args], cwd=root, check=True, text=True,
                          capture_output=True, env={**os.environ, **GIT_ENV}).stdout.strip()


def repository(tmp_path: Path) -> Path:
    """A git repository whose first commit holds the scenario catalog."""
    root = write_catalog(tmp_path / "repo", SCENARIO_CATALOG, CONFIG)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


# --- 5: files over the size limit are never read --------------------------------------------

# Runs monops in a process of its own and writes the peak resident size of that process
# and of its children (parse workers, git) to the file named first, in bytes. The process's
# own peak is read from /proc: ru_maxrss would count the pages of the pytest process it was
# forked from, which Linux carries across exec.
PEAK_PROBE = """
import resource, sys
from monops_lint import cli
try:
    cli.main(sys.argv[2:])
finally:
    with open("/proc/self/status") as status:
        own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(sys.argv[1], "w") as out:
        out.write(str(max(own, children) * 1024))  # both in KiB
"""
PEAK_LIMIT = 200 * MIB  # monops itself needs about 40 to 80 MiB; the files are 300 and 1,024


def measured(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """``monops ARGS`` in a subprocess: the run, and its peak resident size in bytes."""
    peak = tmp_path / "peak"
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(GIT_ENV, MONOPS_CACHE_DIR=str(tmp_path / "cache"))
    run = subprocess.run([sys.executable, "-c", PEAK_PROBE, str(peak), *args], cwd=REPO,
                         capture_output=True, text=True, env=environment, check=False,
                         timeout=300)
    assert_clean_exit(run)
    return run, int(peak.read_text())


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` zero bytes that takes no room on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss units, sparse files")
def test_a_working_file_over_the_limit_is_never_read(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG, CONFIG)
    big = sparse(root / "catalog" / "big.yaml", 1 << 30)
    for size, shown in ((1 << 30, "1,073,741,824"), ((1 << 30) + 1, "1,073,741,825")):
        # 1 << 30 = 1,073,741,824; the second run (one byte more) must not reuse the
        # first's cached finding, since the size is in its text.
        os.truncate(big, size)
        run, peak = measured(tmp_path, "lint", "--root", str(root), "--format", "json",
                             "--today", TODAY)
        assert run.returncode == 1, run.stderr
        assert_findings(json.loads(run.stdout)["findings"], "catalog/big.yaml", [
            Expect("yaml-trap", 1, 1, f"file is {shown} bytes, over the limit of 1,048,576",
                   "split the file, or raise `max_file_bytes` in monops.yaml")])
        assert peak < PEAK_LIMIT, f"peak resident size {peak:,} bytes"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss units, sparse files")
def test_a_blob_over_the_limit_is_never_read(tmp_path: Path) -> None:
    root = repository(tmp_path)
    # A 300 MiB blob of zeros (a few hundred KiB once compressed), committed without ever
    # being in the working tree: the working tree's side of `diff HEAD` lacks the file, so
    # the base's finding is reported as fixed.
    zeros = sparse(tmp_path / "zeros", 300 * MIB)
    blob = git(root, "hash-object", "-w", str(zeros))
    zeros.unlink()
    git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},catalog/big.yaml")
    git(root, "commit", "-qm", "a big file")
    run, peak = measured(tmp_path, "diff", "--root", str(root), "--format", "json",
                         "--today", TODAY, "--no-cache", "HEAD")
    assert run.returncode in (0, 1), run.stderr
    fixed = json.loads(run.stdout)["findings"]["fixed"]
    # 300 MiB = 300 * 1,048,576 = 314,572,800 bytes
    assert [(f["rule"], f["path"], f["line"], f["column"], f["message"]) for f in fixed] == [
        ("yaml-trap", "catalog/big.yaml", 1, 1,
         "file is 314,572,800 bytes, over the limit of 1,048,576")]
    assert peak < PEAK_LIMIT, f"peak resident size {peak:,} bytes"
    run, peak = measured(tmp_path, "lint", "--root", str(root), "--format", "json",
                         "--today", TODAY, "--changed-since", "HEAD")
    assert run.returncode in (0, 1), run.stderr
    assert peak < PEAK_LIMIT, f"peak resident size {peak:,} bytes"


def test_an_unread_file_crosses_processes_and_keeps_its_own_cache_key() -> None:
    # Parse workers receive the snapshot pickled: the marker must arrive as itself.
    for marker in (Oversized(5 * MIB), Misnamed()):
        again = pickle.loads(pickle.dumps(marker, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(again) is type(marker) and again == b""
    assert pickle.loads(pickle.dumps(Oversized(5 * MIB))).size == 5 * MIB
    # An unread file is never keyed as the empty file it looks like, nor by its size alone
    # across sizes.
    keys = {file_digest(b""), file_digest(Oversized(5 * MIB)), file_digest(Oversized(6 * MIB)),
            file_digest(Misnamed())}
    assert len(keys) == 4
    result = load_file("catalog/big.yaml", Oversized(5 * MIB), MIB)
    # 5 MiB = 5,242,880 bytes; 1 MiB = 1,048,576
    assert [(f.rule, f.message) for f in result.findings] == [
        ("yaml-trap", "file is 5,242,880 bytes, over the limit of 1,048,576")]


# --- 7: file names that are not UTF-8 --------------------------------------------------------

NAME = b"catalog/\xff.yaml"
SHOWN = "catalog/\\xff.yaml"  # the name as monops writes it: a backslash, then x, f, f
MISNAMED = Expect("yaml-syntax", 1, 1, "file name is not UTF-8 (shown with \\xNN escapes)",
                  "rename the file")


def test_escaped_names() -> None:
    assert shown_path("catalog/a.yaml") == "catalog/a.yaml"
    assert shown_path("catalog/é.yaml") == "catalog/é.yaml"
    assert shown_path(os.fsdecode(NAME)) == SHOWN
    assert shown_path("catalog/\ud800.yaml") == "catalog/\\ud800.yaml"  # no byte behind it


NAMES = st.binary(min_size=1, max_size=12).filter(
    lambda raw: b"/" not in raw and b"\0" not in raw).map(lambda raw: raw + b".yaml")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAMES, min_size=1, max_size=3, unique=True))
def test_any_file_name_gives_a_report_that_names_it(tmp_path_factory: pytest.TempPathFactory,
                                                    names: list[bytes]) -> None:
    root = write_catalog(tmp_path_factory.mktemp("names"), {}, "paths: [catalog]\n")
    (root / "catalog").mkdir()
    for raw in names:
        Path(os.fsdecode(os.fsencode(root) + b"/catalog/" + raw)).write_text(PRODUCT_B)
    code, out, err = run_in_process(["lint", "--root", str(root), "--format", "json",
                                     "--no-cache", "--today", TODAY])
    assert code in (0, 1), err
    reported = {finding["path"] for finding in json.loads(out)["findings"]}
    # Every finding is at one of the files, named in UTF-8; each name that is not UTF-8 has
    # its finding, at the name with its other bytes written \xNN.
    shown = {raw: f"catalog/{raw.decode('utf-8', 'backslashreplace')}" for raw in names}
    assert reported <= set(shown.values())
    for raw, path in shown.items():
        path.encode("utf-8")
        if raw != path[len("catalog/"):].encode("utf-8"):
            assert path in reported, (path, reported)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
def test_a_file_name_that_is_not_utf8_is_a_finding_in_the_working_tree(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG, CONFIG)
    Path(os.fsdecode(os.fsencode(root) + b"/" + NAME)).write_text(PRODUCT_B)
    for extra in ((), ("--no-cache",)):
        _, findings = lint_json(root, *extra)
        assert_findings(findings, SHOWN, [MISNAMED])
    text = monops(*dated("lint"), "--root", str(root))
    assert text.returncode == 1 and f"{SHOWN}:1:1: error yaml-syntax" in text.stdout
    # Named on the command line with its real bytes, the file keeps its finding.
    alone = monops(*dated("lint"), os.fsdecode(NAME), cwd=root)
    assert alone.returncode == 1, alone.stderr
    assert alone.stdout.startswith(f"{SHOWN}:1:1: error yaml-syntax"), alone.stdout
    # lint fails on the finding; render and quote go on with the files they could read.
    for command, code in ((["lint", "--format", "sarif"], 1), (["lint", "--format", "github"], 1),
                          (["lint", "--format", "junit"], 1), (["render"], 0),
                          (["render", "--format", "json"], 0), (["quote", "p"], 0)):
        run = monops(*dated(*command), "--root", str(root))
        assert_clean_exit(run)
        assert run.returncode == code, (command, run.stderr)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
def test_a_file_name_that_is_not_utf8_is_a_finding_at_a_revision(tmp_path: Path) -> None:
    root = repository(tmp_path)
    Path(os.fsdecode(os.fsencode(root) + b"/" + NAME)).write_text(PRODUCT_B)
    # Untracked: `lint --changed-since` counts it changed under the same escaped name.
    _, findings = lint_json(root, "--changed-since", "HEAD")
    assert_findings(findings, SHOWN, [MISNAMED])
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a file whose name is not UTF-8")
    assert "\\377.yaml" in git(root, "ls-tree", "-r", "--name-only", "HEAD")  # git's quoting
    run = monops("diff", "--root", str(root), "--format", "json", "--today", TODAY,
                 "HEAD~1", "HEAD")
    assert_clean_exit(run)
    assert run.returncode == 1, run.stderr
    introduced = json.loads(run.stdout)["findings"]["introduced"]
    assert [(f["rule"], f["path"], f["line"], f["column"]) for f in introduced] == [
        ("yaml-syntax", SHOWN, 1, 1)]
    _, findings = lint_json(root, "--changed-since", "HEAD~1")
    assert_findings(findings, SHOWN, [MISNAMED])
    for command in (["render", "--rev", "HEAD"], ["diff", "HEAD"], ["diff", "HEAD", "HEAD~1"]):
        run = monops(*dated(*command[:1]), *command[1:], "--root", str(root))
        assert_clean_exit(run)
        assert run.returncode == 0, (command, run.stderr)  # nothing introduced


# --- 9: no command from the repository's config ----------------------------------------------

def test_comparing_with_the_working_tree_runs_no_command_from_the_git_config(
        tmp_path: Path) -> None:
    root = repository(tmp_path)
    ran = {what: tmp_path / f"{what}-ran" for what in ("fsmonitor", "clean")}
    hook = tmp_path / "fsmonitor-hook"
    hook.write_text(f"#!/bin/sh\ntouch '{ran['fsmonitor']}'\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    # What whoever set up the runner (or a hostile checkout step) could leave behind.
    git(root, "config", "core.fsmonitor", str(hook))
    git(root, "config", "filter.planted.clean", f"touch '{ran['clean']}'; cat")
    (root / ".gitattributes").write_text("*.yaml filter=planted\n")
    (root / "catalog" / "p.yaml").write_text(SCENARIO_CATALOG["catalog/p.yaml"] + "# edited\n")
    for command in (["lint", "--format", "json", "--changed-since", "HEAD"],
                    ["diff", "--format", "json", "HEAD"]):
        run = monops(*dated(*command[:1]), *command[1:], "--root", str(root))
        assert_clean_exit(run)
        assert run.returncode in (0, 1), (command, run.stderr)
        assert not [what for what, marker in ran.items() if marker.exists()], command
    # The edit is still seen as a change (the attributes file is untracked) ...
    head = git(root, "rev-parse", "HEAD")
    assert changed_files(root, head, None, root) == {"catalog/p.yaml", ".gitattributes"}
    assert not [what for what, marker in ran.items() if marker.exists()]
    # ... and the trap is real: git itself runs both commands here.
    git(root, "diff", "--name-only", "HEAD")
    assert all(marker.exists() for marker in ran.values())


# --- 18: hard links --------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["lint"], ["lint", "--format", "json"], ["render"],
                                     ["quote", "p"]])
def test_a_hard_link_to_a_file_outside_the_root_is_refused(tmp_path: Path,
                                                          command: list[str]) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG, CONFIG)
    link = root / "catalog" / "evil.yaml"
    os.link(outside_secret(tmp_path), link)
    run = monops(*dated(*command), "--root", str(root))
    assert_one_line_error(run, "catalog/evil.yaml has 2 hard links; monops does not read "
                          "hard-linked files", "(copy the file instead of linking it)")
    link.unlink()  # the link is the secret itself: then nothing else may hold it
    assert_secret_never_shown(tmp_path, run.stdout, run.stderr)


def test_a_hard_linked_config_is_refused(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG, CONFIG)
    outside = tmp_path / "outside.yaml"
    outside.write_text(CONFIG)
    (root / "monops.yaml").unlink()
    os.link(outside, root / "monops.yaml")
    run = monops(*dated("lint"), "--root", str(root))
    assert_one_line_error(run, "monops.yaml has 2 hard links")
