"""Which language a note is written in, English or Spanish, from its function words.

Function words (articles, prepositions, auxiliaries) are the most frequent words of
any text and differ between the two languages, so counting them in the first few
thousand characters tells English from Spanish without a model or a download.
Words shared by both (`a`, `no`, `me`) are left out of both lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SAMPLE_CHARS = 6000
"""Only the start of the body is read: enough words, a bounded cost on huge files."""
MIN_WORDS = 6
"""Fewer function words than this decide nothing (a title, a list of names)."""
RATIO = 2.0
"""One language must have this many times the other's function words to be chosen."""
STRONG_WORDS, STRONG_RATIO = 20, 5.0
"""A declared language is contradicted only by this much evidence (for `check`)."""

ENGLISH = frozenset("""the of and to in is that for on with as by was were this from are be at or
an has have had it its which their not but also been after when who they than would there
these those what will can could should into about over our we he she his her them""".split())
SPANISH = frozenset("""el la los las de del y en un una unos unas que por para con como se su sus
al es fue fueron ha han mas pero tambien sin sobre entre cuando donde este esta estos estas ese
esa esos esas le les lo muy ya son era eran hay desde hasta porque segun otro otra todos ni""".split())
_WORD = re.compile(r"[a-z\u00e0-\u00ff]+")
_FOLD = str.maketrans("áéíóúüñ", "aeiouun")


@dataclass(frozen=True, slots=True)
class Guess:
    """What the function words of a text say."""

    english: int
    spanish: int

    @property
    def lang(self) -> str | None:
        """`en` or `es` when the evidence is clear, else None (too short, or mixed)."""
        if self.english + self.spanish < MIN_WORDS:
            return None
        if self.spanish >= RATIO * self.english:
            return "es"
        if self.english >= RATIO * self.spanish:
            return "en"
        return None

    def contradicts(self, declared: str) -> bool:
        """True when the text is clearly in the other of the two languages."""
        if declared not in ("en", "es"):
            return False
        mine, other = (self.english, self.spanish) if declared == "en" else (self.spanish, self.english)
        return other >= STRONG_WORDS and other >= STRONG_RATIO * max(mine, 1)


def guess(text: str) -> Guess:
    """Count English and Spanish function words at the start of `text`."""
    found = _WORD.findall(text[:SAMPLE_CHARS].lower().translate(_FOLD))
    english = sum(1 for word in found if word in ENGLISH)
    spanish = sum(1 for word in found if word in SPANISH)
    return Guess(english, spanish)
