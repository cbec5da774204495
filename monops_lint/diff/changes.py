"""The semantic catalog diff: entities added, removed and changed, field by field, in words.

Entities are compared as written (their YAML mappings), so every field a
pull request edits shows up. Lists of mappings are matched by what
identifies their items (a charge's ``id``, an offering's ``plan``, a plan
version's ``effective_from``), not by position, so reordering is not a
change and an edit reads as ``charges[base].amount.USD``. A plan version
added is compared with the version it supersedes, so a price rise reads
``base.amount.USD: USD 40.00 → 42.00 (+5.0 %) from 2027-02-01``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.compare import (
    FieldChange,
    currency_of,
    field_changes,
    percent_change,
    percent_str,
    shown,
)
from monops_lint.config import Config
from monops_lint.findings import Location
from monops_lint.model import KINDS, Channel, Entity, Plan


@dataclass(frozen=True)
class CatalogChange:
    """One row of the catalog-changes table.

    ``change`` is ``added``, ``removed`` or ``changed``; ``field`` the
    readable path of a changed field ("" for a whole entity); ``before`` and
    ``after`` are display text; ``note`` says more (``+5.0 %``, ``from
    2027-02-01``, ``edited in place``); ``location`` is where to look (the
    head file, or the base file for a removal).
    """

    kind: str
    id: str
    change: str
    field: str = ""
    before: str = ""
    after: str = ""
    note: str = ""
    location: Location | None = None
    percent: Decimal | None = None

    @property
    def entity(self) -> str:
        """``plan fiber-100``."""
        return f"{self.kind} {self.id}"


@dataclass(frozen=True)
class CatalogDiff:
    """Every catalog change, and which plans (in which channels) the change touched."""

    changes: tuple[CatalogChange, ...]
    touched_plans: frozenset[str] = field(default_factory=frozenset)
    touched_offerings: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def touches(self, plan: str, channel: str) -> bool:
        """Whether the change edited ``plan`` itself, or its offering in ``channel``."""
        return plan in self.touched_plans or (plan, channel) in self.touched_offerings


def _row(entity: Entity, change: FieldChange, note: str = "") -> CatalogChange:
    currency = currency_of(change.path)
    percent = percent_change(change.before, change.after) if currency else None
    notes = [n for n in (percent_str(percent), note) if n]
    if change.before is None:
        kind = "added"
    elif change.after is None:
        kind = "removed"
    else:
        kind = "changed"
    return CatalogChange(entity.kind, entity.id, kind, change.path,
                         shown(change.before, currency), shown(change.after, currency),
                         " ".join(notes), entity.origin.at(*change.keys), percent)


def _summary(entity: Entity) -> str:
    if isinstance(entity, Plan):
        owner = entity.product or entity.bundle
        return f"{entity.name} ({owner}, {entity.billing_period})"
    name = getattr(entity, "name", "")
    return str(name) if name else entity.id


def _terms(version: Mapping[str, Any]) -> dict[str, Any]:
    """A version as it is compared: everything but its date (charges, phases, rollout)."""
    return {key: value for key, value in version.items() if key != "effective_from"}


def _plan_changes(base: Plan, head: Plan) -> Iterator[CatalogChange]:
    """A plan's changes, with each added version compared to the one it supersedes."""
    old_data, new_data = base.origin.data, head.origin.data
    old_versions = {str(v["effective_from"]): v for v in old_data.get("versions", [])}
    new_versions = [(i, v) for i, v in enumerate(new_data.get("versions", []))]
    rest_old = {k: v for k, v in old_data.items() if k != "versions"}
    rest_new = {k: v for k, v in new_data.items() if k != "versions"}
    for change in field_changes(rest_old, rest_new):
        yield _row(head, change)
    ordered = sorted(new_versions, key=lambda item: str(item[1]["effective_from"]))
    for position, (index, version) in enumerate(ordered):
        day = str(version["effective_from"])
        if day in old_versions:
            for change in field_changes(_terms(old_versions[day]), _terms(version), "",
                                        ("versions", index)):
                yield _row(head, change, f"in the version from {day} (edited in place)")
            continue
        previous = ordered[position - 1][1] if position else None
        if previous is None:
            yield CatalogChange("plan", head.id, "added", f"versions[{day}]", "—",
                                "new first version", f"from {day}",
                                head.origin.at("versions", index))
            continue
        rows = list(field_changes(_terms(previous), _terms(version), "", ("versions", index)))
        if not rows:
            yield CatalogChange("plan", head.id, "added", f"versions[{day}]", "—",
                                "same charges", f"from {day}", head.origin.at("versions", index))
        for change in rows:
            yield replace(_row(head, change, f"from {day}"), change="new version")
    new_days = {str(v["effective_from"]) for _, v in new_versions}
    for day in old_versions:
        if day not in new_days:
            yield CatalogChange("plan", head.id, "removed", f"versions[{day}]",
                                f"version from {day}", "—", "a version was deleted",
                                head.origin.at("versions"))


def diff_catalogs(base: Catalog, head: Catalog) -> CatalogDiff:
    """Every change from ``base`` to ``head``, kind by kind, id by id."""
    changes: list[CatalogChange] = []
    touched_plans: set[str] = set()
    touched_offerings: set[tuple[str, str]] = set()
    for kind in KINDS:
        old, new = base.of_kind(kind), head.of_kind(kind)
        for entity_id in head.changed_ids(base, kind):
            before, after = old.get(entity_id), new.get(entity_id)
            if kind == "plan":
                touched_plans.add(entity_id)
            if after is None:
                assert before is not None
                where = _unreadable(head, kind, entity_id, before)
                if where is not None:
                    changes.append(CatalogChange(kind, entity_id, "invalid", "",
                                                 _summary(before), INVALID, "", where))
                else:
                    changes.append(CatalogChange(kind, entity_id, "removed", "",
                                                 _summary(before), "—", "",
                                                 before.origin.location()))
            elif before is None:
                valid_again = _unreadable(base, kind, entity_id, after) is not None
                changes.append(CatalogChange(kind, entity_id, "valid again" if valid_again
                                             else "added", "", INVALID if valid_again else "—",
                                             _summary(after), "", after.origin.location()))
            elif isinstance(before, Plan) and isinstance(after, Plan):
                changes.extend(_plan_changes(before, after))
            else:
                rows = [_row(after, c) for c in field_changes(
                    before.origin.data, after.origin.data)]
                if isinstance(after, Channel):
                    rows = [_off_sale(row, after, head) for row in rows]
                changes.extend(rows)
            touched_offerings.update(_offering_touches(kind, before, after))
    return CatalogDiff(tuple(changes), frozenset(touched_plans), frozenset(touched_offerings))


def _off_sale(row: CatalogChange, channel: Channel, head: Catalog) -> CatalogChange:
    """A removed offering says what it means: the plan is off sale in the channel, and what
    happens to the customers who subscribed through it."""
    if row.change != "removed" or not (row.field.startswith("offerings[") and
                                       row.field.endswith("]")):
        return row
    plan = row.field[len("offerings["):-1]
    if plan not in head.plans and not head.knows("plan", plan):
        what = "the plan is gone too: its subscribers here have no price any more"
    else:
        what = ("nobody can subscribe here any more; existing subscribers keep being billed, "
                "at the plan's catalog price")
        if "price_override" in row.before:
            what += ", without this channel's price override"
        what += " (see the invoice notes)"
    return replace(row, note=f"off sale in {channel.id}: {what}")


INVALID = "invalid (see findings)"
"""What the catalog diff says of an entity that is written but fails to load."""


def _unreadable(catalog: Catalog, kind: str, entity_id: str, other: Entity) -> Location | None:
    """Where ``catalog`` holds ``entity_id`` although it could not load it (a schema error:
    the id is known; a YAML syntax error in the file that held it on the other side), or
    None when it is really not there."""
    places = catalog.id_locations.get(kind, {}).get(entity_id)
    if places:
        return places[0]
    path = other.origin.location().path
    broken = [f for f in catalog.load_findings if f.location.path == path
              and f.rule in ("yaml-syntax", "yaml-trap")]
    return broken[0].location if broken else None


def _offering_touches(kind: str, before: Entity | None,
                      after: Entity | None) -> Iterator[tuple[str, str]]:
    """(plan, channel) pairs whose price a channel or promotion change may move."""
    if kind == "channel":
        olds = {o["plan"]: o for o in before.origin.data.get("offerings", [])} \
            if before else {}
        news = {o["plan"]: o for o in after.origin.data.get("offerings", [])} \
            if after else {}
        channel = (after or before).id  # type: ignore[union-attr]
        for plan in set(olds) | set(news):
            if olds.get(plan) != news.get(plan):
                yield plan, channel
        # A change to the channel itself (tax_inclusive, currencies) touches no plan: the
        # invoices it moves are collateral, and the report says so.
    elif kind == "promotion":
        for promotion in (before, after):
            if promotion is not None:
                for plan in getattr(promotion, "plans", ()):
                    for channel in getattr(promotion, "channels", ()):
                        yield plan, channel


_CONFIG_FIELDS = ("paths", "base_currency", "fx_rates", "fx_tolerance", "rounding",
                  "max_file_bytes", "templates")


def _setting(config: Config, rule_id: str) -> str:
    setting = config.rules.get(rule_id)
    if setting is None:
        return "default"
    if setting.off:
        return "off"
    parts = [str(setting.severity)] if setting.severity else []
    parts += [f"{k}: {shown(v)}" for k, v in setting.options.items()]
    return ", ".join(parts) or "default"


def _config_shown(value: Any) -> str:
    # FX rates are plain numbers per currency, not money: "EUR: 0.92", not "EUR 0.92".
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    return shown(list(value) if isinstance(value, tuple) else value)


def diff_configs(base: Config, head: Config) -> list[CatalogChange]:
    """monops.yaml changes: a change that turns a rule off or moves FX rates shows too."""
    rows = []
    for name in _CONFIG_FIELDS:
        before, after = getattr(base, name), getattr(head, name)
        if before != after:
            rows.append(CatalogChange("config", "monops.yaml", "changed", name,
                                      _config_shown(before), _config_shown(after)))
    for rule_id in sorted(set(base.rules) | set(head.rules)):
        before_text, after_text = _setting(base, rule_id), _setting(head, rule_id)
        if before_text != after_text:
            rows.append(CatalogChange("config", "monops.yaml", "changed", f"rules.{rule_id}",
                                      before_text, after_text,
                                      "a rule turned off" if after_text == "off" else ""))
    return rows
