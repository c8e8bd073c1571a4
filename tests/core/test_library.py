"""Reading a folder: walk rules, encodings, size cap, bad files beside good ones."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from casefile.core.read.library import load_library, read_case, walk

CASE = "---\ntitle: Periodista desaparecido\ndate: 2017-05-15\n---\nJavier Valdez, Culiacán. #periodistas\n"


def write(root: Path, rel: str, data: bytes | str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def by_path(root: Path) -> dict:
    library = load_library(root)
    return {case.path: case for case in library.cases}, library.problems


def test_walk_is_recursive_and_skips_dot_folders_and_other_files(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "# A")
    write(tmp_path, "nested/deeper/b.MD", "# B")
    write(tmp_path, ".git/c.md", "# hidden")
    write(tmp_path, ".hidden.md", "# hidden")
    write(tmp_path, "notes.txt", "not markdown")
    write(tmp_path, "scan.pdf", b"%PDF-1.4")
    assert [f.path for f in walk(tmp_path).files] == ["a.md", "nested/deeper/b.MD"]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
     ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_encodings_with_bom(tmp_path: Path, encoding: str, bom: bytes) -> None:
    write(tmp_path, "case.md", bom + CASE.encode(encoding))
    cases, problems = by_path(tmp_path)
    case = cases["case.md"]
    assert (case.title, case.date, case.tags, problems) == (
        "Periodista desaparecido", "2017-05-15", ("periodistas",), [])
    assert "Culiacán" in case.body


def test_crlf_line_endings(tmp_path: Path) -> None:
    write(tmp_path, "case.md", CASE.replace("\n", "\r\n"))
    cases, problems = by_path(tmp_path)
    assert (cases["case.md"].date, problems) == ("2017-05-15", [])
    assert "\r" not in cases["case.md"].body


def test_invalid_utf8_is_a_located_warning_and_the_text_is_kept(tmp_path: Path) -> None:
    write(tmp_path, "latin1.md", "# Título\nline two\nCulia\xe1n\n".encode("latin-1"))
    cases, problems = by_path(tmp_path)
    assert [(p.code, p.line, p.severity) for p in problems] == [("encoding-invalid", 1, "warning")]
    assert "Culia\ufffdn" in cases["latin1.md"].body


def test_binary_file_is_not_text(tmp_path: Path) -> None:
    write(tmp_path, "blob.md", b"# x\n\x00\x01\x02binary")
    cases, problems = by_path(tmp_path)
    assert cases == {} and [(p.code, p.line) for p in problems] == [("not-text", 2)]


def test_size_cap_turns_a_giant_file_into_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "big.md", "x" * 5000)
    write(tmp_path, "small.md", "# ok")
    library = load_library(tmp_path, max_bytes=1000)
    assert [c.path for c in library.cases] == ["small.md"]
    assert [(p.path, p.code) for p in library.problems] == [("big.md", "file-too-large")]


def test_broken_file_next_to_good_ones(tmp_path: Path) -> None:
    write(tmp_path, "good-1.md", CASE)
    write(tmp_path, "broken.md", "---\ntitle: [oops\n---\n# Still a case\n[[Link]]\n")
    write(tmp_path, "good-2.md", "# Second good case")
    cases, problems = by_path(tmp_path)
    assert sorted(cases) == ["broken.md", "good-1.md", "good-2.md"]
    assert cases["broken.md"].title == "Still a case"
    assert [(p.path, p.code) for p in problems] == [("broken.md", "front-matter-invalid")]


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "---\nid: MX-1\n---\n")
    write(tmp_path, "b.md", "---\nid: mx-1\n---\n")
    _, problems = by_path(tmp_path)
    assert [(p.path, p.code) for p in problems] == [("b.md", "duplicate-id")]
    assert "a.md" in problems[0].message


def test_hash_size_and_mtime_are_recorded(tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path, "a.md", CASE)
    case = by_path(tmp_path)[0]["a.md"]
    assert case.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (case.size, case.mtime_ns) == (path.stat().st_size, path.stat().st_mtime_ns)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_out_of_the_folder_are_refused_and_loops_do_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    write(root, "inside.md", "# Inside")
    write(tmp_path, "secret.md", "# Secret outside")
    (root / "leak.md").symlink_to(tmp_path / "secret.md")
    (root / "alias.md").symlink_to(root / "inside.md")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "outdir").symlink_to(tmp_path, target_is_directory=True)
    cases, problems = by_path(root)
    assert sorted(cases) == ["inside.md"]  # issue 10 #12: the link is reported, the file read once
    assert [(p.path, p.code) for p in problems] == [
        ("alias.md", "symlink-duplicate"), ("leak.md", "link-outside"), ("outdir", "link-outside")]


def test_read_case_never_raises_for_a_vanished_file(tmp_path: Path) -> None:
    write(tmp_path, "gone.md", "# x")
    stat = walk(tmp_path).files[0]
    (tmp_path / "gone.md").unlink()
    case, problems = read_case(tmp_path, stat)
    assert case is None and [p.code for p in problems] == ["read-failed"]
