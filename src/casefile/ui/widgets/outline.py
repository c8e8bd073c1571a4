"""The outline of a case: its headings, indented by level; choosing one jumps to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from casefile.ui.bidi import LtrOptionList
from casefile.ui.render import Heading

INDENT = 2


class Outline(LtrOptionList):
    """Headings of the open case; posts HeadingChosen on Enter or click."""

    @dataclass
    class HeadingChosen(Message):
        """A heading was chosen; handled by `CaseView.on_outline_heading_chosen`."""

        heading: Heading

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.headings: list[Heading] = []

    def show_headings(self, headings: Sequence[Heading]) -> None:
        """Replace the entries; the shallowest level is not indented."""
        self.headings = list(headings)
        top = min((h.level for h in self.headings), default=1)
        self.set_options(Option(Text(" " * INDENT * (h.level - top) + h.title, no_wrap=True,
                                     overflow="ellipsis"))
                         for h in self.headings)
        self.highlighted = 0 if self.headings else None

    def follow(self, block: int) -> None:
        """Highlight the section that contains `block` (the reader scrolled)."""
        current = None
        for number, heading in enumerate(self.headings):
            if heading.block > block:
                break
            current = number
        if current is not None and current != self.highlighted:
            self.highlighted = current

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn the list's selection into a HeadingChosen."""
        event.stop()
        if 0 <= event.option_index < len(self.headings):
            self.post_message(self.HeadingChosen(self.headings[event.option_index]))
