"""The catalog: every entity indexed by kind and id, plus what the loader saw."""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, ValuesView
from dataclasses import dataclass, field
from functools import cached_property, partial
from types import MappingProxyType
from typing import Any, TypeVar

from monops_lint.findings import Finding, Location
from monops_lint.model import (
    KINDS,
    Bundle,
    Channel,
    CustomRule,
    Entity,
    Offering,
    Plan,
    Product,
    Promotion,
    Scenario,
)
from monops_lint.source.suppressions import Suppression

IdLocations = Mapping[str, Mapping[str, tuple[Location, ...]]]
E = TypeVar("E")


class Entities(Mapping[str, E]):
    """Entities of one kind by id, each built from its document the first time it is read.

    ``monops render`` reads a few hundred plans of a catalog of thousands; the
    rules read them all. Either way an entity is built once.
    """

    __slots__ = ("_items", "_make")

    def __init__(self, items: dict[str, Any], make: Callable[[Any], E]) -> None:
        self._items = items  # id -> the entity, or what ``make`` builds it from
        self._make = make

    def __getitem__(self, key: str) -> E:
        item = self._items[key]
        if isinstance(item, _Pending):
            item = self._items[key] = self._make(item.source)
        return item  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def values(self) -> ValuesView[E]:
        for key in self._items:
            self[key]
        return self._items.values()

    def items(self) -> ItemsView[str, E]:
        self.values()
        return self._items.items()

    def data_of(self, key: str) -> Any:
        """The YAML data of ``key``'s document, without building the entity."""
        item = self._items[key]
        return item.source.data if isinstance(item, _Pending) else item.origin.data


class _Pending:
    __slots__ = ("source",)

    def __init__(self, source: Any) -> None:
        self.source = source


@dataclass(frozen=True)
class Catalog:
    """Every modelled entity by kind and id, and what the loader saw.

    ``id_locations`` holds, for every kind, every id written in a document
    and where - including documents that could not be modelled (a schema
    error, a YAML trap), so that references to them still resolve and one
    broken file does not report every reference to it as unknown; and
    including the second of two documents that share an id (duplicate-id).
    ``load_findings`` are what the loader and the schema check reported;
    ``suppressions`` the suppression comments of each file.
    """

    products: Mapping[str, Product]
    bundles: Mapping[str, Bundle]
    plans: Mapping[str, Plan]
    channels: Mapping[str, Channel]
    promotions: Mapping[str, Promotion]
    scenarios: Mapping[str, Scenario]
    rules: Mapping[str, CustomRule]
    id_locations: IdLocations = field(default_factory=dict)
    load_findings: tuple[Finding, ...] = ()
    files: tuple[str, ...] = ()
    suppressions: Mapping[str, tuple[Suppression, ...]] = field(default_factory=dict)
    fingerprint: str = ""  # every file's path and content digest, hashed ("": not known)

    @classmethod
    def of(cls, entities: Iterable[Entity], *,
           id_locations: Iterable[tuple[str, str, Location]] = (),
           load_findings: tuple[Finding, ...] = (), files: tuple[str, ...] = (),
           suppressions: Mapping[str, tuple[Suppression, ...]] | None = None) -> Catalog:
        """Index ``entities`` by kind; the first of two with one id wins (see duplicate-id).

        ``id_locations`` lists (kind, id, where) for every document that
        names an id; the entities' own origins are added to it.
        """
        by_kind: dict[str, dict[str, Entity]] = {kind: {} for kind in KINDS}
        places: dict[str, dict[str, list[Location]]] = {kind: {} for kind in KINDS}
        for entity in entities:
            by_kind[entity.kind].setdefault(entity.id, entity)
            if not id_locations:
                places[entity.kind].setdefault(entity.id, []).append(entity.origin.at("id"))
        for kind, entity_id, location in id_locations:
            places.setdefault(kind, {}).setdefault(entity_id, []).append(location)
        view = {kind: MappingProxyType(items) for kind, items in by_kind.items()}
        return cls._indexed(view, places, load_findings, files, suppressions)

    @classmethod
    def lazy(cls, sources: Iterable[tuple[str, str, Any]], make: Callable[[str, Any], Entity],
             id_locations: Iterable[tuple[str, str, Location]], *,
             load_findings: tuple[Finding, ...] = (), files: tuple[str, ...] = (),
             suppressions: Mapping[str, tuple[Suppression, ...]] | None = None,
             fingerprint: str = "") -> Catalog:
        """A catalog whose entities are built on first read: ``sources`` gives (kind, id,
        source) in file order (the first of two with one id wins), ``make(kind, source)``
        builds one."""
        by_kind: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
        for kind, entity_id, source in sources:
            by_kind[kind].setdefault(entity_id, _Pending(source))
        places: dict[str, dict[str, list[Location]]] = {kind: {} for kind in KINDS}
        for kind, entity_id, location in id_locations:
            places.setdefault(kind, {}).setdefault(entity_id, []).append(location)
        view = {kind: Entities(items, partial(make, kind)) for kind, items in by_kind.items()}
        return cls._indexed(view, places, load_findings, files, suppressions, fingerprint)

    @classmethod
    def _indexed(cls, view: Mapping[str, Mapping[str, Any]],
                 places: Mapping[str, Mapping[str, list[Location]]],
                 load_findings: tuple[Finding, ...], files: tuple[str, ...],
                 suppressions: Mapping[str, tuple[Suppression, ...]] | None,
                 fingerprint: str = "") -> Catalog:
        """The catalog over ``view`` (entities by kind, then id) and ``places`` (where each
        id is written)."""
        return cls(products=view["product"], bundles=view["bundle"], plans=view["plan"],
                   channels=view["channel"], promotions=view["promotion"],
                   scenarios=view["scenario"], rules=view["rule"],
                   id_locations=MappingProxyType({k: MappingProxyType(
                       {i: tuple(locs) for i, locs in ids.items()}) for k, ids in places.items()}),
                   load_findings=load_findings, files=files,
                   suppressions=MappingProxyType(dict(suppressions or {})),
                   fingerprint=fingerprint)

    def knows(self, kind: str, entity_id: str) -> bool:
        """Whether any document of ``kind`` names ``entity_id`` (modelled or not)."""
        return entity_id in self.id_locations.get(kind, {})

    def ids(self, kind: str) -> list[str]:
        """Every id of ``kind`` written anywhere, sorted."""
        return sorted(self.id_locations.get(kind, {}))

    def of_kind(self, kind: str) -> Mapping[str, Entity]:
        """The entities of one kind by id (``kind`` as written in YAML)."""
        return {  # type: ignore[return-value]
            "product": self.products, "bundle": self.bundles, "plan": self.plans,
            "channel": self.channels, "promotion": self.promotions,
            "scenario": self.scenarios, "rule": self.rules,
        }[kind]

    def changed_ids(self, base: Catalog, kind: str) -> list[str]:
        """The ids of ``kind`` added, removed or edited since ``base``, sorted.

        Compares the documents' YAML data, so no entity is built for the
        thousands a change leaves alone (the two sides share the data of every
        file whose bytes did not change: those compare by identity).
        """
        held = self._changed.get((id(base), kind))
        if held is not None:  # asked before (several rules and the diff)
            return list(held[1])
        old, new = base.of_kind(kind), self.of_kind(kind)
        edited = (i for i in new if i in old and _data(old, i) is not _data(new, i)
                  and _data(old, i) != _data(new, i))
        found = sorted({*(old.keys() ^ new.keys()), *edited})
        self._changed[(id(base), kind)] = (base, tuple(found))
        return found

    @cached_property
    def _changed(self) -> dict[tuple[int, str], tuple[Catalog, tuple[str, ...]]]:
        """``changed_ids`` already worked out: (id of the base, kind) -> (base, ids); the
        entry holds the base, so its id stays its own."""
        return {}

    def entities(self) -> Iterable[Entity]:
        """Every entity, kind by kind."""
        for kind in KINDS:
            yield from self.of_kind(kind).values()

    def build_everything(self) -> None:
        """Build every entity and index now, instead of when each is first read."""
        for _ in self.entities():
            pass
        _ = (self.offered, self._channels_by_plan, self._plans_by_product)  # cached on reading

    def offerings(self) -> Iterable[tuple[Channel, Offering]]:
        """Every (channel, offering) pair: each plan on sale, where."""
        for channel in self.channels.values():
            for offering in channel.offerings:
                yield channel, offering

    @cached_property
    def offered(self) -> Mapping[str, Mapping[str, tuple[int, Offering]]]:
        """channel id -> plan id -> (position in the channel's offerings, the offering): the
        first offering of a plan in each channel. Built once, read by many rules."""
        index: dict[str, dict[str, tuple[int, Offering]]] = {}
        for channel in self.channels.values():
            plans = index.setdefault(channel.id, {})
            for position, offering in enumerate(channel.offerings):
                plans.setdefault(offering.plan, (position, offering))
        return index

    @cached_property
    def _channels_by_plan(self) -> Mapping[str, tuple[Channel, ...]]:
        index: dict[str, list[Channel]] = {}
        for channel, offering in self.offerings():
            index.setdefault(offering.plan, []).append(channel)
        return {plan: tuple(channels) for plan, channels in index.items()}

    @cached_property
    def _plans_by_product(self) -> Mapping[tuple[str, str], tuple[Plan, ...]]:
        index: dict[tuple[str, str], list[Plan]] = {}
        for plan in self.plans.values():
            owner = ("product", plan.product) if plan.product else ("bundle", plan.bundle)
            index.setdefault(owner, []).append(plan)
        return {owner: tuple(plans) for owner, plans in index.items()}

    def channels_offering(self, plan_id: str) -> tuple[Channel, ...]:
        """The channels that have ``plan_id`` on sale."""
        return self._channels_by_plan.get(plan_id, ())

    def plans_for(self, kind: str, entity_id: str) -> tuple[Plan, ...]:
        """The plans that sell the product (``kind="product"``) or bundle ``entity_id``."""
        return self._plans_by_product.get((kind, entity_id), ())


def _data(entities: Mapping[str, Entity], key: str) -> Any:
    if isinstance(entities, Entities):
        return entities.data_of(key)
    return entities[key].origin.data
