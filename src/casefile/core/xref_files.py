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
import os
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from casefile.core.xref_record import Record

HEADER = "xref.marshal"
FORMAT = 3
SHARDS = 32
Words = tuple[str, ...]


def shard_of(path: str) -> int:
    """The shard holding a file's record (stable across runs and machines)."""
    return zlib.crc32(path.encode("utf-8", "surrogateescape")) % SHARDS


def shard_name(number: int) -> str:
    """File name of a shard."""
    return f"xref-{number:02d}.marshal"


class Shards:
    """Records and not-yet-indexed words of every file, shard by shard, read on demand."""

    def __init__(self, directory: Path | None, generation: int = 0, present: frozenset[int] = frozenset()) -> None:
        self.directory = directory
        self.generation = generation
        self.present = set(present)
        """Shards that exist on disk."""
        self.records: dict[int, dict[str, Record]] = {}
        self.pending: dict[int, dict[str, Words]] = {}
        self.dirty: set[int] = set()
        self.broken = False
        """True when a shard could not be read or is newer than the header."""

    def shard(self, number: int) -> dict[str, Record]:
        """The records of one shard, read on first use."""
        if number not in self.records:
            self.records[number], self.pending[number] = self._read(number)
        return self.records[number]

    def _read(self, number: int) -> tuple[dict[str, Record], dict[str, Words]]:
        """One shard from disk; empty (and `broken` when it should exist) on failure."""
        if self.directory is None or number not in self.present:
            return {}, {}
        data = read_marshal(self.directory / shard_name(number))
        try:
            if not isinstance(data, dict) or data["gen"] > self.generation:
                raise ValueError("shard missing, damaged or newer than its header")
            return {rec[0]: Record.from_data(rec) for rec in data["records"]}, dict(data["pending"])
        except (KeyError, TypeError, ValueError, IndexError):
            self.broken = True
            return {}, {}

    def get(self, path: str) -> Record | None:
        """The record of `path`, if any."""
        return self.shard(shard_of(path)).get(path)

    def put(self, record: Record, words: Words | None = None) -> None:
        """Store a record (and, for a file just read, its words)."""
        number = shard_of(record.path)
        self.shard(number)[record.path] = record
        if words is not None:
            self.pending[number][record.path] = words
        self.dirty.add(number)

    def pop(self, path: str) -> Record | None:
        """Remove a file; its old record."""
        number = shard_of(path)
        old = self.shard(number).pop(path, None)
        self.pending[number].pop(path, None)
        self.dirty.add(number)
        return old

    def everything(self) -> Iterator[Record]:
        """Every record (reads every shard)."""
        for number in range(SHARDS):
            yield from self.shard(number).values()

    def all_pending(self) -> dict[str, Words]:
        """Words of every file read since the word index was last written."""
        return {path: words for number in range(SHARDS) for path, words in self._pending_of(number).items()}

    def _pending_of(self, number: int) -> dict[str, Words]:
        """Pending words of one shard."""
        self.shard(number)
        return self.pending[number]

    def clear_pending(self) -> None:
        """Forget pending words (they went into the word index)."""
        for number in range(SHARDS):
            if self._pending_of(number):
                self.pending[number] = {}
                self.dirty.add(number)

    def write(self, directory: Path, generation: int) -> None:
        """Write the changed shards (all of them when moving to a new directory)."""
        if directory != self.directory:
            for number in range(SHARDS):
                self.shard(number)
            self.dirty = set(range(SHARDS))
        for number in sorted(self.dirty):
            records = [record.to_data() for record in self.shard(number).values()]
            if records or self.pending[number]:
                data = {"gen": generation, "records": records, "pending": self.pending[number]}
                write_atomic(directory / shard_name(number), marshal.dumps(data))
                self.present.add(number)
            else:
                (directory / shard_name(number)).unlink(missing_ok=True)
                self.present.discard(number)
        self.directory, self.generation, self.dirty = directory, generation, set()


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
    """Write `data` to a temporary file beside `path`, then move it into place (0600)."""
    handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
