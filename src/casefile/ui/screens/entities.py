"""The entity browser: every entity by type with counts; Enter returns the chosen name.

The app pushes `EntitiesScreen(summaries)` (plain `EntitySummary` records from the
cross-reference) and, on a name, shows that entity's cross-reference. The name filter
has the keys from the start: typing filters at once, Up/Down move in the entity list
and Enter chooses; letters typed in a list go to the filter too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from casefile.core.text.names import normalize_name
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _, counted, number, type_name
from casefile.ui.words import TranslatedBindings

MAX_ROWS = 1000
ALL_TYPES = ""


class EntitiesScreen(TranslatedBindings, ModalScreen[str | None]):
    """Types with counts on the left, their entities on the right, a name filter on top."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close"),
        Binding("tab", "app.focus_next", "Next pane", show=False),
        # Reached only from the filter (the lists bind these keys themselves).
        Binding("down", "move('cursor_down')", "Down", show=False),
        Binding("up", "move('cursor_up')", "Up", show=False),
        Binding("pagedown", "move('page_down')", "Page down", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
    ]

    def __init__(self, entities: Sequence[Any]) -> None:
        super().__init__()
        self.entities = list(entities)
        self.kind = ALL_TYPES
        self._shown: list[Any] = []
        self._keys = [normalize_name(e.name) for e in self.entities]
        self._repeated = {name for name, n in Counter(e.name for e in self.entities).items() if n > 1}
        """Names two or more entities share (same-named pages): told apart by their page."""

    def compose(self) -> ComposeResult:
        with Vertical(id="entities-dialog"):
            yield Static(_("Entities ({n})").format(n=number(len(self.entities))), id="entities-title", markup=False)
            yield Input(placeholder=_("filter by name"), id="entities-filter", select_on_focus=False)
            with Horizontal(id="entities-panes"):
                yield OptionList(id="entity-types", markup=False)
                yield OptionList(id="entity-list", markup=False)

    def on_mount(self) -> None:
        """Fill the type list and the entity list."""
        counts = Counter(clean_line(e.type) for e in self.entities)
        self._types = [ALL_TYPES, *sorted(counts, key=lambda t: (-counts[t], t))]
        types = self.query_one("#entity-types", OptionList)
        every = _("all")
        types.add_options(Option(Text(f"{type_name(t) or every}  {number(counts[t] if t else len(self.entities))}"))
                          for t in self._types)
        types.highlighted = 0
        self._refill()
        self.filter.focus()

    @property
    def filter(self) -> Input:
        """The name filter."""
        return self.query_one("#entities-filter", Input)

    @property
    def listing(self) -> OptionList:
        """The entity list."""
        return self.query_one("#entity-list", OptionList)

    def _refill(self) -> None:
        """Show the entities of the current type matching the filter, most cases first."""
        needle = normalize_name(self.filter.value)
        self._shown = [e for e, key in zip(self.entities, self._keys, strict=True)
                       if (not self.kind or clean_line(e.type) == self.kind) and needle in key]
        rows = [self._row(e, e.name in self._repeated) for e in self._shown[:MAX_ROWS]]
        if len(self._shown) > MAX_ROWS:
            more = _("… {n} more: type to filter").format(n=number(len(self._shown) - MAX_ROWS))
            rows.append(Option(Text(more, "dim"), disabled=True))
        listing = self.listing
        listing.set_options(rows)
        listing.highlighted = 0 if self._shown else None

    @staticmethod
    def _row(entity: Any, with_page: bool = False) -> Option:
        """name, type, counts (and its page, when another entity has the same name)."""
        # counts first: on a narrow screen the line is cut at the right
        text = Text(clean_line(entity.name), "bold")
        text.append("  " + counted(entity.cases, "{n} case", "{n} cases"), "dim")
        if getattr(entity, "mentions", 0):
            text.append(" · " + counted(entity.mentions, "{n} mention", "{n} mentions"), "dim")
        text.append(f" · {type_name(clean_line(entity.type))}", "dim")
        if with_page and entity.page_id:
            text.append(f" · {clean_line(entity.page_id)}", "dim")
        return Option(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Filter as the name is typed."""
        self._refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter chooses the highlighted entity (the first one unless moved)."""
        index = self.listing.highlighted
        if index is not None and index < len(self._shown):
            self.dismiss(self._chosen(index))

    def action_move(self, action: str) -> None:
        """Up/Down/PageUp/PageDown in the filter move the entity list's cursor."""
        getattr(self.listing, f"action_{action}")()

    def on_key(self, event: events.Key) -> None:
        """A letter (or Backspace) typed in a list goes to the filter, which takes the keys."""
        if self.focused is self.filter or not (event.is_printable or event.key == "backspace"):
            return
        event.stop()
        event.prevent_default()
        self.filter.focus()
        if event.key == "backspace":
            self.filter.action_delete_left()
        elif event.character:
            self.filter.insert_text_at_cursor(event.character)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving in the type list changes the type shown."""
        if event.option_list.id == "entity-types":
            self.kind = self._types[event.option_index]
            self._refill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a type goes to its entities; on an entity, returns it."""
        if event.option_list.id == "entity-types":
            self.listing.focus()
        elif event.option_index < len(self._shown):
            self.dismiss(self._chosen(event.option_index))

    def _chosen(self, index: int) -> str:
        """The name of the entity at `index`, or its page's id when another entity has that name."""
        entity = self._shown[index]
        return str(entity.page_id) if entity.page_id and entity.name in self._repeated else str(entity.name)

    def action_dismiss_none(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
