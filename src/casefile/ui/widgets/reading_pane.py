"""The reading side: the case view, the cross-reference pane and the history of visited files.

Attributes down, messages up: the app hands in what a worker read (`show`,
`show_case_xref`, `entity_loaded`); the pane asks for what it needs next with
`CaseWanted`, `CaseXrefWanted` and `EntityWanted`, each carrying every decision
(whether to read the cross-reference travels with the request: no shared flag
is read by a worker thread). The history holds file paths: an id may name two files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from time import monotonic

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message

from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _
from casefile.core.xref.model import EntityXref
from casefile.ui.editor import edit_file
from casefile.ui.history import History
from casefile.ui.messages import CaseBundle, CaseLoaded, CaseXrefLoaded, EntityLoaded, TargetMissing
from casefile.ui.screens.external_link import ExternalLinkScreen
from casefile.ui.widgets.case_body import CaseBody
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.xref_panel import XrefPanel


class ReadingPane(Horizontal):
    """The case view and the cross-reference pane, with back/forward through visited files."""

    @dataclass
    class CaseWanted(Message):
        """Read a case and show it here; `on_reading_pane_case_wanted`."""

        ref: str
        """An id or a folder-relative path (a path names exactly one file)."""
        record: bool
        """True to add it to the history (False when moving in it, or reloading)."""
        with_xref: bool
        """True to read its cross-reference too (the pane shows); else only its dangling targets."""
        ticket: int
        """The request's number (`ReadingPane.ticket`): its answer carries it back."""

    @dataclass
    class CaseXrefWanted(Message):
        """Read the cross-reference of the case on screen, put off until now; `on_reading_pane_case_xref_wanted`."""

        case_id: str
        path: str | None
        """The file shown (ids may repeat)."""

    @dataclass
    class EntityWanted(Message):
        """Read an entity's cross-reference for the pane; `on_reading_pane_entity_wanted`."""

        name: str

    def __init__(self, *, id: str | None = None) -> None:
        """Nothing shown, nothing visited."""
        super().__init__(id=id)
        self.history: History[str] = History()
        """Folder-relative paths in visiting order."""
        self._goto: tuple[str, int] | None = None
        """(path, file line) to show once that file is on screen (a problem chosen in F8)."""
        self._chosen_at = 0.0
        """When the user last asked for a case (`time.monotonic`): older previews give way."""
        self.ticket = 0
        """The number of the last case asked for (here, or by a link followed): the latest wins."""

    def compose(self) -> ComposeResult:
        """The reader and the cross-reference pane."""
        yield CaseView(id="reader")
        yield XrefPanel(id="xref")

    @property
    def view(self) -> CaseView:
        """The case view."""
        return self.query_one(CaseView)

    @property
    def xref(self) -> XrefPanel:
        """The cross-reference pane."""
        return self.query_one(XrefPanel)

    @property
    def current_path(self) -> str | None:
        """Path of the case on screen."""
        case = self.view.case
        return case.path if case is not None else None

    @property
    def xref_shown(self) -> bool:
        """True when the cross-reference pane is on screen."""
        return bool(self.xref.display)

    def focus(self, scroll_visible: bool = True) -> ReadingPane:
        """The keys go to the case body."""
        self.view.body.focus(scroll_visible)
        return self

    # asking for cases ----------------------------------------------------------

    def open(self, ref: str, *, focus: bool = False, line: int | None = None) -> None:
        """Ask for a case (added to the history); `focus` moves to it (full width on narrow);
        `line` is a line of the file to show at the top (a problem chosen in F8)."""
        self._chosen_at = monotonic()
        self._ask(ref, line)
        if focus:
            screen = self.screen
            if screen.has_class("-narrow"):  # give the room back to the reader
                screen.remove_class("-show-xref")
            screen.add_class("-reading")
            self.focus()

    def preview(self, path: str, since: float) -> None:
        """Show a file while the results keep the keys, when the reader is beside them, unless
        the user asked for a case after it became current at `since`: a preview waits for a
        pause, and a late one (F8 chosen as results arrive) must not replace the user's case."""
        if not self.screen.has_class("-narrow") and path != self.current_path and since >= self._chosen_at:
            self._ask(path, None)

    def _ask(self, ref: str, line: int | None) -> None:
        """Ask for a case to add to the history, shown at `line` of its file when given."""
        self._goto = (ref, line) if line else None
        self._want(ref, record=True)

    def _want(self, ref: str, *, record: bool) -> None:
        """Post the request, with whether the cross-reference is wanted now."""
        self.ticket += 1
        self.post_message(self.CaseWanted(ref, record, self.xref_shown, self.ticket))

    def reload(self) -> None:
        """Read the case on screen again (the folder changed); nothing changes when it did not."""
        if (path := self.current_path) is not None:
            self._want(path, record=False)

    def back(self) -> None:
        """The previous file of the history."""
        self._chosen_at = monotonic()
        if (path := self.history.back()) is not None:
            self._want(path, record=False)

    def forward(self) -> None:
        """The next file of the history."""
        self._chosen_at = monotonic()
        if (path := self.history.forward()) is not None:
            self._want(path, record=False)

    # what was read -------------------------------------------------------------

    def on_case_loaded(self, event: CaseLoaded) -> None:
        """Show a case read in a worker; say so when a file asked for is gone. The answer to a
        request made before the last one is dropped: its worker may end after the newer one's."""
        event.stop()
        if event.ticket < self.ticket:
            return
        if event.bundle is not None:
            self.show(event.bundle, event.record, event.anchor)
        elif event.record:
            self.notify(_("Not in the folder (any more): {path}").format(path=clean_line(event.ref)),
                        severity="warning", markup=False)

    def show(self, bundle: CaseBundle, record: bool, anchor: str = "") -> None:
        """Put a case and its cross-reference on screen (at `anchor`, a heading or `^blockid`)."""
        case, current = bundle.case, self.view.case
        if not record and current is not None and current.path == case.path and current.sha256 == case.sha256:
            return  # a reload of an unchanged case: keep everything as it is
        if record:
            self.history.push(case.path)
        self.view.show_case(case, bundle.resolve, restore=not record, embeds=bundle.embeds)
        if anchor:
            self.view.go_to_anchor(anchor)
        if self._goto is not None and self._goto[0] == case.path:
            self.view.go_to_source_line(self._goto[1])
        self._goto = None
        if bundle.xref_deferred or case.is_entity:  # a page shows its entity: read next
            self.xref.defer_case_xref(case.id)
            self._read_deferred_xref()
        else:
            self.xref.show_case_xref(bundle.xref)
        if current is None:
            self.app.refresh_bindings()  # Edit becomes available (the footer is rebuilt: once)

    def _read_deferred_xref(self) -> None:
        """Ask for the open case's cross-reference if it was put off and the pane shows."""
        deferred = self.xref.deferred
        if deferred is None or not self.xref_shown:
            return
        if self.page_entity(deferred):
            self.post_message(self.EntityWanted(deferred))  # a page id names its entity
        else:
            self.post_message(self.CaseXrefWanted(deferred, self.current_path))

    def on_xref_panel_visibility(self, event: XrefPanel.Visibility) -> None:
        """The pane came on screen: a put-off cross-reference is read now."""
        event.stop()
        self._read_deferred_xref()

    def on_case_xref_loaded(self, event: CaseXrefLoaded) -> None:
        """A put-off cross-reference arrived (for the open case, unless another was opened)."""
        event.stop()
        self.xref.deferred_arrived(event.case_id, event.xref)

    def page_entity(self, name: str) -> bool:
        """True when `name` is the id of the entity page on screen, whose entity the pane awaits."""
        case = self.view.case
        return case is not None and case.is_entity and name == case.id == self.xref.deferred

    def on_entity_loaded(self, event: EntityLoaded) -> None:
        """Show an entity read for the pane (the base view of its own page)."""
        event.stop()
        name, entity = event.name, event.entity
        if self.page_entity(name):
            if entity is None:
                self.xref.show_case_xref(None)
            else:
                self.xref.show_page_entity(entity)
        elif entity is not None:
            self.show_entity(entity)
        else:
            self.target_missing(name)

    def on_target_missing(self, event: TargetMissing) -> None:
        """A followed link that leads nowhere (a dangling link)."""
        event.stop()
        self.target_missing(event.target)

    def target_missing(self, target: str) -> None:
        """Say that a link or a chosen name leads nowhere."""
        self.notify(_("No case or entity named {name!r}").format(name=target), severity="warning", markup=False)

    def show_entity(self, entity: EntityXref) -> None:
        """Show an entity in the cross-reference pane (making the pane visible)."""
        if not self.xref.display:
            self.toggle_xref()
        self.xref.show_entity(entity)
        self.xref.focus()

    # the cross-reference pane ----------------------------------------------------

    def on_case_view_link_followed(self, _event: CaseView.LinkFollowed) -> None:
        """A link followed is the user's request too (the app resolves it: the message goes on)."""
        self._chosen_at = monotonic()
        self.ticket += 1

    def on_case_view_external_link(self, event: CaseView.ExternalLink) -> None:
        """External URLs are shown (and can be copied), never opened."""
        event.stop()
        self.app.push_screen(ExternalLinkScreen(event.url))

    def on_xref_panel_case_chosen(self, event: XrefPanel.CaseChosen) -> None:
        """A case chosen in the cross-reference pane opens in the reader."""
        event.stop()
        self.open(event.case_id, focus=True)

    def on_xref_panel_entity_chosen(self, event: XrefPanel.EntityChosen) -> None:
        """An entity chosen in the pane: read it, then show it there."""
        event.stop()
        self.post_message(self.EntityWanted(event.name))

    def toggle_xref(self) -> None:
        """Show or hide the cross-reference pane, whatever the layout's default."""
        screen, shown = self.screen, self.xref.display
        screen.set_class(not shown, "-show-xref")
        screen.set_class(shown, "-hide-xref")
        if not shown and screen.has_class("-narrow"):
            screen.add_class("-reading")  # one pane at a time: the xref pane replaces the reader
        if not shown:  # the pane just shown takes the keys (else they go to a hidden pane)
            self.xref.focus()
        elif self.xref.has_focus_within:
            self.view.body.focus()

    # editing ----------------------------------------------------------------------

    def edit(self, editor: str | None, folder: Path) -> str | None:
        """Open the case on screen in `editor`; its path (to refresh), None when nothing ran."""
        case = self.view.case
        if case is None:
            self.notify(_("Open a case first."), severity="warning")
        elif not editor:
            self.notify(_("Set $EDITOR (or $VISUAL) to edit cases."), severity="warning")
        else:
            edit_file(self.app, editor, str(folder / case.path))
            return case.path
        return None

    @staticmethod
    def binding_sections() -> list[tuple[str, Iterable[BindingType]]]:
        """(title, bindings) of the reading widgets, for the help screen."""
        return [(_("Case"), [*CaseView.BINDINGS, *CaseBody.BINDINGS]), (_("Cross-reference"), XrefPanel.BINDINGS)]
