"""A faster Whoosh segment writer that writes the same W3 files as Whoosh's own.

Whoosh turns every posting into a tuple, sorts them all (spilling to disk past its
memory limit), then feeds them one by one through a postings writer that asserts
types per posting: about 20 µs per posting in Python, 320 postings per case. Here
pre-analyzed fields are gathered per field and term in dicts, and each term is written
in one go at commit: the same blocks (blocks.py's array layout, pickled, zlib level 3),
inlined postings and term table as `W3FieldWriter` with store._PostingsWriter produce,
so readers and merges see no difference. Stored fields, lengths
and columns still go through Whoosh's per-document writer.
"""

from __future__ import annotations

import functools
import operator
import pickle
import struct
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from hashlib import md5
from itertools import repeat
from typing import Any

from whoosh import formats
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.writing import SegmentWriter

from casefile.core.index.blocks import encode_ids, encode_values, encode_weights
from casefile.core.index.schema import LENGTHS, _Words

BLOCK = 128
"""Postings per block (W3Codec's blocklimit)."""
LEVEL = 3
"""zlib level of posting blocks (W3Codec's compression)."""
SPILL = 1 << 22
"""Bytes of postings or of terms a segment writer gathers before writing them out (the
whole segment's were kept, then copied once more, until the end: a worker's peak)."""
_COUNT = [struct.pack("!I", n) for n in range(1024)]
_INFO = struct.Struct("!BfIBBfII")
_LENGTHS = struct.Struct("!ii")
_LONG_INT = struct.Struct("!qi")
_BLOCK_LENGTH = struct.Struct("!i")
_FLOAT32 = struct.Struct("f")


_uints = functools.partial(array, "I")
_SINGLE = [_COUNT[1] + _uints([position]).tobytes() for position in range(8192)]
"""The encoding of each lone position: most words occur once in a case, and these bytes
objects are shared by all their postings (time, and memory while a segment is gathered)."""


def _positions(counts: list[int], found: Iterable[list[int]]) -> list[bytes]:
    """store._Positions.encode of many position lists: the count (big-endian), then
    native unsigned ints (this runs once per posting)."""
    single, heads, limit = _SINGLE, _COUNT, len(_SINGLE)
    if max(counts) >= len(heads):
        heads = [struct.pack("!I", n) for n in range(max(counts) + 1)]
    return [single[at[0]] if count == 1 and at[0] < limit else heads[count] + _uints(at).tobytes()
            for count, at in zip(counts, found)]


class Pool:
    """Postings of one segment, by field and term, in the order documents were added.

    Each term holds one flat list [doc, weight, value, doc, weight, value, ...]: three
    slots per posting, far less memory than a tuple each. Weights stay ints where they
    are counts (small ints are shared); they become float32 when written, as in Whoosh.
    """

    def __init__(self) -> None:
        self.text: dict[str, defaultdict[str, list[Any]]] = {}
        """Terms as str, from pre-analyzed fields."""
        self.raw: dict[str, dict[bytes, list[Any]]] = {}
        """Terms as bytes, from other fields and from merged segments."""
        self.unordered = False
        self.postings = 0

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting, as Whoosh's PostingPool takes it (merges of segments call this)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        terms = self.raw.setdefault(fieldname, {})
        entry = terms.get(tbytes)
        if entry is None:
            terms[tbytes] = [docnum, weight, vbytes or b""]
        else:
            self.unordered = self.unordered or docnum <= entry[-3]
            entry += (docnum, weight, vbytes or b"")
        self.postings += 1

    def add_words(self, fieldname: str, field: _Words, value: Any, docnum: int) -> int:
        """The postings of one _Words value (what `_Words.index` yields); returns its length."""
        terms = self.text.get(fieldname)
        if terms is None:
            terms = self.text[fieldname] = defaultdict(list)
        if isinstance(value, str):  # path, id, kind, lang...: one term
            terms[value] += (docnum, 1, b"")
            self.postings += 1
            return 1
        if value and isinstance(value[0], str):
            keys: Any = set(value)
            slots: Any = zip(repeat(docnum), repeat(1), repeat(b""))
            length = len(keys)
        else:
            keys, weights, values = _sections(value, isinstance(field.format, formats.Positions))
            slots = zip(repeat(docnum), weights, values)
            length = _length(value)
        deque(map(list.extend, map(terms.__getitem__, keys), slots), 0)
        self.postings += len(keys)
        return length

    def fields(self) -> list[str]:
        """Every field with postings, in Whoosh's (sorted) order."""
        return sorted(self.text.keys() | self.raw.keys())

    def terms(self, fieldname: str) -> list[tuple[bytes, list[Any]]]:
        """(term bytes, flat entry) of one field, sorted by term bytes, docs increasing."""
        terms = {word.encode("utf-8"): entry for word, entry in self.text.get(fieldname, {}).items()}
        for tbytes, entry in self.raw.get(fieldname, {}).items():
            if tbytes in terms:
                self.unordered = True
                terms[tbytes] = terms[tbytes] + entry
            else:
                terms[tbytes] = entry
        ordered = sorted(terms.items())
        if self.unordered:
            ordered = [(tbytes, _by_doc(entry)) for tbytes, entry in ordered]
        return ordered

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        """Every posting as a sorted (field, term, doc, weight, value) tuple."""
        for fieldname in self.fields():
            for tbytes, entry in self.terms(fieldname):
                for docnum, weight, value in zip(entry[0::3], entry[1::3], entry[2::3]):
                    yield fieldname, tbytes, docnum, float(weight), value

    def take(self, fieldname: str) -> list[tuple[bytes, list[Any]]]:
        """`terms` of one field, no longer held by the pool: each term's postings can go once written."""
        ordered = self.terms(fieldname)
        self.text.pop(fieldname, None)
        self.raw.pop(fieldname, None)
        return ordered

    def cleanup(self) -> None:
        """Nothing on disk to remove."""
        self.text, self.raw, self.postings = {}, {}, 0


_NO_VALUES = repeat(b"")


def _by_doc(entry: list[Any]) -> list[Any]:
    """An entry sorted by doc number (a merge may add postings out of order)."""
    ids = entry[0::3]
    if all(map(operator.lt, ids, ids[1:])):
        return entry
    triples = sorted(zip(ids, entry[1::3], entry[2::3]), key=operator.itemgetter(0))
    return [slot for triple in triples for slot in triple]


def _length(sections: Any) -> int:
    """The number of words in sections (the field length Whoosh stores)."""
    return sum(len(section_words) for section_words, _start, _weight in sections)


def _sections(sections: Any, positions: bool) -> tuple[list[str], list[Any], Any]:
    """(words, weights, encoded positions) of sections (words, first position, weight):
    what `_Words.index` yields, with weights summed per occurrence."""
    found: dict[str, list[int]] = {}
    extra: dict[str, float] = {}
    get = found.get
    for section_words, start, weight in sections:
        for offset, word in enumerate(section_words, start):
            at = get(word)
            if at is None:
                found[word] = [offset]
            else:
                at.append(offset)
        if weight != 1.0:
            for word in section_words:
                extra[word] = extra.get(word, 0.0) + weight - 1.0
    keys = list(found)
    counts = list(map(len, found.values()))
    weights: list[Any] = [count + extra[word] if word in extra else count
                          for word, count in zip(keys, counts)] if extra else counts
    return keys, weights, _positions(counts, found.values()) if positions and keys else _NO_VALUES


class FastWriter(SegmentWriter):  # type: ignore[misc]  # Whoosh ships no types
    """A SegmentWriter that gathers postings in a Pool and writes them term by term."""

    def __init__(self, ix: Any, inline: int, **options: Any) -> None:
        super().__init__(ix, **options)
        self.pool: Any = Pool()
        self.inline = inline
        self.adopted: list[Any] = []
        """Segments written by other processes, added to this writer's commit."""

    def _merge_segments(self, mergetype: Any, optimize: Any, merge: Any) -> list[Any]:
        """The merge policy's segments, then the adopted ones."""
        merged: list[Any] = super()._merge_segments(mergetype, optimize, merge)
        return merged + self.adopted

    def add_document(self, **fields: Any) -> None:
        """Whoosh's add_document, with _Words postings gathered by the pool directly."""
        self._check_state()
        pdw, schema, docnum, pool = self.perdocwriter, self.schema, self.docnum, self.pool
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        pdw.start_doc(docnum)
        lengths: dict[str, int] = {}
        added: dict[str, tuple[Any, Any, int]] = {}
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            if isinstance(field, _Words):
                length = pool.add_words(name, field, value, docnum)
            else:
                length = self._index_other(name, field, value, docnum) if field.indexed else 0
            if length:
                lengths[name] = length
            added[name] = (field, fields.get(f"_stored_{name}", value), length)
        added[LENGTHS] = (schema[LENGTHS], lengths, 0)
        for name in sorted(added):  # stored fields in Whoosh's (sorted) order: the same bytes
            field, custom, length = added[name]
            pdw.add_field(name, field, custom if field.stored else None, length)
            if field.column_type and custom is not None:
                pdw.add_column_value(name, field.column_type, field.to_column_value(custom))
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _index_other(self, name: str, field: Any, value: Any, docnum: int) -> int:
        """Postings of a field that is not pre-analyzed (dates), through field.index."""
        length = 0
        for tbytes, freq, weight, vbytes in field.index(value):
            length += freq if field.scorable else 0
            self.pool.add((name, tbytes, docnum, weight, vbytes))
        return length

    def _flush_segment(self) -> None:
        """Write the per-document data, then every term of the pool."""
        self.perdocwriter.close()
        fw = self.fieldwriter
        out = _TermsOut(fw._postfile, fw._tindex, self.inline)
        for fieldname in self.pool.fields():
            fieldid = fw._fieldmap.setdefault(fieldname, len(fw._fieldmap))
            fixed = self.schema[fieldname].format.fixed_value_size()
            out.field(struct.pack("!H", fieldid), fixed, self.pool.take(fieldname))
        out.close()
        fw.close()


class _TermsOut:
    """Writes terms and postings into a segment's .pst and .trm files, as W3 does."""

    def __init__(self, postfile: Any, tindex: Any, inline: int) -> None:
        self.postfile, self.tindex, self.inline = postfile, tindex, inline
        self.posts = bytearray()
        self.post_base = postfile.tell()
        self.terms = bytearray()
        self.term_base = tindex.dbfile.tell()
        self.positions: list[int] = []
        """Where each term's record starts (OrderedHashWriter.index, filled at the end)."""

    def field(self, prefix: bytes, fixed: int | None, terms: list[tuple[bytes, list[Any]]]) -> None:
        """Every term of one field; `terms` is emptied as they are written (their postings go)."""
        if not terms:
            return
        buckets, positions, term, pack = self.tindex.buckets, self.positions, self._term, _LENGTHS.pack
        self.tindex.lastkey = prefix + terms[-1][0]
        terms.reverse()
        while terms:
            tbytes, entry = terms.pop()
            key = prefix + tbytes
            info = _lone(*entry) if len(entry) == 3 else term(entry[0::3], entry[1::3], entry[2::3], fixed)
            position = self.term_base + len(self.terms)
            positions.append(position)
            self.terms += pack(len(key), len(info))
            self.terms += key
            self.terms += info
            digest = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
            buckets[digest & 255].append((digest, position))
            if len(self.posts) > SPILL or len(self.terms) > SPILL:
                self.spill()

    def spill(self) -> None:
        """Write out the postings and terms gathered so far (offsets stay base + length)."""
        self.postfile.write(self.posts)
        self.post_base += len(self.posts)
        self.posts = bytearray()
        self.tindex.dbfile.write(self.terms)
        self.term_base += len(self.terms)
        self.terms = bytearray()

    def _term(self, ids: list[int], weights: list[float], values: list[bytes],
              fixed: int | None) -> bytes:
        """The term info bytes of one term (its blocks appended to the postings)."""
        stored = array("f", weights)
        total, top = sum(stored), _top(weights)
        if len(ids) <= self.inline:
            kept = tuple(values)
            if fixed is None and len(set(map(id, kept))) < len(kept):
                # shared encodings (_SINGLE) would pickle as memo references: one object each,
                # as Whoosh writes them
                kept = tuple(bytes(bytearray(value)) for value in kept)
            head = _INFO.pack(1, total, len(ids), 0, 0, top, ids[0], ids[-1])
            return head + pickle.dumps((tuple(ids), tuple(stored), kept), 2)
        start = self.post_base + len(self.posts)
        self.posts += WHOOSH3_HEADER_MAGIC
        for first in range(0, len(ids), BLOCK):
            last = first + BLOCK >= len(ids)
            self._block(ids[first:first + BLOCK], stored[first:first + BLOCK],
                        weights[first:first + BLOCK], values[first:first + BLOCK] if values else None,
                        fixed, last)
        extent = _LONG_INT.pack(start, self.post_base + len(self.posts) - start)
        return _INFO.pack(0, total, len(ids), 0, 0, top, ids[0], ids[-1]) + extent

    def _block(self, ids: list[int], stored: array[float], weights: list[float], values: list[bytes] | None,
               fixed: int | None, last: bool, level: int = LEVEL) -> None:
        """One block of at most BLOCK postings, as W3PostingsWriter writes it (zlib `level`;
        0: not compressed, which the header says)."""
        if fixed is None or fixed < 0:
            kept: Any = encode_values(values or ())
        else:
            kept = None if fixed == 0 else b"".join(values or ())
        data = pickle.dumps((encode_ids(ids), encode_weights(stored), kept), 2)
        data = zlib.compress(data, level) if level else data
        info = pickle.dumps((len(ids), ids[-1], _top(weights), level, 0, 0), 2)
        size = len(info) + len(data)
        self.posts += _BLOCK_LENGTH.pack(-size if last else size)
        self.posts += info
        self.posts += data

    def close(self) -> None:
        """Write the buffered bytes to the two files."""
        self.spill()
        index = self.tindex.index  # a GrowableArray, empty until now
        if self.positions:
            index.append(self.positions[-1])  # the largest: the array takes the type that holds it
            index.array = array(index.typecode, self.positions)


def _lone(docnum: int, weight: Any, value: bytes) -> bytes:
    """The term info of a term in one document (most terms): `_term`'s inlined case, shorter."""
    stored = _FLOAT32.unpack(_FLOAT32.pack(weight))[0]
    head = _INFO.pack(1, stored, 1, 0, 0, float(weight) if weight > 0 else 0, docnum, docnum)
    return head + pickle.dumps(((docnum,), (stored,), (value,)), 2)


def _top(weights: list[Any]) -> float | int:
    """The largest weight as Whoosh keeps it: the float given, or 0 when none is positive."""
    top = max(weights)
    return float(top) if top > 0 else 0
