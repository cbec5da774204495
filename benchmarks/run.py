#!/usr/bin/env python3
"""Benchmark monops on synthetic catalogs (issue 6).

    python benchmarks/run.py [--sizes 1000,10000,50000] [--rounds 5] [--out results.json]

For each size N it generates a catalog with ``benchmarks/generate.py`` into
a temporary git repository (commit 1), raises prices in 1 % of N files
(commit 2), then times each of these as a subprocess, several rounds each,
and reports the median wall time and the peak resident memory:

    a   PyYAML's C loader alone: ``yaml.load_all(..., Loader=yaml.CSafeLoader)``
        over the same files in one process - the baseline every ratio divides by
    b   ``monops lint``, cold: no cache (``--no-cache`` when monops has it, and an
        empty cache directory every round)
    b2  ``monops lint`` with an empty cache that it fills (only when ``--no-cache``
        exists: then b no longer shows what a first run costs)
    c   ``monops lint``, warm: nothing changed since a run that filled the cache
    d   ``monops lint`` after 1 % of files changed (cache filled before the change)
    e   ``monops render --format json`` of all scenarios, warm (after a lint, as
        the shipped pull-request workflow runs it); e0 the same with an empty cache
    f   ``monops diff HEAD~1 HEAD`` (the 1 % change) after a ``monops lint`` of the
        head (each round: an empty cache, the lint untimed, the diff timed), as the
        shipped workflow runs them; f2 the same diff again (everything cached, as
        the workflow's second report format); f0 with an empty cache
    g   check-jsonschema over the product files with ``monops schema product``
        (installed from PyPI into a venv of its own, not a monops dependency)
    h   ``monops --help``

monops runs from the virtualenv of the Python running this script, so its
import time counts. The cache is kept apart per measurement with
MONOPS_CACHE_DIR and XDG_CACHE_HOME pointing into the work directory, and
the catalog's own ``.monops-cache/`` is removed whenever a run must be
cold. A command that fails stops the benchmark with its output shown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-11-25"
"""The day generate.py builds the catalog for."""
GiB = 1 << 30
MiB = 1 << 20
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- what is measured, and the targets of issue 6 -----------------------------------

@dataclass(frozen=True)
class Target:
    kind: str  # "ratio" (to row a) or "seconds"
    limit: float
    text: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    target: Target | None = None
    monops: bool = True  # a monops command: the RSS target applies


ROWS = [
    Row("a", "a. yaml CSafeLoader parse (baseline)", monops=False),
    Row("b", "b. lint cold (no cache)", Target("ratio", 1.0, "<= 1.0x (a)")),
    Row("b2", "b2. lint, empty cache, fills it"),
    Row("c", "c. lint warm (nothing changed)", Target("ratio", 0.15, "<= 0.15x (a)")),
    Row("d", "d. lint after 1 % changed", Target("ratio", 0.3, "<= 0.3x (a)")),
    Row("e", "e. render json, 200 scenarios, warm", Target("seconds", 1.0, "<= 1 s")),
    Row("e0", "e0. render json, empty cache", Target("seconds", 1.0, "<= 1 s")),
    Row("f", "f. diff HEAD~1 HEAD, after a lint", Target("ratio", 1.5, "<= 1.5x (a)")),
    Row("f2", "f2. diff HEAD~1 HEAD, again", Target("ratio", 1.5, "<= 1.5x (a)")),
    Row("f0", "f0. diff HEAD~1 HEAD, empty cache", Target("ratio", 1.5, "<= 1.5x (a)")),
    Row("g", "g. check-jsonschema, product files", monops=False),
    Row("h", "h. monops --help", Target("seconds", 0.3, "<= 0.3 s")),
]
BY_KEY = {row.key: row for row in ROWS}
RSS_TARGET = Target("rss", 1.0, "<= 1 GiB at 50,000")
GROWTH_LIMIT = 1.2  # the 50,000 row's ratio no more than 20 % worse than the 10,000 row's
RSS_SIZE = 50_000


class BenchmarkError(Exception):
    """A command failed or the setup is wrong: the message says which and why."""


# --- running one command, with its time and memory ------------------------------------

@dataclass
class Sample:
    seconds: float  # wall time, perf_counter around the subprocess
    max_rss_kib: int  # the largest process of the tree (ru_maxrss of the reaped child)
    tree_rss_kib: int  # the whole tree at once (summed PSS, sampled every 20 ms), or more
    cpu_seconds: float = 0.0  # user + system of the whole tree
    load: float = 0.0  # the 1-minute load average when the run started
    others: float = 0.0  # other tasks wanting a CPU during the run, on average (contention)
    waited: float = 0.0  # seconds spent waiting for a quiet machine first (--quiet)
    parse_seconds: float | None = None  # row a: the parse alone, timed inside the process


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def _memory_kib(pid: int) -> int:
    """The proportional set size of one process (shared pages split between sharers)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:  # no smaps_rollup: resident pages, shared ones counted in full
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE // 1024
    except (OSError, IndexError, ValueError):
        return 0


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "R"
    except (OSError, IndexError):
        return False


def _pids(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    return sorted(found)


def _tree(root: int) -> tuple[int | None, int]:
    """(memory of the tree in KiB, how many of its processes are running).

    The memory is None when a process started or ended while the tree was
    being read: the processes are read one after another, so across a fork
    the parent's pages are counted whole before it and the child's half
    after it (measured: a 600 MiB parent read as 900 MiB). Such a sample is
    dropped; memory that is really used shows in the samples around it.
    """
    pids = _pids(root)
    total = sum(_memory_kib(pid) for pid in pids)
    running = sum(_running(pid) for pid in pids)
    return (total if _pids(root) == pids else None), running


class TreeSampler(threading.Thread):
    """Samples a process tree every ``interval`` s until stopped: the peak of its summed
    memory, and how many other tasks on the machine wanted a CPU meanwhile."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.torn = 0  # samples dropped: the tree changed while it was read
        self.others: list[int] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            memory, running = _tree(self.pid)
            if memory is not None:
                self.peak = max(self.peak, memory)
            else:
                self.torn += 1
            self.others.append(max(_runnable() - running, 0))
            self._stop_event.wait(self.interval)

    def stop(self) -> tuple[int, float]:
        self._stop_event.set()
        self.join()
        return self.peak, statistics.mean(self.others) if self.others else 0.0


@dataclass
class Done:
    sample: Sample
    stdout: str
    stderr: str


def _runnable() -> int:
    """Tasks running or waiting for a CPU right now, this one excluded (/proc/loadavg)."""
    try:
        with open("/proc/loadavg") as handle:
            return max(int(handle.read().split()[3].split("/")[0]) - 1, 0)
    except (OSError, IndexError, ValueError):
        return 0


QUIET = {"below": -1.0, "wait": 0.0}
"""--quiet: before each timed run, wait (up to ``wait`` s) until, over one second, fewer
than ``below`` other tasks on average want a CPU. Off when ``below`` < 0."""


def wait_quiet() -> float:
    """Wait for a quiet machine (see ``QUIET``); the seconds waited."""
    if QUIET["below"] < 0:
        return 0.0
    start = time.perf_counter()
    while True:
        samples = []
        for _ in range(10):
            samples.append(_runnable())
            time.sleep(0.1)
        waited = time.perf_counter() - start
        if statistics.mean(samples) < QUIET["below"] or waited >= QUIET["wait"]:
            return waited


def run(cmd: Sequence[str], *, cwd: Path, env: Mapping[str, str], what: str,
        ok: Sequence[int] = (0,), timed: bool = True) -> Done:
    """Run ``cmd``, timed with perf_counter around it; raise BenchmarkError on failure."""
    waited = wait_quiet() if timed else 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        try:
            process = subprocess.Popen(list(cmd), cwd=cwd, env=dict(env), stdout=out,
                                       stderr=err, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise BenchmarkError(f"{what}: cannot run {cmd[0]}: {exc}") from exc
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: leave no monops running behind
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - start
        tree, others = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode not in ok:
        shown = " ".join(cmd)
        raise BenchmarkError(
            f"{what} failed (exit {process.returncode}): {shown}\n  in {cwd}\n"
            f"--- stderr ---\n{_tail(stderr)}\n--- stdout ---\n{_tail(stdout)}")
    # ru_maxrss is in KiB on Linux.
    return Done(Sample(seconds, int(usage.ru_maxrss), max(tree, int(usage.ru_maxrss)),
                       usage.ru_utime + usage.ru_stime, load, others, waited), stdout, stderr)


def _tail(text: str, lines: int = 40) -> str:
    kept = text.rstrip().splitlines()
    return "\n".join(kept[-lines:]) if kept else "(empty)"


# --- the environment of one measurement -----------------------------------------------

@dataclass
class Bench:
    """One catalog (a git repository with the two commits) and how to run things in it."""

    root: Path
    work: Path
    monops: list[str]
    base_sha: str
    head_sha: str
    no_cache: bool
    cjs: list[str] | None
    cjs_note: str
    _caches: int = 0

    def fresh_cache(self) -> Path:
        """An empty cache directory (and no .monops-cache in the catalog)."""
        self._caches += 1
        path = self.work / f"cache-{self._caches:04d}"
        path.mkdir(parents=True)
        shutil.rmtree(self.root / ".monops-cache", ignore_errors=True)
        return path

    def env(self, cache: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("GITHUB_ACTIONS", "MONOPS_CACHE_DIR", "XDG_CACHE_HOME")}
        env["MONOPS_CACHE_DIR"] = str(cache / "monops")
        env["XDG_CACHE_HOME"] = str(cache)
        return env

    def monops_run(self, args: Sequence[str], cache: Path, what: str,
                   timed: bool = True) -> Done:
        return run([*self.monops, *args], cwd=self.root, env=self.env(cache), what=what,
                   timed=timed)

    def lint(self, cache: Path, *extra: str, what: str = "monops lint",
             timed: bool = True) -> Done:
        return self.monops_run(["lint", "--root", str(self.root), "--today", TODAY, *extra],
                               cache, what, timed)

    def checkout(self, sha: str) -> None:
        git(self.root, "checkout", "-q", "--detach", sha)


def git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE="2026-11-25T12:00:00Z", GIT_COMMITTER_DATE="2026-11-25T12:00:00Z")
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false",
                           *args], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BenchmarkError(f"git {' '.join(args)} failed in {root}:\n{done.stderr.strip()}")
    return done.stdout.strip()


def monops_command() -> list[str]:
    """``monops`` of the virtualenv running this script (else ``python -m monops_lint``)."""
    beside = Path(sys.executable).parent / "monops"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [sys.executable, "-m", "monops_lint"]


def working_tree_source() -> str:
    """The monops checkout this script belongs to: its commit, and whether code is edited."""
    try:
        commit = git(REPO, "rev-parse", "--short", "HEAD")
        edited = git(REPO, "status", "--porcelain", "--", "monops_lint", "schemas",
                     "pyproject.toml")
    except BenchmarkError:
        return "the current virtualenv (commit unknown)"
    state = f" plus uncommitted changes to {len(edited.splitlines())} file(s)" if edited else ""
    return f"working tree of {REPO} at {commit}{state}"


def install_snapshot(rev: str, work: Path) -> tuple[list[str], str]:
    """monops as committed at ``rev``, installed into a venv of its own (immune to edits
    made in the working tree while the benchmark runs), with the current venv's versions
    of its dependencies. Editable, from the exported tree, as the dev venv installs it
    (before 5466d62, pyproject.toml listed only the top-level packages, and a regular
    install of those commits lacks the subpackages).
    """
    if rev.startswith("-"):
        raise BenchmarkError(f"--monops-rev {rev!r}: not a revision")
    sha = git(REPO, "rev-parse", "--verify", f"{rev}^{{commit}}")
    source, venv = work / "monops-src", work / "monops-venv"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", sha],
                             capture_output=True)
    if archive.returncode:
        raise BenchmarkError(f"git archive {sha} failed: {archive.stderr.decode()[-500:]}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(source, filter="data")
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
                            capture_output=True, text=True).stdout
    constraints = work / "constraints.txt"
    constraints.write_text("".join(line + "\n" for line in frozen.splitlines() if "==" in line))
    for cmd in ([sys.executable, "-m", "venv", str(venv)],
                [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                 "-c", str(constraints), "--editable", str(source)]):
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            raise BenchmarkError(f"installing monops {sha[:12]} failed: {' '.join(cmd)}\n"
                                 f"{_tail(done.stderr, 15)}")
    return [str(venv / "bin" / "monops")], f"commit {sha[:12]} ({rev}), installed from git " \
        "objects into a separate venv"


def install_check_jsonschema(work: Path) -> tuple[list[str] | None, str]:
    """check-jsonschema in a venv of its own, or None and why it could not be installed."""
    venv = work / "check-jsonschema-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                       capture_output=True, text=True, timeout=300)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-"
                        "version-check", "check-jsonschema"], check=True, capture_output=True,
                       text=True, timeout=900)
        version = subprocess.run([str(venv / "bin" / "check-jsonschema"), "--version"],
                                 check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        return None, f"could not install check-jsonschema: {_tail(str(detail), 5)}"
    return [str(venv / "bin" / "check-jsonschema")], version


# --- row a: the parse baseline --------------------------------------------------------

BASELINE = textwrap.dedent('''
    import json, sys, time
    from pathlib import Path
    import yaml
    root = Path(sys.argv[1])
    files = [root / line for line in Path(sys.argv[2]).read_text().splitlines()]
    start = time.perf_counter()
    documents = 0
    for path in files:
        with open(path, "rb") as handle:
            documents += len(list(yaml.load_all(handle, Loader=yaml.CSafeLoader)))
    parse = time.perf_counter() - start
    print(json.dumps({"files": len(files), "documents": documents, "parse_seconds": parse}))
''')


def catalog_files(root: Path) -> list[str]:
    """The files monops reads: monops.yaml and every *.yaml/*.yml under the configured paths."""
    import yaml  # the harness needs PyYAML anyway (row a)

    config = yaml.safe_load((root / "monops.yaml").read_text()) or {}
    found = {"monops.yaml"}
    for folder in config.get("paths", ["catalog", "pricing", "scenarios", "rules"]):
        for path in (root / folder).rglob("*"):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


# --- the rounds -------------------------------------------------------------------------

@dataclass
class Result:
    key: str
    label: str
    command: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    documents: int = 0

    @property
    def median(self) -> float:
        values = [s.parse_seconds if s.parse_seconds is not None else s.seconds
                  for s in self.samples]
        return statistics.median(values)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def load(self) -> float:
        return statistics.median(s.load for s in self.samples)

    @property
    def others(self) -> float:
        return statistics.median(s.others for s in self.samples)

    @property
    def max_rss_mib(self) -> float:
        return max(s.max_rss_kib for s in self.samples) / 1024

    @property
    def tree_rss_mib(self) -> float:
        return max(s.tree_rss_kib for s in self.samples) / 1024


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def timing(label: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    say(f"    {label}: {time.perf_counter() - start:.1f} s")


def measure(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """``rounds`` timed runs of row ``key`` (and the untimed runs it needs before each)."""
    row = BY_KEY[key]
    root = str(bench.root)
    if key == "a":
        listing = bench.work / "files.txt"
        listing.write_text("\n".join(files) + "\n")
        cmd = [sys.executable, "-c", BASELINE, root, str(listing)]
        result = Result(key, row.label, "python -c '<yaml.load_all CSafeLoader over "
                        f"{len(files)} files>'")
        for _ in range(rounds):
            done = run(cmd, cwd=bench.root, env=os.environ, what="the yaml baseline")
            report = json.loads(done.stdout)
            done.sample.parse_seconds = report["parse_seconds"]
            result.samples.append(done.sample)
            result.documents = report["documents"]
            result.note = (f"{report['files']} files, {report['documents']} documents; "
                           "median of the in-process parse time (no interpreter start-up); "
                           "wall times incl. start-up in samples")
        return result
    lint_args = ["lint", "--root", root, "--today", TODAY]
    monops = " ".join(Path(bench.monops[0]).name if i == 0 else part
                      for i, part in enumerate(bench.monops))
    if key in ("b", "b2"):
        extra = ["--no-cache"] if key == "b" and bench.no_cache else []
        result = Result(key, row.label, f"{monops} {' '.join(lint_args + extra)}")
        if key == "b" and not bench.no_cache:
            result.note = "monops lint has no --no-cache: an empty cache directory every round"
        for _ in range(rounds):
            result.samples.append(bench.lint(bench.fresh_cache(), *extra).sample)
        return result
    if key == "c":
        result = Result(key, row.label, f"{monops} {' '.join(lint_args)}")
        cache = bench.fresh_cache()
        bench.lint(cache, what="monops lint (filling the cache)", timed=False)
        result.note = cache_note(bench, cache)
        for _ in range(rounds):
            result.samples.append(bench.lint(cache).sample)
        return result
    if key == "d":
        result = Result(key, row.label, f"{monops} {' '.join(lint_args)}",
                        note="each round: empty cache, lint of commit 1 (untimed), checkout "
                        "of commit 2, timed lint")
        try:
            for _ in range(rounds):
                cache = bench.fresh_cache()
                bench.checkout(bench.base_sha)
                bench.lint(cache, what="monops lint of commit 1 (filling the cache)",
                           timed=False)
                bench.checkout(bench.head_sha)
                result.samples.append(bench.lint(cache).sample)
        finally:
            bench.checkout(bench.head_sha)
        return result
    if key in ("e", "e0", "f", "f2", "f0"):
        if key.startswith("e"):
            args = ["render", "--root", root, "--format", "json"]
        else:
            args = ["diff", "HEAD~1", "HEAD", "--root", root, "--today", TODAY]
        result = Result(key, row.label, f"{monops} {' '.join(args)}")
        fill = key in ("e", "f2")  # one cache, filled once, for every round
        if fill:
            cache = bench.fresh_cache()
            bench.lint(cache, what="monops lint (filling the cache)", timed=False)
            result.note = "after a `monops lint` of the same tree filled the cache"
        if key == "f2":
            bench.monops_run(args, cache, "monops diff (filling the cache)", timed=False)
            result.note = "after a `monops lint` and a `monops diff` filled the cache"
        if key == "f":
            result.note = "each round: empty cache, `monops lint` of the head (untimed), diff"
        invoices = -1
        for _ in range(rounds):
            if key == "f":
                cache = bench.fresh_cache()
                bench.lint(cache, what="monops lint (filling the cache)", timed=False)
            elif not fill:
                cache = bench.fresh_cache()
            done = bench.monops_run(args, cache, f"monops {args[0]}")
            if args[0] == "render":
                invoices = len(json.loads(done.stdout).get("invoices", []))
            result.samples.append(done.sample)
        if invoices >= 0:
            result.note = "; ".join(filter(None, [result.note, f"{invoices} invoices"]))
        return result
    if key == "g":
        products = [f for f in files if f.startswith("catalog/products/")]
        result = Result(key, row.label, "check-jsonschema --schemafile product.schema.json "
                        f"catalog/products/**/*.yaml ({len(products)} files)")
        if bench.cjs is None:
            result.note = bench.cjs_note
            return result
        schema = bench.work / "product.schema.json"
        schema.write_text(bench.monops_run(["schema", "product"], bench.fresh_cache(),
                                           "monops schema product", timed=False).stdout)
        batches = _batches(products)
        result.note = f"{bench.cjs_note}; {len(products)} files in {len(batches)} command(s)"
        for _ in range(rounds):
            parts = [run([*bench.cjs, "--schemafile", str(schema), *batch], cwd=bench.root,
                         env=os.environ, what="check-jsonschema").sample for batch in batches]
            result.samples.append(Sample(sum(p.seconds for p in parts),
                                         max(p.max_rss_kib for p in parts),
                                         max(p.tree_rss_kib for p in parts),
                                         sum(p.cpu_seconds for p in parts), parts[0].load,
                                         statistics.mean(p.others for p in parts),
                                         sum(p.waited for p in parts)))
        return result
    if key == "h":
        result = Result(key, row.label, f"{monops} --help")
        for _ in range(rounds):
            result.samples.append(bench.monops_run(["--help"], bench.fresh_cache(),
                                                   "monops --help").sample)
        return result
    raise BenchmarkError(f"unknown row {key}")


def cache_note(bench: Bench, cache: Path) -> str:
    """Where the filling run left its cache: proof that warm runs can find it."""
    written = [p for p in cache.rglob("*") if p.is_file()]
    if written:
        size = sum(p.stat().st_size for p in written)
        return f"cache filled: {len(written)} files, {size / MiB:.1f} MiB under the cache dir"
    if (bench.root / ".monops-cache").exists():
        return "cache filled: .monops-cache/ in the catalog"
    return "no cache written (monops has none, or ignores MONOPS_CACHE_DIR/XDG_CACHE_HOME)"


def _batches(paths: list[str]) -> list[list[str]]:
    """Split a command line that would not fit in ARG_MAX (with room for the environment)."""
    budget = max(os.sysconf("SC_ARG_MAX") // 2 - sum(len(k) + len(v) + 2
                                                      for k, v in os.environ.items()), 65536)
    batches: list[list[str]] = [[]]
    used = 0
    for path in paths:
        if used + len(path) + 9 > budget and batches[-1]:
            batches.append([])
            used = 0
        batches[-1].append(path)
        used += len(path) + 9  # the pointer and the terminating NUL
    return batches


# --- one size ---------------------------------------------------------------------------

@dataclass
class SizeReport:
    n: int
    files: int
    bytes: int
    products: int
    documents: int
    changed_files: int
    rounds: int
    results: dict[str, Result]
    findings_note: str
    seconds_total: float


def prepare(n: int, work: Path, monops: list[str], cjs: list[str] | None,
            cjs_note: str) -> tuple[Bench, int]:
    root = work / "catalog"
    generate = [sys.executable, str(HERE / "generate.py")]
    with timing(f"generate N={n}"):
        run([*generate, str(n), str(root)], cwd=work, env=os.environ, what="generate.py",
            timed=False)
    with timing("git commit 1"):
        git(root, "init", "-q")
        git(root, "symbolic-ref", "HEAD", "refs/heads/bench")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"synthetic catalog, N={n}")
    base = git(root, "rev-parse", "HEAD")
    run([*generate, str(n), str(root), "--change-percent", "1", "--seed", "2"], cwd=work,
        env=os.environ, what="generate.py --change-percent 1", timed=False)
    changed = len(git(root, "status", "--porcelain").splitlines())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "raise prices on 1 % of the catalog from 2027-04-01")
    head = git(root, "rev-parse", "HEAD")
    probe = run([*monops, "lint", "--help"], cwd=root, env=os.environ, what="monops lint --help",
                timed=False)
    bench = Bench(root, work, monops, base, head, "--no-cache" in probe.stdout, cjs, cjs_note)
    return bench, changed


def check_clean(bench: Bench) -> str:
    """Lint once (untimed; it also warms the page cache and bytecode) and say what it found."""
    done = bench.monops_run(["lint", "--root", str(bench.root), "--today", TODAY, "--format",
                             "json", "--fail-on", "error"], bench.fresh_cache(),
                            "monops lint (is the generated catalog clean?)", timed=False)
    findings = json.loads(done.stdout).get("findings", [])
    if not findings:
        return "lint-clean: no findings"
    rules: dict[str, int] = {}
    for finding in findings:
        rules[finding["rule"]] = rules.get(finding["rule"], 0) + 1
    listed = ", ".join(f"{rule} x{count}" for rule, count in sorted(rules.items()))
    say(f"    WARNING: the generated catalog has findings below error: {listed}")
    return f"findings below error: {listed}"


def bench_size(n: int, rounds: int, work: Path, keys: list[str], monops: list[str],
               cjs: list[str] | None, cjs_note: str) -> SizeReport:
    started = time.perf_counter()
    bench, changed = prepare(n, work, monops, cjs, cjs_note)
    files = catalog_files(bench.root)
    size = sum((bench.root / f).stat().st_size for f in files)
    products = sum(1 for f in files if f.startswith("catalog/products/"))
    note = check_clean(bench)
    bench.monops_run(["--help"], bench.fresh_cache(), "monops --help", timed=False)
    results: dict[str, Result] = {}
    for key in keys:
        if key == "b2" and not bench.no_cache:
            continue
        with timing(f"{key} x{rounds}"):
            results[key] = measure(bench, key, rounds, files)
    documents = results["a"].documents if "a" in results else 0
    return SizeReport(n, len(files), size, products, documents, changed, rounds, results, note,
                      time.perf_counter() - started)


# --- verdicts ---------------------------------------------------------------------------

def ratio(report: SizeReport, key: str) -> float | None:
    base = report.results.get("a")
    result = report.results.get(key)
    if base is None or result is None or not result.samples:
        return None
    return result.median / base.median


def verdict(report: SizeReport, row: Row) -> tuple[str, str]:
    """(target, met / NOT met / '') of a row at this size."""
    result = report.results[row.key]
    if not result.samples:
        return "", ""
    texts: list[str] = []
    statuses: list[str] = []
    target = row.target
    value = None
    if target is not None:
        value = ratio(report, row.key) if target.kind == "ratio" else result.median
    if target is not None and value is not None:
        texts.append(target.text)
        statuses.append("met" if value <= target.limit else "NOT met")
    rss = rss_verdict(report, row)
    if rss:
        texts.append("RSS <= 1 GiB")
        statuses.append(f"RSS {rss}")
    return "; ".join(texts), "; ".join(statuses)


def rss_verdict(report: SizeReport, row: Row) -> str:
    result = report.results[row.key]
    if not (row.monops and report.n >= RSS_SIZE and result.samples):
        return ""
    return "met" if result.tree_rss_mib * MiB <= GiB else "NOT met"


def growth(reports: list[SizeReport]) -> list[dict[str, Any]]:
    """The largest size's ratios against the 10,000 row's (linear: at most 20 % worse)."""
    by_n = {r.n: r for r in reports}
    small = by_n.get(10_000)
    large = max((r for r in reports if r.n > 10_000), key=lambda r: r.n, default=None)
    if small is None or large is None:
        return []
    rows = []
    for row in ROWS:
        if row.key == "a" or not row.monops or row.key == "h":
            continue
        before, after = ratio(small, row.key), ratio(large, row.key)
        if before is None or after is None:
            continue
        change = after / before
        rows.append({"key": row.key, "label": row.label, "n_small": small.n, "n_large": large.n,
                     "ratio_small": before, "ratio_large": after, "growth": change,
                     "target": "<= 1.20x", "status": "met" if change <= GROWTH_LIMIT
                     else "NOT met"})
    return rows


# --- output -----------------------------------------------------------------------------

def table(reports: list[SizeReport], markdown: bool) -> str:
    head = ["what", "N", "median s", "x (a)", "cpu s", "peak RSS MiB", "tree MiB", "busy",
            "rounds", "target", "status"]
    lines: list[list[str]] = []
    for report in reports:
        for key, result in report.results.items():
            row = BY_KEY[key]
            if not result.samples:
                lines.append([row.label, f"{report.n:,}", "-", "-", "-", "-", "-", "-", "0",
                              "", result.note])
                continue
            value = ratio(report, key)
            target, status = verdict(report, row)
            lines.append([row.label, f"{report.n:,}", f"{result.median:.3f}",
                          f"{value:.2f}" if value is not None else "-", f"{result.cpu:.2f}",
                          f"{result.max_rss_mib:.0f}", f"{result.tree_rss_mib:.0f}",
                          f"{result.others:.1f}", str(len(result.samples)), target, status])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        out += ["| " + " | ".join(cells) + " |" for cells in lines]
        return "\n".join(out)
    widths = [max(len(h), *(len(c[i]) for c in lines)) if lines else len(h)
              for i, h in enumerate(head)]
    rendered = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    rendered.append("  ".join("-" * w for w in widths))
    rendered += ["  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
                 for cells in lines]
    return "\n".join(rendered)


def growth_table(rows: list[dict[str, Any]], markdown: bool) -> str:
    if not rows:
        return "(growth check: needs N = 10,000 and a larger N in the same run)"
    head = ["what", "x (a) at small", "x (a) at large", "growth", "target", "status"]
    cells = [[r["label"], f"{r['ratio_small']:.2f} (N={r['n_small']:,})",
              f"{r['ratio_large']:.2f} (N={r['n_large']:,})", f"{r['growth']:.2f}x",
              r["target"], r["status"]] for r in rows]
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        return "\n".join(out + ["| " + " | ".join(c) + " |" for c in cells])
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    return "\n".join(out + ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True))
                            for cell in cells])


def machine(monops: list[str], source: str) -> dict[str, Any]:
    import yaml

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    version = subprocess.run([*monops, "--version"], capture_output=True,
                             text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "usable_cores": usable,
            "memory_gib": round(memory / GiB, 1), "python": platform.python_version(),
            "platform": platform.platform(), "pyyaml": yaml.__version__,
            "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
            "monops": version, "monops_source": source, "monops_command": monops,
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def to_json(reports: list[SizeReport], info: dict[str, Any], argv: list[str]) -> dict[str, Any]:
    sizes = []
    for report in reports:
        rows = {}
        for key, result in report.results.items():
            target, status = verdict(report, BY_KEY[key])
            rows[key] = {
                "label": result.label, "command": result.command, "note": result.note,
                "samples": [asdict(s) for s in result.samples],
                "median_seconds": result.median if result.samples else None,
                "median_cpu_seconds": result.cpu if result.samples else None,
                "median_load": result.load if result.samples else None,
                "median_busy": result.others if result.samples else None,
                "waited_seconds": sum(s.waited for s in result.samples),
                "ratio_to_a": ratio(report, key),
                "max_rss_mib": result.max_rss_mib if result.samples else None,
                "tree_rss_mib": result.tree_rss_mib if result.samples else None,
                "target": target, "status": status,
                "rss_status": rss_verdict(report, BY_KEY[key]),
            }
        sizes.append({"n": report.n, "files": report.files, "bytes": report.bytes,
                      "product_files": report.products, "documents": report.documents,
                      "changed_files": report.changed_files, "rounds": report.rounds,
                      "lint": report.findings_note, "seconds_total": report.seconds_total,
                      "rows": rows})
    return {"version": 1, "command": argv, "machine": info, "today": TODAY, "sizes": sizes,
            "growth": growth(reports)}


# --- command line -------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="rows: " + ", ".join(f"{r.key} ({r.label.split('. ', 1)[1]})" for r in ROWS))
    parser.add_argument("--sizes", default="1000,10000,50000",
                        help="catalog sizes N, comma-separated (default 1000,10000,50000)")
    parser.add_argument("--rounds", default="5", help="timed rounds per row: one number, or "
                        "one per size (e.g. 5,5,3); the median is reported (default 5)")
    parser.add_argument("--only", default="", help="rows to run, e.g. a,b,c (a always runs: "
                        "it is the baseline)")
    parser.add_argument("--out", type=Path, default=None, help="write the raw numbers as JSON")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="write the tables as Markdown (for BENCHMARKS.md)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where to generate catalogs (default: a new temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the generated catalogs")
    parser.add_argument("--monops-rev", default=None, metavar="REV",
                        help="benchmark monops as committed at git revision REV of this "
                        "checkout, installed into a separate venv (default: the monops of "
                        "the current venv, i.e. the working tree)")
    parser.add_argument("--quiet", type=float, default=None, metavar="TASKS",
                        help="before each timed run, wait until fewer than TASKS other tasks "
                        "want a CPU (averaged over 1 s), for at most --quiet-wait seconds")
    parser.add_argument("--quiet-wait", type=float, default=120, metavar="S",
                        help="longest wait for --quiet, per timed run (default 120)")
    parser.add_argument("--check-jsonschema", default=None, metavar="EXE",
                        help="use this check-jsonschema instead of installing one from PyPI")
    args = parser.parse_args(argv)
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        counts = [int(r) for r in args.rounds.split(",") if r.strip()]
    except ValueError:
        parser.error("--sizes and --rounds take comma-separated whole numbers")
    if len(counts) == 1:
        counts *= len(args.size_list)
    if len(counts) != len(args.size_list) or min(counts) < 1 or min(args.size_list) < 50:
        parser.error("--rounds: one number >= 1, or one per size; sizes >= 50")
    args.round_list = counts
    keys = [k.strip() for k in args.only.split(",") if k.strip()] or [r.key for r in ROWS]
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown:
        parser.error(f"--only: unknown row(s) {', '.join(unknown)}; rows are "
                     f"{', '.join(BY_KEY)}")
    args.keys = ["a", *[k for k in BY_KEY if k in keys and k != "a"]]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import yaml

        if not hasattr(yaml, "CSafeLoader"):
            raise BenchmarkError("PyYAML has no CSafeLoader (built without libyaml): the "
                                 "baseline would not be the C loader")
    except ImportError as exc:
        raise SystemExit(f"run.py: {exc}") from exc
    if args.quiet is not None:
        QUIET.update(below=args.quiet, wait=args.quiet_wait)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="monops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reports: list[SizeReport] = []
    try:
        if args.monops_rev:
            with timing(f"install monops {args.monops_rev} into its own venv"):
                monops, source = install_snapshot(args.monops_rev, work)
        else:
            monops, source = monops_command(), working_tree_source()
        info = machine(monops, source)
        say(f"{info['monops']}: {source}; {info['cpu']}, {info['usable_cores']} cores; "
            f"Python {info['python']}; PyYAML {info['pyyaml']} (libyaml: {info['libyaml']}); "
            f"work in {work}")
        cjs: list[str] | None = None
        cjs_note = ""
        if "g" in args.keys:
            if args.check_jsonschema:
                cjs = [args.check_jsonschema]
                cjs_note = "check-jsonschema " + args.check_jsonschema
            else:
                with timing("pip install check-jsonschema (into its own venv)"):
                    cjs, cjs_note = install_check_jsonschema(work)
            say(f"    {cjs_note}")
        for n, rounds in zip(args.size_list, args.round_list, strict=True):
            say(f"N = {n:,}, {rounds} rounds")
            folder = work / f"n{n}"
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            reports.append(bench_size(n, rounds, folder, args.keys, monops, cjs, cjs_note))
            say(table(reports[-1:], markdown=False))
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    except BenchmarkError as exc:
        print(f"run.py: {exc}", file=sys.stderr)
        return 2
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(reports, markdown=False))
    print()
    print("Growth (ratio to (a) at the largest N over N = 10,000):")
    print(growth_table(growth(reports), markdown=False))
    document = to_json(reports, info, sys.argv if argv is None else list(argv))
    if args.out:
        args.out.write_text(json.dumps(document, indent=2) + "\n")
        say(f"raw numbers: {args.out}")
    if args.markdown:
        args.markdown.write_text(table(reports, markdown=True) + "\n\n" +
                                 growth_table(growth(reports), markdown=True) + "\n")
        say(f"markdown tables: {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
