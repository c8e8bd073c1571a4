"""The problem list on demand: what `casefile check` reports, one row per problem."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from casefile.core.model import Problem
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _, counted, number
from casefile.ui.words import TranslatedBindings

MAX_ROWS = 5000
"""Rows shown at most; a table row costs ~60 µs, so this stays well under a second."""


def problem_row(problem: Problem) -> tuple[Text, Text, Text, Text]:
    """One table row, built from Text so file names never parse as markup."""
    error = problem.severity == "error"
    severity = Text(_("error") if error else _("warning"), style="bold red" if error else "yellow")
    where = clean_line(problem.path) + (f":{problem.line}" if problem.line else "")
    return severity, Text(where), Text(clean_line(problem.code)), Text(clean_line(problem.localized))


class ProblemsScreen(TranslatedBindings, ModalScreen[Problem | None]):
    """Problems found in the case folder; Enter opens the file at the problem's line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Close", id="problems.close"),
    ]

    def __init__(self, problems: list[Problem]) -> None:
        """Show `problems` (sorted by path then line)."""
        super().__init__()
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0))

    def compose(self) -> ComposeResult:
        """A title line and the table."""
        with Vertical(id="problems-dialog"):
            yield Static(self._title(), id="problems-title")
            yield DataTable(id="problems-table", cursor_type="row", zebra_stripes=True)

    def _title(self) -> Text:
        """How many problems, and how many are shown."""
        count = len(self.problems)
        text = counted(count, "{n} problem in the case folder", "{n} problems in the case folder")
        if count > MAX_ROWS:
            text += " " + _("(first {n} shown; `casefile check` lists all)").format(n=number(MAX_ROWS))
        elif not count:
            text = _("No problems in the case folder.")
        return Text(text)

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns("", _("file"), _("code"), _("message"))
        table.add_rows(problem_row(p) for p in self.problems[:MAX_ROWS])
        table.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        """Close the list and hand back the chosen problem."""
        self.dismiss(self.problems[event.cursor_row])
