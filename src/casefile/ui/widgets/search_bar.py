"""The search bar: a query input that debounces keystrokes, and a notice line under it."""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from casefile.core.text.sanitize import clean_line
from casefile.core.wording import N_, _

DEBOUNCE_SECONDS = 0.09
"""Keystrokes closer than this form a burst, searched once it settles."""
PLACEHOLDER = N_('Search: words, "phrase", tag:x, person:y, date:2017, prefix*, fuzzy~')


class SearchBar(Vertical):
    """Query input plus an inline notice (parse fallbacks, unknown fields)."""

    @dataclass
    class QueryChanged(Message):
        """The query settled after typing; handled by `on_search_bar_query_changed`."""

        query: str

    @dataclass
    class Submitted(Message):
        """Enter in the query: open the top result; handled by `on_search_bar_submitted`."""

        query: str

    def __init__(self, *, id: str | None = None) -> None:
        """Build with no pending debounce."""
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._last_change = 0.0
        self._notice = ""

    def compose(self) -> ComposeResult:
        """The input and the notice line."""
        yield Input(placeholder=_(PLACEHOLDER), id="query", select_on_focus=False)
        yield Static(id="search-notice")

    @property
    def input(self) -> Input:
        """The query input."""
        return self.query_one("#query", Input)

    @property
    def typed(self) -> str:
        """The query as typed."""
        return self.input.value

    @property
    def pending(self) -> bool:
        """True while a keystroke waits for its debounce."""
        return self._timer is not None

    def focus_query(self) -> None:
        """Focus the input."""
        self.input.focus()

    def set_query(self, query: str) -> None:
        """Replace the query text (a search follows, as for typing)."""
        self.input.value = query
        self.input.cursor_position = len(query)

    def add_term(self, term: str) -> None:
        """Append a term (such as a tag filter) unless the query already has it."""
        current = self.typed.strip()
        if term.lower() not in current.lower().split():
            self.set_query(f"{current} {term}".strip())

    def show_notice(self, notice: str | None) -> None:
        """Show `notice` under the input, or hide the line when None."""
        text = clean_line(notice or "")
        if text != self._notice:  # an update re-lays the screen out: only when it changes
            self._notice = text
            self.query_one("#search-notice", Static).update(Text(text))
            self.set_class(bool(text), "-notice")

    @on(Input.Changed, "#query")
    def _changed(self, event: Input.Changed) -> None:
        """Search at once after a pause in typing; within a burst, once the burst settles.

        The leading edge keeps results immediate at a human typing pace; the trailing
        debounce keeps a fast burst (or a paste) from queueing a search per character.
        """
        event.stop()
        if (safe := clean_line(event.value)) != event.value:  # a paste can carry escapes
            self.set_query(safe)
            return
        now = monotonic()
        quiet = now - self._last_change >= DEBOUNCE_SECONDS and self._timer is None
        self._last_change = now
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if quiet:
            self.flush()
        else:
            self._timer = self.set_timer(DEBOUNCE_SECONDS, self.flush)

    def flush(self) -> None:
        """Post the query now (the debounce expired, or Enter was pressed)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.QueryChanged(self.typed))

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: search now if a keystroke is pending, then ask for the top result."""
        event.stop()
        if self.pending:
            self.flush()
        self.post_message(self.Submitted(self.typed))
