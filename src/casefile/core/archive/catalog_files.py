"""The catalog on disk: a base in SHARDS files under a small header, and the recent changes.

`catalog.marshal` (the header) names the base's generation; `catalog-NN.marshal` hold the
entries by a hash of their path; `catalog-recent.marshal` holds the entries set or
removed since that base. A refresh rewrites only the recent file, until more than
RECENT_LIMIT entries changed; then the shards holding them, the header and an empty
recent file are written, in that order. A recent file naming another generation than
the header's is ignored: the shards written before that header already hold its changes.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casefile.core.archive import sidefile
from casefile.core.archive.catalog import Entries, Entry
from casefile.core.disk import write_private

FORMAT = 5
CATALOG = "catalog.marshal"
"""The catalog's header; its entries are in SHARDS files beside it."""
RECENT = "catalog-recent.marshal"
SHARDS = 32
RECENT_LIMIT = 1000
"""Changed entries the recent file holds at most (~200 KB); past it the shards are written."""


def load_catalog(directory: Path | None) -> Entries | None:
    """Per-file entries, or None when missing or unreadable."""
    head = sidefile.load(directory, CATALOG)
    try:
        if head is None or head["format"] != FORMAT or sorted(head["shards"]) != list(range(SHARDS)):
            return None
        loaded: dict[str, Entry] = {}
        for number in range(SHARDS):
            data = sidefile.load(directory, shard_name(number))
            if data is None:
                return None
            loaded.update((str(path), Entry.from_json(path, item)) for path, item in data.items())
        recent = sidefile.load(directory, RECENT)
        changed: set[str] = set()
        if isinstance(recent, dict) and recent.get("base") == head["gen"] and recent.get("format") == FORMAT:
            changed = _apply(loaded, recent["changes"])
        entries = Entries(loaded)
        entries.generation, entries.changed = int(head["gen"]), changed
        return entries
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def _apply(loaded: dict[str, Entry], changes: dict[str, Any]) -> set[str]:
    """Set or remove the entries changed since the base; their paths (raises on malformed data)."""
    for path, item in changes.items():
        if item is None:
            loaded.pop(path, None)
        else:
            loaded[str(path)] = Entry.from_json(path, item)
    return set(changes)


def save_catalog(directory: Path, entries: Mapping[str, Entry]) -> None:
    """Write what changed since the base (with `Entries`; anything else is written whole):
    the recent changes alone, or, when there is no base or too much changed, a new base."""
    if not isinstance(entries, Entries):
        entries = Entries(entries, all_changed=True)
    if entries.all_changed or entries.generation is None or len(entries.changed) > RECENT_LIMIT:
        _save_base(directory, entries)
    changes = {path: (entry.to_json() if (entry := entries.get(path)) is not None else None)
               for path in entries.changed}
    write_private(directory / RECENT, marshal.dumps({"format": FORMAT, "base": entries.generation,
                                                     "changes": changes}))


def _save_base(directory: Path, entries: Entries) -> None:
    """Write the shards holding what changed (all of them for a new catalog), then a new header."""
    touched = set(range(SHARDS)) if entries.all_changed else {_shard_of(path) for path in entries.changed}
    members = _members(entries)
    for number in touched:
        data = {path: entries[path].to_json(keep=False) for path in members[number]}
        write_private(directory / shard_name(number), marshal.dumps(data))
    generation = sidefile.new_generation()
    write_private(directory / CATALOG, marshal.dumps({"format": FORMAT, "shards": list(range(SHARDS)),
                                                      "gen": generation}))
    entries.generation, entries.all_changed = generation, False
    entries.changed.clear()


def _members(entries: Entries) -> list[set[str]]:
    """The paths of each shard: kept on the `Entries` and moved by what changed (a pass over
    every path, 50 ms at 50,000 files, only once per process)."""
    members = entries.members
    if members is None:
        members = entries.members = [set() for _ in range(SHARDS)]
        for path in entries:
            members[_shard_of(path)].add(path)
        return members
    for path in entries.changed:
        (members[_shard_of(path)].add if path in entries else members[_shard_of(path)].discard)(path)
    return members


_SHARD_OF: dict[str, int] = {}


def _shard_of(path: str) -> int:
    """The catalog shard of a path (remembered: a new base looks up every changed path)."""
    shard = _SHARD_OF.get(path)
    if shard is None:
        shard = _SHARD_OF[path] = zlib.crc32(path.encode("utf-8", "surrogatepass")) % SHARDS
    return shard


def shard_name(number: int) -> str:
    """File name of one shard of the catalog's base."""
    return f"catalog-{number:02}.marshal"
