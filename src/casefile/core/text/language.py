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
SHARE = 0.2
"""Function words are a third or more of English or Spanish prose; below a fifth of the words,
the text is in another language that quotes a little English (Norwegian, say), or is a list."""
STRONG_WORDS, STRONG_RATIO = 20, 5.0
"""A declared language is contradicted only by this much evidence (for `check`)."""

ENGLISH = frozenset("""the of and to in is that for on with as by was were this from are be at or
an has have had it its which their not but also been after when who they than would there
these those what will can could should into about over our we he she his her them""".split())
SPANISH = frozenset("""el la los las de del y en un una unos unas que por para con como se su sus
al es fue fueron ha han mas pero tambien sin sobre entre cuando donde este esta estos estas ese
esa esos esas le les lo muy ya son era eran hay desde hasta porque segun otro otra todos ni""".split())
_WORD = re.compile(r"[a-z\u00e0-\u00ff]+")
_OTHER_SCRIPT = re.compile(r"[^\W\d_\u0000-\u024f]+")
"""Runs of letters beyond Latin (CJK, Arabic, Hebrew, Cyrillic, ...)."""
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
CJK_WEIGHT = 3
"""A Chinese or Japanese character, or a Hangul syllable, says about as much as three Latin letters."""
_FOLD = tuple(zip("áéíóúüñ", "aeiouun"))
"""The accents of Spanish function words, dropped (one str.replace each: str.translate with a
table takes a Python lookup per character of a non-ASCII text, 0.2 ms a note)."""
_BEYOND_LATIN = re.compile(r"[^\u0000-\u024f]")
"""A character past the Latin letters: a sample without one has no other script."""


@dataclass(frozen=True, slots=True)
class Guess:
    """What the function words of a text say."""

    english: int
    spanish: int
    words: int = 0
    """Words in Latin letters (0: not counted)."""
    other_letters: bool = False
    """More letters of other scripts (Chinese, Arabic, ...) than Latin ones: neither language."""

    @property
    def lang(self) -> str | None:
        """`en` or `es` when the evidence is clear, else None (too short, or mixed)."""
        if self.english + self.spanish < MIN_WORDS or self.other_letters \
                or self.english + self.spanish < SHARE * self.words:
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
    sample = text[:SAMPLE_CHARS].lower()
    found = _WORD.findall(_fold(sample))
    english = sum(1 for word in found if word in ENGLISH)
    spanish = sum(1 for word in found if word in SPANISH)
    return Guess(english, spanish, len(found), _other_letters(sample) > sum(map(len, found)))


def _fold(sample: str) -> str:
    """The sample without the accents of Spanish function words."""
    for accented, plain in _FOLD:
        if accented in sample:
            sample = sample.replace(accented, plain)
    return sample


def _other_letters(sample: str) -> int:
    """Letters of other scripts in the sample, a CJK character or Hangul syllable counted CJK_WEIGHT times."""
    if _BEYOND_LATIN.search(sample) is None:  # Latin only (most notes): one quick scan
        return 0
    return sum(map(len, _OTHER_SCRIPT.findall(sample))) + (CJK_WEIGHT - 1) * len(_CJK.findall(sample))
