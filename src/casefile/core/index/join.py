"""One term's postings from several segments, joined without decoding their blocks.

A posting block's data holds no docnum (blocks.py: gaps only; its header holds the last
docnum), so a block moves to other docnums by a new header, and its compressed data is
copied as it is. A merge (index/merge.py) reads each segment's term table straight, a
large piece at a time, and for each term copies the blocks of every segment that has it
one after the other; only inlined postings (at most INLINE documents) are decoded.
"""

from __future__ import annotations

import io
import pickle
from array import array
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from casefile.core.index.damage import reading
from casefile.core.index.segment import _BLOCK_LENGTH, _INFO, _LENGTHS, _LONG_INT, BLOCK, _TermsOut

CHUNK = 1 << 20
"""Bytes of a term table read at once."""
HEAD = _INFO.size
"""The fixed part of a W3 term info; inlined postings (a pickle) or an extent follow."""
SMALL_LEVEL = 0
"""zlib level of the small blocks a join makes of inlined postings (at most INLINE per
segment): not compressed, as compressing them was a fifth of a merge."""
Part = tuple[bytes, int, Any]
"""A segment's share of a term: (its term info, the segment's first new docnum, its postings
file as a `Forward` reader)."""


class Forward:
    """A segment's postings file read a large piece at a time: a merge reads each term's
    blocks in the order they were written, one small read each otherwise."""

    def __init__(self, postfile: Any) -> None:
        self.file, self.start, self.data = postfile, 0, b""

    def get(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset`."""
        at = offset - self.start
        if at < 0 or at + length > len(self.data):
            self.start, self.data, at = offset, self.file.get(offset, max(length, CHUNK)), 0
        return self.data[at:at + length]


def term_records(reader: Any, field: str) -> Iterator[tuple[bytes, bytes]]:
    """(term, term info bytes) of every term of a segment's field, in order: the term
    table's records read a piece at a time (no lookup, no decoding per term)."""
    terms = getattr(reader, "_terms", None)
    if terms is None or field not in terms._fieldmap:
        return
    with reading(f"terms of {field}"):
        prefix, tindex = terms._keycoder(field, b""), terms._tindex
        at = tindex.closest_key_pos(prefix)
        if at is None:
            return
        yield from _records(tindex.dbfile, at, tindex.endofdata, prefix)


def _records(dbfile: Any, at: int, end: int, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
    """The records from `at` whose key starts with `prefix` (a field's terms are together)."""
    cut, unpack, want = len(prefix), _LENGTHS.unpack_from, CHUNK
    while at < end:
        chunk = dbfile.get(at, min(want, end - at))
        done = 0
        while done + 8 <= len(chunk):
            keylen, datalen = unpack(chunk, done)
            stop = done + 8 + keylen + datalen
            if stop > len(chunk):
                break
            key = chunk[done + 8:done + 8 + keylen]
            if not key.startswith(prefix):
                return
            yield key[cut:], chunk[done + 8 + keylen:stop]
            done = stop
        if done == 0:  # a record longer than a chunk: read it whole
            want = 8 + sum(unpack(chunk, 0)) if len(chunk) >= 8 else want * 2
        at += done


def shift_inlined(info: bytes, base: int) -> bytes:
    """An inlined term info with its docnums moved up by `base`."""
    if not base:
        return info
    ids, weights, values = pickle.loads(info[HEAD:])
    return _moved(info, base) + pickle.dumps((tuple(docnum + base for docnum in ids), weights, values), 2)


def join(out: _TermsOut, parts: list[Part], fixed: int | None) -> bytes:
    """The term info of a term whose postings are `parts` (in docnum order), its blocks
    written to `out`: blocks copied, inlined postings decoded (only they)."""
    if len(parts) == 1:  # most terms
        info, base, postfile = parts[0]
        if info[0]:
            return shift_inlined(info, base)
        start = out.post_base + len(out.posts)
        out.posts += WHOOSH3_HEADER_MAGIC
        _copy_blocks(out.posts, postfile, info, base, True)
        return _moved(info, base) + _LONG_INT.pack(start, out.post_base + len(out.posts) - start)
    if all(info[0] for info, _base, _file in parts):  # rare in every segment: written anew
        ids, weights, values = _inlined(parts)
        return out._term(ids, weights, values, fixed)
    start = out.post_base + len(out.posts)
    out.posts += WHOOSH3_HEADER_MAGIC
    for number, (inlined, run) in enumerate(runs := [(key, list(group)) for key, group in
                                                    groupby(parts, key=lambda part: bool(part[0][0]))]):
        last = number == len(runs) - 1
        if inlined:  # the segments where the term is rare: their postings in one new block
            ids, weights, values = _inlined(run)
            for first in range(0, len(ids), BLOCK):
                end = first + BLOCK
                out._block(ids[first:end], array("f", weights[first:end]), weights[first:end], values[first:end],
                           fixed, last and end >= len(ids), SMALL_LEVEL)
            continue
        for at, (info, base, postfile) in enumerate(run):
            _copy_blocks(out.posts, postfile, info, base, last and at == len(run) - 1)
    heads = [_INFO.unpack_from(info) for info, _base, _file in parts]
    first, last_id = heads[0][6] + parts[0][1], heads[-1][7] + parts[-1][1]
    head = _INFO.pack(0, sum(h[1] for h in heads), sum(h[2] for h in heads), min(h[3] for h in heads),
                      max(h[4] for h in heads), max(h[5] for h in heads), first, last_id)
    return head + _LONG_INT.pack(start, out.post_base + len(out.posts) - start)


def _moved(info: bytes, base: int) -> bytes:
    """The fixed part of a term info, its first and last docnums moved up by `base`."""
    if not base:
        return info[:HEAD]
    flags, total, count, shortest, longest, top, first, last = _INFO.unpack_from(info)
    return _INFO.pack(flags, total, count, shortest, longest, top, first + base, last + base)


def _inlined(parts: list[Part]) -> tuple[list[int], list[float], list[bytes]]:
    """The docnums (moved up), weights and values of inlined postings, in order."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    for info, base, _file in parts:
        own_ids, own_weights, own_values = pickle.loads(info[HEAD:])
        ids += [docnum + base for docnum in own_ids] if base else own_ids
        weights += own_weights
        values += own_values
    return ids, weights, values


def _copy_blocks(posts: bytearray, postfile: Any, info: bytes, base: int, last: bool) -> None:
    """A term's blocks in one segment appended to `posts`, each with its last docnum moved
    up by `base` (a new header: the data is copied as it is); the final one is marked last
    only when `last`."""
    offset, length = _LONG_INT.unpack_from(info, HEAD)
    with reading("postings"):
        data = postfile.get(offset + len(WHOOSH3_HEADER_MAGIC), length - len(WHOOSH3_HEADER_MAGIC))
        stream, at, pack = io.BytesIO(data), 0, _BLOCK_LENGTH.pack
        while at < len(data):
            size = _BLOCK_LENGTH.unpack_from(data, at)[0]
            end = at + 4 + abs(size)
            final = end >= len(data)
            if not base:
                posts += pack(-abs(size) if final and last else abs(size))
                posts += data[at + 4:end]
            else:
                stream.seek(at + 4)
                header = pickle.load(stream)
                moved = pickle.dumps((header[0], header[1] + base, *header[2:]), 2)
                body = data[stream.tell():end]
                whole = len(moved) + len(body)
                posts += pack(-whole if final and last else whole)
                posts += moved
                posts += body
            at = end
