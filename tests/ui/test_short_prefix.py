"""One or two typed letters narrow the results: searched as a prefix of titles, tags and
entity names (body words starting with them are far too many)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.core.archive.facade import Archive
from casefile.ui.as_you_type import typing_query

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"


@pytest.fixture(scope="module")
def archive() -> Iterator[Archive]:
    opened = Archive.open(BILINGUAL, None)
    opened.refresh()
    yield opened
    opened.close()


@pytest.mark.parametrize(("typed", "sent"), [
    ("p", "(title:p* OR tag:p* OR entity:p*)"),
    ("pe", "(title:pe* OR tag:pe* OR entity:pe*)"),
    ("vigilancia pe", "vigilancia (title:pe* OR tag:pe* OR entity:pe*)"),
    ("(mexico OR gu", "(mexico OR (title:gu* OR tag:gu* OR entity:gu*))"),
    ('"a (b" c', '"a (b" (title:c* OR tag:c* OR entity:c*)'),  # a paren inside a phrase is text
])
def test_a_short_last_word_is_a_prefix_of_titles_tags_and_names(typed: str, sent: str) -> None:
    assert typing_query(typed) == sent


def hits(archive: Archive, typed: str) -> dict[str, str]:
    """id -> title of every hit of what the search bar sends for `typed`."""
    result = archive.search(typing_query(typed), limit=None)
    assert result.notice is None
    return {hit.id: hit.title for hit in result.hits}


@pytest.mark.parametrize(("typed", "expected"), [
    ("p", {"MX-2017-004", "notes/pegasus-timeline"}),  # "Pegasus" in their titles
    ("pe", {"MX-2017-004", "notes/pegasus-timeline"}),
    ("pegasus ti", {"notes/pegasus-timeline"}),
    ("surveillance pe", {"MX-2017-004"}),
])
def test_one_or_two_letters_find_the_titles_starting_with_them(archive: Archive, typed: str,
                                                               expected: set[str]) -> None:
    assert expected <= hits(archive, typed).keys()


def test_short_prefixes_narrow(archive: Archive) -> None:
    everything = archive.search("", limit=None).total
    assert 0 < len(hits(archive, "p")) < everything
    assert 0 < len(hits(archive, "pe")) <= len(hits(archive, "p"))
    assert "MX-2017-004" in hits(archive, "mu")  # entity alias "Munk School Citizen Lab"
    assert "MX-2017-004" in hits(archive, "su")  # tag "surveillance"


def test_a_short_title_prefix_marks_no_body_words(archive: Archive) -> None:
    result = archive.search(typing_query("pe"), limit=None)
    assert result.hits and all(hit.spans == () for hit in result.hits)
