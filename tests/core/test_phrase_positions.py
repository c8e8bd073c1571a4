"""Two-word phrases look for positions among the other word's packed positions: a match
must start at a number, never inside two neighbours' bytes (phrases.py)."""

from __future__ import annotations

import struct
from array import array

import pytest

from casefile.core.index.phrases import phrase_docs
from casefile.core.index.postings import Postings, Values


def postings(per_doc: dict[int, list[int]]) -> Postings:
    """A word's postings with these positions, encoded as the index stores them."""
    parts = [struct.pack("!I", len(at)) + array("I", at).tobytes() for at in per_doc.values()]
    values = Values([(array("I", map(len, parts)), b"".join(parts))])
    return Postings(list(per_doc), [float(len(at)) for at in per_doc.values()], values)


@pytest.mark.parametrize(("first", "second", "found"), [
    ([0], [0, 256], False),  # value 1's bytes appear across 0 and 256 (little-endian): no match
    ([0], [0, 1], True),
    ([5, 9], [1, 2, 3, 10], True),
    ([5, 9], [1, 2, 3, 11], False),
    ([1, 2, 3, 10], [0, 256], False),  # the second word has fewer positions: looked for backwards
    ([255, 1, 2, 3], [0, 256], True),
    ([0], [65536, 16777216], False),
])
def test_a_pair_matches_only_adjacent_positions(first: list[int], second: list[int], found: bool) -> None:
    docs = phrase_docs([postings({7: sorted(first), 9: [0]}), postings({7: sorted(second), 9: [5]})], frozenset())
    assert docs == ([7] if found else [])
