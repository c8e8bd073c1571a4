"""The walk and the reader never leave the folder, never hang, and name every odd file."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from casefile.core.read.confine import leaves_folder, resolve_inside_link
from casefile.core.read.library import FileStat, load_library, read_bytes, read_case, walk
from casefile.core.text.sanitize import is_clean
from safety.helpers import within

GOOD = "---\ntitle: Good case\n---\nJournalists under surveillance.\n"


def codes_by_path(root: Path) -> dict[str, set[str]]:
    """Problem codes per path after loading the folder (bounded in time)."""
    with within(10):
        library = load_library(root)
    found: dict[str, set[str]] = {}
    for problem in library.problems:
        assert is_clean(problem.path) and is_clean(problem.message)
        found.setdefault(problem.path, set()).add(problem.code)
    return found


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    root.mkdir()
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    return root


def test_symlink_to_a_file_outside_is_not_read(folder: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# SECRET-OUTSIDE\n", encoding="utf-8")
    (folder / "leak.md").symlink_to(secret)
    library = load_library(folder)
    assert [c.path for c in library.cases] == ["good.md"]
    assert all("SECRET" not in c.body for c in library.cases)
    assert codes_by_path(folder) == {"leak.md": {"link-outside"}}


def test_symlinked_folder_outside_is_not_descended_and_is_reported(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "home"
    outside.mkdir()
    (outside / "diary.md").write_text("# private\n", encoding="utf-8")
    (folder / "home").symlink_to(outside, target_is_directory=True)
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(Path("../.."), target_is_directory=True)
    assert [f.path for f in walk(folder).files] == ["good.md"]
    assert codes_by_path(folder) == {"home": {"link-outside"}, "sub/up": {"link-outside"}}


@pytest.mark.parametrize("target", ["good.md", "./good.md", "sub/../good.md", "ABSOLUTE"])
def test_symlink_to_a_file_inside_is_reported_and_the_file_indexed_once(folder: Path, target: str) -> None:
    (folder / "sub").mkdir()
    (folder / "alias.md").symlink_to(folder / "good.md" if target == "ABSOLUTE" else Path(target))
    (folder / "sub" / "up.md").symlink_to(Path("../good.md"))
    library = load_library(folder)
    assert [c.path for c in library.cases] == ["good.md"]
    assert codes_by_path(folder) == {"alias.md": {"symlink-duplicate"}, "sub/up.md": {"symlink-duplicate"}}


def test_symlink_to_an_inside_file_the_walk_skips_is_indexed_through_the_link(folder: Path) -> None:
    (folder / "notes.txt").write_text("# Notes kept as text\n", encoding="utf-8")
    (folder / "notes.md").symlink_to(Path("notes.txt"))
    library = load_library(folder)
    assert [c.path for c in library.cases] == ["good.md", "notes.md"] and library.problems == []


@pytest.fixture()
def swapping(folder: Path, tmp_path: Path) -> Iterator[Path]:
    """`folder/sub` swapped, in a loop, for a link to an outside folder with the same names."""
    outside = tmp_path / "outside"
    for base, text in ((folder / "sub", "# Inside\n"), (outside, f"# {SECRET}\n{SECRET}\n")):
        (base / "deeper").mkdir(parents=True)
        for rel in ("inside.md", "deeper/inside.md"):
            (base / rel).write_text(text, encoding="utf-8")
    (outside / "only-outside.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    link, parked = folder / ".parked-link", folder / ".parked-real"
    link.symlink_to(outside, target_is_directory=True)
    stop = threading.Event()

    def swap() -> None:
        while not stop.is_set():
            os.rename(folder / "sub", parked)
            os.rename(link, folder / "sub")
            os.rename(folder / "sub", link)
            os.rename(parked, folder / "sub")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # interleave the two threads finely
    thread = threading.Thread(target=swap, daemon=True)
    thread.start()
    try:
        yield folder
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)


SECRET = "SECRET-OUTSIDE"


def test_a_folder_swapped_for_a_link_outside_is_never_followed(swapping: Path) -> None:
    # A walk may see `sub/` as a folder and the reader find a link there a moment later.
    for _ in range(40):
        library = load_library(swapping)
        texts = [c.body + c.title for c in library.cases] + [p.path for p in library.problems]
        assert not [t for t in texts if SECRET in t or "only-outside" in t]
        for _ in range(20):  # the reader alone, as a refresh reads what a walk listed
            for rel in ("sub/inside.md", "sub/deeper/inside.md"):
                case, _problems = read_case(swapping, FileStat(rel, 100, 0))
                assert case is None or SECRET not in case.body


def test_symlink_loops_do_not_hang(folder: Path) -> None:
    (folder / "a.md").symlink_to(folder / "b.md")
    (folder / "b.md").symlink_to(folder / "a.md")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(Path(".."), target_is_directory=True)
    found = codes_by_path(folder)
    assert found == {"a.md": {"read-failed"}, "b.md": {"read-failed"}}


def test_a_very_deep_tree_is_walked_without_recursion_error(folder: Path) -> None:
    levels = [folder]
    for _ in range(1200):  # deeper than Python's recursion limit (os.makedirs recurses too)
        levels.append(levels[-1] / "d")
        levels[-1].mkdir()
    (levels[-1] / "bottom.md").write_text("# Bottom\n", encoding="utf-8")
    try:
        with within(20):
            paths = [f.path for f in walk(folder).files]
        assert paths[0].endswith("d/bottom.md") and paths[1:] == ["good.md"]
    finally:  # shutil.rmtree recurses as well: empty the tree bottom-up
        (levels[-1] / "bottom.md").unlink()
        for level in reversed(levels[1:]):
            level.rmdir()


@pytest.mark.parametrize("name", [
    b"esc\x1b]0;pwned\x07.md", b"newline\nname.md", b"bidi\xe2\x80\xaedm.exe.md", b"latin1-\xf1.md",
])
def test_unsafe_file_names_are_named_cleanly_and_not_read(folder: Path, name: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
        handle.write(b"# hostile name\n")
    library = load_library(folder)
    assert [c.path for c in library.cases] == ["good.md"]
    [(path, codes)] = codes_by_path(folder).items()
    assert codes == {"name-unsafe"} and is_clean(path)


def test_unsafe_folder_names_are_not_descended(folder: Path) -> None:
    bad = os.path.join(os.fsencode(folder), b"dir\x1b[2J")
    os.mkdir(bad)
    with open(os.path.join(bad, b"inside.md"), "wb") as handle:
        handle.write(b"# inside\n")
    assert [f.path for f in walk(folder).files] == ["good.md"]
    assert list(codes_by_path(folder).values()) == [{"name-unsafe"}]


def test_fifo_named_md_does_not_block(folder: Path) -> None:
    os.mkfifo(folder / "pipe.md")
    assert [f.path for f in walk(folder).files] == ["good.md"]
    with within(5), pytest.raises(OSError):
        read_bytes(folder, "pipe.md", 1000)  # even when asked directly


def test_binary_and_oversized_files_are_problems(folder: Path) -> None:
    (folder / "binary.md").write_bytes(b"# looks like text\n\x00\x01\x02" * 100)
    (folder / "huge.md").write_bytes(b"a" * 3_000_000)
    found = codes_by_path(folder)
    assert found == {"binary.md": {"not-text"}, "huge.md": {"file-too-large"}}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder regardless of its mode")
def test_unreadable_folder_is_reported(folder: Path) -> None:
    locked = folder / "locked"
    locked.mkdir(mode=0)
    try:
        assert codes_by_path(folder) == {"locked/": {"read-failed"}}
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize(("href", "outside"), [
    ("../../etc/passwd", True), ("/etc/passwd", True), ("file:///etc/passwd", True),
    ("FILE:/etc/passwd", True), ("~/notes.md", True), ("..%2F..%2Fsecret", True),
    ("C:/Windows/win.ini", True), ("../b.md", False), ("b.md#part", False),
    ("https://example.org/x", False), ("mailto:x@example.org", False),
])
def test_leaves_folder(href: str, outside: bool) -> None:
    assert leaves_folder(href, "sub/a.md") is outside


def test_resolve_inside_link_never_resolves_outside(folder: Path, tmp_path: Path) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "a.md").write_text("x", encoding="utf-8")
    (folder / "sub" / "out.md").symlink_to(tmp_path / "secret.md")
    assert resolve_inside_link(folder, "sub/a.md", "../good.md") == (folder / "good.md").resolve()
    for href in ("../../secret.md", "/etc/passwd", "file:///etc/passwd", "https://x.org", "out.md"):
        assert resolve_inside_link(folder, "sub/a.md", href) is None, href


def test_a_file_name_that_only_differs_by_invisible_characters_is_a_duplicate(folder: Path) -> None:
    (folder / "CitizenLab.md").write_text("# The real one\n", encoding="utf-8")
    (folder / "Citizen\u200bLab.md").write_text("# The spoof\n", encoding="utf-8")
    assert codes_by_path(folder) == {"Citizen\u200bLab.md": {"duplicate-id", "invisible-characters"}}
