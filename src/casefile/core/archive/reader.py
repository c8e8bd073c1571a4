"""The reading half of an archive: search, a case, its problems, on the last commit.

Searches go through the SearchEngine boundary (core/engine.py), serialized by a lock (a
Whoosh searcher is not shared between threads), and always see the last committed index
generation, so they work while a refresh (in another thread or process) is writing.
A Reader never writes and never rebuilds: a damaged index raises IndexDamaged, and the
caller (a command, the app) decides to rebuild. Snippets are cut from the file on disk,
so the index stores no bodies.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.core.archive import catalog, lookup
from casefile.core.archive.committed import Committed
from casefile.core.engine import SearchEngine
from casefile.core.model import Case, CasefileError, Problem, SearchHit, SearchResult
from casefile.core.read import frontmatter
from casefile.core.read.library import decode, read_bytes, read_case_at
from casefile.core.text.analysis import snippet
from casefile.core.text.query_fields import english_fields
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import N_, _

if TYPE_CHECKING:
    from casefile.core.xref.store import XrefStore

NOT_BUILT = N_("the index is not built yet; run `casefile index`")


class Reader:
    """Answers from the committed index, catalog and cross-reference."""

    def __init__(self, cases_dir: Path, committed: Committed, max_file_bytes: int) -> None:
        self.cases_dir = cases_dir
        self.state = committed
        self.max_file_bytes = max_file_bytes
        self._lock = threading.Lock()
        self._engine: SearchEngine | None = None

    def search(self, text: str, *, limit: int | None = 50, sort: str = "relevance") -> SearchResult:
        """Search the last committed index (IndexDamaged when its files cannot be read)."""
        with self._lock:
            engine = self._current()
            # `etiqueta:` is `tag:`; the result keeps the text as typed
            ranked = engine.search(english_fields(text), limit, sort) if engine is not None else None
        if ranked is None:
            return SearchResult(text, 0, (), notice=_(NOT_BUILT))
        pattern = ranked.highlight.pattern()
        hits = tuple(self._hit(fields, score, pattern) for fields, score in ranked.hits)
        return SearchResult(text, ranked.total, hits, ranked.tags, ranked.notice)

    def _current(self) -> SearchEngine | None:
        """The engine over the index storage (None when there is no index yet)."""
        if self._engine is None:
            storage = self.state.open_storage()
            if storage is None:
                return None
            from casefile.core.index.engine import WhooshEngine  # Whoosh: on the first search only

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
            data = read_bytes(self.cases_dir, path, self.max_file_bytes)
        except OSError:
            return ""
        text, _problems = decode(data[: self.max_file_bytes], path)
        return frontmatter.split(text).body if text else ""

    def case(self, key: str) -> Case | None:
        """The case or entity page with this id (or relative path), read from disk now."""
        paths = self.paths_of(key)
        return read_case_at(self.cases_dir, paths[0], self.max_file_bytes) if paths else None

    def paths_of(self, key: str) -> list[str]:
        """Every file `key` names, by path: one for a path, several for a duplicate id."""
        return lookup.paths_for(self.state.catalog(), self.cases_dir, key)

    def note_paths(self, key: str) -> list[str]:
        """`paths_of`, from the cross-reference's ids when no skipped file can be meant: the
        catalog stays on disk (reading it took ~0.5 s of `casefile xref` at 50,000 files)."""
        found = lookup.paths_in_notes(self.xref.file_ids(), self.state.fresh.files, self.cases_dir, key)
        return self.paths_of(key) if found is None else found

    def problems(self) -> list[Problem]:
        """Every problem: per file, duplicate ids, the cross-reference's; by path and line."""
        entries = dict(self.state.catalog())  # one C call: a refresh thread may be adding entries
        found = [p for entry in entries.values() for p in entry.problems] + list(self.state.walk_problems)
        found += catalog.duplicate_ids({p: e for p, e in entries.items() if e.kind != "skipped"})
        found += self.xref.dangling_problems()  # from a side file: none of the cross-reference's records
        return sorted(found, key=lambda p: (p.path, p.line or 0, p.code))

    def dangling_targets(self, path: str) -> frozenset[str]:
        """Link targets in the file at `path` that resolve to nothing (without the records)."""
        return frozenset(target for where, _line, target, chosen in self.xref.dangling()
                         if where == path and chosen is None)

    @property
    def xref(self) -> XrefStore:
        """The cross-reference, kept beside the index."""
        return self.state.xref

    def unreadable(self) -> CasefileError:
        """The error for an index that stays unreadable after a rebuild."""
        return CasefileError(_("the search index in {folder} cannot be read; remove it and retry").format(
            folder=self.state.index_dir))

    def close(self) -> None:
        """Close the engine's open files (thread-safe; the next search opens them again)."""
        with self._lock:
            if self._engine is not None:
                self._engine.close()
                self._engine = None
