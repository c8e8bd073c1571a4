"""Reading Whoosh's W3 files directly: postings a block at a time, term tables, length
columns. Whoosh's readers decode one posting (or one term info) per Python call; these
return whole lists, decoded in C where the layout allows (core/index/blocks.py).
"""

from __future__ import annotations

import zlib
from array import array
from itertools import accumulate
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from casefile.core.index.blocks import decode_ids, decode_weights, value_parts
from casefile.core.index.damage import Damaged

DOC_FREQUENCY_AT = 5
"""Offset of the document count in a W3 term info (flags: B, total weight: f, then I)."""
LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class Values:
    """The encoded positions of a term's postings, joined; one is cut out only when asked for."""

    __slots__ = ("blob", "ends")

    def __init__(self, parts: list[tuple[array, bytes]]) -> None:
        self.blob = b"".join(blob for _lengths, blob in parts)
        lengths = array("I")
        for part_lengths, _blob in parts:
            lengths.extend(part_lengths)
        self.ends = [0, *accumulate(lengths)]

    def positions(self, index: int) -> array:
        """Posting `index`'s positions: a count, then native uint32s (schema._Positions)."""
        return array("I", self.blob[self.ends[index] + 4:self.ends[index + 1]])


class Postings:
    """One term's postings in one segment: docnums, weights, encoded positions if asked for."""

    __slots__ = ("ids", "weights", "values")

    def __init__(self, ids: list[int], weights: list[float], values: Values | None) -> None:
        self.ids, self.weights, self.values = ids, weights, values


def read_postings(segment: Any, field: str, btext: bytes, want_values: bool) -> Postings | None:
    """Decode a term's postings block by block (Whoosh's W3 layout), without matchers."""
    terms = getattr(segment, "_terms", None)
    if terms is None:  # an EmptyReader: an index with no commit yet
        return None
    try:
        info = terms.term_info(field, btext)
    except TermNotFound:
        return None
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        return Postings(list(ids), decode_weights(weights, len(ids)),
                         Values([value_parts(values)]) if want_values else None)
    try:
        return _read_blocks(terms._postfile, info, want_values)
    except (ValueError, IndexError, TypeError, KeyError) as exc:
        raise Damaged(f"postings of {field}:{btext!r}") from exc


def _read_blocks(postfile: Any, info: Any, want_values: bool) -> Postings:
    """The postings of a term stored in blocks."""
    offset, _length = info.extent()
    position = offset + 4  # after the header tag
    all_ids: list[int] = []
    all_weights: list[float] = []
    values: list[tuple[array, bytes]] = []
    while True:
        postfile.seek(position)
        length = postfile.read_int()
        last = length < 0
        length = abs(length)
        block_info = postfile.read_pickle()
        data_at = postfile.tell()
        data = postfile.get(data_at, position + 4 + length - data_at)
        count, compression = block_info[0], block_info[3]
        ids, weights, block_values = loads(zlib.decompress(data) if compression else data)
        all_ids.extend(decode_ids(ids))
        all_weights.extend(decode_weights(weights, count))
        if want_values:
            values.append(value_parts(block_values))
        if last:
            break
        position += 4 + length
    return Postings(all_ids, all_weights, Values(values) if want_values else None)


NONE = Postings([], [], None)
"""A term a segment does not have (cached like the others)."""


def prefix_frequencies(reader: Any, field: str, prefix: str) -> dict[bytes, int]:
    """Every term of `field` starting with `prefix`, with the number of documents holding it.

    Reads the sorted term table of each segment directly: Whoosh's iter_prefix decodes a
    whole term info per term (unpickling inlined postings), most of a short prefix's time.
    """
    frequency: dict[bytes, int] = {}
    get = frequency.get
    for leaf, _base in reader.leaf_readers():
        terms = getattr(leaf, "_terms", None)
        if terms is None or field not in terms._fieldmap:
            continue
        start = terms._keycoder(field, prefix.encode("utf-8"))
        dbfile, cut = terms._tindex.dbfile, len(start) - len(prefix.encode("utf-8"))
        for keypos, keylen, datapos, _datalen in terms._tindex.ranges_from(start):
            key = dbfile.get(keypos, keylen)
            if not key.startswith(start):
                break
            text = key[cut:]
            frequency[text] = get(text, 0) + dbfile.get_uint(datapos + DOC_FREQUENCY_AT)
    return frequency


def length_bytes(segment: Any, field: str) -> bytes:
    """A segment's length column of `field`: one byte per document (b"" when it has none)."""
    if not hasattr(segment, "_perdoc"):
        return b""
    column = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return b""
    stored = column._dbfile.get(column._basepos, column._count)  # the column's raw bytes, one read
    return stored + bytes([column._default]) * (segment.doc_count_all() - len(stored))
