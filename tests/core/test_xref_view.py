"""The resolved view (xref/view.py) answers exactly as the whole cross-reference does, on
random archives after random edit histories, reading only the shards an answer needs; a
view of another save, or a damaged one, is never read as an answer."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from xref_helpers import XREF_DATA, case, cases_of, page

from casefile.core.read.folder import walk
from casefile.core.read.library import load_library
from casefile.core.xref import view
from casefile.core.xref.query import case_xref, entity_xref, namesakes
from casefile.core.xref.registry import Xref
from casefile.core.xref.store import XrefStore

NAMES = ["Carmen Aristegui", "Citizen Lab", "Peña Nieto", "Mexico", "R3D", "Ana Pérez", "Lab"]
FOLDERS = ["", "a/", "b/", "a/x/"]
ATTACHMENTS = ["img/photo.png", "a/scan.pdf", "b/photo.png"]
VAULT = XREF_DATA.parent / "vault"


def random_file(rng: random.Random, step: int) -> tuple[str, str]:
    """A random page or case at a random place: shared names, ids, titles, links of every kind."""
    folder = rng.choice(FOLDERS)
    if rng.random() < 0.3:
        name = rng.choice(NAMES)
        aliases = rng.choice(["", "the Lab", "Aristegui", "Mexico"])
        return f"{folder}people/{name.split()[0].lower()}.md", page(name, rng.choice(["person", "org"]), aliases,
                                                                    body=f"{rng.choice(NAMES)} again.")
    targets = [*NAMES, "C1", "C2", "Title 1", "a/x/f1", "f2", "#Heading", "Nobody", "photo.png", "people/lab"]
    links = [f"[[{rng.choice(targets)}]]" for _ in range(rng.randrange(4))]
    links += ["[see](../b/f1.md)"] if rng.random() < 0.3 else []
    said = " and ".join(rng.sample(NAMES, 2))
    body = f"{said} met {' '.join(links)} in step {step}.\n\nAlso {rng.choice(NAMES)}."
    listed = f"person: [{', '.join(rng.sample(NAMES, rng.randrange(3)))}]" if rng.random() < 0.7 else ""
    date = rng.choice(["", "2019", "2020-03-01", "2018-12"])
    text = case(f"C{rng.randrange(4)}", body=body, listed=listed, title=f"Title {rng.randrange(3)}", date=date)
    if rng.random() < 0.3:
        text = text.replace("---\n", f"---\naliases: [{rng.choice(['Alias', 'Lab', 'Title 2'])}]\n", 1)
    return f"{folder}f{rng.randrange(4)}.md", text


def questions(xref: Xref) -> tuple[list[str], list[str]]:
    """Names to ask `entity` and `resolve` (every name, alias, page, dangling name, title, id,
    path, and some nobody uses), and ids or paths to ask `case`."""
    names = [e.name for e in xref.entities.values()] + [a for e in xref.entities.values() for a in e.aliases]
    names += [e.name for e in xref.dangling.values()] + [e.page for e in xref.entities.values() if e.page]
    names += [r.title for r in xref.records.values()] + [a for r in xref.records.values() for a in r.aliases]
    names += ["Nobody Else", "f1", "a/x/f1", "photo.png", "C1", "Alias"]
    cases = [r.id for r in xref.records.values()] + list(xref.records) + ["missing"]
    return names, cases


def whole_answers(xref: Xref) -> dict[str, Any]:
    """Every answer, from the whole cross-reference, as the store gave them before the view."""
    names, cases = questions(xref)
    paths = ["", *xref.records]
    keys = {name: xref.entity_key(name) for name in names}
    return {
        "entity": {name: entity_xref(xref, key) if key is not None else None for name, key in keys.items()},
        "case": {c: _whole_case(xref, c) for c in cases},
        "resolve": {(name, p): xref.resolve(name, p) for name in names for p in paths[:6]},
        "namesakes": {name: namesakes(xref, name) for name in names},
    }


def _whole_case(xref: Xref, case_id: str) -> Any:
    """`XrefStore.case` as it was: by id, else by path."""
    from casefile.core.xref.mentions import name_key

    path = xref.case_by_id.get(name_key(case_id)) or (case_id if case_id in xref.records else None)
    return case_xref(xref, path) if path is not None else None


def store_answers(store: XrefStore, like: dict[str, Any]) -> dict[str, Any]:
    """The same questions asked of a store."""
    return {
        "entity": {name: store.entity(name) for name in like["entity"]},
        "case": {c: store.case(c) for c in like["case"]},
        "resolve": {(name, p): store.resolve(name, p) for name, p in like["resolve"]},
        "namesakes": {name: store.namesakes(name) for name in like["namesakes"]},
    }


def saved(tmp_path: Path, files: dict[str, str], attachments: list[str]) -> None:
    """Build a store of `files` and save it in `tmp_path`."""
    cases = cases_of(files)
    bodies = {c.path: c.body for c in cases}
    store = XrefStore.load(tmp_path)
    store.clear()
    store.set_attachments(attachments)
    store.update(cases, [], bodies.get)
    store.save(tmp_path)


def check_view(tmp_path: Path, fresh: bool) -> None:
    """Answers of a store loaded from `tmp_path` equal the whole cross-reference's; with a
    `fresh` view they come from it (the whole is never computed)."""
    whole = XrefStore.load(tmp_path)
    whole._keep_view = lambda xref: None  # type: ignore[method-assign]  # leave the view on disk as it is
    expected = whole_answers(whole.computed())
    store = XrefStore.load(tmp_path)
    assert store_answers(store, expected) == expected
    assert (store._xref is None) == fresh


@pytest.mark.parametrize("seed", range(12))
def test_answers_from_the_view_equal_the_whole_after_random_edits(tmp_path: Path, seed: int) -> None:
    rng, files = random.Random(seed), {}
    store = XrefStore.load(tmp_path)
    store.clear()
    for step in range(16):
        path, text = random_file(rng, step)
        removed = [path] if path in files and rng.random() < 0.2 else []
        if removed:
            del files[path]
        else:
            files[path] = text
        bodies = {c.path: c.body for c in cases_of(files)}
        store.set_attachments(rng.sample(ATTACHMENTS, rng.randrange(4)))
        store.update([] if removed else cases_of({path: text}), removed, bodies.get)
        store.save(tmp_path)
        if step % 4 == 3:
            XrefStore.load(tmp_path).computed()  # writes the view of this save
            check_view(tmp_path, fresh=True)
        elif step % 4 == 1:
            check_view(tmp_path, fresh=False)  # the view on disk is an older save's: never read


def body_edit(rng: random.Random, text: str, step: int) -> str:
    """The same file with other prose before its body (its links move, its mentions change)
    and maybe another date: no name changes."""
    head, _, body = text.partition("\n---\n")
    said = " ".join(rng.sample(NAMES, rng.randrange(3)))
    if "date: " in head:
        head = head.replace(head[head.index("date: "):].split("\n")[0], f"date: 20{10 + step % 10}")
    return f"{head}\n---\nStep {step}: {said}.\n\n{body}"


@pytest.mark.parametrize("seed", range(8))
def test_a_view_patched_by_edits_that_change_no_name_answers_as_the_whole(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    files = dict(random_file(rng, step) for step in range(14))
    saved(tmp_path, files, ATTACHMENTS[:2])
    XrefStore.load(tmp_path).computed()  # the view of the first save
    store = XrefStore.load(tmp_path)
    for step in range(10):
        path = rng.choice(sorted(files))
        files[path] = body_edit(rng, files[path], step)
        store.update(cases_of({path: files[path]}), [], {c.path: c.body for c in cases_of(files)}.get)
        if step % 3 != 2:  # some saves hold two edits
            store.save(tmp_path)
            check_view(tmp_path, fresh=True)  # patched, never computed whole
            store = XrefStore.load(tmp_path) if step % 2 else store
    files["zz.md"] = case("Z-1", body="New [[Someone]].")  # a new file: a name may change
    store.update(cases_of({"zz.md": files["zz.md"]}), [], lambda path: None)
    store.save(tmp_path)
    check_view(tmp_path, fresh=False)


@pytest.mark.parametrize("folder", [XREF_DATA, VAULT], ids=["xref", "vault"])
def test_answers_from_the_view_equal_the_whole_on_the_test_folders(tmp_path: Path, folder: Path) -> None:
    library = load_library(folder)
    files = {c.path: (folder / c.path).read_text(encoding="utf-8") for c in library.cases}
    saved(tmp_path, files, sorted(walk(folder.resolve()).attachments))
    XrefStore.load(tmp_path).computed()
    check_view(tmp_path, fresh=True)


def many(count: int) -> dict[str, str]:
    """Files listing one shared name and one of their own each."""
    return {f"d{n % 7}/f{n}.md": case(f"C{n}", body=f"With [[Person {n}]].", listed=f"person: [Lab, Person {n}]")
            for n in range(count)}


def test_one_entity_reads_one_shard_and_one_case_one_per_entity(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(view, "FILES_A_SHARD", 20)
    saved(tmp_path, many(400), [])
    XrefStore.load(tmp_path).computed()
    read: list[str] = []
    original = view.View._file
    monkeypatch.setattr(view.View, "_file", lambda self, name: read.append(name) or original(self, name))
    store = XrefStore.load(tmp_path)
    lab = store.entity("Lab")
    assert lab is not None and len(lab.cases_listing) == 400
    assert view.shard_count(400) > 1
    assert len(read) == 1 and store._xref is None  # one shard of its kind, no record read
    read.clear()
    assert store.case("C7") is not None
    assert len(read) <= 3  # the file's shard, then one per entity it lists (Lab, Person 7)


def test_a_whole_computed_before_a_save_becomes_its_view_and_is_let_go(tmp_path: Path) -> None:
    files = many(60)
    store = XrefStore.load(tmp_path)
    store.clear()
    store.update(cases_of(files), [], {c.path: c.body for c in cases_of(files)}.get)
    whole = store.computed()  # asked while the update is not saved (the reader's pane during a build)
    key = whole.entity_key("Lab")
    assert key is not None
    expected = entity_xref(whole, key)
    assert store._xref is not None
    store.save(tmp_path)
    assert store._xref is None  # the reader no longer holds every record for its session
    assert store.entity("Lab") == expected and store._xref is None  # answered from the view
    check_view(tmp_path, fresh=True)


def test_a_damaged_or_foreign_shard_is_never_an_answer(tmp_path: Path) -> None:
    files = many(50)
    saved(tmp_path, files, [])
    XrefStore.load(tmp_path).computed()
    expected = XrefStore.load(tmp_path).computed()
    key = expected.entity_key("Lab")
    assert key is not None
    shard = tmp_path / view.file_name("k", view.shard_of(key, view.shard_count(50)))
    shard.write_bytes(b"\x00garbage")
    store = XrefStore.load(tmp_path)
    assert store.entity("Lab") == entity_xref(expected, key)
    assert store._xref is not None  # answered from the whole cross-reference, which wrote the view again
    again = XrefStore.load(tmp_path)
    assert again.entity("Lab") == entity_xref(expected, key)
    assert again._xref is None


def test_a_view_of_another_format_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved(tmp_path, many(20), [])
    XrefStore.load(tmp_path).computed()
    monkeypatch.setattr(view, "VIEW_FORMAT", view.VIEW_FORMAT + 1)  # as a newer casefile reads it
    store = XrefStore.load(tmp_path)
    assert store.entity("Lab") is not None
    assert store._xref is not None
