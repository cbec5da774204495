"""Revision text from the command line, checked against a small grammar before git sees it.

Accepted: a full or abbreviated (7+ hex digits) commit SHA, a branch or tag
name, a full ref under ``refs/``, ``HEAD`` and the other ``*_HEAD``
pseudo-refs, each followed by ``~N`` / ``^N`` ancestry steps. Everything
else (a leading ``-``, ranges, ``@{...}``, ``:`` paths, ``^{...}``, odd
characters) is refused with a one-line reason. ``gitrev.resolve`` resolves what
passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monops_lint.errors import MonopsError

MAX_REVISION_LENGTH = 255
_NAME = re.compile(r"[A-Za-z0-9._+/-]+")
_STEPS = re.compile(r"(?:[~^][0-9]{0,6})*")
_STEP = re.compile(r"([~^])([0-9]*)")


def show_text(text: str) -> str:
    """Untrusted text, quoted and cut short, safe to put in a one-line message."""
    return repr(text if len(text) <= 60 else text[:57] + "...")


@dataclass(frozen=True)
class RevisionSpec:
    """A revision that passed the grammar: a name, then ``~N``/``^N`` steps."""

    text: str
    name: str
    steps: tuple[tuple[str, int], ...]

    @property
    def hops(self) -> int:
        """How many parent links the steps walk (``~3`` is three, ``^2`` one, ``^0`` none)."""
        return sum(count if op == "~" else min(count, 1) for op, count in self.steps)


def parse_revision(rev: str) -> RevisionSpec:
    """Check ``rev`` against the accepted grammar; no git is involved.

    Raises ``MonopsError`` naming what is refused and what to write instead.
    """
    if not rev:
        raise MonopsError("empty revision: give a branch, a tag or a commit SHA")
    shown = show_text(rev)
    if rev.startswith("-"):
        raise MonopsError(f"revision {shown} starts with '-' and could be read as an option; "
                          "refused (give a branch, a tag or a commit SHA)")
    if len(rev) > MAX_REVISION_LENGTH:
        raise MonopsError(f"revision {shown} is longer than {MAX_REVISION_LENGTH} characters")
    if any(char.isspace() or not char.isprintable() for char in rev):
        raise MonopsError(f"revision {shown} contains whitespace or a control character")
    if ".." in rev:
        raise MonopsError(f"revision {shown}: '..' is not accepted (no ranges A..B or A...B, "
                          "no paths); give one revision (monops diff takes BASE and HEAD apart)")
    if "@" in rev:
        raise MonopsError(f"revision {shown}: '@' and reflog syntax (@{{...}}) are not accepted; "
                          "give a branch, a tag or a commit SHA")
    if ":" in rev:
        raise MonopsError(f"revision {shown}: ':' path and search syntax is not accepted; "
                          "give a revision only")
    if "{" in rev or "}" in rev:
        raise MonopsError(f"revision {shown}: ^{{...}} syntax is not accepted; "
                          "use ~N or ^N for ancestors (tags are peeled to commits anyway)")
    cut = min((i for i in (rev.find("~"), rev.find("^")) if i >= 0), default=len(rev))
    name, tail = rev[:cut], rev[cut:]
    if not name:
        raise MonopsError(f"revision {shown} must start with a name, as in HEAD~1")
    if not _STEPS.fullmatch(tail):
        raise MonopsError(f"revision {shown}: after the name only ~N and ^N steps are accepted "
                          "(N up to 6 digits)")
    bad = sorted({char for char in name if not _NAME.fullmatch(char)})
    if bad:
        raise MonopsError(f"revision {shown}: {''.join(bad)!r} not accepted in a name (letters, "
                          "digits and . _ + - / only; name such a branch by its commit SHA)")
    for part in name.split("/"):
        if not part or part.startswith((".", "-")) or part.endswith((".", ".lock")):
            raise MonopsError(f"revision {shown} is not a valid branch or tag name "
                              "(empty, '.'-led, '-'-led or '.lock' path component)")
    steps = tuple((op, int(digits) if digits else 1) for op, digits in _STEP.findall(tail))
    return RevisionSpec(rev, name, steps)
