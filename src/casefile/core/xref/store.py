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
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from casefile.core.model import Case, Problem
from casefile.core.xref import words as xref_words
from casefile.core.xref.dangling import (
    Dangling,
    Skeleton,
    carried,
    dangling_links,
    read_saved,
    row_problem,
    shard_skeletons,
    write_saved,
)
from casefile.core.xref.duplicates import possible_duplicates
from casefile.core.xref.files import FORMAT, HEADER, SHARDS, Shards, paused_gc, read_marshal, write_atomic
from casefile.core.xref.intake import Intake
from casefile.core.xref.mentions import Matcher, name_key
from casefile.core.xref.model import (
    CaseXref,
    DanglingName,
    DuplicateSuggestion,
    EntitySummary,
    EntityXref,
    Graph,
    Resolution,
)
from casefile.core.xref.query import case_xref, dangling_names, entity_xref, graph, summaries
from casefile.core.xref.record import Prepared, Record, rescan, scanned, scanned_prepared
from casefile.core.xref.registry import Xref
from casefile.core.xref.words import FILE_NAME as WORDS_FILE
from casefile.core.xref.words import WordIndex

FILE_NAME = HEADER
EAGER_DANGLING = 1000
"""From this many files a save finds the dangling links at once; an edit changing no name
keeps the saved list; other small updates leave it for `dangling()` to find when asked."""
PROBLEMS_FILE = f"xref-v{FORMAT}.dangling.marshal"
"""Dangling links as of one version of the header (its stamp, inode, size and mtime, is kept in it)."""
ATTACHMENTS_FILE = f"xref-v{FORMAT}.attachments.marshal"
"""The folder's other files (images, PDFs...) as the last refresh saw them: what links may name."""


class XrefStore:
    """The cross-reference of one case folder, persisted and updated incrementally."""

    def __init__(self, directory: Path | None = None) -> None:
        self._lock = threading.RLock()
        """Held by update, save and dangling (asked for by reader workers during refreshes)."""
        self._start(directory)

    def _start(self, directory: Path | None) -> None:
        """The state of a store not read yet."""
        self._directory = directory
        self._loaded = directory is None
        self._generation = 0
        self._names: Counter[str] = Counter()
        """How many files name each mention key (list it, link it, or are its page)."""
        self._mentioned: Counter[str] = Counter()
        """How many files hold a mention of each mention key."""
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
        self._dangling: tuple[tuple[int, int, int], list[Dangling]] | None = None
        """The side file's (header stamp, dangling links), once read or written."""
        self._dangling_next: list[Dangling] | None = None
        """The list after the updates not saved yet, when they provably kept the rest as it was."""
        self._unsaved = 0
        """Files updated since the last save."""
        self._list_known = False
        """Whether a saved list was there when the updates since the last save began."""
        self._attachments: tuple[str, ...] | None = None
        """The folder's other files (read from ATTACHMENTS_FILE on first use)."""
        self._files_changed = False

    @property
    def needs_rebuild(self) -> bool:
        """True when no valid store was found: `clear()`, then pass every file to `update`.

        Until then the store is not saved. A damaged file is only noticed when first read;
        its file is then removed, so the next process sees `needs_rebuild` at once.
        """
        return self._rebuild or self._shards.broken

    @classmethod
    def load(cls, directory: Path | None) -> XrefStore:
        """The store kept in `directory`; read lazily; None, missing or corrupt -> empty."""
        return cls(directory)

    def _ensure_loaded(self) -> None:
        """Read the header on first use (shards are read when needed)."""
        if self._loaded:
            return
        self._loaded = True
        assert self._directory is not None
        self._stamp = _stamp(self._directory / FILE_NAME)  # before reading: a newer file shows later
        data = read_marshal(self._directory / FILE_NAME)
        try:
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a cross-reference store of this version")
            generation, present = int(data["gen"]), frozenset(data["present"])
            names: Counter[str] = Counter(data["names"])
            mentioned: Counter[str] = Counter(data["mentioned"])
            pending_count = int(data["pending_count"])
        except (KeyError, TypeError, ValueError):
            self._rebuild = True
            return
        self._generation, self._names, self._mentioned = generation, names, mentioned
        self._pending_count = pending_count
        self._shards = Shards(self._directory, generation, present)

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
            write_atomic(directory / WORDS_FILE, self._words.big_map_data())
        self._generation += 1
        self._shards.write(directory, self._generation)
        header = {"format": FORMAT, "gen": self._generation, "present": sorted(self._shards.present),
                  "names": dict(self._names), "mentioned": dict(+self._mentioned),
                  "pending_count": self._pending_count}
        write_atomic(directory / FILE_NAME, marshal.dumps(header))
        if self._files_changed or not (directory / ATTACHMENTS_FILE).is_file():
            write_atomic(directory / ATTACHMENTS_FILE, marshal.dumps(list(self.attachments())))
        self._directory, self._dirty, self._stamp = directory, False, _stamp(directory / FILE_NAME)
        self._words.directory, self._words.changed = directory, False
        found, self._dangling_next = self._dangling_next, None
        if found is None and (self._unsaved >= EAGER_DANGLING or not self._list_known or self._files_changed):
            found = dangling_links(self._skeletons(), self.attachments())  # a big update, or no list to keep fresh
        self._unsaved, self._files_changed = 0, False
        if found is not None:  # else the side file is stale and `dangling()` finds them when asked
            self._save_dangling(directory, found)

    def attachments(self) -> tuple[str, ...]:
        """The folder's other files as last given to `set_attachments` (or saved)."""
        if self._attachments is None:
            data = read_marshal(self._directory / ATTACHMENTS_FILE) if self._directory is not None else None
            self._attachments = tuple(data) if isinstance(data, list) else ()
        return self._attachments

    def set_attachments(self, paths: Sequence[str]) -> bool:
        """Take the folder's other files as a walk found them; True when they changed."""
        with self._lock:
            if tuple(paths) == self.attachments():
                return False
            self._follow_disk()
            self._ensure_loaded()
            self._attachments, self._files_changed = tuple(paths), True
            self._xref, self._dirty, self._dangling_next = None, True, None
            self._unsaved += 1
            return True

    def update(self, changed: Sequence[Case], removed: Sequence[str],
               read_body: Callable[[str], str | None], prepared: Mapping[str, Prepared] | None = None) -> None:
        """Take in files just read (`changed`) and gone (`removed`).

        `read_body(path)` returns the body (`Case.body`) of an unchanged file, or None;
        it is called only for files that may mention a name the archive just learned or lost.
        `prepared` may hold, by path, bodies already split (`xref_record.prepare`, in build workers).
        """
        self.take(Intake.of_cases(list(changed), dict(prepared or {})), removed, read_body)

    def take(self, intake: Intake, removed: Sequence[str], read_body: Callable[[str], str | None]) -> None:
        """`update` from an Intake (a build's, spilled to disk: no case is held in memory)."""
        if not len(intake) and not removed:
            return
        with self._lock, paused_gc():
            self._update(intake, removed, read_body)

    def _update(self, intake: Intake, removed: Sequence[str], read_body: Callable[[str], str | None]) -> None:
        """The body of `take`: forget the old records, count the new names, then scan each file once."""
        self._follow_disk()
        self._ensure_loaded()
        self._xref, self._dirty = None, True
        touched: dict[str, bool] = {}
        previous = self._dangling_next if self._unsaved else self._dangling_as_saved()
        if not self._unsaved:
            self._list_known = previous is not None
        olds: dict[str, Record | None] = {}
        for path in [*removed, *intake.paths]:
            old = olds[path] = self._shards.pop(path)
            if old is not None:
                self._count(old.names(), -1, touched)
                self._mentioned.subtract(key for key, _line, _context in old.mentions)
        self._dangling_next = carried(previous, olds, intake.records()) \
            if previous is not None and not removed else None
        self._unsaved += len(intake) + len(removed)
        self._count_new(intake.names, touched)
        matcher = self._current_matcher()
        for record, body, ready in intake.rows():
            self._put(*(scanned_prepared(record, body, ready, matcher) if ready is not None
                        else scanned(record, body, matcher)))
            self._pending_count += 1
            self._fold_words()  # as it goes: a full build never holds every file's words
        self._rescan(touched, set(intake.paths), matcher, read_body)

    def _current_matcher(self) -> Matcher:
        """The matcher of the names known now (rebuilding it took 0.1-0.2 s per one-file edit)."""
        names = self._names.keys()
        if self._matcher is None:
            self._matcher, self._matched_keys = Matcher.of(names), set(names)
            return self._matcher
        for key in self._matched_keys - names:
            self._matcher.remove(key)
        for key in names - self._matched_keys:
            self._matcher.add(key)
        self._matched_keys = set(names)
        return self._matcher

    def _put(self, record: Record, words: Iterable[str] | None = None) -> None:
        """Store a record, counting its mentions."""
        self._mentioned.update(key for key, _line, _context in record.mentions)
        self._shards.put(record, tuple(sorted(words)) if words is not None else None)

    def _count(self, keys: Iterable[str], delta: int, touched: dict[str, bool]) -> None:
        """Add `delta` to name counts, remembering whether each name was known before."""
        for key in keys:
            count = self._names.get(key, 0)
            touched.setdefault(key, count > 0)
            if count + delta > 0:
                self._names[key] = count + delta
            else:
                self._names.pop(key, None)

    def _count_new(self, names: Counter[str], touched: dict[str, bool]) -> None:
        """Add the name counts of files just read (`_count` of each, at once)."""
        for key, many in names.items():
            count = self._names.get(key, 0)
            touched.setdefault(key, count > 0)
            self._names[key] = count + many

    def _rescan(self, touched: dict[str, bool], skip: set[str], matcher: Matcher,
                read_body: Callable[[str], str | None]) -> None:
        """Find mentions again in unchanged files that may hold a name just learned or lost."""
        learned = {key for key, before in touched.items() if not before and key in self._names}
        lost = {key for key, before in touched.items()
                if before and key not in self._names and self._mentioned.get(key, 0) > 0}
        if not learned and not lost:
            return
        paths = self._words.candidates(learned, skip, self._shards.all_pending()) if learned else set()
        if lost:
            paths.update(record.path for record in self._shards.everything()
                         if any(key in lost for key, _line, _context in record.mentions))
        for path in sorted(paths - skip):
            record = self._shards.get(path)
            body = read_body(path) if record is not None else None
            if record is not None and body is not None:
                self._mentioned.subtract(key for key, _line, _context in record.mentions)
                self._put(rescan(record, body, matcher))

    def _fold_words(self) -> None:
        """Move pending words into the word index once there are many."""
        if self._pending_count >= xref_words.PENDING_LIMIT:
            self._words.add(self._shards.all_pending())
            self._shards.clear_pending()
            self._pending_count = 0

    def _follow_disk(self) -> None:
        """Start again from disk when another process saved the store since we read it.

        Updates run under the archive's folder lock, so this keeps a long-lived process
        (the reader app) from writing stale name counts over a newer store.
        """
        if not self._loaded or self._dirty or self._directory is None or self._stamp is None:
            return
        if _stamp(self._directory / FILE_NAME) != self._stamp:
            self._start(self._directory)

    def clear(self) -> None:
        """Forget every file: the caller is about to pass them all (a rebuild)."""
        self._loaded, self._xref, self._pending_count = True, None, 0
        self._names, self._mentioned = Counter(), Counter()
        self._shards = Shards(self._directory, self._generation)
        self._shards.dirty_records = set(range(SHARDS))  # old shard files are replaced or removed
        self._shards.dirty_pending = set(range(SHARDS))
        self._words = WordIndex(None)
        self._words.changed = True
        self._dirty, self._rebuild = True, False

    def _index(self) -> Xref:
        """The computed cross-reference (cached until the next update)."""
        self._follow_disk()
        self._ensure_loaded()
        if self._xref is None:
            with paused_gc():
                self._xref = Xref(self._shards.everything(), self.attachments())
        return self._xref

    def problems(self) -> list[Problem]:
        """A `dangling-link` warning, with its line, for every link that resolves to nothing."""
        return self._index().problems()

    def dangling(self) -> list[Dangling]:
        """(path, line, target) of every link that resolves to nothing (see `_dangling_now`)."""
        with self._lock:
            return self._dangling_now()

    def _dangling_now(self) -> list[Dangling]:
        """(path, line, target) of every link that resolves to nothing, without the records.

        Read from the side file `save` writes; when it is missing or older than the header,
        found again shard by shard (about a second at 50,000 files) and written.
        """
        if self._dirty and self._dangling is not None:  # an update is under way (maybe in another
            return self._dangling[1]  # thread): the list as last saved, not a walk of changing shards
        self._follow_disk()  # records kept in memory must not be older than the shard files
        if self._directory is None or self._dirty or self.needs_rebuild:
            return dangling_links(self._skeletons(), self.attachments())
        header = _stamp(self._directory / FILE_NAME)
        if header is None:
            return []
        saved = self._dangling_as_saved(header)
        if saved is not None:
            return saved
        found = dangling_links(self._skeletons(), self.attachments())
        if _stamp(self._directory / FILE_NAME) == header:  # no other process saved meanwhile
            self._save_dangling(self._directory, found, header)
        return found

    def _dangling_as_saved(self, header: tuple[int, int, int] | None = None) -> list[Dangling] | None:
        """The list saved for the header as it is on disk, or None (nothing is computed)."""
        directory = self._directory
        header = header or (_stamp(directory / FILE_NAME) if directory is not None else None)
        if header is None or directory is None:  # a header is only ever given with a directory
            return None
        if self._dangling is None or self._dangling[0] != header:
            found = read_saved(directory / PROBLEMS_FILE, header)
            self._dangling = (header, found) if found is not None else self._dangling
        return self._dangling[1] if self._dangling is not None and self._dangling[0] == header else None

    def dangling_problems(self) -> list[Problem]:
        """`problems()` from `dangling()`: the same warnings, without loading the records."""
        return [row_problem(row) for row in self.dangling()]

    def _save_dangling(self, directory: Path, found: list[Dangling],
                       header: tuple[int, int, int] | None = None) -> None:
        """Write the side file for the header as it is now (or as `header` says)."""
        header = header or _stamp(directory / FILE_NAME)
        if header is not None and write_saved(directory / PROBLEMS_FILE, header, found):
            self._dangling = (header, found)

    def _skeletons(self) -> Iterable[Skeleton]:
        """What resolution needs of every record: from memory for shards read, else from disk
        without keeping them (the full records of 50,000 files take ~270 MB)."""
        for number in range(SHARDS):
            loaded = self._shards.records.get(number)
            if loaded is not None or self._directory is None:
                for r in (loaded or {}).values():
                    yield r.path, r.kind, len(r.listed), r.links, r.keys
                continue
            yield from shard_skeletons(self._directory, number)

    def computed(self) -> Xref:
        """The whole computed cross-reference, to read only (for the exporters)."""
        return self._index()

    def resolve(self, target: str) -> Resolution:
        """What a link target or name refers to: a case, an entity, or nothing (dangling)."""
        return self._index().resolve(target)

    def entity(self, name: str) -> EntityXref | None:
        """The entity named `name` (or one of its aliases), accent- and case-insensitive."""
        xref = self._index()
        key = xref.entity_key(name)
        return entity_xref(xref, key) if key is not None else None

    def case(self, case_id: str) -> CaseXref | None:
        """The case (or entity page) with this id, or this relative path."""
        xref = self._index()
        path = xref.case_by_id.get(_id_key(case_id))
        if path is None and case_id in xref.records:
            path = case_id
        return case_xref(xref, path) if path is not None else None

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


def _id_key(case_id: str) -> str:
    """Ids compare like names (case, accents and spaces ignored)."""
    return name_key(case_id)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one version of a file from another, or None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)
