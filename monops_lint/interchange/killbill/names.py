"""Names across the border: monops ids (``^[a-z0-9][a-z0-9._-]*$``, unique per kind) and
Kill Bill names (XML IDs: one namespace for products, plans, price lists, units and
usages in a file, each an NCName).

Export claims every Kill Bill name in one ``KbNames`` so that a plan named like a product
gets a name of its own (and says so); import makes every Kill Bill name a valid monops
id, keeping the original where the two differ (``external_name``).
"""

from __future__ import annotations

import re
from collections.abc import Hashable

from monops_lint.interchange import LeftOut

MONOPS_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
NCNAME = re.compile("[A-Za-z_\u00c0-\ufffd][A-Za-z0-9._\\-\u00b7\u00c0-\ufffd]*")
"""An XML NCName as Kill Bill's names are (ASCII letters and digits, ``._-``, and the
letters above U+00C0): what ``external_name`` admits."""

RESERVED = "DEFAULT"
"""The name of Kill Bill's default price list; no other price list may take it."""


def is_kb_name(text: str) -> bool:
    """Whether ``text`` can be a Kill Bill name (an XML ID)."""
    return bool(NCNAME.fullmatch(text))


def monops_id(name: str) -> str:
    """A Kill Bill name as a valid monops id: itself when it is one; otherwise CamelCase
    split with ``-`` (``OilSlick`` -> ``oil-slick``), lower case, other characters as
    ``-``."""
    if MONOPS_ID.fullmatch(name):
        return name
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()
    text = re.sub(r"[^a-z0-9._-]+", "-", text)
    text = re.sub(r"^[^a-z0-9]+", "", text).rstrip("-._")
    return text or "x"


class MonopsIds:
    """Monops ids for the Kill Bill names of one kind: each distinct name gets a distinct
    valid id (``-2``, ``-3`` on a clash); ``external`` says what to keep as
    ``external_name``."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._taken: set[str] = set()

    def of(self, name: str) -> str:
        """The id of ``name`` (the same id each time it is asked)."""
        if name not in self._ids:
            base = candidate = monops_id(name)
            number = 1
            while candidate in self._taken:
                number += 1
                candidate = f"{base}-{number}"
            self._taken.add(candidate)
            self._ids[name] = candidate
        return self._ids[name]

    def external(self, name: str) -> str:
        """``name`` when its id differs from it (what export must write back), else ""."""
        return "" if self.of(name) == name else name


class KbNames:
    """Every Kill Bill name of an export, in one namespace (XML IDs are unique per file;
    one set for the whole catalog keeps each entity's name the same in every version).

    ``left_out`` says each name that is not the entity's own, and why.
    """

    def __init__(self) -> None:
        self._taken: set[str] = {RESERVED}
        self._by_key: dict[Hashable, str] = {}
        self.left_out: list[LeftOut] = []

    def claim(self, key: Hashable, wanted: str, kind: str, entity: str) -> str:
        """The Kill Bill name of ``key`` (a ``kind`` such as ``plan``), ``wanted`` when it is
        a valid name nobody took; the same name each time ``key`` asks."""
        if key in self._by_key:
            return self._by_key[key]
        name = wanted if is_kb_name(wanted) else f"{kind}-{wanted}"
        if not is_kb_name(name):
            name = f"{kind}-{re.sub('[^A-Za-z0-9._-]', '-', wanted)}"
        base, number = name, 1
        if name in self._taken:
            base = name = f"{name}-{kind}"
        while name in self._taken:
            number += 1
            name = f"{base}-{number}"
        if name != wanted:
            reason = ("is not an XML name" if not is_kb_name(wanted) else
                      "is the name of Kill Bill's default price list" if wanted == RESERVED
                      else "is taken by another product, plan, price list, unit or usage "
                           "(Kill Bill names share one namespace)")
            self.left_out.append(LeftOut(entity, "id", f"exported as `{name}`: `{wanted}` "
                                         f"{reason}; set `external_name` to choose"))
        self._taken.add(name)
        self._by_key[key] = name
        return name
