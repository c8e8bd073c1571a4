"""Threat: an index folder option pointed at the wrong place makes casefile delete files.

`--index`, `CASEFILE_INDEX`, `index =` in the config file and `CASEFILE_CACHE` may name a
used folder, the case folder, a folder inside it, a file or a link to any of these.
casefile may delete only what it can prove it created: a marked folder, and in it only
file names it writes itself.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casefile.cli import main
from casefile.core.archive import index_folder
from casefile.core.archive.facade import Archive

BILINGUAL = Path(__file__).resolve().parent.parent / "data" / "bilingual"


def snapshot(root: Path) -> dict[str, str]:
    """Relative path -> SHA-256 (or the link target) of every file and link under `root`."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            found[rel] = f"-> {os.readlink(path)}" if os.path.islink(path) else \
                hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return found


def kept(before: dict[str, str], root: Path) -> dict[str, str]:
    """Files of `before` that are now missing or changed (empty when every one is intact)."""
    after = snapshot(root)
    return {path: digest for path, digest in before.items() if after.get(path) != digest}


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """A copy of the bilingual archive."""
    return Path(shutil.copytree(BILINGUAL, tmp_path / "cases"))


@pytest.fixture
def used(tmp_path: Path) -> Path:
    """A folder of the user's own files."""
    folder = tmp_path / "used"
    (folder / "sub").mkdir(parents=True)
    (folder / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis")
    (folder / "sub" / "notes.txt").write_text("notes\n")
    return folder


def run(*argv: str) -> int:
    """The CLI in-process."""
    return main(list(argv))


def test_a_used_folder_is_refused_and_kept(cases: Path, used: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(used)
    assert run("check", "--cases", str(cases), "--index", str(used)) == 2
    assert "not empty and casefile did not create it" in capsys.readouterr().err
    assert kept(before, used) == {}
    assert sorted(os.listdir(used)) == ["sub", "thesis.docx"]  # not even a marker or lock added


def test_the_case_folder_itself_is_refused(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(cases)
    assert run("index", "--rebuild", "--cases", str(cases), "--index", str(cases)) == 2
    assert "inside the case folder" in capsys.readouterr().err
    assert snapshot(cases) == before


def test_a_folder_inside_the_case_folder_is_refused_from_the_environment(
        cases: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(cases)
    monkeypatch.setenv("CASEFILE_INDEX", str(cases / ".idx"))
    assert run("search", "pegasus", "--cases", str(cases)) == 2
    assert "never writes there" in capsys.readouterr().err
    assert snapshot(cases) == before


def test_the_config_file_and_the_cache_are_checked_too(
        cases: Path, used: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'index = "{used}"\n')
    monkeypatch.setenv("CASEFILE_CONFIG", str(config))
    before = snapshot(used)
    assert run("check", "--cases", str(cases)) == 2
    assert kept(before, used) == {}
    config.write_text("")
    monkeypatch.setenv("CASEFILE_CACHE", str(cases / "cache"))  # the default index lands inside
    case_files = snapshot(cases)
    assert run("check", "--cases", str(cases)) == 2
    assert snapshot(cases) == case_files


def test_links_are_resolved_before_the_check(cases: Path, tmp_path: Path) -> None:
    into_cases = tmp_path / "looks-harmless"
    into_cases.symlink_to(cases / "notes", target_is_directory=True)
    before = snapshot(cases)
    assert run("check", "--cases", str(cases), "--index", str(into_cases)) == 2
    parent = tmp_path / "parent-link"
    parent.symlink_to(tmp_path, target_is_directory=True)
    assert run("check", "--cases", str(cases), "--index", str(parent)) == 2  # it contains the cases
    assert snapshot(cases) == before


def test_a_file_is_refused(cases: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "evidence.pdf"
    a_file.write_bytes(b"%PDF-1.7")
    assert run("check", "--cases", str(cases), "--index", str(a_file)) == 2
    assert a_file.read_bytes() == b"%PDF-1.7"


def test_a_new_or_empty_folder_is_marked_and_used(cases: Path, tmp_path: Path) -> None:
    for target in (tmp_path / "new" / "index", tmp_path / "empty"):
        if target.name == "empty":
            target.mkdir()
        assert run("check", "--cases", str(cases), "--index", str(target)) in (0, 1)
        assert (target / index_folder.MARKER).is_file()
        assert run("search", "pegasus", "--cases", str(cases), "--index", str(target)) == 0


def test_every_file_a_build_leaves_is_one_casefile_may_delete(cases: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    archive = Archive.open(cases, index, 2 << 20)
    archive.refresh()
    archive.search("pegasus")
    (cases / "mx-2017-004.md").write_text("# Changed\n\nnew text\n", encoding="utf-8")
    archive.refresh()
    archive.close()
    names = set(os.listdir(index)) - {index_folder.MARKER}
    assert names and {name for name in names if not index_folder.is_own(name)} == set()


def test_a_rebuild_deletes_only_what_casefile_wrote(cases: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert run("index", "--cases", str(cases), "--index", str(index)) == 0
    (index / "my-notes.txt").write_text("kept\n")  # the user put things in the marked folder
    (index / "sub").mkdir()
    (index / "sub" / "MAIN_looks_like_ours.seg").write_text("kept\n")
    (index / "MAIN_link").symlink_to(cases / "mx-2017-004.md")
    before = snapshot(cases)
    assert run("index", "--rebuild", "--cases", str(cases), "--index", str(index)) == 0
    assert (index / "my-notes.txt").read_text() == "kept\n"
    assert (index / "sub" / "MAIN_looks_like_ours.seg").read_text() == "kept\n"
    assert (index / "MAIN_link").is_symlink()
    assert snapshot(cases) == before
    assert run("search", "pegasus", "--cases", str(cases), "--index", str(index)) == 0


def test_clearing_an_unmarked_folder_is_refused(used: Path) -> None:
    before = snapshot(used)
    with pytest.raises(index_folder.IndexFolderRefused):
        index_folder.remove_own_files(used)
    assert kept(before, used) == {}


def test_an_earlier_casefile_index_at_the_default_place_is_adopted(
        cases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEFILE_CACHE", str(tmp_path / "cache"))
    assert run("index", "--cases", str(cases)) == 0
    (folder,) = (tmp_path / "cache" / "indexes").iterdir()
    (folder / index_folder.MARKER).unlink()  # as an index made before markers existed
    assert run("index", "--rebuild", "--cases", str(cases)) == 0
    assert (folder / index_folder.MARKER).is_file()
    (folder / index_folder.MARKER).unlink()
    (folder / "not-ours.txt").write_text("x")  # a foreign file: refused, not adopted
    assert run("index", "--rebuild", "--cases", str(cases)) == 2
    assert (folder / "not-ours.txt").read_text() == "x"


NAMES = st.sampled_from(["thesis.docx", "notes.txt", "fresh.marshal", "MAIN_x.seg", "_MAIN_1.toc",
                         "catalog-01.marshal", "casefile.lock", "a.md", "photo.jpg", ".hidden"])
TARGETS = st.sampled_from(["cases", "cases/sub", "cases/.idx", "used", "used/sub", "used/file.txt",
                           "new/deeper", "empty", "root", "link-to-cases", "link-to-used"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case_names=st.lists(NAMES, max_size=4, unique=True), used_names=st.lists(NAMES, max_size=4, unique=True),
       target=TARGETS, rebuild=st.booleans())
def test_no_index_target_ever_changes_a_file_casefile_did_not_create(
        tmp_path_factory: pytest.TempPathFactory, case_names: list[str], used_names: list[str],
        target: str, rebuild: bool) -> None:
    root = tmp_path_factory.mktemp("property")
    (root / "cases" / "sub").mkdir(parents=True)
    (root / "cases" / "case.md").write_text("# A case\n\nperiodistas [[Other]]\n")
    (root / "used" / "sub").mkdir(parents=True)
    (root / "empty").mkdir()
    for folder, names in (("cases/sub", case_names), ("used", used_names)):
        for name in names:
            (root / folder / name).write_bytes(f"user data {name}".encode())
    (root / "used" / "file.txt").write_text("a file\n")
    (root / "link-to-cases").symlink_to(root / "cases", target_is_directory=True)
    (root / "link-to-used").symlink_to(root / "used", target_is_directory=True)
    before = snapshot(root)
    index = root if target == "root" else root / target
    argv = ["--cases", str(root / "cases"), "--index", str(index)]
    run("index", *argv, *(["--rebuild"] if rebuild else []))
    run("search", "periodistas", *argv)
    assert kept(before, root) == {}
    assert snapshot(root / "cases") == {k[len("cases/"):]: v for k, v in before.items() if k.startswith("cases/")}
