"""What the index folder holds as last committed, as this process knows it: the manifest,
the catalog, the cross-reference, and the index storage both the Indexer and the Reader open.

Side files are read again only when their stamp (inode, size, mtime) differs from when
this process last read or wrote them. With no index folder everything lives in memory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.core.archive import catalog, catalog_files, manifest, sidefile
from casefile.core.archive.manifest import Fresh
from casefile.core.engine import Storage
from casefile.core.model import Problem

if TYPE_CHECKING:
    from casefile.core.xref.store import XrefStore

XREF_FILE = "xref-v5.marshal"
"""casefile.core.xref.store.FILE_NAME (a test keeps the two equal)."""
MANIFEST = (manifest.FRESH, manifest.RECENT)
"""The manifest's files: it is as this process knows it when both are."""
CATALOG = (catalog_files.CATALOG, catalog_files.RECENT)
"""The catalog's header and recent changes (a new base of shards comes with a new header)."""


class Committed:
    """The committed state of one index (on disk, or in memory with `index_dir=None`)."""

    def __init__(self, index_dir: Path | None, version: str) -> None:
        self.index_dir = index_dir
        self.version = version
        self.fresh = Fresh(version)
        self.entries: catalog.Entries = catalog.Entries(all_changed=True)
        self.entries_loaded = index_dir is None
        self.walk_problems: list[Problem] = []
        """What the last walk of the folder refused (set by the Indexer)."""
        self.storage: Storage | None = None
        """The index's storage, opened once and shared (the only copy of an in-memory index)."""
        self._xref: XrefStore | None = None
        self._stamps: dict[str, tuple[int, int, int] | None] = {}

    def open_storage(self) -> Storage | None:
        """The storage of the index (opened on first use; None when nothing is built yet)."""
        if self.storage is None:
            if self.index_dir is None or not self.index_dir.is_dir():
                return None
            from casefile.core import index  # Whoosh: only when a search or a write needs it

            self.storage = index.open_storage(self.index_dir)
        return self.storage

    def cached(self, *names: str) -> bool:
        """True when the side files are as this process last read or wrote them."""
        return all((now := sidefile.stamp(self.index_dir, name)) is not None and now == self._stamps.get(name)
                   for name in names)

    def remember(self, *names: str) -> None:
        """Note the side files' stamps just after this process wrote them."""
        for name in names:
            self._stamps[name] = sidefile.stamp(self.index_dir, name)

    def _note(self, names: tuple[str, ...], before: list[tuple[int, int, int] | None], read: bool) -> None:
        """Note the stamps the side files had before they were read (none when unreadable)."""
        for name, stamp in zip(names, before):
            self._stamps[name] = stamp if read else None

    def forget(self) -> None:
        """Forget every stamp: what is in memory may differ from the side files now."""
        self._stamps.clear()

    def load_fresh(self) -> Fresh | None:
        """The manifest; the one in memory when the file is as this process left it."""
        if self.cached(*MANIFEST):
            return self.fresh
        before = [sidefile.stamp(self.index_dir, name) for name in MANIFEST]
        fresh = manifest.load_fresh(self.index_dir, self.version)
        self._note(MANIFEST, before, fresh is not None)
        return fresh

    def load_entries(self) -> catalog.Entries | None:
        """The catalog; the one in memory when the file is as this process left it."""
        if self.entries_loaded and self.cached(*CATALOG):
            return self.entries
        before = [sidefile.stamp(self.index_dir, name) for name in CATALOG]
        entries = catalog_files.load_catalog(self.index_dir)
        self._note(CATALOG, before, entries is not None)
        return entries

    def catalog(self) -> catalog.Entries:
        """The per-file catalog, read from disk on first use."""
        if not self.entries_loaded and self.index_dir is not None:
            self.entries = self.load_entries() or catalog.Entries(all_changed=True)
            self.entries_loaded = True
        return self.entries

    @property
    def xref(self) -> XrefStore:
        """The cross-reference, kept beside the index (loaded on first use)."""
        if self._xref is None:
            from casefile.core.xref.store import XrefStore  # its imports cost more than a no-change check

            self._xref = XrefStore.load(self.index_dir)
        return self._xref

    @property
    def xref_loaded(self) -> bool:
        """True once the cross-reference is in memory."""
        return self._xref is not None

    def xref_missing(self) -> bool:
        """True when the cross-reference store must be built (its file checked without loading it)."""
        if self._xref is None and self.index_dir is not None:
            return not os.path.isfile(self.index_dir / XREF_FILE)
        return self.xref.needs_rebuild
