"""A term's postings decoded as arrays (array_postings.py) against the list decoding
(postings.read_postings): the same docnums and weights for every term, inlined or in
many blocks, with weights of every kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.core.archive.facade import Archive
from casefile.core.index import postings as files
from casefile.core.index.array_postings import read_arrays
from casefile.core.index.evaluate import Evaluator


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Evaluator:
    """An index of 300 cases: common words span several posting blocks (128 a block)."""
    folder = tmp_path_factory.mktemp("many")
    for number in range(300):
        extra = "the human rights report" if number % 3 == 0 else "the report on rights of humans"
        (folder / f"c{number:03}.md").write_text(
            f"---\nid: C-{number:03}\ntags: [t{number % 4}]\n---\n# Case {number}\n\n"
            f"Every case names surveillance. {extra}. " + "filler " * (number % 7) + "\n", encoding="utf-8")
    opened = Archive.open(folder, Path(tmp_path_factory.mktemp("index")))
    opened.refresh()
    engine = opened.reader._current()
    assert engine is not None
    found = engine._current()
    assert found is not None
    return found


def test_every_term_decodes_alike(many: Evaluator) -> None:
    checked = 0
    for segment, _base in many.leaves:
        for field in ("stem", "tag", "title", "id", "path"):
            for btext in files.lexicon(segment, field):
                expected = files.read_postings(segment, field, btext, False)
                found = read_arrays(segment, field, btext)
                assert expected is not None and found is not None
                assert found[0].tolist() == expected.ids and found[1].tolist() == expected.weights, (field, btext)
                checked += len(expected.ids)
    assert checked > 3000  # words in every case: several blocks each


def test_a_missing_term_has_no_arrays(many: Evaluator) -> None:
    assert read_arrays(many.leaves[0][0], "stem", b"zanzibarword") is None
