"""`casefile xref NAME`: everything the archive knows about one entity or case."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from casefile.cli.common import open_archive, warn_duplicates
from casefile.cli.output import emit, emit_json
from casefile.config import Config
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import N_, _, counted, date_text, number, type_name
from casefile.core.xref.model import CaseRef, CaseXref, EntityXref, Occurrence
from casefile.core.xref.store import XrefStore


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `xref` command."""
    parser = subparsers.add_parser(
        "xref", parents=[parent], help=_("cross-reference of an entity or a case"),
        description=_("Show the cases that list, link or mention an entity (by name or alias), "
                      "or a case's entities, links, backlinks and related cases (by id). "
                      "When several files share the name (same-named notes in different folders), "
                      "the one nearest the folder's root is shown and stderr names the others: "
                      "give a path to choose."),
    )
    parser.add_argument("name", help=_("entity name or alias, case id, or a file's path"))
    parser.add_argument("--json", action="store_true", help=_("print the cross-reference as JSON"))


@contextmanager
def open_xref(config: Config) -> Iterator[XrefStore]:
    """The archive's cross-reference, brought up to date with the index."""
    with open_archive(config) as archive:
        yield archive.xref


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the entity or case `args.name`; 1 when nothing has that name."""
    with open_archive(config) as archive:
        paths = archive.note_paths(args.name)
        warn_duplicates(args.name, paths)
        found = lookup(archive.xref, args.name, paths)
        if found is None:
            return not_found(archive.xref, args.name)
        also = paths[1:] if paths else others(archive.xref, args.name, shown_path(found))
    if also and not paths:
        warn_namesakes(args.name, shown_path(found), also)
    if args.json:
        data = entity_json(found) if isinstance(found, EntityXref) else case_json(found)
        emit_json({**data, "also": also})
    else:
        for line in entity_lines(found) if isinstance(found, EntityXref) else case_lines(found):
            emit(line)
    return 0


def lookup(store: XrefStore, name: str, paths: list[str] | None = None) -> EntityXref | CaseXref | None:
    """The case or entity `name` resolves to: the file at `paths[0]` (the files `name` names as
    a path or an id), else by case id, entity name or alias, case title."""
    case = store.case(paths[0]) if paths else None
    if case is not None:
        return (store.entity(case.path) or case) if case.kind == "entity" else case  # its own, not a namesake
    resolution = store.resolve(name)
    if resolution.kind == "case" and resolution.case_id is not None:
        return store.case(resolution.path or resolution.case_id)  # the file: ids may repeat
    return store.entity(resolution.path or resolution.entity) if resolution.entity else None  # its page


def shown_path(found: EntityXref | CaseXref) -> str | None:
    """The file `xref` shows: the case, or the entity's page (None for an entity without one)."""
    return found.page_path if isinstance(found, EntityXref) else found.path


def others(store: XrefStore, name: str, shown: str | None) -> list[str]:
    """The other files `name` names as much as the one shown (same-named notes or pages), by path."""
    return [path for path in store.namesakes(name) if path != shown]


NAMED_NAMESAKES = 8
"""Paths the notice names (a vault may hold one note per language: `--json` lists them all)."""


def warn_namesakes(name: str, shown: str | None, also: list[str]) -> None:
    """Say on stderr that several files share `name`, which one is shown and how to choose."""
    every = sorted([shown, *also]) if shown else also
    paths = ", ".join(every[:NAMED_NAMESAKES])
    if len(every) > NAMED_NAMESAKES:
        rest = len(every) - NAMED_NAMESAKES
        paths += " " + counted(rest, "and {n} more (--json lists them)", "and {n} more (--json lists them)")
    text = _("name '{name}' is shared by {count} files: {paths}; showing {shown} (give a path to choose)")
    sys.stderr.write(clean_line("casefile: " + text.format(name=name, count=number(len(every)),
                                                           paths=paths, shown=shown)) + "\n")


def not_found(store: XrefStore, name: str) -> int:
    """Say so on stderr, with close names; exit status 1."""
    close = difflib.get_close_matches(name, store.known_names(), n=3, cutoff=0.75)
    text = _("no case or entity named '{name}' (did you mean: {names}?)") if close \
        else _("no case or entity named '{name}'")
    sys.stderr.write(clean_line("casefile: " + text.format(name=name, names=", ".join(close))) + "\n")
    return 1


def _ids(items: tuple[CaseRef, ...] | tuple[Occurrence, ...]) -> list[str]:
    """Ids in order, each once."""
    return list(dict.fromkeys(item.id for item in items))


def _place(occurrence: Occurrence) -> dict[str, Any]:
    """A located line as JSON."""
    return {"id": occurrence.id, "kind": occurrence.kind, "line": occurrence.line, "context": occurrence.context}


def entity_json(entity: EntityXref) -> dict[str, Any]:
    """The JSON form of an entity's cross-reference."""
    return {
        "kind": "entity", "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
        "page": entity.page_id, "path": entity.page_path, "dangling": entity.dangling,
        "cases_listing": _ids(entity.cases_listing),
        "cases_linking": _ids(entity.cases_linking),
        "unlinked_mentions": _ids(entity.unlinked_mentions),
        "cooccurring": [{"name": c.name, "type": c.type, "count": c.count} for c in entity.cooccurring],
        "timeline": [{"id": c.id, "date": c.date} for c in entity.timeline],
        "links": [_place(o) for o in entity.cases_linking],
        "mentions": [_place(o) for o in entity.unlinked_mentions],
    }


def case_json(case: CaseXref) -> dict[str, Any]:
    """The JSON form of a case's cross-reference."""
    return {
        "kind": case.kind, "id": case.id, "title": case.title, "path": case.path, "date": case.date,
        "entities": [{"name": e.name, "type": e.type, "listed": e.listed, "linked": e.linked, "page": e.page}
                     for e in case.entities],
        "links": list(dict.fromkeys(link.resolution.case_id for link in case.links
                                    if link.resolution.case_id is not None)),
        "backlinks": _ids(case.backlinks),
        "related": [{"id": r.id, "shared": r.shared} for r in case.related],
        "link_details": [{"target": link.target, "line": link.line, "context": link.context,
                          "resolves_to": link.resolution.kind,
                          "ref": link.resolution.case_id or link.resolution.entity}
                         for link in case.links],
        "backlink_details": [_place(o) for o in case.backlinks],
    }


def _occurrence_line(occurrence: Occurrence) -> str:
    """`  ID:LINE  context`."""
    where = f"{occurrence.id}:{occurrence.line}" if occurrence.line else occurrence.id
    return f"  {where}  {occurrence.context}"


def entity_lines(entity: EntityXref) -> Iterator[str]:
    """The readable form of an entity's cross-reference."""
    flag = "  " + _("(dangling: only links name it)") if entity.dangling else ""
    yield f"{entity.name}  [{type_name(entity.type)}]{flag}"
    if entity.page_id:
        yield _("page: {id}").format(id=entity.page_id)
    if entity.aliases:
        yield _("aliases: {aliases}").format(aliases=", ".join(entity.aliases))
    yield "\n" + counted(len(entity.cases_listing), "Listed in {n} case:", "Listed in {n} cases:")
    yield from (f"  {c.id}  {date_text(c.date, short=True) or '—'}  {c.title}" for c in entity.cases_listing)
    yield "\n" + counted(len(entity.cases_linking), "Linked from {n} place:", "Linked from {n} places:")
    yield from map(_occurrence_line, entity.cases_linking)
    yield "\n" + counted(len(entity.unlinked_mentions), "Mentioned without a link in {n} file:",
                          "Mentioned without a link in {n} files:")
    yield from map(_occurrence_line, entity.unlinked_mentions)
    yield "\n" + counted(len(entity.cooccurring), "Appears with {n} entity:", "Appears with {n} entities:")
    yield from (f"  {number(c.count):>4}  {c.name} [{type_name(c.type)}]" for c in entity.cooccurring)
    yield "\n" + _("Timeline:")
    undated = _("undated")
    yield from (f"  {date_text(c.date, short=True) or undated:<10}  {c.id}  {c.title}" for c in entity.timeline)


def case_lines(case: CaseXref) -> Iterator[str]:
    """The readable form of a case's cross-reference."""
    yield f"{case.title}"
    yield _("id: {id}   path: {path}   date: {date}").format(id=case.id, path=case.path,
                                                            date=date_text(case.date) or "—")
    yield "\n" + _("Entities ({n}):").format(n=number(len(case.entities)))
    for entity in case.entities:
        how = _("listed and linked") if entity.listed and entity.linked \
            else _("listed") if entity.listed else _("linked")
        yield f"  {entity.name} [{type_name(entity.type)}]  {how}"
    yield "\n" + _("Links ({n}):").format(n=number(len(case.links)))
    for link in case.links:
        yield "  " + _link_line(link)
    yield "\n" + _("Backlinks ({n}):").format(n=number(len(case.backlinks)))
    yield from map(_occurrence_line, case.backlinks)
    yield "\n" + _("Related cases ({n}):").format(n=number(len(case.related)))
    yield from (f"  {number(r.shared):>3} " + _("shared") + f"  {r.id}  {r.title}  ({', '.join(r.names)})"
                for r in case.related)


_RESOLVED = {"case": N_("case"), "entity": N_("entity"), "dangling": N_("DANGLING")}
"""How each kind of link target is named in the readable form (the JSON keeps the kind)."""


def _link_line(link: Any) -> str:
    """`line N: [[target]] -> case ID` in the user's language."""
    to = link.resolution.case_id or link.resolution.entity or ""
    kind = _(_RESOLVED.get(link.resolution.kind, link.resolution.kind))
    return _("line {line}: [[{target}]] -> {kind} {to}").format(
        line=link.line or "-", target=link.target, kind=kind, to=to).rstrip()
