"""Sums of many terms' scores in arrays over the docnum space (numpy): the accelerator of
scoresets.add_up for a prefix's or a word's terms, its reference.

A one-letter prefix adds up 8 terms of 20,000-60,000 postings each at 100,000 cases: a
dict lookup and a BM25 in Python per posting. Here each term's postings become arrays,
BM25 is computed per array with the same float operations in the same order, and the
parts are added into one array from the largest part, as add_up adds them: the sums are
the same to the last bit (tests/core/test_dense.py compares the two).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from casefile.core.index.scoresets import Scores

Part = tuple[Any, Any]
"""(docnums, scores) of one term: int64 and float64 arrays, docnums distinct."""


def bm25(weights: Any, norms: Any, idf: float, k1: float) -> Any:
    """idf * (w * k1) / (w + norm) per posting, as evaluate._scored_at computes it."""
    result: Any = idf * (weights * k1) / (weights + norms)
    return result


def floats(values: list[float]) -> Any:
    """A float64 array of the values."""
    return np.asarray(values, dtype=np.float64)


def mask_of(within: Collection[int], size: int) -> Any:
    """A boolean array over docnums 0..size-1, True for those in `within`."""
    mask = np.zeros(size, dtype=bool)
    if within:
        found = np.fromiter(within, dtype=np.int64, count=len(within))
        mask[found[(found >= 0) & (found < size)]] = True
    return mask


def add_up(parts: list[Part], size: int) -> Scores:
    """{docnum: sum of its scores in the parts}, the parts added from the largest (stable
    for equal sizes), as scoresets.add_up adds dicts."""
    total = np.zeros(size, dtype=np.float64)
    present = np.zeros(size, dtype=bool)
    for docs, scores in sorted(parts, key=lambda part: len(part[0]), reverse=True):
        total[docs] += scores  # docnums are distinct within a part: one addition each
        present[docs] = True
    docs = np.flatnonzero(present)
    return dict(zip(docs.tolist(), total[docs].tolist()))


def live(found: tuple[Any, Any] | None, base: int, deleted: frozenset[int], mask: Any) -> Part:
    """A segment's postings arrays as (base + docnum, weight), deleted documents left out and
    only docnums in `mask` kept, when given."""
    if found is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    ids, weights = found
    if deleted:
        keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        ids, weights = ids[keep], weights[keep]
    docs = ids + base
    if mask is not None:
        keep = mask[docs]
        docs, weights = docs[keep], weights[keep]
    return docs, weights


def joined(parts: list[Part]) -> Part:
    """The parts of one term in several segments as one part."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate([docs for docs, _ in parts]), np.concatenate([scores for _, scores in parts])


def best(scores: Scores, limit: int) -> Scores:
    """scoresets.best in arrays (for large result sets): the same `limit` best, the same ties."""
    docs = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    least = np.partition(values, len(values) - limit)[len(values) - limit]
    above = values > least
    found = dict(zip(docs[above].tolist(), values[above].tolist()))
    ties = np.sort(docs[values == least])[:limit - len(found)]
    found.update(dict.fromkeys(ties.tolist(), float(least)))
    return found
