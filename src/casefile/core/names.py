"""Name normalization shared by link resolution, the cross-reference and the index."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def fold(text: str) -> str:
    """Lower-case and strip accents: `Peña` -> `pena`, `ÁNGEL` -> `angel`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)  # every refresh maps all entity names and aliases again
def normalize_name(name: str) -> str:
    """The key under which two spellings of one name are the same.

    Case, accents and surrounding or repeated white space are ignored.
    """
    return _SPACES.sub(" ", fold(name)).strip()


def name_words(text: str) -> list[str]:
    """Folded words of `text`, the unit of whole-word name matching."""
    return _WORD.findall(fold(text))
