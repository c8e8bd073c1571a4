"""Index building: the fast segment writer and the parallel build give what Whoosh and a serial build give."""

from __future__ import annotations

import logging
import multiprocessing.process
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from whoosh.writing import NO_MERGE, SegmentWriter

from casefile.core.archive import parallel, updater
from casefile.core.archive.facade import Archive
from casefile.core.index import STEMMERS, store
from casefile.core.index.documents import document
from casefile.core.index.segment import FastWriter
from casefile.core.read.library import read_case, walk

DATA = Path(__file__).parents[1] / "data"
QUERIES = ["pegasus", "periodistas", "desaparicion", '"human rights"', "inv*", "tag:mexico", "date:2017",
           "entity:munk", "surveilled", "mx-2017-004", "person:*", "lawyers OR abogados"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Every fixture folder in one, bad files included."""
    target = tmp_path / "cases"
    for name in ("bilingual", "xref", "hostile"):
        shutil.copytree(DATA / name, target / name)
    return target


def segment_files(directory: Path) -> dict[str, bytes]:
    """The bytes of each file of the one segment in `directory`, by extension."""
    return {path.name.split(".", 1)[1]: path.read_bytes() for path in directory.glob("MAIN_*.*")
            if not path.name.endswith(".toc")}


def test_fast_writer_writes_the_files_whoosh_writes(folder: Path, tmp_path: Path) -> None:
    found = walk(folder).files
    docs = [document(case, {}, STEMMERS) for stat in found if (case := read_case(folder, stat, 10**6)[0])]
    written = {}
    for name in ("whoosh", "fast"):
        (tmp_path / name).mkdir()
        ix = store.create(store.open_storage(tmp_path / name))
        options: dict[str, Any] = {"codec": store._Codec(), "compound": False}
        w = FastWriter(ix, store.INLINE, **options) if name == "fast" else SegmentWriter(ix, **options)
        for doc in docs:
            w.add_document(**doc) if name == "fast" else w.add_document(**doc, lengths=whoosh_lengths(ix, doc))
        w.commit(mergetype=NO_MERGE)
        written[name] = segment_files(tmp_path / name)
    assert {"pst", "trm", "_stored.col"} <= written["whoosh"].keys()
    assert written["fast"] == written["whoosh"]


def whoosh_lengths(ix: Any, doc: dict[str, Any]) -> dict[str, int]:
    """The exact field lengths the fast writer stores with a document, as Whoosh's own fields count them."""
    found = {}
    for name in sorted(n for n in doc if not n.startswith("_")):
        field = ix.schema[name]
        if field.indexed and field.scorable:
            found[name] = sum(freq for _text, freq, _weight, _value in field.index(doc[name]))
    return {name: length for name, length in found.items() if length}


def build(folder: Path, index: Path, parallel_from: int, monkeypatch: pytest.MonkeyPatch,
          seen: list[tuple[int, int]] | None = None) -> Archive:
    """A full build with stages of 4 files, in workers from `parallel_from` files."""
    monkeypatch.setattr(updater, "FIRST_STAGE", 4)
    monkeypatch.setattr(updater, "PARALLEL_FROM", parallel_from)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    archive = Archive.open(folder, index)
    archive.refresh(lambda done, total: (seen if seen is not None else []).append((done, total)))
    return archive


def outcome(archive: Archive) -> tuple[Any, ...]:
    """What a build leaves: catalog, counts, search results, problems."""
    # equal scores may come in another order: documents are numbered by segment
    hits = [sorted((round(h.score, 4), h.path, h.kind) for h in archive.search(q, limit=None).hits) for q in QUERIES]
    entries = {path: entry.to_json() for path, entry in archive.entries.items()}
    problems = [(p.path, p.line, p.code) for p in archive.problems()]
    return entries, archive.fresh.files, archive.fresh.counts, hits, problems


@pytest.fixture
def fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked workers (they inherit the test's monkeypatches)."""
    monkeypatch.setattr(parallel, "start_method", lambda: "fork")


def test_parallel_build_matches_a_serial_one(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             fork: None) -> None:
    serial = outcome(build(folder, tmp_path / "serial", 10**6, monkeypatch))
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr(parallel, "BATCH", 3)
    archive = build(folder, tmp_path / "parallel", 2, monkeypatch, seen)
    assert outcome(archive) == serial and serial[3][0]
    total = len(walk(folder).files)
    assert len(seen) > 4 and seen == sorted(seen) and seen[-1] == (total, total)
    assert seen.count((total, total)) == 1  # "indexed" only once committed, not when the workers are done
    mode = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "parallel").rglob("*")}
    assert mode and all(m == (0o700 if (tmp_path / "parallel" / n).is_dir() else 0o600) for n, m in mode.items())


@pytest.mark.parametrize("one_dies", [True, False])
def test_a_failing_or_dying_worker_loses_no_file(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                fork: None, one_dies: bool) -> None:
    serial = outcome(build(folder, tmp_path / "serial", 10**6, monkeypatch))
    files = sorted(walk(folder).files, key=lambda s: s.mtime_ns, reverse=True)[4:]
    real_parse, real_index = parallel._parse, parallel._index

    def dying(job: parallel.Job, results: Any) -> list[Any]:
        if one_dies and job.stats[0] != files[0]:
            os._exit(3)  # dies without a word, before it parsed anything
        return real_parse(job, results)

    def failing(job: parallel.Job, cases: list[Any], results: Any) -> list[Any]:
        real_index(job, cases, results)  # its files parsed and reported, its segments written, then:
        raise RuntimeError("worker broke")

    monkeypatch.setattr(parallel, "_parse", dying)
    if one_dies:  # sniffing entity pages in processes too: what a dead one had is sniffed again
        monkeypatch.setattr(parallel, "_sniff_part", lambda *args: os._exit(3))
    monkeypatch.setattr(parallel, "_index", failing)
    archive = build(folder, tmp_path / "parallel", 2, monkeypatch)
    assert outcome(archive) == serial
    archive.close()
    live = {s.segment_id() for s in archive.ix._read_toc().segments}
    assert not [p for p in (tmp_path / "parallel").iterdir()
                if p.name.startswith("MAIN_") and p.suffix not in (".toc", "") and p.stem.split(".")[0] not in live]


def test_spawned_workers_build_the_same_index(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the app refreshes from a thread, where workers are spawned, not forked
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    serial = outcome(build(folder, tmp_path / "serial", 10**6, monkeypatch))
    assert outcome(build(folder, tmp_path / "parallel", 2, monkeypatch)) == serial


def test_an_edit_after_a_parallel_build_is_found(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 fork: None) -> None:
    archive = build(folder, tmp_path / "ix", 2, monkeypatch)
    target = next(folder.rglob("mx-2017-004.md"))
    target.write_text(target.read_text(encoding="utf-8") + "\nQuokka sighting.\n", encoding="utf-8")
    (folder / "bilingual" / "co-2019-010.md").unlink()
    report = archive.refresh()
    assert (report.changed, report.removed) == (1, 1)
    assert [h.path for h in archive.search("quokka").hits] == ["bilingual/mx-2017-004.md"]
    assert not [h for h in archive.search("colombia", limit=None).hits if h.path.endswith("co-2019-010.md")]
    archive.close()


def test_a_prepared_body_scans_like_the_body(folder: Path) -> None:
    from casefile.core.xref.mentions import Matcher, mention_key
    from casefile.core.xref.record import bare_record, prepare, scanned, scanned_prepared

    cases = [case for stat in walk(folder).files if (case := read_case(folder, stat, 10**6)[0])]
    records = [bare_record(case) for case in cases]
    names = {key for record in records for key in record.names()} | {mention_key("the government")}
    matcher = Matcher.of(names)
    found = 0
    for case, record in zip(cases, records):
        expected = scanned(record, case.body, matcher)
        got = scanned_prepared(record, case.body, prepare(case.body, case.body_line), matcher)
        assert got[0] == expected[0] and list(got[1]) == sorted(expected[1])
        found += len(got[0].mentions)
    assert found > 5


def test_sniffing_never_reads_outside_the_folder(tmp_path: Path) -> None:
    from casefile.core.read.library import FileStat
    from casefile.core.read.sniff import sniff_entity

    outside, inside = tmp_path / "outside", tmp_path / "cases"
    outside.mkdir()
    inside.mkdir()
    (outside / "secret.md").write_text("---\ntype: person\nname: Hidden Person\n---\nBody.\n")
    (inside / "page.md").write_text("---\ntype: person\nname: Ana Ruiz\n---\nBody.\n")
    (inside / "link.md").symlink_to(outside / "secret.md")
    root = inside.resolve()
    found = sniff_entity(root, FileStat("page.md", 1, 1), 10**6)
    assert found is not None and found.names == ("Ana Ruiz",)
    assert sniff_entity(root, FileStat("link.md", 1, 1), 10**6) is None
    assert sniff_entity(root, FileStat("../outside/secret.md", 1, 1), 10**6) is None


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_worker_that_cannot_start_loses_no_file(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  method: str) -> None:
    # e.g. spawning from the app once Textual had replaced stderr: "bad value(s) in fds_to_keep"
    monkeypatch.setattr(parallel, "start_method", lambda: method)
    serial = outcome(build(folder, tmp_path / "serial", 10**6, monkeypatch))

    def refused(process: Any) -> None:
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    assert outcome(build(folder, tmp_path / "parallel", 2, monkeypatch)) == serial


def test_a_failing_worker_is_one_line_and_its_traceback_only_at_debug(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: None,
        caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    def failing(job: parallel.Job, cases: list[Any], results: Any) -> list[Any]:
        raise RuntimeError("worker broke\x1b[31m")

    monkeypatch.setattr(parallel, "_index", failing)
    with caplog.at_level(logging.DEBUG, logger="casefile"):
        build(folder, tmp_path / "ix", 2, monkeypatch)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert warned and all("\n" not in m and "\x1b" not in m and "worker broke" in m for m in warned)
    assert len(debug) == len(warned) and all(m.startswith("Traceback") for m in debug)
    assert "Traceback" not in capfd.readouterr().err  # the workers print nothing themselves
