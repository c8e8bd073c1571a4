"""The cross-reference store on disk: a small header and records split in shard files.

An update rewrites only the shards of the files that changed, plus the header (name
counts), so one edited case costs a few small files at 50,000 cases. Every save bumps a
generation number; a shard newer than its header (a crash between two writes) or a
shard the header lists but that cannot be read makes the whole store invalid.
Files are written atomically (temporary file, then `os.replace`), owner-only.
"""

from __future__ import annotations

import gc
import marshal
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from casefile.core.disk import write_private
from casefile.core.spill import Spill, give_back
from casefile.core.xref.record import Record

FORMAT = 5
HEADER = f"xref-v{FORMAT}.marshal"
"""The format is in the name: after an upgrade the old store simply looks missing."""
SHARDS = 256
"""Shards of a store built now (~400 files each at 100,000: an edit reads and writes one);
a store keeps the count it was built with, in its header."""
OLD_SHARDS = 32
"""The count of a header that names none (saved before issue 14)."""
LOG_ROWS = 1024
"""Rows the shards' logs hold in memory at most, all shards together (each log spills its
own from CHUNK rows: 256 shards x 64 rows kept up to 16,000 records in a build's parent)."""
BIG_UPDATE = 256
"""Records put since the last write from which the written shards are not kept in memory
(with 256 shards a 10,000-file build puts ~40 in each: too few for any log to reach disk)."""
Words = tuple[str, ...]


def shard_of(path: str, count: int = SHARDS) -> int:
    """The shard holding a file's record, of `count` (stable across runs and machines)."""
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % count


def shard_name(number: int) -> str:
    """File name of a shard's records."""
    return f"xref-{number:02d}.marshal"


def pending_name(number: int) -> str:
    """File name of a shard's pending words (files read since the word index was written)."""
    return f"xref-{number:02d}.words.marshal"


def _records(rows: list[tuple[Any, ...]]) -> dict[str, Record]:
    """Records from their marshalled rows."""
    return {row[0]: Record.from_data(row) for row in rows}


def _rows_by_path(rows: list[tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    """Marshalled rows by path, as they are."""
    return {row[0]: row for row in rows}


class Shards:
    """Records and pending words of every file, shard by shard, each read on demand.

    An edit touches one shard's records and pending words; the pending words of every
    shard are read only when a new name must be looked for, and records only for queries.
    """

    def __init__(self, directory: Path | None, generation: int = 0, present: frozenset[str] = frozenset(),
                 count: int = SHARDS) -> None:
        self.directory = directory
        self.count = count
        self.generation = generation
        self.present = set(present)
        """Names of the shard files that exist on disk."""
        self.records: dict[int, dict[str, Record]] = {}
        self.pending: dict[int, dict[str, Words]] = {}
        self.dirty_records: set[int] = set()
        self.dirty_pending: set[int] = set()
        self.broken = False
        """True when a shard file could not be read or is newer than the header."""
        self.logs: dict[int, Spill] = {}
        """Records put in each shard since it was last read or written, as rows, in order:
        spilled to disk from CHUNK rows on (a build's records are never all held at once)."""
        self.logged: dict[int, set[str]] = {}
        """The paths in each shard's log (any other path is looked up without reading the log)."""
        self._logged_since = 0
        """Rows put in the logs since they were last all written out (see LOG_ROWS)."""

    def shard(self, number: int) -> dict[str, Record]:
        """The records of one shard, read on first use (with the records put since)."""
        base = self._base(number)
        log = self.logs.pop(number, None)
        self.logged.pop(number, None)
        if log is not None:
            base.update((row[0], Record.from_data(row)) for row in log)
            log.close()
        return base

    def _base(self, number: int) -> dict[str, Record]:
        """The records of one shard without those in its log."""
        if number not in self.records:
            self.records[number] = self._load(shard_name(number), "records", _records)
        return self.records[number]

    def _held(self, path: str) -> dict[str, Record]:
        """The records of the shard of `path` that hold its record: the log is read only when it has it."""
        number = shard_of(path, self.count)
        return self.shard(number) if path in self.logged.get(number, ()) else self._base(number)

    def loaded(self, number: int) -> dict[str, Record] | None:
        """The records of one shard if it is in memory (or has records put since it was read), else None."""
        return self.shard(number) if number in self.records or number in self.logs else None

    def pending_of(self, number: int) -> dict[str, Words]:
        """The pending words of one shard, read on first use."""
        if number not in self.pending:
            self.pending[number] = self._load(pending_name(number), "pending", dict)
        return self.pending[number]

    def _load(self, name: str, field: str, convert: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        """One shard file; empty (and `broken` when it should exist) on failure."""
        if self.directory is None or name not in self.present:
            return {}
        data = read_marshal(self.directory / name)
        try:
            if not isinstance(data, dict) or data["gen"] > self.generation:
                raise ValueError("shard missing, damaged or newer than its header")
            return convert(data[field])
        except (KeyError, TypeError, ValueError, IndexError):
            self.broken = True
            return {}

    def get(self, path: str) -> Record | None:
        """The record of `path`, if any."""
        return self._held(path).get(path)

    def put(self, record: Record, words: Words | None = None) -> None:
        """Store a record (and, for a file just read, its words)."""
        number = shard_of(record.path, self.count)
        self.dirty_records.add(number)
        if self.directory is None:  # nowhere to spill (an index in memory, or `clear` of one)
            self.shard(number)[record.path] = record
        else:
            log = self.logs.get(number)
            if log is None:
                log = self.logs[number] = Spill(self.directory, marshal.dumps, marshal.loads)
            log.add(record.to_data())
            self.logged.setdefault(number, set()).add(record.path)
            self._logged_since += 1
            if self._logged_since >= LOG_ROWS:
                for each in self.logs.values():
                    each.flush()
                self._logged_since = 0
                give_back()
        if words is not None:
            self.pending_of(number)[record.path] = words
            self.dirty_pending.add(number)

    def pop(self, path: str) -> Record | None:
        """Remove a file; its old record."""
        number = shard_of(path, self.count)
        old = self._held(path).pop(path, None)
        self.dirty_records.add(number)
        if self.pending_of(number).pop(path, None) is not None:
            self.dirty_pending.add(number)
        return old

    def everything(self) -> Iterator[Record]:
        """Every record (reads every shard)."""
        for number in range(self.count):
            yield from self.shard(number).values()

    def all_pending(self) -> dict[str, Words]:
        """Words of every file read since the word index was last written."""
        return {path: words for number in range(self.count) for path, words in self.pending_of(number).items()}

    def clear_pending(self) -> None:
        """Forget pending words (they went into the word index)."""
        for number in range(self.count):
            if self.pending_of(number):
                self.pending[number] = {}
                self.dirty_pending.add(number)

    def write(self, directory: Path, generation: int) -> None:
        """Write the changed shard files (all of them when moving to a new directory)."""
        if directory != self.directory:
            self.dirty_records = self.dirty_pending = set(range(self.count))
        keep = sum(map(len, self.logged.values())) < BIG_UPDATE
        for number in sorted(self.dirty_records):
            self._write(directory, shard_name(number), "records", self._rows(number, keep), generation)
        for number in sorted(self.dirty_pending):
            self._write(directory, pending_name(number), "pending", self.pending_of(number), generation)
        self.directory, self.generation = directory, generation
        self.dirty_records, self.dirty_pending = set(), set()

    def _rows(self, number: int, keep: bool) -> list[tuple[Any, ...]]:
        """The rows of one shard to write. After a big update (not `keep`), or when its records
        went to disk, a shard is not kept in memory afterwards: it is read again when needed."""
        log = self.logs.get(number)
        if log is None or (keep and not log.on_disk):
            return [record.to_data() for record in self.shard(number).values()]
        del self.logs[number], self.logged[number]
        if number in self.records:
            rows = {path: record.to_data() for path, record in self.records.pop(number).items()}
        else:
            rows = self._load(shard_name(number), "records", _rows_by_path)
        rows.update((row[0], row) for row in log)
        log.close()
        return list(rows.values())

    def _write(self, directory: Path, name: str, field: str, rows: Any, generation: int) -> None:
        """Write one shard file, or remove it when it would be empty."""
        if rows:
            write_atomic(directory / name, marshal.dumps({"gen": generation, field: rows}))
            self.present.add(name)
        else:
            (directory / name).unlink(missing_ok=True)
            self.present.discard(name)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk build.

    Records hold no reference cycles, but building 50,000 of them makes the collector
    walk the growing heap again and again (measured: 30% of a 50k load and query).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_marshal(path: Path) -> object:
    """Unmarshal a file; None when it is missing or damaged."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then move it into place (0600).

    No fsync, as for the index and the catalog: a file lost to a power cut reads as
    damaged and is rebuilt, and an fsync per file cost 20 ms of every one-file edit."""
    write_private(path, data)
