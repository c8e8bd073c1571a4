"""The array sums (dense.py, numpy) against their reference (scoresets.add_up and the
evaluator's BM25 in Python): the same floats to the last bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.core.index import dense
from casefile.core.index.scoresets import add_up
from casefile.core.index.scoresets import best as reference_best

scores = st.floats(min_value=1e-12, max_value=1e3, allow_nan=False)
part = st.dictionaries(st.integers(0, 40), scores, max_size=25)


@settings(max_examples=300, deadline=None)
@given(st.lists(part, max_size=6))
def test_sums_are_the_references_to_the_last_bit(parts: list[dict[int, float]]) -> None:
    arrays = [(np.asarray(list(p), dtype=np.int64), np.asarray(list(p.values()), dtype=np.float64)) for p in parts]
    found = dense.add_up(arrays, 41)
    expected = add_up(parts)
    assert found.keys() == expected.keys()
    assert all(found[d].hex() == expected[d].hex() for d in found)


def test_parts_are_added_from_the_largest() -> None:
    tiny = np.asarray([1e-16]), np.asarray([0])
    big = np.asarray([0, 1, 2]), np.asarray([1.0, 0.5, 0.5])
    # (1.0 + 1e-16) + 1e-16 rounds to 1.0; adding the small ones first would not
    assert dense.add_up([(tiny[1], tiny[0]), (tiny[1], tiny[0]), big], 3) == {0: 1.0, 1: 0.5, 2: 0.5}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 300).map(float), st.floats(0.3, 4.0)), min_size=1, max_size=30),
       st.floats(0.01, 20.0), st.floats(1.0, 3.0))
def test_bm25_is_the_evaluators_to_the_last_bit(pairs: list[tuple[float, float]], idf: float, k1: float) -> None:
    weights, norms = [w for w, _ in pairs], [n for _, n in pairs]
    found = dense.bm25(np.asarray(weights), np.asarray(norms), idf, k1).tolist()
    assert [x.hex() for x in found] == [(idf * (w * k1) / (w + n)).hex() for w, n in zip(weights, norms)]


def test_a_mask_keeps_only_the_docnums_within() -> None:
    found = np.asarray([0, 2, 5, 7]), np.asarray([1.0, 2.0, 3.0, 4.0])
    docs, weights = dense.live(found, 10, frozenset({7}), dense.mask_of({12, 15, 17, 99}, 20))
    assert docs.tolist() == [12, 15] and weights.tolist() == [2.0, 3.0]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(0, 200), st.sampled_from([0.5, 1.0, 2.0, 1e-9, 3.25]) | scores, min_size=1,
                       max_size=60), st.integers(1, 30))
def test_the_best_are_the_references(found: dict[int, float], limit: int) -> None:
    limit = min(limit, len(found))
    assert dense.best(found, limit) == reference_best(found, limit)
