"""The cross-reference pane: the open case's entities, backlinks and related cases,
or one entity's cases, mentions, co-occurring entities and timeline.

Attributes down: the reading pane calls `show_case_xref` / `show_entity`. Messages up:
Enter on a case row posts `CaseChosen`, on an entity row `EntityChosen` (the pane
has it read, then calls `show_entity`). Rows are capped per section so a name found in
thousands of cases still fills the list at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from casefile.core.text.sanitize import clean_line
from casefile.core.text.wikilinks import as_text
from casefile.core.wording import _, date_text, number, type_name
from casefile.ui.bidi import LtrOptionList, ltr

MAX_ROWS_PER_SECTION = 200
Target = tuple[Literal["case", "entity"], str]


class XrefPanel(Widget):
    """Shows a CaseXref or an EntityXref as sections of chooseable rows."""

    BINDINGS = [Binding("left,backspace", "back", "Xref back", show=False)]

    @dataclass
    class CaseChosen(Message):
        """Enter on a case row; the case is opened (`on_xref_panel_case_chosen`)."""

        case_id: str

    @dataclass
    class EntityChosen(Message):
        """Enter on an entity row; the entity is read, then shown (`on_xref_panel_entity_chosen`)."""

        name: str
        """Its page's path when it has one (same-named pages are different entities), else its name."""

    @dataclass
    class Visibility(Message):
        """The pane came on screen or left it; `on_xref_panel_visibility`."""

        shown: bool

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.case_xref: Any = None
        self.entity_xref: Any = None
        self._targets: list[Target | None] = []
        self._previous: list[Any] = []
        self.deferred: str | None = None
        """Id of the open case whose cross-reference is to be read once the pane shows."""

    def compose(self) -> ComposeResult:
        yield Static("", id="xref-title", markup=False)
        yield LtrOptionList(id="xref-list", markup=False)  # each wrapped row of an Arabic context marked

    @property
    def rows(self) -> OptionList:
        """The list of rows."""
        return self.query_one("#xref-list", OptionList)

    def focus(self, scroll_visible: bool = True) -> XrefPanel:
        """Focus goes to the list."""
        self.rows.focus(scroll_visible)
        return self

    # what is shown ----------------------------------------------------------

    def on_show(self) -> None:
        """Tell the app (a deferred cross-reference is read now)."""
        self.post_message(self.Visibility(True))

    def on_hide(self) -> None:
        """Tell the app (cases are read without their cross-reference meanwhile)."""
        self.post_message(self.Visibility(False))

    def defer_case_xref(self, case_id: str) -> None:
        """The open case's cross-reference is not read yet: say so until it is."""
        self.case_xref, self.entity_xref, self.deferred = None, None, case_id
        self._previous.clear()
        self._fill(Text(_("Cross-reference")), [_note(_("Read when this pane is shown."))])

    def deferred_arrived(self, case_id: str, case_xref: Any) -> None:
        """A put-off case cross-reference: shown, unless an entity is on view (Left returns to it)."""
        if self.deferred != case_id:
            return  # another case was opened meanwhile
        if self.entity_xref is None:
            self.show_case_xref(case_xref)
        else:
            self.case_xref, self.deferred = case_xref, None

    def show_case_xref(self, case_xref: Any) -> None:
        """Show the cross-reference of the open case (None: the case is not indexed yet)."""
        self.case_xref, self.entity_xref, self.deferred = case_xref, None, None
        self._previous.clear()
        if case_xref is None:
            self._fill(Text(_("Cross-reference")), [_note(_("Not in the index yet."))])
            return
        self._fill(_title(_("Case"), case_xref.title), [
            *_section(_("Entities"), case_xref.entities, self._entity_ref_row),
            *_section(_("Backlinks"), case_xref.backlinks, self._occurrence_row),
            *_section(_("Related cases"), case_xref.related, self._related_row),
            *_section(_("Links"), getattr(case_xref, "links", ()), self._outlink_row),
        ])

    def show_entity_xref(self, entity_xref: Any, *, remember: bool = True) -> None:
        """Show one entity; Left/Backspace returns to what was shown before."""
        if entity_xref is None:
            self.notify(_("No such entity in the cross-reference."), severity="warning")
            return
        if remember:
            self._previous.append(self.entity_xref)
        self.entity_xref = entity_xref
        x = entity_xref
        first: list[tuple[Text, Target | None]] = []
        if x.page_id:
            first.append((Text(_("→ open entity page"), "bold"), ("case", x.page_id)))
        if x.aliases:
            first.append(_note(_("aka {names}").format(names=", ".join(clean_line(a) for a in x.aliases))))
        if x.dangling:
            first.append(_note(_("No case lists it and no page defines it (only links).")))
        self._fill(_title(type_name(clean_line(x.type)), x.name), [
            *first,
            *_section(_("Listed in"), x.cases_listing, self._case_ref_row),
            *_section(_("Linked from"), x.cases_linking, self._occurrence_row),
            *_section(_("Unlinked mentions"), x.unlinked_mentions, self._occurrence_row),
            *_section(_("Co-occurring"), x.cooccurring, self._name_count_row),
            *_section(_("Timeline"), x.timeline, self._case_ref_row),
        ])

    def show_page_entity(self, entity_xref: Any) -> None:
        """Show the entity of the open entity page, in place of a case's cross-reference."""
        self.case_xref, self.entity_xref, self.deferred = None, None, None
        self._previous.clear()
        self.show_entity_xref(entity_xref, remember=False)

    def show_entity(self, entity_xref: Any) -> None:
        """Same as `show_entity_xref` (the name the app's routing uses)."""
        self.show_entity_xref(entity_xref)

    def _fill(self, title: Text, rows: list[tuple[Text, Target | None]]) -> None:
        """Replace the rows; header rows are disabled so the cursor skips them."""
        self.query_one("#xref-title", Static).update(ltr(title))
        self._targets = [target for _text, target in rows]
        self.rows.set_options(Option(ltr(text), disabled=target is None) for text, target in rows)
        first = next((i for i, target in enumerate(self._targets) if target is not None), None)
        self.rows.highlighted = first

    # one row per kind of record ---------------------------------------------

    @staticmethod
    def _entity_ref_row(ref: Any) -> tuple[Text, Target]:
        # listed is the usual case; say only when a name is linked from the text too (or only)
        how = "" if not ref.linked else (" ↔" if ref.listed else " " + _("(link only)"))
        return _row(clean_line(ref.name), type_name(clean_line(ref.type)) + how), ("entity", ref.page or ref.name)

    @staticmethod
    def _occurrence_row(occ: Any) -> tuple[Text, Target]:
        text = _row(clean_line(occ.title), date_text(occ.date, short=True))
        if occ.context:
            text.append("\n  " + _readable(occ.context), "italic")
        return text, ("case", occ.id)

    @staticmethod
    def _related_row(rel: Any) -> tuple[Text, Target]:
        text = _row(clean_line(rel.title), _("{n} shared").format(n=number(rel.shared)))
        text.append("\n  " + ", ".join(clean_line(n) for n in rel.names), "italic")
        return text, ("case", rel.id)

    @staticmethod
    def _outlink_row(link: Any) -> tuple[Text, Target | None]:
        resolution = link.resolution
        if resolution.kind == "case" and resolution.case_id:
            return _row(clean_line(link.target), _("case")), ("case", resolution.case_id)
        if resolution.kind == "entity":
            return _row(clean_line(link.target), _("entity")), \
                ("entity", resolution.path or resolution.entity or link.target)
        return _row(clean_line(link.target), _("dangling"), "italic strike"), None

    @staticmethod
    def _case_ref_row(ref: Any) -> tuple[Text, Target]:
        return _row(clean_line(ref.title), date_text(ref.date, short=True) or _("undated")), ("case", ref.id)

    @staticmethod
    def _name_count_row(item: Any) -> tuple[Text, Target]:
        return _row(clean_line(item.name), f"{type_name(clean_line(item.type))} ×{number(item.count)}"), \
            ("entity", item.page or item.name)

    # navigation -------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a row: post what it points to."""
        event.stop()
        target = self._targets[event.option_index] if event.option_index < len(self._targets) else None
        if target is None:
            return
        kind, key = target
        self.post_message(self.CaseChosen(key) if kind == "case" else self.EntityChosen(key))

    def action_back(self) -> None:
        """Return from an entity to what was shown before it."""
        previous = self._previous.pop()
        if previous is None:
            self.show_case_xref(self.case_xref)
        else:
            self.show_entity_xref(previous, remember=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Back only applies while an entity is shown (else the app's Back runs)."""
        if action == "back":
            return bool(self._previous)
        return True


def _readable(context: str) -> str:
    """A context line as the reader shows it: `[[target|label]]` as its label."""
    return as_text(clean_line(context))


def _title(kind: str, name: str) -> Text:
    """The pane's title line: kind, then name."""
    return Text.assemble(f"{kind}: ", (clean_line(name), "bold"))


def _row(label: str, detail: str, style: str = "") -> Text:
    """A row: the label, then a dim detail."""
    text = Text(label, style)
    if detail:
        text.append(f"  {detail}", "italic")  # not dim: dimmed text is unreadable on some themes
    return text


def _note(message: str) -> tuple[Text, None]:
    """A row that says something and cannot be chosen."""
    return Text(message, "italic"), None


def _section(title: str, items: Iterable[Any], row: Any) -> list[tuple[Text, Target | None]]:
    """A header row with the count, then capped rows."""
    items = list(items)
    if not items:
        return []
    rows: list[tuple[Text, Target | None]] = [(Text(f"{title} ({number(len(items))})", "bold reverse"), None)]
    rows.extend(row(item) for item in items[:MAX_ROWS_PER_SECTION])
    if len(items) > MAX_ROWS_PER_SECTION:
        rows.append(_note(_("… and {n} more").format(n=number(len(items) - MAX_ROWS_PER_SECTION))))
    return rows
