"""Billing-system interchange: the catalog written in a billing system's own format, and a
billing system's catalog read back into monops YAML (SPEC section 11).

Pure: no click, no printing, no files. What the other side cannot express is never
dropped silently: every mapping returns ``LeftOut`` items (entity, field, why) beside its
result, which the app layer prints and writes into ``--report``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class LeftOut:
    """One thing the other side cannot express: ``entity`` (``plan tv-premium``, or the
    file an import read), ``field`` (``versions[1].rollout``, or an element path) and
    ``why`` (what is lost, in a sentence)."""

    entity: str
    field: str
    why: str

    def line(self) -> str:
        """``<entity> <field>: <why>`` on one line (the CLI prefixes ``monops: left out:``)."""
        return " ".join(f"{self.entity} {self.field}: {self.why}".split())


__all__ = ["LeftOut"]
