"""Find in the open case: matches of a query in a rendered Document; no Textual.

Matching ignores case and accents (`pena` finds `Peña`) with a fold that keeps
every character in place, so match offsets are offsets into the shown text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from casefile.ui.render_model import Document

MAX_MATCHES = 10_000
Match = tuple[int, int, int]
"""Block, start, end."""


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character, lower-cased and without accents, still one character."""
    base = unicodedata.normalize("NFD", char)[:1] or char
    lowered = base.lower()
    return lowered if len(lowered) == 1 else char


def fold_in_place(text: str) -> str:
    """`text` lower-cased and accent-free, with the same length."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(char) for char in text)


def find_matches(doc: Document, query: str, limit: int = MAX_MATCHES) -> list[Match]:
    """Every non-overlapping occurrence of `query` in the document, in reading order."""
    needle = fold_in_place(" ".join(query.split()))
    if not needle:
        return []
    found: list[Match] = []
    for number, block in enumerate(doc.blocks):
        if not block.text:
            continue
        hay = fold_in_place(block.text)
        start = hay.find(needle)
        while start >= 0:
            found.append((number, start, start + len(needle)))
            if len(found) >= limit:
                return found
            start = hay.find(needle, start + len(needle))
    return found


def first_at_or_after(matches: list[Match], block: int) -> int:
    """Index of the first match in or after `block` (wrapping to 0)."""
    for index, match in enumerate(matches):
        if match[0] >= block:
            return index
    return 0
