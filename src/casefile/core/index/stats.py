"""Collection statistics of the live documents only: what a fresh build of the same files has.

Whoosh counts deleted documents in its statistics (document count, document frequency,
total field length) until their segment is merged, so after a few edits its BM25 scores
and the choice of a capped prefix's words drifted from a fresh build's. Here every count
leaves the deleted documents out: their postings are read and skipped, and their exact
field lengths come from the `lengths` stored with each document (the length byte kept
per document is only an approximation).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from math import log
from typing import Any

from casefile.core.index import postings as files
from casefile.core.index.postings import Postings
from casefile.core.index.schema import LENGTHS

ReadPostings = Callable[[int, str, bytes], Postings | None]
"""(segment number, field, term) -> the term's live postings there, or None."""


class LiveStats:
    """Document count, document frequencies and field lengths of the live documents."""

    def __init__(self, leaves: list[tuple[Any, int]], deleted: list[frozenset[int]], read: ReadPostings) -> None:
        self.leaves, self.deleted, self.read = leaves, deleted, read
        self.doc_count = sum(segment.doc_count_all() for segment, _base in leaves) - sum(map(len, deleted))
        self._lengths: dict[str, float] = {}
        self._frequency: dict[tuple[str, bytes], int] = {}

    def doc_frequency(self, field: str, btext: bytes) -> int:
        """The number of live documents holding the term."""
        key = (field, btext)
        found = self._frequency.get(key)
        if found is None:
            found = self._frequency[key] = sum(self._segment_frequency(number, field, btext)
                                               for number in range(len(self.leaves)))
        return found

    def _segment_frequency(self, number: int, field: str, btext: bytes) -> int:
        if not self.deleted[number]:
            return files.doc_frequency(self.leaves[number][0], field, btext)
        postings = self.read(number, field, btext)
        return len(postings.ids) if postings else 0

    def idf(self, field: str, btext: bytes) -> float:
        """BM25F's idf (Whoosh's formula) over the live documents."""
        return log(self.doc_count / (self.doc_frequency(field, btext) + 1)) + 1

    def avg_field_length(self, field: str) -> float:
        """The mean length of `field` over the live documents (1 when there are none)."""
        if field not in self._lengths:
            total = 0
            for (segment, _base), deleted in zip(self.leaves, self.deleted):
                total += files.field_length(segment, field)
                total -= sum(files.stored(segment, docnum).get(LENGTHS, {}).get(field, 0) for docnum in deleted)
            self._lengths[field] = total / self.doc_count if self.doc_count and total else 1
        return self._lengths[field]

    def most_frequent(self, field: str, upper: dict[bytes, int], keep: int) -> list[bytes]:
        """The `keep` terms found in the most live documents (ties: the greater term first),
        sorted. `upper` holds each term's count with deleted documents included, an upper
        bound: exact counts are taken in decreasing order of it until no term left can
        enter the top, so deletions cost a few posting reads, not one per term."""
        if not any(self.deleted):
            chosen = heapq.nlargest(keep, upper, key=lambda text: (upper[text], text))
            return sorted(text for text in chosen if upper[text])
        best: list[tuple[int, bytes]] = []  # a min-heap of the `keep` best (count, term)
        for text in sorted(upper, key=lambda text: (upper[text], text), reverse=True):
            if len(best) == keep and best[0] >= (upper[text], text):
                break  # no term left can beat the weakest kept one
            exact = (self.doc_frequency(field, text), text)
            if exact[0] and len(best) < keep:
                heapq.heappush(best, exact)
            elif exact[0] and exact > best[0]:
                heapq.heapreplace(best, exact)
        return sorted(text for _count, text in best)
