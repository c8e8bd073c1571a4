"""Where the Whoosh index lives and how it is written: storage, codec fixes, writers, merges."""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC, EmptyIndexError, FileIndex
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.writing import NO_MERGE, SegmentWriter

from casefile.core.index.blocks import BlockMatcher, BlockWriter
from casefile.core.index.damage import CORRUPTION
from casefile.core.index.schema import LENGTHS, schema

SCHEMA_VERSION = 10
"""Bump when fields or analysis change: a different version triggers a rebuild."""
INDEX_NAME = "MAIN"
INLINE = 8
"""Terms found in at most this many documents keep their postings in the term table."""
SMALL_DOCS, SMALL_SEGMENTS = 100, 8
"""Segments under SMALL_DOCS documents are merged once there are SMALL_SEGMENTS of them."""
DELETED_SHARE = 0.1
"""A segment more than this share of whose documents are deleted is rewritten without them
(search results never depend on it: statistics count live documents only, stats.py)."""
OPEN_ERRORS = (*CORRUPTION, EmptyIndexError)


class _ViewFile:
    """A read-only file over a memoryview of the mapped segment, without copying it."""

    def __init__(self, view: memoryview) -> None:
        self._view, self._pos = view, 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        data = bytes(self._view[self._pos:end])
        self._pos += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        rest = self.read(size)
        cut = rest.find(b"\n") + 1 or len(rest)
        self._pos -= len(rest) - cut
        return rest[:cut]

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = (offset, self._pos + offset, len(self._view) + offset)[whence]
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class _MappedFile(BufferFile):  # type: ignore[misc]  # Whoosh ships no types
    """A Whoosh file over a memory map, read through a memoryview: BufferFile wraps its
    buffer in a BytesIO, which copied every sub-file of a segment into memory (the whole
    postings and terms of each segment: 170 MB of a 10k-case query process)."""

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf, self._name, self.onclose = buf, name, onclose
        self.file = _ViewFile(memoryview(buf))
        self.is_real, self.is_closed = False, False

    def subset(self, position: int, length: int, name: str | None = None) -> _MappedFile:
        """A sub-file (of a compound segment file) sharing the map."""
        return _MappedFile(memoryview(self._buf)[position:position + length], name=name or self._name)


class _Storage(FileStorage):  # type: ignore[misc]  # Whoosh ships no types
    """A folder whose files are opened as _MappedFile. `supports_mmap` is False so that a
    compound segment file cuts its sub-files with `subset` instead of mapping itself."""

    supports_mmap = False

    def open_file(self, name: str, **kwargs: Any) -> Any:
        with open(os.path.join(self.folder, name), "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:  # an empty file cannot be mapped
                return BufferFile(b"", name=name)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return _MappedFile(mapped, name=name)


def open_storage(index_dir: Path | None) -> FileStorage | RamStorage:
    """A folder's storage, or memory that keeps even temporary files in memory."""
    return _MemoryStorage() if index_dir is None else _Storage(str(index_dir))


class _MemoryStorage(RamStorage):  # type: ignore[misc]  # Whoosh ships no types
    """RamStorage whose writers' temporary files also stay in memory (not in /tmp)."""

    def temp_storage(self, name: str | None = None) -> RamStorage:
        return RamStorage()


def create(storage: FileStorage | RamStorage) -> FileIndex:
    """A new, empty index in `storage` (replacing any old one)."""
    return FileIndex.create(storage, schema(), INDEX_NAME)


def open_index(storage: FileStorage | RamStorage) -> FileIndex:
    """The existing index; raises one of CORRUPTION (or EmptyIndexError) if unreadable."""
    ix = FileIndex(storage, schema(), INDEX_NAME)
    ix.reader().close()
    return ix


def reader(storage: FileStorage | RamStorage, gen: int, old: Any | None) -> Any:
    """A reader of generation `gen` that takes over the segment readers of `old` (a reader
    of an earlier generation) whose segment and deleted documents are unchanged; the rest
    of `old` is closed. A one-file edit so reopens one or two segments, not all of them.
    (Whoosh's `reader(reuse=)` keeps readers whose deletions changed, and even segments a
    merge removed.)"""
    toc = TOC.read(storage, INDEX_NAME, gen=gen, schema=schema())
    if not toc.segments:
        return EmptyReader(toc.schema)
    reusable = {leaf.segment().segment_id(): leaf for leaf, _base in old.leaf_readers()
                if isinstance(leaf, SegmentReader)} if old is not None else {}
    readers = _segment_readers(storage, toc, reusable)
    kept = set(map(id, readers))
    for leaf in reusable.values():
        if id(leaf) not in kept:
            leaf.close()
    return readers[0] if len(readers) == 1 else MultiReader(readers, generation=toc.generation)


def _segment_readers(storage: FileStorage | RamStorage, toc: TOC, reusable: dict[str, Any]) -> list[Any]:
    """A reader per segment of `toc`: the reusable one when its deletions are the same, else a new one."""
    readers, opened = [], []
    try:
        for segment in toc.segments:
            found = reusable.get(segment.segment_id())
            if found is None or set(found.segment().deleted_docs()) != set(segment.deleted_docs()):
                found = SegmentReader(storage, toc.schema, segment, generation=toc.generation)
                opened.append(found)
            readers.append(found)
    except BaseException:
        for leaf in opened:
            leaf.close()
        raise
    return readers


def generation(storage: FileStorage | RamStorage) -> int:
    """The latest committed generation (-1 when there is none)."""
    latest: int = TOC._latest_generation(storage, INDEX_NAME)
    return latest


class _Codec(W3Codec):  # type: ignore[misc]  # Whoosh ships no types
    """Whoosh's codec with the block layout of blocks.py, and two build-time fixes: no per-block length statistics (a
    lookup per posting; block-quality bounds stay valid, only looser), and working
    inlining: W3PostingsWriter never inlines (it tests `len < 1` and calls a missing
    method), so every rare term cost a compressed block of its own."""

    length_stats = False

    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None,
                        scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return BlockMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class _PostingsWriter(BlockWriter):
    """Postings of terms in at most INLINE documents are stored inside the term info."""

    def finish_postings(self) -> Any:
        if self.written() or len(self) > self._inlinelimit:
            return super().finish_postings()
        terminfo: Any = self._terminfo  # type: ignore[has-type]  # set by Whoosh's untyped writer
        self._terminfo = None
        terminfo.add_block(self)
        # Fields without values (Existence) append none: store b"" per posting, else an
        # inlined posting reads back as "" (str), which a merge of segments refuses.
        values = self._values if len(self._values) == len(self._ids) else (b"",) * len(self._ids)
        terminfo.set_inlined(self._ids, self._weights, values)
        return terminfo


def codec() -> W3Codec:
    """The codec every writer of the index uses."""
    return _Codec()


def writer(ix: FileIndex, timeout: float = 30.0, limitmb: int = 256) -> SegmentWriter:
    """A writer holding the index lock (segment.FastWriter: Whoosh's files, written faster);
    segments written by other processes (index/parallel.py) join its commit via `adopted`."""
    from casefile.core.index.segment import FastWriter

    options: dict[str, Any] = {"codec": _Codec(), "timeout": timeout, "delay": 0.05, "limitmb": limitmb}
    return FastWriter(ix, INLINE, **options)


def delete_paths(w: SegmentWriter, paths: Iterable[str]) -> None:
    """Remove the documents of these files."""
    for path in paths:
        w.delete_by_term("path", path)


def finish(w: SegmentWriter, merge: bool = True) -> None:
    """Commit; without `merge`, existing segments are left alone (fast, staged builds)."""
    w.commit(mergetype=_merge_small if merge else NO_MERGE)


def _merge_small(w: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Merge the tiny segments of single edits once SMALL_SEGMENTS of them piled up
    (Whoosh's MERGE_SMALL re-merged some on most commits: 40 ms of every one-file refresh),
    and rewrite any segment past DELETED_SHARE deleted documents."""
    small = [segment for segment in segments if segment.doc_count_all() < SMALL_DOCS]
    merged = small if len(small) >= SMALL_SEGMENTS else []
    merged += [segment for segment in segments if segment not in merged
               and segment.deleted_count() > DELETED_SHARE * segment.doc_count_all()]
    for segment in merged:
        reader = SegmentReader(w.storage, w.schema, segment)
        w.add_reader(ExactLengths(reader))
        reader.close()
    return [segment for segment in segments if segment not in merged]


class ExactLengths:
    """A segment reader whose per-document field lengths are the exact ones stored with each
    document: Whoosh's merge copies the one-byte approximations, and the segment's total
    length (BM25's mean length) would drift from a fresh build's."""

    def __init__(self, reader: SegmentReader) -> None:
        self._reader = reader
        self._lengths: tuple[int, dict[str, int]] = (-1, {})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        """The exact length (Whoosh's one-byte one for a document stored without lengths)."""
        if self._lengths[0] != docnum:
            self._lengths = (docnum, self._reader.stored_fields(docnum).get(LENGTHS))
        found = self._lengths[1]
        return self._reader.doc_field_length(docnum, fieldname, default) if found is None \
            else found.get(fieldname, default)


def cancel(w: SegmentWriter) -> None:
    """Drop what the writer did and release the lock."""
    if not w.is_closed:
        w.cancel()
