"""Name normalization shared by link resolution, the cross-reference and the index."""

from __future__ import annotations

import re
from functools import lru_cache

from casefile.core.text.fold import fold
from casefile.core.text.sanitize import INVISIBLE

_SPACES = re.compile(r"\s+")
# An invisible character, or the mark `show_invisible` put in its place.
_INVISIBLE_OR_MARK = re.compile("\u27e8(%s)\u27e9|[%s]" % ("|".join(INVISIBLE.values()), "".join(INVISIBLE)))
_BREAKS = {"\u2028", "\u2029", "LSEP", "PSEP"}
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def without_invisible(text: str) -> str:
    """`text` without zero-width characters and bidi marks (raw or shown as `⟨ZWSP⟩`).

    Line and paragraph separators become spaces: `Citizen\u2028Lab` is `Citizen Lab`.
    """
    if text.isascii():
        return text
    return _INVISIBLE_OR_MARK.sub(lambda m: " " if (m.group(1) or m.group()) in _BREAKS else "", text)


@lru_cache(maxsize=1 << 16)  # every refresh maps all entity names and aliases again
def normalize_name(name: str) -> str:
    """The key under which two spellings of one name are the same.

    Case, accents, invisible characters and surrounding or repeated white space are ignored.
    """
    return _SPACES.sub(" ", fold(without_invisible(name))).strip()


def name_words(text: str) -> list[str]:
    """Folded words of `text`, the unit of whole-word name matching."""
    return _WORD.findall(fold(text))
