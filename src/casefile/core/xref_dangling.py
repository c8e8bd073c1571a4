"""Dangling links found from the records' resolution keys alone, shard by shard.

`Xref` finds them too, but only once every record is in memory (~270 MB at 50,000
files); this needs the keys and links, one shard file at a time. Pure but for
`shard_skeletons`, which reads one shard file.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from casefile.core.model import Problem, problem
from casefile.core.sanitize import clean_line
from casefile.core.xref_files import read_marshal, shard_name, write_atomic

Dangling = tuple[str, int | None, str]
"""(path, line, target) of a link that resolves to nothing."""
Skeleton = tuple[str, str, int, tuple[tuple[str, int, str], ...], tuple[str, ...]]
"""(path, kind, number of listed names, links, keys): what resolution needs of a record."""


def shard_skeletons(directory: Path, number: int) -> Iterator[Skeleton]:
    """The skeletons of one shard file's records (none when it is missing or damaged)."""
    data = read_marshal(directory / shard_name(number))
    rows = data.get("records", []) if isinstance(data, dict) else []
    for row in rows:  # Record.to_data's order
        yield row[0], row[4], len(row[7]), row[8], row[11]


def dangling_links(records: Iterable[Skeleton]) -> list[Dangling]:
    """Links whose key is no case id, case title, entity name or alias, nor a listed name.

    The same verdict as `Xref` (a test compares them), from keys alone.
    """
    defined: set[str] = set()
    links: list[tuple[str, str, int | None, str]] = []
    for path, kind, listed, targets, keys in records:
        defined.update(keys[:2 + listed])  # id, title (or entity name), listed names
        if kind == "entity":
            defined.update(key for key in keys[2 + listed + len(targets):] if key)  # aliases
        links += [(key, path, line, target) for (target, line, _c), key in zip(targets, keys[2 + listed:])]
    found = [(path, line, target) for key, path, line, target in links if key not in defined]
    return sorted(found, key=lambda row: row[0])


def carried(previous: list[Dangling], olds: Mapping[str, Any], fresh: Iterable[Any]) -> list[Dangling] | None:
    """The list after replacing the records `olds` (path -> old Record or None) by `fresh`,
    when that provably changes nothing else: every fresh record has an old one with the
    same keys (so the names defined are the same, and each link key is as dangling as it
    was); lines are taken from the fresh record. None when that does not hold.
    """
    before: dict[str, set[tuple[str, int | None]]] = {}
    for path, line, target in previous:
        before.setdefault(path, set()).add((target, line))
    kept = [row for row in previous if row[0] not in olds]
    for record in fresh:
        old = olds.get(record.path)
        if old is None or (old.kind, old.keys, len(old.listed)) != (record.kind, record.keys, len(record.listed)):
            return None
        first, was = 2 + len(record.listed), before.get(record.path, set())
        keys = {key for (target, line, _c), key in zip(old.links, old.keys[first:]) if (target, line) in was}
        kept += [(record.path, line, target) for (target, line, _c), key in zip(record.links, record.keys[first:])
                 if key in keys]
    return sorted(kept, key=lambda row: row[0])


def read_saved(path: Path, header: tuple[int, int, int]) -> list[Dangling] | None:
    """The list in the side file at `path` if it was saved for this header stamp, else None."""
    data = read_marshal(path)
    if isinstance(data, dict) and tuple(data.get("header", ())) == header:
        return [tuple(row) for row in data["dangling"]]  # type: ignore[misc]
    return None


def write_saved(path: Path, header: tuple[int, int, int], found: list[Dangling]) -> bool:
    """Write the side file for this header stamp; False when the folder is read-only."""
    try:
        write_atomic(path, marshal.dumps({"header": header, "dangling": found}))
    except OSError:  # the list is found again next time
        return False
    return True


def dangling_problem(path: str, line: int | None, target: str) -> Problem:
    """The warning for one dangling link (as `Xref.problems` words it)."""
    return problem(path, line, "dangling-link", "[[{target}]] matches no case or entity", "warning",
                   target=target)
