"""The Whoosh index: schema, writing segments, parsing and running queries.

The only module that imports Whoosh. Text arrives pre-analyzed (core/documents.py):
`stem` holds the folded words of title, id, tags, names and body, stemmed by the case's
language, with positions (phrases) and weights (ranking). A query word is looked up
under its English stem, its Spanish stem and as written, so queries match across
languages; a prefix also under the shorter stems it may have been cut to. One ranked
field keeps Whoosh's per-posting cost, which bounds build speed, as low as a
single-field index. Big batches use MpWriter(multisegment=True): no final merge.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

with warnings.catch_warnings():  # Whoosh's SyntaxWarnings must never reach the user
    warnings.simplefilter("ignore", SyntaxWarning)
    from whoosh import formats, query, sorting
    from whoosh.analysis import Token, Tokenizer
    from whoosh.fields import NUMERIC, STORED, FieldType, Schema
    from whoosh.filedb.filestore import FileStorage, RamStorage
    from whoosh.index import TOC, EmptyIndexError, FileIndex
    from whoosh.lang.porter import stem as porter_stem
    from whoosh.qparser import (AndGroup, FieldAliasPlugin, FuzzyTermPlugin, GtLtPlugin,
                                PlusMinusPlugin, QueryParser)
    from whoosh.qparser.common import QueryParserError
    from whoosh.scoring import BM25F
    from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter
    from whoosh.collectors import TopCollector
    from whoosh.matching import NullMatcher, WrappingMatcher
    from whoosh.query import SpanNear2
    from whoosh.filedb.structfile import BufferFile
    from whoosh.reading import SegmentReader
    from whoosh.writing import NO_MERGE, SegmentWriter

from casefile.core.analysis import Highlight, StemCache, fold_text, words
from casefile.core.documents import Stemmers, date_span
from casefile.core.names import normalize_name
from casefile.core.parse import valid_date

SCHEMA_VERSION = 3
"""Bump when fields or analysis change: a different version triggers a rebuild."""
INDEX_NAME = "MAIN"
INLINE = 8
"""Terms found in at most this many documents keep their postings in the term table."""
PREFIX_TERMS = 32
"""A prefix query searches only this many of its expansions, the most frequent ones
(a quarter of that for prefixes shorter than 4 letters)."""
SMALL_DOCS, SMALL_SEGMENTS = 100, 8
"""Segments under SMALL_DOCS documents are merged once there are SMALL_SEGMENTS of them."""
FUZZY_TERMS = 16
"""A fuzzy query searches only this many of its near words, the most frequent ones."""
USER_FIELDS = ("title", "tag", "entity", "person", "org", "place", "status", "lang", "id", "date", "kind")
FIELD_ALIASES = {"tag": ["tags"], "org": ["organization", "organisation"], "entity": ["entities"],
                 "person": ["people"], "place": ["location"]}
STEMMERS = Stemmers(StemCache(porter_stem))
CORRUPTION = (OSError, EOFError, ValueError, IndexError, KeyError, TypeError, AttributeError,
              AssertionError, MemoryError, ImportError, __import__("struct").error,
              __import__("pickle").UnpicklingError, __import__("zlib").error)
"""What a truncated or garbled index file raises inside Whoosh."""
OPEN_ERRORS = (*CORRUPTION, EmptyIndexError)


class _ViewFile:
    """A read-only file over a memoryview of the mapped segment, without copying it."""

    def __init__(self, view: memoryview) -> None:
        self._view, self._pos = view, 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        data = bytes(self._view[self._pos:end])
        self._pos += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        rest = self.read(size)
        cut = rest.find(b"\n") + 1 or len(rest)
        self._pos -= len(rest) - cut
        return rest[:cut]

    def readinto(self, target: Any) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        self._pos = (offset, self._pos + offset, len(self._view) + offset)[whence]
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    """BufferFile without its BytesIO, which copied every mapped sub-file into memory
    (the whole postings and terms of each segment: 170 MB of a 10k-case query process)."""
    self._buf, self._name, self.onclose = buf, name, onclose
    self.file = _ViewFile(memoryview(buf))
    self.is_real, self.is_closed = False, False


BufferFile.__init__ = _buffer_file_init


class _Words(FieldType):
    """A field fed pre-analyzed values: sections (words, position, weight) or whole terms."""

    def __init__(self, positions: bool = False, stored: bool = False, unique: bool = False) -> None:
        self.format = formats.Positions() if positions else formats.Existence()
        self.analyzer = _FoldTokenizer()
        # Every field is scorable: Whoosh stats the disk once per posting for fields without lengths.
        self.scorable, self.stored, self.unique = True, stored, unique
        self.vector = self.column_type = None

    def index(self, value: Any, **kwargs: Any) -> Iterable[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, encoded positions) for each distinct word."""
        if isinstance(value, str) or (value and isinstance(value[0], str)):
            for term in {value} if isinstance(value, str) else set(value):
                yield term.encode("utf-8"), 1, 1.0, b""
            return
        positions: dict[str, list[int]] = {}
        weights: dict[str, float] = {}
        for section_words, start, weight in value:
            for offset, word in enumerate(section_words, start):
                if word in positions:
                    positions[word].append(offset)
                    weights[word] += weight
                else:
                    positions[word], weights[word] = [offset], weight
        encode = self.format.encode if isinstance(self.format, formats.Positions) else None
        for word, found in positions.items():
            yield word.encode("utf-8"), len(found), weights[word], encode(found) if encode else b""


class _DateField(NUMERIC):
    """First day of a case's date (YYYYMMDD); `date:` queries also read `date_end`."""

    def __init__(self) -> None:
        super().__init__(numtype=int, bits=32, sortable=True)  # signed: unsigned open ranges match all

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> query.Query:
        """`date:2017`, `date:2017-07`: cases dated within that year or month."""
        return _date_range(*_query_span(qstring))

    def parse_range(self, fieldname: str, start: str | None, end: str | None, startexcl: bool,
                    endexcl: bool, boost: float = 1.0) -> query.Query:
        """`date:[2017-01 TO 2017-06]`, `date:>2017-06`: cases dated within the range."""
        first = None if start is None else _query_span(start)[1 if startexcl else 0] + int(startexcl)
        last = None if end is None else _query_span(end)[0 if endexcl else 1] - int(endexcl)
        return _date_range(first, last)


def _query_span(text: str) -> tuple[int, int]:
    """The days a date written in a query covers; a bad date is a parse error."""
    if not valid_date(text.strip()):
        raise QueryParserError(f"'{text.strip()}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return date_span(text.strip()) or (0, 0)


def _date_range(first: int | None, last: int | None) -> query.Query:
    """Cases whose whole date lies within [first, last] (open ends allowed)."""
    # date <= date_end, so bounding both ends of both fields is the same test, and it
    # keeps each range small (an open range lists half the index)
    parts = [query.NumericRange("date", first, last)] if first is not None else []
    if last is not None:
        parts.append(query.NumericRange("date_end", first, last))
    return query.And(parts) if len(parts) > 1 else (parts[0] if parts else query.Every("date"))


class _FoldTokenizer(Tokenizer):
    """Query-time analysis: folded words, or the whole folded value for exact fields."""

    def __init__(self, whole: bool = False) -> None:
        self.whole = whole

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 tokenize: bool = True, start_pos: int = 0, **kwargs: Any) -> Iterable[Token]:
        """Yield one reused Token per word, as Whoosh tokenizers do."""
        token = Token(positions, chars, **{k: v for k, v in kwargs.items() if k in ("mode", "removestops")})
        found = [fold_text(value).strip()] if self.whole or not tokenize else words(value)
        for number, text in enumerate(found):
            token.text, token.boost, token.stopped = text, 1.0, False
            token.pos = start_pos + number
            token.startchar, token.endchar = 0, len(value)
            yield token


def schema() -> Schema:
    """The index schema (names are the document keys of core/documents.py)."""
    return Schema(
        path=_Words(stored=True, unique=True), kind=_Words(stored=True), id=_Words(stored=True),
        title=_Words(positions=True, stored=True), title_key=_Words(), stem=_Words(positions=True),
        tag=_Words(), tags=STORED(), entity=_Words(positions=True), person=_Words(positions=True),
        org=_Words(positions=True), place=_Words(positions=True), status=_Words(), lang=_Words(),
        date=_DateField(), date_end=NUMERIC(numtype=int, bits=32),
        date_text=STORED(),
    )


def _query_schema() -> Schema:
    """The fields a user may name in a query, with query-time analyzers."""
    from whoosh.fields import TEXT

    def text() -> TEXT:
        return TEXT(analyzer=_FoldTokenizer(), multitoken_query="phrase")

    def whole() -> TEXT:
        return TEXT(analyzer=_FoldTokenizer(whole=True), phrase=False)

    return Schema(text=text(), title=text(), entity=text(), person=text(), org=text(),
                  place=text(), tag=whole(), status=whole(), lang=whole(), id=whole(),
                  kind=whole(), date=_DateField())


def parser() -> QueryParser:
    """Whoosh's parser with every operator the issue lists: AND by default, -term, ~, <, >."""
    qp = QueryParser("text", _query_schema(), group=AndGroup)
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
    notice = (f"unknown field '{unknown[0]}:' searched as words (fields: {', '.join(USER_FIELDS)})"
              if unknown else None)
    try:
        q = qp.parse(text, normalize=False)
        errors = [str(leaf.error) for leaf in _leaves(q) if getattr(leaf, "error", None)]
        q = q.normalize()
        if q is query.NullQuery and text.lstrip().startswith(("-", "NOT ")):
            q = qp.parse("*:* " + text)  # only exclusions: everything except them
    except (QueryParserError, *CORRUPTION, RecursionError) as exc:
        errors, q = [type(exc).__name__], query.NullQuery
    if errors or (q is query.NullQuery and words(text)):
        plain = query.And([query.Term("text", w) for w in words(text)]) if words(text) else query.NullQuery
        reason = errors[0] if errors else "nothing searchable"
        return plain.normalize(), f"could not read the query ({reason}); searched for its words instead"
    return q, notice


def _leaves(q: query.Query) -> Iterable[query.Query]:
    """Every leaf query, depth first."""
    yield from (q,) if q.is_leaf() else (leaf for child in q.children() for leaf in _leaves(child))


def _most_frequent(ixreader: Any, field: str, texts: Iterable[bytes], keep: int) -> list[bytes]:
    """The `keep` terms of `texts` found in the most documents."""
    found = [(ixreader.doc_frequency(field, text), text) for text in texts]
    found.sort(reverse=True)
    return sorted(text for _freq, text in found[:keep])


class _TopPrefix(query.Prefix):
    """A prefix query that expands to its most frequent terms only (search as you type:
    a one- or two-letter prefix matches thousands of words, each a posting list to merge)."""

    def _btexts(self, ixreader: Any) -> list[bytes]:
        found = [(info.doc_frequency(), text) for text, info in ixreader.iter_prefix(self.fieldname, self.text)]
        found.sort(reverse=True)
        keep = PREFIX_TERMS if len(self.text) >= 4 else PREFIX_TERMS // 4
        return sorted(text for _freq, text in found[:keep])


class _TopFuzzy(query.FuzzyTerm):
    """A fuzzy term sharing its first letter, expanded to its most frequent neighbours only."""

    def _btexts(self, ixreader: Any) -> list[bytes]:
        near = (text.encode("utf-8") if isinstance(text, str) else text for text in
                ixreader.terms_within(self.fieldname, self.text, self.maxdist, prefix=self.prefixlength))
        return _most_frequent(ixreader, self.fieldname, near, FUZZY_TERMS)


class _ExactPhrase(query.Phrase):
    """A phrase whose words must be adjacent (slop 1), checked on positions with sets;
    Whoosh's span matcher builds a Span object per position and was 10x slower."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.slop != 1:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        btexts = [word.encode("utf-8") for word in self.words]
        if any((self.fieldname, btext) not in reader for btext in btexts):
            return NullMatcher()
        matcher = _PhraseMatcher([query.Term(self.fieldname, b).matcher(searcher, context) for b in btexts])
        return matcher if self.boost == 1.0 else WrappingMatcher(matcher, boost=self.boost)


class _PhraseMatcher(SpanNear2.SpanNear2Matcher):
    """Documents where word i occurs at position p + i for some p."""

    def __init__(self, ms: list[Any]) -> None:
        super().__init__(ms, slop=1, ordered=True, mindist=1)

    def copy(self) -> _PhraseMatcher:
        return _PhraseMatcher([m.copy() for m in self.ms])

    def _get_spans(self) -> list[int]:
        starts: set[int] | None = None
        for offset, matcher in enumerate(self.ms):
            shifted = {position - offset for position in matcher.value_as("positions")}
            starts = shifted if starts is None else starts & shifted
            if not starts:
                return []
        return sorted(starts or ())


def stem_variants(word: str) -> list[str]:
    """The stems a query word is looked up under: English, Spanish and as written."""
    return list(dict.fromkeys((STEMMERS.english[word], STEMMERS.spanish[word], word)))


def rewrite(q: query.Query) -> query.Query:
    """Point default-field words at the stemmed field (both languages); cap prefixes."""
    text = getattr(q, "fieldname", None) == "text"
    if isinstance(q, query.Every):
        return query.Every()
    if isinstance(q, query.FuzzyTerm) and text:
        return _any([_TopFuzzy("stem", s, boost=q.boost, maxdist=q.maxdist, prefixlength=max(1, q.prefixlength))
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
        return _TopPrefix(field, q.text, boost=q.boost)
    starts = dict.fromkeys((q.text, STEMMERS.english[q.text], STEMMERS.spanish[q.text]))
    parts: list[query.Query] = [_TopPrefix("stem", s, boost=q.boost) for s in starts]
    parts += [query.Term("stem", q.text[:end], boost=q.boost) for end in range(4, len(q.text))]
    return _any(parts)


def _phrase(q: query.Phrase) -> query.Query:
    """A phrase of folded words, as stems of either language."""
    if len(q.words) == 1:
        return rewrite(query.Term("text", q.words[0], boost=q.boost))
    variants = {tuple(STEMMERS.english[w] for w in q.words), tuple(STEMMERS.spanish[w] for w in q.words),
                tuple(q.words)}
    return _any([_ExactPhrase("stem", list(v), slop=q.slop, boost=q.boost) for v in sorted(variants)])


def _any(queries: Sequence[query.Query]) -> query.Query:
    """One query, or an Or of several."""
    return queries[0] if len(queries) == 1 else query.Or(list(queries))


def prepare(parsed: query.Query, text: str) -> query.Query:
    """The query to run: rewritten, with an exact title or id match ranked first."""
    q = rewrite(parsed)
    if not text.strip() or ":" in text:
        return q
    exact = query.Or([query.Term("title_key", normalize_name(text.strip('"'))),
                      query.Term("id", fold_text(text.strip()))], boost=50.0)
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


def open_storage(index_dir: Path | None) -> FileStorage | RamStorage:
    """A folder's storage, or memory that keeps even temporary files in memory."""
    return _MemoryStorage() if index_dir is None else FileStorage(str(index_dir))


class _MemoryStorage(RamStorage):
    """RamStorage whose writers' temporary files also stay in memory (not in /tmp)."""

    def temp_storage(self, name: str | None = None) -> RamStorage:
        return RamStorage()


def create(storage: FileStorage | RamStorage) -> FileIndex:
    """A new, empty index in `storage` (replacing any old one)."""
    return FileIndex.create(storage, schema(), INDEX_NAME)


def open_index(storage: FileStorage | RamStorage) -> FileIndex:
    """The existing index; raises one of CORRUPTION (or EmptyIndexError) if unreadable."""
    ix = FileIndex(storage, schema(), INDEX_NAME)
    ix.reader().close()
    return ix


def generation(storage: FileStorage | RamStorage) -> int:
    """The latest committed generation (-1 when there is none)."""
    return TOC._latest_generation(storage, INDEX_NAME)


class _Codec(W3Codec):
    """Whoosh's codec, with two build-time fixes: no per-block length statistics (a
    lookup per posting; block-quality bounds stay valid, only looser), and working
    inlining: W3PostingsWriter never inlines (it tests `len < 1` and calls a missing
    method), so every rare term cost a compressed block of its own."""

    length_stats = False

    def __init__(self) -> None:
        super().__init__(inlinelimit=INLINE)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                               compression=self._compression, inlinelimit=self._inlinelimit)


class _PostingsWriter(W3PostingsWriter):
    """Postings of terms in at most INLINE documents are stored inside the term info."""

    def finish_postings(self) -> Any:
        if self.written() or len(self) > self._inlinelimit:
            return super().finish_postings()
        terminfo, self._terminfo = self._terminfo, None
        terminfo.add_block(self)
        # Fields without values (Existence) append none: store b"" per posting, else an
        # inlined posting reads back as "" (str), which a merge of segments refuses.
        values = self._values if len(self._values) == len(self._ids) else (b"",) * len(self._ids)
        terminfo.set_inlined(self._ids, self._weights, values)
        return terminfo


def writer(ix: FileIndex, procs: int = 1, timeout: float = 30.0, limitmb: int = 256) -> SegmentWriter:
    """A writer holding the index lock; with procs > 1 each process writes its own segment."""
    options: dict[str, Any] = {"codec": _Codec(), "timeout": timeout, "delay": 0.05, "limitmb": limitmb}
    if procs > 1:
        from whoosh.multiproc import MpWriter

        return MpWriter(ix, procs=procs, multisegment=True, batchsize=64, **options)
    return SegmentWriter(ix, **options)


def delete_paths(w: SegmentWriter, paths: Iterable[str]) -> None:
    """Remove the documents of these files."""
    for path in paths:
        w.delete_by_term("path", path)


def finish(w: SegmentWriter, merge: bool = True) -> None:
    """Commit; without `merge`, existing segments are left alone (fast, staged builds)."""
    w.commit(mergetype=_merge_small if merge else NO_MERGE)


def _merge_small(w: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Merge the tiny segments of single edits once SMALL_SEGMENTS of them piled up
    (Whoosh's MERGE_SMALL re-merged some on most commits: 40 ms of every one-file refresh)."""
    small = [segment for segment in segments if segment.doc_count_all() < SMALL_DOCS]
    if len(small) < SMALL_SEGMENTS:
        return segments
    for segment in small:
        reader = SegmentReader(w.storage, w.schema, segment)
        w.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]


def cancel(w: SegmentWriter) -> None:
    """Drop what the writer did and release the lock."""
    if not w.is_closed:
        w.cancel()


def run(searcher: Any, q: query.Query, limit: int | None, sort: str,
        ) -> tuple[set[int], list[tuple[dict[str, Any], float]]]:
    """Run a prepared query: every matching docnum, and the top (stored fields, score)."""
    if sort == "date" or not limit:
        sortedby = sorting.FieldFacet("date", reverse=True) if sort == "date" else None
        results = searcher.search(q, limit=limit, sortedby=sortedby, terms=False)
    else:
        collector = _CountingCollector(limit)
        searcher.search_with_collector(q, collector)
        results = collector.results()
    return results.docs(), [(dict(hit.fields()), float(hit.score or 0.0)) for hit in results]


class _CountingCollector(TopCollector):
    """Top N by score and every matching docnum in one pass (Whoosh's TopCollector skips
    low-scoring blocks, then runs the whole query again for the count and the facets)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False)

    def _collect(self, global_docnum: int, score: float) -> float:
        self.docset.add(global_docnum)
        key = super()._collect(global_docnum, score)
        self.minscore = 0  # a minimum score lets matchers drop branches: the count would miss them
        return key

    def all_ids(self) -> set[int]:
        return self.docset


def tag_table(searcher: Any) -> dict[int, tuple[str, ...]]:
    """docnum -> folded tags, read once per index version from the `tag` postings."""
    reader = searcher.reader()
    table: dict[int, list[str]] = {}
    for btext in reader.lexicon("tag"):
        tag = btext.decode("utf-8")
        for docnum in reader.postings("tag", btext).all_ids():
            table.setdefault(docnum, []).append(tag)
    return {docnum: tuple(tags) for docnum, tags in table.items()}


def new_searcher(ix: FileIndex) -> Any:
    """A searcher on the last committed generation, scoring with BM25F."""
    return ix.searcher(weighting=BM25F())
