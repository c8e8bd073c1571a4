"""Result-set sums: the list over every docnum adds exactly as the dicts did (scoresets.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from casefile.core.index.scoresets import add_up

parts = st.lists(st.dictionaries(st.integers(0, 63), st.floats(0.001, 50.0), max_size=40), max_size=6)


@given(parts)
def test_dense_and_dict_sums_agree_to_the_last_bit(found: list[dict[int, float]]) -> None:
    dense = add_up(found, 64)  # parts cover more than an eighth of 64 docnums: the list
    sparse = add_up(found, 10**9)  # a huge archive: the dicts
    assert dense == sparse
    assert dense.keys() == set().union(*found)


def test_parts_are_added_from_the_largest() -> None:
    tiny, big = 1e-16, 1.0
    found = [{0: tiny}, {0: tiny}, {0: big, 1: 0.5, 2: 0.5}]
    # (1.0 + 1e-16) + 1e-16 rounds to 1.0; adding the small ones first would not
    assert add_up(found, 3)[0] == 1.0 == add_up(found, 10**9)[0]
