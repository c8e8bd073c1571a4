"""The catalog read back from disk holds each entry once, not also its written form."""

from __future__ import annotations

from pathlib import Path

from casefile.core.archive import catalog_files
from casefile.core.archive.catalog import Entries, Entry
from casefile.core.model import EntityInfo, Problem

FILES = 300


def entries() -> Entries:
    """A catalog of FILES entries, some with an entity and a problem."""
    made = Entries(all_changed=True)
    for n in range(FILES):
        path = f"cases/c{n}.md"
        entity = EntityInfo("person", (f"Persona {n}",)) if n % 3 == 0 else None
        problems = [Problem(path, 4, "bad-date", "date not understood", "warning", "t", (("v", str(n)),))] \
            if n % 5 == 0 else []
        made[path] = Entry(f"{n:040x}", f"c{n}", "case", [f"persona {n}", "pegasus"], entity, problems)
    return made


def test_a_loaded_catalog_keeps_no_written_form_per_entry(tmp_path: Path) -> None:
    # each loaded entry kept the lists it was read from as its written form: at 100k files,
    # 26 MB of the reader's heap held for a shard rewrite that rebuilds them in ~1.5 ms
    catalog_files.save_catalog(tmp_path, entries())
    loaded = catalog_files.load_catalog(tmp_path)
    assert loaded is not None and len(loaded) == FILES
    assert not [path for path, entry in loaded.items() if entry.saved is not None]


def test_a_loaded_catalog_is_written_again_the_same(tmp_path: Path) -> None:
    made = entries()
    catalog_files.save_catalog(tmp_path, made)
    loaded = catalog_files.load_catalog(tmp_path)
    assert loaded is not None
    loaded.all_changed = True  # every shard written again from the entries themselves
    (tmp_path / "again").mkdir()
    catalog_files.save_catalog(tmp_path / "again", loaded)
    again = catalog_files.load_catalog(tmp_path / "again")
    assert again is not None and dict(again) == dict(made)
