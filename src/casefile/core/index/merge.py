"""Merging an index's segments into one, a term at a time, in bounded memory.

The parallel build leaves one segment per worker and stage (4 to 18), and every term
lookup, prefix and fuzzy expansion of a search runs once per segment. Whoosh's own merge
walks every posting through its matchers and pools them all in memory (minutes and
gigabytes at 50,000 cases). Here each segment's documents are copied as bytes
(perdoc.py: stored fields, exact lengths, columns), then each term's postings are joined
from every segment that has it (join.py: posting blocks copied without decoding, only a
new header each) and written through segment.py's writer, spilling to the files as they go.
A segment with deleted documents is copied the slow way instead: Whoosh's per-document
writer, and its terms' postings decoded, renumbered without the deleted ones, encoded.
The result is one segment with the same postings a fresh build of the live documents has.
Searches keep the last committed generation until the merge commits; `stop` cancels it.
"""

from __future__ import annotations

import heapq
import struct
from array import array
from collections.abc import Callable, Iterator
from hashlib import md5
from itertools import groupby, pairwise
from operator import itemgetter
from typing import Any

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader

from casefile.core.index import postings as files
from casefile.core.index.join import Forward, Part, join, term_records
from casefile.core.index.perdoc import copy_documents
from casefile.core.index.postings import Postings
from casefile.core.index.segment import FastWriter, _TermsOut
from casefile.core.index.store import INLINE, SMALL_DOCS, ExactLengths, codec

SPILL = 1 << 22
"""Bytes of postings or terms gathered before they are written out."""
CHECK_EVERY = 256
"""Terms written between two looks at `stop`."""
Stop = Callable[[], bool]


class Stopped(Exception):
    """The merge was asked to stop; nothing was committed."""


def worth_merging(ix: Any) -> bool:
    """True when the index has more than one segment of SMALL_DOCS documents or more
    (what a big build leaves; the small segments of single edits are merged at commits)."""
    return sum(1 for segment in ix._segments() if segment.doc_count_all() >= SMALL_DOCS) > 1


def merge_segments(ix: Any, stop: Stop = lambda: False, timeout: float = 0.0) -> bool:
    """Merge every segment of `ix` into one and commit; False when there was nothing to
    merge, or `stop()` became true first (then the index is as it was)."""
    w = MergeWriter(ix, INLINE, codec=codec(), timeout=timeout, delay=0.05)
    try:
        if len(w.segments) < 2:
            w.cancel()
            return False
        w.stop = stop
        w.commit(mergetype=_everything)
    except Stopped:
        w.drop()
        return False
    except BaseException:
        w.drop()
        raise
    return True


def _everything(w: MergeWriter, segments: list[Any]) -> list[Any]:
    """The merge policy: every segment's documents go into the new one; none is kept."""
    for segment in segments:
        w.take(segment)
    return []


class MergeWriter(FastWriter):
    """A writer whose new segment holds the documents and postings of existing segments."""

    def __init__(self, ix: Any, inline: int, **options: Any) -> None:
        super().__init__(ix, inline, **options)
        self.sources: list[tuple[Any, dict[int, int] | None, int]] = []
        """(segment reader, old -> new docnum when it has deletions, else first new docnum)."""
        self.stop: Stop = lambda: False

    def take(self, segment: Any) -> None:
        """Copy a segment's live documents (stored fields, exact lengths, columns)."""
        if self.stop():
            raise Stopped
        reader = SegmentReader(_unmapped(self.storage), self.schema, segment)
        base = self.docnum
        if copy_documents(self.perdocwriter, self.schema, reader, base):
            self.docnum += reader.doc_count_all()
            docmap = None
        else:
            names = set(self.schema.names()) | {name for name in reader.indexed_field_names() if name in self.schema}
            docmap = self.write_per_doc(names, ExactLengths(reader))
        self.sources.append((reader, docmap, base))
        self._added = True

    def _flush_segment(self) -> None:
        """Write the per-document data, then every term of every source, field by field."""
        self.perdocwriter.close()
        fw = self.fieldwriter
        out = _Spilling(fw._postfile, fw._tindex, self.inline)
        for field in sorted({name for reader, _map, _base in self.sources for name in reader.indexed_field_names()}):
            prefix = struct.pack("!H", fw._fieldmap.setdefault(field, len(fw._fieldmap)))
            fixed = self.schema[field].format.fixed_value_size()
            if fixed not in (None, 0):
                raise ValueError(f"field {field}: fixed-size values are not merged")
            self._field(out, field, prefix, fixed)
        out.close()
        fw.close()
        self._close_sources()

    def _field(self, out: _Spilling, field: str, prefix: bytes, fixed: int | None) -> None:
        """Every term of one field, in order, its postings joined from every source: the
        sources' sorted term tables are read side by side (no lookup per term)."""
        tables = [_numbered(term_records(reader, field), number, base, Forward(reader._terms._postfile))
                  for number, (reader, _map, base) in enumerate(self.sources)]
        exact = all(docmap is None for _reader, docmap, _base in self.sources)
        for count, (btext, found) in enumerate(groupby(heapq.merge(*tables), key=itemgetter(0))):
            if count % CHECK_EVERY == 0 and self.stop():
                raise Stopped
            shares = [(number, part) for _text, number, part in found]
            if exact or all(self.sources[number][1] is None for number, _part in shares):
                out.add(prefix + btext, join(out, [part for _number, part in shares], fixed))
                continue
            ids, weights, values = self._gather([(number, W3TermInfo.from_bytes(part[0])) for number, part in shares],
                                                fixed is None)
            if ids:
                out.add(prefix + btext, out._term(ids, weights, values, fixed))

    def _gather(self, found: list[tuple[int, Any]], positions: bool) -> tuple[list[int], list[float], list[bytes]]:
        """A term's live postings in the sources that have it, renumbered (sources are in
        docnum order, and so is `found`)."""
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for number, info in found:
            reader, docmap, base = self.sources[number]
            postings = files.postings_of(reader, info, positions)
            own = _values(postings) if positions else [b""] * len(postings.ids)
            if docmap is None:
                ids += [base + docnum for docnum in postings.ids] if base else postings.ids
                weights += postings.weights
                values += own
            else:
                keep = [i for i, docnum in enumerate(postings.ids) if docnum in docmap]
                ids += [docmap[postings.ids[i]] for i in keep]
                weights += [postings.weights[i] for i in keep]
                values += [own[i] for i in keep]
        return ids, weights, values

    def _assemble_segment(self) -> None:
        """Whoosh's, with the new segment's files read by plain reads: read through the
        storage's memory maps, each would count whole as the process's memory."""
        if self.compound:
            segment = self.get_segment()
            segment.create_compound_file(_unmapped(self.storage))
            segment.compound = True

    def _close_sources(self) -> None:
        for reader, _map, _base in self.sources:
            reader.close()
        self.sources = []

    def drop(self) -> None:
        """Cancel: release the lock and remove the new segment's files (only those: its id is new)."""
        self._close_sources()
        if not self.is_closed:
            self.cancel()
        own = f"{self.newsegment.segment_id()}."
        for name in list(self.storage.list()):
            if name.startswith(own):
                self.storage.delete_file(name)


def _unmapped(storage: Any) -> Any:
    """The storage's folder read with plain reads: pages of a memory map that the merge
    has read would count as the process's memory (the whole index, at the end)."""
    return FileStorage(storage.folder, supports_mmap=False) if isinstance(storage, FileStorage) else storage


def _numbered(infos: Iterator[tuple[bytes, bytes]], number: int, base: int,
              postfile: Any) -> Iterator[tuple[bytes, int, Part]]:
    """(term, source number, its share of the term): equal terms sort by source, never by share."""
    for btext, info in infos:
        yield btext, number, (info, base, postfile)


def _values(postings: Postings) -> list[bytes]:
    """Each posting's encoded positions, as bytes."""
    assert postings.values is not None
    blob, ends = postings.values.blob, postings.values.ends
    return [blob[start:end] for start, end in pairwise(ends)]


class _Bucket:
    """One of the term table's 256 hash buckets as two arrays: what Whoosh's HashWriter
    writes at its close iterates over it as over its list of (hash, position) tuples,
    which took ~130 bytes a term (the largest part of a merge that grows with the index)."""

    __slots__ = ("hashes", "positions")

    def __init__(self) -> None:
        self.hashes = array("I")
        self.positions = array("q")

    def __len__(self) -> int:
        return len(self.hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.hashes, self.positions)


class _Spilling(_TermsOut):
    """segment._TermsOut, one term at a time, writing its buffers out once they are big;
    what it keeps per term until the close (hash and position) is kept in arrays."""

    def __init__(self, postfile: Any, tindex: Any, inline: int) -> None:
        super().__init__(postfile, tindex, inline)
        self.positions: Any = array("q")
        self.buckets = [_Bucket() for _ in range(256)]
        tindex.buckets = self.buckets

    def add(self, key: bytes, info: bytes) -> None:
        """One term's record (its postings are already in `posts`)."""
        position = self.term_base + len(self.terms)
        self.positions.append(position)
        self.terms += struct.pack("!ii", len(key), len(info))
        self.terms += key
        self.terms += info
        digest = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
        bucket = self.buckets[digest & 255]
        bucket.hashes.append(digest)
        bucket.positions.append(position)
        self.tindex.lastkey = key
        if len(self.posts) > SPILL:
            self.postfile.write(bytes(self.posts))
            self.post_base += len(self.posts)
            self.posts = bytearray()
        if len(self.terms) > SPILL:
            self.tindex.dbfile.write(bytes(self.terms))
            self.term_base += len(self.terms)
            self.terms = bytearray()
