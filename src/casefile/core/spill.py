"""Rows waiting on disk: a nameless, owner-only temporary file of compressed chunks
(`Spill`: rows in order; `Runs`: sorted runs of keyed rows, merged when read).

A build keeps what it read of each file until it may use it (every name known, or the
worker's turn to index); kept in memory, that grew with the archive. The file has no
name in the folder (it goes with the process, even a killed one), so casefile never
leaves or has to delete it.
"""

from __future__ import annotations

import bisect
import heapq
import marshal
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

_TRIM: list[Callable[[int], int] | None] = []
CHUNK = 64
"""Rows per compressed chunk."""
_LENGTH = struct.Struct("<I")


def give_back() -> None:
    """Hand the heap pages freed so far back to the system (glibc's malloc_trim); nothing
    where there is none. A build frees bodies and rows by the thousand between objects it
    keeps: without this the freed pages stay counted in its memory (measured: a 10k build's
    parent held ~35 MB of them, a 50k build's several times more)."""
    if not _TRIM:
        import ctypes  # only when a build gives memory back: not for a no-change check

        try:
            _TRIM.append(ctypes.CDLL(None).malloc_trim)
        except (OSError, TypeError, AttributeError):  # not glibc: its allocator gives pages back itself, or not at all
            _TRIM.append(None)
    trim = _TRIM[0]
    if trim is not None:
        trim(0)


class Spill:
    """Rows appended, then read back in order (as often as needed; more may be added between)."""

    def __init__(self, directory: Path, dumps: Callable[[Any], bytes], loads: Callable[[bytes], Any]) -> None:
        self.directory = directory
        self._dumps, self._loads = dumps, loads
        self._file: IO[bytes] | None = None
        self._rows: list[Any] = []
        self.count = 0

    def add(self, row: Any) -> None:
        """Append a row (written out by chunks)."""
        self._rows.append(row)
        self.count += 1
        if len(self._rows) >= CHUNK:
            self.flush()

    def __len__(self) -> int:
        """Rows added."""
        return self.count

    @property
    def on_disk(self) -> bool:
        """True once rows have been written to the file."""
        return self._file is not None

    def __iter__(self) -> Iterator[Any]:
        """Every row so far, in order."""
        if self._file is None:  # too few to have been written: no file made for them
            yield from list(self._rows)
            return
        self.flush()
        self._file.seek(0)
        while head := self._file.read(_LENGTH.size):
            yield from self._loads(zlib.decompress(self._file.read(_LENGTH.unpack(head)[0])))
        self._file.seek(0, 2)

    def flush(self) -> None:
        """Write the rows held as one chunk (the file is made on first use)."""
        if not self._rows:
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile(dir=self.directory)  # noqa: SIM115 - kept open across calls; 0600, nameless
        data = zlib.compress(self._dumps(self._rows), 1)
        self._file.write(_LENGTH.pack(len(data)) + data)
        self._rows = []

    def close(self) -> None:
        """Let the file go (its space is freed)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._rows = []


Chunk = tuple[str, int, int]
"""(first key, offset, length) of one compressed chunk of sorted rows."""
RUN_CHUNK = 512
"""Rows per chunk of a sorted run at most (its first key is kept in memory, to find a key's chunk)."""
RUN_BYTES = 1 << 14
"""Bytes of values (those that are bytes) per chunk of a run at most, but for a lone big row:
merging holds a chunk of every run at once, and a build's word index has ~100 runs at 50,000
files whose 512 rows of common words grew with the archive (~10 MB in all)."""


class Runs:
    """Runs of (key, value) rows sorted by key, written once each, merged when read.

    What a build would otherwise grow in memory (word -> files): each part is sorted and
    written as it comes; reading merges them (`merged`) or finds a few keys (`find`).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._file: IO[bytes] | None = None
        self._end = 0
        self.runs: list[list[Chunk]] = []

    def add(self, rows: list[tuple[str, Any]]) -> None:
        """Write one run: rows sorted by key, keys unique."""
        if self._file is None:
            self._file = tempfile.TemporaryFile(dir=self.directory)  # noqa: SIM115 - kept open; 0600, nameless
        chunks: list[Chunk] = []
        for part in cut_rows(rows, RUN_CHUNK, RUN_BYTES):
            data = zlib.compress(marshal.dumps(part), 1)
            os.pwrite(self._file.fileno(), data, self._end)
            chunks.append((part[0][0], self._end, len(data)))
            self._end += len(data)
        self.runs.append(chunks)

    def _rows(self, chunk: Chunk) -> list[tuple[str, Any]]:
        """The rows of one chunk."""
        assert self._file is not None
        rows: list[tuple[str, Any]] = marshal.loads(zlib.decompress(os.pread(self._file.fileno(), chunk[2], chunk[1])))
        return rows

    def _run(self, number: int) -> Iterator[tuple[str, int, Any]]:
        """(key, run number, value) of one run, in key order."""
        for chunk in self.runs[number]:
            for key, value in self._rows(chunk):
                yield key, number, value

    def merged(self) -> Iterator[tuple[str, list[Any]]]:
        """Every key once, in order, with its values from each run holding it (in run order)."""
        key: str | None = None
        values: list[Any] = []
        for found, _number, value in heapq.merge(*(self._run(n) for n in range(len(self.runs)))):
            if found != key:
                if key is not None:
                    yield key, values
                key, values = found, []
            values.append(value)
        if key is not None:
            yield key, values

    def find(self, keys: Iterable[str]) -> dict[str, list[Any]]:
        """The values of these keys, from each run holding them (in run order); only their chunks are read."""
        wanted = set(keys)
        found: dict[str, list[Any]] = {}
        for chunks in self.runs:
            firsts = [chunk[0] for chunk in chunks]
            for place in sorted({bisect.bisect_right(firsts, key) - 1 for key in wanted} - {-1}):
                for key, value in self._rows(chunks[place]):
                    if key in wanted:
                        found.setdefault(key, []).append(value)
        return found

    def close(self) -> None:
        """Let the file go."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self.runs, self._end = [], 0


def cut_rows(rows: Iterable[tuple[str, Any]], max_rows: int, max_bytes: int) -> Iterator[list[tuple[str, Any]]]:
    """The rows in chunks of at most `max_rows` rows and, but for a lone big row, `max_bytes`
    bytes of values (those that are bytes): a file's chunks are read one at a time."""
    part: list[tuple[str, Any]] = []
    size = 0
    for row in rows:
        weight = len(row[1]) if isinstance(row[1], bytes) else 0
        if part and (len(part) >= max_rows or size + weight > max_bytes):
            yield part
            part, size = [], 0
        part.append(row)
        size += weight
    if part:
        yield part
