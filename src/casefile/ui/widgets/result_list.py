"""The search results: a line-API list that renders only the rows on screen.

A result set may hold tens of thousands of hits; building a widget (or even an
option) per hit is too slow, so rows are drawn on demand in `render_line` from
the `SearchResult` held here, three lines per hit. When the loaded hits run out
before the total, the last row asks the app for more (`MoreWanted`).
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from casefile.core.model import SearchHit, SearchResult
from casefile.core.wording import _, number
from casefile.ui.bidi import ltr
from casefile.ui.widgets.result_rows import LINE_BUILDERS, ROW_HEIGHT, RowStyles, fit


class ResultList(ScrollView, can_focus=True):
    """Search hits, drawn lazily; the cursor row is the current hit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # No letter keys: a letter typed here belongs to the query (see SearchPane.on_key).
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--cursor", "result-list--title", "result-list--date",
        "result-list--snippet", "result-list--match", "result-list--tags",
        "result-list--meta", "result-list--entity", "result-list--notice",
    }

    cursor: reactive[int] = reactive(0, always_update=True)
    """Index of the current hit."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to `hit` (or to nothing); handled by `on_result_list_highlighted`."""

        hit: SearchHit | None

    @dataclass
    class Selected(Message):
        """The user chose `hit` (Enter or click); handled by `on_result_list_selected`."""

        hit: SearchHit

    @dataclass
    class MoreWanted(Message):
        """The last loaded hit is on screen: load `count` hits; `on_result_list_more_wanted`."""

        query: str
        count: int
        """How many hits to have loaded in all."""

    PAGE = 100
    """Hits asked for each time the loaded ones run out."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Start empty, with a hint for the empty state."""
        super().__init__(id=id, classes=classes)
        self.result: SearchResult | None = None
        self.empty_text = _("Type to search.")
        self.order = ""
        """How the hits are sorted, for the subtitle ("by date")."""
        self._strips: LRUCache[tuple[int, int, bool], list[Strip]] = LRUCache(512)
        self._styles: dict[bool, RowStyles] = {}
        self._asked_more = 0
        self._posted: tuple[str, str] | None = None

    @property
    def hits(self) -> tuple[SearchHit, ...]:
        """The loaded hits."""
        return self.result.hits if self.result else ()

    @property
    def current(self) -> SearchHit | None:
        """The hit under the cursor, if any."""
        hits = self.hits
        return hits[self.cursor] if 0 <= self.cursor < len(hits) else None

    @property
    def has_more(self) -> bool:
        """True when the total is larger than the loaded hits."""
        return self.result is not None and self.result.total > len(self.result.hits)

    def show_result(self, result: SearchResult | None, *, keep_cursor: bool = False) -> None:
        """Show a new result set (or none); `keep_cursor` when it extends the current one."""
        self.result = result
        self._asked_more = len(result.hits) if keep_cursor and result else 0
        self._strips.clear()
        rows = len(self.hits) + (1 if self.has_more else 0)
        self.virtual_size = Size(self.size.width, rows * ROW_HEIGHT if rows else 1)
        if not keep_cursor:
            self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor = min(self.cursor, max(0, len(self.hits) - 1)) if keep_cursor else 0
        self.refresh()

    @property
    def allow_vertical_scroll(self) -> bool:
        """Scrollable by wheel and keys although no scrollbar is drawn."""
        return self.virtual_size.height > self.scrollable_content_region.height

    def validate_cursor(self, cursor: int) -> int:
        """Keep the cursor on a loaded hit."""
        return max(0, min(cursor, len(self.hits) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw, keep the cursor visible, and tell the app when another hit is current."""
        self.refresh()  # cached rows are keyed by their cursor state: nothing to drop
        self.scroll_to_region(Region(0, new * ROW_HEIGHT, self.size.width, ROW_HEIGHT),
                              animate=False, force=True, immediate=True)
        self._show_position()
        current = self.current
        key = (current.path, current.id) if current is not None else None
        if key != self._posted:  # a refreshed result with the same hit on top is no news
            self._posted = key
            self.post_message(self.Highlighted(current))

    def _show_position(self) -> None:
        """"3/431 · by relevance" under the list (there is no scrollbar)."""
        total = self.result.total if self.result else 0
        where = f"{number(self.cursor + 1)}/{number(total)} · " if total else ""
        self.border_subtitle = where + self.order

    def action_cursor(self, delta: int) -> None:
        """Move the cursor by `delta` hits."""
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        """Move the cursor by one screenful."""
        self.cursor += direction * max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_jump(self, index: int) -> None:
        """Jump to the first hit (0) or the last loaded one (-1)."""
        self.cursor = index if index >= 0 else len(self.hits) - 1

    def action_select(self) -> None:
        """Open the hit under the cursor."""
        if (hit := self.current) is not None:
            self.post_message(self.Selected(hit))

    async def _on_click(self, event: events.Click) -> None:
        """Clicking a hit moves the cursor there and opens it."""
        row = event.style.meta.get("row")
        if isinstance(row, int) and row < len(self.hits):
            self.cursor = row
            self.action_select()

    def notify_style_update(self) -> None:
        """Styles (theme, focus) changed: drop cached lines and styles."""
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def _on_resize(self, event: events.Resize) -> None:
        """The width changed: rows are re-cropped."""
        self._strips.clear()
        self.virtual_size = Size(event.size.width, self.virtual_size.height)

    def render_line(self, y: int) -> Strip:
        """Draw line `y` of the visible region."""
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        row, part = divmod(line, ROW_HEIGHT)
        if not self.hits:
            return self._notice_line(line, self.empty_text, width)
        if row >= len(self.hits):
            return self._more_line(row, part, width)
        return self._row_strips(row, width, row == self.cursor)[part]

    def _row_strips(self, row: int, width: int, cursor: bool) -> list[Strip]:
        """The three lines of one hit, built together and cached."""
        key = (row, width, cursor)
        strips = self._strips.get(key)
        if strips is None:
            styles = copy(self._row_styles(cursor))
            styles.base = styles.base + Style.from_meta({"row": row})  # for clicks
            hit, console = self.hits[row], self._console
            inner = max(1, width - 1)  # a blank column before the border
            strips = [Strip(ltr(build(hit, inner, styles)).render(console), inner)
                      .extend_cell_length(width, styles.base).apply_style(styles.base)  # no segment left unstyled
                      for build in LINE_BUILDERS]
            self._strips[key] = strips
        return strips

    def _row_styles(self, cursor: bool) -> RowStyles:
        """The styles of plain or cursor rows, resolved once per style change."""
        styles = self._styles.get(cursor)
        if styles is None:
            styles = self._styles[cursor] = RowStyles(self, cursor)
        return styles

    @property
    def _console(self) -> Console:
        """The console that renders rich text for this app."""
        return self.app.console

    def _notice_line(self, line: int, message: str, width: int) -> Strip:
        """A dim message on the second line, blank lines elsewhere."""
        if line != 1:
            return Strip.blank(width, self.rich_style)
        style = self.get_component_rich_style("result-list--notice")
        text = fit(Text("  " + message, style=style), width)
        # NO_COLOR needs a style on every segment
        return Strip(text.render(self._console), width).apply_style(self.rich_style)

    def _more_line(self, row: int, part: int, width: int) -> Strip:
        """The row after the last loaded hit: says how many remain, asks for them."""
        assert self.result is not None
        if row > len(self.hits) or not self.has_more:
            return Strip.blank(width, self.rich_style)
        if self._asked_more < len(self.hits):
            self._asked_more = len(self.hits)
            # Posted from our own queue: a message made while the screen renders
            # would carry the screen as sender and stop bubbling there.
            self.call_later(self._ask_more, self.result)
        remaining = self.result.total - len(self.hits)
        return self._notice_line(part, _("… {n} more hits, loading").format(n=number(remaining)), width)

    def _ask_more(self, result: SearchResult) -> None:
        """Ask for the next page of `result` if it is still the one shown."""
        if result is self.result:
            self.post_message(self.MoreWanted(result.query, len(result.hits) + self.PAGE))
