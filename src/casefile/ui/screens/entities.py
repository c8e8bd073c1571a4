"""The entity browser: every entity by type with counts; Enter returns the chosen name.

The app pushes `EntitiesScreen(summaries)` (plain `EntitySummary` records from the
cross-reference) and, on a name, shows that entity's cross-reference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from casefile.core.names import normalize_name
from casefile.core.sanitize import clean_line

MAX_ROWS = 1000
ALL_TYPES = ""


class EntitiesScreen(ModalScreen[str | None]):
    """Types with counts on the left, their entities on the right, a name filter on top."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close"),
        Binding("tab", "app.focus_next", "Next pane", show=False),
    ]

    def __init__(self, entities: Sequence[Any]) -> None:
        super().__init__()
        self.entities = list(entities)
        self.kind = ALL_TYPES
        self._shown: list[Any] = []
        self._keys = [normalize_name(e.name) for e in self.entities]

    def compose(self) -> ComposeResult:
        with Vertical(id="entities-dialog"):
            yield Static(f"Entities ({len(self.entities)})", id="entities-title", markup=False)
            yield Input(placeholder="filter by name", id="entities-filter")
            with Horizontal(id="entities-panes"):
                yield OptionList(id="entity-types", markup=False)
                yield OptionList(id="entity-list", markup=False)

    def on_mount(self) -> None:
        """Fill the type list and the entity list."""
        counts = Counter(clean_line(e.type) for e in self.entities)
        self._types = [ALL_TYPES, *sorted(counts, key=lambda t: (-counts[t], t))]
        types = self.query_one("#entity-types", OptionList)
        types.add_options(Option(Text(f"{t or 'all'}  {counts[t] if t else len(self.entities)}"))
                          for t in self._types)
        types.highlighted = 0
        self._refill()
        self.query_one("#entity-list", OptionList).focus()

    def _refill(self) -> None:
        """Show the entities of the current type matching the filter, most cases first."""
        needle = normalize_name(self.query_one("#entities-filter", Input).value)
        self._shown = [e for e, key in zip(self.entities, self._keys, strict=True)
                       if (not self.kind or clean_line(e.type) == self.kind) and needle in key]
        rows = [self._row(e) for e in self._shown[:MAX_ROWS]]
        if len(self._shown) > MAX_ROWS:
            rows.append(Option(Text(f"… {len(self._shown) - MAX_ROWS} more: type to filter", "dim"),
                               disabled=True))
        listing = self.query_one("#entity-list", OptionList)
        listing.set_options(rows)
        listing.highlighted = 0 if self._shown else None

    @staticmethod
    def _row(entity: Any) -> Option:
        """name, type, counts."""
        # counts first: on a narrow screen the line is cut at the right
        text = Text(clean_line(entity.name), "bold")
        text.append(f"  {entity.cases} cases", "dim")
        if getattr(entity, "mentions", 0):
            text.append(f" · {entity.mentions} mentions", "dim")
        if getattr(entity, "dangling", False):
            text.append(" · links only", "dim italic")
        text.append(f" · {clean_line(entity.type)}", "dim")
        return Option(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the name is typed."""
        self._refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter chooses the first entity."""
        if self._shown:
            self.dismiss(self._shown[0].name)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving in the type list changes the type shown."""
        if event.option_list.id == "entity-types":
            self.kind = self._types[event.option_index]
            self._refill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a type goes to its entities; on an entity, returns it."""
        if event.option_list.id == "entity-types":
            self.query_one("#entity-list", OptionList).focus()
        elif event.option_index < len(self._shown):
            self.dismiss(self._shown[event.option_index].name)

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
