"""Dangling links from keys alone and their side file: the same as the full cross-reference."""

from __future__ import annotations

import random
import shutil
import stat
from pathlib import Path

import pytest
from xref_helpers import XREF_DATA, case, cases_of, folder_store, page, store_of

from casefile.core.archive.facade import Archive
from casefile.core.xref.store import PROBLEMS_FILE, XrefStore

DATA = Path(__file__).parents[1] / "data"
NAMES = ["Carmen Aristegui", "Citizen Lab", "Peña Nieto", "Mexico", "R3D", "Nobody Known", "MX-1"]


def random_files(seed: int) -> dict[str, str]:
    """Cases and pages linking, listing and titling names, some of which are nothing."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    for number in range(14):
        if rng.random() < 0.3:
            files[f"p{number}.md"] = page(rng.choice(NAMES), aliases=rng.choice(["", "the Lab", "R 3 D"]))
        else:
            listed = f"person: [{rng.choice(NAMES)}]" if rng.random() < 0.5 else ""
            body = f"[[{rng.choice(NAMES)}]] and [[{rng.choice([*NAMES, 'the lab', 'Case Three'])}]]."
            files[f"c{number}.md"] = case(f"MX-{number}", body=body, listed=listed,
                                          title=rng.choice(["", "Case Three", "Mexico"]))
    return files


@pytest.mark.parametrize("seed", range(8))
def test_keys_alone_find_the_links_the_full_cross_reference_finds(seed: int) -> None:
    store = store_of(random_files(seed))
    assert store.dangling_problems() == store.problems()


def test_the_sample_folder_gives_the_same_warnings() -> None:
    store = folder_store(XREF_DATA)
    assert store.problems() and store.dangling_problems() == store.problems()


def test_save_writes_the_side_file_and_a_new_process_reads_no_record(tmp_path: Path) -> None:
    built = folder_store(XREF_DATA)
    built.save(tmp_path)
    assert stat.S_IMODE((tmp_path / PROBLEMS_FILE).stat().st_mode) == 0o600
    reader = XrefStore.load(tmp_path)
    assert reader.dangling_problems() == built.problems()
    assert not reader._loaded and not reader._shards.records  # neither the header nor a shard


def test_a_side_file_missing_damaged_or_older_than_the_header_is_found_again(tmp_path: Path) -> None:
    built = folder_store(XREF_DATA)
    built.save(tmp_path)
    expected = built.problems()
    (tmp_path / PROBLEMS_FILE).unlink()
    assert XrefStore.load(tmp_path).dangling_problems() == expected
    assert (tmp_path / PROBLEMS_FILE).is_file()  # written again for the next process
    (tmp_path / PROBLEMS_FILE).write_bytes(b"\x00garbage")
    assert XrefStore.load(tmp_path).dangling_problems() == expected
    stale = (tmp_path / PROBLEMS_FILE).read_bytes()
    built.update(cases_of({"new.md": case("NEW", body="See [[Nobody New]].")}), [], lambda path: None)
    built.save(tmp_path)
    (tmp_path / PROBLEMS_FILE).write_bytes(stale)  # as an older casefile left it
    found = XrefStore.load(tmp_path).dangling()
    assert "Nobody New" in [target for _path, _line, target, _chosen in found]

def test_the_archive_counts_problems_without_the_cross_reference_records(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    shutil.copytree(DATA / "xref", folder)
    first = Archive.open(folder, tmp_path / "ix")
    first.refresh()
    expected = first.problems()
    first.close()
    second = Archive.open(folder, tmp_path / "ix")
    assert not second.refresh().changed_anything
    assert second.problem_count() == len(expected) and second.problems() == expected
    assert not second.xref._loaded  # the header and the records stay on disk
    dangling = {p.path for p in expected if p.code == "dangling-link"}
    assert dangling and all(second.dangling_targets(path) for path in dangling)
    second.close()


def saved_list(directory: Path) -> list[tuple]:
    """The dangling links as the side file holds them, valid for the header on disk."""
    fresh = XrefStore.load(directory)
    found = fresh._dangling_as_saved()
    assert found is not None  # written, and not older than the header
    return sorted(found)


def test_an_edit_that_changes_no_name_keeps_the_list_with_new_lines(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    files = {"a.md": case("A-1", body="Intro.\n\nSee [[Nobody Known]] and [[Carmen Aristegui]]."),
             "b.md": case("B-1", body="[[A-1]] and [[Nowhere Else]]."),
             "p.md": page("Carmen Aristegui")}
    store = store_of(files)
    store.save(tmp_path)
    assert [target for _p, _l, target, _c in saved_list(tmp_path)] == ["Nobody Known", "Nowhere Else"]
    import casefile.core.xref.store as module

    def must_not_run(*args: object) -> None:
        raise AssertionError("the whole list was computed again")

    monkeypatch.setattr(module, "dangling_links", must_not_run)
    files["a.md"] = case("A-1", body="Intro.\n\nMore text.\n\nMore.\n\nSee [[Nobody Known]] and [[Carmen Aristegui]].")
    store.update(cases_of({"a.md": files["a.md"]}), [], lambda path: None)
    store.save(tmp_path)
    monkeypatch.undo()
    assert saved_list(tmp_path) == sorted(store_of(files).dangling())  # the moved line included


def test_an_edit_that_changes_a_link_leaves_the_list_to_be_found_again(tmp_path: Path) -> None:
    files = {"a.md": case("A-1", body="See [[Nobody Known]]."), "b.md": case("B-1", body="[[A-1]].")}
    store = store_of(files)
    store.save(tmp_path)
    files["b.md"] = case("B-1", body="[[A-1]] and [[Someone New]].")
    store.update(cases_of({"b.md": files["b.md"]}), [], lambda path: None)
    store.save(tmp_path)
    assert XrefStore.load(tmp_path)._dangling_as_saved() is None  # stale: not written for this header
    assert sorted(XrefStore.load(tmp_path).dangling()) == sorted(store_of(files).dangling())


class Context(str):
    """A link's context line, counted while the dangling scan runs."""


def test_the_dangling_scan_holds_no_link_context(tmp_path: Path) -> None:
    # it holds every link of the archive at once: before, each with its context line
    import gc

    from casefile.core.xref.dangling import dangling_links

    seen: list[int] = []

    def skeletons() -> object:
        for number in range(200):
            links = tuple((f"Nobody {number}-{k}", k + 1, Context(f"line {k} of c{number}"), None, 0) for k in range(3))
            keys = (f"id{number}", f"t{number}", *(f"x{number}-{k}" for k in range(3)))
            yield f"c{number}.md", "case", 0, links, keys
        seen.append(sum(1 for obj in gc.get_objects() if type(obj) is Context))

    found = dangling_links(skeletons)  # type: ignore[arg-type]
    assert len(found) == 600 and seen and max(seen) <= 3, seen
