"""Merging the index's segments in the background after a big refresh.

A build leaves one segment per worker and stage, and every search pays per segment
(index/merge.py). After a refresh that indexed at least MERGE_FROM files, a thread
merges them into one, holding the folder lock (no other process writes meanwhile) and
the indexer's write lock (this process's refreshes wait: the Archive stops the merge
first, and starts it again after). Searches keep the last committed generation until
the merge commits, then the manifest is saved with the new index files. A merge still
running when the process exits is stopped and leaves the index as it was.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from typing import TYPE_CHECKING

from casefile.core.archive import manifest, sidefile
from casefile.core.archive.lock import FolderLock
from casefile.core.disk import tighten

if TYPE_CHECKING:
    from casefile.core.archive.indexer import Indexer

MERGE_FROM = 1000
"""Files indexed by one refresh from which its segments are merged afterwards."""


class Compaction:
    """The background merge of one indexer's index (on-disk indexes only)."""

    def __init__(self, indexer: Indexer) -> None:
        self.indexer = indexer
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.merged = 0
        """How many merges committed (for tests and benchmarks)."""

    def start(self) -> None:
        """Merge in a thread, unless one is running or the index lives in memory."""
        if self.indexer.index_dir is None or self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="casefile-merge", daemon=True)
        _RUNNING.add(self)
        self._thread.start()

    @property
    def running(self) -> bool:
        """True while a merge thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> bool:
        """Stop a running merge and wait for it (the index stays as it was); True if one ran."""
        was = self.running
        self._stop.set()
        self.wait()
        return was

    def wait(self) -> None:
        """Wait until the merge (if any) is done."""
        if self._thread is not None:
            self._thread.join()
        _RUNNING.discard(self)

    def _run(self) -> None:
        """Take the locks and merge, when the index is worth it."""
        lock = FolderLock(self.indexer.index_dir)
        if not lock.acquire(0):
            return  # another process is writing: it will leave its own segments
        try:
            with self.indexer.write_lock:
                self._merge()
        finally:
            lock.release()

    def _merge(self) -> None:
        """Merge and record the new index files in the manifest (both locks held)."""
        from casefile.core.index import merge, open_index  # Whoosh: only when there is work

        indexer, directory = self.indexer, self.indexer.index_dir
        assert directory is not None
        state = indexer.state
        fresh = state.load_fresh()  # another process may have refreshed since this one did
        if self._stop.is_set() or fresh is None or not sidefile.intact(directory, fresh.index_files) \
                or state.open_storage() is None:
            return  # a manifest that does not describe the index: the next refresh rebuilds it
        if not merge.worth_merging(ix := open_index(state.storage)) or \
                not merge.merge_segments(ix, self._stop.is_set):
            return
        tighten(directory)  # Whoosh made the new segment's files with the process's umask
        fresh.index_files = sidefile.index_files(directory)
        manifest.save_fresh(directory, fresh)
        state.fresh = fresh
        state.remember(manifest.FRESH, manifest.RECENT)
        self.merged += 1


_RUNNING: weakref.WeakSet[Compaction] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """At exit, stop every merge (a daemon thread killed mid-write would leave files)."""
    for compaction in list(_RUNNING):
        compaction.stop()
