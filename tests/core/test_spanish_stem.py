"""Spanish morphology: verbs, participles and nouns meet, with or without accents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from whoosh.lang.snowball.spanish import SpanishStemmer

from casefile.config import SAMPLE_CASES
from casefile.core.archive.facade import Archive
from casefile.core.text.analysis import fold_text, spanish_stem

DATA = Path(__file__).resolve().parent.parent / "data"
FAMILIES = {
    "asesin": ["asesinar", "asesinado", "asesinados", "asesinada"],
    "vigil": ["vigilar", "vigilancia", "vigilado", "vigilancias"],
    "espi": ["espiar", "espía", "espia", "espiaba", "espiado", "espías"],
    "investig": ["investigar", "investigación", "investigacion", "investigaciones", "investigado"],
    "amenaz": ["amenazar", "amenaza", "amenazas", "amenazada", "amenazado"],
    "desaparec": ["desaparecer", "desaparecido", "desaparecidos", "desaparecieron"],
    "famili": ["familia", "familias"],
    "homicidi": ["homicidio", "homicidios"],
}


@pytest.mark.parametrize("expected", sorted(FAMILIES))
def test_a_family_shares_one_stem_with_or_without_accents(expected: str) -> None:
    assert {word: spanish_stem(fold_text(word)) for word in FAMILIES[expected]} == \
        dict.fromkeys(FAMILIES[expected], expected)


def test_it_agrees_with_whoosh_snowball_on_accented_words() -> None:
    """The reference: Whoosh's Snowball stemmer on the accented word, folded after.
    Differences are only the folded suffixes left out on purpose (see spanish_stem.py)."""
    reference = SpanishStemmer()
    files = [*(DATA / "bilingual").rglob("*.md"), *SAMPLE_CASES.rglob("*.md")]
    text = " ".join(p.read_text(encoding="utf-8").lower() for p in files)
    vocabulary = set(re.findall(r"[^\W\d_]{3,}", text))
    differ = [w for w in vocabulary if fold_text(reference.stem(w)) != spanish_stem(fold_text(w))]
    assert len(vocabulary) > 300
    assert len(differ) / len(vocabulary) < 0.05, sorted(differ)


@pytest.fixture(scope="module")
def archive() -> Archive:
    found = Archive.open(DATA / "spanish", None)
    found.refresh()
    return found


@pytest.mark.parametrize(("query", "ids"), [
    ("asesinar", {"ES-MORPH-001"}),
    ("vigilar", {"ES-MORPH-002"}),
    ("espiar", {"ES-MORPH-002"}),
    ("amenazar", {"ES-MORPH-002"}),
    ("desaparecer", {"ES-MORPH-003"}),
    ("desaparicion", set()),
    ("investigar", {"ES-MORPH-001", "ES-MORPH-003", "EN-MORPH-004"}),  # English "investigation" too
    ("investigacion", {"ES-MORPH-001", "ES-MORPH-003", "EN-MORPH-004"}),
    ("investigación", {"ES-MORPH-001", "ES-MORPH-003", "EN-MORPH-004"}),
    ("surveilled", {"EN-MORPH-004"}),
])
def test_spanish_search_conflates_verbs_participles_and_nouns(archive: Archive, query: str, ids: set[str]) -> None:
    assert {hit.id for hit in archive.search(query, limit=None).hits} == ids
