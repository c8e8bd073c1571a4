"""A worker's own segments: documents written without the index lock, as Whoosh's
MpWriter(multisegment=True) sub-writers do; the parent, which holds the lock, adds the
finished segments to its commit, so there is no final merge."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex

from casefile.core.engine import Segment
from casefile.core.index import store
from casefile.core.index.schema import schema
from casefile.core.index.segment import FastWriter
from casefile.core.spill import give_back

SEGMENT_POSTINGS = 1_250_000
"""A worker starts a new segment past this many postings (~55 bytes each in its pool,
measured on c10000: ~70 MB). A 10k build's share (~5,000 files) still makes one segment;
bigger shares are cut at that size, so a worker's peak is the same at 100k as at 10k
(at 2 M, ~40 MB more per worker from 20k files on)."""


def write_segments(index_dir: Path, documents: Iterable[dict[str, Any] | None], count: int,
                   indexed: Callable[[int], None]) -> list[Segment]:
    """Write the documents (None: a file not to index) in segments of their own; calls
    `indexed(n)` after each document with how many were seen. Returns the segments."""
    ix = FileIndex(store.open_storage(index_dir), schema(), store.INDEX_NAME)

    def new_writer() -> FastWriter:
        return FastWriter(ix, store.INLINE, _lk=False, codec=store._Codec())

    writer, first = new_writer(), 0
    segments: list[Segment] = []
    for number, fields in enumerate(documents):
        if fields is not None:
            writer.add_document(**fields)
        indexed(number + 1)
        if _full(writer.pool.postings, number + 1 - first, count - number - 1):
            segments.append(writer._finalize_segment())
            writer, first = new_writer(), number + 1
            gc.collect()  # the finished writer's objects hold cycles; workers run with the collector off
            give_back()  # the pool's pages, before the next pool grows
    if writer._added:
        segments.append(writer._finalize_segment())
    else:
        writer._close_segment()
    del writer
    gc.collect()
    return segments


def _full(postings: int, files: int, left: int) -> bool:
    """True when a worker's segment should be written now: past SEGMENT_POSTINGS, unless
    so few files are left that they would make a tiny segment of their own."""
    return postings > SEGMENT_POSTINGS and (left > files // 4 or postings > SEGMENT_POSTINGS * 3 // 2)
