"""How a store takes in the files a refresh read: forget their old records, count the new
names, then scan each file once for mentions of every name known; files not read are
scanned again only when they may mention a name just learned or lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from casefile.core.model import Case
from casefile.core.xref.dangling import carried
from casefile.core.xref.files import paused_gc
from casefile.core.xref.intake import Intake
from casefile.core.xref.mentions import Matcher
from casefile.core.xref.record import Prepared, Record, rescan, scanned, scanned_prepared
from casefile.core.xref.store_dangling import DanglingSide
from casefile.core.xref.view_patch import same_names

PATCH_LIMIT = 256
"""Files updated between two saves up to which the view is patched (past it, a refresh that
read many files is not read a second time: the view is computed again when next asked)."""


class Updating(DanglingSide):
    """update and take: files just read and files gone."""

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
            try:
                self._update(intake, removed, read_body)
            except BaseException:
                self._matcher = None  # names may have changed without it
                raise

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
        self._note_view(olds, intake, removed)
        self._dangling_next = carried(previous, olds, intake.records()) \
            if previous is not None and not removed else None
        self._dangling_paths = self._dangling_paths.union(olds) if self._dangling_next is not None else set()
        self._unsaved += len(intake) + len(removed)
        self._count_new(intake.names, touched)
        matcher = self._current_matcher(touched)
        for record, body, ready in intake.rows():
            self._put(*(scanned_prepared(record, body, ready, matcher) if ready is not None
                        else scanned(record, body, matcher)))
            self._pending_count += 1
            self._fold_words()  # as it goes: a full build never holds every file's words
        self._rescan(touched, set(intake.paths), matcher, read_body)

    def _note_view(self, olds: dict[str, Record | None], intake: Intake, removed: Sequence[str]) -> None:
        """Remember the records the view knows, while every update changes no name."""
        known = self._view_olds
        if known is None:
            return
        if removed or len(intake) + len(known) > PATCH_LIMIT or \
                not all(same_names(olds.get(record.path), record) for record in intake.records()):
            self._view_olds = None
            return
        for path, old in olds.items():
            if old is not None:
                known.setdefault(path, old)  # the view knows the first of several updates' olds

    def _current_matcher(self, touched: Iterable[str]) -> Matcher:
        """The matcher of the names known now: the last one, changed by the names this update
        touched (rebuilding it took 0.1-0.2 s per one-file edit; comparing every name 10 ms
        at 50,000 files). Built again when the counts were replaced (a load, a clear)."""
        names, known = self._names, self._matched_keys
        if self._matcher is None or self._matched_names is not names:
            self._matcher, self._matched_keys, self._matched_names = Matcher.of(names.keys()), set(names), names
            return self._matcher
        for key in touched:
            if key in names and key not in known:
                self._matcher.add(key)
                known.add(key)
            elif key not in names and key in known:
                self._matcher.remove(key)
                known.discard(key)
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
        if self._pending_count >= self._words.pending_limit:
            self._words.add(self._shards.all_pending())
            self._shards.clear_pending()
            self._pending_count = 0
