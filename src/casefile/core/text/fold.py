"""The one fold of the core: what "ignoring case and accents" means everywhere.

Indexing, queries, names, mentions and link resolution all call `fold`, so a word
folds the same way wherever it is compared. Dropped: combining marks (Latin accents,
Arabic harakat, Hebrew points, kana voicing marks) and the Arabic tatweel, which
only stretches a word (`كـتـاب` is `كتاب`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

TATWEEL = "\u0640"
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4096)
def is_mark(char: str) -> bool:
    """True for one character `fold` drops: a combining mark or the tatweel."""
    return unicodedata.combining(char) != 0 or char == TATWEEL


def fold(text: str) -> str:
    """Lower-case, without accents, points or tatweel: `Peña` -> `pena`, `ÁNGEL` -> `angel`."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # marks are never ASCII: only the other characters are looked at (set() of every one took half the time)
    for mark in [char for char in set(_NOT_ASCII.findall(decomposed)) if is_mark(char)]:
        decomposed = decomposed.replace(mark, "")  # one C pass per distinct mark: faster than a regex class
    return decomposed


__all__ = ["TATWEEL", "fold", "is_mark"]
