"""The Spanish stemmer's suffix lookups (by length, in sets) stem as the suffix-by-suffix
`endswith` scan before them: every word of a mixed list, stems kept from that version."""

from __future__ import annotations

from pathlib import Path

from casefile.core.text import spanish_stem

STEMS = Path(__file__).resolve().parent.parent / "data" / "spanish_stems.txt"
"""word<TAB>stem by the scan version: every suffix of every step after 16 roots (and after
a second suffix, and before a pronoun), and the words of the bilingual, Spanish and sample notes."""


def test_every_word_stems_as_before() -> None:
    pairs = [line.split("\t") for line in STEMS.read_text(encoding="utf-8").splitlines()]
    assert len(pairs) > 10_000
    differ = [(word, old, spanish_stem.stem(word)) for word, old in pairs if spanish_stem.stem(word) != old]
    assert differ == []


def test_the_longest_suffix_inside_the_region_wins() -> None:
    suffixes = spanish_stem._by_length("a ra ara")
    assert spanish_stem._ending("cantara", suffixes, 0) == "ara"
    assert spanish_stem._ending("cantara", suffixes, 5) == "ra"  # `ara` starts before the region
    assert spanish_stem._ending("cantara", suffixes, 7) is None
    assert spanish_stem._ending("ra", suffixes, 0) == "ra"
