"""Tag facets counted in arrays (facets.py) against the Counter they replace for large
result sets (engine._facets): the same counts, for any table and result set."""

from __future__ import annotations

from collections import Counter
from itertools import chain
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.core.archive.facade import Archive
from casefile.core.index.facets import TagCounts

TAGS = ["mexico", "privacy", "spyware", "leaks", "ñandú", "a"]
tables = st.lists(st.lists(st.sampled_from(TAGS), max_size=4, unique=True).map(tuple), max_size=40)


@settings(max_examples=300, deadline=None)
@given(tables, st.data())
def test_counts_are_the_counters(table: list[tuple[str, ...]], data: st.DataObject) -> None:
    docset = data.draw(st.sets(st.integers(0, max(0, len(table) - 1)))) if table else set()
    expected = Counter(chain.from_iterable(map(table.__getitem__, docset)))
    assert TagCounts(table).count(docset) == dict(expected)


def test_a_table_with_no_tags_counts_nothing() -> None:
    assert TagCounts([(), ()]).count({0, 1}) == {}


@pytest.mark.parametrize("text", ["", "gobierno OR government", "tag:mexico", "surveillance"])
def test_the_engine_gives_the_same_facets_either_way(archive: Archive, text: str) -> None:
    by_counter = archive.search(text).tag_counts
    with mock.patch("casefile.core.index.engine.LARGE", 0):  # every result set counted in arrays
        by_arrays = archive.search(text).tag_counts
    assert by_arrays == by_counter and (by_counter or text == "surveillance")
