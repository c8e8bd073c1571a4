"""The status line: index progress, case count, problem count and sort order."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, ProgressBar, Static

from casefile.core.wording import N_, _, counted, number

SORTS = {"relevance": N_("sort: relevance"), "date": N_("sort: date")}
"""The sort order as the status line words it."""
COMPACT_BELOW = 110
"""Terminal widths under which the key footer drops its spacing (so more keys fit)."""


class KeyFooter(Footer):
    """Textual's footer of key bindings, compact on narrow terminals."""

    def on_resize(self, event: events.Resize) -> None:
        """Choose the compact style from the width."""
        self.compact = event.size.width < COMPACT_BELOW


class ProblemCount(Static):
    """The problem count; clicking it asks for the problem list."""

    @dataclass
    class Clicked(Message):
        """The count was clicked; handled by `on_problem_count_clicked`."""

    def on_click(self, event: events.Click) -> None:
        """Ask for the list."""
        event.stop()
        self.post_message(self.Clicked())


class StatusBar(Horizontal):
    """One line above the footer; the app pushes figures in, nothing is computed here."""

    def compose(self) -> ComposeResult:
        """Index state, progress bar, problems, sort order."""
        yield Static(_("Opening…"), id="status-index")
        yield ProgressBar(total=100, show_eta=False, show_percentage=True, id="status-progress")
        yield ProblemCount("", id="status-problems")
        yield Static("", id="status-sort")

    def set_progress(self, done: int, total: int) -> None:
        """Show indexing progress; no bar when nothing is to be indexed, none once all is."""
        if total <= 0:  # a refresh that only removed files, or found nothing to read
            self.remove_class("-indexing")
            return
        working = done < total
        self.set_class(working, "-indexing")  # the last steps (saving, problems) need no bar
        if working:
            self.query_one(ProgressBar).update(total=total, progress=done)
        label = _("Indexing {done}/{total}").format(done=number(done), total=number(total)) if working \
            else counted(total, "Indexed {n} file", "Indexed {n} files")
        self.query_one("#status-index", Static).update(label)

    def end_progress(self, message: str) -> None:
        """Indexing stopped without an answer (it failed): no bar, `message` instead."""
        self.remove_class("-indexing")
        self.set_message(message)

    def set_ready(self, cases: int, entities: int = 0) -> None:
        """Indexing finished: hide the bar, show the counts (`entities`: entity pages)."""
        self.remove_class("-indexing")
        label = counted(cases, "{n} case", "{n} cases") + (
            " · " + counted(entities, "{n} entity page", "{n} entity pages") if entities else "")
        self.query_one("#status-index", Static).update(label)

    def set_message(self, message: str) -> None:
        """Show a short state such as "Opening…" or "Rebuilding…" where the counts go."""
        self.query_one("#status-index", Static).update(message)

    def set_problems(self, count: int) -> None:
        """Show the number of problems found in the folder (hidden when none)."""
        label = "⚠ " + counted(count, "{n} problem", "{n} problems") + " (F8)" if count else ""
        self.query_one(ProblemCount).update(label)
        self.set_class(count > 0, "-problems")

    def set_sort(self, sort: str) -> None:
        """Show the sort order."""
        self.query_one("#status-sort", Static).update(_(SORTS.get(sort, sort)))
