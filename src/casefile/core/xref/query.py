"""Answers of the cross-reference as plain records: an entity, a case, the list, the graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations

from casefile.core.read.parse import MAX_COOCCURRING
from casefile.core.xref.model import (
    CaseRef,
    CaseXref,
    DanglingName,
    EntityRef,
    EntitySummary,
    EntityXref,
    Graph,
    GraphEdge,
    NameCount,
    Occurrence,
    OutLink,
    RelatedCase,
    Resolution,
)
from casefile.core.xref.registry import CaseLinks, Entity, Place, Xref


def case_ref(xref: Xref, path: str) -> CaseRef:
    """The listing form of a file."""
    record = xref.records[path]
    return CaseRef(record.id, record.title, record.date, "entity" if record.kind == "entity" else "case")


def occurrence(xref: Xref, place: Place) -> Occurrence:
    """A link or mention as a located line of a file."""
    record = xref.records[place[0]]
    return Occurrence(record.id, record.title, place[1], place[2], record.date,
                      "entity" if record.kind == "entity" else "case")


def by_date(xref: Xref, paths: Iterable[str]) -> list[str]:
    """Paths by date, undated last, then by id."""
    def key(path: str) -> tuple[bool, str, str]:
        record = xref.records[path]
        return (record.date is None, record.date or "", record.id)
    return sorted(paths, key=key)


def entity_xref(xref: Xref, key: str) -> EntityXref:
    """Everything about the entity `key`."""
    entity = xref.entity_or_dangling(key)
    return EntityXref(
        name=entity.name, type=entity.type, aliases=tuple(entity.aliases),
        page_id=xref.records[entity.page].id if entity.page else None,
        dangling=entity.dangling,
        cases_listing=tuple(case_ref(xref, p) for p in xref.listing.get(key, ())),
        cases_linking=tuple(occurrence(xref, place) for place in xref.linking.get(key, ())),
        unlinked_mentions=tuple(occurrence(xref, place) for place in xref.mentioned.get(key, ())),
        cooccurring=tuple(cooccurring(xref, key)),
        timeline=tuple(case_ref(xref, p) for p in by_date(xref, xref.appears.get(key, ()))),
    )


def cooccurring(xref: Xref, key: str) -> list[NameCount]:
    """Entities appearing in the same cases as `key`, with the number of cases, most first."""
    counts: Counter[str] = Counter()
    for path in xref.appears.get(key, ()):
        counted = counted_keys(xref.refs[path])
        if key in counted:
            counts.update(other for other in counted if other != key)
    return [NameCount(xref.entities[k].name, xref.entities[k].type, n)
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], xref.entities[kv[0]].name.casefold()))]


def counted_keys(found: CaseLinks) -> list[str]:
    """The entities of one file that count for co-occurrence: the first `MAX_COOCCURRING`."""
    keys = list(found.listed)[:MAX_COOCCURRING]
    if len(keys) < MAX_COOCCURRING:
        keys += [key for key in found.linked if key not in found.listed][:MAX_COOCCURRING - len(keys)]
    return keys


def case_xref(xref: Xref, path: str) -> CaseXref:
    """Everything about the file at `path`."""
    record, found = xref.records[path], xref.refs[path]
    entities = tuple(_entity_ref(xref.entities[k], k in found.listed, k in found.linked)
                     for k in {**found.listed, **found.linked})
    links = tuple(OutLink(target, line, context, _resolution(xref, target, ref))
                  for target, line, context, ref in found.links)
    return CaseXref(
        id=record.id, title=record.title, path=record.path, date=record.date,
        kind="entity" if record.kind == "entity" else "case",
        entities=entities, links=links,
        backlinks=tuple(occurrence(xref, place) for place in xref.backlinks.get(path, ())),
        related=tuple(related(xref, path)),
    )


def _entity_ref(entity: Entity, listed: bool, linked: bool) -> EntityRef:
    """How a case refers to an entity."""
    return EntityRef(entity.name, entity.type, listed, linked)


def _resolution(xref: Xref, target: str, ref: tuple[str, str]) -> Resolution:
    """A resolved link as a Resolution record."""
    return xref.resolution(target, ref)


def related(xref: Xref, path: str, limit: int = 50) -> list[RelatedCase]:
    """Cases sharing entities with `path`, most shared first, then most recent."""
    found = xref.refs[path]
    keys = list({**found.listed, **found.linked})
    counts: Counter[str] = Counter()
    for key in keys:
        counts.update(xref.appears.get(key, ()))  # counted in C: an entity may be in 10,000 cases
    counts.pop(path, None)
    if not counts:
        return []
    threshold = sorted(counts.values(), reverse=True)[min(limit, len(counts)) - 1]
    chosen = [p for p, n in counts.items() if n >= threshold]
    ranked = sorted(chosen, key=lambda p: (-counts[p], _negated_date(xref, p), xref.records[p].id))[:limit]
    return [RelatedCase(xref.records[p].id, xref.records[p].title, xref.records[p].date, counts[p],
                        tuple(xref.entities[k].name for k in keys if _refers(xref, p, k))) for p in ranked]


def _refers(xref: Xref, path: str, key: str) -> bool:
    """True when the file lists or links the entity."""
    found = xref.refs[path]
    return key in found.listed or key in found.linked


def _negated_date(xref: Xref, path: str) -> tuple[int, ...]:
    """A sort key putting later dates first and undated last."""
    date = xref.records[path].date
    if date is None:
        return (1,)
    return (0, *(-int(part) for part in date.split("-")))


def summaries(xref: Xref, type_: str | None = None) -> list[EntitySummary]:
    """Every entity (of one type) with its counts, most cases first."""
    chosen = [e for e in xref.entities.values() if type_ is None or e.type == type_.casefold()]
    rows = [summary(xref, entity) for entity in chosen]
    return sorted(rows, key=lambda s: (-s.cases, s.name.casefold()))


def dangling_names(xref: Xref) -> list[DanglingName]:
    """Names that links use and that resolve to nothing, most used first."""
    rows = [DanglingName(entity.name, len(places), len({place[0] for place in places}))
            for key, entity in xref.dangling.items() if (places := xref.linking.get(key, []))]
    return sorted(rows, key=lambda row: (-row.links, row.name.casefold()))


def summary(xref: Xref, entity: Entity) -> EntitySummary:
    """One entity's line in the list."""
    return EntitySummary(entity.name, entity.type, tuple(entity.aliases),
                         len(xref.appears.get(entity.key, ())), len(xref.mentioned.get(entity.key, ())),
                         xref.records[entity.page].id if entity.page else None, entity.dangling)


def graph(xref: Xref, min_weight: int = 1) -> Graph:
    """The co-occurrence network: entities as nodes, shared cases as weighted edges."""
    weights = _pair_weights(xref)
    ordered = sorted(xref.entities)
    edges = tuple(GraphEdge(xref.entities[ordered[code // len(ordered)]].name,
                            xref.entities[ordered[code % len(ordered)]].name, n)
                  for code, n in sorted(weights.items()) if n >= min_weight)
    used = {name for edge in edges for name in (edge.source, edge.target)}
    nodes = tuple(s for s in summaries(xref) if min_weight <= 1 or s.name in used)
    return Graph(nodes, edges)


def _pair_weights(xref: Xref) -> Counter[int]:
    """Cases per entity pair, a pair coded as one int (first * count + second, sorted keys).

    One int per distinct pair, at most `MAX_COOCCURRING` choose 2 new ones per file:
    memory follows the edges of the answer, not the square of a file's entities.
    """
    number = {key: index for index, key in enumerate(sorted(xref.entities))}
    size = len(number)
    weights: Counter[int] = Counter()
    for path, record in xref.records.items():
        if record.kind == "case":
            indexes = sorted(number[key] for key in counted_keys(xref.refs[path]))
            weights.update(first * size + second for first, second in combinations(indexes, 2))
    return weights
