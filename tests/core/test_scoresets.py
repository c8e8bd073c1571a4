"""Result-set sums add parts from the largest, as the evaluator always did (scoresets.py)."""

from __future__ import annotations

from casefile.core.index.scoresets import add_up


def test_parts_are_added_from_the_largest() -> None:
    tiny, big = 1e-16, 1.0
    found = [{0: tiny}, {0: tiny}, {0: big, 1: 0.5, 2: 0.5}]
    # (1.0 + 1e-16) + 1e-16 rounds to 1.0; adding the small ones first would not
    assert add_up(found) == {0: 1.0, 1: 0.5, 2: 0.5}
