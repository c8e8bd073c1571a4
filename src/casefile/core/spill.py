"""Rows waiting on disk: a nameless, owner-only temporary file of compressed chunks.

A build keeps what it read of each file until it may use it (every name known, or the
worker's turn to index); kept in memory, that grew with the archive. The file has no
name in the folder (it goes with the process, even a killed one), so casefile never
leaves or has to delete it.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

CHUNK = 64
"""Rows per compressed chunk."""
_LENGTH = struct.Struct("<I")


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
            self._flush()

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
        self._flush()
        self._file.seek(0)
        while head := self._file.read(_LENGTH.size):
            yield from self._loads(zlib.decompress(self._file.read(_LENGTH.unpack(head)[0])))
        self._file.seek(0, 2)

    def _flush(self) -> None:
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
