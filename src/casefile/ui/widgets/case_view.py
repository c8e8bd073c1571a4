"""One case on screen: header, body, outline and find bar.

Attributes down, messages up: the reading pane calls `show_case(case, resolve)`; a followed
wiki-link or case-file link comes back as `LinkFollowed`, an external URL as
`ExternalLink` (the app shows it; nothing here opens a URL or writes the clipboard).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget

from casefile.core.model import Case
from casefile.core.text.sanitize import clean
from casefile.core.wording import N_, _
from casefile.ui.anchors import find_anchor
from casefile.ui.embeds import Embedded, EmbedKey
from casefile.ui.find import Match, find_matches, first_at_or_after
from casefile.ui.layout import Lines, layout
from casefile.ui.links import LinkTarget, dangling_links
from casefile.ui.progressive import merge, split_body
from casefile.ui.render import Document, render_markdown, renders_plain
from casefile.ui.source_line import block_of_line
from casefile.ui.widgets.case_body import CaseBody
from casefile.ui.widgets.case_header import CaseHeader
from casefile.ui.widgets.find_bar import FindBar
from casefile.ui.widgets.outline import Outline

Resolve = Callable[[str], Any]
"""Link target -> the core's Resolution (anything `is_dangling` understands)."""
SYNC_RENDER_CHARS = 4_000
"""Bodies longer than this are rendered in a thread, with a loading mark meanwhile: the
worst Markdown (a heading or a list item per line) costs ~20 us a character, and input
must never wait more than ~100 ms."""
OUTLINE_MIN_HEADINGS = 3
OUTLINE_MIN_WIDTH = 100


class CaseView(Widget, can_focus=False):
    """One case: header, outline, body and find bar; remembers where each file was left."""

    BINDINGS = [
        Binding("slash", "find", "Find", tooltip=N_("Find in this case")),
        Binding("n", "find_next", "Next match", show=False),
        Binding("N", "find_previous", "Previous match", show=False),
        Binding("o", "toggle_outline", "Outline"),
        # Only here, and no letter: a word typed ahead into the reader never starts the editor.
        Binding("ctrl+e", "app.edit", "Edit", id="case.edit"),
        Binding("escape", "clear_find", "Clear find", show=False),
    ]

    @dataclass
    class LinkFollowed(Message):
        """A link to a case or entity was activated; the app resolves it and navigates."""

        target: str
        """The wiki-link target or entity name; for a "path" link the folder-relative path without `.md`."""
        kind: Literal["wiki", "path"] = "wiki"
        """"wiki" for `[[target]]` and entity names, "path" for a Markdown link to a `.md` file."""
        anchor: str = ""
        """The heading or `^blockid` to open the target at."""
        from_path: str = ""
        """The linking file: of same-named notes, the nearest one opens."""

    @dataclass
    class ExternalLink(Message):
        """An external URL was activated: show it, never open it."""

        url: str

    @dataclass
    class Rendered(Message):
        """A long body (or its rest) was rendered in a thread; handled by `on_case_view_rendered`."""

        case: Case
        document: Document
        restore: bool
        """True to bring back the position the reader left the case at."""
        lines: tuple[int, Lines]
        """(width, layout) computed in the thread too."""
        complete: bool = field(default=True, kw_only=True)
        """False for the first part of a long body; the whole follows."""
        keep_position: bool = field(default=False, kw_only=True)
        """True when completing a first part already on screen."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.case: Case | None = None
        self._resolve: Resolve = lambda target: None
        self._positions: dict[str, int] = {}
        """Path -> the block at the top when that file was left (ids may repeat; paths do not)."""
        self._matches: list[Match] = []
        self._current: int | None = None
        self._outline_wanted: bool | None = None
        self._source_line: int | None = None
        self._wanted_anchor = ""
        self._embeds: dict[EmbedKey, Embedded] = {}
        self._anchor: tuple[int, int] | None = None
        """(block, offset) the reader scrolled to: kept when a resize clamps the scroll."""
        """A file line to bring to the top once the part of the body holding it is shown."""

    def compose(self) -> ComposeResult:
        yield CaseHeader(id="case-header")
        with Horizontal(id="case-main"):
            yield Outline(id="case-outline")
            yield CaseBody(id="case-body")
        yield FindBar(id="find-bar")

    def on_mount(self) -> None:
        """Start with the outline and find bar hidden; follow scrolling in the outline."""
        self.query_one(Outline).display = False
        self.query_one(FindBar).display = False
        self.watch(self.body, "scroll_y", self._scrolled, init=False)

    @property
    def body(self) -> CaseBody:
        """The scrolling body."""
        return self.query_one(CaseBody)

    # showing a case -------------------------------------------------------

    def show_case(self, case: Case, resolve: Resolve, *, restore: bool = False,
                  embeds: dict[EmbedKey, Embedded] | None = None) -> None:
        """Display `case`; `restore` when moving in the history (back where the file was left)."""
        if self.case is not None:
            self._positions[self.case.path] = self.body.block_at_top()
        self.case, self._resolve, self._embeds = case, resolve, embeds or {}
        self.query_one(CaseHeader).show(case, resolve)
        text = clean(case.body)
        if len(text) <= SYNC_RENDER_CHARS:
            self._display(case, render_markdown(text, case.path, case.title, self._embeds), restore=restore)
            return
        self.set_class(True, "-loading")
        self.body.set_document(Document())  # the previous case's links must not stay live
        self._render_in_thread(case, text, restore, self.body.text_width)

    @work(thread=True, exclusive=True, group="case-render", exit_on_error=False)
    def _render_in_thread(self, case: Case, text: str, restore: bool, width: int) -> None:
        """Render and lay out a body off the UI thread (both pure): a long one's first part, then all."""
        head, tail = (text, "") if renders_plain(text) else split_body(text)
        document = render_markdown(head, case.path, case.title, self._embeds)
        if tail:
            self.post_message(self.Rendered(case, document, False, (width, layout(document, width)),
                                            complete=False))
            document = merge(document, render_markdown(tail, case.path, None, self._embeds))
        self.post_message(self.Rendered(case, document, restore, (width, layout(document, width)),
                                        keep_position=bool(tail)))

    def on_case_view_rendered(self, event: Rendered) -> None:
        """Show a body rendered in a thread, unless another case was opened since."""
        if self.case is not None and event.case.path == self.case.path and event.case.sha256 == self.case.sha256:
            self.set_class(not event.complete, "-loading")
            self._display(event.case, event.document, restore=event.restore, keep_position=event.keep_position,
                          lines=event.lines)

    def _display(self, case: Case, document: Document, *, restore: bool, keep_position: bool = False,
                 lines: tuple[int, Lines] | None = None) -> None:
        """Put a rendered document on screen (`keep_position`: the same case, completed)."""
        self.body.set_document(document, dangling_links(document.links, self._resolve),
                               keep_position=keep_position, lines=lines)
        if not keep_position:
            self._anchor = None  # another case (or the same one again): from its top
        if restore and case.path in self._positions:
            self.body.scroll_to_line(self.body.line_of(self._positions[case.path]), top=True)
        self._show_source_line()
        self._show_anchor()
        self.query_one(Outline).show_headings(document.headings)
        self._update_outline()
        if self.query_one(FindBar).display or self._matches:
            self._run_find(self.query_one(FindBar).typed)

    def go_to_source_line(self, line: int) -> None:
        """Bring file line `line` of the open case to the top (now, or once it is rendered)."""
        self._source_line = line
        self._show_source_line()

    def _show_source_line(self) -> None:
        """Scroll to the wanted file line if the rendered body holds it (a long one may not yet)."""
        if self._source_line is None or self.case is None:
            return
        block = block_of_line(self.body.document, self.case, self._source_line)
        if block is not None and self.body.is_shown(block):
            self.body.scroll_to_line(self.body.line_of(block), top=True)
            self._source_line = None

    # links ----------------------------------------------------------------

    def on_case_body_link_activated(self, event: CaseBody.LinkActivated) -> None:
        """Route an activated link: navigate, jump, show the URL, or say why not."""
        event.stop()
        self.follow(self.body.document.links[event.index])

    def follow(self, link: LinkTarget) -> None:
        """Act on one link target."""
        if link.kind == "wiki":
            self.post_message(self.LinkFollowed(link.target, "wiki", link.anchor, self._here()))
        elif link.kind == "case":
            self.post_message(self.LinkFollowed(link.target, "path", link.anchor))
        elif link.kind == "url":
            self.post_message(self.ExternalLink(link.target))
        elif link.kind == "anchor":
            self.go_to_anchor(link.target)
        else:
            self.notify(_("Not followed: {target} ({reason})").format(target=link.target, reason=_(link.reason)),
                        title=_("Link"), severity="warning", markup=False)

    def _here(self) -> str:
        """The open case's path (where links are followed from), or ""."""
        return self.case.path if self.case is not None else ""

    def go_to_anchor(self, anchor: str) -> None:
        """Scroll to a heading or `^blockid` of the open case (now, or once the part holding it is shown)."""
        self._wanted_anchor = anchor
        self._show_anchor()

    def _show_anchor(self) -> None:
        """Scroll to the wanted anchor; a missing one leaves the case at its top, with a notice."""
        if not self._wanted_anchor or self.case is None:
            return
        place = find_anchor(self.body.document, self.case, self._wanted_anchor)
        if place is None and self.has_class("-loading"):
            return  # the rest of a long body may hold it
        anchor, self._wanted_anchor = self._wanted_anchor, ""
        if place is None:
            self.notify(_("No heading or block #{anchor} in this case: shown from its top").format(anchor=anchor),
                        severity="warning", markup=False)
        elif place[0] == "line":
            self.go_to_source_line(place[1])
        else:
            self.body.scroll_to_line(self.body.line_of(place[1]), top=True)

    def on_case_header_entity_clicked(self, event: CaseHeader.EntityClicked) -> None:
        """An entity name in the header navigates like a wiki-link."""
        event.stop()
        self.post_message(self.LinkFollowed(event.name, "wiki", from_path=self._here()))

    # outline --------------------------------------------------------------

    def _update_outline(self) -> None:
        """Show the outline when asked to, or by default for long, sectioned cases."""
        outline = self.query_one(Outline)
        if self._outline_wanted is not None:
            wanted = self._outline_wanted
        else:
            wanted = (len(outline.headings) >= OUTLINE_MIN_HEADINGS and self.size.width >= OUTLINE_MIN_WIDTH
                      and len(self.body.lines) > 2 * self.body.size.height)
        outline.display = wanted and bool(outline.headings)

    def action_toggle_outline(self) -> None:
        """Show or hide the outline; showing it focuses it for a jump."""
        outline = self.query_one(Outline)
        if not outline.headings:
            self.notify(_("This case has no headings"), markup=False)
            return
        self._outline_wanted = not outline.display
        self._update_outline()
        (outline if outline.display else self.body).focus()

    def on_outline_heading_chosen(self, event: Outline.HeadingChosen) -> None:
        """Scroll the chosen heading to the top."""
        event.stop()
        self.body.scroll_to_line(self.body.line_of(event.heading.block), top=True)

    def _scrolled(self, old: float, new: float) -> None:
        """Remember where the reader is (not a resize's clamp); follow it in the outline."""
        body = self.body
        clamped = new < old and new >= body.max_scroll_y  # the case got shorter than the window
        if not clamped and int(body.scroll_y) < len(body.lines):
            line = body.lines[int(body.scroll_y)]
            self._anchor = (line.block, line.start)
        outline = self.query_one(Outline)
        if outline.display and not outline.has_focus:
            outline.follow(self.body.block_at_top())

    def on_resize(self) -> None:
        """The default outline depends on the width; the reading position survives the resize.

        A wider window may show the whole case and clamp the scroll to the top: the
        position read before is brought back once the window is narrow again.
        """
        if self.case is not None:
            self._update_outline()
            self.call_after_refresh(self._restore_anchor)

    def _restore_anchor(self) -> None:
        """Scroll back to the remembered position after a resize."""
        if self._anchor is not None:
            self.body.scroll_to_line(self.body.line_of(*self._anchor), top=True)

    # find -----------------------------------------------------------------

    def action_find(self) -> None:
        """Open the find bar."""
        self.query_one(FindBar).open()

    def _run_find(self, query: str) -> None:
        """Find `query`, select the first match from the top of the view."""
        self._matches = [m for m in find_matches(self.body.document, query) if self.body.is_shown(m[0])]
        self._current = first_at_or_after(self._matches, self.body.block_at_top()) if self._matches else None
        self._show_matches()

    def _show_matches(self) -> None:
        """Push the matches down to the body and the counter."""
        current = self._matches[self._current] if self._current is not None else None
        self.body.set_matches(self._matches, current)
        self.query_one(FindBar).set_count(self._current, len(self._matches))

    def on_find_bar_changed(self, event: FindBar.Changed) -> None:
        """Search as the query is typed."""
        self._run_find(event.query)

    def on_find_bar_submitted(self, event: FindBar.Submitted) -> None:
        """Enter: keep the matches, give the keys back to the body for n/N."""
        self.body.focus()

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        """Escape in the bar: clear the matches."""
        self.action_clear_find()

    def _step(self, step: int) -> None:
        """Move to the next or previous match, wrapping around."""
        if not self._matches:
            if self.query_one(FindBar).typed:
                self._run_find(self.query_one(FindBar).typed)
            return
        self._current = ((self._current or 0) + step) % len(self._matches)
        self._show_matches()

    def action_find_next(self) -> None:
        """Next match."""
        self._step(+1)

    def action_find_previous(self) -> None:
        """Previous match."""
        self._step(-1)

    def action_clear_find(self) -> None:
        """Drop the highlights and hide the bar."""
        self._matches, self._current = [], None
        self.query_one(FindBar).display = False
        self.body.set_matches([], None)
        self.body.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape only means "clear find" while there is something to clear."""
        if action == "clear_find":
            return bool(self._matches) or self.query_one(FindBar).display
        return True
