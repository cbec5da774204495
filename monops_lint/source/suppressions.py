"""``# monops: disable=rule[,rule] -- reason`` comments.

* at the end of a line: suppresses those rules' findings on that line;
* alone on a line: suppresses them on the next line that holds YAML;
* ``# monops: disable-file=rule[,rule]``: suppresses them in the whole file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(
    r"(?:^|(?<=\s))#\s*monops:\s*(?P<what>disable-file|disable)\s*=\s*"
    r"(?P<rules>[A-Za-z0-9._/-]+(?:\s*,\s*[A-Za-z0-9._/-]+)*)\s*(?:--\s*(?P<reason>.*?))?\s*$")
_MARKER = "monops:"


@dataclass(frozen=True, slots=True)
class Suppression:
    """One suppression comment: which rules, on which line (0 = the whole file)."""

    rules: tuple[str, ...]
    target_line: int
    comment_line: int
    comment_column: int
    reason: str = ""

    def covers(self, rule: str, line: int) -> bool:
        """Whether this comment silences ``rule`` at ``line``."""
        return rule in self.rules and self.target_line in (0, line)


def parse_suppressions(text: str) -> tuple[Suppression, ...]:
    """Every suppression comment in ``text``."""
    if _MARKER not in text:
        return ()
    lines = text.splitlines()
    found: list[Suppression] = []
    for index, line in enumerate(lines):
        if _MARKER not in line:
            continue
        match = _COMMENT.search(line)
        if not match:
            continue
        rules = tuple(r.strip() for r in match.group("rules").split(","))
        number = index + 1
        if match.group("what") == "disable-file":
            target = 0
        elif line[: match.start()].strip():
            target = number
        else:
            target = _next_content_line(lines, index + 1)
        found.append(Suppression(rules, target, number, match.start() + 1,
                                 match.group("reason") or ""))
    return tuple(found)


def _next_content_line(lines: list[str], start: int) -> int:
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index + 1
    return start + 1
