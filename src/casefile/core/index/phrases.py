"""Which documents hold a phrase: words in order, each 1 to `slop` positions after the last.

`"a b"` (slop 1) needs adjacent words; `"a b"~3` lets up to two other words sit between
them, as Whoosh's SpanNear2(ordered=True, mindist=1) counts it. Positions are compared
with set operations in C; the few candidate positions of the rarest word lead.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Container
from itertools import compress
from typing import Any

from casefile.core.index.postings import Postings, Values

WIDTH = array("I").itemsize
"""Bytes of one encoded position (native unsigned int, schema._Positions)."""
SET_WHEN = 4
"""Positions of a pair's two words are compared as sets when the larger side has at most
this many times the smaller's; else each of the few is looked for with bytes.find."""


def _positions(postings: Postings) -> Values:
    """The positions of postings read with their values."""
    if postings.values is None:
        raise ValueError("a phrase needs postings read with positions")
    return postings.values


def phrase_docs(per_word: list[Postings], deleted: frozenset[int], slop: int = 1) -> list[int]:
    """Live docnums where word i+1 occurs 1..slop positions after word i, for some chain."""
    return phrase_matches(per_word, deleted, slop)[0]


def phrase_matches(per_word: list[Postings], deleted: frozenset[int], slop: int = 1,
                   allowed: Container[int] | None = None, base: int = 0) -> tuple[list[int], list[dict[int, int]]]:
    """`phrase_docs` (only those whose base + docnum is in `allowed`, when given), and per
    word docnum -> index of its posting (the matches' weights)."""
    maps = [dict(zip(p.ids, range(len(p.ids)))) for p in per_word]  # docnum -> posting index
    common = set(maps[0]).intersection(*maps[1:]) - deleted
    if allowed is not None:
        common = set(compress(common, map(allowed.__contains__, map(base.__add__, common))))
    return _matched(per_word, maps, common, slop), maps


def _matched(per_word: list[Postings], maps: list[dict[int, int]], common: set[int], slop: int) -> list[int]:
    values = [_positions(p) for p in per_word]
    if slop != 1:
        return [docnum for docnum in common
                if _chain([value.positions(where[docnum]) for value, where in zip(values, maps)], slop)]
    if len(per_word) == 2:
        return _pair_docs(common, maps[0], maps[1], values[0], values[1])
    shifts = [(-offset).__add__ for offset in range(len(per_word))]
    matched = []
    words = range(len(per_word))
    for docnum in common:
        at = [where[docnum] for where in maps]
        # anchor on the word with the fewest positions ("government", not "the")
        sizes = [value.ends[i + 1] - value.ends[i] for value, i in zip(values, at)]
        anchor = sizes.index(min(sizes))
        starts = set(map(shifts[anchor], values[anchor].positions(at[anchor])))
        for word in words:
            if word != anchor and starts:
                # the few candidate positions of this word, looked for among all of its positions
                value, i = values[word], at[word]
                low, high = value.ends[i] + WIDTH, value.ends[i + 1]
                hits = _present({start + word for start in starts}, value.blob, low, high)
                starts = {hit - word for hit in hits}
        if starts:
            matched.append(docnum)
    return matched


def _chain(positions: list[array[int]], slop: int) -> bool:
    """True when some p0 < p1 < ... (one per word) has 1 <= p[i+1] - p[i] <= slop."""
    reached = sorted(positions[0])
    for found in positions[1:]:
        # a position is reached when a reached one of the previous word lies slop..1 before it
        reached = [p for p in sorted(found) if _any_between(reached, p - slop, p - 1)]
        if not reached:
            return False
    return True


def _any_between(ordered: list[int], low: int, high: int) -> bool:
    """True when the sorted list has a value in [low, high]."""
    at = bisect_left(ordered, low)
    return at < len(ordered) and ordered[at] <= high


def _pair_docs(common: set[int], first_at: dict[int, int], second_at: dict[int, int],
               first: Values, second: Values) -> list[int]:
    """`phrase_docs` for two adjacent words (most phrases), 1-2 µs a candidate document: the
    positions of the word with fewer of them, moved one step, are looked for among the
    other word's encoded positions, with `bytes.find` when those are many (no array or set
    is made of "the"'s), with a set when they are few (most of "de la"'s)."""
    docs = list(common)
    at1, at2 = list(map(first_at.__getitem__, docs)), list(map(second_at.__getitem__, docs))
    ends1, ends2, blob1, blob2 = first.ends, second.ends, first.blob, second.blob
    spans = zip(docs, map(ends1.__getitem__, at1), map(ends1.__getitem__, map(_NEXT, at1)),
                map(ends2.__getitem__, at2), map(ends2.__getitem__, map(_NEXT, at2)))
    matched = []
    for docnum, low1, high1, low2, high2 in spans:
        # each value is a count (4 bytes), then the positions
        if high1 - low1 <= high2 - low2:
            found = _follows(blob1, low1 + WIDTH, high1, 1, blob2, low2 + WIDTH, high2)
        else:
            found = _follows(blob2, low2 + WIDTH, high2, -1, blob1, low1 + WIDTH, high1)
        if found:
            matched.append(docnum)
    return matched


_NEXT = (1).__add__
_ORDER = sys.byteorder


def _follows(small: bytes, low: int, high: int, step: int, blob: bytes, start: int, end: int) -> bool:
    """True when some uint32 of small[low:high], plus step, is among those in blob[start:end]."""
    if high - low == WIDTH:  # one position (most words of a phrase in most documents)
        positions: Any = (int.from_bytes(small[low:high], _ORDER),)
    elif (end - start) <= SET_WHEN * (high - low):  # few on both sides: compared as sets, in C
        return not set(array("I", blob[start:end])).isdisjoint(map(step.__add__, array("I", small[low:high])))
    else:
        positions = array("I", small[low:high])
    return any(_packed(blob, position + step, start, end) for position in positions)


def _present(keys: set[int], blob: bytes, start: int, end: int) -> set[int]:
    """The keys among the uint32s packed in blob[start:end] (a set of them when they are few)."""
    if end - start <= SET_WHEN * WIDTH * len(keys):
        return keys.intersection(array("I", blob[start:end]))
    return {key for key in keys if _packed(blob, key, start, end)}


def _packed(blob: bytes, number: int, start: int, end: int) -> bool:
    """True when `number` is one of the uint32s packed in blob[start:end]."""
    if number < 0:
        return False
    key = number.to_bytes(WIDTH, _ORDER)
    at = blob.find(key, start, end)
    while at != -1:
        if (at - start) % WIDTH == 0:  # at a number's start, not across two
            return True
        at = blob.find(key, at + 1, end)
    return False
