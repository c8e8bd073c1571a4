"""The brute-force reference evaluator that defines what a search means (tiny archives only).

It reads no index: it scans every live document's analyzed tokens (the field values of
core/index/documents.py) for every query, and computes each score from scratch with BM25F as
the engine documents it (Whoosh's idf, B and K1; the one-byte length per document, the
exact mean length; boosts multiply, And/Or/phrases/expansions add). Prefixes keep their
PREFIX_TERMS (under 4 letters a quarter) and fuzzy words their FUZZY_TERMS most frequent
words, ties to the greater word. Fuzzy distance is the optimal string alignment distance,
written out here (the engine uses rapidfuzz); in the stemmed field a fuzzy word also
reaches the stems of itself and of every string one edit from it.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import dataclass, field
from math import log
from typing import Any

from whoosh import query
from whoosh.util.numeric import byte_to_length, length_to_byte

from casefile.core.index.documents import date_span
from casefile.core.index.schema import STEMMERS

B, K1 = 0.75, 1.2
PREFIX_TERMS, FUZZY_TERMS = 32, 16


@dataclass
class Doc:
    """One document's analyzed fields: term -> (positions, weight), lengths, numbers."""

    path: str
    date: int
    terms: dict[str, dict[str, tuple[list[int], float]]] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)


def analyzed(doc: dict[str, Any]) -> Doc:
    """A document's field values (core/index/documents.py) as terms with positions and weights."""
    found = Doc(doc["path"], (date_span(doc.get("date_text")) or (0, 0))[0])
    for name, value in doc.items():
        if name.startswith("_") or name in ("tags", "date_text"):
            continue
        if name in ("date", "date_end"):
            found.numbers[name] = value
            continue
        terms: dict[str, tuple[list[int], float]] = {}
        if isinstance(value, str):
            terms[value] = ([], 1.0)
        elif value and isinstance(value[0], str):
            terms.update((word, ([], 1.0)) for word in value)
        else:
            for words, start, weight in value:
                for position, word in enumerate(words, start):
                    positions, total = terms.get(word, ([], 0.0))
                    terms[word] = ([*positions, position], total + weight)
        found.terms[name] = terms
        found.lengths[name] = len(terms) if not value or isinstance(value, str) or isinstance(value[0], str) \
            else sum(len(words) for words, _start, _weight in value)
    return found


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


class Reference:
    """Evaluates prepared Whoosh query trees over a list of live documents."""

    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.docs = [analyzed(doc) for doc in docs]

    # -- statistics ------------------------------------------------------------

    def frequency(self, name: str, term: str) -> int:
        return sum(1 for doc in self.docs if term in doc.terms.get(name, {}))

    def bm25(self, doc: Doc, name: str, term: str, boost: float) -> float:
        n = len(self.docs)
        idf = log(n / (self.frequency(name, term) + 1)) + 1
        total = sum(d.lengths.get(name, 0) for d in self.docs)
        average = total / n if total else 1
        length = byte_to_length(length_to_byte(doc.lengths.get(name, 0)))
        weight = doc.terms[name][term][1]
        return idf * boost * weight * (K1 + 1) / (weight + K1 * ((1 - B) + B * length / average))

    def vocabulary(self, name: str) -> set[str]:
        return {term for doc in self.docs for term in doc.terms.get(name, {})}

    def most_frequent(self, name: str, terms: set[str], keep: int) -> list[str]:
        counted = sorted(((self.frequency(name, t), t) for t in terms), reverse=True)
        return [t for count, t in counted[:keep] if count]

    # -- queries ---------------------------------------------------------------

    def evaluate(self, q: query.Query) -> dict[str, float]:
        """{path: score} of every document matching `q`."""
        return {self.docs[i].path: score for i, score in self.node(q).items()}

    def node(self, q: query.Query) -> dict[int, float]:
        kind = type(q)
        if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
            return {}
        if kind is query.Term:
            return self.expanded(q.fieldname, [q.text], q.boost)
        if isinstance(q, query.Phrase):
            return self.phrase(q)
        if isinstance(q, query.NumericRange):
            return {i: q.boost for i, doc in enumerate(self.docs) if _within(doc.numbers.get(q.fieldname), q)}
        if isinstance(q, query.MultiTerm):
            return self.expanded(q.fieldname, self.expansion(q), 1.0, q.boost)
        if kind is query.Every:
            return {i: q.boost for i, doc in enumerate(self.docs)
                    if q.fieldname in (None, "", "*") or doc.terms.get(q.fieldname) or q.fieldname in doc.numbers}
        return self.compound(q)

    def compound(self, q: query.Query) -> dict[int, float]:
        kind = type(q)
        if kind is query.And:
            wanted = [c for c in q.subqueries if not isinstance(c, query.Not)] or [query.Every()]
            parts = [self.node(c) for c in wanted]
            found = {i: sum(p[i] for p in parts) for i in parts[0] if all(i in p for p in parts)}
            for child in (c.query for c in q.subqueries if isinstance(c, query.Not)):
                found = _without(found, self.node(child))
            return _boosted(found, q.boost)
        if kind is query.Or:
            total: Counter[int] = Counter()
            for child in q.subqueries:
                total.update(self.node(child))
            return _boosted(dict(total), q.boost)
        if kind is query.AndNot:
            return _boosted(_without(self.node(q.a), self.node(q.b)), q.boost)
        if kind is query.AndMaybe:
            a, b = self.node(q.a), self.node(q.b)
            return _boosted({i: s + b.get(i, 0.0) for i, s in a.items()}, q.boost)
        if kind is query.Require:
            b = self.node(q.b)
            return _boosted({i: s for i, s in self.node(q.a).items() if i in b}, q.boost)
        if kind is query.Not:
            return _without(dict.fromkeys(range(len(self.docs)), 1.0), self.node(q.query))
        raise AssertionError(f"the reference does not know {kind.__name__}")

    def expanded(self, name: str, terms: list[str], boost: float, outer: float = 1.0) -> dict[int, float]:
        """The documents holding any of the terms, scored as the sum of their BM25."""
        found: dict[int, float] = {}
        for i, doc in enumerate(self.docs):
            held = [t for t in terms if t in doc.terms.get(name, {})]
            if held:
                found[i] = sum(self.bm25(doc, name, t, boost) for t in held) * outer
        return found

    def expansion(self, q: query.MultiTerm) -> list[str]:
        terms = self.vocabulary(q.fieldname)
        if isinstance(q, query.Prefix):
            keep = PREFIX_TERMS if len(q.text) >= 4 else PREFIX_TERMS // 4
            return self.most_frequent(q.fieldname, {t for t in terms if t.startswith(q.text)}, keep)
        if isinstance(q, query.FuzzyTerm):
            near = {t for t in terms if osa(q.text, t) <= q.maxdist}
            if q.fieldname == "stem" and q.maxdist >= 1:  # the index holds stems: stems of near words too
                words = {q.text} | {w for w in _one_edit(q.text) if w[:q.prefixlength] == q.text[:q.prefixlength]}
                near |= {stem[w] for w in words for stem in (STEMMERS.english, STEMMERS.spanish)} & terms
            near = {t for t in near if t[:q.prefixlength] == q.text[:q.prefixlength]}
            return self.most_frequent(q.fieldname, near, FUZZY_TERMS)
        if isinstance(q, query.Wildcard):
            return [t for t in terms if fnmatch.fnmatchcase(t, q.text)]
        if isinstance(q, query.TermRange):
            return [t for t in terms if _within(t, q)]
        raise AssertionError(f"the reference does not know {type(q).__name__}")

    def phrase(self, q: query.Phrase) -> dict[int, float]:
        found: dict[int, float] = {}
        for i, doc in enumerate(self.docs):
            terms = doc.terms.get(q.fieldname, {})
            if q.words and all(w in terms for w in q.words) and _chain([terms[w][0] for w in q.words], q.slop):
                found[i] = sum(self.bm25(doc, q.fieldname, w, q.boost) for w in q.words)
        return found


def _one_edit(word: str) -> set[str]:
    """Every string at distance 1 from `word`, edits over a-z and 0-9 (checked with osa)."""
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    found = {word[:i] + word[i + 1:] for i in range(len(word))}
    found |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    found |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
    found |= {word[:i] + c + word[i + 1:] for i in range(len(word)) for c in letters}
    return {w for w in found if osa(word, w) == 1}


def _chain(positions: list[list[int]], slop: int) -> bool:
    """Some p0 < p1 < ... (one per word) with 1 <= p[i+1] - p[i] <= slop, tried one by one."""
    def from_(word: int, at: int) -> bool:
        return word == len(positions) or any(1 <= p - at <= slop and from_(word + 1, p) for p in positions[word])
    return any(from_(1, p) for p in positions[0])


def _within(value: Any, q: Any) -> bool:
    if value is None:
        return False
    if q.start is not None and (value < q.start or (q.startexcl and value == q.start)):
        return False
    return q.end is None or not (value > q.end or (q.endexcl and value == q.end))


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    return {i: s * boost for i, s in scores.items()}


def _without(scores: dict[int, float], excluded: dict[int, float]) -> dict[int, float]:
    return {i: s for i, s in scores.items() if i not in excluded}
