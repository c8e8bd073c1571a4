"""A term's docnums and weights in one segment as numpy arrays, decoded from the blocks'
bytes in a few array operations per term (blocks.py's layout): the sums of dense.py
read them without a Python list of every posting (building the lists, then arrays from
them, was a third of a one-letter prefix's time at 100,000 cases)."""

from __future__ import annotations

from typing import Any

import numpy as np

from casefile.core.index.blocks import decode_ids, decode_weights
from casefile.core.index.damage import reading
from casefile.core.index.postings import blocks, find_term

Arrays = tuple[Any, Any]
"""(docnums int64, weights float64) of a term in a segment."""


def read_arrays(segment: Any, field: str, btext: bytes) -> Arrays | None:
    """The term's postings in the segment as arrays, or None when it has none."""
    with reading(f"postings of {field}:{btext!r}"):
        found = find_term(segment, field, btext)
        if found is None:
            return None
        postfile, info = found
        if info.is_inlined():
            ids, weights, _values = info.inlined_postings()
            return np.asarray(ids, dtype=np.int64), np.asarray(decode_weights(weights, len(ids)), dtype=np.float64)
        return _from_blocks(postfile, info)


def _from_blocks(postfile: Any, info: Any) -> Arrays:
    gaps: list[bytes] = []
    counts: list[int] = []
    lasts: list[int] = []
    weights: list[Any] = []
    for count, last, ids, block_weights, _values in blocks(postfile, info):
        if not isinstance(ids, bytes) or len(ids) != 4 * (count - 1):  # Whoosh's own layout: decoded as such
            ids = np.diff(np.asarray(decode_ids(ids, last), dtype=np.int64)).astype(np.uint32).tobytes()
        gaps.append(ids)
        counts.append(count)
        lasts.append(last)
        weights.append(_weights(block_weights, count))
    return _docnums(gaps, counts, lasts), np.concatenate(weights)


def _weights(data: Any, count: int) -> Any:
    """A block's weights as float64 (float32 bytes, None for all 1.0, or one float for all)."""
    if isinstance(data, bytes):
        return np.frombuffer(data, dtype=np.float32).astype(np.float64)
    return np.asarray(decode_weights(data, count), dtype=np.float64)


def _docnums(gaps: list[bytes], counts: list[int], lasts: list[int]) -> Any:
    """Docnums from each block's gaps and last docnum: a block starts at its last docnum
    minus its gaps' sum; one cumulative sum over every block gives them all."""
    steps = np.frombuffer(b"".join(gaps), dtype=np.uint32).astype(np.int64)
    sizes = np.asarray(counts, dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))  # each block's first posting
    firsts_at = np.concatenate(([0], np.cumsum(sizes - 1)))  # each block's first gap in `steps`
    total = np.concatenate(([0], np.cumsum(steps)))
    firsts = np.asarray(lasts, dtype=np.int64) - (total[firsts_at[1:]] - total[firsts_at[:-1]])
    found = np.empty(int(sizes.sum()), dtype=np.int64)
    gap_at = np.ones(len(found), dtype=bool)
    gap_at[starts] = False
    found[gap_at] = steps
    found[starts] = firsts - np.concatenate(([0], np.asarray(lasts[:-1], dtype=np.int64)))
    return np.cumsum(found)
