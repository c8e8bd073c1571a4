"""The compact header above a case: title, id, date, status, tags, entities, sources, digest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from casefile.core.model import Case
from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _, date_text, number, type_name
from casefile.core.xref.resolve import is_note
from casefile.ui.bidi import ltr
from casefile.ui.links import is_dangling

ENTITY_META = "casefile-entity"
DIGEST_CHARS = 12


class CaseHeader(Static):
    """Shows a case's front matter in a few lines; entity names are clickable."""

    COMPONENT_CLASSES = {
        "case-header--title", "case-header--label", "case-header--tag",
        "case-header--entity", "case-header--dim", "case-header--missing",
    }

    @dataclass
    class EntityClicked(Message):
        """An entity name was clicked; handled by `CaseView.on_case_header_entity_clicked`."""

        name: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.case: Case | None = None
        self._names: list[str] = []
        self._resolve: Callable[[str], Any] = lambda target: None

    def show(self, case: Case | None, resolve: Callable[[str], Any] | None = None) -> None:
        """Display the header of `case` (None clears it); `resolve` says which link targets
        lead nowhere (its attachments missing from the folder)."""
        self.case = case
        self._resolve = resolve or (lambda target: None)
        self.update(self.header_text(case) if case is not None else Text(""))

    def on_mount(self) -> None:
        """Redraw with the theme's colours when it changes."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show(self.case, self._resolve))

    def _style(self, name: str) -> Style:
        """A component class as a Rich style."""
        return self.get_component_rich_style(name, partial=True)

    def header_text(self, case: Case) -> Text:
        """The header as one Text, one line per non-empty field group."""
        self._names = []
        lines = [Text(clean_line(case.title), self._style("case-header--title")), self._facts(case)]
        if case.tags:
            lines.append(self._tags(case.tags))
        if case.entities or case.aliases:
            lines.append(self._entities(case))
        if case.sources:
            lines.append(self._sources(case))
        if attachments := attachment_targets(case):
            lines.append(self._attachments(attachments))
        text = Text("\n").join(ltr(line) for line in lines)
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def _facts(self, case: Case) -> Text:
        """id · date · status · language · kind · digest."""
        dim = self._style("case-header--dim")
        parts = [Text(clean_line(case.id))]
        if case.is_entity:
            kind = type_name(clean_line(case.entity_type)) if case.entity_type else _("unknown")
            parts.append(Text(_("entity: {type}").format(type=kind)))
        parts.append(Text(date_text(case.date) or _("no date"), dim if case.date is None else Style()))
        if case.status:
            parts.append(Text(clean_line(case.status)))
        lang = _("{lang} (detected)").format(lang=case.lang) if case.lang_detected else case.lang
        parts.append(Text(lang, dim))
        if case.sha256:
            parts.append(Text(f"sha256 {case.sha256[:DIGEST_CHARS]}", dim))
        return Text(" · ", dim).join(parts)

    def _attachments(self, targets: dict[str, str]) -> Text:
        """attachments (n): each file name, a missing one marked as the dangling link it is."""
        label = Text(_("attachments ({n}): ").format(n=number(len(targets))), self._style("case-header--label"))
        items = []
        for name, target in targets.items():
            item = Text(clean_line(name))
            if is_dangling(self._resolve(target)):
                item.append(" " + _("(dangling)"), self._style("case-header--missing"))
            items.append(item)
        return label + Text(", ").join(items)

    def _tags(self, tags: tuple[str, ...]) -> Text:
        """#tag #tag ..."""
        style = self._style("case-header--tag")
        return Text(" ").join(Text("#" + clean_line(tag), style) for tag in tags)

    def _entities(self, case: Case) -> Text:
        """type: name, name · type: name; aliases on entity pages."""
        groups: dict[str, list[str]] = {}
        for kind, name in case.entities:
            groups.setdefault(type_name(clean_line(kind)), []).append(name)
        if case.aliases:
            groups[_("aka")] = list(case.aliases)
        label, dim = self._style("case-header--label"), self._style("case-header--dim")
        parts = []
        for kind, names in groups.items():
            part = Text(f"{kind}: ", label)
            part.append(Text(", ", dim).join(self._entity(name) for name in names))
            parts.append(part)
        return Text(" · ", dim).join(parts)

    def _entity(self, name: str) -> Text:
        """One clickable entity name."""
        self._names.append(name)
        meta = Style.from_meta({ENTITY_META: len(self._names) - 1})
        return Text(clean_line(name), self._style("case-header--entity") + meta)

    def _sources(self, case: Case) -> Text:
        """sources: the count, then each title with its URL host."""
        dim = self._style("case-header--dim")
        text = Text(_("sources ({n}): ").format(n=number(len(case.sources))), self._style("case-header--label"))
        items = []
        for source in case.sources:
            item = Text(clean_line(source.title))
            if source.url:
                item.append(f" <{clean_line(source.url)}>", dim)
            items.append(item)
        return text + Text("; ", dim).join(items)

    def on_click(self, event: events.Click) -> None:
        """Clicking an entity name asks to open it."""
        index = event.style.meta.get(ENTITY_META)
        if isinstance(index, int) and 0 <= index < len(self._names):
            event.stop()
            self.post_message(self.EntityClicked(self._names[index]))


def attachment_names(case: Case) -> list[str]:
    """The file names of the case's embedded attachments (any file but a note), once each."""
    return list(attachment_targets(case))


def attachment_targets(case: Case) -> dict[str, str]:
    """File name -> link target of the case's embedded attachments (any file but a note), once each."""
    targets: dict[str, str] = {}
    for link in case.links:
        if link.embed and link.target and not is_note(link.target) and PurePosixPath(link.target).suffix:
            targets.setdefault(PurePosixPath(link.target).name, link.target)
    return targets
