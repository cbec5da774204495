"""The example catalog broken by the fixtures' ``base: example`` cases: one or all at once.

Every rule has a fixture case that copies the example catalog at the
repository's top (``monops.yaml``, ``catalog/``, ``pricing/``,
``scenarios/``, ``rules/``) and makes one realistic mistake in it, written as
exact text edits: what a catalog editor might really do wrong - a typo, a
forgotten currency, a copy-paste (issues 2 and 4).

Every edit names its old text, which must occur exactly once in the
example's file: when the example changes under a case, the case fails
loudly instead of silently testing nothing.

The cases' edits touch disjoint text, so all of them can be applied to one
copy at once: the *twin*, where every rule fires (``build_twin``; used by
``.ci/check_sarif.py`` and tests/runtime/test_parallel.py). Applying checks it: two
edits whose old texts overlap fail. A demo, from the repository's top::

    python -m tests.rules.example_twin OUT
    monops lint --root OUT --today 2026-11-25    # every rule fires

OUT must not exist yet, or be an empty folder.
"""

from __future__ import annotations

import itertools
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from tests.rules.fixtures import RuleCase, read_fixtures

EXAMPLE = Path(__file__).resolve().parents[2]
"""The example catalog's root: the repository's top, where monops.yaml is."""

TODAY = "2026-11-25"
"""The lint date the example cases' expectations hold for (``--today``; the fixtures' day)."""


class EditError(AssertionError):
    """An edit that cannot apply: its old text not there exactly once, overlapping another
    edit's, or its new file already there (the example changed, or two cases collide)."""


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` (which must occur exactly once) by ``new`` in ``path``.

    With ``old=None``, ``path`` is a new file whose content is ``new``.
    """

    path: str
    old: str | None
    new: str


def edits_of(case: RuleCase) -> tuple[Edit, ...]:
    """The text edits of a ``base: example`` case."""
    return tuple(Edit(e["path"], e["old"], e["new"]) for e in case.data["edits"])


def example_cases() -> tuple[RuleCase, ...]:
    """Every ``base: example`` case of every fixture file, in fixture order."""
    return tuple(case for cases in read_fixtures().values() for case in cases
                 if case.on_example)


EXAMPLE_CASES = example_cases()
"""The ``base: example`` cases, read once."""


def config_paths(root: Path = EXAMPLE) -> list[str]:
    """The catalog folders the example's monops.yaml lists."""
    config = yaml.safe_load((root / "monops.yaml").read_text(encoding="utf-8"))
    return [str(p) for p in config["paths"]]


def copy_example(dest: Path) -> Path:
    """Copy the example catalog (monops.yaml and its catalog folders) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EXAMPLE / "monops.yaml", dest / "monops.yaml")
    for folder in config_paths():
        shutil.copytree(EXAMPLE / folder, dest / folder)
    return dest


def apply_edits(root: Path, edits: Iterable[Edit]) -> None:
    """Apply ``edits`` to the catalog at ``root``, all at once.

    Each old text is looked up in the file as it is before any edit, must
    occur there exactly once, and must not overlap another edit's old text;
    a new file must not exist yet and gets no other edit. Otherwise
    ``EditError``, and nothing is written.
    """
    by_path: dict[str, list[Edit]] = {}
    for edit in edits:
        parts = PurePosixPath(edit.path).parts
        if PurePosixPath(edit.path).is_absolute() or ".." in parts or not parts:
            raise EditError(f"{edit.path!r}: an edit's path is relative, inside the catalog")
        by_path.setdefault(edit.path, []).append(edit)
    written = {name: _edited(root, name, file_edits) for name, file_edits in by_path.items()}
    for name, text in written.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def _edited(root: Path, name: str, edits: list[Edit]) -> str:
    path = root / name
    if any(edit.old is None for edit in edits):
        if path.exists() or len(edits) > 1:
            raise EditError(f"{name}: a new file that already exists or is written twice")
        return edits[0].new
    if not path.is_file():
        raise EditError(f"{name}: no such file in the example catalog")
    text = path.read_bytes().decode("utf-8")
    spans = []
    for edit in edits:
        assert edit.old is not None  # new files are handled above
        count = text.count(edit.old) if edit.old else 0
        if count != 1:
            raise EditError(f"{name}: the old text {edit.old!r} occurs {count} times, not "
                            "once; the example catalog changed under this edit")
        start = text.index(edit.old)
        spans.append((start, start + len(edit.old), edit))
    spans.sort(key=lambda span: span[0])
    for (_, end, before), (start, _, after) in itertools.pairwise(spans):
        if start < end:
            raise EditError(f"{name}: the edits of {before.old!r} and {after.old!r} overlap; "
                            "the twin needs edits of disjoint text")
    pieces, done = [], 0
    for start, end, edit in spans:
        pieces += [text[done:start], edit.new]
        done = end
    return "".join(pieces) + text[done:]


def build_twin(dest: Path, cases: Iterable[RuleCase]) -> Path:
    """A copy of the example catalog at ``dest`` with every edit of ``cases`` applied."""
    copy_example(dest)
    apply_edits(dest, (edit for case in cases for edit in edits_of(case)))
    return dest


def main(argv: list[str]) -> int:
    """Write the twin with every example case applied to ``argv[0]`` (the demo)."""
    if len(argv) != 1 or argv[0].startswith("-"):
        print((__doc__ or "").strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"example_twin: {out} exists and is not an empty folder", file=sys.stderr)
        return 2
    build_twin(out, EXAMPLE_CASES)
    rules = ", ".join(sorted({case.rule for case in EXAMPLE_CASES}))
    print(f"wrote {out}: the example catalog broken {len(EXAMPLE_CASES)} ways ({rules})")
    print(f"see them with: monops lint --root {out} --today {TODAY}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
