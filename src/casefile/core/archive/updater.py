"""One refresh of the index: read what changed, re-index it in stages, save the side files.

Runs with the folder lock held (see Archive.refresh). Files are read newest first; the
first `FIRST_STAGE` of them are committed on their own, before the rest is sniffed
(archive/staging.py), so on a folder never indexed searching starts after seconds. Large stages are read,
parsed and indexed by worker processes, each writing its own segments (archive/parallel.py),
so every core works and there is no final merge.
Entity pages are sniffed before indexing so each case is indexed with the aliases of
the entities it names; when an entity page's names change, the cases naming it are
re-indexed too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from casefile.core import index
from casefile.core.archive import catalog
from casefile.core.archive.catalog import Entry
from casefile.core.archive.manifest import Fresh
from casefile.core.archive.parallel import examine
from casefile.core.engine import IndexFiles, Writing
from casefile.core.index.documents import document
from casefile.core.model import EntityInfo
from casefile.core.read import sniff
from casefile.core.read.library import FileStat, read_case
from casefile.core.text.sanitize import clean_line
from casefile.core.xref.files import paused_gc
from casefile.core.xref.intake import Intake

if TYPE_CHECKING:
    from casefile.core.xref.store import XrefStore

FIRST_STAGE = 200
"""Files committed first on a big refresh, so first results come early (archive/staging.py;
400 took ~2.7 s to read, index and commit on a loaded 2-core machine, 200 ~1.6 s)."""
PARALLEL_FROM = 1000
"""From this many files in a stage, worker processes read and index them (on-disk indexes only)."""
MAX_WORKERS = 4
log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


class Target(Protocol):
    """What an Update writes to: the Indexer's folders, index and side files."""

    cases_dir: Path
    index_dir: Path | None
    max_file_bytes: int
    workers: int | None
    parallel_from: int | None
    ix: IndexFiles | None

    @property
    def fresh(self) -> Fresh: ...
    @property
    def entries(self) -> catalog.Entries: ...
    @property
    def xref(self) -> XrefStore: ...
    def after_stage(self, intake: Intake | None, removed: Sequence[str]) -> None: ...
    def read_body(self, path: str) -> str | None: ...


@dataclass
class Plan:
    """What one refresh has to do."""

    read: list[FileStat]
    changed: set[str]
    removed: list[str]
    rebuild: bool
    again: frozenset[str] = frozenset()
    """Files an earlier pass of this rebuild indexed, to index again (their aliases changed)."""


@dataclass
class Outcome:
    """Counts for the RefreshReport."""

    added: int = 0
    changed: int = 0
    removed: int = 0


def sniff_all(root: Path, stats: list[FileStat], max_bytes: int, start: int | None = None,
              workers: int | None = None) -> dict[str, EntityInfo | None]:
    """sniff_entity of each file; in forked processes from `start` files (on-disk or not:
    they only read the folder, as this process would)."""
    if len(stats) < (start or PARALLEL_FROM):
        return {stat.path: sniff.sniff_entity(root, stat, max_bytes) for stat in stats}
    from casefile.core.archive import parallel

    return parallel.sniff_all(root, stats, max_bytes, workers or default_workers())


def default_workers() -> int:
    """Worker processes for a big stage: one per core, at most MAX_WORKERS."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


def ripple(entries: dict[str, Entry], sniffed: dict[str, EntityInfo | None], removed: Sequence[str],
           ) -> tuple[dict[str, EntityInfo], list[str]]:
    """The alias map after this refresh, and the unchanged files to re-index because of it."""
    before = catalog.alias_map(entries)
    touched = [entries[path] for path in (*sniffed, *removed) if path in entries]
    if all(info is None for info in sniffed.values()) and not any(entry.entity for entry in touched):
        return before, []  # no entity page among the changes: names unchanged
    after_entries = {p: e for p, e in entries.items() if p not in sniffed and p not in set(removed)}
    for path, info in sniffed.items():
        if info is not None:
            after_entries[path] = Entry("", "", "entity", [], info)
    after = catalog.alias_map(after_entries)
    affected = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    if not affected:
        return after, []
    return after, [p for p in catalog.naming(entries, affected) if p not in sniffed and p not in removed]


def _tell_failure(share: Any) -> None:
    """One line on a worker that failed (nothing is lost: its files are indexed here);
    its traceback only at the debug level (`--debug`)."""
    line, _, details = (share.failed or "").partition("\n")
    log.warning("casefile: a build worker failed (%s); its %d files are indexed without it",
                clean_line(line), len(share.files))
    if details:
        log.debug("%s", details)


class Update:
    """Applies a Plan to the index, the catalog, the manifest and the cross-reference."""

    def __init__(self, target: Target, progress: Progress | None) -> None:
        self.a = target
        self.progress = progress or (lambda done, total: None)

    def run(self, plan: Plan, aliases: dict[str, EntityInfo], at: tuple[int, int] | None = None) -> Outcome:
        """Read, index and save; returns the counts. With `at` (files done before, files in
        the whole refresh), the plan is one pass of a refresh (staging.py), indexed as one stage."""
        out = Outcome(removed=len(plan.removed))
        ordered = sorted(plan.read, key=lambda s: s.mtime_ns, reverse=True)
        split = at is None and len(ordered) > FIRST_STAGE
        stages = [ordered[:FIRST_STAGE], ordered[FIRST_STAGE:]] if split else [ordered]
        for path in plan.removed:
            self.a.fresh.files.pop(path, None)
            self.a.entries.pop(path, None)
        done, total = at or (0, len(ordered))
        for number, stage in enumerate(stages):
            removed: Sequence[str] = plan.removed if number == 0 else []
            intake, removed = self._stage(stage, removed, plan, aliases, out, done, total)
            done += len(stage)
            try:
                self.a.after_stage(intake, removed)
            finally:
                if intake is not None:
                    intake.close()
        self.progress(done, total)
        return out

    def _stage(self, stage: list[FileStat], removed: Sequence[str], plan: Plan, aliases: dict[str, EntityInfo],
               out: Outcome, done: int, total: int) -> tuple[Intake | None, Sequence[str]]:
        """Index one stage and commit it; returns what the cross-reference has still to take in."""
        workers = self.a.workers or default_workers()
        parallel = self.a.index_dir is not None and workers > 1 \
            and self._parallel_stage(len(stage), total, self.a.parallel_from or PARALLEL_FROM)
        w = index.writing(self.a.ix, limitmb=128 if self.a.index_dir else 1024)
        with paused_gc():  # postings are many small lists, none in a cycle
            try:
                w.delete(removed)
                if parallel:
                    self._parallel(w, stage, removed, plan, aliases, out, (done, total), workers)
                    intake: Intake | None = None  # the cross-reference took them in already
                    removed = []
                else:
                    intake = self._serial(w, stage, plan, aliases, out, (done, total))
                w.commit(merge=not plan.rebuild)
            except BaseException:
                w.cancel()
                raise
        return intake, removed

    @staticmethod
    def _parallel_stage(size: int, total: int, start: int) -> bool:
        """True for a stage worth worker processes: a big one (from `start` files), or the first
        stage of a big refresh when workers are forked (cheap to start: first results come sooner)."""
        from casefile.core.archive import parallel

        return size >= start or (total >= start and size >= FIRST_STAGE // 2
                                 and parallel.start_method() == "fork")

    def _serial(self, w: Writing, stage: list[FileStat], plan: Plan, aliases: dict[str, EntityInfo],
                out: Outcome, at: tuple[int, int]) -> Intake:
        """Read and index the files here, one by one; what the cross-reference has to take in."""
        intake = Intake(self.a.index_dir)
        for number, stat in enumerate(stage):
            case, problems = read_case(self.a.cases_dir, stat, self.a.max_file_bytes)
            entry = examine(stat, case, problems, self._old_sha(stat, plan))
            if self._apply(w, stat, entry, plan, out) and case is not None:
                w.add(document(case, aliases, index.STEMMERS))
                intake.add_case(case)
            if number % 50 == 0:
                self.progress(at[0] + number, at[1])
        return intake

    def _parallel(self, w: Writing, stage: list[FileStat], removed: Sequence[str], plan: Plan,
                  aliases: dict[str, EntityInfo], out: Outcome, at: tuple[int, int], workers: int) -> None:
        """Read and index the files in worker processes, taking the cases into the cross-reference
        while they index; the share of a worker that failed is indexed here again."""
        from casefile.core.archive import parallel

        assert self.a.index_dir is not None
        known = {s.path: sha for s in stage if (sha := self._old_sha(s, plan)) is not None}
        job = parallel.Job(self.a.index_dir, self.a.cases_dir, self.a.max_file_bytes, stage, aliases, known)
        intake = Intake(self.a.index_dir)
        failed: list[parallel.Share] = []
        parsed = indexed = 0
        try:
            for kind, share, payload in parallel.run(job, workers):
                if kind == "parsed":
                    parsed += len(payload)
                    for done in payload:
                        if done.entry is not None and done.record is not None:
                            intake.add(done.record, done.body, done.scan)
                    if parsed == len(stage):  # every name is known: the cross-reference can run now
                        self.a.xref.take(intake, removed, self.a.read_body)
                elif kind == "indexed":
                    indexed += payload
                elif share.segments is not None:
                    w.adopt(share.segments)
                    for stat, entry in zip(share.files, share.entries, strict=True):
                        self._apply(w, stat, entry, plan, out)
                else:
                    failed.append(share)
                # below the total until committed: the workers still write their segments, then the commit
                self.progress(min(at[0] + (parsed + 3 * indexed) // 4, at[1] - 1), at[1])
            self._index_failed(w, failed, plan, aliases, out, at, intake if parsed < len(stage) else None, removed)
        finally:
            intake.close()

    def _index_failed(self, w: Writing, failed: list[Any], plan: Plan, aliases: dict[str, EntityInfo],
                      out: Outcome, at: tuple[int, int], parsed: Intake | None, removed: Sequence[str]) -> None:
        """Index here the shares whose worker failed; when one failed before it parsed all
        (`parsed`: what the workers sent), the cross-reference takes in every file now."""
        for share in failed:
            _tell_failure(share)
        late = [self._serial(w, share.files, plan, aliases, out, at) for share in failed]
        try:
            if parsed is not None:
                self._take_again(parsed, late, removed)
        finally:
            for intake in late:
                intake.close()

    def _take_again(self, parsed: Intake, late: list[Intake], removed: Sequence[str]) -> None:
        """The cross-reference takes in what workers parsed, and the files read again here instead."""
        again = {path for intake in late for path in intake.paths}
        every = Intake(self.a.index_dir)
        try:
            for record, body, ready in parsed.rows():
                if record.path not in again:
                    every.add(record, body, ready)
            for intake in late:
                for row in intake.rows():
                    every.add(*row)
            self.a.xref.take(every, removed, self.a.read_body)
        finally:
            every.close()

    def _old_sha(self, stat: FileStat, plan: Plan) -> str | None:
        """The indexed hash of a changed file (same bytes again: nothing to re-index)."""
        old = self.a.entries.get(stat.path) if stat.path in plan.changed else None
        return old.sha if old is not None else None

    def _apply(self, w: Writing, stat: FileStat, entry: Entry | None, plan: Plan, out: Outcome) -> bool:
        """Record a file just read in the manifest, catalog and counts; True if it is (re-)indexed."""
        self.a.fresh.files[stat.path] = (stat.size, stat.mtime_ns)
        if entry is None:
            return False  # only touched: same bytes, nothing to re-index
        old = self.a.entries.get(stat.path)
        if not plan.rebuild or stat.path in plan.again:
            w.delete([stat.path])
        self.a.entries[stat.path] = entry
        if stat.path in plan.changed:
            out.changed += 1
        elif old is None:
            out.added += 1
        return True
