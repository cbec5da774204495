"""CI conformance: `monops export killbill` of the example catalog validates against Kill
Bill's catalog XML Schema (../shared/reference/killbill/catalog.xsd), every IDREF names an
ID, and the reference catalogs beside that schema survive import then export.

Usage: python .ci/check_killbill.py PATH/TO/catalog.xsd"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import xmlschema

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run as a script: make `tests.interchange` importable

from monops_lint.interchange.killbill.idrefs import check_text  # noqa: E402
from tests.interchange.support import parsed, semantics  # noqa: E402

EXAMPLE = ("monops.yaml", "catalog", "pricing", "scenarios", "rules")


def monops(*args: str) -> None:
    run = subprocess.run(["monops", *args], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"monops {' '.join(args)}: exit {run.returncode}\n{run.stderr}")


def check_folder(schema: xmlschema.XMLSchema, folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.xml"))
    if not files:
        raise SystemExit(f"no catalog version written in {folder}")
    for path in files:
        text = path.read_text(encoding="utf-8")
        errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(text)]
        errors += check_text(path.name, text)
        if errors:
            raise SystemExit(f"{path.name}: " + "\n  ".join(errors[:20]))
    return files


def main() -> int:
    xsd = Path(sys.argv[1])
    schema = xmlschema.XMLSchema(str(xsd))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "example"
        root.mkdir()
        for name in EXAMPLE:
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
        with (root / "monops.yaml").open("a", encoding="utf-8") as config:
            config.write("export: {killbill: {default_channel: web, catalog_name: Aurora}}\n")
        monops("export", "killbill", "--root", str(root), "--out", str(root / "killbill"),
               "--report", str(root / "left-out.json"))
        files = check_folder(schema, root / "killbill")
        print(f"example catalog: {len(files)} catalog versions valid against {xsd}")
        for source in sorted(xsd.parent.glob("*.xml")):
            catalog = Path(tmp) / source.stem
            monops("import", "killbill", str(source), "--out", str(catalog))
            monops("export", "killbill", "--root", str(catalog), "--out", str(catalog / "xml"))
            [written] = check_folder(schema, catalog / "xml")
            before = semantics(parsed(source.read_bytes()))
            after = semantics(parsed(written.read_bytes()))
            lost = [key for key in before if before[key] != after[key]]
            if lost:
                raise SystemExit(f"{source.name}: the round trip changed {', '.join(lost)}")
            print(f"{source.name}: import then export keeps it, valid against {xsd.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
