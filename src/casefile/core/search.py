"""Running searches for the Archive: the cached searcher, hits with snippets, retries.

Searches go through the SearchEngine boundary (core/engine.py), serialized by a lock (a
Whoosh searcher is not shared between threads), and always see the last committed index
generation. Snippets are cut from the file on disk, so the index stores no bodies.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from casefile.core import frontmatter
from casefile.core.analysis import snippet
from casefile.core.engine import IndexDamaged, SearchEngine
from casefile.core.library import decode, read_bytes
from casefile.core.model import SearchHit, SearchResult
from casefile.core.query_fields import english_fields
from casefile.core.sanitize import clean_line
from casefile.core.wording import N_, _

if TYPE_CHECKING:
    import re

    from casefile.core.archive import Archive

NOT_BUILT = N_("the index is not built yet; run `casefile index`")


class Searching:
    """The search half of an Archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self._lock = threading.Lock()
        self._engine: SearchEngine | None = None

    def search(self, text: str, limit: int | None, sort: str) -> SearchResult:
        """Search; on a damaged index, rebuild once and search again."""
        for attempt in (0, 1):
            try:
                with self._lock:
                    return self._search(text, limit, sort)
            except IndexDamaged:
                self.close()
                if attempt:
                    self.archive.raise_unreadable()
                self.archive.refresh(rebuild=True)
        raise AssertionError("unreachable")

    def _search(self, text: str, limit: int | None, sort: str) -> SearchResult:
        """One search on the current engine."""
        engine = self._current()
        # `etiqueta:` is `tag:`; the result keeps the text as typed
        ranked = engine.search(english_fields(text), limit, sort) if engine is not None else None
        if ranked is None:
            return SearchResult(text, 0, (), notice=_(NOT_BUILT))
        pattern = ranked.highlight.pattern()
        hits = tuple(self._hit(fields, score, pattern) for fields, score in ranked.hits)
        return SearchResult(text, ranked.total, hits, ranked.tags, ranked.notice)

    def _current(self) -> SearchEngine | None:
        """The engine over the archive's index storage (None when there is no index yet)."""
        if self._engine is None:
            from casefile.core.index.engine import WhooshEngine

            storage = self.archive._storage
            if storage is None:
                if self.archive.index_dir is None or not self.archive.index_dir.is_dir():
                    return None
                from casefile.core import index

                storage = self.archive._storage = index.open_storage(self.archive.index_dir)
            self._engine = WhooshEngine(storage)
        return self._engine

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
        """Close the engine's open files."""
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def close(self) -> None:
        """Close the engine (thread-safe)."""
        with self._lock:
            self.close_searcher()
