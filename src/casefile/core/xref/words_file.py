"""The word index's file: rows (word, file numbers) sorted by word, in compressed chunks.

Written from sorted rows as they come (a build merges its runs straight into it), so no
process holds the whole map to write it. Layout: the chunks (each a zlib-compressed
marshal list of (word, array bytes)), then a marshalled directory (format, paths, and
(first word, offset, length) per chunk), then a trailer: the directory's offset and MAGIC.
Format 1 (one marshalled dict) is still read.
"""

from __future__ import annotations

import marshal
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from casefile.core.disk import write_private
from casefile.core.spill import cut_rows

FORMAT = 2
MAGIC = b"CFW2"
_TRAILER = struct.Struct("<Q4s")
ROWS = 2048
"""Words per chunk at most."""
CHUNK_BYTES = 1 << 20
"""File numbers' bytes per chunk at most: common words' rows grow with the archive (2048 of
them were 15 MB at 50,000 files, held twice while marshalled)."""
Postings = dict[str, "array[int]"]


def write(path: Path, paths: Sequence[str], rows: Iterable[tuple[str, bytes]]) -> None:
    """Write the map atomically (owner-only) from rows sorted by word."""
    write_private(path, _parts(paths, rows))


def _parts(paths: Sequence[str], rows: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """The file's bytes, a chunk at a time."""
    chunks: list[tuple[str, int, int]] = []
    offset = 0
    for part in cut_rows(rows, ROWS, CHUNK_BYTES):
        data = zlib.compress(marshal.dumps(part), 1)
        chunks.append((part[0][0], offset, len(data)))
        offset += len(data)
        yield data
    yield marshal.dumps({"format": FORMAT, "paths": list(paths), "chunks": chunks})
    yield _TRAILER.pack(offset, MAGIC)



def read(path: Path) -> tuple[list[str], Postings] | None:
    """(paths, word -> file numbers) of a map file of either format; None when missing or unreadable."""
    try:
        data = path.read_bytes()
        if data[-len(MAGIC):] != MAGIC:
            return _read_v1(marshal.loads(data))
        offset = _TRAILER.unpack(data[-_TRAILER.size:])[0]
        head = marshal.loads(data[offset:-_TRAILER.size])
        if not isinstance(head, dict) or head.get("format") != FORMAT:
            return None
        postings: Postings = {}
        for _first, start, length in head["chunks"]:
            chunk = marshal.loads(zlib.decompress(data[start:start + length]))
            postings.update((word, array("I", raw)) for word, raw in chunk)
        return list(head["paths"]), postings
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError, struct.error, zlib.error):
        return None


def _read_v1(data: Any) -> tuple[list[str], Postings] | None:
    """The map of a format 1 file (one marshalled dict)."""
    if not isinstance(data, dict) or data.get("format") != 1:
        return None
    return list(data["paths"]), {w: array("I", raw) for w, raw in data["postings"].items()}
