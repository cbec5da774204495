"""The catalog under test: generated into a git repository with two commits (the catalog,
then the 1 % price rise), and how monops runs in it with a cache of its own."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.catalog.dates import CHANGE_DAY
from benchmarks.catalog.dates import TODAY as CATALOG_TODAY
from benchmarks.timing.commands import Done, git, run
from benchmarks.timing.progress import say, timing

TODAY = CATALOG_TODAY.isoformat()
"""The ``--today`` of every monops command: the day the catalog is built for."""
GENERATE = Path(__file__).resolve().parents[1] / "generate.py"


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
        """This process's environment with every monops cache pointing into ``cache``."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("GITHUB_ACTIONS", "MONOPS_CACHE_DIR", "XDG_CACHE_HOME")}
        env["MONOPS_CACHE_DIR"] = str(cache / "monops")
        env["XDG_CACHE_HOME"] = str(cache)
        return env

    def monops_run(self, args: Sequence[str], cache: Path, what: str,
                   timed: bool = True) -> Done:
        """``monops args`` in the catalog, with ``cache``."""
        return run([*self.monops, *args], cwd=self.root, env=self.env(cache), what=what,
                   timed=timed)

    def lint_args(self) -> list[str]:
        """The arguments of ``monops lint`` of the catalog."""
        return ["lint", "--root", str(self.root), "--today", TODAY]

    def lint(self, cache: Path, *extra: str, what: str = "monops lint",
             timed: bool = True) -> Done:
        """``monops lint`` of the catalog (plus ``extra``), with ``cache``."""
        return self.monops_run([*self.lint_args(), *extra], cache, what, timed)

    def shown(self, args: Sequence[str]) -> str:
        """``monops args`` as the report shows it (the program's name, not its path)."""
        monops = " ".join(Path(self.monops[0]).name if i == 0 else part
                          for i, part in enumerate(self.monops))
        return f"{monops} {' '.join(args)}"

    def checkout(self, sha: str) -> None:
        """Check out commit ``sha`` of the catalog."""
        git(self.root, "checkout", "-q", "--detach", sha)


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


def prepare(n: int, work: Path, monops: list[str], cjs: list[str] | None,
            cjs_note: str) -> tuple[Bench, int]:
    """Generate the catalog of size ``n`` and commit it twice; (the bench, files changed)."""
    root = work / "catalog"
    generate = [sys.executable, str(GENERATE)]
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
    git(root, "commit", "-q", "-m", f"raise prices on 1 % of the catalog from {CHANGE_DAY}")
    head = git(root, "rev-parse", "HEAD")
    probe = run([*monops, "lint", "--help"], cwd=root, env=os.environ, what="monops lint --help",
                timed=False)
    bench = Bench(root, work, monops, base, head, "--no-cache" in probe.stdout, cjs, cjs_note)
    return bench, changed


def check_clean(bench: Bench) -> str:
    """Lint once (untimed; it also warms the page cache and bytecode) and say what it found."""
    done = bench.lint(bench.fresh_cache(), "--format", "json", "--fail-on", "error",
                      what="monops lint (is the generated catalog clean?)", timed=False)
    findings = json.loads(done.stdout).get("findings", [])
    if not findings:
        return "lint-clean: no findings"
    rules: dict[str, int] = {}
    for finding in findings:
        rules[finding["rule"]] = rules.get(finding["rule"], 0) + 1
    listed = ", ".join(f"{rule} x{count}" for rule, count in sorted(rules.items()))
    say(f"    WARNING: the generated catalog has findings below error: {listed}")
    return f"findings below error: {listed}"

