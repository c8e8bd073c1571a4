"""Duplicate ids: `show` and `xref` say which files share the id and which one they read;
a path (relative, ./, absolute, with or without .md) selects exactly one file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.archive.facade import Archive

FIRST = "---\nid: MX-2017-010\ntitle: Reckless Redux\nentities:\n  person: [Ana Ruiz]\n---\nFirst text.\n"
SECOND = "---\nid: MX-2017-010\ntitle: Redux again\nentities:\n  person: [Luis Gil]\n---\nSecond text.\n"


@pytest.fixture()
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "reckless-redux.md").write_text(FIRST, encoding="utf-8")
    (folder / "b" / "redux-again.md").write_text(SECOND, encoding="utf-8")
    return folder


@pytest.fixture(params=["memory", "disk"])
def where(request: pytest.FixtureRequest, cases: Path, tmp_path: Path) -> list[str]:
    """Both ways of keeping the index: the catalog is read from disk in the second."""
    index = ["--no-disk-index"] if request.param == "memory" else ["--index", str(tmp_path / "ix")]
    return ["--cases", str(cases), *index]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


NOTICE = ("casefile: id 'MX-2017-010' is used by 2 files: a/reckless-redux.md, b/redux-again.md; "
          "showing a/reckless-redux.md (give a path to choose)\n")


def test_show_says_the_id_is_shared_and_which_file_it_shows(capsys, where: list[str]) -> None:
    code, out, err = run_cli(capsys, "show", "MX-2017-010", "--json", *where)
    assert code == 0 and err == NOTICE
    assert json.loads(out)["path"] == "a/reckless-redux.md"


def test_xref_says_the_id_is_shared_and_which_file_it_shows(capsys, where: list[str]) -> None:
    code, out, err = run_cli(capsys, "xref", "MX-2017-010", "--json", *where)
    assert code == 0 and err == NOTICE
    data = json.loads(out)
    assert data["path"] == "a/reckless-redux.md" and data["entities"][0]["name"] == "Ana Ruiz"
    assert data["also"] == ["b/redux-again.md"]  # the JSON names the other files too


@pytest.mark.parametrize("key", ["b/redux-again.md", "b/redux-again", "./b/redux-again.md", "ABSOLUTE"])
def test_a_path_selects_exactly(capsys, where: list[str], cases: Path, key: str) -> None:
    key = str(cases / "b" / "redux-again.md") if key == "ABSOLUTE" else key
    code, out, err = run_cli(capsys, "show", key, "--json", *where)
    assert code == 0 and err == "" and json.loads(out)["title"] == "Redux again"
    code, out, err = run_cli(capsys, "xref", key, "--json", *where)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["path"] == "b/redux-again.md" and data["entities"][0]["name"] == "Luis Gil"


def test_a_path_outside_the_folder_selects_nothing(capsys, where: list[str], tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "show", str(outside), *where)
    assert code == 2 and "no case with id or path" in err


def test_the_archive_lists_every_path_of_an_id(cases: Path) -> None:
    archive = Archive.open(cases, None)
    archive.refresh()
    assert archive.paths_of("mx-2017-010") == ["a/reckless-redux.md", "b/redux-again.md"]
    assert archive.paths_of("b/redux-again") == ["b/redux-again.md"]
    assert archive.paths_of("MX-2099-001") == []
