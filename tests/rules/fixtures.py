"""The rule fixture files, tests/rules/cases/<rule-id>.yaml: reading and checking their form.

A fixture file names its ``rule`` and lists its ``cases``. A custom rule of
the example catalog (``aurora/...``) has its file in a folder of that
name: ``cases/aurora/retail-prices-include-tax.yaml``.

A case is one of two kinds:

* a catalog of its own: ``files`` (path -> text), ``raw_files`` (path ->
  text whose characters are taken as bytes, for broken encodings) and an
  optional ``config`` (monops.yaml's text);
* ``base: example``: a copy of the example catalog at the repository's
  top (monops.yaml included) with ``edits``, a list of ``{path, old,
  new}`` text edits (``old: null`` writes a new file), see
  ``tests/rules/example_twin.py``.

Either kind has ``name``, ``expect`` (the rule's findings: ``{path, line,
column}`` and optionally ``message`` and ``hint``, substrings), and may
have ``today`` (the lint date) and ``severity`` (the severity of every
finding of the rule in that case). A key outside these is a mistake in the
fixture, and reading it fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent / "cases"
"""The folder of the fixture files."""

EXAMPLE_BASE = "example"
"""The one ``base`` a case can name: the example catalog at the repository's top."""

_OWN_CATALOG_KEYS = {"files", "raw_files", "config"}
_COMMON_KEYS = {"name", "expect", "today", "severity"}
_EXPECT_KEYS = {"path", "line", "column", "message", "hint"}
_EDIT_KEYS = {"path", "old", "new"}
_SEVERITIES = {"error", "warning", "info"}


class FixtureError(ValueError):
    """A fixture file or case not in the form the module docstring describes."""


@dataclass(frozen=True)
class RuleCase:
    """One case of a fixture file: the rule whose findings it checks, and the case as read."""

    fixture: str
    """The fixture's rule id as its path says (``aurora/retail-prices-include-tax``)."""
    rule: str
    """The rule whose findings are compared (the file's ``rule``)."""
    data: dict[str, Any]

    @property
    def name(self) -> str:
        """The case's name: its story."""
        return str(self.data["name"])

    @property
    def on_example(self) -> bool:
        """Whether the case edits a copy of the example catalog (``base: example``)."""
        return self.data.get("base") == EXAMPLE_BASE


def read_fixtures(folder: Path = CASES) -> dict[str, list[RuleCase]]:
    """Every fixture file under ``folder``, by the rule id its path names, each case checked."""
    fixtures: dict[str, list[RuleCase]] = {}
    for path in sorted(folder.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        where = path.relative_to(folder).as_posix()
        if not isinstance(data, dict) or set(data) != {"rule", "cases"} \
                or not isinstance(data["cases"], list):
            raise FixtureError(f"{where}: expected exactly `rule` and a list of `cases`")
        fid = path.relative_to(folder).with_suffix("").as_posix()  # the rule id it names
        cases = []
        for case in data["cases"]:
            check_case(case, where)
            cases.append(RuleCase(fid, str(data["rule"]), case))
        fixtures[fid] = cases
    return fixtures


def check_case(case: Any, where: str) -> None:
    """Raise ``FixtureError`` unless ``case`` has the form the module docstring describes."""
    if not isinstance(case, dict) or "name" not in case or "expect" not in case:
        raise FixtureError(f"{where}: every case needs a `name` and an `expect`")
    label = f"{where}: case {case['name']!r}"
    allowed = _COMMON_KEYS | ({"base", "edits"} if "base" in case else _OWN_CATALOG_KEYS)
    if set(case) - allowed:
        raise FixtureError(f"{label}: unknown or misplaced keys {sorted(set(case) - allowed)}")
    if "base" in case:
        if case["base"] != EXAMPLE_BASE:
            raise FixtureError(f"{label}: `base` can only be {EXAMPLE_BASE!r}")
        edits = case.get("edits")
        if not isinstance(edits, list) or not all(
                isinstance(e, dict) and set(e) == _EDIT_KEYS and isinstance(e["path"], str)
                and isinstance(e["old"], str | None) and isinstance(e["new"], str)
                for e in edits):
            raise FixtureError(f"{label}: `edits` is a list of {{path, old, new}} "
                               "(text; `old: null` for a new file)")
    if not isinstance(case["expect"], list) or not all(
            isinstance(e, dict) and {"path", "line", "column"} <= set(e) <= _EXPECT_KEYS
            for e in case["expect"]):
        raise FixtureError(f"{label}: `expect` is a list of {{path, line, column}} "
                           "with optional `message` and `hint`")
    if "severity" in case and case["severity"] not in _SEVERITIES:
        raise FixtureError(f"{label}: `severity` is one of {sorted(_SEVERITIES)}")
