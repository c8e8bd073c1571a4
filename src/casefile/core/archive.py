"""The archive: a case folder with its search index and cross-reference, kept fresh.

Every command and the app go through this facade. `refresh()` compares the folder
with a small manifest (size and mtime; the hash confirms) and re-indexes only what
changed; when nothing did it returns in milliseconds without importing Whoosh.
Searches run on the last committed index, so they work while a refresh (in another
thread or another process) is writing. One process writes at a time (a flock on the
index folder, which a killed process never leaves held); a damaged index is rebuilt.
"""

from __future__ import annotations

import marshal
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.core import catalog, index_folder, lookup
from casefile.core.catalog import Entry, FolderLock, Fresh
from casefile.core.library import DEFAULT_MAX_FILE_BYTES, FileStat, Walk, read_case, restat, walk
from casefile.core.model import Case, CasefileError, Problem, SearchResult
from casefile.core.wording import N_, _

if TYPE_CHECKING:
    from casefile.core.search import Searching
    from casefile.core.xref_store import XrefStore

__all__ = ["DEFAULT_MAX_FILE_BYTES", "Archive", "RefreshReport"]
SCHEMA = "8"
"""Bump with core.index.SCHEMA_VERSION; kept here so the freshness check needs no Whoosh."""
LOCK_WAIT = 2.0
XREF_FILE = "xref-v5.marshal"
"""casefile.core.xref_store.FILE_NAME (a test keeps the two equal)."""
ATTACHMENTS_FILE = "xref-v5.attachments.marshal"
"""casefile.core.xref_store.ATTACHMENTS_FILE (read here without importing the store)."""
BUSY = N_("another casefile process is updating the index; showing what it has indexed so far")


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh did."""

    added: int
    changed: int
    removed: int
    total: int
    """Markdown files in the folder."""
    seconds: float
    notice: str | None = None
    """Set when the refresh could not run (another process holds the index)."""
    cases: int = 0
    """Cases in the index after the refresh."""
    entities: int = 0
    """Entity pages in the index after the refresh."""

    @property
    def changed_anything(self) -> bool:
        """True when the index changed."""
        return bool(self.added or self.changed or self.removed)


class Archive:
    """One case folder and its index (on disk, or in memory with `index_dir=None`)."""

    def __init__(self, cases_dir: Path, index_dir: Path | None, max_file_bytes: int, *,
                 parallel_from: int | None = None, workers: int | None = None) -> None:
        self.cases_dir = Path(cases_dir).resolve()
        self.parallel_from = parallel_from
        """Files in a stage from which worker processes index it; None: updater.PARALLEL_FROM."""
        self.workers = workers
        """How many worker processes; None: one per core, at most updater.MAX_WORKERS."""
        self.index_dir = Path(index_dir) if index_dir is not None else None
        self.max_file_bytes = max_file_bytes
        self.version = f"{SCHEMA}-{max_file_bytes}"
        self.ix: Any = None
        self.fresh = Fresh(self.version)
        self.entries: catalog.Entries = catalog.Entries(all_changed=True)
        self._entries_loaded = index_dir is None
        self._walk_problems: list[Problem] = []
        self._write_lock = threading.RLock()
        self._xref: XrefStore | None = None
        self._search_half: Searching | None = None
        self._storage: Any = None
        self._delta: tuple[Walk, Fresh, catalog.Diff] | None = None
        """The walk and diff of the freshness check, reused by the update that follows."""
        self._stamps: dict[str, tuple[int, int, int] | None] = {}
        """Side file -> its stamp when this process last read or wrote it."""

    @classmethod
    def open(cls, cases_dir: Path, index_dir: Path | None, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
             *, parallel_from: int | None = None, workers: int | None = None) -> Archive:
        """The archive of `cases_dir`; does not refresh (and writes nothing until it does)."""
        archive = cls(cases_dir, index_dir, max_file_bytes, parallel_from=parallel_from, workers=workers)
        if index_dir is not None:
            index_folder.check(index_dir, archive.cases_dir)
        else:
            from casefile.core import index

            archive._storage = index.open_storage(None)
            archive.ix = index.create(archive._storage)
        return archive

    # Freshness

    def refresh(self, progress: Callable[[int, int], None] | None = None, *, rebuild: bool = False,
                wait: float = LOCK_WAIT, paths: Sequence[str] | None = None) -> RefreshReport:
        """Bring the index and cross-reference up to date with the folder.

        With `paths` (relative), only those files are looked at, the others taken as the
        manifest has them: for a caller that knows what changed (the reader after `$EDITOR`).
        """
        started = time.perf_counter()
        found = walk(self.cases_dir) if paths is None or rebuild else None  # a walk needs no lock
        with self._write_lock:
            if found is None:
                known = self._known_files()
                found = (restat(self.cases_dir, known, paths or (), self._walk_problems) if known else None) \
                    or walk(self.cases_dir)
            self._walk_problems = found.problems
            if not rebuild and self._is_fresh(found):
                if self._attachments_changed(found):
                    self._take_attachments(found.attachments or [], wait)
                return self._report((0, 0, 0), len(found.stamps), started)
            if self.index_dir is not None:
                index_folder.claim(self.index_dir, self.cases_dir)
            lock = FolderLock(self.index_dir)
            if not lock.acquire(wait):
                return self._report((0, 0, 0), len(found.stamps), started, _(BUSY))
            try:
                counts = self._update(found, rebuild, progress)
            except BaseException:
                self._stamps.clear()  # what is in memory may differ from the side files now
                raise
            finally:
                lock.release()
        return self._report(counts, len(found.stamps), started)

    def _attachments_changed(self, found: Walk) -> bool:
        """True when the walk saw other files (images, PDFs...) than the cross-reference has."""
        if found.attachments is None:
            return False
        if self._xref is not None or self.index_dir is None:
            return tuple(found.attachments) != self.xref.attachments()
        try:
            saved: object = marshal.loads((self.index_dir / ATTACHMENTS_FILE).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            saved = []
        return saved != found.attachments

    def _take_attachments(self, attachments: list[str], wait: float) -> None:
        """Give the cross-reference the folder's other files (links to them may now resolve)."""
        lock = FolderLock(self.index_dir)
        if not lock.acquire(wait):
            return
        try:
            if self.xref.set_attachments(attachments) and self.index_dir is not None:
                self.xref.save(self.index_dir)
        finally:
            lock.release()

    def _known_files(self) -> dict[str, tuple[int, int]] | None:
        """The manifest's files, when there is a manifest of a built index."""
        fresh = self._load_fresh() if self.index_dir is not None else self.fresh
        if fresh is None or not fresh.index_files:
            return None
        self.fresh = fresh  # adopted with its stamp, so a later save never writes an older one
        return fresh.files

    def _report(self, counts: tuple[int, int, int], total: int, started: float,
                notice: str | None = None) -> RefreshReport:
        """A RefreshReport with the index's current counts."""
        kinds = self.fresh.counts
        return RefreshReport(*counts, total, time.perf_counter() - started, notice,
                             kinds.get("case", 0), kinds.get("entity", 0))

    def _is_fresh(self, found: Walk) -> bool:
        """True when nothing changed since the last refresh (no Whoosh import)."""
        if self.index_dir is not None:
            fresh = self._load_fresh()
            if fresh is None or not catalog.intact(self.index_dir, fresh.index_files):
                return False
            self.fresh = fresh
        elif not self.fresh.index_files:
            return False
        if found.stamps == self.fresh.files:  # one comparison in C; the diff only when needed
            self._delta = None
            return not self._xref_missing()
        self._delta = (found, self.fresh, catalog.diff_stamps(found.stamps, self.fresh.files, found.only))
        return not self._delta[2] and not self._xref_missing()

    def _cached(self, name: str) -> bool:
        """True when a side file is as this process last read or wrote it."""
        now = catalog.stamp(self.index_dir, name)
        return now is not None and now == self._stamps.get(name)

    def _load_fresh(self) -> Fresh | None:
        """The manifest; the one in memory when the file is as this process left it."""
        if self._cached(catalog.FRESH):
            return self.fresh
        before = catalog.stamp(self.index_dir, catalog.FRESH)
        fresh = catalog.load_fresh(self.index_dir, self.version)
        self._stamps[catalog.FRESH] = before if fresh is not None else None
        return fresh

    def _load_entries(self) -> catalog.Entries | None:
        """The catalog; the one in memory when the file is as this process left it."""
        if self._entries_loaded and self._cached(catalog.CATALOG):
            return self.entries
        before = catalog.stamp(self.index_dir, catalog.CATALOG)
        entries = catalog.load_catalog(self.index_dir)
        self._stamps[catalog.CATALOG] = before if entries is not None else None
        return entries

    def _xref_missing(self) -> bool:
        """True when the cross-reference store must be built (its file checked without
        importing it: xref_store's imports cost more than the whole no-change check)."""
        if self._xref is None and self.index_dir is not None:
            return not (self.index_dir / XREF_FILE).is_file()
        return self.xref.needs_rebuild

    def _update(self, found: Walk, rebuild: bool,
                progress: Callable[[int, int], None] | None) -> tuple[int, int, int]:
        """Re-index what changed (the folder lock is held)."""
        from casefile.core.updater import Plan, Update, ripple, sniff_all

        rebuild = rebuild or not self._open_for_update()
        if rebuild:
            self._reset()
            if found.only is not None:  # the manifest was not to be trusted after all
                found = walk(self.cases_dir)
        checked = self._delta
        same = not rebuild and checked and checked[0] is found and checked[1] is self.fresh
        delta = checked[2] if checked and same else catalog.diff_stamps(found.stamps, self.fresh.files, found.only)
        read = delta.added + delta.changed
        sniffed = sniff_all(self.cases_dir, read, self.max_file_bytes, self.parallel_from, self.workers)
        aliases, extra = ripple(self.entries, sniffed, delta.removed)
        read += [FileStat(path, *found.stamps[path]) for path in extra if path in found.stamps]
        if found.attachments is not None:
            self.xref.set_attachments(found.attachments)
        plan = Plan(read, {s.path for s in delta.changed}, delta.removed, rebuild)
        outcome = Update(self, progress).run(plan, aliases)
        if self.xref.needs_rebuild:
            self._xref_everything(found.files)
        return outcome.added, outcome.changed, outcome.removed

    def _open_for_update(self) -> bool:
        """Load manifest, catalog and index for an incremental update; False means rebuild."""
        from casefile.core import index

        if self.index_dir is None:
            return bool(self.fresh.index_files)
        catalog.make_private_dir(self.index_dir)
        known = self.ix is not None and self._cached(catalog.FRESH) and self._cached(catalog.CATALOG)
        fresh, entries = self._load_fresh(), self._load_entries()
        if fresh is None or entries is None or not catalog.intact(self.index_dir, fresh.index_files):
            return False
        self._storage = self._storage or index.open_storage(self.index_dir)
        try:
            self.ix = self.ix if known else index.open_index(self._storage)
        except index.OPEN_ERRORS:
            return False
        self.fresh, self.entries, self._entries_loaded = fresh, entries, True
        return True

    def _reset(self) -> None:
        """Start a new, empty index (the old files are removed)."""
        from casefile.core import index

        self._close_searcher()
        self._stamps.clear()
        if self.index_dir is not None:
            self._wipe(self.index_dir)
            self._storage = index.open_storage(self.index_dir)
            with catalog.private_umask():
                self.ix = index.create(self._storage)
        else:
            self.ix = index.create(self._storage)
        self.fresh, self.entries, self._entries_loaded = Fresh(self.version), catalog.Entries(all_changed=True), True
        self.xref.clear()

    @staticmethod
    def _wipe(directory: Path) -> None:
        """Remove the files casefile wrote in the index folder (not the held lock file)."""
        index_folder.remove_own_files(directory, keep=frozenset({catalog.LOCK}))

    def after_stage(self, cases: list[Case], removed: Sequence[str]) -> None:
        """After each commit: cross-reference, then side files, so a crash loses nothing."""
        self.xref.update(cases, removed, self._read_body)
        self.fresh.counts = catalog.kind_counts(self.entries)
        if self.index_dir is None:
            self.fresh.index_files = {"memory": 1}
            return
        catalog.tighten(self.index_dir)
        self.fresh.index_files = catalog.index_files(self.index_dir)
        catalog.save_catalog(self.index_dir, self.entries)
        self.xref.save(self.index_dir)
        catalog.save_fresh(self.index_dir, self.fresh)
        for name in (catalog.CATALOG, catalog.FRESH):
            self._stamps[name] = catalog.stamp(self.index_dir, name)

    def _xref_everything(self, files: list[FileStat]) -> None:
        """Give a new cross-reference store every file once (its store was missing)."""
        self.xref.clear()
        cases = [case for stat in files if (case := read_case(self.cases_dir, stat, self.max_file_bytes)[0])]
        self.after_stage(cases, [])

    # Reading

    def search(self, query: str, *, limit: int | None = 50, sort: str = "relevance") -> SearchResult:
        """Search the last committed index; a damaged index is rebuilt and searched again."""
        return self._searching.search(query, limit, sort)

    def case(self, key: str) -> Case | None:
        """The case or entity page with this id (or relative path), read from disk now."""
        path = self._path_of(key)
        if path is None:
            return None
        try:
            info = os.stat(self.cases_dir / path)
        except OSError:
            return None
        return read_case(self.cases_dir, FileStat(path, info.st_size, info.st_mtime_ns), self.max_file_bytes)[0]

    def _path_of(self, key: str) -> str | None:
        """Resolve an id (case-insensitive) or a relative path to a path in the folder."""
        paths = self.paths_of(key)
        return paths[0] if paths else None

    def paths_of(self, key: str) -> list[str]:
        """Every file `key` names, by path: one for a path, several for a duplicate id."""
        return lookup.paths_for(self._catalog(), self.cases_dir, key)

    def _catalog(self) -> dict[str, Entry]:
        """The per-file catalog, read from disk on first use."""
        if not self._entries_loaded and self.index_dir is not None:
            self.entries = self._load_entries() or catalog.Entries(all_changed=True)
            self._entries_loaded = True
        return self.entries

    def _read_body(self, path: str) -> str | None:
        """The body of an unchanged file (for the cross-reference), or None."""
        case = self.case(path)
        return case.body if case is not None else None

    def problems(self) -> list[Problem]:
        """Every problem: per file, duplicate ids, the cross-reference's; by path and line."""
        entries = dict(self._catalog())  # one C call: a refresh thread may be adding entries
        found = [p for entry in entries.values() for p in entry.problems] + list(self._walk_problems)
        found += catalog.duplicate_ids({p: e for p, e in entries.items() if e.kind != "skipped"})
        found += self.xref.dangling_problems()  # from a side file: none of the cross-reference's records
        return sorted(found, key=lambda p: (p.path, p.line or 0, p.code))

    def problem_count(self) -> int:
        """How many problems `problems()` lists (the catalog and a small side file are read)."""
        return len(self.problems())

    def dangling_targets(self, path: str) -> frozenset[str]:
        """Link targets in the file at `path` that resolve to nothing (without the records)."""
        return frozenset(target for where, _line, target, chosen in self.xref.dangling()
                         if where == path and chosen is None)

    @property
    def xref(self) -> XrefStore:
        """The cross-reference, kept beside the index."""
        if self._xref is None:
            from casefile.core.xref_store import XrefStore

            self._xref = XrefStore.load(self.index_dir)
        return self._xref

    def raise_unreadable(self) -> None:
        """Report an index that stays unreadable after a rebuild."""
        raise CasefileError(_("the search index in {folder} cannot be read; remove it and retry").format(
            folder=self.index_dir))

    def close(self) -> None:
        """Release the searcher and its files."""
        self._close_searcher()

    @property
    def _searching(self) -> Searching:
        """The search half, imported on first use (the no-change check never searches)."""
        if self._search_half is None:
            from casefile.core.search import Searching

            self._search_half = Searching(self)
        return self._search_half

    def _close_searcher(self) -> None:
        """Close the searcher if there is one."""
        if self._search_half is not None:
            self._search_half.close()
