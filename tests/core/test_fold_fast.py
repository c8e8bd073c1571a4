"""fold looks for marks among the non-ASCII characters only, and folds exactly as when it
looked at every distinct character: mixed scripts, marks, ligatures, and the test data."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from casefile.config import SAMPLE_CASES
from casefile.core.text.fold import TATWEEL, fold

DATA = Path(__file__).resolve().parent.parent / "data"


def reference(text: str) -> str:
    """The fold before: every distinct character of the decomposed text tested."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    for mark in [c for c in set(decomposed) if unicodedata.combining(c) != 0 or c == TATWEEL]:
        decomposed = decomposed.replace(mark, "")
    return decomposed


MIXED = ["", "ASCII Only", "Peña ÁNGEL Ñandú", "ﬁne ﬂow ß Straße", "كـتـاب مُحَمَّد", "שָׁלוֹם",
         "が ガ ぱ", "Ǆ ǅ ǆ ½ ² ℌ", "e\u0301 a\u0308\u0323 \u0345", "Ελληνικά ΣΊΣΥΦΟΣ", "한국어", "中文 テスト",
         "Tiếng Việt", "\u00a0 \u2003 \ufeff", "İstanbul ı"]


@pytest.mark.parametrize("text", MIXED)
def test_mixed_text_folds_as_before(text: str) -> None:
    assert fold(text) == reference(text)


def test_every_note_of_the_test_data_folds_as_before() -> None:
    files = sorted([*DATA.rglob("*.md"), *SAMPLE_CASES.rglob("*.md")])
    texts = [p.read_bytes().decode("utf-8", "replace") for p in files]
    assert sum(not text.isascii() for text in texts) > 20
    assert [fold(text) for text in texts] == [reference(text) for text in texts]
