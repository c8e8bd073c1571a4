"""The archive: a case folder with its search index and cross-reference, kept fresh.

Every command and the app go through this facade, which pairs the two halves over one
committed state: an Indexer (indexer.py), the only writer, and a Reader (reader.py),
which never writes. `search()` raises IndexDamaged on an unreadable index; the caller
rebuilds with `refresh(rebuild=True)` (see `search_or_rebuild`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.core.archive import compaction, index_folder
from casefile.core.archive.catalog import Entries
from casefile.core.archive.committed import XREF_FILE, Committed
from casefile.core.archive.indexer import BUSY, LOCK_WAIT, Indexer, RefreshReport
from casefile.core.archive.manifest import Fresh
from casefile.core.engine import IndexDamaged, IndexFiles
from casefile.core.model import Case, Problem, SearchResult
from casefile.core.read.folder import DEFAULT_MAX_FILE_BYTES

if TYPE_CHECKING:
    from casefile.core.archive.reader import Reader
    from casefile.core.xref.store import XrefStore

__all__ = ["BUSY", "DEFAULT_MAX_FILE_BYTES", "XREF_FILE", "Archive", "RefreshReport", "search_or_rebuild"]
SCHEMA = "10"
"""Bump with core.index.SCHEMA_VERSION; kept here so the freshness check needs no Whoosh."""


class Archive:
    """One case folder and its index (on disk, or in memory with `index_dir=None`)."""

    def __init__(self, cases_dir: Path, index_dir: Path | None, max_file_bytes: int, *,
                 parallel_from: int | None = None, workers: int | None = None) -> None:
        self.cases_dir = Path(cases_dir).resolve()
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.max_file_bytes = max_file_bytes
        self.state = Committed(self.index_dir, f"{SCHEMA}-{max_file_bytes}")
        self._reader: Reader | None = None
        self.indexer = Indexer(self.cases_dir, self.state, max_file_bytes, parallel_from=parallel_from,
                               workers=workers, on_reset=self._close_reader)
        self.compaction = compaction.Compaction(self.indexer)

    @classmethod
    def open(cls, cases_dir: Path, index_dir: Path | None, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
             *, parallel_from: int | None = None, workers: int | None = None) -> Archive:
        """The archive of `cases_dir`; does not refresh (and writes nothing until it does)."""
        archive = cls(cases_dir, index_dir, max_file_bytes, parallel_from=parallel_from, workers=workers)
        if index_dir is not None:
            index_folder.check(index_dir, archive.cases_dir)
        else:
            from casefile.core import index  # an index in memory is made at once

            archive.state.storage = index.open_storage(None)
            archive.indexer.ix = index.create(archive.state.storage)
        return archive

    @property
    def reader(self) -> Reader:
        """The reading half (made on first use: a no-change check never imports it)."""
        if self._reader is None:
            from casefile.core.archive.reader import Reader

            self._reader = Reader(self.cases_dir, self.state, self.max_file_bytes)
        return self._reader

    def refresh(self, progress: Callable[[int, int], None] | None = None, *, rebuild: bool = False,
                wait: float = LOCK_WAIT, paths: Sequence[str] | None = None) -> RefreshReport:
        """Bring the index and cross-reference up to date with the folder (Indexer.refresh)."""
        merging = self.compaction.stop()  # this refresh writes first; the merge comes after
        report = self.indexer.refresh(progress, rebuild=rebuild, wait=wait, paths=paths)
        if merging or report.added + report.changed >= compaction.MERGE_FROM:
            self.compaction.start()
        return report

    def finish_merge(self) -> None:
        """Wait for the background merge of the index's segments (compaction.py), if any."""
        self.compaction.wait()

    def search(self, query: str, *, limit: int | None = 50, sort: str = "relevance") -> SearchResult:
        """Search the last committed index; IndexDamaged when it cannot be read."""
        return self.reader.search(query, limit=limit, sort=sort)

    def case(self, key: str) -> Case | None:
        """The case or entity page with this id (or relative path), read from disk now."""
        return self.reader.case(key)

    def paths_of(self, key: str) -> list[str]:
        """Every file `key` names, by path: one for a path, several for a duplicate id."""
        return self.reader.paths_of(key)

    def note_paths(self, key: str) -> list[str]:
        """As `paths_of`, without reading the catalog when the cross-reference's view can say."""
        return self.reader.note_paths(key)

    def problems(self) -> list[Problem]:
        """Every problem: per file, duplicate ids, the cross-reference's; by path and line."""
        return self.reader.problems()

    def problem_count(self) -> int:
        """How many problems `problems()` lists (the catalog and a small side file are read)."""
        return len(self.reader.problems())

    def dangling_targets(self, path: str) -> frozenset[str]:
        """Link targets in the file at `path` that resolve to nothing (without the records)."""
        return self.reader.dangling_targets(path)

    @property
    def xref(self) -> XrefStore:
        """The cross-reference, kept beside the index."""
        return self.state.xref

    @property
    def fresh(self) -> Fresh:
        """The manifest as this process knows it."""
        return self.state.fresh

    @property
    def entries(self) -> Entries:
        """The catalog as this process knows it."""
        return self.state.catalog()

    @property
    def ix(self) -> IndexFiles | None:
        """The index the Indexer writes (None until a refresh opened or made it)."""
        return self.indexer.ix

    def close(self) -> None:
        """Stop a background merge; release the searcher and its files."""
        self.compaction.stop()
        self._close_reader()

    def _close_reader(self) -> None:
        """Release the searcher's files, if one was opened (before a rebuild replaces them)."""
        if self._reader is not None:
            self._reader.close()


def search_or_rebuild(archive: Archive, query: str, *, limit: int | None = 50,
                      sort: str = "relevance", progress: Callable[[int, int], None] | None = None,
                      ) -> SearchResult:
    """Search; on a damaged index, rebuild it once and search again (for commands, which
    may write; the app rebuilds in its refresh worker instead)."""

    try:
        return archive.search(query, limit=limit, sort=sort)
    except IndexDamaged:
        archive.close()
        archive.refresh(progress, rebuild=True)
    try:
        return archive.search(query, limit=limit, sort=sort)
    except IndexDamaged as damaged:
        raise archive.reader.unreadable() from damaged
