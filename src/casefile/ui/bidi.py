"""Lines stay left-to-right in terminals that reorder right-to-left text (Arabic, Hebrew).

A terminal with bidi support takes a screen line's direction from its first strong
character: a row that starts with Arabic turns the whole line, borders and other
panes included, right to left. A left-to-right mark before such a row (zero cells
wide) keeps the line's direction while the Arabic or Hebrew itself still reads right
to left.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text

LRM = "\u200e"
_RTL = frozenset({"R", "AL"})


def has_rtl(text: str) -> bool:
    """True when `text` holds a right-to-left letter."""
    return not text.isascii() and any(unicodedata.bidirectional(ch) in _RTL for ch in text)


def ltr(text: Text) -> Text:
    """`text`, each of its lines marked left-to-right when it holds right-to-left letters."""
    if not has_rtl(text.plain):
        return text
    return Text("\n").join(Text(LRM) + line for line in text.split("\n", allow_blank=True))
