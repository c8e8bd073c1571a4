"""Lines stay left-to-right in terminals that reorder right-to-left text (Arabic, Hebrew).

A terminal with bidi support takes a screen line's direction from its first strong
character: a row that starts with Arabic turns the whole line, borders and other
panes included, right to left. A left-to-right mark before such a row (zero cells
wide) keeps the line's direction while the Arabic or Hebrew itself still reads right
to left; a second one after it ends the right-to-left run inside the pane, so a border
or the next pane's Arabic beside it is never drawn into the same run.
"""

from __future__ import annotations

import unicodedata

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import OptionList

LRM = "\u200e"
_RTL = frozenset({"R", "AL"})


def has_rtl(text: str) -> bool:
    """True when `text` holds a right-to-left letter."""
    return not text.isascii() and any(unicodedata.bidirectional(ch) in _RTL for ch in text)


def ltr(text: Text) -> Text:
    """`text`, each of its lines that holds right-to-left letters between left-to-right marks."""
    if not has_rtl(text.plain):
        return text
    return Text("\n").join(Text(LRM) + line + Text(LRM) if has_rtl(line.plain) else line
                            for line in text.split("\n", allow_blank=True))


def ltr_strip(strip: Strip) -> Strip:
    """One screen row, between two left-to-right marks when it holds right-to-left letters
    (added once the row is cut to its width: a cut drops zero-width segments at its edges)."""
    if not has_rtl(strip.text):
        return strip
    return Strip([Segment(LRM), *strip, Segment(LRM)], strip.cell_length)


class LtrOptionList(OptionList):
    """An OptionList whose every row holding right-to-left letters is marked (`ltr_strip`):
    an option wrapped over several rows gets a mark on each, not only on its first."""

    def render_line(self, y: int) -> Strip:
        """The row, marked."""
        return ltr_strip(super().render_line(y))
