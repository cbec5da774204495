"""Plan names as customers read them, for price-drift: what nobody sees is not part of a name.

A zero-width space, a word joiner, a byte order mark, a no-break space or a
trailing space makes two names different strings that customers read as
one: ``read_as`` is the name they read, and ``lookalike_names`` reports
names that differ only by such characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding
from monops_lint.model import Plan
from monops_lint.rules.registry import RuleContext


def read_as(name: str) -> str:
    """A name as customers read it: NFKC, without invisible (format) characters such as
    U+200B or U+FEFF, each run of spaces one space, none at either end."""
    if name.isascii():  # nothing to normalise, and no format character: the common case
        return " ".join(name.split())
    text = unicodedata.normalize("NFKC", name)
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def lookalike_names(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A plan whose name differs from another's of its product or bundle only by invisible
    characters or spacing (any billing period: a yearly plan shares the monthly's name)."""
    groups: dict[tuple[str, ...], list[Plan]] = {}
    for plan in catalog.plans.values():
        owner = ("product", plan.product) if plan.product else ("bundle", plan.bundle)
        groups.setdefault((*owner, read_as(plan.name)), []).append(plan)
    for read, plans in groups.items():
        if len({plan.name for plan in plans}) < 2:
            continue
        plans = sorted(plans, key=lambda p: (p.origin.path, p.origin.line))
        for plan in plans:
            if plan.name == read[-1]:
                continue  # written as read: the others are reported
            other = next((p for p in plans if p.name == read[-1]),
                         next(p for p in plans if p.name != plan.name))
            differences = ", ".join(_unseen(plan.name))
            yield ctx.finding(
                plan.origin.at("name"),
                f"plan {plan.id} is named {_visible(plan.name)}, which customers read as plan "
                f"{other.id}'s {_visible(other.name)}: the names differ only by {differences}",
                f'remove the invisible character or extra space: name it "{read[-1]}", so that '
                "search, sorting and every report see one name, and price-drift compares it "
                "as customers do",
                key=f"name:{plan.id}:{other.id}",
                related=[(other.origin.at("name"), f"plan {other.id}'s name")])


def _hidden(character: str) -> bool:
    return unicodedata.category(character) == "Cf" or (
        character.isspace() and character != " ") or \
        unicodedata.normalize("NFKC", character) != character


def _visible(name: str) -> str:
    """``name`` quoted, each character nobody sees (or sees as another) as ``<U+200B>``."""
    shown = "".join(f"<U+{ord(c):04X}>" if _hidden(c) else c for c in name)
    return f'"{shown}"'


def _unseen(name: str) -> Iterator[str]:
    """What ``name`` has that its reading (``read_as``) drops or changes."""
    for number, character in enumerate(name, start=1):
        if _hidden(character):
            what = unicodedata.name(character, "an unnamed character")
            yield f"U+{ord(character):04X} {what} at character {number}"
    plain = "".join(c for c in name if not _hidden(c))
    if plain.startswith(" "):
        yield "a leading space"
    if plain.endswith(" "):
        yield "a trailing space"
    if "  " in plain.strip(" "):
        yield "spaces in a row"
