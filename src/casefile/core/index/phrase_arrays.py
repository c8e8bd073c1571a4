"""Phrases over whole position arrays (numpy): the accelerator of phrases.py, its reference.

phrases.py tests each candidate document in Python (1-2 µs each: 40,000 candidates for
"the government" at 100,000 cases). Here each word's positions become one sorted array
of keys, docnum * 2**33 + position, decoded from the stored bytes in C; a word follows
the previous one when its key minus 1..slop is among the previous word's reached keys,
which `searchsorted` finds for every position at once. Same answers as `phrase_matches`
(tests/core/test_phrase_arrays.py compares the two).
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

import numpy as np

from casefile.core.index.postings import Postings, Values

Keys = Any
"""A sorted int64 array of docnum << 33 | position: a position is below 2**32, so a key
plus or minus a slop below 2**32 never reaches another document's keys."""
_HIGH = np.int64(33)
_WIDEST = 2**32 - 1
"""Any slop at least this wide reaches every later position of the document."""


def phrase_matches(per_word: list[Postings], deleted: frozenset[int], slop: int = 1,
                   allowed: Container[int] | None = None, base: int = 0) -> tuple[list[int], list[list[int]]]:
    """Live docnums (sorted) where word i+1 occurs 1..slop positions after word i, for some
    chain (only those whose base + docnum is in `allowed`, when given); and per word the
    index of each match's posting (their weights)."""
    reached = keys(per_word[0])
    for word in per_word[1:]:
        if not len(reached):
            break
        reached = _step(reached, keys(word), slop)
    docs = np.unique(reached >> _HIGH).tolist() if len(reached) else []
    matched = [d for d in docs if d not in deleted and (allowed is None or base + d in allowed)]
    wanted = np.asarray(matched, dtype=np.int64)
    return matched, [np.searchsorted(np.asarray(p.ids, dtype=np.int64), wanted).tolist() for p in per_word]


def keys(postings: Postings) -> Keys:
    """The word's positions as sorted keys docnum << 33 | position.

    Each posting's value is its count (4 bytes, big-endian), then its positions (native
    uint32s, schema._Positions): the counts are dropped, each position gets its docnum.
    """
    values = postings.values
    if values is None:
        raise ValueError("a phrase needs postings read with positions")
    if values.keys is None:
        values.keys = _keys(postings.ids, values)
    return values.keys


def _keys(ids: list[int], values: Values) -> Keys:
    words = np.frombuffer(values.blob, dtype=np.uint32)
    ends = np.asarray(values.ends, dtype=np.int64) // 4
    counts = np.diff(ends) - 1
    if len(words) != ends[-1] or (counts < 0).any():
        raise ValueError("positions that are not whole uint32s")
    keep = np.ones(len(words), dtype=bool)
    keep[ends[:-1]] = False
    found = words[keep].astype(np.int64) | (np.repeat(np.asarray(ids, dtype=np.int64), counts) << _HIGH)
    if len(found) > 1 and not (found[1:] > found[:-1]).all():
        found = np.unique(found)  # positions stored out of order (or twice): sorted once
    return found


def _step(reached: Keys, following: Keys, slop: int) -> Keys:
    """The keys of the next word that lie 1..slop after some reached key."""
    if slop == 1 and len(reached) <= len(following):  # the few reached keys, moved one step, looked up
        return _among(reached + 1, following)
    if slop == 1:
        return _among(following, reached + 1)
    # the first reached key at or after `following - slop`
    at = np.searchsorted(reached, following - min(slop, _WIDEST))
    inside = at < len(reached)
    near = np.zeros(len(following), dtype=bool)
    near[inside] = reached[at[inside]] <= following[inside] - 1
    return following[near]


def _among(wanted: Keys, present: Keys) -> Keys:
    """The keys of `wanted` (sorted) that are in `present` (sorted)."""
    if not len(present):
        return present
    at = np.minimum(np.searchsorted(present, wanted), len(present) - 1)
    return wanted[present[at] == wanted]
