"""Every charge as it is written in the catalog: the one walk over a plan's charges.

A charge is written in a plan version, in one of a version's introductory
phases, or in a channel's ``price_override.charges`` (which replace the
plan's charges in that channel and are priced just the same). Rules that
check charges as written (tiers, money precision...) read them all from here,
so that a new place a charge can be written is added once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from monops_lint.catalog import Catalog
from monops_lint.findings import Location
from monops_lint.model import Channel, Charge, Plan


@dataclass(frozen=True)
class WrittenCharge:
    """A charge, where it is written, and the plan whose limits apply to it."""

    owner: Plan | Channel
    keys: tuple[object, ...]  # from the owner's document down to the charge
    charge: Charge
    plan: Plan | None
    # What ``label`` and ``key`` are made of: ("plan", id, day, phase or "", charge) or
    # ("channel", id, plan, charge). The texts are made only for a finding (most charges
    # have none, and several rules walk every charge).
    names: tuple[str, str, str, str, str]

    @property
    def label(self) -> str:
        """``plan p, version 2026-01-01, charge storage`` (or ``..., phase intro, ...``;
        ``channel web, price override of plan p, charge storage``)."""
        kind, owner, where, phase, charge = self.names
        if kind == "channel":
            return f"channel {owner}, price override of plan {where}, charge {charge}"
        phase_text = f", phase {phase}" if phase else ""
        return f"plan {owner}, version {where}{phase_text}, charge {charge}"

    @property
    def key(self) -> str:
        """The label without spaces, for baseline fingerprints (``plan:p:2026-01-01:c``)."""
        return ":".join(part for part in self.names if part)

    def at(self, *keys: object) -> Location:
        """The location of the value at ``keys`` below the charge."""
        return self.owner.origin.at(*self.keys, *keys)


Keys = tuple[object, ...]


def located_charges(plan: Plan) -> Iterator[tuple[Keys, Charge, str, str]]:
    """(keys, charge, version's ``effective_from`` as written, phase id or "") for every
    charge of every version of ``plan`` and of every introductory phase: the walk itself,
    for a rule that only needs the charge and where it stands."""
    for v, version in enumerate(plan.versions):
        day = version.effective_from.isoformat()
        for c, charge in enumerate(version.charges):
            yield ("versions", v, "charges", c), charge, day, ""
        for p, phase in enumerate(version.phases):
            for c, charge in enumerate(phase.charges):
                yield ("versions", v, "phases", p, "charges", c), charge, day, phase.id


def plan_charges(plan: Plan, where: Callable[[Charge], bool] | None = None
                 ) -> Iterator[WrittenCharge]:
    """Every charge of every version of ``plan``, and of every introductory phase (only
    those ``where`` accepts, when given: the others are never wrapped)."""
    for keys, charge, day, phase in located_charges(plan):
        if where is None or where(charge):
            yield WrittenCharge(plan, keys, charge, plan, ("plan", plan.id, day, phase, charge.id))


def override_charges(channel: Channel, catalog: Catalog | None = None,
                     where: Callable[[Charge], bool] | None = None) -> Iterator[WrittenCharge]:
    """Every charge of ``channel``'s price overrides (its plan from ``catalog``, if given;
    only those ``where`` accepts, when given)."""
    for o, offering in enumerate(channel.offerings):
        override = offering.price_override
        for c, charge in enumerate(override.charges or () if override else ()):
            if where is None or where(charge):
                yield WrittenCharge(
                    channel, ("offerings", o, "price_override", "charges", c), charge,
                    catalog.plans.get(offering.plan) if catalog is not None else None,
                    ("channel", channel.id, offering.plan, "", charge.id))


def written_charges(catalog: Catalog, where: Callable[[Charge], bool] | None = None
                    ) -> Iterator[WrittenCharge]:
    """Every charge of every plan version and every channel price override (only those
    ``where`` accepts, when given)."""
    for plan in catalog.plans.values():
        yield from plan_charges(plan, where)
    for channel in catalog.channels.values():
        yield from override_charges(channel, catalog, where)
