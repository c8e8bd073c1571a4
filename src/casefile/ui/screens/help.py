"""The `?` help screen: keys (read from the bindings themselves) and the query language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

QUERY_HELP = """\
## Query language

| type | finds |
|---|---|
| `pegasus spyware` | both words (AND is the default) |
| `pegasus OR predator` | either word |
| `NOT closed`, `-closed` | without the word |
| `"forced disappearance"` | the phrase |
| `surveil*`, `pegasus~` | prefix, fuzzy (`~2` for two edits) |
| `tag:mexico`, `status:open`, `lang:es`, `id:MX-2017-004` | by field |
| `person:"Carmen Aristegui"`, `org:`, `place:`, `entity:` | by entity, name or alias |
| `date:2017`, `date:2017-07`, `date:[2017-01 TO 2017-06]`, `date:>2017-06` | by date |

Accents and case are ignored; English and Spanish words match their other forms.
A query that cannot be parsed is searched as plain words, and the bar says so.
"""


def binding_rows(bindings: Iterable[BindingType], display: object) -> list[str]:
    """Markdown table rows `| key | description |` for bindings that have a description."""
    rows: dict[str, list[str]] = {}
    for binding in Binding.make_bindings(bindings):
        if binding.description:
            key = display(binding) if callable(display) else binding.key
            rows.setdefault(binding.description, []).append(f"`{key}`")
    return [f"| {', '.join(keys)} | {description} |" for description, keys in rows.items()]


def help_markdown(sections: list[tuple[str, Iterable[BindingType]]], display: object) -> str:
    """The whole help text: one key table per section, then the query language."""
    parts = ["# casefile: keys", ""]
    for title, bindings in sections:
        rows = binding_rows(bindings, display)
        if rows:
            parts += [f"## {title}", "", "| key | does |", "|---|---|", *rows, ""]
    return "\n".join(parts) + "\n" + QUERY_HELP


class HelpScreen(ModalScreen[None]):
    """Keys and query syntax; any of Escape, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, Iterable[BindingType]]]) -> None:
        """`sections`: (title, bindings) pairs, for instance the app's and each pane's."""
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        """The help document in a scrolling box."""
        with VerticalScroll(id="help-dialog"):
            yield Markdown(help_markdown(self.sections, self.app.get_key_display), open_links=False)
