"""Dangling links found from the records' resolution keys alone, shard by shard.

`Xref` finds them too, but only once every record is in memory (~270 MB at 50,000
files); this needs the keys and links, one shard file at a time. Pure but for
`shard_skeletons`, which reads one shard file.
"""

from __future__ import annotations

import marshal
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import Any

from casefile.core.model import Problem, problem
from casefile.core.xref.files import read_marshal, shard_name, write_atomic
from casefile.core.xref.record import MARKDOWN, LinkEntry
from casefile.core.xref.resolve import Files

Dangling = tuple[str, int | None, str, "str | None"]
"""(path, line, target, None) of a link that resolves to nothing; (path, line, target,
chosen path) of one whose tie between files only path length or order broke."""
SPLICE_LIMIT = 64
"""Files an update may replace the rows of one by one; past it the list is sorted again."""
Skeleton = tuple[str, str, int, tuple[LinkEntry, ...], tuple[str, ...]]
"""(path, kind, number of listed names, links, keys): what resolution needs of a record."""


def shard_skeletons(directory: Path, number: int) -> Iterator[Skeleton]:
    """The skeletons of one shard file's records (none when it is missing or damaged)."""
    data = read_marshal(directory / shard_name(number))
    rows = data.get("records", []) if isinstance(data, dict) else []
    for row in rows:  # Record.to_data's order
        yield row[0], row[4], len(row[7]), row[8], row[11]


def dangling_links(records: Callable[[], Iterable[Skeleton]], attachments: Iterable[str] = ()) -> list[Dangling]:
    """Links that name no case id, file, entity name or alias, note alias, case title or
    listed name; and links whose file only path length or order chose (`ambiguous-link`).

    The same verdict as `Xref` (a test compares them), from keys and paths alone.
    `records()` is walked twice: the names and paths, then each record's links judged as
    they come (every link of the archive held at once was ~30 MB at 50,000 files).
    """
    defined: set[str] = set()
    ids: set[str] = set()
    paths: list[str] = []
    for path, _kind, listed, targets, keys in records():
        paths.append(path)
        ids.add(keys[0])
        defined.update(keys[:2 + listed])  # id, title (or entity name), listed names
        defined.update(key for key in keys[2 + listed + len(targets):] if key)  # aliases
    files = Files(paths, attachments)
    found: list[Dangling] = []
    for path, _kind, listed, targets, keys in records():
        for link, key in zip(targets, keys[2 + listed:]):
            target, markdown = link[0], bool(link[4] & MARKDOWN)
            if not target or (not markdown and key in ids):
                continue
            chosen = files.find_link(target, path, markdown)
            if chosen is not None and chosen.ambiguous:
                found.append((path, link[1], target, chosen.path))
            elif chosen is None and key not in defined:
                found.append((path, link[1], target, None))
    return sorted(found, key=row_order)


def row_order(row: Dangling) -> tuple[str, int, bool]:
    """Rows by path, line, dangling before ambiguous."""
    return (row[0], row[1] or 0, row[3] is not None)


def carried(previous: list[Dangling], olds: Mapping[str, Any], fresh: Iterable[Any]) -> list[Dangling] | None:
    """The list after replacing the records `olds` (path -> old Record or None) by `fresh`,
    when that provably changes nothing else: every fresh record has an old one with the
    same keys and link kinds (so the names defined are the same, and each link is as
    dangling or ambiguous as it was); lines are taken from the fresh record. None when
    that does not hold. `previous` is sorted (row_order) and left as it is; the rows of
    each path are replaced where they are, so one file costs no sort of the whole list.
    """
    rows: dict[str, list[Dangling]] = {path: [] for path in olds}
    for record in fresh:
        old = olds.get(record.path)
        if old is None or _shape(old) != _shape(record):
            return None
        rows[record.path] = _moved(record, old, rows_of(previous, record.path))
    return replaced(previous, rows)


def replaced(previous: list[Dangling], rows: Mapping[str, list[Dangling]]) -> list[Dangling]:
    """`previous` (sorted, left as it is) with the rows of each path in `rows` replaced by
    those (sorted): in place for a few paths, so one file costs no sort of the whole list."""
    if len(rows) > SPLICE_LIMIT:
        kept = [row for row in previous if row[0] not in rows]
        return sorted(kept + [row for found in rows.values() for row in found], key=row_order)
    result = previous
    for path in sorted(rows):
        low, high = _span(result, path)
        result = [*result[:low], *rows[path], *result[high:]]
    return result


def _moved(record: Any, old: Any, was_rows: list[Dangling]) -> list[Dangling]:
    """The rows of `record`, from those of its `old` record (same shape), at the new lines."""
    first = 2 + len(record.listed)
    was = {(target, line): chosen for _path, line, target, chosen in was_rows}
    verdicts = {key: was[(link[0], link[1])] for link, key in zip(old.links, old.keys[first:])
                if (link[0], link[1]) in was}
    found = [(record.path, link[1], link[0], verdicts[key]) for link, key in zip(record.links, record.keys[first:])
             if key in verdicts]
    return sorted(found, key=row_order)


def _span(rows: list[Dangling], path: str) -> tuple[int, int]:
    """Where the rows of `path` are (or would be) in a sorted list."""
    return bisect_left(rows, path, key=itemgetter(0)), bisect_right(rows, path, key=itemgetter(0))


def rows_of(rows: list[Dangling], path: str) -> list[Dangling]:
    """The rows of `path` in a sorted list."""
    low, high = _span(rows, path)
    return rows[low:high]


def _shape(record: Any) -> tuple[Any, ...]:
    """What a record's verdicts depend on: its kind, keys, listed count and link kinds."""
    return (record.kind, record.keys, len(record.listed), tuple(link[4] for link in record.links))


def read_saved(recent: Path, base: Path, header: tuple[int, int, int]) -> tuple[list[Dangling], int, set[str]] | None:
    """The list saved for this header stamp, its base's number and the paths changed since
    that base; None when the files are missing, damaged or of another header or base."""
    data, rows = read_marshal(recent), read_marshal(base)
    try:
        if tuple(data["header"]) != header or rows["base"] != data["base"]:  # type: ignore[index]
            return None
        changed = {str(path): [_row(row) for row in found] for path, found in data["paths"].items()}  # type: ignore[index]
        listed = [_row(row) for row in rows["dangling"]]  # type: ignore[index]
        return replaced(listed, changed), int(data["base"]), set(changed)  # type: ignore[index]
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


def _row(row: Any) -> Dangling:
    """One row as saved (raises on malformed data)."""
    path, line, target, chosen = row
    return (str(path), line, str(target), chosen)


def write_saved(recent: Path, base: Path, header: tuple[int, int, int], found: list[Dangling],
                changed: tuple[int, set[str]] | None) -> int | None:
    """Write the list for this header stamp: with `changed` (base number, paths changed
    since it), only those paths' rows beside the base; else a new base. The base's number;
    None when the folder is read-only."""
    try:
        if changed is None:
            changed = (int.from_bytes(os.urandom(8), "big"), set())
            write_atomic(base, marshal.dumps({"base": changed[0], "dangling": found}))
        paths = {path: rows_of(found, path) for path in sorted(changed[1])}
        write_atomic(recent, marshal.dumps({"header": header, "base": changed[0], "paths": paths}))
    except OSError:  # the list is found again next time
        return None
    return changed[0]


def dangling_problem(path: str, line: int | None, target: str) -> Problem:
    """The warning for one dangling link (as `Xref.problems` words it)."""
    return problem(path, line, "dangling-link", "[[{target}]] matches no case, entity or file", "warning",
                   target=target)


def ambiguous_problem(path: str, line: int | None, target: str, chosen: str) -> Problem:
    """The warning for a link several files answer to, equally near the linking file."""
    return problem(path, line, "ambiguous-link", "[[{target}]] matches several files equally near; {chosen} is "
                   "used (the shortest path, then the first alphabetically)", "warning", target=target, chosen=chosen)


def row_problem(row: Dangling) -> Problem:
    """The warning for one row of the list."""
    path, line, target, chosen = row
    return dangling_problem(path, line, target) if chosen is None else ambiguous_problem(path, line, target, chosen)
