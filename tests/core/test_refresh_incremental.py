"""A one-file refresh updates only what the file touched, and answers as a fresh build does:
the searcher keeps the readers of unchanged segments, tag facets are counted from each
segment's own table, and the answers after any history of edits equal a rebuild's."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from casefile.core.archive.facade import Archive
from casefile.core.index import postings

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"
CASE = "---\nid: {id}\ntitle: {title}\ntags: [{tags}]\n---\n# {title}\n\n{body}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bilingual fixture that tests may change."""
    target = tmp_path / "cases"
    shutil.copytree(BILINGUAL, target)
    return target


def write_case(folder: Path, name: str, tags: str, body: str = "Surveillance of journalists.") -> None:
    """A case with these tags (comma-separated, may be empty)."""
    stem = name.removesuffix(".md")
    (folder / name).write_text(CASE.format(id=stem.upper(), title=f"Case {stem}", tags=tags, body=body))


def answers(archive: Archive) -> dict[str, Any]:
    """What a reader sees: hits and tag facets of a few searches."""
    found: dict[str, Any] = {}
    for text in ("", "surveillance", "tag:colombia", "journalists OR lawyers"):
        result = archive.search(text, limit=None)
        found[text] = (result.total, sorted((h.path, h.tags) for h in result.hits), result.tag_counts)
    return found


def rebuilt(folder: Path, index: Path) -> dict[str, Any]:
    """The answers of a fresh build of the folder as it is now."""
    fresh = Archive.open(folder, index)
    fresh.refresh()
    try:
        return answers(fresh)
    finally:
        fresh.close()


def leaf_readers(archive: Archive) -> list[Any]:
    """The segment readers the archive's searcher holds now."""
    engine = archive.reader._current()
    assert engine is not None
    evaluator = engine._current()
    assert evaluator is not None
    return [segment for segment, _base in evaluator.leaves]


def edit(archive: Archive, folder: Path, name: str, tags: str, body: str = "Surveillance of journalists.") -> None:
    """Write one case and refresh it by path."""
    write_case(folder, name, tags, body)
    assert archive.refresh(paths=[name]).changed_anything


def test_tag_counts_after_adding_changing_and_deleting_tags_equal_a_fresh_build(folder: Path,
                                                                                tmp_path: Path) -> None:
    archive = Archive.open(folder, tmp_path / "ix")
    archive.refresh()
    answers(archive)  # the searcher and its tag table are open before the edits
    steps = [("a.md", "colombia, brandnew"), ("co-2019-010.md", "privacy"), ("a.md", "brandnew, other"),
             ("b.md", ""), ("mx-2016-001.md", "colombia, colombia2")]
    for number, (name, tags) in enumerate(steps):
        edit(archive, folder, name, tags)
        assert answers(archive) == rebuilt(folder, tmp_path / f"fresh{number}"), (name, tags)
    (folder / "a.md").unlink()  # its tags go with it
    assert archive.refresh(paths=["a.md"]).removed == 1
    assert answers(archive) == rebuilt(folder, tmp_path / "fresh-last")
    assert "brandnew" not in dict(archive.search("", limit=None).tag_counts)
    archive.close()


def test_a_one_file_edit_keeps_the_readers_and_tag_tables_of_untouched_segments(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive.open(folder, tmp_path / "ix")
    archive.refresh()
    for name in ("a.md", "b.md", "c.md"):  # a segment each
        edit(archive, folder, name, "colombia")
    answers(archive)
    before = leaf_readers(archive)
    computed: list[int] = []
    original = getattr(postings, "doc_terms", None)
    monkeypatch.setattr(postings, "doc_terms", lambda segment, field: computed.append(segment.doc_count_all())
                        or original(segment, field), raising=False)
    edit(archive, folder, "b.md", "privacy")  # deletes from b's segment; adds one
    after = leaf_readers(archive)
    kept = [reader for reader in after if any(reader is old for old in before)]
    assert len(kept) == len(before) - 1 == len(after) - 1  # b's one-document segment went; one is new
    seen = answers(archive)
    assert computed == [1]  # only the new segment's tags were read
    assert seen == rebuilt(folder, tmp_path / "fresh")
    archive.close()


def test_an_old_version_never_comes_back_through_a_reused_reader(folder: Path, tmp_path: Path) -> None:
    archive = Archive.open(folder, tmp_path / "ix")
    archive.refresh()
    edit(archive, folder, "a.md", "colombia", body="Quokka sightings.")
    assert archive.search("quokka").total == 1 and archive.search("wiretap").total == 1
    base = leaf_readers(archive)[0].segment().segment_id()
    edit(archive, folder, "co-2019-010.md", "privacy", body="Wombat sightings.")  # the first segment: a deletion
    assert leaf_readers(archive)[0].segment().segment_id() == base  # still there, with one more deletion
    assert archive.search("wiretap").total == 0 and archive.search("wombat").total == 1
    assert answers(archive) == rebuilt(folder, tmp_path / "fresh")
    archive.close()


def everything(archive: Archive) -> dict[str, Any]:
    """Search answers, problems and the cross-reference's view of a few names."""
    found = answers(archive)
    found["problems"] = archive.problems()
    found["entities"] = archive.xref.entities()
    found["dangling"] = archive.xref.dangling()
    return found


def test_another_process_refresh_then_this_one_equals_a_fresh_build(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    app = Archive.open(folder, index)
    app.refresh()
    everything(app)  # searcher, counts and dangling list in memory
    write_case(folder, "a.md", "colombia, brandnew", body="[[Nobody Known]] met [[Carmen Aristegui]].")
    other = Archive.open(folder, index)  # as `casefile index` in another process
    assert other.refresh(paths=["a.md"]).added == 1
    other.close()
    write_case(folder, "b.md", "privacy", body="[[A]] and [[Someone New]].")
    assert app.refresh(paths=["b.md"]).added == 1
    seen = everything(app)
    app.close()
    fresh = Archive.open(folder, tmp_path / "fresh")
    fresh.refresh()
    assert seen == everything(fresh)
    fresh.close()
