"""The words a multi-term query stands for: capped prefixes, fuzzy words, wildcards, ranges.

A prefix searches only its PREFIX_TERMS most frequent words (a quarter of that under 4
letters: search as you type expands one letter to thousands), a fuzzy word its
FUZZY_TERMS most frequent neighbours; "frequent" counts live documents only (stats.py),
so the choice is a fresh build's.

A fuzzy word's neighbours are the terms sharing its first `prefixlength` letters that
are within `maxdist` edits of it (optimal string alignment: a swapped pair of letters is
one edit), and, in the stemmed field, the English and Spanish stems of the word and of
every string one edit from it: the index holds stems, so `presidnet~` reaches
"president" only through its stem "presid".
"""

from __future__ import annotations

import string
from typing import Any

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract
from whoosh import query

from casefile.core.index.postings import matching_terms, prefix_frequencies
from casefile.core.index.schema import STEMMERS
from casefile.core.index.stats import LiveStats

PREFIX_TERMS = 32
"""A prefix query searches only this many of its expansions, the most frequent ones
(a quarter of that for prefixes shorter than 4 letters)."""
FUZZY_TERMS = 16
"""A fuzzy query searches only this many of its near words, the most frequent ones."""
LETTERS = string.ascii_lowercase + string.digits
"""What an edit may insert or substitute when neighbours are spelled out (words are folded)."""


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
    near = {texts[text] for text, _distance, _index in
            extract(q.text, list(texts), scorer=OSA.distance, score_cutoff=q.maxdist, limit=None)}
    if q.fieldname == "stem" and q.maxdist >= 1:
        for word in neighbours(q.text, q.prefixlength) | {q.text}:
            near.update(stem.encode("utf-8") for stem in (STEMMERS.english[word], STEMMERS.spanish[word])
                        if stem.encode("utf-8") in counts)
    return {btext: counts[btext] for btext in near}


def neighbours(word: str, keep: int) -> set[str]:
    """Every string one edit from `word` (deleting, swapping two adjacent letters,
    substituting or inserting one of LETTERS) that keeps its first `keep` letters."""
    head, tail = word[:keep], word[keep:]
    found: set[str] = set()
    for at in range(len(tail) + 1):
        before, after = tail[:at], tail[at:]
        found.update(before + letter + after for letter in LETTERS)
        if after:
            found.add(before + after[1:])
            found.update(before + letter + after[1:] for letter in LETTERS)
        if len(after) > 1:
            found.add(before + after[1] + after[0] + after[2:])
    return {head + text for text in found}
