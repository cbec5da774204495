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

from pathlib import Path

from common import ROOT, fuzz

from tests.hardening.checks import check_loaded

# Paths the fuzzed file is tried at: where the rules look differs by folder only through
# messages, but a path with odd characters exercises the reporters' escaping.
PATHS = ("pricing/fuzz.yaml", "catalog/a b/%0A::x,y=z.yaml")


def test_one_input(data: bytes) -> None:
    """One fuzz input: the catalog file's bytes (the first byte picks the path)."""
    path = PATHS[data[0] % len(PATHS)] if data else PATHS[0]
    check_loaded(data[1:], path)


def seed_corpus() -> str:
    """A temporary corpus of the example catalog's files (a leading path byte each)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="monops-fuzz-loader-"))
    for index, file in enumerate(sorted(ROOT.glob("[cprs]*/**/*.yaml"))):
        (folder / f"seed-{index:03d}").write_bytes(b"\0" + file.read_bytes())
    return str(folder)


def main() -> None:
    """Run libFuzzer with our defaults: a seed corpus and the YAML dictionary."""
    fuzz(test_one_input, seed_corpus,
         (b"\0" + seed.read_bytes() for seed in sorted(ROOT.glob("[cprs]*/**/*.yaml"))))


if __name__ == "__main__":
    main()
