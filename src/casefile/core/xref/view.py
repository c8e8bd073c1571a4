"""The resolved cross-reference on disk: name tables, and the reverse maps sharded by key.

Computing the whole `Xref` reads every record and resolves every link (12 s and ~900 MB at
100,000 files) to answer one entity or one case. Once it has been computed for a saved
store, `write_view` keeps what it found: the name tables resolution needs (compact, read
whole), each entity's listing, links, mentions and cases (a shard per group of keys), and
each file's resolved links and backlinks (a shard per group of paths). `View.partial`
then answers from the name tables plus the few shards one answer needs (`PartialXref`),
with the very query functions the whole cross-reference uses.

A view belongs to one saved store: its header holds the store header's stamp (inode, size,
mtime) and generation, and the token each shard file was written with (an edit that changes
no name rewrites only the shards it touches: view_patch.py), so a store saved since, or a
shard left by a write that died half-way, reads as missing (the whole cross-reference is
computed again), never as a wrong answer. The format is in the file names: an older view
simply looks missing.
"""

from __future__ import annotations

import contextlib
import marshal
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from casefile.core.xref.files import read_marshal, write_atomic
from casefile.core.xref.partial import Meta, PartialXref
from casefile.core.xref.registry import Entity, Xref, counted_keys

VIEW_FORMAT = 1
NAMES_FILE = f"xref-view-v{VIEW_FORMAT}.marshal"
"""The view's header: its token, and the token each shard file and the tables were written with."""
TABLES_FILE = f"xref-view-v{VIEW_FORMAT}.names.marshal"
MAX_SHARDS = 256
"""Shards of each kind at most (~400 files' rows each at 100,000 files)."""
FILES_A_SHARD = 400
"""A view has one shard of each kind per this many files (a small folder writes a few files)."""
EMPTY: dict[str, dict[str, Any]] = {
    "k": {"listing": {}, "linking": {}, "mentioned": {}, "appears": {}, "counted": {}},
    "p": {"refs": {}, "backlinks": {}},
}
"""A shard no file holds (the header lists the shard files written)."""
Token = tuple[int, int, int, int]
"""The stamp of the store header the view was computed from, and its generation."""


def shard_count(files: int) -> int:
    """Shards of each kind for a view of `files` files."""
    return max(1, min(MAX_SHARDS, files // FILES_A_SHARD))


def shard_of(text: str, count: int) -> int:
    """The shard holding an entity key's reverse maps, or a path's links and backlinks."""
    return zlib.crc32(text.encode("utf-8", "surrogateescape")) % count


def file_name(kind: str, number: int) -> str:
    """File name of a shard: kind "k" (entity keys) or "p" (paths)."""
    return f"xref-view-v{VIEW_FORMAT}.{kind}{number:03d}.marshal"


def write_view(directory: Path, xref: Xref, token: Token) -> None:
    """Write the view of `xref` (computed from the store whose header has stamp `token`), one
    shard at a time: building them all first held a second copy of the cross-reference's maps
    (~170 MB more at 50,000 files, at the end of the reader's first build)."""
    (directory / NAMES_FILE).unlink(missing_ok=True)  # a half-written view never reads as whole
    count = shard_count(len(xref.records))
    written: dict[str, Token] = {}
    keys = _grouped((*xref.listing, *xref.linking, *xref.mentioned, *xref.appears), count)
    paths = _grouped((*xref.refs, *xref.backlinks), count)
    for kind, groups, build in (("k", keys, _key_shard), ("p", paths, _path_shard)):
        for number, members in enumerate(groups):
            shard = build(xref, members)
            if any(shard.values()):  # an empty shard is not written: the header says which are
                written[file_name(kind, number)] = token
                write_atomic(directory / file_name(kind, number), marshal.dumps({"token": token, **shard}))
    write_atomic(directory / TABLES_FILE, marshal.dumps({"token": token, **names_of(xref)}))
    write_header(directory, token, count, written, token)


def _grouped(texts: Iterable[str], count: int) -> list[list[str]]:
    """Entity keys or paths by the shard that holds them (each once, in first-seen order)."""
    groups: list[list[str]] = [[] for _ in range(count)]
    for text in dict.fromkeys(texts):
        groups[shard_of(text, count)].append(text)
    return groups


def write_header(directory: Path, token: Token, count: int, shards: dict[str, Token], tables: Token,
                 ) -> dict[str, Any]:
    """The header, written last: what the view is of, and the token of each of its files."""
    header = {"format": VIEW_FORMAT, "token": token, "count": count, "shards": shards, "tables": tables}
    write_atomic(directory / NAMES_FILE, marshal.dumps(header))
    return header


def header_of(directory: Path, token: Token) -> dict[str, Any] | None:
    """The header of the view of the store whose header has stamp `token` (None: no such view)."""
    header = read_marshal(directory / NAMES_FILE)
    if not isinstance(header, dict) or header.get("format") != VIEW_FORMAT or header.get("token") != token:
        return None
    return header


def names_of(xref: Xref) -> dict[str, Any]:
    """The name tables resolution needs, and each file's listing form."""
    return {
        "meta": {path: (r.id, r.title, r.date, r.kind) for path, r in xref.records.items()},
        "case_by_id": xref.case_by_id, "case_by_title": xref.case_by_title, "case_by_alias": xref.case_by_alias,
        "lookup": xref.lookup, "page_key": xref.page_key, "shared_names": xref.shared_names,
        "exact": xref.files.exact, "by_name": xref.files.by_name,
        "entities": {key: (e.name, e.type, e.aliases, e.page) for key, e in xref.entities.items()},
        "dangling": {key: e.name for key, e in xref.dangling.items()},
    }


def _key_shard(xref: Xref, keys: list[str]) -> dict[str, Any]:
    """One entity shard: the reverse maps of its keys, and the counted keys of the cases they appear in."""
    shard: dict[str, Any] = {field: {} for field in EMPTY["k"]}
    for field, found in (("listing", xref.listing), ("linking", xref.linking), ("mentioned", xref.mentioned),
                         ("appears", xref.appears)):
        shard[field] = {key: found[key] for key in keys if key in found}
    counted = shard["counted"]
    for key in keys:
        for path in xref.appears.get(key, ()):
            if path not in counted:
                counted[path] = counted_keys(xref.refs[path])
    return shard


def _path_shard(xref: Xref, paths: list[str]) -> dict[str, Any]:
    """One file shard: each file's resolved references and the links to it."""
    refs, backlinks = xref.refs, xref.backlinks
    return {"refs": {path: (list(found.listed), list(found.linked), found.links)
                     for path in paths if (found := refs.get(path)) is not None},
            "backlinks": {path: backlinks[path] for path in paths if path in backlinks}}


class View:
    """A view on disk, its name tables read; shards read when an answer needs them."""

    def __init__(self, directory: Path, header: dict[str, Any], tables: dict[str, Any]) -> None:
        self.directory = directory
        self.token: Token = header["token"]
        self.count: int = header["count"]
        self.shards: dict[str, Token] = header["shards"]
        self.tables_token: Token = header["tables"]
        self.tables = data = tables
        self._entities = {key: Meta.entity(key, *row) for key, row in data["entities"].items()}
        self._dangling = {key: Entity(key, name, "dangling", dangling=True) for key, name in data["dangling"].items()}

    @classmethod
    def open(cls, directory: Path, token: Token) -> View | None:
        """The view of the store whose header has stamp `token`, or None."""
        header = header_of(directory, token)
        if header is None:
            return None
        tables = read_marshal(directory / TABLES_FILE)
        if not isinstance(tables, dict) or tables.get("token") != header.get("tables"):
            return None
        return cls(directory, header, tables)

    def moved(self, header: dict[str, Any], tables: dict[str, Any]) -> View:
        """This view after a patch (the same entities: a patch changes no name)."""
        moved = View.__new__(View)
        moved.directory, moved.token, moved.count = self.directory, header["token"], header["count"]
        moved.shards, moved.tables_token, moved.tables = header["shards"], header["tables"], tables
        moved._entities, moved._dangling = self._entities, self._dangling
        return moved

    def discard(self) -> None:
        """Remove the header of a view found damaged (so the next whole computation writes it again)."""
        with contextlib.suppress(OSError):  # a read-only index: answers stay whole
            (self.directory / NAMES_FILE).unlink(missing_ok=True)

    def partial(self) -> PartialXref:
        """A cross-reference holding the name tables, to be filled shard by shard."""
        read: dict[str, dict[str, Any] | None] = {}  # each shard read once per answer

        def shard(kind: str, text: str) -> dict[str, Any] | None:
            name = file_name(kind, shard_of(text, self.count))
            if name not in read:
                read[name] = self._file(name) if name in self.shards else EMPTY[kind]
            return read[name]
        return PartialXref(self.tables, self._entities, self._dangling, shard)

    def _file(self, name: str) -> dict[str, Any] | None:
        """One shard file; None when it is missing, damaged or not this view's."""
        data = read_marshal(self.directory / name)
        return data if isinstance(data, dict) and data.get("token") == self.shards.get(name) else None


