"""Unbalanced query syntax is read as plain words, and the notice says so."""

from __future__ import annotations

import pytest

from casefile.core.archive.facade import Archive


def ids(archive: Archive, query: str) -> set[str]:
    """Ids of every hit."""
    return {hit.id for hit in archive.search(query, limit=None).hits}


@pytest.mark.parametrize(("query", "words", "reason"), [
    ("pegasus AND (", "pegasus", "a '(' is not closed"),
    ("(pegasus OR mexico", "pegasus mexico", "a '(' is not closed"),
    ("pegasus )", "pegasus", "a ')' closes nothing"),
    ('surveillance "human rights', "surveillance human rights", 'a " is not closed'),
    ("surveillance OR", "surveillance", "OR has nothing after it"),
    ("AND surveillance", "surveillance", "AND has nothing before it"),
    ("surveillance NOT", "surveillance", "NOT has nothing after it"),
    ("surveillance AND OR mexico", "surveillance mexico", "OR has nothing before it"),
    ("(surveillance AND) mexico", "surveillance mexico", "AND has nothing after it"),
    ("mexico [2017", "mexico 2017", "a '[' is not closed"),
])
def test_unbalanced_syntax_is_read_as_words_and_said(archive: Archive, query: str, words: str,
                                                      reason: str) -> None:
    result = archive.search(query, limit=None)
    assert result.notice == f"could not read the query ({reason}); searched for its words instead"
    assert {hit.id for hit in result.hits} == ids(archive, words) != set()


@pytest.mark.parametrize("query", [
    "(colombia OR guatemala) lawyers", "mexico OR guatemala", "surveillance AND NOT mexico",
    "date:[2017-01 TO 2017-06]", '"human rights"', "surveillance -(mexico OR colombia)", "NOT mexico",
    "desaparicion", "date:>2016",
])
def test_balanced_queries_carry_no_notice(archive: Archive, query: str) -> None:
    assert archive.search(query).notice is None
