"""Every operator and field of the query language, on the small bilingual fixture."""

from __future__ import annotations

import pytest

from casefile.core.archive.facade import Archive


def ids(archive: Archive, query: str) -> set[str]:
    """Ids of every hit."""
    return {hit.id for hit in archive.search(query, limit=None).hits}


@pytest.mark.parametrize(("query", "expected"), [
    ("Pena Nieto", {"MX-2017-004", "ES-2020-001"}),          # accents folded
    ("desaparicion", {"MX-2017-005", "ES-2020-001"}),        # accent-less query, accented text
    ("DESAPARICIÓN", {"MX-2017-005", "ES-2020-001"}),        # case folded
    ("periodista", {"MX-2017-005"}),                         # Spanish stem: periodistas
    ("investigacion", {"MX-2017-005", "GT-2018-002"}),       # investigaciones / investigación
    ("surveillance", {"MX-2017-004", "MX-2016-001", "CO-2019-010", "notes/meeting"}),  # surveilled
    ("R3D", {"MX-2017-004", "MX-2017-005"}),                 # identifier as written
    ("Munk", {"MX-2017-004"}),                               # alias of a listed entity only
    ("EPN", {"MX-2017-004"}),
    ("mexico OR guatemala", {"MX-2017-004", "MX-2017-005", "GT-2018-002"}),
    ("(colombia OR guatemala) lawyers", {"CO-2019-010"}),
    ('"human rights"', {"MX-2017-004"}),
    ('"derechos humanos"', {"MX-2017-005"}),
    ("peri*", {"MX-2017-005"}),
    ("survelance~", {"MX-2017-004", "MX-2016-001", "CO-2019-010", "notes/meeting"}),
    ("survellance~2", {"MX-2017-004", "MX-2016-001", "CO-2019-010", "notes/meeting"}),
    ("title:pegasus", {"MX-2017-004", "notes/pegasus-timeline"}),
    ("tag:surveillance", {"MX-2017-004"}),
    ("tag:pegasus", {"MX-2017-004"}),                         # a hashtag in the body
    ("tag:mexico", {"MX-2017-004", "MX-2017-005"}),          # méxico folded
    ("entity:munk", {"MX-2017-004"}),
    ('entity:"Citizen Lab"', {"MX-2017-004"}),
    ("person:EPN", {"MX-2017-004"}),
    ("org:R3D", {"MX-2017-004", "MX-2017-005"}),
    ("organization:R3D", {"MX-2017-004", "MX-2017-005"}),
    ("place:CDMX", {"MX-2017-004"}),
    ("status:closed", {"MX-2016-001", "GT-2018-002"}),
    ("lang:es", {"MX-2017-005", "GT-2018-002", "ES-2020-001"}),
    ("id:MX-2017-004", {"MX-2017-004"}),
    ("id:mx-2017-004", {"MX-2017-004"}),
    ("date:2017", {"MX-2017-004", "MX-2017-005"}),
    ("date:2017-07", {"MX-2017-005"}),
    ("date:[2017-01 TO 2017-06]", {"MX-2017-004"}),
    ("date:<2017", {"MX-2016-001"}),
])
def test_query_finds_exactly_these_cases(archive: Archive, query: str, expected: set[str]) -> None:
    found = {i for i in ids(archive, query) if not i.startswith("entities/")}
    assert found == expected


@pytest.mark.parametrize(("query", "absent", "present"), [
    ("surveillance NOT lawyers", "CO-2019-010", "MX-2016-001"),
    ("surveillance -lawyers", "CO-2019-010", "MX-2016-001"),
    ("-surveillance", "CO-2019-010", "GT-2018-002"),
    ("date:>2017-06", "MX-2017-004", "MX-2017-005"),
])
def test_exclusions(archive: Archive, query: str, absent: str, present: str) -> None:
    found = ids(archive, query)
    assert absent not in found and present in found


def test_identifier_and_exact_title_rank_first(archive: Archive) -> None:
    assert archive.search("MX-2017-004").hits[0].id == "MX-2017-004"
    assert archive.search("Pegasus").hits[0].id == "notes/pegasus-timeline"


def test_entity_pages_are_found_and_marked(archive: Archive) -> None:
    hits = archive.search("Munk").hits
    kinds = {hit.id: hit.kind for hit in hits}
    assert kinds["entities/citizen-lab"] == "entity" and kinds["MX-2017-004"] == "case"


def test_hits_carry_plain_data_and_marked_spans(archive: Archive) -> None:
    hit = archive.search("desaparicion").hits[0]
    assert hit.path.endswith(".md") and hit.title and "\x1b" not in hit.snippet
    marked = [hit.snippet[s.start:s.end].lower() for s in hit.spans]
    assert any(word.startswith("desaparici") for word in marked)


def test_dates_as_written_and_sort_by_date(archive: Archive) -> None:
    dates = [hit.date for hit in archive.search("", sort="date", limit=None).hits if hit.date]
    assert dates[:3] == ["2021", "2020-02", "2019-11-05"]
    assert "2016" in dates and "2017-07" in dates


def test_total_is_counted_beyond_the_limit_and_tags_are_faceted(archive: Archive) -> None:
    result = archive.search("", limit=2)
    assert len(result.hits) == 2 and result.total == 12
    counts = dict(result.tag_counts)
    assert counts["mexico"] == 2 and counts["pegasus"] == 1


@pytest.mark.parametrize("query", ['"unclosed', "(((", ")", "AND", "^", "date:[2017 TO", "~~", "[]", "tag:", "*"])
def test_odd_queries_never_raise(archive: Archive, query: str) -> None:
    result = archive.search(query)
    assert result.total >= 0


def test_unparsable_query_falls_back_to_words_and_says_so(archive: Archive) -> None:
    result = archive.search("surveillance date:bad")
    assert result.notice and "not a date" in result.notice


def test_unknown_field_is_named(archive: Archive) -> None:
    result = archive.search("colour:red surveillance")
    assert result.notice and "'colour:'" in result.notice
