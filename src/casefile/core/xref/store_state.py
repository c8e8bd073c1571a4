"""A cross-reference store's state and how it is read: lazily, header first, shards when needed.

`load` only notes where the store lives: the header is read on first use, so a command
that finds nothing changed never pays for it; shard files are read when a record is.
Another process may save the store meanwhile: `_follow_disk` starts again from disk.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from casefile.core.xref import store_counts
from casefile.core.xref.dangling import Dangling
from casefile.core.xref.files import FORMAT, HEADER, OLD_SHARDS, Shards, paused_gc, read_marshal
from casefile.core.xref.mentions import Matcher
from casefile.core.xref.partial import ViewBroken
from casefile.core.xref.record import Record
from casefile.core.xref.registry import Xref
from casefile.core.xref.store_counts import Tally
from casefile.core.xref.view import Token, View, header_of, write_view
from casefile.core.xref.view_patch import patch_view
from casefile.core.xref.words import WordIndex

T = TypeVar("T")
FILE_NAME = HEADER
ATTACHMENTS_FILE = f"xref-v{FORMAT}.attachments.marshal"
"""The folder's other files (images, PDFs...) as the last refresh saw them: what links may name."""


class StoreState:
    """What a store holds and reads; the other parts of XrefStore build on it."""

    def __init__(self, directory: Path | None = None) -> None:
        self._lock = threading.RLock()
        """Held by update, save and dangling (asked for by reader workers during refreshes)."""
        self._start(directory)

    def _start(self, directory: Path | None) -> None:
        """The state of a store not read yet."""
        self._directory = directory
        self._loaded = directory is None
        self._generation = 0
        self._names = Tally()
        """How many files name each mention key (list it, link it, or are its page)."""
        self._mentioned = Tally()
        """How many files hold a mention of each mention key."""
        self._counts_base: int | None = None
        """The generation of the counts' base on disk (None: a save writes one)."""
        self._pending_count = 0
        self._shards = Shards(None)
        self._words = WordIndex(directory)
        self._xref: Xref | None = None
        self._dirty = False
        self._rebuild = directory is not None and not (directory / FILE_NAME).is_file()
        self._stamp: tuple[int, int, int] | None = None
        """(inode, size, mtime) of the header as last read or written."""
        self._matcher: Matcher | None = None
        self._matched_keys: set[str] = set()
        """The names `_matcher` holds: kept between updates, changed by the difference."""
        self._matched_names: Tally | None = None
        """The counts `_matched_keys` follows (others after a load or a clear: built again)."""
        self._dangling: tuple[tuple[int, int, int], list[Dangling]] | None = None
        """The side file's (header stamp, dangling links), once read or written."""
        self._dangling_next: list[Dangling] | None = None
        """The list after the updates not saved yet, when they provably kept the rest as it was."""
        self._dangling_paths: set[str] = set()
        """The files whose rows those updates replaced."""
        self._dangling_base: int | None = None
        """The number of the side file's base on disk, when known."""
        self._dangling_since: set[str] = set()
        """The files whose rows changed since that base (saved beside it)."""
        self._unsaved = 0
        """Files updated since the last save."""
        self._list_known = False
        """Whether a saved list was there when the updates since the last save began."""
        self._attachments: tuple[str, ...] | None = None
        """The folder's other files (read from ATTACHMENTS_FILE on first use)."""
        self._files_changed = False
        self._view: View | None = None
        """The resolved view of the store as saved, once opened (view.py)."""
        self._view_olds: dict[str, Record] | None = {}
        """The records the view knows of the files updated since the last save, when every
        update changed no name (view_patch.py); None when the view must be computed again."""

    @property
    def needs_rebuild(self) -> bool:
        """True when no valid store was found: `clear()`, then pass every file to `update`.

        Until then the store is not saved. A damaged file is only noticed when first read;
        its file is then removed, so the next process sees `needs_rebuild` at once.
        """
        return self._rebuild or self._shards.broken

    def _ensure_loaded(self) -> None:
        """Read the header on first use (shards are read when needed)."""
        if self._loaded:
            return
        self._loaded = True
        assert self._directory is not None
        self._stamp = stamp(self._directory / FILE_NAME)  # before reading: a newer file shows later
        data = read_marshal(self._directory / FILE_NAME)
        try:
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a cross-reference store of this version")
            generation, present = int(data["gen"]), frozenset(data["present"])
            names, mentioned, base = store_counts.loaded(data, self._directory)
            pending_count, count = int(data["pending_count"]), int(data.get("shards", OLD_SHARDS))
        except (KeyError, TypeError, ValueError, AttributeError):
            self._rebuild = True
            return
        self._generation, self._names, self._mentioned = generation, names, mentioned
        self._counts_base = base
        self._pending_count = pending_count
        self._shards = Shards(self._directory, generation, present, count)

    def attachments(self) -> tuple[str, ...]:
        """The folder's other files as last given to `set_attachments` (or saved)."""
        if self._attachments is None:
            data = read_marshal(self._directory / ATTACHMENTS_FILE) if self._directory is not None else None
            self._attachments = tuple(data) if isinstance(data, list) else ()
        return self._attachments

    def _follow_disk(self) -> None:
        """Start again from disk when another process saved the store since we read it.

        Updates run under the archive's folder lock, so this keeps a long-lived process
        (the reader app) from writing stale name counts over a newer store.
        """
        if not self._loaded or self._dirty or self._directory is None or self._stamp is None:
            return
        if stamp(self._directory / FILE_NAME) != self._stamp:
            self._start(self._directory)

    def _index(self) -> Xref:
        """The computed cross-reference (cached until the next update)."""
        self._follow_disk()
        self._ensure_loaded()
        if self._xref is None:
            with paused_gc():
                self._xref = Xref(self._shards.everything(), self.attachments())
            self._keep_view(self._xref)
        return self._xref

    def _token(self) -> Token | None:
        """What names the store as saved, when what it holds is all saved (else None: no view)."""
        if self._dirty or self._directory is None or self._stamp is None or self.needs_rebuild:
            return None
        return (*self._stamp, self._generation)

    def _keep_view(self, xref: Xref) -> bool:
        """Write the view of a whole cross-reference just computed for the store as saved;
        True when that view is on disk (written now or before; only its header is read)."""
        token = self._token()
        if token is None or self._directory is None:
            return False
        if (self._view is not None and self._view.token == token) or header_of(self._directory, token) is not None:
            return True
        try:
            write_view(self._directory, xref, token)
        except OSError:
            return False  # a read-only or full disk: answers stay whole, only slower
        return True

    def _view_of_computed(self) -> None:
        """After a save: a whole cross-reference computed since the last update (while the store
        was dirty, so no view could be written) is the saved store's. Its view is written and it
        is let go: answers come from the view from now on. Else the reader, whose pane asked
        during its first build, held the whole (~500 MB at 50,000 files) for its session."""
        if self._xref is not None and self._keep_view(self._xref):
            self._xref = None

    def _patch_view(self, directory: Path, old: Token | None) -> None:
        """After a save: the view of the store before it, patched with the files updated
        since, when no update changed a name (else it is written at the next whole computation)."""
        changes, self._view_olds = self._view_olds, {}
        token = self._token()
        if old is None or token is None or not changes:
            return
        try:
            view = self._view if self._view is not None and self._view.token == old else View.open(directory, old)
            if view is not None:
                self._view = patch_view(view, token, [(was, now) for path, was in sorted(changes.items())
                                                      if (now := self._shards.get(path)) is not None])
        except (OSError, ViewBroken):
            self._view = None  # the next whole computation writes it

    def _answer(self, ask: Callable[[Xref], T]) -> T:
        """`ask` answered from the view (name tables and a few shards) when there is one for
        the store as saved, else from the whole cross-reference."""
        self._follow_disk()
        self._ensure_loaded()
        token = self._token() if self._xref is None else None
        if token is not None and self._directory is not None:
            if self._view is None or self._view.token != token:
                self._view = View.open(self._directory, token)
            if self._view is not None:
                try:
                    return ask(self._view.partial())
                except ViewBroken:  # a shard of another save, or damaged: computed whole and written again
                    self._view.discard()
                    self._view = None
        return ask(self._index())


def stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from another, or None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)
