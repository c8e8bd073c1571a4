"""The tag list of the current results, with counts; choosing a tag narrows the query."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from casefile.core.text.sanitize import clean_line
from casefile.core.wording import _

MAX_TAGS = 200
"""Tags listed at most (the facets are sorted most frequent first)."""


def tag_term(tag: str) -> str:
    """The query term that filters on `tag`."""
    return f'tag:"{tag}"' if any(c in tag for c in ' "():') else f"tag:{tag}"


class TagFilter(OptionList):
    """Tags of the current result set, most frequent first."""

    @dataclass
    class TagChosen(Message):
        """A tag was chosen; handled by `on_tag_filter_tag_chosen`."""

        tag: str
        """The tag, without `#`."""

    def __init__(self, *, id: str | None = None) -> None:
        """Start with no tags."""
        super().__init__(id=id, markup=False)
        self._tags: list[str] = []
        self._shown: tuple[tuple[str, int], ...] = ()
        self.border_title = _("Tags")

    @property
    def tags(self) -> list[str]:
        """The tags listed, in order."""
        return list(self._tags)

    def show_counts(self, counts: tuple[tuple[str, int], ...]) -> None:
        """List `counts` (tag, hits) pairs, keeping the highlighted tag when it stays."""
        shown = counts[:MAX_TAGS]
        if shown == self._shown:
            return
        self._shown = shown
        self._tags = [tag for tag, _count in shown]
        self.set_options(Option(self._prompt(tag, count)) for tag, count in shown)
        self.border_subtitle = f"{len(counts):,}" if counts else ""

    @staticmethod
    def _prompt(tag: str, count: int) -> Text:
        """`#tag` and its count, built as Text so tag names never parse as markup."""
        prompt = Text("#" + clean_line(tag), no_wrap=True, overflow="ellipsis")
        prompt.append(f" {count:,}", style="dim")
        return prompt

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Turn the option into a `TagChosen` message."""
        event.stop()
        self.post_message(self.TagChosen(self._tags[event.option_index]))
