"""The engine's known past failures, each on a tiny index (the general check is test_engine_reference)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_engine_reference import Engine, build


def case(title: str, body: str, lang: str = "en") -> str:
    return f"---\ntitle: {title}\nlang: {lang}\n---\n\n{body}\n"


def paths(engine: Engine, text: str) -> list[str]:
    return sorted(path for path, _score in engine.search(text, None, "relevance"))


def test_a_proximity_phrase_never_lets_an_excluded_word_through() -> None:
    # Whoosh's AndNotMatcher let the first "raeste" through when a "loanban" came before it
    bodies = ["loanban", "raeste loanban", "raeste one", "raeste loanban three", "raeste four"]
    ix, _live = build([[(f"c{n}.md", case("x", body)) for n, body in enumerate(bodies)]])
    engine = Engine(ix)
    expected = ["c2.md", "c4.md"]
    assert paths(engine, "raeste -loanban") == expected
    assert paths(engine, 'raeste -loanban -"qqqx zzzx"~2') == expected
    assert paths(engine, 'raeste -"raeste loanban"~2') == expected


def test_old_versions_of_edited_files_never_come_back() -> None:
    first = [(f"c{n}.md", case("report", "human rights defenders")) for n in range(3)]
    edits = [[("c0.md", case("report", "human and civil rights"))], [("c1.md", case("report", "nothing"))]]
    ix, _live = build([first, *edits], merge_deleted=False)
    engine = Engine(ix)
    assert any(engine.evaluator._deleted)  # the old versions are still in their segment
    assert paths(engine, '"human rights"~3') == ["c0.md", "c2.md"]
    assert paths(engine, '"human rights"') == ["c2.md"]
    assert paths(engine, "NOT nothing") == ["c0.md", "c2.md"]
    assert paths(engine, '-nothing -"qqqx zzzx"~2') == ["c0.md", "c2.md"]
    assert paths(engine, 'rights OR "qqqx zzzx"~2') == ["c0.md", "c2.md"]
    assert paths(engine, 'report -"qqqx zzzx"~2') == ["c0.md", "c1.md", "c2.md"]


def test_a_swapped_pair_of_letters_is_one_edit() -> None:
    ix, _live = build([[("c0.md", case("x", "journalists report")), ("c1.md", case("x", "periodistas", "es")),
                        ("c2.md", case("x", "the president")), ("c3.md", case("x", "presidentes", "es"))]])
    engine = Engine(ix)
    assert paths(engine, "jounralist~") == ["c0.md"]
    # the index holds the stem "presid": reached through "president", one edit from the query
    assert paths(engine, "presidnet~") == paths(engine, "president") == ["c2.md", "c3.md"]
    assert paths(engine, "rpeort~") == paths(engine, "report") == ["c0.md"]


def test_prefix_caps_count_live_documents_only() -> None:
    # eight words in two cases each, "paz" in one: a fresh build keeps the eight for `pa*`
    words = [f"pa{letter}" for letter in "bcdefghi"]
    first = [(f"c{n}.md", case("x", " ".join(words))) for n in range(2)]
    first += [(f"d{n}.md", case("x", "paz")) for n in range(3)]
    edits = [[(f"d{n}.md", case("x", "other"))] for n in range(2)]  # "paz" left in one case
    edited, _ = build([first, *edits], merge_deleted=False)
    fresh, _ = build([[*first[:2], ("d0.md", case("x", "other")), ("d1.md", case("x", "other")), first[4]]])
    assert paths(Engine(edited), "pa*") == paths(Engine(fresh), "pa*") == ["c0.md", "c1.md"]


@pytest.mark.parametrize("text", ["(government -government) AND NOT government", "(a -b) AND NOT c"])
def test_queries_whoosh_cannot_build_are_searched_as_words(text: str) -> None:
    ix, _live = build([[("c0.md", case("government", "government"))]])
    assert Engine(ix).search(text, None, "relevance") is not None


def test_segments_past_the_deleted_share_are_rewritten_without_them() -> None:
    first = [(f"c{n}.md", case("report", f"word{'abcdefghijklmnopqrst'[n]}")) for n in range(20)]
    edits = [[("c0.md", case("report", "edited"))], [("c1.md", None)], [("c2.md", None)]]
    kept, _ = build([first, *edits[:2]])  # 2 of 20 deleted: not past a tenth, kept
    assert sum(map(len, Engine(kept).evaluator._deleted)) == 2
    rewritten, _ = build([first, *edits])  # 3 of 20: the segment is rewritten without them
    engine = Engine(rewritten)
    assert not any(engine.evaluator._deleted) and engine.evaluator.stats.doc_count == 18
    assert paths(engine, "report") == sorted(f"c{n}.md" for n in range(20) if n not in (1, 2))


def test_a_search_before_any_index_exists_says_so(tmp_path: Path) -> None:
    """No engine yet (the reader searches while its first build runs): an empty answer, said."""
    from casefile.core.archive.facade import Archive

    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "a.md").write_text("# A\n\nperiodistas\n", encoding="utf-8")
    result = Archive.open(cases, tmp_path / "index").search("periodistas")
    assert result.total == 0 and result.hits == () and result.notice
