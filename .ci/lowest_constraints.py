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


def _release(version: str) -> tuple[int, ...]:
    """``3.1`` and ``3.1.0`` alike: the numbers of a version, trailing zeros dropped."""
    numbers = [int(part) for part in re.findall(r"\d+", version)]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def check_installed(lines: list[str]) -> int:
    """0 when every dependency is installed at exactly its floor (the job ran at the floors)."""
    from importlib import metadata

    wrong = 0
    for line in lines:
        name, _, floor = line.partition("==")
        installed = metadata.version(name)
        if _release(installed) != _release(floor):
            print(f"{name}: installed {installed}, floor {floor}", file=sys.stderr)
            wrong += 1
    print(f"{len(lines) - wrong} of {len(lines)} dependencies at their floor")
    return 1 if wrong else 0


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--check"]
    root = Path(arguments[0]) if arguments else Path(__file__).resolve().parents[1]
    lines = constraints(root / "pyproject.toml")
    if "--check" in sys.argv:
        sys.exit(check_installed(lines))
    print("\n".join(lines))
