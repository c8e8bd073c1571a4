"""The cross-reference kept beside the search index, brought up to date file by file.

The store keeps one compact record per file (links and unlinked mentions with their
line and context; no body), a count of every known name, and a word index to find the
files a new name may appear in. `load` only notes where the store lives: it is read
on first use, so a command that finds nothing changed never pays for it. Everything
else (entities, reverse maps) is computed from the records when first asked.

Owner: `Archive` loads the store with the index, calls `update` with the files each
refresh read, and `save`s it. When `needs_rebuild` is true (no valid store was found),
the caller must `clear()` it and pass every file once, as for a new index.

Beside the header, `save` writes the dangling links (the cross-reference's problems) to a
small side file, so the reader's problem count and list need none of the records.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Sequence
from pathlib import Path

from casefile.core.xref import store_counts
from casefile.core.xref.dangling import dangling_links
from casefile.core.xref.duplicates import possible_duplicates
from casefile.core.xref.files import FORMAT, SHARDS, Shards, write_atomic
from casefile.core.xref.mentions import name_key
from casefile.core.xref.model import (
    CaseXref,
    DanglingName,
    DuplicateSuggestion,
    EntitySummary,
    EntityXref,
    Graph,
    Resolution,
)
from casefile.core.xref.partial import MetaTable
from casefile.core.xref.query import case_xref, dangling_names, entity_xref, graph, namesakes, summaries
from casefile.core.xref.registry import Xref
from casefile.core.xref.store_counts import Tally
from casefile.core.xref.store_dangling import PROBLEMS_FILE
from casefile.core.xref.store_state import ATTACHMENTS_FILE, FILE_NAME, stamp
from casefile.core.xref.store_update import Updating
from casefile.core.xref.words import WordIndex

EAGER_DANGLING = 1000
"""From this many files a save finds the dangling links at once; an edit changing no name
keeps the saved list; other small updates leave it for `dangling()` to find when asked."""
__all__ = ["ATTACHMENTS_FILE", "FILE_NAME", "PROBLEMS_FILE", "XrefStore"]


class XrefStore(Updating):
    """The cross-reference of one case folder, persisted and updated incrementally."""

    @classmethod
    def load(cls, directory: Path | None) -> XrefStore:
        """The store kept in `directory`; read lazily; None, missing or corrupt -> empty."""
        return cls(directory)

    def save(self, directory: Path) -> None:
        """Write what changed to `directory`: changed shards, then the header; owner-only."""
        with self._lock:
            self._save(directory)

    def _save(self, directory: Path) -> None:
        """Write what changed to `directory`: changed shards, then the header; owner-only."""
        if not self._loaded and directory == self._directory:
            return  # never read, so never changed
        self._ensure_loaded()
        if self.needs_rebuild:
            (directory / FILE_NAME).unlink(missing_ok=True)
            return
        if not self._dirty and directory == self._directory and (directory / FILE_NAME).is_file():
            return
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(directory, 0o700)
        if self._words.must_write(directory):
            self._words.write(directory)
        old = (*self._stamp, self._generation) if self._stamp is not None and directory == self._directory else None
        self._generation += 1
        self._shards.write(directory, self._generation)
        self._write_header(directory)
        if self._files_changed or not (directory / ATTACHMENTS_FILE).is_file():
            write_atomic(directory / ATTACHMENTS_FILE, marshal.dumps(list(self.attachments())))
        self._directory, self._dirty, self._stamp = directory, False, stamp(directory / FILE_NAME)
        self._words.directory, self._words.changed = directory, False
        self._save_list(directory)
        self._patch_view(directory, old)
        self._view_of_computed()

    def _write_header(self, directory: Path) -> None:
        """The header: shards present, and the name counts changed since their base (a new
        base first when there is none in `directory`, or too much changed)."""
        if directory != self._directory:
            self._counts_base, self._dangling_base = None, None  # a new place: new bases there
        self._counts_base = store_counts.header_fields(directory, self._names, self._mentioned,
                                                       self._counts_base, self._generation)
        header = {"format": FORMAT, "gen": self._generation, "shards": self._shards.count,
                  "present": sorted(self._shards.present),
                  "counts": self._counts_base, "names_recent": store_counts.recent(self._names),
                  "mentioned_recent": store_counts.recent(self._mentioned), "pending_count": self._pending_count}
        write_atomic(directory / FILE_NAME, marshal.dumps(header))

    def _save_list(self, directory: Path) -> None:
        """The dangling links' side file: carried through the updates, or found again when
        the update was big or there was no list to keep fresh; else left stale, for
        `dangling()` to find when asked."""
        found, paths = self._dangling_next, self._dangling_paths
        self._dangling_next, self._dangling_paths = None, set()
        paths_known: set[str] | None = paths
        if found is None and (self._unsaved >= EAGER_DANGLING or not self._list_known or self._files_changed):
            found, paths_known = dangling_links(self._skeletons, self.attachments()), None
        self._unsaved, self._files_changed = 0, False
        if found is not None:
            self._save_dangling(directory, found, paths=paths_known)

    def set_attachments(self, paths: Sequence[str]) -> bool:
        """Take the folder's other files as a walk found them; True when they changed."""
        with self._lock:
            if tuple(paths) == self.attachments():
                return False
            self._follow_disk()
            self._ensure_loaded()
            self._attachments, self._files_changed, self._view_olds = tuple(paths), True, None
            self._xref, self._dirty, self._dangling_next, self._dangling_paths = None, True, None, set()
            self._unsaved += 1
            return True

    def clear(self) -> None:
        """Forget every file: the caller is about to pass them all (a rebuild)."""
        self._loaded, self._xref, self._pending_count = True, None, 0
        self._names, self._mentioned, self._counts_base = Tally(), Tally(), None
        every = set(range(max(SHARDS, self._shards.count)))  # old shard files are replaced or removed
        self._shards = Shards(self._directory, self._generation)  # with today's count of shards
        self._shards.dirty_records, self._shards.dirty_pending = every, set(every)
        self._words = WordIndex(None, runs_dir=self._directory)  # a new map: sorted runs on disk
        self._words.changed = True
        self._dirty, self._rebuild, self._view_olds = True, False, None

    def computed(self) -> Xref:
        """The whole computed cross-reference, to read only (for the exporters)."""
        return self._index()

    def resolve(self, target: str, from_path: str = "") -> Resolution:
        """What a link target or name refers to: a case, an entity, or nothing (dangling);
        of same-named files, the one nearest `from_path` (the linking file)."""
        return self._answer(lambda xref: xref.resolve(target, from_path))

    def entity(self, name: str) -> EntityXref | None:
        """The entity named `name` (or one of its aliases), accent- and case-insensitive, or the
        entity of the page at path `name`."""
        return self._answer(lambda xref: _entity(xref, name))

    def case(self, case_id: str) -> CaseXref | None:
        """The case (or entity page) with this id, or this relative path."""
        return self._answer(lambda xref: _case(xref, case_id))

    def file_ids(self) -> dict[str, str]:
        """Path -> id of every note (from the view's table when there is one)."""
        return self._answer(_file_ids)

    def namesakes(self, name: str) -> list[str]:
        """The files `name` names equally (query.namesakes), by path."""
        return self._answer(lambda xref: namesakes(xref, name))

    def entities(self, type: str | None = None) -> list[EntitySummary]:
        """Every entity (or those of one type) with its case count, most cases first."""
        return summaries(self._index(), type)

    def link_paths(self, path: str) -> list[str | None]:
        """Where each link of the file at `path` leads (a relative path, or None), in order."""
        return self._index().link_paths(path)

    def dangling_names(self) -> list[DanglingName]:
        """Names links use that resolve to nothing (not entities), most used first."""
        return dangling_names(self._index())

    def graph(self, min_weight: int = 1) -> Graph:
        """The co-occurrence network for `casefile graph`."""
        return graph(self._index(), min_weight)

    def duplicates(self) -> list[DuplicateSuggestion]:
        """Entities whose names look like one (suggestions only)."""
        return possible_duplicates(self._index().entities.values())

    def known_names(self) -> list[str]:
        """Display names of all entities, for suggestions when a name is not found."""
        return [entity.name for entity in self._index().entities.values()]

    def __len__(self) -> int:
        """Number of files in the store."""
        self._ensure_loaded()
        return sum(1 for _record in self._shards.everything())


def _entity(xref: Xref, name: str) -> EntityXref | None:
    """The entity `name` names, from a whole or partial cross-reference."""
    key = xref.entity_key(name)
    if key is None:
        return None
    xref.load_key(key)
    return entity_xref(xref, key)


def _file_ids(xref: Xref) -> dict[str, str]:
    """Path -> id of every note, from a whole or partial cross-reference."""
    if isinstance(xref.records, MetaTable):
        return xref.records.ids()
    return {path: record.id for path, record in xref.records.items()}


def _case(xref: Xref, case_id: str) -> CaseXref | None:
    """The file with this id or path, from a whole or partial cross-reference."""
    path = xref.case_by_id.get(_id_key(case_id))
    if path is None and case_id in xref.records:
        path = case_id
    if path is None:
        return None
    xref.load_case(path)
    return case_xref(xref, path)


def _id_key(case_id: str) -> str:
    """Ids compare like names (case, accents and spaces ignored)."""
    return name_key(case_id)
