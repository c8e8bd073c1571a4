"""Every read of the index's files at search time: postings a block at a time, term tables
and length columns read directly (Whoosh's readers decode one posting or term info per
Python call; these return whole lists, decoded in C where the layout allows, blocks.py),
and the few reads left to Whoosh's reader. Each runs inside damage.reading, so a
garbled file raises IndexDamaged here, and nowhere else.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Iterator
from io import BytesIO
from itertools import accumulate
from pickle import load, loads
from struct import Struct
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3TermInfo, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from casefile.core.index.blocks import decode_ids, decode_weights, value_parts
from casefile.core.index.damage import reading

DOC_FREQUENCY_AT = 5
"""Offset of the document count in a W3 term info (flags: B, total weight: f, then I)."""
LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]
_BLOCK_SIZE = Struct("!i")
"""A block's length, negative for the last block of a term (Whoosh's read_int)."""


class Values:
    """The encoded positions of a term's postings, joined; one is cut out only when asked for."""

    __slots__ = ("blob", "ends", "keys")

    def __init__(self, parts: list[tuple[array[int], bytes]]) -> None:
        self.keys: Any = None
        """The positions as phrase_arrays' keys, once a phrase asked for them (its variants share words)."""
        self.blob = b"".join(blob for _lengths, blob in parts)
        lengths = array("I")
        for part_lengths, _blob in parts:
            lengths.extend(part_lengths)
        self.ends = [0, *accumulate(lengths)]

    def positions(self, index: int) -> array[int]:
        """Posting `index`'s positions: a count, then native uint32s (schema._Positions)."""
        return array("I", self.blob[self.ends[index] + 4:self.ends[index + 1]])


class Postings:
    """One term's postings in one segment: docnums, weights, encoded positions if asked for."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self, ids: list[int], weights: list[float], values: Values | None) -> None:
        self.ids, self.weights, self.values = ids, weights, values


def read_postings(segment: Any, field: str, btext: bytes, want_values: bool) -> Postings | None:
    """Decode a term's postings block by block (Whoosh's W3 layout), without matchers."""
    with reading(f"postings of {field}:{btext!r}"):
        return _read_postings(segment, field, btext, want_values)


def _read_postings(segment: Any, field: str, btext: bytes, want_values: bool) -> Postings | None:
    found = find_term(segment, field, btext)
    if found is None:
        return None
    return _postings_of(*found, want_values)


def find_term(segment: Any, field: str, btext: bytes) -> tuple[Any, Any] | None:
    """(the segment's postings file, the term's info), or None when the segment has no such
    term (call inside `reading`)."""
    terms = getattr(segment, "_terms", None)
    if terms is None:  # an EmptyReader: an index with no commit yet
        return None
    try:
        return terms._postfile, terms.term_info(field, btext)
    except TermNotFound:
        return None


def postings_of(segment: Any, info: Any, want_values: bool) -> Postings:
    """The postings a term info (from `term_infos`) points to."""
    with reading("postings"):
        return _postings_of(segment._terms._postfile, info, want_values)


def _postings_of(postfile: Any, info: Any, want_values: bool) -> Postings:
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        return Postings(list(ids), decode_weights(weights, len(ids)),
                         Values([value_parts(values)]) if want_values else None)
    return _read_blocks(postfile, info, want_values)


def _read_blocks(postfile: Any, info: Any, want_values: bool) -> Postings:
    """The postings of a term stored in blocks."""
    all_ids: list[int] = []
    all_weights: list[float] = []
    values: list[tuple[array[int], bytes]] = []
    for count, last, ids, weights, block_values in blocks(postfile, info):
        all_ids.extend(decode_ids(ids, last))
        all_weights.extend(decode_weights(weights, count))
        if want_values:
            values.append(value_parts(block_values))
    return Postings(all_ids, all_weights, Values(values) if want_values else None)


def blocks(postfile: Any, info: Any) -> Iterator[tuple[int, int, Any, Any, Any]]:
    """(count, last docnum, ids, weights, values) of each block of a term stored in blocks:
    its whole extent read at once, each block's header unpickled from memory (a read per
    field of the header cost 20 calls a block)."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh's from_bytes keeps the unpacked tuple
        length = length[0]
    data = postfile.get(offset, length)
    stream = BytesIO(data)
    position = 4  # after the header tag
    while True:
        size = _BLOCK_SIZE.unpack_from(data, position)[0]
        end = position + 4 + abs(size)
        stream.seek(position + 4)
        block_info = load(stream)
        block = data[stream.tell():end]
        yield block_info[0], block_info[1], *loads(zlib.decompress(block) if block_info[3] else block)
        if size < 0:  # the last block
            break
        position = end


NONE = Postings([], [], None)
"""A term a segment does not have (cached like the others)."""


def prefix_frequencies(reader: Any, field: str, prefix: str) -> dict[bytes, int]:
    """Every term of `field` starting with `prefix`, with the number of documents holding it.

    Reads the sorted term table of each segment directly: Whoosh's iter_prefix decodes a
    whole term info per term (unpickling inlined postings), most of a short prefix's time.
    """
    with reading(f"terms of {field} from {prefix!r}"):
        return _prefix_frequencies(reader, field, prefix)


def _prefix_frequencies(reader: Any, field: str, prefix: str) -> dict[bytes, int]:
    frequency: dict[bytes, int] = {}
    get = frequency.get
    for leaf, _base in reader.leaf_readers():
        terms = getattr(leaf, "_terms", None)
        if terms is None or field not in terms._fieldmap:
            continue
        start = terms._keycoder(field, prefix.encode("utf-8"))
        for text, count in _records(terms._tindex, start, len(start) - len(prefix.encode("utf-8"))):
            frequency[text] = get(text, 0) + count
    return frequency


_RECORD = Struct("!ii")
"""A term table record's key and value lengths (Whoosh's HashWriter.add)."""
_UINT = Struct("!I")


def _records(table: Any, start: bytes, cut: int) -> Iterator[tuple[bytes, int]]:
    """(key[cut:], document count) of every key of the ordered term table starting with
    `start`: their records lie together, read in one piece and split here (a read of the
    file per key and per count cost most of a one-letter prefix's expansion)."""
    first = table.closest_key_pos(start)
    if first is None:
        return
    after = _after(start)
    last = table.closest_key_pos(after) if after is not None else None
    data = table.dbfile.get(first, (table.endofdata if last is None else last) - first)
    at, size = 0, len(data)
    while at < size:
        keylen, datalen = _RECORD.unpack_from(data, at)
        key_at = at + _RECORD.size
        yield data[key_at + cut:key_at + keylen], _UINT.unpack_from(data, key_at + keylen + DOC_FREQUENCY_AT)[0]
        at = key_at + keylen + datalen


def _after(start: bytes) -> bytes | None:
    """The least key greater than every key starting with `start` (None: there is none)."""
    head = start.rstrip(b"\xff")
    return head[:-1] + bytes([head[-1] + 1]) if head else None


def term_infos(segment: Any, field: str) -> Iterator[tuple[bytes, Any]]:
    """Every term of a segment's field with its term info, in order: one pass over the
    sorted term table instead of a hash lookup per term (a merge reads them all)."""
    with reading(f"terms of {field}"):
        terms = getattr(segment, "_terms", None)
        if terms is None or field not in terms._fieldmap:
            return
        start = terms._keycoder(field, b"")
        dbfile, cut, decode = terms._tindex.dbfile, len(start), W3TermInfo.from_bytes
        for keypos, keylen, datapos, datalen in terms._tindex.ranges_from(start):
            key = dbfile.get(keypos, keylen)
            if not key.startswith(start):
                break
            yield key[cut:], decode(dbfile.get(datapos, datalen))


def length_bytes(segment: Any, field: str) -> bytes:
    """A segment's length column of `field`: one byte per document (b"" when it has none)."""
    with reading(f"lengths of {field}"):
        return _length_bytes(segment, field)


def _length_bytes(segment: Any, field: str) -> bytes:
    if not hasattr(segment, "_perdoc"):
        return b""
    column = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return b""
    stored: bytes = column._dbfile.get(column._basepos, column._count)  # the column's raw bytes, one read
    count: int = segment.doc_count_all()
    return stored + bytes([column._default]) * (count - len(stored))


def lexicon(reader: Any, field: str) -> list[bytes]:
    """Every term of `field` (in any segment), sorted."""
    with reading(f"terms of {field}"):
        return list(reader.lexicon(field))


def has_term(reader: Any, field: str, btext: bytes) -> bool:
    """True when some segment holds the term."""
    with reading(f"term {field}:{btext!r}"):
        return (field, btext) in reader


def matching_terms(q: Any, reader: Any) -> list[bytes]:
    """The terms a Wildcard or TermRange query stands for (Whoosh's own expansion), sorted."""
    with reading(f"terms of {q!r}"):
        return sorted(q._btexts(reader))


def doc_frequency(segment: Any, field: str, btext: bytes) -> int:
    """The number of documents of a segment holding the term, deleted ones included."""
    with reading(f"term {field}:{btext!r}"):
        count: int = segment.doc_frequency(field, btext)
        return count


def field_length(segment: Any, field: str) -> int:
    """The total length of `field` in a segment, deleted documents included."""
    with reading(f"length of {field}"):
        length: int = segment.field_length(field)
        return length


def stored(reader: Any, docnum: int) -> dict[str, Any]:
    """The stored fields of a document."""
    with reading(f"stored fields of document {docnum}"):
        return dict(reader.stored_fields(docnum))


def doc_terms(segment: Any, field: str) -> list[tuple[str, ...]]:
    """docnum -> the terms of `field` it holds, for one segment (deleted documents included)."""
    of_doc: list[tuple[str, ...]] = [()] * segment.doc_count_all()
    for btext in lexicon(segment, field):
        name, postings = btext.decode("utf-8"), read_postings(segment, field, btext, False)
        for docnum in postings.ids if postings is not None else ():
            of_doc[docnum] += (name,)
    return of_doc


def segment_key(segment: Any) -> str | None:
    """What tells a segment from every other (None for an index with no segment yet)."""
    found = segment.segment()
    return found.segment_id() if found is not None else None


def leaves(reader: Any) -> list[tuple[Any, int, frozenset[int]]]:
    """(segment reader, first docnum, deleted docnums) of each segment."""
    with reading("segments"):
        return [(segment, base, frozenset(segment.deleted_docs_set) if segment.has_deletions() else frozenset())
                for segment, base in reader.leaf_readers()]
