"""The words a multi-term query stands for: capped prefixes, fuzzy words, wildcards, ranges.

A prefix searches only its PREFIX_TERMS most frequent words (a quarter of that under 4
letters: search as you type expands one letter to thousands), a fuzzy word its
FUZZY_TERMS most frequent neighbours; "frequent" counts live documents only (stats.py),
so the choice is a fresh build's. Fuzzy distance is the optimal string alignment
distance: a swapped pair of letters is one edit (`presidnet~` finds "president"), and
the first `prefixlength` letters must match.
"""

from __future__ import annotations

from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract
from whoosh import query

from casefile.core.index.postings import matching_terms, prefix_frequencies
from casefile.core.index.stats import LiveStats

PREFIX_TERMS = 32
"""A prefix query searches only this many of its expansions, the most frequent ones
(a quarter of that for prefixes shorter than 4 letters)."""
FUZZY_TERMS = 16
"""A fuzzy query searches only this many of its near words, the most frequent ones."""


def expansions(q: query.MultiTerm, reader: Any, stats: LiveStats) -> list[bytes]:
    """The terms of `q.fieldname` that `q` searches, sorted."""
    if isinstance(q, query.Prefix):
        keep = PREFIX_TERMS if len(q.text) >= 4 else PREFIX_TERMS // 4
        return stats.most_frequent(q.fieldname, prefix_frequencies(reader, q.fieldname, q.text), keep)
    if isinstance(q, query.FuzzyTerm):
        return stats.most_frequent(q.fieldname, fuzzy_candidates(reader, q), FUZZY_TERMS)
    return matching_terms(q, reader)  # Wildcard, TermRange: every term that fits


def fuzzy_candidates(reader: Any, q: query.FuzzyTerm) -> dict[bytes, int]:
    """Terms within `q.maxdist` edits (a swap is one) of `q.text` that share its first
    `q.prefixlength` letters, with their document counts (deleted documents included)."""
    start = q.text[:q.prefixlength]
    counts = prefix_frequencies(reader, q.fieldname, start)
    size = len(q.text)
    texts = {text: btext for btext in counts if abs(len(text := btext.decode("utf-8")) - size) <= q.maxdist}
    near = extract(q.text, list(texts), scorer=OSA.distance, score_cutoff=q.maxdist, limit=None)
    return {texts[text]: counts[texts[text]] for text, _distance, _index in near}
