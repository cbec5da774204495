"""Write one broken twin of the example catalog with every mutation applied, for demos.

    python tests/broken/make_twin.py OUT
    monops lint --root OUT --today 2026-11-25    # every rule fires

OUT must not exist yet, or be an empty folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tests.broken` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.broken.mutations import MUTATIONS, TODAY, build_twin


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"make_twin: {out} exists and is not an empty folder", file=sys.stderr)
        return 2
    build_twin(out, MUTATIONS)
    rules = ", ".join(m.rule for m in MUTATIONS)
    print(f"wrote {out}: the example catalog broken {len(MUTATIONS)} ways ({rules})")
    print(f"see them with: monops lint --root {out} --today {TODAY}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
