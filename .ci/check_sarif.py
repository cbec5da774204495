"""CI conformance: `monops lint --format sarif` on a broken copy of the example validates
against the SARIF 2.1.0 reference schema (../shared/reference), with stable rule ids."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jsonschema

REPO = Path(__file__).resolve().parents[1]

# Each edit breaks the example in a way one rule catches (and adds hostile text to messages).
BREAKS = {
    "pricing/storage.yaml": [("amount: {USD: 4.99, EUR: 4.59, JPY: 750}",
                              "amount: {USD: 4.999, EUR: 4.59, JPY: 750.5}")],
    "catalog/channels/web.yaml": [("- plan: storage-free", "- plan: storage-fre")],
    "catalog/products/cloud-storage.yaml": [
        ("name: ", "name: \"::add-mask::x\\n%0A<b>\\u0000\"\nnmae: ")],
}


def main() -> int:
    schema = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "catalog"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(
            ".git", ".venv", "out", "__pycache__", ".*_cache", "tests"))
        for name, edits in BREAKS.items():
            path = root / name
            text = path.read_text(encoding="utf-8")
            for old, new in edits:
                assert old in text, f"{name}: {old!r} not found; update .ci/check_sarif.py"
                text = text.replace(old, new, 1)
            path.write_text(text, encoding="utf-8")
        out = root / "monops.sarif"
        run = subprocess.run(["monops", "lint", "--root", str(root), "--format", "sarif",
                              "--output", str(out), "--today", "2026-11-25"],
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
    expected = {"money-precision", "unknown-reference", "schema"}
    if not expected <= rule_ids:
        print(f"expected findings of {sorted(expected - rule_ids)}", file=sys.stderr)
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
