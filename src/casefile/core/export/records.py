"""What an export holds: the chosen cases, the entities they touch and the edges between.

Files `check` reports with an error are skipped (their problems are listed instead), so
nothing is exported half-parsed. Every string is sanitized here, once, for every format.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from casefile.core.archive.facade import search_or_rebuild
from casefile.core.model import Case, Problem, Source
from casefile.core.text.sanitize import clean, clean_line

if TYPE_CHECKING:
    from casefile.core.archive.facade import Archive
    from casefile.core.xref.registry import Xref

EdgeKind = Literal["listed", "linked", "mentioned"]
KIND_ORDER: dict[str, int] = {"listed": 0, "linked": 1, "mentioned": 2}


@dataclass(frozen=True, slots=True)
class EntityRow:
    """One entity as exported: its identity key, display name, type and other names."""

    key: str
    """The cross-reference's key (case, accents and spaces folded): stable identity."""
    name: str
    type: str
    aliases: tuple[str, ...]
    page: Case | None
    """Its entity page, when it has one that parsed without errors."""


@dataclass(frozen=True, slots=True)
class Edge:
    """A case listing, linking to or mentioning an entity (one row per occurrence)."""

    case_id: str
    case_path: str
    entity_key: str
    entity_name: str
    kind: EdgeKind
    line: int | None
    """1-based line of the link or mention; None for a front matter listing."""
    context: str


@dataclass(frozen=True, slots=True)
class Export:
    """Everything one export writes, in a stable order."""

    cases: tuple[Case, ...]
    entities: tuple[EntityRow, ...]
    edges: tuple[Edge, ...]
    skipped: tuple[Problem, ...]
    """The error problems of the files left out (as `casefile check` reports them)."""
    query: str | None = None
    notice: str | None = None
    """The search's message about the query (a parse fallback, an unknown field)."""


def collect(archive: Archive, query: str | None = None) -> Export:
    """The export of `archive` (refreshed by the caller), or of the cases `query` finds."""
    problems = archive.problems()
    bad = {p.path for p in problems if p.severity == "error"}
    xref = archive.xref.computed()
    paths = [path for path, record in xref.records.items() if record.kind == "case" and path not in bad]
    notice = None
    if query is not None:
        result = search_or_rebuild(archive, query, limit=None)
        found, notice = {hit.path for hit in result.hits}, result.notice
        paths = [path for path in paths if path in found]
    edges = sorted(_edges(xref, set(paths)), key=_edge_order)
    cases = [case for path in paths if (case := archive.case(path)) is not None and case.kind == "case"]
    entities = _entities(archive, xref, bad, {e.entity_key for e in edges}, every_page=query is None)
    return Export(tuple(sorted(map(sanitized, cases), key=lambda c: (c.id.casefold(), c.path))),
                  tuple(entities), tuple(edges), tuple(p for p in problems if p.severity == "error"),
                  query, _opt(notice))


def _edges(xref: Xref, chosen: set[str]) -> Iterator[Edge]:
    """Every listing, link to an entity and unlinked mention in the chosen cases."""
    entities = xref.entities
    for path in chosen:
        record, found = xref.records[path], xref.refs[path]
        for key in found.listed:
            yield _edge(record.id, path, key, entities[key].name, "listed", None, "")
        for _target, line, context, ref in found.links:
            if ref[0] == "entity":
                yield _edge(record.id, path, ref[1], entities[ref[1]].name, "linked", line, context)
    for key, places in xref.mentioned.items():
        for path, line, context in places:
            if path in chosen and not entities[key].dangling:
                yield _edge(xref.records[path].id, path, key, entities[key].name, "mentioned", line, context)


def _edge(case_id: str, path: str, key: str, name: str, kind: EdgeKind, line: int | None, context: str) -> Edge:
    """One sanitized edge."""
    return Edge(clean_line(case_id), clean_line(path), key, clean_line(name), kind, line, clean_line(context))


def _edge_order(edge: Edge) -> tuple[str, str, int, int, str]:
    """Edges by case, kind, line, entity: the same order on every run."""
    return (edge.case_id.casefold(), edge.case_path, KIND_ORDER[edge.kind], edge.line or 0, edge.entity_key)


def _entities(archive: Archive, xref: Xref, bad: set[str], touched: set[str], *,
              every_page: bool) -> list[EntityRow]:
    """Entities touched by an edge, and (`every_page`) those with an entity page without errors."""
    rows = []
    for key in sorted(xref.entities):
        entity = xref.entities[key]
        good_page = entity.page is not None and entity.page not in bad
        if entity.dangling or not (key in touched or (every_page and good_page)):
            continue
        page = archive.case(entity.page) if good_page and entity.page is not None else None
        aliases = tuple(entity.aliases) if good_page else ()  # a bad page's names are not trusted
        rows.append(EntityRow(key, clean_line(entity.name), clean_line(entity.type),
                              tuple(map(clean_line, aliases)), sanitized(page) if page is not None else None))
    return rows


def sanitized(case: Case) -> Case:
    """The case with every string cleaned (the body keeps its newlines and tabs)."""
    return replace(
        case, id=clean_line(case.id), path=clean_line(case.path), title=clean_line(case.title),
        body=clean(case.body), date=_opt(case.date), status=_opt(case.status),
        tags=_lines(case.tags), lang=clean_line(case.lang),
        entities=tuple((clean_line(kind), clean_line(name)) for kind, name in case.entities),
        sources=tuple(Source(clean_line(s.title), _opt(s.url), _opt(s.date)) for s in case.sources),
        links=(), entity_type=_opt(case.entity_type), aliases=_lines(case.aliases),
    )


def _opt(text: str | None) -> str | None:
    """`clean_line`, keeping None."""
    return clean_line(text) if text is not None else None


def _lines(texts: Iterable[str]) -> tuple[str, ...]:
    """Each string cleaned as a line."""
    return tuple(clean_line(text) for text in texts)
