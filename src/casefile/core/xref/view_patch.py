"""Keep a view current after edits that change no name, from the edited files' own rows.

When every file an update read had a record before with the same id, title, kind, type,
aliases, listed names and link targets (`same_names`), every name table is as it was, and
so is every other file's resolution: only the edited files' own rows change (their links'
lines and contexts, their mentions, their date). Those rows are taken out of the shards
that hold them and the new ones put in their place (each list is in path order, as `Xref`
builds it); the other shards are left as they are, under their old token.
"""

from __future__ import annotations

import marshal
from bisect import bisect_left
from collections import defaultdict
from operator import itemgetter
from typing import Any

from casefile.core.xref.files import write_atomic
from casefile.core.xref.partial import PartialXref
from casefile.core.xref.record import Record
from casefile.core.xref.registry import Place
from casefile.core.xref.view import EMPTY, TABLES_FILE, Token, View, file_name, shard_of, write_header

Rows = dict[str, dict[str, list[Place]]]
"""field ("linking", "mentioned", "backlinks") -> key or path -> one file's places."""


def same_names(old: Record | None, new: Record) -> bool:
    """True when replacing `old` by `new` changes no name the archive resolves with."""
    return old is not None and (old.kind, old.entity_type, old.id, old.title, old.aliases, old.listed, old.keys,
                                [(link[0], link[4]) for link in old.links]) == \
        (new.kind, new.entity_type, new.id, new.title, new.aliases, new.listed, new.keys,
         [(link[0], link[4]) for link in new.links])


def patch_view(view: View, new: Token, changes: list[tuple[Record, Record]]) -> View:
    """The view of store `new`, which differs from `view`'s by `changes` (old, new record;
    each `same_names`): the shards they touch written again, then the header."""
    directory = view.directory
    partial = view.partial()
    owner, shared = partial.mention_owners(), partial.shared_mentions()
    shards: dict[str, dict[str, Any]] = {}
    meta: dict[str, tuple[str, str, str | None, str]] = {}
    for was, now in changes:
        before, after = _rows(partial, was, owner, shared), _rows(partial, now, owner, shared)
        for field, kind in (("linking", "k"), ("mentioned", "k"), ("backlinks", "p")):
            for key in before[field].keys() | after[field].keys():
                _replace(_shard(view, shards, kind, key)[field], key, now.path, after[field].get(key, []))
        found = after["refs"][now.path]
        _shard(view, shards, "p", now.path)["refs"][now.path] = found
        if view.tables["meta"].get(now.path) != (row := (now.id, now.title, now.date, now.kind)):
            meta[now.path] = row
    written = dict(view.shards)
    for name, data in shards.items():
        written[name] = new
        write_atomic(directory / name, marshal.dumps({**data, "token": new}))
    tables, tables_token = view.tables, view.tables_token
    if meta:  # a date changed: the tables are written again
        tables, tables_token = {**view.tables, "meta": {**view.tables["meta"], **meta}, "token": new}, new
        write_atomic(directory / TABLES_FILE, marshal.dumps(tables))
    header = write_header(directory, new, view.count, written, tables_token)
    return view.moved(header, tables)


def _shard(view: View, shards: dict[str, dict[str, Any]], kind: str, text: str) -> dict[str, Any]:
    """The shard holding a key or path, read once (ViewBroken when it is damaged)."""
    from casefile.core.xref.partial import ViewBroken

    name = file_name(kind, shard_of(text, view.count))
    if name not in shards:
        data = view._file(name) if name in view.shards else {field: {} for field in EMPTY[kind]}
        if data is None:
            raise ViewBroken(f"cross-reference view: {name} unreadable")
        shards[name] = data
    return shards[name]


def _rows(partial: PartialXref, record: Record, owner: dict[str, str], shared: dict[str, list[str]]) -> dict[str, Any]:
    """What one file adds to the reverse maps, resolved against the view's name tables."""
    found = partial._resolve_listed(record)
    partial._resolve_links(record, found)
    rows: dict[str, Any] = {field: defaultdict(list) for field in ("linking", "mentioned", "backlinks")}
    for _target, line, context, ref in found.links:
        if ref[0] == "case":
            rows["backlinks"][ref[1]].append((record.path, line, context))
        elif ref[0] != "file" and line is not None:
            rows["linking"][ref[1]].append((record.path, line, context))
    for entity, place in partial.file_mentions(record, found, owner, shared):
        rows["mentioned"][entity].append(place)
    rows["refs"] = {record.path: (list(found.listed), list(found.linked), found.links)}
    return rows


def _replace(lists: dict[str, list[Place]], key: str, path: str, rows: list[Place]) -> None:
    """The places of `path` under `key` replaced by `rows`, where path order puts them."""
    places = [place for place in lists.get(key, []) if place[0] != path]
    at = bisect_left(places, path, key=itemgetter(0))
    places[at:at] = rows
    if places:
        lists[key] = places
    else:
        lists.pop(key, None)
