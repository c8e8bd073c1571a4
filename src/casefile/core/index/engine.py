"""The Whoosh-backed SearchEngine (core/engine.py): Whoosh's analysis, parser and files,
searched by the whole-set evaluator (evaluate.py).

Searches always see the last committed generation: the searcher, the evaluator and the
tag table are reopened when a commit happened. Reads of the index's files raise
IndexDamaged (damage.py); so does an index that cannot be opened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import Any

from casefile.core.engine import IndexDamaged, Ranked
from casefile.core.index import postings as files
from casefile.core.index import queries, store
from casefile.core.index.damage import reading
from casefile.core.index.evaluate import Evaluator
from casefile.core.index.facets import LARGE, TagCounts

REOPEN_TRIES = 3
"""Attempts to open the latest generation while commits keep replacing it."""


class WhooshEngine:
    """A SearchEngine over the Whoosh index in `storage` (a folder's, or memory)."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self._searcher: Any = None
        self._evaluator: Evaluator | None = None
        self._generation = -1
        self._tags: Tags | None = None
        self._tag_counts: TagCounts | None = None
        self._segment_tags: dict[str, Tags] = {}
        """Segment id -> its docnums' tags (segments are never changed, only deleted from)."""
        self._parser: Any = None

    def writer(self, limitmb: int = 256) -> _Writing:
        """A batch of changes on the index."""
        return writing(self._index(), limitmb)

    def _index(self) -> Any:
        with reading("opening the index"):
            return store.open_index(self.storage)

    def search(self, text: str, limit: int | None, sort: str) -> Ranked | None:
        """Search the last commit; None when nothing was committed yet."""
        evaluator = self._current()
        if evaluator is None:
            return None
        self._parser = self._parser or queries.parser()
        parsed, notice = queries.parse(self._parser, text) if text.strip() else (queries.everything(), None)
        docset, top = queries.run(evaluator.searcher, queries.prepare(parsed, text), limit, sort, evaluator)
        return Ranked(len(docset), tuple(top), self._facets(evaluator, docset), notice, queries.highlight(parsed))

    def _facets(self, evaluator: Evaluator, docset: set[int]) -> tuple[tuple[str, int], ...]:
        """Tag facets of the matches: in arrays for a large result set (flattened once per generation)."""
        tags = self._tag_table(evaluator)
        if len(docset) < LARGE:
            return _facets(tags, docset)
        if self._tag_counts is None:
            self._tag_counts = TagCounts(tags)
        return _sorted(self._tag_counts.count(docset))

    def _current(self) -> Evaluator | None:
        """The evaluator of the latest generation (reopened when a commit happened). A commit
        between reading the generation and opening its segments (a merge removes the old
        ones) is not damage: the new generation is opened instead."""
        for _attempt in range(REOPEN_TRIES - 1):
            generation = self._generation_now()
            try:
                return self._open(generation)
            except IndexDamaged:
                if self._generation_now() == generation:
                    raise
        return self._open(self._generation_now())

    def _generation_now(self) -> int:
        with reading("opening the index"):
            return store.generation(self.storage)

    def _open(self, generation: int) -> Evaluator | None:
        """The evaluator of `generation` (the one open already, when it is that one); the
        segment readers of the last generation opened are taken over where unchanged."""
        if generation < 0:
            return None
        if self._evaluator is None or generation != self._generation:
            old, self._searcher, self._evaluator, self._tags = self._searcher, None, None, None
            self._tag_counts = None
            try:
                with reading("opening the index"):
                    reader = store.reader(self.storage, generation, old.reader() if old is not None else None)
            except BaseException:
                if old is not None:
                    old.close()
                raise
            self._searcher, self._generation = queries.searcher_on(reader), generation
            self._evaluator = Evaluator(self._searcher)
        return self._evaluator

    def _tag_table(self, evaluator: Evaluator) -> Tags:
        """docnum -> its tags, once per generation, from each segment's table (kept while
        the segment is: a commit computes only its new segments')."""
        if self._tags is None:
            of_doc: Tags = []
            tables: dict[str, Tags] = {}
            for segment, base in evaluator.leaves:
                key = files.segment_key(segment)
                table = self._segment_tags.get(key) if key is not None else None
                if table is None:
                    table = files.doc_terms(segment, "tag")
                if key is not None:
                    tables[key] = table
                of_doc[base:] = table  # bases follow each other: each segment's table, in order
            self._segment_tags, self._tags = tables, of_doc
        return self._tags

    def close(self) -> None:
        """Close the cached searcher."""
        if self._searcher is not None:
            self._searcher.close()
        self._searcher, self._evaluator, self._tags, self._tag_counts = None, None, None, None
        self._segment_tags = {}


Tags = list[tuple[str, ...]]
"""The tag facets' table of one generation: docnum -> its tags (deleted documents' too:
only live ones are ever counted)."""


def _facets(tags: Tags, docset: set[int]) -> tuple[tuple[str, int], ...]:
    """Tag -> number of matching documents, most frequent first: the tags of every match
    counted in C (one set intersection per tag cost 2.5 times more at 50,000 cases)."""
    return _sorted(Counter(chain.from_iterable(map(tags.__getitem__, docset))))


def _sorted(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """Facets most frequent first, then by name."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def writing(ix: Any, limitmb: int = 256) -> _Writing:
    """A batch of changes on an open index (the Archive keeps its index open while it updates)."""
    return _Writing(store.writer(ix, limitmb=limitmb))


class _Writing:
    """core.engine.Writing over a Whoosh writer (segment.FastWriter)."""

    def __init__(self, w: Any) -> None:
        self.w = w

    def add(self, doc: dict[str, Any]) -> None:
        """Index one document."""
        self.w.add_document(**doc)

    def delete(self, paths: Iterable[str]) -> None:
        """Remove the documents of these files."""
        store.delete_paths(self.w, paths)

    def adopt(self, segments: list[Any]) -> None:
        """Join segments written by worker processes (index/parallel.py) to this commit."""
        self.w.adopted.extend(segments)

    def commit(self, merge: bool = True) -> None:
        """Make the batch visible."""
        store.finish(self.w, merge)

    def cancel(self) -> None:
        """Drop the batch."""
        store.cancel(self.w)


__all__ = ["IndexDamaged", "WhooshEngine", "writing"]
