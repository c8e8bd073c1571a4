"""Operations on whole result sets ({docnum: score}): sums of parts, the best few, filters.
Sums keep the order of float additions the evaluator always had (parts from the largest),
so scores stay the same to the last bit."""

from __future__ import annotations

import heapq
from collections.abc import Container, Iterable
from itertools import compress

from casefile.core.index.postings import Postings

Scores = dict[int, float]


def add_up(parts: Iterable[Scores]) -> Scores:
    """{docnum: sum of its scores in the parts}, the parts added from the largest (its dict
    is copied in C; a list over every docnum, tried, cost more: its parts were few)."""
    total: Scores = {}
    for part in sorted(parts, key=len, reverse=True):
        if not total:
            total = dict(part)
            continue
        get = total.get
        total.update({d: get(d, 0.0) + s for d, s in part.items()})
    return total


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
