"""Running searches for the Archive: the cached searcher, hits with snippets, retries.

Searches are serialized by a lock (a Whoosh searcher is not shared between threads)
and always see the last committed index generation. Snippets are cut from the file on
disk, so the index stores no bodies.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from casefile.core import frontmatter
from casefile.core.analysis import snippet
from casefile.core.library import decode, read_bytes
from casefile.core.model import SearchHit, SearchResult
from casefile.core.sanitize import clean_line
from casefile.core.query_fields import english_fields
from casefile.core.wording import N_, _

if TYPE_CHECKING:
    import re

    from casefile.core.archive import Archive

NOT_BUILT = N_("the index is not built yet; run `casefile index`")


def facets(docs_of: dict[str, set[int]], docset: set[int]) -> tuple[tuple[str, int], ...]:
    """Tag -> number of matching documents, most frequent first (set intersections, in C)."""
    counts = {tag: len(docs & docset) for tag, docs in docs_of.items()}
    return tuple(sorted(((tag, n) for tag, n in counts.items() if n), key=lambda item: (-item[1], item[0])))


class Searching:
    """The search half of an Archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._lock = threading.Lock()
        self._searcher: Any = None
        self._generation = -1
        self._tags: dict[str, set[int]] | None = None
        self._evaluator: Any = None
        self._parser: Any = None

    def search(self, text: str, limit: int | None, sort: str) -> SearchResult:
        """Search; on a damaged index, rebuild once and search again."""
        from casefile.core import index

        for attempt in (0, 1):
            try:
                with self._lock:
                    return self._search(text, limit, sort)
            except (*index.CORRUPTION, index.Damaged) as exc:
                if not index.is_damage(exc):
                    raise
                self.close()
                if attempt:
                    self.archive.raise_unreadable()
                self.archive.refresh(rebuild=True)
        raise AssertionError("unreachable")

    def _search(self, text: str, limit: int | None, sort: str) -> SearchResult:
        """One search on the current searcher."""
        from casefile.core import index

        searcher = self._current()
        if searcher is None:
            return SearchResult(text, 0, (), notice=_(NOT_BUILT))
        self._parser = self._parser or index.parser()
        wanted = english_fields(text)  # `etiqueta:` is `tag:`; the result keeps the text as typed
        parsed, notice = index.parse(self._parser, wanted) if wanted.strip() else (index.everything(), None)
        docset, top = index.run(searcher, index.prepare(parsed, wanted), limit, sort, self._evaluator)
        pattern = index.highlight(parsed).pattern()
        hits = tuple(self._hit(fields, score, pattern) for fields, score in top)
        return SearchResult(text, len(docset), hits, facets(self._tag_table(), docset), notice)

    def _current(self) -> Any:
        """A searcher on the latest generation (reopened when a commit happened)."""
        from casefile.core import index

        storage = self.archive._storage
        if storage is None:
            if self.archive.index_dir is None or not self.archive.index_dir.is_dir():
                return None
            storage = self.archive._storage = index.open_storage(self.archive.index_dir)
        generation = index.generation(storage)
        if generation < 0:
            return None
        if self._searcher is None or generation != self._generation:
            self.close_searcher()
            self._searcher = index.new_searcher(index.open_index(storage))
            self._generation, self._tags = generation, None
            self._evaluator = index.Evaluator(self._searcher)
        return self._searcher

    def _tag_table(self) -> dict[str, set[int]]:
        """tag -> docnums, computed once per generation."""
        if self._tags is None:
            self._tags = self._evaluator.term_docs("tag")
        return self._tags

    def _hit(self, fields: dict[str, Any], score: float, pattern: re.Pattern[str] | None) -> SearchHit:
        """A plain, sanitized hit with its snippet."""
        path = str(fields.get("path", ""))
        text, spans = snippet(self._body(path), pattern)
        return SearchHit(
            id=clean_line(str(fields.get("id", path))), title=clean_line(str(fields.get("title", path))),
            path=clean_line(path), kind="entity" if fields.get("kind") == "entity" else "case",
            date=fields.get("date_text"), tags=tuple(clean_line(str(t)) for t in fields.get("tags", ())),
            score=round(score, 4), snippet=text, spans=spans,
        )

    def _body(self, path: str) -> str:
        """The body of a file as it is on disk now ('' when unreadable)."""
        try:
            data = read_bytes(self.archive.cases_dir, path, self.archive.max_file_bytes)
        except OSError:
            return ""
        text, _problems = decode(data[: self.archive.max_file_bytes], path)
        return frontmatter.split(text).body if text else ""

    def close_searcher(self) -> None:
        """Close the cached searcher."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher, self._tags, self._evaluator = None, None, None

    def close(self) -> None:
        """Close the searcher (thread-safe)."""
        with self._lock:
            self.close_searcher()
