"""`casefile entities`: every entity with its case count; possible duplicates on request."""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from casefile.cli.output import emit, emit_json
from casefile.cli.xref import open_xref
from casefile.config import Config
from casefile.core.model import CasefileError
from casefile.core.wording import _, counted, number, type_name
from casefile.core.xref.model import DanglingName, DuplicateSuggestion, EntitySummary
from casefile.core.xref.store import XrefStore


def register(subparsers: Any, parent: argparse.ArgumentParser) -> None:
    """Add the `entities` command."""
    parser = subparsers.add_parser(
        "entities", parents=[parent], help=_("list entities with their case counts"),
        description=_("List every entity (from entity pages, listed names and links) with the number "
                      "of cases that list or link it, most first."),
    )
    parser.add_argument("--type", metavar="T", help=_("only entities of this type (person, organization, ...)"))
    parser.add_argument("--duplicates", action="store_true",
                        help=_("list entities whose names look like one another (suggestions, never merged). "
                               "Two entity pages with the very same name in different files (translations: "
                               "same-named notes in different folders) are never suggested; pages whose "
                               "names differ by accents or case, and a page against a listed name, still are"))
    parser.add_argument("--json", action="store_true", help=_("print as JSON"))


def summary_json(entity: EntitySummary) -> dict[str, Any]:
    """One entity as JSON."""
    return {"name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "cases": entity.cases, "mentions": entity.mentions, "page": entity.page_id,
            "dangling": entity.dangling}


def duplicate_json(suggestion: DuplicateSuggestion) -> dict[str, Any]:
    """One suggestion as JSON."""
    return {"names": [suggestion.first, suggestion.second], "reason": suggestion.reason,
            "score": suggestion.score, "paths": [suggestion.first_path, suggestion.second_path]}


def run(args: argparse.Namespace, config: Config) -> int:
    """Print the entities (or the possible duplicates)."""
    with open_xref(config) as store:
        if args.duplicates:
            suggestions = store.duplicates()
        else:
            rows = store.entities(args.type)
            if args.type is not None and not rows:
                raise CasefileError(unknown_type(store, args.type))
            dangling = store.dangling_names() if args.type is None else []
    if args.duplicates:
        _print_duplicates(suggestions, args.json)
    elif args.json:
        emit_json({"entities": [summary_json(row) for row in rows],
                   "dangling": [{"name": row.name, "links": row.links, "files": row.files} for row in dangling]})
    else:
        _print_table(rows)
        _print_dangling(dangling)
    return 0


def _print_dangling(rows: list[DanglingName]) -> None:
    """Names links use that resolve to nothing: not entities, listed apart."""
    if not rows:
        return
    emit("")
    emit(counted(len(rows), "{n} name links use that matches nothing (dangling; see casefile check):",
                 "{n} names links use that match nothing (dangling; see casefile check):"))
    for row in rows:
        emit(f"{number(row.links):>6}  {row.name}")


def unknown_type(store: XrefStore, wanted: str) -> str:
    """The error for a --type no entity has, naming the types there are."""
    types = sorted({row.type for row in store.entities()})
    return _("no entity has type '{wanted}' (types here: {types})").format(
        wanted=wanted, types=", ".join(types) or _("none"))


def _print_table(rows: list[EntitySummary]) -> None:
    """One entity a line, counts right-aligned with thousands separators."""
    width = min(40, max((len(row.name) for row in rows), default=4))
    cases, mentions = _("cases"), _("mentions")
    left, right = max(6, len(cases)), max(8, len(mentions))
    name, kind = _("name"), _("type")
    emit(f"{cases:>{left}} {mentions:>{right}}  {name:<{width}}  {kind}")
    repeated = {name for name, n in Counter(row.name for row in rows).items() if n > 1}
    for row in rows:
        flag = "  " + _("(dangling)") if row.dangling else ""
        if row.name in repeated and row.page_id:  # same-named pages are two entities: say which
            flag += f"  ({row.page_id})"
        emit(f"{number(row.cases):>{left}} {number(row.mentions):>{right}}  "
             f"{row.name:<{width}}  {type_name(row.type)}{flag}")
    emit(counted(len(rows), "{n} entity", "{n} entities"))


def _repeated_names(suggestions: list[DuplicateSuggestion]) -> set[str]:
    """Names that stand for different pages in the list (same-named pages): shown with their path."""
    paths: dict[str, set[str | None]] = {}
    for s in suggestions:
        paths.setdefault(s.first, set()).add(s.first_path)
        paths.setdefault(s.second, set()).add(s.second_path)
    return {name for name, found in paths.items() if len(found) > 1}


def _named(name: str, path: str | None, repeated: set[str]) -> str:
    """A name, with its page's path when the list holds other entities of that name."""
    return f"{name} ({path})" if path and name in repeated else name


def _print_duplicates(suggestions: list[DuplicateSuggestion], as_json: bool) -> None:
    """Possible duplicates, as JSON or one pair a line."""
    if as_json:
        emit_json({"possible_duplicates": [duplicate_json(s) for s in suggestions]})
        return
    repeated = _repeated_names(suggestions)
    for s in suggestions:
        first, second = _named(s.first, s.first_path, repeated), _named(s.second, s.second_path, repeated)
        emit(f"{first}  ~  {second}   ({s.reason}, {s.score})")
    emit(counted(len(suggestions), "{n} possible duplicate; nothing is merged",
                 "{n} possible duplicates; nothing is merged"))
