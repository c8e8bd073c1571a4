"""Merging segments (index/merge.py, archive/compaction.py): the merged index answers as the
reference and a fresh build do; a stopped merge leaves the index as it was; searches see the
last commit meanwhile; an archive merges its segments after a big refresh and stays fresh."""

from __future__ import annotations

import io
import itertools
import os
import pickle
import shutil
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from reference import Reference
from test_engine_reference import Engine, build, compare, histories, queries

from casefile.core.archive import compaction, updater
from casefile.core.archive.facade import Archive
from casefile.core.engine import IndexDamaged
from casefile.core.index import STEMMERS, merge, store, writing
from casefile.core.index.documents import document
from casefile.core.index.engine import WhooshEngine
from casefile.core.index.merge import merge_segments, worth_merging
from casefile.core.index.postings import read_postings
from casefile.core.read.parse import parse_case

DATA = Path(__file__).parents[1] / "data"
QUERIES = ["pegasus", "periodistas", '"human rights"', "inv*", "tag:mexico", "date:2017", "person:*",
           "surveilled~", "lawyers OR abogados", '"de la"']


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(histories(), st.lists(queries(), min_size=1, max_size=6), st.booleans())
def test_a_merged_index_answers_as_the_reference(history: Any, texts: list[str], merge_deleted: bool) -> None:
    ix, live = build(history, merge_deleted)
    merged = merge_segments(ix)
    assert merged == (len(ix._segments()) == 1 and len(history) > 1) or not merged
    engine, reference = Engine(ix), Reference(list(live.values()))
    dates = {doc.path: doc.date for doc in reference.docs}
    for text in [*texts, ""]:
        compare(engine, reference, text, dates)


def answers(engine: WhooshEngine) -> list[Any]:
    """Totals, scored paths and facets of every query."""
    found = []
    for text in QUERIES:
        ranked = engine.search(text, None, "relevance")
        assert ranked is not None
        found.append((ranked.total, sorted((round(score, 6), f["path"]) for f, score in ranked.hits), ranked.tags))
    return found


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """An index folder of the fixture cases in several segments (one commit per few files)."""
    folder = tmp_path / "cases"
    for name in ("bilingual", "xref"):
        shutil.copytree(DATA / name, folder / name)
    archive = Archive.open(folder, tmp_path / "index")
    paths = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.md"))
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for path in paths:  # files appear a few at a time: one segment per refresh
        os.replace(folder / path, hidden / path.replace("/", "_"))
    for start in range(0, len(paths), 4):
        for path in paths[start:start + 4]:
            os.replace(hidden / path.replace("/", "_"), folder / path)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(store, "SMALL_SEGMENTS", 10**6)  # keep the small segments apart
            archive.refresh()
    archive.close()
    return tmp_path / "index"


def test_searches_see_the_last_commit_while_a_merge_runs(built: Path) -> None:
    engine = WhooshEngine(store.open_storage(built))
    before = answers(engine)
    ix = store.open_index(engine.storage)
    assert worth_merging(ix) is False and len(ix._segments()) > 2  # small segments: not worth it
    during: list[Any] = []
    assert merge_segments(ix, stop=lambda: bool(during.append(answers(engine))))
    assert len(ix._segments()) == 1
    assert during and all(found == before for found in during)
    assert answers(engine) == before  # reopened on the new generation


def test_a_stopped_merge_leaves_the_index_as_it_was(built: Path) -> None:
    files = sorted(os.listdir(built))
    ix = store.open_index(store.open_storage(built))
    generation = store.generation(ix.storage)
    asked: list[int] = []
    assert not merge_segments(ix, stop=lambda: bool(asked.append(1)) or len(asked) > 3)
    assert store.generation(ix.storage) == generation and sorted(os.listdir(built)) == files


def test_an_archive_merges_after_a_big_refresh_and_stays_fresh(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(DATA / "bilingual", folder)
    monkeypatch.setattr(updater, "FIRST_STAGE", 3)  # two commits: two segments of the one refresh
    monkeypatch.setattr(compaction, "MERGE_FROM", 1)
    monkeypatch.setattr(merge, "SMALL_DOCS", 1)  # every segment is "big"
    archive = Archive.open(folder, tmp_path / "index")
    archive.refresh()
    archive.finish_merge()
    assert archive.compaction.merged == 1
    assert len(store.open_index(store.open_storage(tmp_path / "index"))._segments()) == 1
    assert all(p.stat().st_mode & 0o077 == 0 for p in (tmp_path / "index").iterdir() if p.is_file())
    found = [(h.path, round(h.score, 6)) for h in archive.search("human rights", limit=None).hits]
    archive.close()
    again = Archive.open(folder, tmp_path / "index")
    assert not again.refresh().changed_anything  # the manifest knows the merged files: no rebuild
    assert [(h.path, round(h.score, 6)) for h in again.search("human rights", limit=None).hits] == found
    again.close()


def test_a_commit_while_the_index_is_opened_is_not_damage(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = WhooshEngine(store.open_storage(built))
    before = answers(engine)
    engine.close()
    real_reader, latest = store.reader, store.generation(engine.storage)
    generations = itertools.chain([latest - 1], itertools.repeat(latest))

    def opened_too_late(storage: Any, generation: int, old: Any) -> Any:
        """The first open finds its segments removed by a commit (a merge) that came after."""
        monkeypatch.setattr(store, "reader", real_reader)
        raise FileNotFoundError("MAIN_old.seg")

    monkeypatch.setattr(store, "reader", opened_too_late)
    monkeypatch.setattr(store, "generation", lambda storage: next(generations))
    assert answers(engine) == before


def test_damage_is_still_damage(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = WhooshEngine(store.open_storage(built))
    monkeypatch.setattr(store, "reader", lambda *args: (_ for _ in ()).throw(FileNotFoundError("gone")))
    with pytest.raises(IndexDamaged):
        engine.search("pegasus", 5, "relevance")


def _case(number: int) -> dict[str, Any]:
    """A document whose words are common (every case), frequent (most), or rare (a few)."""
    words = ["derechos"] * (1 + number % 3) + (["gobierno"] if number % 4 else []) + \
        (["pegasus"] if number % 97 == 0 else []) + [f"caso{number}"]
    text = f"---\ntitle: caso {number}\ndate: {2000 + number % 20}\nlang: es\n---\n\n{' '.join(words)}\n"
    return document(parse_case(text, f"c{number:04}.md")[0], {}, STEMMERS)


def _commit(ix: Any, numbers: range) -> None:
    w = writing(ix)
    for number in numbers:
        w.add(_case(number))
    w.commit()


def _blocks(segment: Any, field: str, word: bytes) -> list[bytes]:
    """The compressed data of each posting block of a term in a segment (its headers cut off)."""
    terms = segment._terms
    info = terms.term_info(field, word)
    if info.is_inlined():
        return []
    offset, (length,) = info.extent()  # Whoosh reads the length as a 1-tuple
    data = terms._postfile.get(offset + 4, length - 4)
    found, at, stream = [], 0, io.BytesIO(data)
    while at < len(data):
        end = at + 4 + abs(struct.unpack_from("!i", data, at)[0])
        stream.seek(at + 4)
        pickle.load(stream)
        found.append(data[stream.tell():end])
        at = end
    return found


def test_a_merge_copies_posting_blocks_and_stored_fields_as_they_are() -> None:
    """Segments where terms are in blocks, inlined, or both, merge into the postings,
    stored fields and lengths of a fresh build; the blocks' data is not re-encoded."""
    ix = store.create(store.open_storage(None))
    parts = [range(300), range(300, 305), range(305, 700), range(700, 702)]
    for numbers in parts:
        _commit(ix, numbers)
    fresh = store.create(store.open_storage(None))
    _commit(fresh, range(702))
    with ix.reader() as reader:
        copied = [block for segment, _base in reader.leaf_readers() for block in _blocks(segment, "stem", b"derech")]
    assert len(ix._segments()) == len(parts) and merge_segments(ix)
    with ix.reader() as merged, fresh.reader() as expected:
        (segment, _base), = merged.leaf_readers()
        assert set(copied) <= set(_blocks(segment, "stem", b"derech"))  # blocks moved, never re-encoded
        for field in ("stem", "title", "date", "lang", "id", "path"):
            assert list(merged.lexicon(field)) == list(expected.lexicon(field))
            positions = ix.schema[field].format.fixed_value_size() is None
            for word in expected.lexicon(field):
                mine, theirs = (read_postings(r, field, word, positions) for r in (segment, expected))
                assert (mine.ids, mine.weights) == (theirs.ids, theirs.weights)
                assert not positions or mine.values.blob == theirs.values.blob
            assert merged.field_length(field) == expected.field_length(field)
        assert [merged.stored_fields(n) for n in range(702)] == [expected.stored_fields(n) for n in range(702)]
        assert all(merged.doc_field_length(n, "stem") == expected.doc_field_length(n, "stem") for n in range(702))
        assert list(merged.column_reader("date")) == list(expected.column_reader("date"))
