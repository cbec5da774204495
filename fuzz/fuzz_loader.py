"""Atheris harness: arbitrary bytes as one catalog file, through the loader, the rules and
every lint reporter.

    pip install atheris
    python fuzz/fuzz_loader.py -max_total_time=600 [CORPUS_DIR ...] [libFuzzer flags]

Without a corpus folder the harness seeds a temporary one with the example catalog's
files, and it uses ``fuzz/yaml.dict`` unless ``-dict=`` is given. A crash is any
exception, a JSON/SARIF document that does not parse, a JUnit report that is not XML,
or a github-format report whose command lines are not one per finding.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import atheris

from monops_lint.config import Config
from monops_lint.findings import Severity
from monops_lint.lint import lint_catalog
from monops_lint.load import assemble, load_file
from monops_lint.reporters import REPORTERS, Report
from monops_lint.rules import all_rules

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TODAY = dt.date(2026, 11, 25)
CONFIG = Config(root=ROOT)
RULES = all_rules()
# Paths the fuzzed file is tried at: where the rules look differs by folder only through
# messages, but a path with odd characters exercises the reporters' escaping.
PATHS = ("pricing/fuzz.yaml", "catalog/a b/%0A::x,y=z.yaml")


def check_reports(report: Report) -> None:
    """Every reporter renders; the machine-readable ones parse."""
    count = len(report.result.findings)
    for name, reporter in REPORTERS.items():
        text = reporter().render(report)
        if name in ("json", "sarif"):
            json.loads(text)
        elif name == "junit":
            ET.fromstring(text.encode("utf-8"))
        elif name == "github":
            # The runner splits its log on CR and LF only (not NEL or U+2028).
            if "\r" in text:
                raise AssertionError(f"github: a raw CR in the report:\n{text!r}")
            commands = [line for line in text.split("\n") if line.startswith("::")]
            if len(commands) != count:
                raise AssertionError(f"github: {len(commands)} command lines for {count} "
                                     f"findings:\n{text}")


def test_one_input(data: bytes) -> None:
    """One fuzz input: the catalog file's bytes (the first byte picks the path)."""
    path = PATHS[data[0] % len(PATHS)] if data else PATHS[0]
    result = load_file(path, data[1:], CONFIG.max_file_bytes)
    catalog = assemble([result])
    linted = lint_catalog(catalog, CONFIG, TODAY)
    for finding in linted.findings:
        if finding.location.line < 1 or finding.location.column < 1:
            raise AssertionError(f"finding without a location: {finding}")
    check_reports(Report(linted, RULES, Severity.ERROR, "", False))


def seed_corpus() -> str:
    """A temporary corpus of the example catalog's files (a leading path byte each)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="monops-fuzz-loader-"))
    for index, file in enumerate(sorted(ROOT.glob("[cprs]*/**/*.yaml"))):
        (folder / f"seed-{index:03d}").write_bytes(b"\0" + file.read_bytes())
    return str(folder)


def main() -> None:
    """Run libFuzzer with our defaults: a seed corpus and the YAML dictionary."""
    args = list(sys.argv)
    if not any(not a.startswith("-") for a in args[1:]):
        args.append(seed_corpus())
    if not any(a.startswith("-dict=") for a in args[1:]):
        args.append(f"-dict={HERE / 'yaml.dict'}")
    for seed in sorted(ROOT.glob("[cprs]*/**/*.yaml")):
        test_one_input(b"\0" + seed.read_bytes())  # imports every lazily imported module
    atheris.instrument_all()
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
