"""Atheris harness: arbitrary bytes as one file of a copy of the example catalog, through
the real CLI (in-process): ``lint`` in every format, ``render`` in every format and
``quote``.

    pip install atheris
    python fuzz/fuzz_cli.py -max_total_time=600 [CORPUS_DIR ...] [libFuzzer flags]

The first input byte picks the file the rest replaces (an example catalog file, a new
file, ``monops.yaml``, a custom rule or an invoice template), the second the command.
A crash is any outcome other than exit 0/1 with findings, or exit 2 with exactly one
line on stderr starting ``monops: error:`` - a traceback, an "internal error", an exit
2 without its line, or a lint report that does not parse.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from common import ROOT as EXAMPLE
from common import fuzz

from tests.hardening.checks import run_in_process

WORK = Path(tempfile.mkdtemp(prefix="monops-fuzz-cli-"))
CATALOG = WORK / "catalog-root"
os.environ["MONOPS_CACHE_DIR"] = str(WORK / "cache")
os.environ.pop("GITHUB_ACTIONS", None)

shutil.copytree(EXAMPLE, CATALOG, ignore=lambda folder, names: [
    n for n in names if Path(folder) == EXAMPLE and n not in (
        "monops.yaml", "catalog", "pricing", "scenarios", "rules")])
(CATALOG / "monops.yaml").write_text(
    (EXAMPLE / "monops.yaml").read_text(encoding="utf-8") + "templates: templates/\n",
    encoding="utf-8")
(CATALOG / "templates").mkdir()

TARGETS = sorted(p.relative_to(CATALOG).as_posix() for p in CATALOG.rglob("*.yaml")) + [
    "catalog/products/fuzz.yaml", "rules/fuzz.yaml",
    "templates/invoice.md.j2", "templates/invoice.html.j2", "templates/invoice.txt.j2",
]
COMMANDS = (
    ["lint", "--no-cache", "--format", "text"], ["lint", "--no-cache", "--format", "json"],
    ["lint", "--no-cache", "--format", "sarif"],
    ["lint", "--no-cache", "--format", "github"],
    ["lint", "--no-cache", "--format", "junit"],
    ["render", "--format", "md"], ["render", "--format", "html"],
    ["render", "--format", "txt"], ["render", "--format", "json"],
    ["quote", "storage-plus", "--usage", "storage=1500", "--json"],
    ["quote", "payments-standard", "--usage", "card=10.00,1000.00", "--currency", "EUR"],
    ["quote", "fiber-500-monthly", "--channel", "retail", "--on", "2027-03-01"],
    # {arg}: the input's first line, so that command-line values are fuzzed too
    ["quote", "storage-plus", "--quantity", "{arg}"],
    ["quote", "payments-standard", "--usage", "card={arg}", "--json"],
    ["quote", "mobile-unlimited", "--usage", "{arg}"],
)
DATED = ("lint", "quote")


def check(argv: list[str], code: int, out: str, err: str) -> None:
    """Findings (exit 0/1, a report that parses) or exit 2 with one line: nothing else."""
    where = f"monops {' '.join(argv)}"
    if "Traceback" in out + err or "internal error" in err:
        raise AssertionError(f"{where}: exit {code}\n{err}")
    if code == 2:
        lines = err.splitlines()
        if len(lines) != 1 or not lines[0].startswith("monops: error: "):
            raise AssertionError(f"{where}: exit 2 without one error line: {err!r}")
        return
    if code not in ((0, 1) if argv[0] == "lint" else (0,)):
        raise AssertionError(f"{where}: exit {code}\n{err}")
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else (
        "json" if "--json" in argv else "text")
    if fmt in ("json", "sarif"):
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8"))


def test_one_input(data: bytes) -> None:
    """One input: [target byte][command byte] then the file's bytes (for a command with an
    ``{arg}``, its first line is that argument)."""
    if len(data) < 2:
        return
    target = CATALOG / TARGETS[data[0] % len(TARGETS)]
    argv = [*COMMANDS[data[1] % len(COMMANDS)], "--root", str(CATALOG)]
    content = data[2:]
    if "{arg}" in " ".join(argv):
        first, _, content = content.partition(b"\n")
        value = first[:200].decode("utf-8", "replace").replace("\x00", "")
        argv = [a.replace("{arg}", value) for a in argv]
    if argv[0] in DATED:
        argv += ["--today", "2026-11-25"]
    original = target.read_bytes() if target.exists() else None
    target.write_bytes(content)
    try:
        check(argv, *run_in_process(argv))
    finally:
        if original is None:
            target.unlink()
        else:
            target.write_bytes(original)


def seed_corpus() -> str:
    """A temporary corpus: each example file with each command byte."""
    folder = Path(tempfile.mkdtemp(prefix="monops-fuzz-cli-corpus-"))
    for index, name in enumerate(TARGETS):
        path = CATALOG / name
        if not path.exists():
            continue
        for choice in range(0, len(COMMANDS), 4):
            (folder / f"seed-{index:03d}-{choice:02d}").write_bytes(
                bytes([index, choice]) + path.read_bytes())
    first = (CATALOG / TARGETS[0]).read_bytes()
    for index, argv in enumerate(COMMANDS):
        if "{arg}" in " ".join(argv):
            for n, value in enumerate((b"12", b"1e30", b"9.99,10.00", b"roaming_gb=5")):
                (folder / f"seed-arg-{index:02d}-{n}").write_bytes(
                    bytes([0, index]) + value + b"\n" + first)
    template = (EXAMPLE / "monops_lint" / "templates" / "invoice.md.j2").read_bytes()
    slot = TARGETS.index("templates/invoice.md.j2")
    (folder / "seed-template").write_bytes(bytes([slot, 5]) + template)
    return str(folder)


def main() -> None:
    """Run libFuzzer with our defaults: a seed corpus and the YAML dictionary."""
    first = (CATALOG / TARGETS[0]).read_bytes()
    fuzz(test_one_input, seed_corpus,
         (bytes([0, command]) + first for command in range(len(COMMANDS))))


if __name__ == "__main__":
    main()
