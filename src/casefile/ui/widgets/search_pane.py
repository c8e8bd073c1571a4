"""The search side of the window: query bar, tag list and results, routed together.

The pane owns what is being asked (query, sort, how many hits) and drops answers
to questions no longer asked. It never searches itself: it posts `SearchWanted`
and the app hands the answer back through `show_result`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from time import monotonic
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer

from casefile.core.model import SearchHit, SearchResult
from casefile.core.wording import N_, _, counted
from casefile.ui.as_you_type import typing_query
from casefile.ui.messages import SearchRequest, Sort
from casefile.ui.widgets.result_list import ResultList
from casefile.ui.widgets.result_rows import ROW_HEIGHT
from casefile.ui.widgets.search_bar import SearchBar
from casefile.ui.widgets.tag_filter import TagFilter, tag_term

ORDERS = {"relevance": N_("by relevance"), "date": N_("by date")}
"""The order of the results as the list words it."""
MIN_FIRST_PAGE = 12
"""Hits loaded for a new query at least (two screenfuls otherwise); more load on scrolling."""
SETTLE_SECONDS = 0.3
"""A hit current this long (typing or moving paused) is previewed."""
RESEARCH_INTERVAL = 1.0
"""While indexing, the current query is searched again at most this often."""


class SearchPane(Vertical):
    """Search bar, tag filter and result list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so the focus moves before the next queued key is dispatched:
        # "Down Down Enter" typed ahead opens the second hit, not the first.
        Binding("down", "focus_results", "Results", show=False, priority=True),
    ]

    sort: reactive[Sort] = reactive("relevance", init=False)
    """Order of the results."""

    @dataclass
    class SearchWanted(Message):
        """Run `request`; handled by `on_search_pane_search_wanted`."""

        request: SearchRequest

    @dataclass
    class HitChosen(Message):
        """Open `hit`; handled by `on_search_pane_hit_chosen`."""

        hit: SearchHit

    @dataclass
    class HitSettled(Message):
        """A hit stayed current for a moment while the user is here; `on_search_pane_hit_settled`."""

        hit: SearchHit
        since: float
        """When it became current (`time.monotonic`): a case opened after that wins over it."""

    def __init__(self, *, id: str | None = None) -> None:
        """Nothing asked yet."""
        super().__init__(id=id)
        self.asked: SearchRequest | None = None
        """The last request posted."""
        self.shown: SearchRequest | None = None
        """The request whose answer is on screen."""
        self._open_top = False
        self._settle_timer: Timer | None = None
        self._current: tuple[str, float] = ("", 0.0)
        """The current hit's path and when it became current (a new answer may keep it)."""
        self._tag_counts: tuple[tuple[str, int], ...] = ()
        self._last_research = 0.0
        self._research_timer: Timer | None = None
        self.indexing = False
        """True while a refresh indexes files: an empty answer may not be the last word."""

    def compose(self) -> ComposeResult:
        """Bar on top, then the (hidden by default) tags, then the results."""
        yield SearchBar(id="search")
        yield TagFilter(id="tags")
        yield ResultList(id="results")

    @property
    def results(self) -> ResultList:
        """The result list."""
        return self.query_one(ResultList)

    @property
    def bar(self) -> SearchBar:
        """The search bar."""
        return self.query_one(SearchBar)

    def focus_query(self) -> None:
        """Put the focus in the query."""
        self.bar.focus_query()

    @property
    def first_page(self) -> int:
        """How many hits a new query loads: two screenfuls (each hit costs a snippet)."""
        return max(MIN_FIRST_PAGE, 2 * (self.results.size.height // ROW_HEIGHT + 1))

    def ask(self, query: str | None = None, *, limit: int | None = None, more: bool = False,
            literal: bool = False) -> None:
        """Ask the app to search `query` (default: the current one) in the current order.

        Unless `literal`, a last word still being typed is searched as a prefix.
        """
        limit = limit or self.first_page
        text = self.bar.typed if query is None else query
        sort = self.sort if text.strip() else "date"  # no query: every case, newest first
        self._post(SearchRequest(text if literal else typing_query(text), sort, limit, more))

    def _post(self, request: SearchRequest) -> None:
        """Remember `request` as the last question and ask the app."""
        self.asked = request
        self.post_message(self.SearchWanted(request))

    def redo(self) -> None:
        """Search the current query again (the index changed), keeping the loaded depth."""
        loaded = len(self.results.hits)
        self.ask(limit=max(self.first_page, loaded), more=bool(self.results.result))

    def redo_while_indexing(self) -> None:
        """Search again so new hits appear while files are indexed: at most once a RESEARCH_INTERVAL,
        and once more when it ends after a report inside it (a first build commits its first
        files, then reads the rest for seconds without a report: their hits must not wait)."""
        wait = RESEARCH_INTERVAL - (monotonic() - self._last_research)
        if wait <= 0:
            self._last_research = monotonic()
            self.redo()
        elif self._research_timer is None:
            self._research_timer = self.set_timer(wait, self._research_later)

    def _research_later(self) -> None:
        """The search a report inside the interval asked for."""
        self._research_timer = None
        if self.indexing:
            self.redo_while_indexing()

    def show_result(self, request: SearchRequest, result: SearchResult) -> bool:
        """Show an answer if it answers the last question; False when it was stale."""
        if request != self.asked:
            return False
        if self._open_top and not result.hits and typing_query(request.query) != request.query:
            self.ask(request.query)  # Enter on a word not finished: open the top hit of its prefix
            return False
        self.shown = request
        self.results.order = _(ORDERS.get(request.sort, request.sort))
        self.results.show_result(result, keep_cursor=request.more)
        self._tag_counts = result.tag_counts
        if self.has_class("-tags"):  # the hidden list is filled when shown (it costs per row)
            self.query_one(TagFilter).show_counts(result.tag_counts)
        self.bar.show_notice(result.notice)
        self.results.border_title = self._count_label(request, result.total)
        self.results.empty_text = self._empty_text(request)
        if self._open_top and self.results.hits:
            self.post_message(self.HitChosen(self.results.hits[0]))
        self._open_top = False
        return True

    def set_indexing(self, indexing: bool) -> None:
        """Say whether files are being indexed (the empty list's words depend on it)."""
        if indexing != self.indexing:
            self.indexing = indexing
            if self.shown is not None:
                self.results.empty_text = self._empty_text(self.shown)
                self.results.refresh()

    def _empty_text(self, request: SearchRequest) -> str:
        """What an empty list says: while indexing, that more may come."""
        if self.indexing:
            return _("No results yet: still indexing.")
        return _("No results.") if request.query.strip() else _("Nothing indexed yet.")

    @staticmethod
    def _count_label(request: SearchRequest, total: int) -> str:
        """"1,234 results", or "1,234 cases" for the empty query (everything)."""
        if request.query.strip():
            return counted(total, "{n} result", "{n} results")
        return counted(total, "{n} file", "{n} files")

    def toggle_tags(self) -> None:
        """Show or hide the tag list."""
        self.toggle_class("-tags")
        tags = self.query_one(TagFilter)
        if self.has_class("-tags"):
            tags.show_counts(self._tag_counts)
            tags.focus()  # shown to be used: the keys go there
        elif self.screen.focused is tags:
            self.focus_query()

    def watch_sort(self, sort: Sort) -> None:
        """A new order: search again."""
        self.ask()

    @on(SearchBar.QueryChanged)
    def _query_changed(self, event: SearchBar.QueryChanged) -> None:
        """The debounced query: search it (and postpone a pending preview: typing goes on)."""
        event.stop()
        if self._settle_timer is not None:
            self._arm_settle()
        self.ask(event.query)

    @on(SearchBar.Submitted)
    def _submitted(self, event: SearchBar.Submitted) -> None:
        """Enter in the query: open the top hit now, or when the answer arrives."""
        event.stop()
        answered = self.shown is not None and self.shown.query == event.query
        if answered and self.results.hits:
            self.post_message(self.HitChosen(self.results.hits[0]))
            return
        if self.asked is not None and self.asked.query != event.query:
            self.ask(event.query, literal=True)  # what was typed, with the core's exact-title boost
        self._open_top = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Down leaves the query only; in the lists it moves their cursor."""
        if action == "focus_results":
            return self.screen.focused is self.bar.input  # not has_focus: set only once Focus is handled
        return True

    def on_key(self, event: events.Key) -> None:
        """A character or Backspace typed in the tag or result list edits the query.

        Handled before any binding sees it, so no letter of a word being typed can run a
        command (the editor, help) on the hit under the cursor.
        """
        query = self.bar.input
        if self.screen.focused is query or not (event.is_printable or event.key == "backspace"):
            return
        event.stop()
        event.prevent_default()
        query.focus()
        if event.key == "backspace":
            query.action_delete_left()
        elif event.character:
            query.insert_text_at_cursor(event.character)

    def action_focus_results(self) -> None:
        """Down in the query: focus the results now (not after the queued keys)."""
        self.screen.set_focus(self.results)

    @on(TagFilter.TagChosen)
    def _tag_chosen(self, event: TagFilter.TagChosen) -> None:
        """Narrow the query to a tag; the query change searches."""
        event.stop()
        self.bar.add_term(tag_term(event.tag))

    @on(ResultList.Highlighted)
    def _highlighted(self, event: ResultList.Highlighted) -> None:
        """Wait for the current hit to settle (no preview per keystroke or per Down)."""
        event.stop()
        if event.hit is not None and event.hit.path != self._current[0]:
            self._current = (event.hit.path, monotonic())
        self._arm_settle()

    def _arm_settle(self) -> None:
        """(Re)start the wait before a preview."""
        if self._settle_timer is not None:
            self._settle_timer.stop()
        self._settle_timer = self.set_timer(SETTLE_SECONDS, self._settled)

    def _settled(self) -> None:
        """Pass the current hit up, unless the user went elsewhere (reading, a dialog)."""
        self._settle_timer = None
        hit = self.results.current
        if hit is not None and self.has_focus_within and self.screen.is_current:
            self.post_message(self.HitSettled(hit, self._current[1]))

    @on(ResultList.Selected)
    def _selected(self, event: ResultList.Selected) -> None:
        """Pass the chosen hit up."""
        event.stop()
        self.post_message(self.HitChosen(event.hit))

    @on(ResultList.MoreWanted)
    def _more(self, event: ResultList.MoreWanted) -> None:
        """Load more hits for the query shown."""
        event.stop()
        if self.asked is not None and event.query == self.asked.query:
            self._post(replace(self.asked, limit=event.count, more=True))
