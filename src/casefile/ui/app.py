"""The reader app: composes the panes and routes messages between them, nothing more.

Attributes go down (the app calls a pane's methods), messages come up (a pane
posts what happened). Blocking work goes through `ArchiveService` workers.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from casefile.config import Config
from casefile.core.model import Problem
from casefile.core.wording import _, use_language
from casefile.ui.commands import CasefileCommands, SealedApp
from casefile.ui.contrast import ReadableThemes
from casefile.ui.messages import (
    ArchiveReady,
    EntitiesLoaded,
    IndexDone,
    IndexProgress,
    ProblemsLoaded,
    SearchDone,
    Sort,
)
from casefile.ui.screens.entities import EntitiesScreen
from casefile.ui.screens.help import HelpScreen
from casefile.ui.screens.problems import ProblemsScreen
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.reading_pane import ReadingPane
from casefile.ui.widgets.result_list import ResultList
from casefile.ui.widgets.search_pane import SearchPane
from casefile.ui.widgets.status_bar import KeyFooter, ProblemCount, StatusBar
from casefile.ui.words import MainScreen
from casefile.ui.workers import ArchiveService, failure_notice

LIVE_INTERVAL = 2.5
"""Seconds between two freshness checks of the folder (cheap when nothing changed)."""


class CasefileApp(SealedApp, ReadableThemes):
    """Search, read and cross-reference a case folder."""

    CSS_PATH = "casefile.tcss"
    TITLE = "casefile"
    COMMANDS = App.COMMANDS | {CasefileCommands}
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [
        (0, "-narrow"), (110, "-medium"), (150, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("escape", "focus_search", "Search", id="app.search", show=False),
        Binding("ctrl+o,f6", "sort", "Sort", id="app.sort"),
        Binding("ctrl+t,f2", "toggle_tags", "Tags", id="app.tags"),
        Binding("f3", "toggle_xref", "Xref", id="app.xref"),
        Binding("f4", "entities", "Entities", id="app.entities"),
        Binding("alt+left,backspace", "history_back", "Back", id="app.back", show=False),
        Binding("alt+right", "forward", "Forward", id="app.forward", show=False),
        Binding("f5", "refresh_index", "Refresh", id="app.refresh", show=False),
        Binding("f8", "problems", "Problems", id="app.problems", show=False),
    ]

    def __init__(self, config: Config, *, live_interval: float | None = LIVE_INTERVAL) -> None:
        """Build the app for `config`; `live_interval` None turns the folder watch off."""
        super().__init__()
        self.config = config
        self.service = ArchiveService(self, config)
        self.live_interval = live_interval

    def compose(self) -> ComposeResult:
        """Search side on the left, reading side on the right, status and keys below."""
        with Horizontal(id="main"):
            yield SearchPane(id="search-pane")
            yield ReadingPane(id="reading")
        yield StatusBar(id="status")
        yield KeyFooter()

    def get_default_screen(self) -> Screen[object]:
        """The main screen, whose key descriptions are shown in the user's language."""
        return MainScreen(id="_default")

    @property
    def main(self) -> Screen[object]:
        """The main screen (a dialog may be on top: `self.screen` is not always it)."""
        return self.screen_stack[0]

    @property
    def search_pane(self) -> SearchPane:
        """The search side."""
        return self.main.query_one(SearchPane)

    @property
    def reading(self) -> ReadingPane:
        """The reading side."""
        return self.main.query_one(ReadingPane)

    @property
    def status(self) -> StatusBar:
        """The status line."""
        return self.main.query_one(StatusBar)

    def on_mount(self) -> None:
        """Focus the query, open and refresh the archive in a worker, watch the folder."""
        self.search_pane.focus_query()
        self.service.refresh()
        if self.live_interval:
            self.set_interval(self.live_interval, lambda: self.service.watch(self.live_interval or 0))

    # -- the archive -------------------------------------------------------------

    def on_archive_ready(self, _event: ArchiveReady) -> None:
        """Searchable now (maybe not fresh yet): run the query typed meanwhile."""
        self.status.set_message(_("Checking the folder for changes…"))
        self.search_pane.ask()

    def on_index_progress(self, event: IndexProgress) -> None:
        """Show progress; search again now and then so new hits appear while indexing."""
        self.status.set_progress(event.done, event.total)
        self.search_pane.set_indexing(event.done < event.total)
        if event.total:
            self.search_pane.redo_while_indexing()

    def on_index_done(self, event: IndexDone) -> None:
        """Fresh: counts and problems in the status line; show what changed."""
        self.search_pane.set_indexing(False)
        if event.problem_count is not None:
            self.status.set_problems(event.problem_count)
        self.status.set_ready(event.report.cases, event.report.entities)
        if event.report.changed_anything:
            self.search_pane.redo()
            self.reading.reload()
        self.service.refresh_pending()

    def on_search_pane_search_wanted(self, event: SearchPane.SearchWanted) -> None:
        """Run the search in a worker (the latest one wins)."""
        self.service.search(event.request)

    def on_search_done(self, event: SearchDone) -> None:
        """Hand the answer to the search side (which drops stale ones); the order it is in."""
        if self.search_pane.show_result(event.request, event.result):
            self.status.set_sort(event.request.sort)  # the order shown: by date without a query

    @on(Worker.StateChanged)
    def _refresh_ended(self, event: Worker.StateChanged) -> None:
        """A refresh worker ended: run what was asked for meanwhile (its IndexDone, handled
        while the worker was still running, could not)."""
        if event.worker.name == "refresh" and event.worker.is_finished:
            self.search_pane.set_indexing(False)  # also when it failed or was cancelled
            self.service.refresh_pending()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place where a worker's failure becomes a message to the user."""
        if event.state is WorkerState.ERROR:
            reason, title = failure_notice(event.worker)
            self.notify(reason, title=title, severity="error", timeout=10, markup=False)
            if event.worker.group == "refresh":
                self.status.end_progress(_("Index not available"))

    # -- routing -----------------------------------------------------------------

    def on_search_pane_hit_chosen(self, event: SearchPane.HitChosen) -> None:
        """Open the chosen hit and move to the reader."""
        self.open_case(event.hit.path, focus=True)

    def on_search_pane_hit_settled(self, event: SearchPane.HitSettled) -> None:
        """Preview the current hit (when the reader is on screen beside the results)."""
        self.reading.preview(event.hit.path, event.since)

    def open_case(self, ref: str, *, focus: bool = False) -> None:
        """Open a case in the reader; `focus` moves to it (full width on narrow)."""
        self.reading.open(ref, focus=focus)

    def on_reading_pane_case_wanted(self, event: ReadingPane.CaseWanted) -> None:
        """Read a case for the reader in a worker (the answer goes to the reader)."""
        self.service.load_case(event.ref, record=event.record, with_xref=event.with_xref, reply_to=self.reading,
                               ticket=event.ticket)

    def on_reading_pane_case_xref_wanted(self, event: ReadingPane.CaseXrefWanted) -> None:
        """Read a put-off cross-reference in a worker."""
        self.service.load_case_xref(event.case_id, event.path, reply_to=self.reading)

    def on_reading_pane_entity_wanted(self, event: ReadingPane.EntityWanted) -> None:
        """Read an entity for the cross-reference pane in a worker."""
        self.service.load_entity(event.name, reply_to=self.reading)

    def on_case_view_link_followed(self, event: CaseView.LinkFollowed) -> None:
        """A wiki-link or case link in the reader: resolve it in a worker, then navigate."""
        self.service.follow(event.target, path=event.kind == "path", anchor=event.anchor,
                            with_xref=self.reading.xref_shown, reply_to=self.reading, from_path=event.from_path,
                            ticket=self.reading.ticket)

    def on_entities_loaded(self, event: EntitiesLoaded) -> None:
        """Open the entity browser; a chosen name shows in the cross-reference pane.

        A dangling link target is not an entity (F8 lists it as a problem): left out.
        """
        def chosen(name: str | None) -> None:
            if name:
                self.service.load_entity(name, reply_to=self.reading)
        self.push_screen(EntitiesScreen([e for e in event.entities if not e.dangling]), chosen)

    def on_problem_count_clicked(self, _event: ProblemCount.Clicked) -> None:
        """The status line's problem count was clicked."""
        self.action_problems()

    # -- actions -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit is shown disabled until a case is open."""
        if action == "edit":
            return True if self.main.query(ReadingPane) and self.reading.current_path else None
        return True

    def action_focus_search(self) -> None:
        """Back to the search bar (and to the results on narrow screens)."""
        self.main.remove_class("-reading")
        self.search_pane.focus_query()

    def action_sort(self, sort: Sort | None = None) -> None:
        """Set or toggle the order of results."""
        pane = self.search_pane
        pane.sort = sort or ("date" if pane.sort == "relevance" else "relevance")
        if not pane.bar.typed.strip():
            self.notify(_("Without a query every file is listed newest first."), markup=False)

    def action_toggle_tags(self) -> None:
        """Show or hide the tag list."""
        self.search_pane.toggle_tags()

    def action_toggle_xref(self) -> None:
        """Show or hide the cross-reference pane."""
        self.reading.toggle_xref()

    def action_help(self) -> None:
        """The help screen."""
        sections = [(_("Everywhere"), self.BINDINGS), (_("Results"), ResultList.BINDINGS),
                    *ReadingPane.binding_sections()]
        self.push_screen(HelpScreen(sections))

    def action_problems(self) -> None:
        """The problem list, read in a worker (`on_problems_loaded` shows it)."""
        self.service.load_problems()

    def on_problems_loaded(self, event: ProblemsLoaded) -> None:
        """Show the problem list; choosing a problem opens its file at its line."""
        def chosen(problem: Problem | None) -> None:
            if problem is not None:
                self.reading.open(problem.path, focus=True, line=problem.line)
        self.push_screen(ProblemsScreen(event.problems), chosen)

    def action_entities(self) -> None:
        """The entity browser."""
        self.service.load_entities()

    def action_refresh_index(self) -> None:
        """Look for changed files now (a no-op while a refresh runs)."""
        self.service.refresh()

    def action_rebuild_index(self) -> None:
        """Index the whole folder again."""
        self.status.set_message(_("Rebuilding…"))
        self.service.refresh(rebuild=True)

    def action_edit(self) -> None:
        """Edit the current case in $EDITOR, then refresh it."""
        if (path := self.reading.edit(self.config.editor, self.config.cases_dir)) is not None:
            self.service.refresh(paths=[path])  # only this file: no walk of the folder

    def action_history_back(self) -> None:
        """Previous case in the history."""
        self.reading.back()

    def action_forward(self) -> None:
        """Next case in the history."""
        self.reading.forward()

    def on_app_focus(self) -> None:
        """The terminal got the focus back: look for changes."""
        self.service.refresh()


def make_app(config: Config, *, live_interval: float | None = LIVE_INTERVAL) -> CasefileApp:
    """The one factory of the app, for the command line and the tests (in `config.lang`)."""
    use_language(config.lang)
    return CasefileApp(config, live_interval=live_interval)


def run_app(config: Config) -> int:
    """Run the reader until the user quits; the exit code."""
    app = make_app(config)
    result = app.run()
    return int(result or 0)
