"""The writing half of an archive: walk -> diff -> plan -> stages -> commit.

`refresh()` compares the folder with a small manifest (size and mtime; the hash confirms)
and re-indexes only what changed; when nothing did it returns in milliseconds without
importing Whoosh. One process writes at a time (a flock on the index folder, which a
killed process never leaves held). The Indexer owns the manifest, the catalog and the
worker pool (updater.py and parallel.py run the stages); it never searches.
"""

from __future__ import annotations

import marshal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.core.archive import catalog, catalog_files, index_folder, manifest, sidefile
from casefile.core.archive.committed import CATALOG, MANIFEST, Committed
from casefile.core.archive.lock import LOCK, FolderLock
from casefile.core.archive.manifest import Fresh
from casefile.core.disk import make_private_dir, private_umask, tighten
from casefile.core.engine import IndexFiles
from casefile.core.read.folder import FileStat, Walk, restat, walk
from casefile.core.wording import N_, _

if TYPE_CHECKING:
    from casefile.core.xref.intake import Intake
    from casefile.core.xref.store import XrefStore

LOCK_WAIT = 2.0
ATTACHMENTS_FILE = "xref-v5.attachments.marshal"
"""casefile.core.xref.store.ATTACHMENTS_FILE (read here without importing the store)."""
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


class Indexer:
    """Keeps one index and its side files up to date with the case folder."""

    def __init__(self, cases_dir: Path, committed: Committed, max_file_bytes: int, *,
                 parallel_from: int | None = None, workers: int | None = None,
                 on_reset: Callable[[], None] = lambda: None) -> None:
        self.cases_dir = cases_dir
        self.state = committed
        self.index_dir = committed.index_dir
        self.max_file_bytes = max_file_bytes
        self.parallel_from = parallel_from
        """Files in a stage from which worker processes index it; None: updater.PARALLEL_FROM."""
        self.workers = workers
        """How many worker processes; None: one per core, at most updater.MAX_WORKERS."""
        self.on_reset = on_reset
        """Called before the index files are replaced (the Reader closes its searcher)."""
        self.ix: IndexFiles | None = None
        self._write_lock = threading.RLock()
        self._delta: tuple[Walk, Fresh, manifest.Diff] | None = None
        """The walk and diff of the freshness check, reused by the update that follows."""

    @property
    def write_lock(self) -> threading.RLock:
        """Held while this process changes the index (a refresh, a merge of segments)."""
        return self._write_lock

    @property
    def fresh(self) -> Fresh:
        """The manifest as this process knows it."""
        return self.state.fresh

    @property
    def entries(self) -> catalog.Entries:
        """The catalog as this process knows it."""
        return self.state.entries

    @property
    def xref(self) -> XrefStore:
        """The cross-reference this indexer keeps up to date."""
        return self.state.xref

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
                found = (restat(self.cases_dir, known, paths or (), self.state.walk_problems) if known else None) \
                    or walk(self.cases_dir)
            self.state.walk_problems = found.problems
            if not rebuild and self._is_fresh(found):
                if self._attachments_changed(found):
                    self._take_attachments(found.attachments or [], wait)
                return self._report((0, 0, 0), len(found.stamps), started)
            return self._locked_update(found, rebuild, progress, wait, started)

    def _locked_update(self, found: Walk, rebuild: bool, progress: Callable[[int, int], None] | None,
                       wait: float, started: float) -> RefreshReport:
        """Take the folder lock and update; a busy index is reported, not waited for."""
        if self.index_dir is not None:
            index_folder.claim(self.index_dir, self.cases_dir)
        lock = FolderLock(self.index_dir)
        if not lock.acquire(wait):
            return self._report((0, 0, 0), len(found.stamps), started, _(BUSY))
        try:
            counts = self._update(found, rebuild, progress)
        except BaseException:
            self.state.forget()
            raise
        finally:
            lock.release()
        return self._report(counts, len(found.stamps), started)

    def _attachments_changed(self, found: Walk) -> bool:
        """True when the walk saw other files (images, PDFs...) than the cross-reference has."""
        if found.attachments is None:
            return False
        if self.state.xref_loaded or self.index_dir is None:
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
        fresh = self.state.load_fresh() if self.index_dir is not None else self.fresh
        if fresh is None or not fresh.index_files:
            return None
        self.state.fresh = fresh  # adopted with its stamp, so a later save never writes an older one
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
            fresh = self.state.load_fresh()
            if fresh is None or not sidefile.intact(self.index_dir, fresh.index_files):
                return False
            self.state.fresh = fresh
        elif not self.fresh.index_files:
            return False
        if found.stamps == self.fresh.files:  # one comparison in C; the diff only when needed
            self._delta = None
            return not self.state.xref_missing()
        self._delta = (found, self.fresh, manifest.diff_stamps(found.stamps, self.fresh.files, found.only))
        return not self._delta[2] and not self.state.xref_missing()

    def _update(self, found: Walk, rebuild: bool,
                progress: Callable[[int, int], None] | None) -> tuple[int, int, int]:
        """Re-index what changed (the folder lock is held)."""
        from casefile.core.archive import staging  # the updater it runs brings Whoosh: not for a no-change check

        rebuild = rebuild or not self._open_for_update()
        if rebuild:
            self._reset()
            if found.only is not None:  # the manifest was not to be trusted after all
                found = walk(self.cases_dir)
        checked = self._delta
        same = not rebuild and checked and checked[0] is found and checked[1] is self.fresh
        delta = checked[2] if checked and same else manifest.diff_stamps(found.stamps, self.fresh.files, found.only)
        if found.attachments is not None:
            self.xref.set_attachments(found.attachments)
        outcome = staging.index(self, found, delta, rebuild, progress)
        if self.xref.needs_rebuild:
            self._xref_everything(found.files)
        return outcome.added, outcome.changed, outcome.removed

    def _open_for_update(self) -> bool:
        """Load manifest, catalog and index for an incremental update; False means rebuild."""
        from casefile.core import index  # Whoosh: only when something is written

        if self.index_dir is None:
            return bool(self.fresh.index_files)
        make_private_dir(self.index_dir)
        known = self.ix is not None and self.state.cached(*MANIFEST, *CATALOG)
        fresh, entries = self.state.load_fresh(), self.state.load_entries()
        if fresh is None or entries is None or not sidefile.intact(self.index_dir, fresh.index_files):
            return False
        storage = self.state.open_storage()
        try:
            self.ix = self.ix if known else index.open_index(storage)
        except index.OPEN_ERRORS:
            return False
        self.state.fresh, self.state.entries, self.state.entries_loaded = fresh, entries, True
        return True

    def _reset(self) -> None:
        """Start a new, empty index (the old files are removed)."""
        from casefile.core import index

        self.on_reset()
        self.state.forget()
        if self.index_dir is not None:
            index_folder.remove_own_files(self.index_dir, keep=frozenset({LOCK}))  # not the held lock
            self.state.storage = index.open_storage(self.index_dir)
            with private_umask():
                self.ix = index.create(self.state.storage)
        else:
            self.ix = index.create(self.state.storage)
        self.state.fresh, self.state.entries = Fresh(self.state.version), catalog.Entries(all_changed=True)
        self.state.entries_loaded = True
        self.xref.clear()

    def after_stage(self, intake: Intake | None, removed: Sequence[str]) -> None:
        """After each commit: cross-reference, then side files, so a crash loses nothing."""
        if intake is not None:
            self.xref.take(intake, removed, self.read_body)
        self.fresh.counts = catalog.kind_counts(self.entries)
        if self.index_dir is None:
            self.fresh.index_files = {"memory": 1}
            return
        tighten(self.index_dir)
        self.fresh.index_files = sidefile.index_files(self.index_dir)
        catalog_files.save_catalog(self.index_dir, self.entries)
        self.xref.save(self.index_dir)
        manifest.save_fresh(self.index_dir, self.fresh)
        self.state.remember(*CATALOG, *MANIFEST)
        from casefile.core.spill import give_back

        give_back()  # what the stage and the saves built and let go

    def _xref_everything(self, files: list[FileStat]) -> None:
        """Give a new cross-reference store every file once (its store was missing)."""
        from casefile.core.read.library import read_case  # the parser: never for a no-change check
        from casefile.core.xref.intake import Intake  # with the store, only when something is written

        self.xref.clear()
        intake = Intake(self.index_dir)
        try:
            for stat in files:
                if case := read_case(self.cases_dir, stat, self.max_file_bytes)[0]:
                    intake.add_case(case)
            self.after_stage(intake, [])
        finally:
            intake.close()

    def read_body(self, path: str) -> str | None:
        """The body of an unchanged file as it is on disk now (for the cross-reference), or None."""
        from casefile.core.read.library import read_case_at

        case = read_case_at(self.cases_dir, path, self.max_file_bytes)
        return case.body if case is not None else None
