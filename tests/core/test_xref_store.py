"""The store: saved and loaded safely, lazy, and updated incrementally to the same answers."""

from __future__ import annotations

import random
import stat
from pathlib import Path

from xref_helpers import XREF_DATA, case, cases_of, folder_store, page

from casefile.core.read.library import load_library
from casefile.core.xref.files import pending_name, shard_name, shard_of
from casefile.core.xref.store import FILE_NAME, PROBLEMS_FILE, XrefStore


def answers(store: XrefStore) -> dict[str, object]:
    """Everything the store can say, for comparing two stores."""
    found: dict[str, object] = {"entities": store.entities(), "problems": store.problems(),
                                "graph": store.graph()}
    for summary in store.entities():
        found[f"e:{summary.name}"] = store.entity(summary.name)
    return found


def case_answers(store: XrefStore, ids: list[str]) -> dict[str, object]:
    """The case views of `ids`."""
    return {case_id: store.case(case_id) for case_id in ids}


def test_save_and_load_give_the_same_answers_owner_only(tmp_path: Path) -> None:
    built = folder_store()
    target = tmp_path / "index"
    built.save(target)
    loaded = XrefStore.load(target)
    assert not loaded.needs_rebuild
    assert answers(loaded) == answers(built)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert (target / FILE_NAME).is_file()
    for path in target.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in target.iterdir() if p.name.startswith(".tmp")] == []


def test_missing_none_or_corrupt_store_is_empty_and_asks_for_a_rebuild(tmp_path: Path) -> None:
    assert len(XrefStore.load(None)) == 0
    missing = XrefStore.load(tmp_path / "nowhere")
    assert missing.needs_rebuild and len(missing) == 0
    missing.clear()
    assert not missing.needs_rebuild
    folder_store().save(tmp_path)
    (tmp_path / FILE_NAME).write_bytes(b"\x00garbage")
    damaged = XrefStore.load(tmp_path)
    assert damaged.entities() == [] and damaged.needs_rebuild
    damaged.save(tmp_path)  # an incomplete store is never written as if it were whole
    assert XrefStore.load(tmp_path).needs_rebuild


def test_no_change_update_does_not_read_the_store(tmp_path: Path) -> None:
    folder_store().save(tmp_path)
    (tmp_path / FILE_NAME).write_bytes(b"not read on the no-change path")
    store = XrefStore.load(tmp_path)
    store.update([], [], lambda path: None)
    store.save(tmp_path)
    assert not store.needs_rebuild  # it would be true had the damaged file been read
    assert (tmp_path / FILE_NAME).read_bytes() == b"not read on the no-change path"


def test_editing_a_case_to_mention_an_entity_is_followed(tmp_path: Path) -> None:
    library = load_library(XREF_DATA)
    store = folder_store()
    store.save(tmp_path)
    store = XrefStore.load(tmp_path)
    old = next(c for c in library.cases if c.id == "MX-2016-001")
    edited = cases_of({old.path: case("MX-2016-001", body="Then Enrique Peña Nieto replied.")})
    store.update(edited, [], lambda path: None)
    assert "MX-2016-001" in [o.id for o in store.entity("EPN").unlinked_mentions]
    assert "MX-2016-001" not in [c.id for c in store.entity("R3D").cases_listing]
    store.update(cases_of({old.path: case("MX-2016-001", body="Nothing.")}), [], lambda path: None)
    assert "MX-2016-001" not in [o.id for o in store.entity("EPN").unlinked_mentions]


def test_a_new_alias_finds_older_mentions_by_rereading_only_candidates() -> None:
    files = {"a.md": case("A", body="The Munk School said so."), "b.md": case("B", body="Unrelated."),
             "entities/lab.md": page("Citizen Lab", "organization")}
    store = _store(files)
    assert store.entity("Citizen Lab").unlinked_mentions == ()
    asked: list[str] = []
    bodies = {c.path: c.body for c in cases_of(files)}
    new_page = cases_of({"entities/lab.md": page("Citizen Lab", "organization", aliases="Munk School")})

    def read_body(path: str) -> str | None:
        asked.append(path)
        return bodies[path]

    store.update(new_page, [], read_body)
    assert [o.id for o in store.entity("Citizen Lab").unlinked_mentions] == ["A"]
    assert asked == ["a.md"]
    store.update([], ["entities/lab.md"], read_body)
    assert store.entity("Munk School") is None


def test_random_edits_end_where_a_full_build_does(tmp_path: Path) -> None:
    rng = random.Random(4)
    names = ["Carmen Aristegui", "Citizen Lab", "Peña Nieto", "Mexico", "Mexico City", "R3D", "Ana Pérez"]
    files: dict[str, str] = {}
    store = XrefStore.load(tmp_path)
    store.clear()  # what the archive does with a store it must build
    for step in range(60):
        path, removed = _random_change(rng, names, files, step)
        bodies = {c.path: c.body for c in cases_of(files)}
        changed = [] if removed else cases_of({path: files[path]})
        store.update(changed, [path] if removed else [], bodies.get)
        if step % 7 == 0:
            store.save(tmp_path)
            store = XrefStore.load(tmp_path)
    full = _store(files)
    assert answers(store) == answers(full)
    ids = [c.id for c in cases_of(files)]
    assert case_answers(store, ids) == case_answers(full, ids)


def _random_change(rng: random.Random, names: list[str], files: dict[str, str], step: int) -> tuple[str, bool]:
    """Add, edit or delete one random file; (its path, whether it was deleted)."""
    if files and rng.random() < 0.15:
        path = rng.choice(sorted(files))
        del files[path]
        return path, True
    path = f"f{rng.randrange(12)}.md"
    said = " and ".join(rng.sample(names, 2))
    if rng.random() < 0.3:
        files[path] = page(rng.choice(names), rng.choice(["person", "place"]),
                           aliases=rng.choice(["", "MX City", "Aristegui", "the Lab"]), body=said)
    else:
        listed = f"person: [{rng.choice(names)}]" if rng.random() < 0.5 else ""
        body = f"{said} met [[{rng.choice(names)}]] in step {step}. MX City and the Lab."
        files[path] = case(f"C{rng.randrange(30)}", body=body, listed=listed, date=f"20{10 + step % 9}")
    return path, False


def _store(files: dict[str, str]) -> XrefStore:
    """A store built in one go."""
    cases = cases_of(files)
    bodies = {c.path: c.body for c in cases}
    store = XrefStore.load(None)
    store.update(cases, [], bodies.get)
    return store


def test_new_names_are_found_through_the_saved_word_index(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("casefile.core.xref.words.PENDING_LIMIT", 1)
    files = {"a.md": case("A", body="Ana Pérez spoke."), "b.md": case("B", body="Nothing here."),
             "c.md": case("C", body="Ana spoke, Pérez listened.")}
    store = _store(files)
    store.save(tmp_path)
    assert store._shards.all_pending() == {}  # everything went to the saved word index
    reloaded = XrefStore.load(tmp_path)
    bodies = {c.path: c.body for c in cases_of(files)}
    asked: list[str] = []
    reloaded.update(cases_of({"d.md": case("D", listed="person: [Ana Perez]")}), [],
                    lambda path: asked.append(path) or bodies.get(path))
    assert sorted(asked) == ["a.md", "c.md"]  # files holding both words; b.md is never read
    assert set(reloaded._shards.records) <= {shard_of(p) for p in ("a.md", "c.md", "d.md")}
    assert [o.id for o in reloaded.entity("Ana Pérez").unlinked_mentions] == ["A"]


def test_an_edit_reads_and_writes_only_its_own_shard(tmp_path: Path) -> None:
    files = {f"f{n}.md": case(f"C{n}", body=f"Carmen Aristegui {n}", listed="person: [Carmen Aristegui]")
             for n in range(40)}
    _store(files).save(tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    store = XrefStore.load(tmp_path)
    store.update(cases_of({"f7.md": case("C7", body="Carmen Aristegui again", listed="person: [Carmen Aristegui]")}),
                 [], lambda path: None)
    store.save(tmp_path)
    number = shard_of("f7.md")
    assert set(store._shards.records) == set(store._shards.pending) == {number}
    rewritten = {p.name for p in tmp_path.iterdir() if before.get(p.name) != p.stat().st_mtime_ns}
    assert rewritten == {FILE_NAME, shard_name(number), pending_name(number), PROBLEMS_FILE}
    assert len(XrefStore.load(tmp_path).entity("Carmen Aristegui").cases_listing) == 40


def test_a_shard_newer_than_its_header_or_missing_means_rebuild(tmp_path: Path) -> None:
    files = {f"f{n}.md": case(f"C{n}", listed="person: [Ana]") for n in range(10)}
    _store(files).save(tmp_path)
    header = tmp_path / FILE_NAME
    old_header = header.read_bytes()
    store = XrefStore.load(tmp_path)
    store.update(cases_of({"f1.md": case("C1")}), [], lambda path: None)
    store.save(tmp_path)
    header.write_bytes(old_header)  # as if the process died between the shard and the header
    stale = XrefStore.load(tmp_path)
    assert len(stale) < 10 and stale.needs_rebuild
    _store(files).save(tmp_path)
    (tmp_path / shard_name(shard_of("f2.md"))).unlink()
    missing = XrefStore.load(tmp_path)
    missing.entities()
    assert missing.needs_rebuild


def test_a_long_lived_store_follows_a_save_by_another_process(tmp_path: Path) -> None:
    files = {"a.md": case("A", listed="person: [Ana]"), "b.md": case("B", body="Ana was there.")}
    _store(files).save(tmp_path)
    app = XrefStore.load(tmp_path)
    assert [o.id for o in app.entity("Ana").unlinked_mentions] == ["B"]
    other = XrefStore.load(tmp_path)
    other.update(cases_of({"c.md": case("C", listed="person: [Ana]")}), [], lambda path: None)
    other.save(tmp_path)
    assert [c.id for c in app.entity("Ana").cases_listing] == ["A", "C"]
    app.update(cases_of({"d.md": case("D", listed="person: [Ana]")}), [], lambda path: None)
    app.save(tmp_path)
    assert len(XrefStore.load(tmp_path).entity("Ana").cases_listing) == 3
