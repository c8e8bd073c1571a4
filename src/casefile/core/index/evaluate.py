"""Whole-set query evaluation: postings read a block at a time, combined with set and dict
operations, BM25 computed in comprehensions.

Whoosh's matchers walk postings one document at a time in Python (10-30 µs each, plus a
generator per block to undo the id deltas); a query matching 20,000 of 50,000 cases took
half a second. The issue asks for the full count and tag facets, so every match must be
visited anyway: here a term's postings are decoded per block (zlib, unpickle, accumulate,
all in C) and each query node becomes {docnum: score} for the whole index at once.

Scores follow Whoosh's BM25F (same formula, B and K1; boosts multiply; And and Or add
their children; multi-term expansions add their terms; a phrase adds its words; `field:*`
and date ranges give each match their boost, as Whoosh does), over the
live documents only (stats.py): an index after any history of edits scores as a fresh
build of the same files. Every query kind the parser makes is evaluated here; there is
no fallback to Whoosh's matchers (their AndNot and Not return deleted or excluded
documents). A kind this module does not know raises Unsupported: a bug, never a guess.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from whoosh import query
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.scoring import BM25F

from casefile.core.index import dense
from casefile.core.index import postings as files
from casefile.core.index.array_postings import read_arrays
from casefile.core.index.damage import reading
from casefile.core.index.expand import expansions
from casefile.core.index.facets import LARGE
from casefile.core.index.phrase_arrays import phrase_matches
from casefile.core.index.postings import LENGTH_OF_BYTE, NONE, Postings, length_bytes, read_postings
from casefile.core.index.scoresets import Scores, add_up, among, best, boosted, without
from casefile.core.index.stats import LiveStats

Within = Collection[int] | None
"""Documents a node's caller will keep (others need not be scored), or None for all."""


class Unsupported(Exception):
    """A query node this evaluator does not handle."""


class Evaluator:
    """Evaluates queries on one searcher (one index generation); caches per-segment data."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        found = files.leaves(self.reader)
        self.leaves = [(segment, base) for segment, base, _deleted in found]
        self.weighting = searcher.weighting if isinstance(searcher.weighting, BM25F) else BM25F()
        self._norm_cache: dict[str, list[list[float]]] = {}
        self._norm_array_cache: dict[str, list[Any]] = {}
        self._deleted = [deleted for _segment, _base, deleted in found]
        self._dates: list[int] | None = None
        self._read: dict[tuple[int, str, bytes], Postings] = {}
        self._chosen_terms: dict[int, tuple[query.Query, list[bytes]]] = {}
        self.stats = LiveStats(self.leaves, self._deleted, self._live_postings)

    # -- results ---------------------------------------------------------------

    def evaluate(self, q: query.Query) -> Scores:
        """{docnum: score} of every live document matching `q`."""
        self._read, self._chosen_terms = {}, {}
        try:
            return self._node(q)
        finally:
            self._read, self._chosen_terms = {}, {}

    def _postings(self, segment: Any, field: str, btext: bytes, want_values: bool) -> Postings | None:
        """A term's postings in a segment, read once per query (a phrase's variants share words)."""
        key = (id(segment), field, btext)
        found = self._read.get(key)
        if found is None or (want_values and found.values is None):
            found = self._read[key] = read_postings(segment, field, btext, want_values) or NONE
        return None if found is NONE else found

    def top(self, scores: Scores, limit: int | None, sort: str) -> list[tuple[int, float]]:
        """The first `limit` (docnum, score): by score, or by date (newest first, undated last)."""
        if sort == "date":
            dates = self.dates()  # undated are 0: last
            ordered = sorted(scores.items(), key=lambda item: (-dates[item[0]], -item[1], item[0]))
            return ordered[:limit]
        if limit is not None and 0 < limit < len(scores):
            scores = (dense.best if len(scores) >= LARGE else best)(scores, limit)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def dates(self) -> list[int]:
        """docnum -> first day of the case's date as YYYYMMDD, 0 when undated."""
        if self._dates is None:
            dates = [0] * self.reader.doc_count_all()
            for segment, base in self.leaves:
                for btext in files.lexicon(segment, "date"):
                    if btext[0] != 0:  # only full-precision terms (shift 0) name one day
                        continue
                    with reading("dates"):
                        day = self.searcher.schema["date"].from_bytes(btext)
                    postings = read_postings(segment, "date", btext, False)
                    for docnum in postings.ids if postings else ():
                        dates[base + docnum] = day
            self._dates = dates
        return self._dates

    # -- query nodes -----------------------------------------------------------

    def _node(self, q: query.Query, within: Within = None) -> Scores:
        """{docnum: score} of the live documents matching `q`; with `within`, those outside it
        may be left out (an And's other parts narrow the rest: only their matches are scored)."""
        if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
            return {}
        kind = type(q)
        if kind is query.Term:
            return self._term(q.fieldname, q.text, q.boost, within)
        if isinstance(q, query.Phrase):
            return self._phrase(q, within)
        if isinstance(q, query.NumericRange):
            return self._node(q._compile_query(self.reader), within)
        if isinstance(q, ConstantScoreQuery):
            return dict.fromkeys(self._node(q.child, within), q.score)
        if isinstance(q, query.MultiTerm):  # Prefix, Wildcard, FuzzyTerm, TermRange
            return boosted(self._terms_sum([(q.fieldname, text, 1.0) for text in self._expansions(q)], within),
                           q.boost)
        if kind is query.Every:
            return self._every(q, within)
        if kind is query.And:
            return boosted(self._and(q.subqueries, within), q.boost)
        if kind is query.Or and all(type(child) is query.Term for child in q.subqueries):  # a word's stems
            return boosted(self._terms_sum([(c.fieldname, self._bytes(c.fieldname, c.text), c.boost)
                                            for c in q.subqueries], within), q.boost)
        if kind is query.Or:
            return boosted(self._sum(self._node(child, within) for child in q.subqueries), q.boost)
        return self._filtered(q, within)

    def _filtered(self, q: query.Query, within: Within) -> Scores:
        """The kinds that keep or drop the matches of their first part."""
        kind = type(q)
        if kind is query.AndNot:
            required = self._node(q.a, within)
            return boosted(without(required, self._node(q.b, required)), q.boost)
        if kind is query.AndMaybe:  # the optional part is small (an exact title): only it is visited
            scores = dict(self._node(q.a, within))
            scores.update({d: scores[d] + s for d, s in self._node(q.b, scores).items() if d in scores})
            return boosted(scores, q.boost)
        if kind is query.Require:  # scored by the first, filtered by the second
            scored = self._node(q.a, within)
            required = self._node(q.b, scored)
            return boosted({d: s for d, s in scored.items() if d in required}, q.boost)
        if kind is query.Not:  # a lone NOT: everything else
            everything = self._every(query.Every(), within)
            return without(everything, self._node(q.query, everything))
        raise Unsupported(kind.__name__)

    def _and(self, children: list[query.Query], within: Within) -> Scores:
        wanted = [child for child in children if not isinstance(child, query.Not)]
        excluded = [child.query for child in children if isinstance(child, query.Not)]
        if not wanted:
            wanted = [query.Every()]
        # the part with the fewest documents first: the others score only what it matched
        wanted.sort(key=self._estimate)
        found = [self._node(wanted[0], within)]
        for child in wanted[1:]:
            found.append(self._node(child, found[-1] if len(found[-1]) < len(found[0]) else found[0]))
        found.sort(key=len)
        scores = found[0]
        for part in found[1:]:  # smallest first: each step only looks up what is left
            scores = {d: s + part[d] for d, s in scores.items() if d in part}
        for child in excluded:
            scores = without(scores, self._node(child, scores))
        return scores

    def _estimate(self, q: query.Query) -> int:
        """About how many documents `q` matches, without evaluating it (for an And's order)."""
        if type(q) is query.Term:
            return self.stats.doc_frequency(q.fieldname, self._bytes(q.fieldname, q.text))
        if isinstance(q, query.Phrase):
            return min((self._estimate(query.Term(q.fieldname, word)) for word in q.words), default=0)
        if isinstance(q, query.Prefix | query.FuzzyTerm):
            return sum(self.stats.doc_frequency(q.fieldname, text) for text in self._expansions(q))
        if type(q) is query.Or:
            return sum(map(self._estimate, q.subqueries))
        if type(q) is query.And:
            return min((self._estimate(c) for c in q.subqueries if not isinstance(c, query.Not)),
                       default=self.stats.doc_count)
        if type(q) in (query.AndNot, query.AndMaybe, query.Require):
            return self._estimate(q.a)
        return int(self.stats.doc_count)  # date ranges, wildcards, `*:*`: taken as large

    def _expansions(self, q: query.MultiTerm) -> list[bytes]:
        """The terms a multi-term query searches, worked out once per query."""
        key = id(q)  # the query is kept beside its terms: its id is not reused meanwhile
        if key not in self._chosen_terms:
            self._chosen_terms[key] = (q, expansions(q, self.reader, self.stats))
        return self._chosen_terms[key][1]

    def _sum(self, parts: Iterable[Scores]) -> Scores:
        return add_up(parts)

    def _every(self, q: query.Every, within: Within = None) -> Scores:
        if within is not None and q.fieldname in (None, "", "*"):  # the live documents among `within`
            return dict.fromkeys(filter(self._live, within), q.boost)
        if q.fieldname not in (None, "", "*"):  # every document with the field, scored as Whoosh does
            found: Scores = {}
            for btext in files.lexicon(self.reader, q.fieldname):
                for number, postings in self._segment_postings(q.fieldname, btext):
                    found.update(dict.fromkeys(map(self.leaves[number][1].__add__, postings.ids), q.boost))
            return found
        found = {}
        for (segment, base), deleted in zip(self.leaves, self._deleted):
            found.update(dict.fromkeys((base + d for d in range(segment.doc_count_all()) if d not in deleted),
                                       q.boost))
        return found

    def _live(self, docnum: int) -> bool:
        """True when the document is in the index and not deleted."""
        for (segment, base), deleted in zip(self.leaves, self._deleted):
            if base <= docnum < base + segment.doc_count_all():
                return docnum - base not in deleted
        return False

    def _term(self, field: str, text: Any, boost: float, within: Within = None) -> Scores:
        btext = self._bytes(field, text)
        scores: Scores = {}
        for number, postings in self._segment_postings(field, btext):
            if within is not None:
                postings = among(postings, self.leaves[number][1], within)
            scores.update(self._scored(field, btext, number, postings, boost))
        return scores

    def _terms_sum(self, terms: list[tuple[str, bytes, float]], within: Within) -> Scores:
        """The sum of several terms' scores (a prefix's words, a word's stems), added in arrays."""
        size = self.reader.doc_count_all()
        mask = None if within is None else dense.mask_of(within, size)
        return dense.add_up([dense.joined([self._array_scores(field, btext, number, boost, mask)
                                           for number in range(len(self.leaves))])
                             for field, btext, boost in terms], size)

    def _array_scores(self, field: str, btext: bytes, number: int, boost: float, mask: Any) -> dense.Part:
        """`_scored` of a term's live postings in segment `number`, in arrays (only the docnums
        in `mask`, when given)."""
        segment, base = self.leaves[number]
        found = read_arrays(segment, field, btext)
        docs, weights = dense.live(found, base, self._deleted[number], mask)
        if not self.searcher.schema[field].scorable:
            return docs, weights * boost
        if not len(docs):
            return docs, weights
        norms = self._norm_arrays(field)[number]
        norm = norms[docs - base] if len(norms) else self._default_norm(field)
        return docs, dense.bm25(weights, norm, self.stats.idf(field, btext) * boost, self.weighting.K1 + 1)

    def _norm_arrays(self, field: str) -> list[Any]:
        """`_norms` as arrays, once per field."""
        if field not in self._norm_array_cache:
            self._norm_array_cache[field] = list(map(dense.floats, self._norms(field)))
        return self._norm_array_cache[field]

    def _bytes(self, field: str, text: Any) -> bytes:
        """A term as the index stores it."""
        return text if isinstance(text, bytes) else self.searcher.schema[field].to_bytes(text)

    def term_docs(self, field: str) -> dict[str, set[int]]:
        """Every term of `field` -> the live docnums holding it (the tag facets' table)."""
        found: dict[str, set[int]] = {}
        for btext in files.lexicon(self.reader, field):
            docs = found[btext.decode("utf-8")] = set()
            for number, postings in self._segment_postings(field, btext):
                docs.update(map(self.leaves[number][1].__add__, postings.ids))
        return found

    def _segment_postings(self, field: str, btext: bytes) -> Iterable[tuple[int, Postings]]:
        """(segment number, the term's live postings there, without positions)."""
        for number in range(len(self.leaves)):
            postings = self._live_postings(number, field, btext)
            if postings is not None:
                yield number, postings

    def _live_postings(self, number: int, field: str, btext: bytes) -> Postings | None:
        """A term's postings in segment `number`, deleted documents left out (no positions)."""
        postings = self._postings(self.leaves[number][0], field, btext, False)
        deleted = self._deleted[number]
        if postings is None or not deleted:
            return postings
        keep = [i for i, d in enumerate(postings.ids) if d not in deleted]
        return Postings([postings.ids[i] for i in keep], [postings.weights[i] for i in keep], None)

    def _scored(self, field: str, btext: bytes, number: int, postings: Postings, boost: float) -> Scores:
        """BM25 as Whoosh's BM25FScorer computes it, times the query boost, for segment `number`."""
        base = self.leaves[number][1]
        return dict(zip(map(base.__add__, postings.ids),
                        self._scored_at(field, btext, number, postings.ids, postings.weights, boost)))

    def _scored_at(self, field: str, btext: bytes, number: int, docs: list[int], weights: list[float],
                   boost: float) -> list[float]:
        """`_scored` of some of the term's postings (segment docnums and their weights), in order."""
        if not self.searcher.schema[field].scorable:
            return [w * boost for w in weights]
        if not docs:
            return []
        idf = self.stats.idf(field, btext) * boost
        norm = self._norms(field)[number]
        k1 = self.weighting.K1 + 1
        if not norm:
            norm = [self._default_norm(field)] * (max(docs, default=0) + 1)
        return [idf * (w * k1) / (w + norm[d]) for d, w in zip(docs, weights)]

    def _default_norm(self, field: str) -> float:
        weighting = self.weighting
        norm: float = weighting.K1 * (1 - weighting.B)
        return norm

    def _norms(self, field: str) -> list[list[float]]:
        """Per segment, docnum -> BM25's length normalisation K1 * (1 - B + B * length / avgfl)."""
        if field not in self._norm_cache:
            weighting = self.weighting
            b, k1 = weighting.B, weighting.K1  # no per-field B: new_searcher's BM25F() has none
            avgfl = self.stats.avg_field_length(field)
            # lengths are stored as one byte a document: normalise the 256 values once
            of_byte = [k1 * ((1 - b) + b * length / avgfl) for length in LENGTH_OF_BYTE]
            self._norm_cache[field] = [list(map(of_byte.__getitem__, length_bytes(segment, field)))
                                       for segment, _base in self.leaves]
        return self._norm_cache[field]

    def _phrase(self, q: query.Phrase, within: Within = None) -> Scores:
        """Documents where the words follow each other (within `q.slop`); scored as the sum of the words."""
        if not q.words:
            return {}
        field = q.fieldname
        btexts = [self._bytes(field, word) for word in q.words]
        if not all(files.has_term(self.reader, field, btext) for btext in btexts):
            return {}
        scores: Scores = {}
        for number, (segment, base) in enumerate(self.leaves):
            per_word = [self._postings(segment, field, btext, True) for btext in btexts]
            present = [p for p in per_word if p is not None]
            if len(present) != len(per_word):
                continue
            with reading(f"positions of {field}"):  # positions are decoded from the file's bytes here
                matched, where = phrase_matches(present, self._deleted[number], q.slop, within, base)
            if not matched:
                continue
            # only the matches are scored: a phrase of common words matches few of their postings
            parts = [self._scored_at(field, btext, number, matched, list(map(postings.weights.__getitem__, at)),
                                     q.boost)
                     for btext, postings, at in zip(btexts, present, where)]
            scores.update(zip(map(base.__add__, matched), map(sum, zip(*parts))))
        return scores
