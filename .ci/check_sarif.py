"""CI conformance: `monops lint --format sarif` on a broken copy of the example validates
against the SARIF 2.1.0 reference schema (../shared/reference), with stable rule ids.

The broken copy is the twin of the rule fixtures (tests/rules/example_twin.py), where every
rule fires, with hostile text added to messages."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: make `tests.rules` importable

from tests.rules.example_twin import (  # noqa: E402
    EXAMPLE_CASES,
    TODAY,
    Edit,
    apply_edits,
    build_twin,
)

# Hostile text in a name the schema finding quotes: workflow commands, escapes, a NUL.
HOSTILE = Edit("catalog/products/cloud-storage.yaml", "name: ",
               "name: \"::add-mask::x\\n%0A<b>\\u0000\"\nnmae: ")


def main() -> int:
    schema = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        root = build_twin(Path(tmp) / "catalog", EXAMPLE_CASES)
        apply_edits(root, [HOSTILE])
        out = root / "monops.sarif"
        run = subprocess.run(["monops", "lint", "--root", str(root), "--format", "sarif",
                              "--output", str(out), "--today", TODAY],
                             capture_output=True, text=True, check=False)
        if run.returncode != 1:
            print(f"expected exit 1, got {run.returncode}: {run.stderr}", file=sys.stderr)
            return 1
        log = json.loads(out.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for error in errors[:20]:
        print(f"SARIF invalid at {'/'.join(map(str, error.absolute_path))}: {error.message}",
              file=sys.stderr)
    results = log["runs"][0]["results"]
    rule_ids = {r["ruleId"] for r in results}
    print(f"SARIF: {len(results)} results from rules {', '.join(sorted(rule_ids))}; "
          f"{'valid' if not errors else f'{len(errors)} schema errors'}")
    expected = {case.rule for case in EXAMPLE_CASES}
    if not expected <= rule_ids:
        print(f"expected findings of {sorted(expected - rule_ids)}", file=sys.stderr)
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
