"""Answers of the cross-reference as plain records: an entity, a case, the list, the graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations

from casefile.core.xref.mentions import name_key
from casefile.core.xref.model import (
    CaseRef,
    CaseXref,
    DanglingName,
    EntityRef,
    EntitySummary,
    EntityXref,
    Graph,
    GraphEdge,
    GraphNode,
    NameCount,
    Occurrence,
    OutLink,
    RelatedCase,
    Resolution,
)
from casefile.core.xref.registry import Entity, Place, Xref, counted_keys
from casefile.core.xref.resolve import target_key


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
        page_path=entity.page,
    )


def cooccurring(xref: Xref, key: str) -> list[NameCount]:
    """Entities appearing in the same cases as `key`, with the number of cases, most first."""
    counts: Counter[str] = Counter()
    for path in xref.appears.get(key, ()):
        counted = xref.counted(path)
        if key in counted:
            counts.update(other for other in counted if other != key)
    return [NameCount(xref.entities[k].name, xref.entities[k].type, n, xref.entities[k].page)
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], xref.entities[kv[0]].name.casefold()))]


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
    return EntityRef(entity.name, entity.type, listed, linked, entity.page)


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
    # a related file is a case (it is in `appears`): it lists or links k exactly when it appears with k
    appearing = {k: set(xref.appears.get(k, ())) for k in keys}
    return [RelatedCase(xref.records[p].id, xref.records[p].title, xref.records[p].date, counts[p],
                        tuple(xref.entities[k].name for k in keys if p in appearing[k])) for p in ranked]


def _negated_date(xref: Xref, path: str) -> tuple[int, ...]:
    """A sort key putting later dates first and undated last."""
    date = xref.records[path].date
    if date is None:
        return (1,)
    return (0, *(-int(part) for part in date.split("-")))


def summaries(xref: Xref, type_: str | None = None) -> list[EntitySummary]:
    """Every entity (of one type) with its counts, most cases first."""
    return [summary(xref, entity) for entity in _by_cases(xref) if type_ is None or entity.type == type_.casefold()]


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


def namesakes(xref: Xref, name: str) -> list[str]:
    """The files `name`, asked from the folder's root, names equally, by path: same-named notes
    (or pages), pages sharing an entity name, cases sharing a title; empty when it names one or
    none. The resolver shows one of them (`Xref.resolve`); the rest are what the user may have meant."""
    key = name_key(name)
    if key in xref.case_by_id:
        return []  # an id: the files sharing it are the duplicate-id notice's
    notes = [path for path in xref.files.candidates(target_key(name)) if path in xref.records]
    if notes:
        return notes if len(notes) > 1 else []
    if key in xref.shared_names:
        return sorted(xref.shared_names[key])
    if key in xref.lookup or key in xref.case_by_alias:
        return []
    titled = [path for path, record in xref.records.items() if record.kind == "case" and record.title_key == key]
    return titled if len(titled) > 1 else []


def graph(xref: Xref, min_weight: int = 1) -> Graph:
    """The co-occurrence network: entities as nodes (keyed by page path, so same-named pages stay
    apart), shared cases as weighted edges."""
    weights = _pair_weights(xref)
    ordered = sorted(xref.entities)
    ids = node_ids(xref)
    edges = tuple(GraphEdge(ids[ordered[code // len(ordered)]], ids[ordered[code % len(ordered)]], n)
                  for code, n in sorted(weights.items()) if n >= min_weight)
    used = {key for edge in edges for key in (edge.source, edge.target)}
    shared = _shared_names(xref.entities.values())
    nodes = tuple(_node(entity, ids[entity.key], shared, len(xref.appears.get(entity.key, ())))
                  for entity in _by_cases(xref) if min_weight <= 1 or ids[entity.key] in used)
    return Graph(nodes, edges)


def node_ids(xref: Xref) -> dict[str, str]:
    """Entity key -> graph node id: its page's path, else its name (`name:` before a name that
    is some page's path, so ids never collide)."""
    pages = {entity.page for entity in xref.entities.values() if entity.page}
    return {key: entity.page or (f"name:{entity.name}" if entity.name in pages else entity.name)
            for key, entity in xref.entities.items()}


def _shared_names(entities: Iterable[Entity]) -> set[str]:
    """Names (folded) that more than one entity has: same-named pages."""
    counts = Counter(name_key(entity.name) for entity in entities)
    return {name for name, n in counts.items() if n > 1}


def _by_cases(xref: Xref) -> list[Entity]:
    """Entities most cases first, then by name, then by page path (the order of `summaries`
    and of the graph's nodes)."""
    return sorted(xref.entities.values(),
                  key=lambda e: (-len(xref.appears.get(e.key, ())), e.name.casefold(), e.page or ""))


def _node(entity: Entity, node_id: str, shared: set[str], cases: int) -> GraphNode:
    """One node, labelled with its name and, when another entity has that name, its page's path."""
    label = f"{entity.name} ({entity.page})" if entity.page and name_key(entity.name) in shared else entity.name
    return GraphNode(node_id, entity.name, label, entity.type, cases, entity.page)


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
