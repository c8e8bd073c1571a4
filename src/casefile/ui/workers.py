"""Worker glue: every blocking core call runs in a thread worker and posts a message back.

Each body calls one core function and posts plain data to the app (or, for what
the reading pane asked, to the pane: `reply_to`); nothing here touches a widget.
Searches are exclusive (the latest query wins, stale answers are dropped);
refreshes never overlap, because a thread cannot be stopped halfway.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker

from casefile.config import Config
from casefile.core.archive import processes
from casefile.core.archive.lookup import duplicate_notice
from casefile.core.engine import IndexDamaged
from casefile.core.model import Case, CasefileError, SearchResult
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import N_, _
from casefile.core.xref.model import Resolution
from casefile.ui.embeds import gather
from casefile.ui.messages import (
    ArchiveReady,
    CaseBundle,
    CaseLoaded,
    CaseXrefLoaded,
    EntitiesLoaded,
    EntityLoaded,
    IndexDone,
    IndexProgress,
    ProblemsLoaded,
    SearchDone,
    SearchRequest,
    TargetMissing,
)
from casefile.ui.words import task_name

if TYPE_CHECKING:
    from casefile.core.archive.facade import Archive
    from casefile.core.archive.indexer import RefreshReport

Opener = Callable[[Path, "Path | None", int], "Archive"]
"""Opens the archive: `Archive.open` unless a test hands in another."""

PROGRESS_INTERVAL = 0.1
"""Seconds between two progress messages (the callback may be called per file)."""
WATCH_COST_FACTOR = 10
"""The folder watch waits at least this many times the last refresh's duration."""
QUIET_AFTER_SEARCH = 1.5
"""The folder watch waits until searching has paused this long (no GIL contention)."""
INDEXING_NOTICE = N_("indexing the folder: results appear as files are indexed")
REBUILDING_NOTICE = N_("the search index could not be read; rebuilding it: results appear as files are indexed")
FIRST_ANSWER_WAIT = 3.0
"""At launch the freshness check waits (at most this long) for the first results."""
LAUNCH_CHECK_MAX_WAIT = 10.0
"""...and then for a pause in typing, at most this long (results come from the last index meanwhile)."""
FREEZE_AFTER = 1000
"""Files a refresh must add, change or remove for what it leaves alive to be frozen (`gc.freeze`)."""


def failure_notice(worker: Worker[object]) -> tuple[str, str]:
    """(message, title) telling the user that `worker` failed: like the CLI's crash message,
    no file contents and no markup (the caller shows it with `markup=False`)."""
    error = worker.error
    known = isinstance(error, (CasefileError, OSError))
    reason = clean_line(str(error)) if known else _("internal error ({error})").format(error=type(error).__name__)
    return reason, _("{task} failed").format(task=task_name(worker.name))


class ArchiveService:
    """Owns the archive for the app and runs its blocking calls in thread workers."""

    def __init__(self, app: App[Any], config: Config, opener: Opener | None = None) -> None:
        """Nothing is opened yet: `refresh()` opens the archive in a worker."""
        self.app = app
        self.config = config
        self._opener = opener
        self.archive: Archive | None = None
        self._refresh_worker: Worker[None] | None = None
        self._rebuild_pending = False
        self._paths_pending: set[str] = set()
        """Files edited while a refresh ran: refreshed by path when it ends."""
        self._refresh_seconds = 0.0
        self._refresh_ended = 0.0
        self._last_search = 0.0
        self._listed_problems = False
        self._rebuilt_for_damage = False
        """Set once a rebuild was started for an unreadable index."""
        self.first_answer = threading.Event()
        self._first_total = 0
        """Set once the first search is answered: the launch's freshness check waits for it."""
        self._busy_told = False
        if config.index_dir is not None:  # a big build spawns workers: ready them while stderr is real
            processes.prepare()

    @property
    def refreshing(self) -> bool:
        """True while a refresh runs."""
        worker = self._refresh_worker
        return worker is not None and not worker.is_finished

    def refresh(self, rebuild: bool = False, paths: list[str] | None = None) -> bool:
        """Bring the index up to date in a worker; False when one already runs.
        With `paths`, only those files are looked at (see Archive.refresh)."""
        if self.refreshing:
            self._rebuild_pending = self._rebuild_pending or rebuild
            self._paths_pending.update(paths or ())
            return False
        self._refresh_worker = self.app.run_worker(
            lambda: self._refresh_body(rebuild, paths), name="refresh", group="refresh",
            thread=True, exclusive=True, exit_on_error=False)
        return True

    def watch(self, min_interval: float) -> None:
        """The folder watch's tick: refresh, unless one ran lately or the user is searching."""
        now = time.monotonic()
        wait = max(min_interval, WATCH_COST_FACTOR * self._refresh_seconds)
        if now - self._refresh_ended >= wait and now - self._last_search >= QUIET_AFTER_SEARCH:
            self.refresh()

    def refresh_pending(self) -> None:
        """Run a rebuild, or a refresh of edited files, asked for while a refresh was running."""
        if self.refreshing:
            return
        if self._rebuild_pending:
            self._rebuild_pending, self._paths_pending = False, set()
            self.refresh(rebuild=True)
        elif self._paths_pending:
            paths, self._paths_pending = sorted(self._paths_pending), set()
            self.refresh(paths=paths)

    def _refresh_body(self, rebuild: bool, paths: list[str] | None = None) -> None:
        """Thread: open the archive once, then refresh it, posting progress."""
        if self.archive is None:
            self.archive = self._open()
            self.app.post_message(ArchiveReady())
            # First results first, and no walk while the user types: it competes for the GIL.
            self.first_answer.wait(FIRST_ANSWER_WAIT)
            if self._first_total:  # an empty or new index: build it now, typing or not
                self._wait_for_quiet(LAUNCH_CHECK_MAX_WAIT)
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if total and (now - last >= PROGRESS_INTERVAL or done == total):  # 0/0: nothing to show
                last = now
                self.app.post_message(IndexProgress(done, total))

        began = time.monotonic()
        report = self.archive.refresh(progress=progress, rebuild=rebuild, paths=paths)
        # Counting reads the catalog and a small side file (not the cross-reference): only when
        # something changed. The list itself is read when the user opens it (`load_problems`).
        first = not self._listed_problems
        count = self.archive.problem_count() if report.changed_anything or first else None
        self._listed_problems = True
        self._freeze_long_lived(report, first)
        self._refresh_ended = time.monotonic()
        self._refresh_seconds = self._refresh_ended - began
        self._tell_busy(report.notice)
        self.app.post_message(IndexDone(report, count))

    def _freeze_long_lived(self, report: RefreshReport, first: bool) -> None:
        """Thread: after the first refresh or a big one, move what is alive out of the collector's sight.

        What is alive then is the archive's long-lived state (catalog, manifest, cross-reference,
        searcher): ~950k objects at 100k cases, which a full collection walked every few edits
        (~450 ms each). Refcounting still frees frozen objects, but never a frozen cycle: so not
        after every refresh (the widgets and readers alive at each would pile up once dropped),
        and the earlier frozen objects are collected first (one full collection per big refresh, none at launch).
        """
        if not first and report.added + report.changed + report.removed < FREEZE_AFTER:
            return
        if gc.get_freeze_count():  # not at launch: nothing is frozen yet, and a full collection holds the GIL
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def _tell_busy(self, notice: str | None) -> None:
        """Thread: say once (until a refresh runs again) that results may miss files: another
        process holds the index."""
        if notice and not self._busy_told:
            self.app.call_from_thread(self.app.notify, notice, title=_("index not updated"), severity="warning",
                                      timeout=10, markup=False)
        self._busy_told = bool(notice)

    def _wait_for_quiet(self, longest: float) -> None:
        """Thread: sleep until searching paused for a moment (at most `longest` seconds)."""
        deadline = time.monotonic() + longest
        while time.monotonic() < deadline and time.monotonic() - self._last_search < QUIET_AFTER_SEARCH:
            time.sleep(0.1)

    def _open(self) -> Archive:
        """Thread: open the archive (Whoosh is imported here, off the UI thread)."""
        opener = self._opener
        if opener is None:
            from casefile.core.archive.facade import Archive

            opener = Archive.open
        cfg = self.config
        return opener(cfg.cases_dir, cfg.index_dir, cfg.max_file_bytes)

    def search(self, request: SearchRequest) -> None:
        """Search in a worker; a newer search (or more-loading) supersedes this one."""
        if self.archive is None:
            return
        self._last_search = time.monotonic()
        group = "more" if request.more else "search"
        self.app.run_worker(lambda: self._search_body(request), name=group, group=group,
                            thread=True, exclusive=True, exit_on_error=False)

    def _search_body(self, request: SearchRequest) -> None:
        """Thread: one search; dropped when a newer one cancelled it meanwhile."""
        from casefile.core.archive.reader import NOT_BUILT  # with the archive (not committed with this file)

        assert self.archive is not None
        try:
            result = self.archive.search(request.query, limit=request.limit, sort=request.sort)
            self._rebuilt_for_damage = False  # readable: a later damage may be rebuilt again
        except IndexDamaged:
            result = self._rebuild_damaged(request)
        if result.notice == _(NOT_BUILT):  # the app is building it now; no need to run a command
            result = replace(result, notice=_(INDEXING_NOTICE))
        if not get_current_worker().is_cancelled:
            self.app.post_message(SearchDone(request, result))
        if not self.first_answer.is_set():
            self._first_total = result.total
            self.first_answer.set()

    def _rebuild_damaged(self, request: SearchRequest) -> SearchResult:
        """Thread: the index cannot be read. Rebuild it in the refresh worker (whose end
        searches again), once: damage right after a rebuild is reported, not looped on."""
        assert self.archive is not None
        self.archive.close()
        if self._rebuilt_for_damage:
            return SearchResult(request.query, 0, (), notice=str(self.archive.reader.unreadable()))
        self._rebuilt_for_damage = True
        self.app.call_from_thread(self.refresh, rebuild=True)
        return SearchResult(request.query, 0, (), notice=_(REBUILDING_NOTICE))

    def _run(self, name: str, body: Callable[[Archive], object]) -> None:
        """Run `body(archive)` in an exclusive thread worker of group `name` (once there is an archive)."""
        archive = self.archive
        if archive is not None:
            self.app.run_worker(lambda: body(archive), name=name, group=name, thread=True,
                                exclusive=True, exit_on_error=False)

    def load_case(self, ref: str, *, with_xref: bool, reply_to: MessagePump, record: bool = True,
                  ticket: int = 0) -> None:
        """Read a case (by id or path) for `reply_to`, with its cross-reference when `with_xref`;
        the latest request wins.

        Without it (its pane is hidden) only the dangling targets are read: the whole
        cross-reference loads every record (~270 MB at 50,000 files).
        """
        self._run("case", lambda _archive: self._post_case(reply_to, ref, record, with_xref, ticket=ticket))

    def _post_case(self, reply_to: MessagePump, ref: str, record: bool, with_xref: bool, anchor: str = "",
                   ticket: int = 0) -> None:
        """Thread: read one case and resolve its links."""
        assert self.archive is not None
        paths = self.archive.paths_of(ref)  # several for a duplicate id: the first is read, and said
        case = self.archive.case(paths[0]) if paths else None
        bundle = self._bundle(case, with_xref) if case is not None else None
        if not get_current_worker().is_cancelled:
            reply_to.post_message(CaseLoaded(ref, bundle, record, anchor, ticket))
            if notice := duplicate_notice(ref, paths):
                self.app.call_from_thread(self.app.notify, notice, severity="warning", markup=False)

    def _bundle(self, case: Case, with_xref: bool) -> CaseBundle:
        """Thread: the case, its cross-reference and its targets resolved (or, without
        `with_xref`, only its dangling targets, from the problem list)."""
        assert self.archive is not None
        embeds = gather(self.archive, case)
        if not with_xref:
            dangling = self.archive.dangling_targets(case.path)
            resolved = {target: Resolution(target, "dangling") for target in dangling}
            return CaseBundle(case, None, resolved, xref_deferred=True, embeds=embeds)
        xref = self.archive.xref
        names = {link.target for link in case.links} | {name for _type, name in case.entities}
        resolved = {name: xref.resolve(name, case.path) for name in names}  # same-named files: the nearest
        return CaseBundle(case, xref.case(case.path), resolved, embeds=embeds)

    def load_case_xref(self, case_id: str, path: str | None, *, reply_to: MessagePump) -> None:
        """Read a case's cross-reference (the file at `path`, else by id) in a worker, for `reply_to`."""
        self._run("case-xref", lambda archive: reply_to.post_message(
            CaseXrefLoaded(case_id, archive.xref.case(path or case_id))))

    def load_entity(self, name: str, *, reply_to: MessagePump) -> None:
        """Read an entity's cross-reference in a worker, for `reply_to`."""
        self._run("entity", lambda _archive: self._post_entity(reply_to, name))

    def _post_entity(self, reply_to: MessagePump, name: str) -> None:
        """Thread: one entity."""
        assert self.archive is not None
        entity = self.archive.xref.entity(name)
        if not get_current_worker().is_cancelled:
            reply_to.post_message(EntityLoaded(name, entity))

    def load_entities(self) -> None:
        """List every entity in a worker (computed from the whole cross-reference)."""
        self._run("entities", lambda archive: self.app.post_message(EntitiesLoaded(archive.xref.entities())))

    def load_problems(self) -> None:
        """Read the folder's problems in a worker (for the problem list)."""
        self._run("problems", lambda archive: self.app.post_message(ProblemsLoaded(archive.problems())))

    def follow(self, target: str, *, with_xref: bool, reply_to: MessagePump, path: bool = False,
               anchor: str = "", from_path: str = "", ticket: int = 0) -> None:
        """Resolve a followed link (from the file at `from_path`) in a worker: a case loads (at
        `anchor`, see `load_case` for `with_xref` and `ticket`), an entity shows, else missing;
        the answer goes to `reply_to`."""
        self._run("follow", lambda _archive: self._post_follow(reply_to, target, path, anchor, with_xref,
                                                              from_path, ticket))

    def _post_follow(self, reply_to: MessagePump, target: str, path: bool, anchor: str, with_xref: bool,
                     from_path: str = "", ticket: int = 0) -> None:
        """Thread: resolve and act on one link target (of same-named files, the nearest)."""
        assert self.archive is not None
        if path:
            return self._post_case(reply_to, target + ".md", True, with_xref, anchor, ticket)
        resolution = self.archive.xref.resolve(target, from_path)
        if resolution.kind == "case" and resolution.path:
            # the file: ids and titles may repeat
            self._post_case(reply_to, resolution.path, True, with_xref, anchor, ticket)
        elif resolution.kind == "entity" and resolution.entity:
            self._post_entity(reply_to, resolution.path or resolution.entity)  # its page: names may repeat
        else:
            reply_to.post_message(TargetMissing(target))
