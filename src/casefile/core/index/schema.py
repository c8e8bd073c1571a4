"""The index schema: fields fed pre-analyzed values, date fields, query-time analysis."""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable
from typing import Any

from whoosh import formats, query
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import NUMERIC, STORED, FieldType, Schema
from whoosh.lang.porter import stem as porter_stem
from whoosh.qparser.common import QueryParserError

from casefile.core.index.documents import Stemmers, date_span
from casefile.core.read.parse import valid_date
from casefile.core.text.analysis import StemCache, fold_text, words
from casefile.core.wording import _

USER_FIELDS = ("title", "tag", "entity", "person", "org", "place", "status", "lang", "id", "date", "kind")
FIELD_ALIASES = {"tag": ["tags"], "org": ["organization", "organisation"], "entity": ["entities"],
                 "person": ["people"], "place": ["location"]}
STEMMERS = Stemmers(StemCache(porter_stem))
LENGTHS = "lengths"
"""A stored field: {field: exact length} of a document (stats.py subtracts deleted ones)."""


class _Positions(formats.Positions):  # type: ignore[misc]  # Whoosh ships no types
    """Positions packed as unsigned ints after the count: Whoosh pickles their deltas and
    sums them in a Python loop, which was most of a phrase query's time."""

    def encode(self, poslist: list[int]) -> bytes:
        return struct.pack("!I", len(poslist)) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        found = array("I")
        found.frombytes(valuestring[4:])
        return found.tolist()


class _Words(FieldType):  # type: ignore[misc]  # Whoosh ships no types
    """A field fed pre-analyzed values: sections (words, position, weight) or whole terms."""

    def __init__(self, positions: bool = False, stored: bool = False, unique: bool = False) -> None:
        self.format = _Positions() if positions else formats.Existence()
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


class _DateField(NUMERIC):  # type: ignore[misc]  # Whoosh ships no types
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
        raise QueryParserError(_("'{date}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)").format(date=text.strip()))
    return date_span(text.strip()) or (0, 0)


def _date_range(first: int | None, last: int | None) -> query.Query:
    """Cases whose whole date lies within [first, last] (open ends allowed)."""
    # date <= date_end, so bounding both ends of both fields is the same test, and it
    # keeps each range small (an open range lists half the index)
    parts = [query.NumericRange("date", first, last)] if first is not None else []
    if last is not None:
        parts.append(query.NumericRange("date_end", first, last))
    return query.And(parts) if len(parts) > 1 else (parts[0] if parts else query.Every("date"))


class _FoldTokenizer(Tokenizer):  # type: ignore[misc]  # Whoosh ships no types
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
    """The index schema (names are the document keys of core/index/documents.py)."""
    return Schema(
        path=_Words(stored=True, unique=True), kind=_Words(stored=True), id=_Words(stored=True),
        title=_Words(positions=True, stored=True), title_key=_Words(), stem=_Words(positions=True),
        tag=_Words(), tags=STORED(), entity=_Words(positions=True), person=_Words(positions=True),
        org=_Words(positions=True), place=_Words(positions=True), status=_Words(), lang=_Words(),
        date=_DateField(), date_end=NUMERIC(numtype=int, bits=32),
        date_text=STORED(), lengths=STORED(),
    )


def query_schema() -> Schema:
    """The fields a user may name in a query, with query-time analyzers."""
    from whoosh.fields import TEXT

    def text() -> TEXT:
        return TEXT(analyzer=_FoldTokenizer(), multitoken_query="phrase")

    def whole() -> TEXT:
        return TEXT(analyzer=_FoldTokenizer(whole=True), phrase=False)

    return Schema(text=text(), title=text(), entity=text(), person=text(), org=text(),
                  place=text(), tag=whole(), status=whole(), lang=whole(), id=whole(),
                  kind=whole(), date=_DateField())
