"""The whole-set evaluator against Whoosh's own matchers, deletions, segments, date order."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.core import index
from casefile.core.archive.facade import Archive
from casefile.core.index.evaluate import Evaluator
from casefile.core.index.expand import expansions

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"

QUERIES = ["Pena Nieto", "desaparicion", "periodista", "surveillance", "R3D", "Munk", "mexico OR guatemala",
           "(colombia OR guatemala) lawyers", '"human rights"', '"derechos humanos"', "survelance~",
           "title:pegasus", "tag:mexico", 'entity:"Citizen Lab"', "person:EPN", "status:closed", "lang:es",
           "id:MX-2017-004", "date:2017", "date:[2017-01 TO 2017-06]", "date:<2017", "pegasus -mexico",
           "NOT pegasus", "spyware pegasus", "", "peri*", "a*"]


def evaluator_of(archive: Archive) -> Evaluator:
    """The evaluator of the archive's current index generation."""
    engine = archive.reader._current()
    assert engine is not None
    return engine._current()


def whoosh_run(searcher: object, q: object, limit: int | None, sort: str) -> tuple[set[int], list]:
    """Whoosh's own matchers on `q`, its capped expansions spelled out as the terms the
    evaluator chose (Whoosh would expand them all); by date, undated last."""
    from whoosh import query

    evaluator = Evaluator(searcher)

    def spelled(node: query.Query) -> query.Query:
        if isinstance(node, (query.Prefix, query.FuzzyTerm)):
            found = expansions(node, searcher.reader(), evaluator.stats)
            return query.Or([query.Term(node.fieldname, t) for t in found], boost=node.boost)
        return node if node.is_leaf() else node.apply(spelled)

    results = searcher.search(spelled(q), limit=None, terms=False)
    hits = [(dict(hit.fields()), float(hit.score or 0.0), hit.docnum) for hit in results]
    hits.sort(key=lambda hit: (-hit[1], hit[2]))
    if sort == "date":
        dates = evaluator.dates()
        hits.sort(key=lambda hit: (-dates[hit[2]], -hit[1], hit[2]))
    return results.docs(), [(fields, score) for fields, score, _docnum in hits[:limit]]


def evaluate_both(archive: Archive, text: str, sort: str = "relevance") -> tuple[tuple, tuple]:
    """(evaluator, Whoosh) results: docnums matched, and the top hits as (path, rounded score)."""
    searcher = evaluator_of(archive).searcher
    parsed, _notice = index.parse(index.parser(), text) if text else (index.everything(), None)
    q = index.prepare(parsed, text)
    runs = []
    for docs, top in (index.run(searcher, q, 5, sort), whoosh_run(searcher, q, 5, sort)):
        runs.append((set(docs), [(fields["path"], round(score, 4)) for fields, score in top]))
    return runs[0], runs[1]


@pytest.mark.parametrize("text", [q for q in QUERIES if not q.endswith("*")])
def test_same_matches_and_scores_as_whoosh(archive: Archive, text: str) -> None:
    mine, whoosh = evaluate_both(archive, text)
    assert mine[0] == whoosh[0]
    assert sorted(mine[1]) == sorted(whoosh[1]) or [s for _p, s in mine[1]] == [s for _p, s in whoosh[1]]


@pytest.mark.parametrize("text", ["peri*", "a*", "surv*"])
def test_prefixes_match_the_same_documents(archive: Archive, text: str) -> None:
    # scores differ on purpose: each expansion is scored, Whoosh gives prefixes one constant
    mine, whoosh = evaluate_both(archive, text)
    assert mine[0] == whoosh[0] and mine[0]


@pytest.mark.parametrize("limit", [None, 3, 9])
def test_sort_by_date_is_newest_first_and_undated_last(archive: Archive, limit: int | None) -> None:
    hits = archive.search("", sort="date", limit=limit).hits
    dated = [hit.date for hit in hits if hit.date]
    first_undated = next((n for n, hit in enumerate(hits) if not hit.date), len(hits))
    assert all(hit.date is None for hit in hits[first_undated:])  # the format: undated sort last
    assert dated == sorted(dated, reverse=True) and dated[:3] == ["2021", "2020-02", "2019-11-05"][:limit]
    assert len(hits) == (limit or 12)


def test_proximity_phrases_also_put_undated_last(archive: Archive) -> None:
    # phrases with a slop once went to Whoosh's matchers, sorted apart; now the evaluator sorts all
    hits = archive.search('"surveillance pegasus"~30 OR periodista OR mexico', sort="date", limit=None).hits
    dated = [bool(hit.date) for hit in hits]
    assert dated == sorted(dated, reverse=True) and not all(dated) and any(dated)


@pytest.fixture
def edited(tmp_path: Path) -> Iterator[Archive]:
    """An on-disk index whose case was edited after the build: a second segment, one deletion."""
    folder = tmp_path / "cases"
    shutil.copytree(BILINGUAL, folder)
    opened = Archive.open(folder, tmp_path / "index")
    opened.refresh()
    opened.search("pegasus")
    case = folder / "mx-2016-001.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nZanzibarword appears now.\n", encoding="utf-8")
    assert opened.refresh().changed == 1
    yield opened
    opened.close()


def test_deleted_versions_never_match_and_segments_add_up(edited: Archive) -> None:
    searcher = evaluator_of(edited).searcher
    assert len(searcher.reader().leaf_readers()) == 2 and searcher.reader().has_deletions()
    for text in ("zanzibarword", "surveillance", "", "mexico OR guatemala", "date:<2017"):
        mine, whoosh = evaluate_both(edited, text)
        assert mine[0] == whoosh[0], text
    assert [hit.id for hit in edited.search("zanzibarword").hits] == ["MX-2016-001"]
    assert edited.search("").total == 12


def test_long_posting_lists_across_blocks(tmp_path: Path) -> None:
    """Terms in hundreds of cases span several posting blocks (128 a block) of the array layout."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(300):
        extra = "the human rights report" if number % 3 == 0 else "the report on rights of humans"
        (folder / f"c{number:03}.md").write_text(
            f"---\nid: C-{number:03}\ndate: 2020-01-{number % 28 + 1:02}\n---\n# Case {number}\n\n"
            f"Every case names surveillance. {extra}. " + "filler " * (number % 7) + "\n", encoding="utf-8")
    opened = Archive.open(folder, tmp_path / "index")
    opened.refresh()
    for text, total in (("surveillance", 300), ('"human rights"', 100), ('"of humans"', 200), ("", 300),
                        ("report -on", 100), ("surv*", 300)):
        mine, whoosh = evaluate_both(opened, text)
        assert len(mine[0]) == total and mine[0] == whoosh[0], text
        if not text.endswith("*"):
            assert [s for _p, s in mine[1]] == [s for _p, s in whoosh[1]], text
    opened.close()


def test_snippet_finds_a_match_deep_in_a_long_body() -> None:
    from casefile.core.text.analysis import Highlight, snippet

    body = "Señal " * 3000 + "xdesaparición " + "la desaparición forzada " + "fin " * 50
    text, spans = snippet(body, Highlight(frozenset({"desaparicion"})).pattern())
    assert [text[s.start:s.end] for s in spans] == ["desaparición"] and "forzada" in text


def test_exact_title_still_ranks_first_while_its_last_word_is_typed(archive: Archive) -> None:
    title = archive.search("id:MX-2017-004").hits[0].title
    assert archive.search(title + "*").hits[0].id == "MX-2017-004"


@pytest.mark.parametrize("prefix", ["", "p", "pe", "surv", "zzz", "méx"])
def test_prefix_frequencies_agree_with_whoosh_term_infos(edited: Archive, prefix: str) -> None:
    from casefile.core.index.postings import prefix_frequencies

    reader = evaluator_of(edited).searcher.reader()
    expected: dict[bytes, int] = {}
    for leaf, _base in reader.leaf_readers():
        for text, info in leaf.iter_prefix("stem", prefix):
            expected[text] = expected.get(text, 0) + info.doc_frequency()
    assert prefix_frequencies(reader, "stem", prefix) == expected
    assert prefix_frequencies(reader, "tag", "mex") == {b"mexico": 2}


@pytest.mark.parametrize("prefix", ["", "p", "2"])
def test_prefix_frequencies_agree_with_whoosh_in_every_field(edited: Archive, prefix: str) -> None:
    from casefile.core.index.postings import prefix_frequencies

    reader = evaluator_of(edited).searcher.reader()
    for field in reader.schema.names():  # the first and the last field's terms end where the table does
        expected: dict[bytes, int] = {}
        for leaf, _base in reader.leaf_readers():
            for name, text in leaf.all_terms():
                if name == field and text.startswith(prefix.encode("utf-8")):
                    expected[text] = expected.get(text, 0) + leaf.doc_frequency(name, text)
        assert prefix_frequencies(reader, field, prefix) == expected, field


@pytest.mark.parametrize("text", ["pegasus", '"human rights"', "peri*", "survelance~", "date:2017", "", "person:*"])
def test_an_index_with_no_commit_yet_finds_nothing_quietly(text: str) -> None:
    empty = Archive.open(BILINGUAL, None)  # created, not refreshed: no segment at all
    assert empty.search(text).total == 0 and empty.search(text, sort="date").hits == ()
    empty.close()


def test_field_star_finds_the_cases_with_that_field(archive: Archive) -> None:
    assert ids_of(archive, "person:*") == {"MX-2017-004", "entities/pena-nieto"}  # lists EPN; the page
    assert ids_of(archive, "*:*") == ids_of(archive, "")


def ids_of(archive: Archive, text: str) -> set[str]:
    return {hit.id for hit in archive.search(text, limit=None).hits}


def test_tag_table_matches_whoosh_postings_despite_deletions(edited: Archive) -> None:
    searcher = evaluator_of(edited).searcher
    reader = searcher.reader()
    expected = {btext.decode("utf-8"): set(reader.postings("tag", btext).all_ids()) for btext in reader.lexicon("tag")}
    assert evaluator_of(edited).term_docs("tag") == expected and expected["mexico"]
