"""The language guess's shortcuts (accents dropped by str.replace, no other-script pass over
Latin-only text) count exactly as the one-pass formula they replace, on mixed text."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest

from casefile.config import SAMPLE_CASES
from casefile.core.text import language

DATA = Path(__file__).resolve().parent.parent / "data"
_FOLD = str.maketrans("áéíóúüñ", "aeiouun")


def reference(text: str) -> tuple[int, int, int, bool]:
    """The guess as written before the shortcuts: translate, then every regex on every sample."""
    sample = text[:language.SAMPLE_CHARS].lower()
    found = language._WORD.findall(sample.translate(_FOLD))
    english = sum(1 for word in found if word in language.ENGLISH)
    spanish = sum(1 for word in found if word in language.SPANISH)
    other = sum(map(len, language._OTHER_SCRIPT.findall(sample))) \
        + (language.CJK_WEIGHT - 1) * len(language._CJK.findall(sample))
    return english, spanish, len(found), other > sum(map(len, found))


MIXED = [
    "", "the", "Él está en la casa de los niños, según él, también.", "ÁÉÍÓÚÜÑ áéíóúüñ ÀÈ àè",
    "The report of the commission and the people who were there.",
    "中华人民共和国 the of and", "the of and 中华", "نص عربي مع the and of", "Это текст the",
    "ɐ the of and to in", "ɏ the of and to", "한국어 텍스트 the of", "ñandú según año " * 400,
]


@pytest.mark.parametrize("text", MIXED)
def test_the_guess_counts_as_the_one_pass_formula(text: str) -> None:
    assert astuple(language.guess(text)) == reference(text)


def test_every_note_of_the_test_data_is_guessed_as_before() -> None:
    files = sorted([*DATA.rglob("*.md"), *SAMPLE_CASES.rglob("*.md")])
    texts = [p.read_bytes().decode("utf-8", "replace") for p in files]
    assert len(texts) > 50
    assert [astuple(language.guess(text)) for text in texts] == [reference(text) for text in texts]


def test_no_regex_pass_over_latin_only_text() -> None:
    assert language._other_letters("pena según él " * 100) == 0
    assert language._other_letters("ɐɐ") == 2  # U+0250: the first letter past Latin
    assert language._other_letters("ñandú " * 100 + "\u024f") == 0  # the last Latin letter
