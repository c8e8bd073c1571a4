"""The phrase accelerator (phrase_arrays.py, numpy) against its reference (phrases.py):
the same documents for any positions, slop, deletions and allowed set."""

from __future__ import annotations

import struct
from array import array
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.core.engine import IndexDamaged
from casefile.core.index import phrase_arrays, phrases
from casefile.core.index.damage import reading
from casefile.core.index.postings import Postings, Values


def postings(per_doc: dict[int, list[int]], chunks: int = 1) -> Postings:
    """A word's postings with these positions, encoded as the index stores them (in
    `chunks` parts, as blocks are)."""
    parts = [struct.pack("!I", len(at)) + array("I", at).tobytes() for at in per_doc.values()]
    step = max(1, -(-len(parts) // chunks))
    cuts = [parts[i:i + step] for i in range(0, len(parts), step)]
    pieces = [(array("I", map(len, cut)), b"".join(cut)) for cut in cuts]
    return Postings(list(per_doc), [float(len(at)) for at in per_doc.values()], Values(pieces or [(array("I"), b"")]))


positions = st.lists(st.integers(0, 12), min_size=1, max_size=6, unique=True).map(sorted)
word = st.dictionaries(st.integers(0, 15), positions, max_size=12).map(lambda d: dict(sorted(d.items())))


@settings(max_examples=400, deadline=None)
@given(st.lists(word, min_size=2, max_size=4), st.integers(1, 4), st.frozensets(st.integers(0, 15), max_size=4),
       st.one_of(st.none(), st.frozensets(st.integers(100, 115))), st.integers(1, 3))
def test_the_arrays_match_the_reference(per_word: list[dict[int, list[int]]], slop: int, deleted: frozenset[int],
                                        allowed: frozenset[int] | None, chunks: int) -> None:
    words = [postings(w, chunks) for w in per_word]
    expected, maps = phrases.phrase_matches(words, deleted, slop, allowed, 100)
    found, where = phrase_arrays.phrase_matches(words, deleted, slop, allowed, 100)
    assert found == sorted(expected)
    assert where == [[at[d] for d in found] for at in maps]


def test_positions_out_of_order_are_sorted_first() -> None:
    first, second = postings({3: [9, 2]}), postings({3: [3]})
    assert phrase_arrays.phrase_matches([first, second], frozenset())[0] == [3]


@pytest.mark.parametrize("slop", [1, 3, 2**40])
def test_a_match_never_crosses_documents(slop: int) -> None:
    # the last possible position of doc 1, then position 0 of doc 2: no phrase
    first, second = postings({1: [2**32 - 1], 2: [9]}), postings({1: [3], 2: [0]})
    assert phrase_arrays.phrase_matches([first, second], frozenset(), slop=slop)[0] == []
    backwards = phrase_arrays.phrase_matches([second, first], frozenset(), slop=slop)[0]
    assert backwards == ([1, 2] if slop > 9 else []) == sorted(phrases.phrase_docs([second, first], frozenset(), slop))


@pytest.mark.parametrize("blob", [b"", b"\x00\x00\x00\x01\x01\x00\x00"])  # no count; not uint32s
def test_garbled_positions_are_damage(blob: Any) -> None:
    broken = Postings([0], [1.0], Values([(array("I", [len(blob)]), blob)]))
    with pytest.raises(IndexDamaged), reading("positions"):
        phrase_arrays.keys(broken)
