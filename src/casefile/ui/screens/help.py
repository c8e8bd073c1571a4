"""The `?` help screen: keys (read from the bindings themselves) and the query language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from casefile.core.wording import N_, _
from casefile.ui.words import TranslatedBindings

QUERY_HELP: tuple[tuple[str, str], ...] = (
    ("pegasus spyware", N_("both words (AND is the default)")),
    ("pegasus OR predator", N_("either word")),
    ("NOT closed   -closed", N_("without the word")),
    ('"forced disappearance"', N_("the phrase")),
    ("surveil*   pegasus~   pegasus~2", N_("prefix, fuzzy (one or two edits)")),
    ("tag:mexico  status:open  lang:es  id:MX-2017-004", N_("by field")),
    ('person:"Carmen Aristegui"  org:  place:  entity:', N_("by entity, name or alias")),
    ("date:2017  date:2017-07  date:>2017-06", N_("by date")),
    ("date:[2017-01 TO 2017-06]", N_("a date range")),
    ("etiqueta:  persona:  organizacion:  lugar:  estado:  fecha:", N_("the same fields, in Spanish")),
)
"""(example, meaning): the examples are query syntax, the same in every language."""
UNNAMED_ACTIONS = {
    "scroll_down": N_("Scroll down"), "scroll_up": N_("Scroll up"), "page_down": N_("Page down"),
    "page_up": N_("Page up"), "scroll_home": N_("Top"), "scroll_end": N_("Bottom"),
}
"""Descriptions of Textual's scrolling actions, for bindings that carry none."""
NOTE = N_("Accents and case are ignored; English and Spanish words match their other forms. "
          "A query that cannot be parsed is searched as plain words, and the bar says so.")


def two_columns(title: str, rows: Iterable[tuple[str, str]]) -> Table:
    """A titled table of (key or query, meaning) rows, built from Text (no markup)."""
    table = Table(title=Text(title, style="bold"), title_justify="left", show_header=False,
                  box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for left, right in rows:
        table.add_row(Text(left), Text(right))
    return table


def binding_rows(bindings: Iterable[BindingType],
                 display: Callable[[Binding], str]) -> list[tuple[str, str]]:
    """(keys, description) for the bindings that have a description, keys of one action joined."""
    rows: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        if description := _(binding.description or UNNAMED_ACTIONS.get(binding.action, "")):
            rows.setdefault(description, []).append(display(binding))
    return [(", ".join(keys), description) for description, keys in rows.items()]


def help_renderable(sections: list[tuple[str, Iterable[BindingType]]],
                    display: Callable[[Binding], str]) -> RenderableType:
    """Key tables, one per section, then the query language."""
    parts: list[RenderableType] = [Text(_("casefile: keys and queries"), style="bold underline"), Text()]
    for title, bindings in sections:
        if rows := binding_rows(bindings, display):
            parts += [two_columns(title, rows), Text()]
    query_rows = [(example, _(meaning)) for example, meaning in QUERY_HELP]
    parts += [two_columns(_("Query language"), query_rows), Text(), Text(_(NOTE), style="italic")]
    return Group(*parts)


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    """Keys and query syntax; Escape, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, Iterable[BindingType]]]) -> None:
        """`sections`: (title, bindings) pairs, for instance the app's and each pane's."""
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        """The help text in a scrolling box."""
        with VerticalScroll(id="help-dialog"):
            yield Static(help_renderable(self.sections, self.app.get_key_display), id="help-text")
