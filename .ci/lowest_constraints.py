"""Print a pip constraints file holding every runtime dependency of monops at its floor.

`pip install -c <this output> '.[test]'` then installs monops' direct dependencies at the
lowest versions pyproject.toml allows (the test tools and indirect dependencies at their
newest), which is what the CI job "lowest" runs the suite against, so that the floors stay
true: a floor the suite fails at is a floor to raise.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

FLOOR = re.compile(r"^\s*([A-Za-z0-9._-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*$")


def constraints(pyproject: Path) -> list[str]:
    """``name==floor`` for every runtime dependency; an error for one without a floor."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    lines = []
    for requirement in project["dependencies"]:
        match = FLOOR.match(requirement)
        if match is None:
            raise SystemExit(f"{requirement!r}: every dependency needs a plain `>=` floor")
        lines.append(f"{match[1]}=={match[2]}")
    return lines


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    print("\n".join(constraints(root / "pyproject.toml")))
