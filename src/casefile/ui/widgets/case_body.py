"""The scrolling body of a case: a line-API view of a rendered Document.

Only the lines on screen are styled and painted, so a 5,000-word case shows at
once; links are segments carrying their index in the style's meta (never an
`@click` action built from file text), clickable and reachable with Tab.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from casefile.ui.bidi import ltr_strip
from casefile.ui.layout import Line, Lines, LinkIndex, first_lines, layout, shown_at
from casefile.ui.render import Document, Span

LINK_META = "casefile-link"
Match = tuple[int, int, int]
"""A find match: block, start, end."""

_ROLE_CLASSES = {
    "strong": "case-body--strong", "em": "case-body--em", "strike": "case-body--strike",
    "code": "case-body--code", "link": "case-body--link", "wiki": "case-body--wiki",
    "dangling": "case-body--dangling", "link-blocked": "case-body--link-blocked",
    "image": "case-body--image", "table-header": "case-body--table-header",
    "mark": "case-body--mark", "footnote": "case-body--footnote",
}
LAYOUT_IN_THREAD_CHARS = 20_000
"""Documents with more text than this are laid out in a thread on a resize or a late width."""
_KIND_CLASSES = {"callout": "case-body--callout", "embed": "case-body--embed", "code": "case-body--code-block",
                 "table": "case-body--table", "plain": "case-body--plain"}


class CaseBody(ScrollView, can_focus=True):
    """Paints the wrapped lines of a Document; posts LinkActivated on click or Enter."""

    COMPONENT_CLASSES = {
        *_ROLE_CLASSES.values(), *_KIND_CLASSES.values(),
        "case-body--h1", "case-body--h2", "case-body--h3", "case-body--prefix", "case-body--rule",
        "case-body--match", "case-body--match-current", "case-body--link-selected",
        "case-body--link-hover",
    }
    BINDINGS = [
        Binding("tab", "next_link", "Next link", show=False),
        Binding("shift+tab", "previous_link", "Previous link", show=False),
        Binding("enter", "follow", "Follow link", show=False),
        Binding("j", "scroll_down", show=False),
        Binding("k", "scroll_up", show=False),
        Binding("space", "page_down", show=False),
        Binding("g", "scroll_home", show=False),
        Binding("G", "scroll_end", show=False),
    ]

    @dataclass
    class LinkActivated(Message):
        """A link was clicked or followed with Enter; handled by `CaseView.on_case_body_link_activated`."""

        index: int
        """Its index in the document's links."""

    @dataclass
    class LaidOut(Message):
        """A long document was laid out in a thread; handled by `on_case_body_laid_out`."""

        document: Document
        width: int
        lines: Lines

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document = Document()
        self.dangling: frozenset[int] = frozenset()
        self.lines: Lines = Lines()
        self._first_line: list[int] = []
        self._line_width = 0
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}
        self._matches: dict[int, list[tuple[int, int]]] = {}
        self.current_match: Match | None = None
        self.selected_link: int | None = None
        self.hover_link: int | None = None
        self.links = LinkIndex(self.document, Lines())
        """Where the links are on screen."""
        self._base: Style | None = None
        self._chars = 0
        self._spans: dict[int, dict[int, list[Span]]] = {}
        """Per block, its spans on each of its lines (painting a line never reads all of a block's)."""

    def on_mount(self) -> None:
        """Repaint with new colours when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.restyle())

    def restyle(self) -> None:
        """Forget cached styles and strips."""
        self._styles.clear()
        self.repaint()

    def repaint(self) -> None:
        """Forget cached strips and redraw."""
        self._cache.clear()
        self._base = None
        self.refresh()

    def set_document(self, document: Document, dangling: frozenset[int] = frozenset(), *,
                     keep_position: bool = False, lines: tuple[int, Lines] | None = None) -> None:
        """Show a new document from its top, or where the reader is (`keep_position`).

        `lines` is (width, layout) computed in a thread; used when the width still matches.
        """
        self.document = document
        self._chars = sum(len(block.text) for block in document.blocks)
        self.dangling = dangling
        self._matches = {}
        self.current_match = self.hover_link = None
        if not keep_position:
            self.selected_link = None
            self.lines = Lines()
        self._relayout(lines, fresh=True)
        if not keep_position:
            self.scroll_to(0, 0, animate=False, immediate=True, force=True)

    @property
    def text_width(self) -> int:
        """Width available for text."""
        return max(1, self.scrollable_content_region.width)

    def _relayout(self, prepared: tuple[int, Lines] | None = None, *, fresh: bool = False) -> None:
        """Wrap the document to the current width (`prepared`: laid out in a thread for a width).

        A long document is laid out in a thread (0.3-0.8 s for 150,000 characters): until
        then a new one shows the lines it came with, a resized one keeps its lines.
        """
        width = self.text_width if self.size.width else 0  # not laid out yet: on_resize will do it
        if prepared is not None and prepared[0] == width:
            lines = prepared[1]
        elif not width:
            lines = Lines()
        elif self._chars > LAYOUT_IN_THREAD_CHARS:
            self._layout_in_thread(self.document, width)
            if not fresh:
                return
            width, lines = prepared if prepared is not None else (width, Lines())
        else:
            lines = layout(self.document, width)
        self._show_lines(lines, width)

    @work(thread=True, exclusive=True, group="case-body-layout", exit_on_error=False)
    def _layout_in_thread(self, document: Document, width: int) -> None:
        """Lay out a long document off the UI thread (pure)."""
        lines = layout(document, width)
        if not get_current_worker().is_cancelled:
            self.post_message(self.LaidOut(document, width, lines))

    def on_case_body_laid_out(self, event: LaidOut) -> None:
        """Show lines laid out in a thread, unless the document or the width changed since."""
        event.stop()
        if event.document is self.document and event.width == self.text_width:
            self._relayout((event.width, event.lines))
            self.call_after_refresh(self.repaint)  # a frame painted at the old width may be cached

    def _show_lines(self, lines: Lines, width: int) -> None:
        """Use `lines` (laid out for `width`), keeping the top line in view."""
        anchor = self.lines[int(self.scroll_y)] if self.lines and int(self.scroll_y) < len(self.lines) else None
        self.lines = lines
        self._line_width = width
        self._first_line = first_lines(self.lines, len(self.document.blocks))
        self.links = LinkIndex(self.document, self.lines)
        self.virtual_size = Size(width, len(self.lines))
        self._spans = {}
        self._cache.clear()
        self._base = None
        if anchor is not None:
            self.scroll_to(y=self.line_of(anchor.block, anchor.start), animate=False, immediate=True, force=True)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap when the width changes."""
        if self.text_width != self._line_width:
            self._relayout()
            # a frame painted before this resize may still be cached by the compositor
            self.call_after_refresh(self.repaint)

    def is_shown(self, block: int) -> bool:
        """False for the form of a table that does not fit the width."""
        return shown_at(self.document.blocks[block].fits, self._line_width)

    def line_of(self, block: int, offset: int = 0) -> int:
        """The screen line showing `offset` of `block`."""
        if block >= len(self._first_line):
            return max(0, len(self.lines) - 1)
        number = self.lines.line_at(block, offset)  # bisected: a plain block may have 300,000 lines
        return self._first_line[block] if number is None else number

    def block_at_top(self) -> int:
        """The block shown on the first visible line."""
        top = int(self.scroll_y)
        return self.lines[top].block if top < len(self.lines) else 0

    def scroll_to_line(self, number: int, *, top: bool = False) -> None:
        """Bring a line into view; at the top, or with a little context above it."""
        height = self.scrollable_content_region.height
        if top:
            self.scroll_to(y=number, animate=False, immediate=True, force=True)
        elif not self.scroll_y <= number < self.scroll_y + height:
            self.scroll_to(y=max(0, number - height // 3), animate=False, immediate=True, force=True)

    # find highlights ------------------------------------------------------

    def set_matches(self, matches: list[Match], current: Match | None) -> None:
        """Highlight find matches; the current one differently, and scroll to it."""
        self._matches = {}
        for block, start, end in matches:
            self._matches.setdefault(block, []).append((start, end))
        self.current_match = current
        if current is not None:
            self.scroll_to_line(self.line_of(current[0], current[1]))
        self.repaint()

    # links ----------------------------------------------------------------

    def _select(self, link: int | None) -> None:
        """Select a link and scroll to it."""
        self.selected_link = link
        number = self.link_line(link) if link is not None else None
        if number is not None:
            self.scroll_to_line(number)
        self.repaint()

    def action_next_link(self) -> None:
        """Select the next link below the current one (or below the top of the view)."""
        self._step_link(+1)

    def action_previous_link(self) -> None:
        """Select the previous link."""
        self._step_link(-1)

    def _step_link(self, step: int) -> None:
        """Move the link selection; past either end, focus leaves the body."""
        link = self.links.step(self.selected_link, step, int(self.scroll_y))
        self._select(link)
        if link is None:
            self.screen.focus_next() if step > 0 else self.screen.focus_previous()

    def action_follow(self) -> None:
        """Follow the selected link."""
        if self.selected_link is not None:
            self.post_message(self.LinkActivated(self.selected_link))

    def on_click(self, event: events.Click) -> None:
        """Follow a clicked link."""
        link = event.style.meta.get(LINK_META)
        if isinstance(link, int):
            event.stop()
            self._select(link)
            self.post_message(self.LinkActivated(link))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Underline the link under the pointer."""
        link = event.style.meta.get(LINK_META)
        link = link if isinstance(link, int) else None
        if link != self.hover_link:
            self.hover_link = link
            self.repaint()

    def on_leave(self, event: events.Leave) -> None:
        """Drop the hover mark."""
        if self.hover_link is not None:
            self.hover_link = None
            self.repaint()

    # painting -------------------------------------------------------------

    def style_for(self, name: str) -> Style:
        """A component class as a Rich style (cached until the theme changes)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def render_line(self, y: int) -> Strip:
        """Paint one visible line."""
        number = int(self.scroll_y) + y
        width = self.text_width
        if self._base is None:
            self._base = self.rich_style
        strip = self._cache.get(number)
        if strip is None:
            if number >= len(self.lines):
                return Strip.blank(width, self._base)
            text = self._line_text(number, width)
            strip = Strip(text.render(self.app.console), text.cell_len).crop_extend(0, width, self._base)
            strip = self._cache[number] = ltr_strip(strip.apply_style(self._base))  # RTL kept in the pane
        return strip

    def _line_text(self, number: int, width: int) -> Text:
        """The styled Text of one screen line."""
        line = self.lines[number]
        block = self.document.blocks[line.block]
        prefix = Text(block.first_prefix if line.first else block.rest_prefix, self.style_for("case-body--prefix"))
        if block.kind == "rule":
            return prefix + Text("─" * max(0, width - prefix.cell_len), self.style_for("case-body--rule"))
        text = Text(block.text[line.start:line.end], self._block_style(block.kind, block.level))
        for span in self._spans_on(line.block, number):
            text.stylize(self._span_style(span.role, span.link), max(0, span.start - line.start), span.end - line.start)
        self._highlight(text, line)
        if block.kind in _KIND_CLASSES and block.kind != "plain":
            text.pad_right(max(0, width - prefix.cell_len - text.cell_len))
        return prefix + text

    def _spans_on(self, block: int, number: int) -> list[Span]:
        """The spans of `block` on screen line `number`, in the block's order."""
        by_line = self._spans.get(block)
        if by_line is None:
            by_line = self._spans[block] = self.lines.spans_by_line(block, self.document.blocks[block].spans)
        return by_line.get(number, [])

    def _block_style(self, kind: str, level: int) -> Style:
        """Base style of a block kind."""
        if kind == "heading":
            return self.style_for(f"case-body--h{min(level, 3)}")
        name = _KIND_CLASSES.get(kind)
        return self.style_for(name) if name else Style()

    def _span_style(self, role: str, link: int | None) -> Style:
        """Style of an inline span, with link meta and selection/hover marks."""
        if link is None:
            return self.style_for(_ROLE_CLASSES.get(role, "case-body--strong"))
        if role == "wiki" and link in self.dangling:
            role = "dangling"
        style = self.style_for(_ROLE_CLASSES.get(role, "case-body--link"))
        if link == self.hover_link:
            style += self.style_for("case-body--link-hover")
        if link == self.selected_link:
            style += self.style_for("case-body--link-selected")
        return style + Style.from_meta({LINK_META: link})

    def _highlight(self, text: Text, line: Line) -> None:
        """Mark find matches on this line."""
        matches = self._matches.get(line.block, [])
        # sorted and disjoint (find's order): the first that ends past the line's start, onwards
        for start, end in islice(matches, bisect.bisect_right(matches, line.start, key=itemgetter(1)), None):
            if start >= line.end:
                break
            if end > line.start:
                current = self.current_match == (line.block, start, end)
                name = "case-body--match-current" if current else "case-body--match"
                text.stylize(self.style_for(name), max(0, start - line.start), end - line.start)

    def link_line(self, link: int) -> int | None:
        """The first screen line showing a link, if any."""
        return self.links.line_of(link)
