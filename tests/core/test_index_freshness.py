"""The index stays right by itself: changes, corruption, stale locks, two processes at once."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from casefile.core.archive import catalog_files, manifest
from casefile.core.archive.facade import XREF_FILE, Archive, search_or_rebuild
from casefile.core.engine import IndexDamaged

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bilingual fixture that tests may change."""
    target = tmp_path / "cases"
    shutil.copytree(BILINGUAL, target)
    return target


def fresh_archive(folder: Path, index: Path) -> Archive:
    """An archive on disk, refreshed."""
    archive = Archive.open(folder, index)
    archive.refresh()
    return archive


def test_added_changed_and_removed_files_are_found(folder: Path, tmp_path: Path) -> None:
    archive = fresh_archive(folder, tmp_path / "ix")
    (folder / "new.md").write_text("# Zanzibar ferry\n\nA new case.\n")
    (folder / "co-2019-010.md").write_text("---\nid: CO-2019-010\ntitle: Rewritten\n---\nQuokka sightings.\n")
    (folder / "gt-2018-002.md").unlink()
    report = archive.refresh()
    assert (report.added, report.changed, report.removed) == (1, 1, 1)
    assert [h.path for h in archive.search("zanzibar").hits] == ["new.md"]
    assert [h.id for h in archive.search("quokka").hits] == ["CO-2019-010"]
    assert archive.search("lawyers colombia").total == 0
    assert archive.search("guatemala").total == 0
    archive.close()


def test_many_one_file_edits_merge_small_segments(folder: Path, tmp_path: Path) -> None:
    # each edit commits a one-document segment; Whoosh merges them after a few
    archive = fresh_archive(folder, tmp_path / "ix")
    target = folder / "co-2019-010.md"
    for number in range(12):
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"\nWombat{number} note.\n")
        assert archive.refresh().changed == 1
    assert [h.path for h in archive.search("wombat11").hits] == ["co-2019-010.md"]
    assert archive.search("quokka").total == 0 and archive.search("lawyers").total >= 1
    archive.close()


def test_unchanged_folder_is_a_no_op_and_a_touch_only_rehashes(folder: Path, tmp_path: Path) -> None:
    archive = fresh_archive(folder, tmp_path / "ix")
    assert not archive.refresh().changed_anything
    os.utime(folder / "mx-2016-001.md", ns=(1, 1))
    report = archive.refresh()
    assert report.changed == 0 and archive.search("surveilled").total >= 1
    archive.close()


def test_no_change_check_in_a_new_process_does_not_import_whoosh(folder: Path, tmp_path: Path) -> None:
    fresh_archive(folder, tmp_path / "ix").close()
    probe = ("import sys; from pathlib import Path; from casefile.core.archive.facade import Archive; "
             f"r = Archive.open(Path({str(folder)!r}), Path({str(tmp_path / 'ix')!r})).refresh(); "
             "print(r.changed_anything, 'whoosh' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_no_change_check_in_a_new_process_loads_neither_the_parser_nor_the_reader(folder: Path,
                                                                                tmp_path: Path) -> None:
    fresh_archive(folder, tmp_path / "ix").close()
    heavy = ("yaml", "casefile.core.read.parse", "casefile.core.read.frontmatter", "casefile.core.archive.reader",
             "casefile.core.xref.store", "casefile.core.archive.updater")
    probe = ("import sys; from pathlib import Path; from casefile.core.archive.facade import Archive; "
             f"r = Archive.open(Path({str(folder)!r}), Path({str(tmp_path / 'ix')!r})).refresh(); "
             f"print(r.changed_anything, sorted(m for m in {heavy!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False []"  # each costs milliseconds of every check


def test_alias_added_on_an_entity_page_reindexes_the_cases_naming_it(folder: Path, tmp_path: Path) -> None:
    archive = fresh_archive(folder, tmp_path / "ix")
    assert archive.search("Quokkalab").total == 0
    page = folder / "entities" / "citizen-lab.md"
    page.write_text(page.read_text().replace("Munk School Citizen Lab]", "Munk School Citizen Lab, Quokkalab]"))
    archive.refresh()
    assert "MX-2017-004" in {h.id for h in archive.search("Quokkalab").hits}
    archive.close()


@pytest.mark.parametrize("paths", [None, ["mx-2016-001.md"]])  # a known-path refresh rebuilds everything too
def test_truncated_segment_is_detected_and_rebuilt(folder: Path, tmp_path: Path, paths: list[str] | None) -> None:
    index = tmp_path / "ix"
    fresh_archive(folder, index).close()
    segment = next(index.glob("MAIN_*.seg"))
    segment.write_bytes(segment.read_bytes()[:100])
    archive = Archive.open(folder, index)
    report = archive.refresh(paths=paths)
    assert report.added == 12 and archive.search("").total == 12
    assert {h.id for h in archive.search("R3D").hits} >= {"MX-2017-004", "MX-2017-005"}
    archive.close()


def test_garbage_side_files_mean_a_rebuild_not_a_traceback(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    fresh_archive(folder, index).close()
    for name in (manifest.FRESH, manifest.RECENT, catalog_files.CATALOG, catalog_files.RECENT):
        assert (index / name).is_file()
        (index / name).write_bytes(b"\x00{not json")
    archive = Archive.open(folder, index)
    assert archive.refresh().added == 12 and archive.search("Munk").total >= 1
    archive.close()


def test_stale_locks_do_not_block(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    fresh_archive(folder, index).close()
    (index / "MAIN_WRITELOCK").write_text("left by a killed process")
    (index / "casefile.lock").write_text("")
    (folder / "new.md").write_text("# Wombat\n")
    archive = Archive.open(folder, index)
    assert archive.refresh(wait=1.0).added == 1 and archive.search("wombat").total == 1
    archive.close()


def test_two_processes_at_once_both_work(folder: Path, tmp_path: Path) -> None:
    script = ("import sys; from pathlib import Path; from casefile.core.archive.facade import Archive; "
              "a = Archive.open(Path(sys.argv[1]), Path(sys.argv[2])); a.refresh(wait=60); "
              "print(a.search('R3D').total)")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(folder), str(tmp_path / "ix")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [out.strip() for out, _err in outputs] == ["3", "3"]


def test_index_files_are_owner_only(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "cache" / "ix"
    fresh_archive(folder, index).close()
    assert stat.S_IMODE(index.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in index.iterdir() if p.is_file()}
    assert modes and set(modes.values()) == {0o600}, modes


def test_in_memory_writes_nothing_anywhere(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    before = sorted(p.name for p in folder.rglob("*"))
    archive = Archive.open(folder, None)
    archive.refresh()
    assert archive.search("Munk").total >= 1
    archive.close()
    assert list(temp.iterdir()) == []
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_rebuild_starts_over(folder: Path, tmp_path: Path) -> None:
    archive = fresh_archive(folder, tmp_path / "ix")
    report = archive.refresh(rebuild=True)
    assert report.added == 12 and archive.search("Pena Nieto").total >= 2
    archive.close()


def test_cross_reference_file_name_matches_the_store() -> None:
    from casefile.core.xref.store import FILE_NAME

    assert XREF_FILE == FILE_NAME


def test_garbled_segment_of_the_same_size_raises_on_search_and_the_caller_rebuilds(
        folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    fresh_archive(folder, index).close()
    segment = next(index.glob("MAIN_*.seg"))
    data = bytearray(segment.read_bytes())
    data[len(data) // 4: len(data) * 3 // 4] = bytes(range(256)) * (len(data) // 512) + b"\xff" * (
        len(data) * 3 // 4 - len(data) // 4 - 256 * (len(data) // 512))
    segment.write_bytes(bytes(data))
    archive = Archive.open(folder, index)
    assert not archive.refresh().changed_anything  # the sizes still match: only reading finds it
    before = {p.name: p.stat().st_mtime_ns for p in index.iterdir()}
    with pytest.raises(IndexDamaged):
        archive.search("R3D")
    assert {p.name: p.stat().st_mtime_ns for p in index.iterdir()} == before  # a search writes nothing
    assert {h.id for h in search_or_rebuild(archive, "R3D").hits} >= {"MX-2017-004", "MX-2017-005"}
    archive.close()


def test_a_bug_in_our_code_is_raised_not_taken_for_damage(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from casefile.core.index import Evaluator

    archive = fresh_archive(folder, tmp_path / "ix")
    before = sorted(p.name for p in (tmp_path / "ix").iterdir())

    def broken(self: object, q: object) -> None:
        raise TypeError("a programming error")

    monkeypatch.setattr(Evaluator, "evaluate", broken)
    with pytest.raises(TypeError, match="programming error"):
        archive.search("R3D")
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == before  # no rebuild
    archive.close()


def test_refresh_of_known_paths_sees_only_those(folder: Path, tmp_path: Path) -> None:
    archive = fresh_archive(folder, tmp_path / "ix")
    edited, untold = folder / "mx-2016-001.md", folder / "gt-2018-002.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nQuetzalword.\n", encoding="utf-8")
    untold.write_text(untold.read_text(encoding="utf-8") + "\nXylophoneword.\n", encoding="utf-8")
    (folder / "nuevo.md").write_text("# Nuevo caso\n\nPalabraunica.\n", encoding="utf-8")
    (folder / "co-2019-010.md").unlink()
    report = archive.refresh(paths=["mx-2016-001.md", "nuevo.md", "co-2019-010.md"])
    assert (report.added, report.changed, report.removed) == (1, 1, 1)
    assert archive.search("quetzalword").total == 1 and archive.search("palabraunica").total == 1
    assert archive.search("xylophoneword").total == 0  # not told: seen by the next full refresh
    assert archive.refresh().changed == 1 and archive.search("xylophoneword").total == 1
    archive.close()


@pytest.mark.parametrize("path", ["../outside.md", "notes", ".hidden.md", "a//b.md", "link.md"])
def test_refresh_of_odd_paths_falls_back_to_the_whole_walk(folder: Path, tmp_path: Path, path: str) -> None:
    archive = fresh_archive(folder, tmp_path / "ix")
    (tmp_path / "outside.md").write_text("# Outside\n\nSecretword.\n", encoding="utf-8")
    (folder / "link.md").symlink_to(tmp_path / "outside.md")
    (folder / "late.md").write_text("# Late\n\nLateword.\n", encoding="utf-8")
    archive.refresh(paths=[path])
    assert archive.search("lateword").total == 1  # the whole folder was walked
    assert archive.search("secretword").total == 0  # and nothing outside it was read
    archive.close()


def test_an_edit_past_the_recent_limit_rewrites_one_catalog_shard_and_a_new_process_reads_them_all(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_files, "RECENT_LIMIT", 0)  # every save writes a new base
    index = tmp_path / "ix"
    archive = fresh_archive(folder, index)
    shards = sorted(index.glob("catalog-[0-9]*.marshal"))
    assert len(shards) == catalog_files.SHARDS
    before = {path.name: path.stat().st_ino for path in shards}
    case = folder / "gt-2018-002.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nOtra línea.\n", encoding="utf-8")
    assert archive.refresh().changed == 1
    rewritten = [path.name for path in shards if path.stat().st_ino != before[path.name]]
    assert len(rewritten) == 1  # written atomically: a new file, so a new inode
    archive.close()
    again = Archive.open(folder, index)
    assert not again.refresh().changed_anything
    assert len(again.entries) == 12 and again.case("GT-2018-002") is not None
    (index / rewritten[0]).unlink()  # a missing shard is a damaged catalog: rebuilt, not a traceback
    case.write_text(case.read_text(encoding="utf-8") + "\nY otra.\n", encoding="utf-8")
    assert Archive.open(folder, index).refresh().added == 12


def test_catalog_shards_follow_added_and_removed_files(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    archive = fresh_archive(folder, index)
    (folder / "co-2019-010.md").unlink()
    (folder / "nuevo.md").write_text("---\nid: NEW-1\n---\n# Nuevo\n", encoding="utf-8")
    assert archive.refresh().changed_anything
    (folder / "gt-2018-002.md").unlink()
    assert archive.refresh().removed == 1
    archive.close()
    on_disk = catalog_files.load_catalog(index)
    assert on_disk is not None and "nuevo.md" in on_disk
    assert "co-2019-010.md" not in on_disk and "gt-2018-002.md" not in on_disk and len(on_disk) == 11


def test_a_known_path_refresh_never_saves_an_older_manifest(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    first = fresh_archive(folder, index)
    second = fresh_archive(folder, index)  # another process on the same folder
    (folder / "nuevo.md").write_text("# Nuevo\n\nPalabraunica.\n", encoding="utf-8")
    assert second.refresh().added == 1
    edited = folder / "mx-2016-001.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert first.refresh(paths=["mx-2016-001.md"]).changed == 1
    first.close()
    second.close()
    assert not Archive.open(folder, index).refresh().changed_anything  # nuevo.md still known


def test_errors_reading_index_files_are_damage_and_others_are_bugs() -> None:
    from array import array

    from casefile.core.index import IndexDamaged
    from casefile.core.index.damage import reading
    from casefile.core.index.postings import Values

    with pytest.raises(IndexDamaged), reading("positions"):
        Values([(array("I", [7]), b"\x01\x00\x00\x00abc")]).positions(0)  # 3 bytes: not a uint32
    with pytest.raises(TypeError):
        sorted([1, "a"])  # the same kind of error outside a read of the files: a bug, raised as it is


def _written_by_one_edit(tmp_path: Path, files: int) -> tuple[dict[str, int], int]:
    """Side files (not the index's, not the cross-reference's) that a one-file refresh by path
    rewrites in a folder of `files` cases (name -> size), and what the recent files held before."""
    folder = tmp_path / f"cases-{files}"
    folder.mkdir()
    for number in range(files):
        (folder / f"c-{number:04d}.md").write_text(f"---\nid: C-{number}\n---\n# Case {number}\n\nWords.\n")
    index = tmp_path / f"ix-{files}"
    archive = fresh_archive(folder, index)
    before = {path.name: path.stat().st_ino for path in index.iterdir()}
    held = sum((index / name).stat().st_size for name in (manifest.RECENT, catalog_files.RECENT))
    (folder / "c-0007.md").write_text("---\nid: C-7\n---\n# Case 7\n\nEdited.\n")
    assert archive.refresh(paths=["c-0007.md"]).changed == 1
    archive.close()
    return {path.name: path.stat().st_size for path in index.iterdir()
            if path.stat().st_ino != before.get(path.name) and path.name.endswith(".marshal")
            and not path.name.startswith("xref-")}, held


def test_a_one_file_refresh_writes_as_much_of_manifest_and_catalog_at_any_size(tmp_path: Path) -> None:
    (small, _), (large, held) = _written_by_one_edit(tmp_path, 20), _written_by_one_edit(tmp_path, 600)
    assert set(large) == {manifest.RECENT, catalog_files.RECENT}  # no base: neither fresh.marshal nor a shard
    # what the build's last stage left in the recent files (a bounded number), and one entry more
    assert sum(large.values()) <= held + sum(small.values()), (small, large, held)


def test_a_recent_file_left_from_an_older_base_is_ignored(folder: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    index = tmp_path / "ix"
    archive = fresh_archive(folder, index)
    (folder / "gt-2018-002.md").unlink()
    assert archive.refresh(paths=["gt-2018-002.md"]).removed == 1
    left = {name: (index / name).read_bytes() for name in (manifest.RECENT, catalog_files.RECENT)}
    monkeypatch.setattr(manifest, "RECENT_LIMIT", -1)  # the next save writes new bases
    monkeypatch.setattr(catalog_files, "RECENT_LIMIT", -1)
    edited = folder / "mx-2016-001.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nWombatword.\n", encoding="utf-8")
    assert archive.refresh(paths=["mx-2016-001.md"]).changed == 1
    archive.close()
    for name, data in left.items():  # killed after the bases were written, before the recent files
        (index / name).write_bytes(data)
    again = Archive.open(folder, index)
    assert not again.refresh().changed_anything
    assert len(again.entries) == 11 and "gt-2018-002.md" not in again.entries
    assert again.entries["mx-2016-001.md"].sha == catalog_files.load_catalog(index)["mx-2016-001.md"].sha
    assert [h.path for h in again.search("wombatword").hits] == ["mx-2016-001.md"]
    again.close()
