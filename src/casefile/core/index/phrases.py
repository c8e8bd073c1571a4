"""Which documents hold a phrase: words in order, each 1 to `slop` positions after the last.

`"a b"` (slop 1) needs adjacent words; `"a b"~3` lets up to two other words sit between
them, as Whoosh's SpanNear2(ordered=True, mindist=1) counts it. Positions are compared
with set operations in C; the few candidate positions of the rarest word lead.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left

from casefile.core.index.postings import Postings, Values

WIDTH = array("I").itemsize
"""Bytes of one encoded position (native unsigned int, schema._Positions)."""


def _positions(postings: Postings) -> Values:
    """The positions of postings read with their values."""
    if postings.values is None:
        raise ValueError("a phrase needs postings read with positions")
    return postings.values


def phrase_docs(per_word: list[Postings], deleted: frozenset[int], slop: int = 1) -> list[int]:
    """Live docnums where word i+1 occurs 1..slop positions after word i, for some chain."""
    maps = [dict(zip(p.ids, range(len(p.ids)))) for p in per_word]  # docnum -> posting index
    common = set(maps[0]).intersection(*maps[1:]) - deleted
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
                hits = {start + word for start in starts}.intersection(values[word].positions(at[word]))
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
    """`phrase_docs` for two adjacent words (most phrases), about 2 µs a candidate document:
    each position of the word with fewer of them, moved one step, is looked for among the
    other word's encoded positions with `bytes.find` (no array or set is made for them)."""
    blob1, ends1, blob2, ends2 = first.blob, first.ends, second.blob, second.ends
    matched = []
    for docnum in common:
        i, j = first_at[docnum], second_at[docnum]
        start1, end1, start2, end2 = ends1[i] + 4, ends1[i + 1], ends2[j] + 4, ends2[j + 1]
        if end1 - start1 <= end2 - start2:
            found = _follows(array("I", blob1[start1:end1]), 1, blob2, start2, end2)
        else:
            found = _follows(array("I", blob2[start2:end2]), -1, blob1, start1, end1)
        if found:
            matched.append(docnum)
    return matched


def _follows(positions: array[int], step: int, blob: bytes, low: int, high: int) -> bool:
    """True when some position + step is among the uint32s packed in blob[low:high]."""
    for position in positions:
        if position + step < 0:
            continue
        key = (position + step).to_bytes(WIDTH, sys.byteorder)
        at = blob.find(key, low, high)
        while at != -1:
            if (at - low) % WIDTH == 0:  # at a number's start, not across two
                return True
            at = blob.find(key, at + 1, high)
    return False
