"""A one-file edit writes and sorts only what it changed in the cross-reference: name counts
as changes beside a base, dangling rows replaced in place and saved beside a base; the
answers after any history of edits, saves and reloads equal a full build's."""

from __future__ import annotations

import marshal
import random
from pathlib import Path

import pytest
from xref_helpers import case, cases_of, page, store_of

from casefile.core.xref import dangling, store_counts, store_dangling
from casefile.core.xref.files import OLD_SHARDS, Shards
from casefile.core.xref.store import FILE_NAME, PROBLEMS_FILE, XrefStore
from casefile.core.xref.store_dangling import PROBLEMS_BASE

NAMES = ["Carmen Aristegui", "Citizen Lab", "Peña Nieto", "Mexico", "R3D", "Nobody Known", "Ana Pérez"]


def many(count: int) -> dict[str, str]:
    """Files naming a name of their own each, linking one nothing defines."""
    return {f"f{n}.md": case(f"C{n}", body=f"Met [[Person {n}]] and [[Nobody {n}]].", listed=f"person: [Person {n}]")
            for n in range(count)}


def edited_header_size(tmp_path: Path, count: int) -> int:
    """The header's size after a one-file edit of a store of `count` files (but for the
    names of the shard files present, at most two per shard)."""
    files = many(count)
    store_of(files).save(tmp_path)
    store = XrefStore.load(tmp_path)
    store.update(cases_of({"f3.md": files["f3.md"] + "\nMore.\n"}), [], lambda path: None)
    store.save(tmp_path)
    header = marshal.loads((tmp_path / FILE_NAME).read_bytes())
    return len(marshal.dumps({key: value for key, value in header.items() if key != "present"}))


def test_a_one_file_edit_writes_a_header_of_the_same_size_at_any_size(tmp_path: Path) -> None:
    small, large = edited_header_size(tmp_path / "small", 200), edited_header_size(tmp_path / "large", 1000)
    assert abs(large - small) < 100  # the counts of 1,000 names are not in it


def counts(store: XrefStore) -> tuple[dict[str, int], dict[str, int]]:
    """The store's name counts, as a full build would have them."""
    store._ensure_loaded()
    return dict(+store._names), dict(+store._mentioned)


def random_edit(rng: random.Random, files: dict[str, str], step: int) -> tuple[list[str], list[str]]:
    """Add, change or delete one file; (changed paths, removed paths)."""
    path = f"f{rng.randrange(10)}.md"
    if path in files and rng.random() < 0.2:
        del files[path]
        return [], [path]
    said = " and ".join(rng.sample(NAMES, 2))
    if rng.random() < 0.3:
        files[path] = page(rng.choice(NAMES), aliases=rng.choice(["", "the Lab", "Aristegui"]), body=said)
    else:
        body = f"{said} met [[{rng.choice(NAMES)}]] in step {step}.\n\nSee [[{rng.choice(NAMES)}]]."
        files[path] = case(f"C{rng.randrange(20)}", body=body, listed=f"person: [{rng.choice(NAMES)}]")
    return [path], []


@pytest.mark.parametrize("seed", range(4))
def test_counts_and_dangling_links_after_edits_saves_and_reloads_equal_a_full_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(store_counts, "RECENT_LIMIT", 6)  # new bases now and then
    monkeypatch.setattr(store_dangling, "RECENT_LIMIT", 3)
    rng, files = random.Random(seed), {}
    store = XrefStore.load(tmp_path)
    store.clear()
    for step in range(40):
        changed, removed = random_edit(rng, files, step)
        bodies = {c.path: c.body for c in cases_of(files)}
        store.update(cases_of({path: files[path] for path in changed}), removed, bodies.get)
        if step % 3 == 0:
            store.save(tmp_path)
            store = XrefStore.load(tmp_path) if step % 2 else store
            full = store_of(files)
            assert counts(store) == counts(full), step
            assert store.dangling() == full.dangling(), step
    store.save(tmp_path)
    assert counts(XrefStore.load(tmp_path)) == counts(store_of(files))
    assert XrefStore.load(tmp_path).dangling() == store_of(files).dangling()


def test_a_one_file_edit_sorts_and_saves_only_its_own_dangling_rows(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    files = many(300)
    store_of(files).save(tmp_path)
    base = (tmp_path / PROBLEMS_BASE).stat().st_mtime_ns
    ordered: list[object] = []
    original = dangling.row_order
    monkeypatch.setattr(dangling, "row_order", lambda row: ordered.append(row) or original(row))
    store = XrefStore.load(tmp_path)
    files["f7.md"] = files["f7.md"].replace("Met [[", "Intro.\n\nMet [[")  # same links, on another line
    store.update(cases_of({"f7.md": files["f7.md"]}), [], lambda path: None)
    store.save(tmp_path)
    monkeypatch.undo()
    assert 0 < len(ordered) <= 4  # f7's own rows, not the 300 files'
    assert (tmp_path / PROBLEMS_BASE).stat().st_mtime_ns == base  # only the small file is written
    assert (tmp_path / PROBLEMS_FILE).stat().st_size < 1000
    assert XrefStore.load(tmp_path).dangling() == store_of(files).dangling()


def test_dangling_links_after_a_fix_and_a_break_equal_a_full_build(tmp_path: Path) -> None:
    files = {"a.md": case("A-1", body="See [[Nobody Known]] and [[Ana Pérez]]."), "b.md": case("B-1", body="[[A-1]].")}
    store_of(files).save(tmp_path)
    steps = [("p.md", page("Nobody Known")),  # fixes a's first link
             ("b.md", case("B-1", body="[[A-1]] and [[Someone New]].")),  # breaks one
             ("a.md", case("A-1", body="Intro.\n\nSee [[Nobody Known]] and [[Ana Pérez]].")),  # moves a's
             ("p.md", None)]  # breaks a's first link again
    for path, text in steps:
        store = XrefStore.load(tmp_path)
        if text is None:
            del files[path]
            store.update([], [path], lambda path: None)
        else:
            files[path] = text
            store.update(cases_of({path: text}), [], lambda path: None)
        store.save(tmp_path)
        assert store.dangling() == XrefStore.load(tmp_path).dangling() == store_of(files).dangling(), path


def test_an_edit_reads_and_writes_a_shard_of_a_few_files(tmp_path: Path) -> None:
    files = many(1500)
    store_of(files).save(tmp_path)
    store = XrefStore.load(tmp_path)
    store.update(cases_of({"f9.md": files["f9.md"] + "\nMore.\n"}), [], lambda path: None)
    (number,) = store._shards.records
    assert len(store._shards.records[number]) < 20  # of 1,500 files (~47 with 32 shards)


def test_a_store_saved_with_32_shards_is_read_and_edited_with_them(tmp_path: Path) -> None:
    files = many(60)
    old = XrefStore.load(tmp_path)
    old.clear()
    old._shards = Shards(tmp_path, 0, frozenset(), OLD_SHARDS)  # as casefile saved it before issue 14
    old._shards.dirty_records, old._shards.dirty_pending = set(range(OLD_SHARDS)), set(range(OLD_SHARDS))
    old.update(cases_of(files), [], {c.path: c.body for c in cases_of(files)}.get)
    old.save(tmp_path)
    header = marshal.loads((tmp_path / FILE_NAME).read_bytes())
    del header["shards"]  # an older header names no count
    (tmp_path / FILE_NAME).write_bytes(marshal.dumps(header))
    store = XrefStore.load(tmp_path)
    files["f5.md"] = case("C5", body="[[Person 7]] and [[Nobody 5]].")
    store.update(cases_of({"f5.md": files["f5.md"]}), [], lambda path: None)
    store.save(tmp_path)
    assert store._shards.count == OLD_SHARDS and not store.needs_rebuild
    again = XrefStore.load(tmp_path)
    assert again.entities() == store_of(files).entities() and again.dangling() == store_of(files).dangling()
