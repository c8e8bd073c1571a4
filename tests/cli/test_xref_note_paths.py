"""`casefile xref` finds the files a key names from the cross-reference's view, without
reading the catalog (~0.5 s at 50,000 files), and exactly as the catalog would: a skipped
file (too large) is in the catalog only, so a key that may name one is asked of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.archive import catalog_files
from casefile.core.archive.facade import Archive

FIRST = "---\nid: MX-1\ntitle: First\nentities:\n  person: [Ana Ruiz]\n---\nAna Ruiz spoke.\n"
SECOND = "---\nid: mx-1\ntitle: Second\nentities:\n  person: [Ana Ruiz]\n---\nAgain.\n"
OTHER = "---\nid: Other\ntitle: Other\n---\nSee [[First]].\n"
LIMIT = 400
"""max_file_bytes of the archive: the big file is skipped."""


@pytest.fixture()
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "first.md").write_text(FIRST, encoding="utf-8")
    (folder / "second.md").write_text(SECOND, encoding="utf-8")
    (folder / "other.md").write_text(OTHER, encoding="utf-8")
    (folder / "a" / "big.md").write_text("---\nid: big\n---\n" + "x" * LIMIT, encoding="utf-8")
    return folder


def test_note_paths_are_the_catalogs_for_every_kind_of_key(cases: Path, tmp_path: Path) -> None:
    archive = Archive.open(cases, tmp_path / "ix", LIMIT)
    try:
        archive.refresh()
        archive.xref.entities()  # the whole cross-reference, computed once: the view is written
        keys = ["a/first.md", "a/first", "./second.md", str(cases / "other.md"), "MX-1", "mx-1", "OTHER",
                "a/big.md", "a/big", "A/BIG.MD", "big", "First", "Ana Ruiz", "nobody", "../x.md", ""]
        assert {key: archive.note_paths(key) for key in keys} == {key: archive.paths_of(key) for key in keys}
        assert archive.note_paths("mx-1") == ["a/first.md", "second.md"]
        assert archive.paths_of("A/BIG.MD") == ["a/big.md"]  # a skipped file's id is its path
    finally:
        archive.close()


def _no_catalog(directory: Path | None) -> None:
    raise AssertionError("the catalog was read")


def test_xref_reads_no_catalog_when_the_view_answers(capsys, cases: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (cases / "a" / "big.md").unlink()  # nothing skipped: the view's ids are the catalog's
    where = ["--cases", str(cases), "--index", str(tmp_path / "ix")]
    assert main(["entities", *where]) == 0  # computes the whole cross-reference: writes the view
    capsys.readouterr()
    monkeypatch.setattr(catalog_files, "load_catalog", _no_catalog)
    assert main(["xref", "MX-1", *where]) == 0
    out, err = capsys.readouterr()
    assert "First" in out and "id 'MX-1' is used by 2 files" in err
    assert main(["xref", "Ana Ruiz", *where]) == 0
    assert "Listed in 2 cases" in capsys.readouterr().out
