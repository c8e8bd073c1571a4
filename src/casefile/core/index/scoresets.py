"""Operations on whole result sets ({docnum: score}) in C where the stdlib allows: sums of
many parts, the best few, filters. Each keeps the order of float additions the evaluator
always had (parts from the largest), so scores stay the same to the last bit."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Container, Iterable
from itertools import compress
from operator import add

from casefile.core.index.postings import Postings

Scores = dict[int, float]
_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend
"""Runs an iterator to its end in C."""
DENSE_SHARE = 8
"""Parts are added up in a list over every docnum once they hold more than 1/DENSE_SHARE
of them (a prefix's or fuzzy word's terms: a dict lookup and a dict comprehension per
posting cost about three times the list's C calls)."""


def add_up(parts: Iterable[Scores], doc_count: int) -> Scores:
    """{docnum: sum of its scores in the parts}, the parts added from the largest."""
    ordered = sorted(parts, key=len, reverse=True)
    if len(ordered) > 1 and sum(map(len, ordered)) * DENSE_SHARE > doc_count:
        return _dense_sum(ordered, doc_count)
    total: Scores = {}
    for part in ordered:
        if not total:
            total = dict(part)
            continue
        get = total.get
        total.update({d: get(d, 0.0) + s for d, s in part.items()})
    return total


def _dense_sum(ordered: list[Scores], doc_count: int) -> Scores:
    """`add_up` in a list indexed by docnum: each part's scores added in C (map, no bytecode
    per document); 0.0 + s is s, so the first part's scores are kept exactly."""
    size = max(doc_count, 1 + max((max(part, default=0) for part in ordered), default=0))
    acc = [0.0] * size
    get, put = acc.__getitem__, acc.__setitem__
    for part in ordered:
        keys = part.keys()
        _consume(map(put, keys, map(add, map(get, keys), part.values())))
    found = set().union(*ordered)
    return dict(zip(found, map(get, found)))


def best(scores: Scores, limit: int) -> Scores:
    """The `limit` best scores, ties at the last place going to the lowest docnums. The
    limit-th score is found from the scores alone (floats compared in C, no key function);
    a filter (`*:*`, a tag) scores every match alike: its ties are many."""
    least = heapq.nlargest(limit, scores.values())[-1]
    above = {docnum: score for docnum, score in scores.items() if score > least}
    ties = heapq.nsmallest(limit - len(above), (docnum for docnum, score in scores.items() if score == least))
    above.update(dict.fromkeys(ties, least))
    return above


def among(postings: Postings, base: int, within: Container[int]) -> Postings:
    """The postings of documents (base + docnum) in `within`, without positions."""
    keep = list(compress(range(len(postings.ids)), map(within.__contains__, map(base.__add__, postings.ids))))
    if len(keep) == len(postings.ids):
        return postings
    return Postings(list(map(postings.ids.__getitem__, keep)), list(map(postings.weights.__getitem__, keep)), None)


def boosted(scores: Scores, boost: float) -> Scores:
    """Every score times `boost`."""
    return scores if boost == 1.0 else dict(zip(scores, map(boost.__rmul__, scores.values())))


def without(scores: Scores, excluded: Scores) -> Scores:
    """The scores of documents not in `excluded`."""
    if not excluded:
        return scores
    return {d: s for d, s in scores.items() if d not in excluded}


__all__ = ["Scores", "add_up", "among", "best", "boosted", "without"]
