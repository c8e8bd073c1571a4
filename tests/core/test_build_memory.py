"""A build's memory does not grow with the archive: no process holds every parsed case.

Counted, not timed: live Case objects, sampled while a build of a few hundred generated
files runs with small stages. Before the two-pass cross-reference the build's parent held
every case of a stage until the last was parsed, and each worker held its whole share.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import pytest

from casefile.core import index, spill
from casefile.core.archive import parallel, updater
from casefile.core.archive.facade import Archive
from casefile.core.index import batch
from casefile.core.index.segment import FastWriter
from casefile.core.model import Case
from casefile.core.read.library import walk
from casefile.core.xref import files, words
from casefile.core.xref.record import Prepared, Record
from casefile.core.xref.store import XrefStore

FILES = 600
BOUND = 100
"""Most Case objects alive at once, whatever the number of files: a batch of 10 sent to the
parent and a chunk of 64 waiting to be spilled (core/spill.py)."""


def write_folder(folder: Path, count: int = FILES) -> Path:
    """`count` small cases naming and linking a few entities, and their entity pages."""
    people = [f"Persona Numero{n}" for n in range(count // 20)]
    for n, name in enumerate(people):
        page = folder / "entities" / f"p{n}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"---\ntype: person\ntitle: {name}\naliases: [P{n}]\n---\nAbout {name}.\n", encoding="utf-8")
    for n in range(count - len(people)):
        one, two = people[n % len(people)], people[(n * 7) % len(people)]
        (folder / f"c{n:04d}.md").write_text(
            f"---\nid: C-{n}\ntitle: Case {n}\nentities:\n  person: [{one}]\n---\n"
            f"The government and {two} met.\n\nSee [[{people[(n * 3) % len(people)]}]] and [[C-{(n + 1) % 50}]].\n",
            encoding="utf-8")
    return folder


def live_cases() -> int:
    """Case objects alive in this process now."""
    return sum(1 for obj in gc.get_objects() if type(obj) is Case)


def live_parsed() -> int:
    """Cases and bodies prepared for the cross-reference alive in this process now."""
    return sum(1 for obj in gc.get_objects() if type(obj) in (Case, Prepared))


@pytest.mark.parametrize("workers", [1, 2])
def test_the_build_parent_holds_a_bounded_number_of_parsed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         workers: int) -> None:
    folder = write_folder(tmp_path / "cases")
    monkeypatch.setattr(updater, "FIRST_STAGE", 20)
    monkeypatch.setattr(updater, "PARALLEL_FROM", 100)
    monkeypatch.setattr(parallel, "BATCH", 10)
    monkeypatch.setattr(parallel, "start_method", lambda: "fork")
    monkeypatch.setattr(os, "cpu_count", lambda: workers)
    seen: list[int] = []
    archive = Archive.open(folder, tmp_path / "index")
    report = archive.refresh(lambda done, total: seen.append(live_parsed()))
    assert report.total == FILES and report.cases + report.entities == FILES
    assert len(seen) > 10 and max(seen) <= BOUND, seen
    assert archive.search("government", limit=5).total == FILES - FILES // 20
    entity = archive.xref.entity("Persona Numero3")
    assert entity is not None and entity.cases_listing and entity.cases_linking and entity.unlinked_mentions


def test_the_build_parent_keeps_no_worker_message_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # of what a worker sends per file the parent keeps the catalog entry only: before, a `Done`
    # wrapper with the worker's copy of the file's stat stayed for every file of each share
    folder = write_folder(tmp_path / "cases")
    monkeypatch.setattr(parallel, "BATCH", 10)
    archive = build(folder, tmp_path / "index", monkeypatch)
    seen: list[int] = []
    archive.refresh(lambda done, total: seen.append(sum(1 for obj in gc.get_objects() if type(obj) is parallel.Done)))
    assert len(seen) > 10 and max(seen) <= 2 * 10, seen
    assert archive.search("government", limit=5).total == FILES - FILES // 20


def live_records() -> int:
    """Cross-reference records alive in this process now."""
    return sum(1 for obj in gc.get_objects() if type(obj) is Record)


def test_the_build_parent_holds_a_bounded_number_of_xref_records(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # the records of a stage go to disk shard by shard as they are made, and each shard file
    # is written from there: before, the store held every record until it was saved
    folder = write_folder(tmp_path / "cases")
    monkeypatch.setattr(spill, "CHUNK", 4)
    seen: list[int] = []
    put, write = files.Shards.put, files.Shards._write

    def sampled_put(self: files.Shards, record: Record, words: Any = None) -> None:
        put(self, record, words)
        if len(seen) % 20 == 0:
            seen.append(live_records())
        seen.append(-1)

    def sampled_write(self: files.Shards, *args: Any) -> None:
        write(self, *args)
        seen.append(live_records())

    monkeypatch.setattr(files.Shards, "put", sampled_put)
    monkeypatch.setattr(files.Shards, "_write", sampled_write)
    gc.collect()
    before = live_records()  # other tests' (with pytest-xdist, in this process)
    build(folder, tmp_path / "index", monkeypatch).refresh()
    counts = [n - before for n in seen if n >= 0]
    assert len(counts) > 40 and max(counts) <= BOUND, counts
    entity = Archive.open(folder, tmp_path / "index").xref.entity("Persona Numero3")
    assert entity is not None and entity.cases_listing and entity.cases_linking and entity.unlinked_mentions


def test_the_shards_logs_hold_a_bounded_number_of_rows_together(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # each shard's log spilled from 64 rows of its own: with 256 shards a build's parent held up
    # to 16,000 records (every record of a 10k build); now all logs together hold LOG_ROWS at most
    folder = write_folder(tmp_path / "cases")
    monkeypatch.setattr(files, "LOG_ROWS", 50, raising=False)
    held: list[int] = []
    put = files.Shards.put

    def sampled_put(self: files.Shards, record: Record, words: Any = None) -> None:
        put(self, record, words)
        held.append(sum(len(log._rows) for log in self.logs.values()))

    monkeypatch.setattr(files.Shards, "put", sampled_put)
    build(folder, tmp_path / "index", monkeypatch).refresh()
    assert len(held) >= FILES and max(held) <= 50, max(held)
    entity = Archive.open(folder, tmp_path / "index").xref.entity("Persona Numero3")
    assert entity is not None and entity.cases_listing and entity.cases_linking and entity.unlinked_mentions


def build(folder: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Archive:
    """An archive whose build has a first stage of 20 files, then two forked workers."""
    monkeypatch.setattr(updater, "FIRST_STAGE", 20)
    monkeypatch.setattr(updater, "PARALLEL_FROM", 100)
    monkeypatch.setattr(parallel, "start_method", lambda: "fork")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    return Archive.open(folder, index_dir)


def test_the_build_parent_never_holds_the_word_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each fold of the files' words is a sorted run on disk, merged into the map's file:
    # before, the map (every word of every file) grew in memory until it was written
    folder = write_folder(tmp_path / "cases")
    monkeypatch.setattr(words, "RUN_FILES", 50, raising=False)
    monkeypatch.setattr(words, "PENDING_LIMIT", 50)
    archive = build(folder, tmp_path / "index", monkeypatch)
    held: list[int] = []
    save = XrefStore._save

    def sampled(self: XrefStore, directory: Path) -> None:
        held.append(sum(map(len, self._words._load()[0].values())))  # postings in memory
        save(self, directory)

    monkeypatch.setattr(XrefStore, "_save", sampled)
    archive.refresh()
    assert len(held) == 2 and max(held) == 0, held
    (folder / "entities" / "new.md").write_text("---\ntype: org\ntitle: Government\n---\n", encoding="utf-8")
    Archive.open(folder, tmp_path / "index").refresh()  # a name learned now is looked for through the map's file
    entity = Archive.open(folder, tmp_path / "index").xref.entity("Government")
    assert entity is not None and len(entity.unlinked_mentions) == FILES - FILES // 20, entity


class Sink:
    """A worker's pipe to its parent, sampling the worker's live cases at every message."""

    def __init__(self) -> None:
        self.seen: list[int] = []
        self.kinds: list[str] = []

    def send(self, message: tuple[str, Any]) -> None:
        self.kinds.append(message[0])
        self.seen.append(live_cases())


def test_a_build_worker_holds_a_bounded_number_of_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_folder(tmp_path / "cases")
    (tmp_path / "index").mkdir()
    index.create(index.open_storage(tmp_path / "index"))
    monkeypatch.setattr(parallel, "BATCH", 10)
    job = parallel.Job(tmp_path / "index", folder, 10**6, walk(folder).files, {})
    sink = Sink()
    segments = parallel._index(job, parallel._parse(job, sink), sink)
    assert segments and sink.kinds.count("parsed") == FILES // 10 and "indexed" in sink.kinds
    assert max(sink.seen) <= BOUND, sink.seen


def test_a_worker_frees_each_segment_writer_it_finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # workers run with the collector off; a finished writer's objects hold cycles (~10 MB a segment)
    folder = write_folder(tmp_path / "cases")
    (tmp_path / "index").mkdir()
    index.create(index.open_storage(tmp_path / "index"))
    monkeypatch.setattr(batch, "SEGMENT_POSTINGS", 500)
    job = parallel.Job(tmp_path / "index", folder, 10**6, walk(folder).files, {})
    was = gc.isenabled()
    gc.disable()
    try:
        segments = parallel._index(job, parallel._parse(job, Sink()), Sink())
        writers = sum(1 for obj in gc.get_objects() if type(obj) is FastWriter)
    finally:
        if was:
            gc.enable()
    assert len(segments) > 5 and writers <= 1


def test_a_segment_writer_writes_its_postings_out_as_it_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # before, a segment's postings and terms were gathered whole, then copied, then written
    # at once: a worker's peak was its pool plus twice the segment's bytes
    from casefile.core.index import segment

    folder = write_folder(tmp_path / "cases")
    (tmp_path / "index").mkdir()
    index.create(index.open_storage(tmp_path / "index"))
    monkeypatch.setattr(segment, "SPILL", 4096, raising=False)
    held: list[int] = []  # bytes of postings and terms gathered, at each term with several postings
    term = segment._TermsOut._term

    def counted(self: segment._TermsOut, *args: Any) -> bytes:
        held.append(len(self.posts) + len(self.terms))
        return term(self, *args)

    monkeypatch.setattr(segment._TermsOut, "_term", counted)
    job = parallel.Job(tmp_path / "index", folder, 10**6, walk(folder).files, {})
    segments = parallel._index(job, parallel._parse(job, Sink()), Sink())
    written = sum(path.stat().st_size for path in (tmp_path / "index").iterdir())
    assert len(segments) == 1 and written > 20 * 4096 and len(held) > 100 and max(held) <= 3 * 4096, max(held)
    archive = Archive.open(folder, tmp_path / "other")
    archive.refresh()
    assert archive.search("government", limit=5).total == FILES - FILES // 20


def test_the_catalog_entries_from_workers_share_their_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each worker's message brought its own copy of every name, kept with each entry, and a
    # catalog written whole kept every entry's written form too (~400 bytes a file in all)
    from casefile.core.archive import catalog_files
    from casefile.core.text.names import normalize_name

    folder = write_folder(tmp_path / "cases")
    monkeypatch.setattr(parallel, "BATCH", 10)
    monkeypatch.setattr(catalog_files, "RECENT_LIMIT", 100)
    archive = build(folder, tmp_path / "index", monkeypatch)
    archive.refresh()
    entries = archive.indexer.entries
    key = normalize_name("Persona Numero3")
    naming = [name for entry in entries.values() for name in entry.names if name == key]
    assert len(naming) > 10 and len({id(name) for name in naming}) == 1
    assert not [entry for entry in entries.values() if entry.saved is not None]


def test_the_workers_of_a_big_stage_are_spawned_not_forked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a forked worker carried the parent's pages (the walk and sniff of every file): ~112 MB
    # a worker at 100k against ~43 at 10k; a spawned one has its imports only, at every size
    folder = write_folder(tmp_path / "cases")
    monkeypatch.setattr(parallel, "SPAWN_FROM", 300, raising=False)
    methods: list[str] = []
    start = parallel._start

    def recorded(method: str, job: parallel.Job, readers: Any) -> tuple[Any, Any]:
        methods.append(method)
        return start(method, job, readers)

    monkeypatch.setattr(parallel, "_start", recorded)
    archive = build(folder, tmp_path / "index", monkeypatch)
    report = archive.refresh()
    assert report.cases + report.entities == FILES
    assert methods == ["fork", "fork", "spawn", "spawn"], methods  # the first stage (20 files), then the rest
    assert archive.search("government", limit=5).total == FILES - FILES // 20
