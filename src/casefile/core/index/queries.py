"""Queries: Whoosh's parser configured, words pointed at both stemmings, run by the
whole-set evaluator (evaluate.py; prefix and fuzzy caps in expand.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh import query
from whoosh.index import FileIndex
from whoosh.qparser import AndGroup, FieldAliasPlugin, FuzzyTermPlugin, GtLtPlugin, PlusMinusPlugin, QueryParser
from whoosh.qparser.common import QueryParserError
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from casefile.core.index.damage import CORRUPTION
from casefile.core.index.evaluate import Evaluator
from casefile.core.index.postings import stored
from casefile.core.index.schema import FIELD_ALIASES, STEMMERS, USER_FIELDS, query_schema
from casefile.core.index.syntax import unbalanced, without_operators
from casefile.core.text.analysis import Highlight, fold_text, words
from casefile.core.text.names import normalize_name
from casefile.core.wording import _


def parser() -> QueryParser:
    """Whoosh's parser with every operator the issue lists: AND by default, -term, ~, <, >."""
    qp = QueryParser("text", query_schema(), group=AndGroup)
    # + and - mark a term only at the start of a word: MX-2017-004 stays one word
    signs = PlusMinusPlugin(r"(?:(?<=[\s(])|^)\+", r"(?:(?<=[\s(])|^)-")
    for plugin in (signs, FuzzyTermPlugin(), GtLtPlugin(), FieldAliasPlugin(FIELD_ALIASES)):
        qp.add_plugin(plugin)
    return qp


_KNOWN = set(USER_FIELDS) | {name for names in FIELD_ALIASES.values() for name in names}
_FIELD_NAME = re.compile(r'"[^"]*"|(?<![\w:])(\w+):(?=\S)')


def parse(qp: QueryParser, text: str) -> tuple[query.Query, str | None]:
    """Parse a user query; never raises. Returns the query and a notice for the user."""
    unknown = [m.group(1) for m in _FIELD_NAME.finditer(text) if m.group(1) and m.group(1).lower() not in _KNOWN]
    notice = (_("unknown field '{name}:' searched as words (fields: {fields})").format(
        name=unknown[0], fields=", ".join(USER_FIELDS)) if unknown else None)
    problem = unbalanced(text)
    if problem:
        return as_words(text, problem)
    try:
        q = qp.parse(text, normalize=False)
        errors = [str(leaf.error) for leaf in _leaves(q) if getattr(leaf, "error", None)]
        q = q.normalize()
        if q is query.NullQuery and text.lstrip().startswith(("-", "NOT ")):
            q = qp.parse("*:* " + text)  # only exclusions: everything except them
    except (QueryParserError, *CORRUPTION, RecursionError, NotImplementedError) as exc:  # Whoosh: `(a -b)`
        errors, q = [type(exc).__name__], query.NullQuery
    if errors or (q is query.NullQuery and words(text)):
        return as_words(text, errors[0] if errors else _("nothing searchable"))
    return q, notice


def as_words(text: str, reason: str) -> tuple[query.Query, str]:
    """The query read as its plain words (operators dropped), and the notice saying so."""
    found = words(without_operators(text))
    plain = query.And([query.Term("text", w) for w in found]) if found else query.NullQuery
    return plain.normalize(), _("could not read the query ({reason}); searched for its words instead").format(
        reason=reason)


def _leaves(q: query.Query) -> Iterable[query.Query]:
    """Every leaf query, depth first."""
    yield from (q,) if q.is_leaf() else (leaf for child in q.children() for leaf in _leaves(child))


def stem_variants(word: str) -> list[str]:
    """The stems a query word is looked up under: English, Spanish and as written."""
    return list(dict.fromkeys((STEMMERS.english[word], STEMMERS.spanish[word], word)))


def rewrite(q: query.Query) -> query.Query:
    """Point default-field words at the stemmed field (both languages); cap prefixes."""
    text = getattr(q, "fieldname", None) == "text"
    if isinstance(q, query.Every):  # `*:*` is everything; `person:*` every case naming a person
        return query.Every(None if text or q.fieldname in (None, "", "*") else q.fieldname, boost=q.boost)
    if isinstance(q, query.FuzzyTerm) and text:
        return _any([query.FuzzyTerm("stem", s, boost=q.boost, maxdist=q.maxdist, prefixlength=max(1, q.prefixlength))
                     for s in dict.fromkeys((q.text, STEMMERS.english[q.text]))])
    if isinstance(q, query.Prefix):
        return _prefix(q, "stem" if text else q.fieldname)
    if isinstance(q, query.Wildcard) and text:
        return query.Wildcard("stem", q.text, boost=q.boost)
    if isinstance(q, query.Term) and text:
        return _any([query.Term("stem", s, boost=q.boost) for s in stem_variants(q.text)])
    if isinstance(q, query.Phrase) and text:
        return _phrase(q)
    return q if q.is_leaf() else q.apply(rewrite)


def _prefix(q: query.Prefix, field: str) -> query.Query:
    """Words starting with the prefix: stems that do, or stems the prefix was cut to."""
    if field != "stem":
        return query.Prefix(field, q.text, boost=q.boost)
    starts = dict.fromkeys((q.text, STEMMERS.english[q.text], STEMMERS.spanish[q.text]))
    parts: list[query.Query] = [query.Prefix("stem", s, boost=q.boost) for s in starts]
    parts += [query.Term("stem", q.text[:end], boost=q.boost) for end in range(4, len(q.text))]
    return _any(parts)


def _phrase(q: query.Phrase) -> query.Query:
    """A phrase of folded words, as stems of either language."""
    if len(q.words) == 1:
        return rewrite(query.Term("text", q.words[0], boost=q.boost))
    variants = {tuple(STEMMERS.english[w] for w in q.words), tuple(STEMMERS.spanish[w] for w in q.words),
                tuple(q.words)}
    return _any([query.Phrase("stem", list(v), slop=q.slop, boost=q.boost) for v in sorted(variants)])


def _any(queries: Sequence[query.Query]) -> query.Query:
    """One query, or an Or of several."""
    return queries[0] if len(queries) == 1 else query.Or(list(queries))


def prepare(parsed: query.Query, text: str) -> query.Query:
    """The query to run: rewritten, with an exact title or id match ranked first."""
    q = rewrite(parsed)
    typed = text.strip().removesuffix("*")  # search as you type ends the last word with *
    if not typed or ":" in text:
        return q
    exact = query.Or([query.Term("title_key", normalize_name(typed.strip('"'))),
                      query.Term("id", fold_text(typed))], boost=50.0)
    return query.AndMaybe(q, exact)


def everything() -> query.Query:
    """The query of an empty search box: every document."""
    return query.Every()


def highlight(parsed: query.Query) -> Highlight:
    """The words to mark in snippets: query words, their stems (as prefixes), prefixes."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    for leaf in _positive_leaves(parsed):
        if getattr(leaf, "fieldname", None) not in ("text", "title", "entity", "person", "org", "place"):
            continue
        if isinstance(leaf, query.Prefix):
            if leaf.fieldname == "text" or len(leaf.text) >= 3:  # `title:p*` found titles, not body words
                prefixes.add(leaf.text)
        elif isinstance(leaf, query.FuzzyTerm):
            prefixes.add(leaf.text[:max(3, len(leaf.text) - 2)])
        elif isinstance(leaf, query.Term | query.Phrase):
            for word in getattr(leaf, "words", None) or [leaf.text]:
                exact.add(word)
                prefixes.update(s for s in stem_variants(word) if len(s) >= 5)  # inflected forms
    return Highlight(frozenset(exact), frozenset(prefixes))


def _positive_leaves(q: query.Query) -> Iterable[query.Query]:
    """Leaves that must or may match (not those under NOT)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from _positive_leaves(q.a)
    elif q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _positive_leaves(child)

def run(searcher: Any, q: query.Query, limit: int | None, sort: str, evaluator: Evaluator | None = None,
        ) -> tuple[set[int], list[tuple[dict[str, Any], float]]]:
    """Run a prepared query: every matching docnum, and the top (stored fields, score)."""
    evaluator = evaluator or Evaluator(searcher)
    scores = evaluator.evaluate(q)
    top = evaluator.top(scores, limit, sort)
    return set(scores), [(stored(searcher, docnum), score) for docnum, score in top]


def new_searcher(ix: FileIndex) -> Any:
    """A searcher on the last committed generation, scoring with BM25F."""
    return ix.searcher(weighting=BM25F())


def searcher_on(reader: Any) -> Any:
    """A searcher on an open reader (store.reader), scoring with BM25F; closing it closes the reader."""
    return Searcher(reader, weighting=BM25F())
