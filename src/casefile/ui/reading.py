"""The app's routing for the reading side (case view, cross-reference pane), kept apart.

A plain helper, not a widget: it holds no state of its own (the history lives in
the CaseView) and exists so that `app.py` stays a short list of routes. Every
method is called by the app on the UI thread; blocking reads go through the
`ArchiveService` workers.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.binding import BindingType
from textual.screen import Screen
from textual.widget import Widget

from casefile.config import Config
from casefile.core.wording import _
from casefile.core.xref.model import CaseXref, EntityXref
from casefile.ui.messages import CaseBundle
from casefile.ui.widgets.case_body import CaseBody
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.xref_panel import XrefPanel
from casefile.ui.workers import ArchiveService

if TYPE_CHECKING:
    from textual.app import App


def run_editor(command: str, path: str) -> int:
    """Run the user's editor on `path` and wait; its exit code."""
    return subprocess.run([*shlex.split(command), path], check=False).returncode


class ReadingSide:
    """Routes the app's requests to the reading widgets."""

    def __init__(self, app: App[object]) -> None:
        """Work on `app`'s widgets."""
        self.app = app
        self._goto: tuple[str, int] | None = None
        """(path, file line) to show once that file is on screen (a problem chosen in F8)."""

    @staticmethod
    def compose_panes() -> Iterator[Widget]:
        """The reader and the cross-reference pane."""
        yield CaseView(id="reader")
        yield XrefPanel(id="xref")

    @property
    def main(self) -> Screen[object]:
        """The main screen, even when a dialog is on top."""
        return self.app.screen_stack[0]

    @property
    def view(self) -> CaseView:
        """The case view."""
        return self.main.query_one(CaseView)

    @property
    def xref(self) -> XrefPanel:
        """The cross-reference pane."""
        return self.main.query_one(XrefPanel)

    @property
    def current_path(self) -> str | None:
        """Path of the case on screen (ids may repeat; paths do not)."""
        case = self.view.case
        return case.path if case is not None else None

    def show(self, bundle: CaseBundle, record: bool, anchor: str = "") -> None:
        """Put a case and its cross-reference on screen (at `anchor`, a heading or `^blockid`)."""
        current = self.view.case
        if not record and current is not None and current.id == bundle.case.id \
                and current.sha256 == bundle.case.sha256:
            return  # a reload of an unchanged case: keep everything as it is
        self.view.show_case(bundle.case, bundle.resolve, record=record, embeds=bundle.embeds)
        if anchor:
            self.view.go_to_anchor(anchor)
        if self._goto is not None and self._goto[0] == bundle.case.path:
            self.view.go_to_source_line(self._goto[1])
        self._goto = None
        if bundle.xref_deferred or bundle.case.is_entity:  # a page shows its entity: read next
            self.xref.defer_case_xref(bundle.case.id)
        else:
            self.xref.show_case_xref(bundle.xref)
        if current is None:
            self.app.refresh_bindings()  # Edit becomes available (the footer is rebuilt: once)

    def go_to_line(self, path: str, line: int | None) -> None:
        """Show file line `line` when the file at `path` is next opened."""
        self._goto = (path, line) if line else None

    @property
    def xref_shown(self) -> bool:
        """True when the cross-reference pane is on screen."""
        return bool(self.xref.display)

    def read_deferred_xref(self, service: ArchiveService) -> None:
        """Read the open case's cross-reference if it was put off and the pane now shows."""
        service.case_xref_wanted = self.xref_shown
        if self.xref.deferred is not None and self.xref_shown:
            if self.page_entity(self.xref.deferred):
                service.load_entity(self.xref.deferred)  # a page id names its entity
            else:
                service.load_case_xref(self.xref.deferred, self.current_path)  # ids may repeat

    def page_entity(self, name: str) -> bool:
        """True when `name` is the id of the entity page on screen, whose entity the pane awaits."""
        case = self.view.case
        return case is not None and case.is_entity and name == case.id == self.xref.deferred

    def show_page_entity(self, entity: EntityXref | None) -> None:
        """The entity of the page on screen, as the pane's base view (no Back from it)."""
        if entity is None:
            self.xref.show_case_xref(None)
        else:
            self.xref.show_page_entity(entity)

    def show_case_xref(self, case_id: str, xref: CaseXref | None) -> None:
        """A put-off cross-reference arrived (for the open case, unless another was opened)."""
        self.xref.deferred_arrived(case_id, xref)

    def show_entity(self, entity: EntityXref) -> None:
        """Show an entity in the cross-reference pane (making the pane visible)."""
        if not self.xref.display:
            self.toggle_xref(self.main)
        self.xref.show_entity(entity)
        self.xref.focus()

    def reload(self, service: ArchiveService) -> None:
        """Read the case on screen again (the folder changed); no-op when unchanged."""
        if (ref := self.current_path) is not None:
            service.load_case(ref, record=False)

    def focus(self) -> None:
        """Give the keys to the case body."""
        self.view.body.focus()

    def toggle_xref(self, screen: Widget) -> None:
        """Show or hide the cross-reference pane, whatever the layout's default."""
        shown = self.xref.display
        screen.set_class(not shown, "-show-xref")
        screen.set_class(shown, "-hide-xref")
        if not shown and screen.has_class("-narrow"):
            screen.add_class("-reading")  # one pane at a time: the xref pane replaces the reader
        if not shown:  # the pane just shown takes the keys (else they go to a hidden pane)
            self.xref.focus()
        elif self.xref.has_focus_within:
            self.view.body.focus()

    def close_xref_if_narrow(self, screen: Widget) -> None:
        """On a narrow screen, give the room back to the reader."""
        if screen.has_class("-narrow"):
            screen.remove_class("-show-xref")

    def back(self, service: ArchiveService) -> None:
        """The previous case of the history."""
        if (ref := self.view.history.back()) is not None:
            service.load_case(ref, record=False)

    def forward(self, service: ArchiveService) -> None:
        """The next case of the history."""
        if (ref := self.view.history.forward()) is not None:
            service.load_case(ref, record=False)

    def edit(self, config: Config, service: ArchiveService) -> None:
        """Open the case on screen in the user's editor, then refresh the index."""
        case = self.view.case
        if case is None:
            self.app.notify(_("Open a case first."), severity="warning")
        elif not config.editor:
            self.app.notify(_("Set $EDITOR (or $VISUAL) to edit cases."), severity="warning")
        else:
            self._run_editor(config.editor, str(config.cases_dir / case.path))
            service.refresh(paths=[case.path])  # only this file: no walk of the folder

    def _run_editor(self, editor: str, path: str) -> None:
        """Hand the terminal to the editor; say so when it cannot start."""
        try:
            try:
                with self.app.suspend():
                    code = run_editor(editor, path)
            except SuspendNotSupported:  # headless (tests): nothing to hand over
                code = run_editor(editor, path)
        except (OSError, ValueError) as exc:
            self.app.notify(_("Cannot run the editor: {error}").format(error=exc), severity="error", markup=False)
            return
        if code:
            self.app.notify(_("The editor exited with code {code}.").format(code=code), severity="warning")

    def binding_sections(self) -> list[tuple[str, Iterable[BindingType]]]:
        """(title, bindings) of the reading widgets, for the help screen."""
        return [(_("Case"), [*CaseView.BINDINGS, *CaseBody.BINDINGS]), (_("Cross-reference"), XrefPanel.BINDINGS)]
