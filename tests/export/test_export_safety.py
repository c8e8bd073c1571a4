"""Export output: never in the case folder, never over a file, owner-only, clean, offline."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import casefile
from casefile.core.export.files import MARKER
from tests.export.helpers import BILINGUAL, export, export_process
from tests.safety import hostile
from tests.safety.helpers import forbidden_in

BLOCK_FTM = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "followthemoney" or name.startswith("followthemoney."):
            raise ImportError("blocked by the test")
sys.meta_path.insert(0, _Block())
"""


def mode(path: Path) -> int:
    """Permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


def test_without_followthemoney_ftm_says_what_to_install_and_exits_2(tmp_path: Path) -> None:
    done = export_process(BILINGUAL, "--format", "ftm", "--out", str(tmp_path / "x.ftm"), pre=BLOCK_FTM)
    assert done.returncode == 2 and done.stdout == b""
    assert b"pip install 'casefile[ftm]'" in done.stderr and not (tmp_path / "x.ftm").exists()
    also = export_process(BILINGUAL, "--format", "json", "--out", str(tmp_path / "x.json"), pre=BLOCK_FTM)
    assert also.returncode == 0 and (tmp_path / "x.json").stat().st_size > 0


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_out_inside_the_case_folder_is_refused_even_through_a_symlink(tmp_path: Path, fmt: str, capsys) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "sneaky").symlink_to(cases)
    before = sorted(p.name for p in cases.iterdir())
    for out in (cases / "export", tmp_path / "sneaky" / "export", cases):
        code, _out, err = export(capsys, cases, "--format", fmt, "--out", str(out))
        assert code == 2 and "inside the case folder" in err
    assert sorted(p.name for p in cases.iterdir()) == before


def test_an_existing_file_is_kept_unless_force(tmp_path: Path, capsys) -> None:
    target = tmp_path / "mine.json"
    target.write_text("precious", encoding="utf-8")
    code, _out, err = export(capsys, BILINGUAL, "--format", "json", "--out", str(target))
    assert code == 2 and "--force" in err and target.read_text(encoding="utf-8") == "precious"
    code, _out, _err = export(capsys, BILINGUAL, "--format", "json", "--out", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("{") and mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json"]  # no temporary file left


def test_new_files_are_owner_only_whatever_the_umask(tmp_path: Path, capsys) -> None:
    old = os.umask(0o000)
    try:
        export(capsys, BILINGUAL, "--format", "json", "--out", str(tmp_path / "a.json"))
        export(capsys, BILINGUAL, "--format", "csv", "--out", str(tmp_path / "csv"))
    finally:
        os.umask(old)
    assert mode(tmp_path / "a.json") == 0o600 and mode(tmp_path / "csv") == 0o700
    assert {p.name: mode(p) for p in (tmp_path / "csv").iterdir()} == \
        dict.fromkeys((MARKER, "cases.csv", "entities.csv", "links.csv"), 384)


def test_csv_refuses_a_folder_it_did_not_make_and_reuses_its_own(tmp_path: Path, capsys) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "cases.csv").write_text("someone else's", encoding="utf-8")
    code, _out, err = export(capsys, BILINGUAL, "--format", "csv", "--out", str(foreign))
    assert code == 2 and "not made by casefile" in err
    assert sorted(p.name for p in foreign.iterdir()) == ["cases.csv"]
    ours = tmp_path / "ours"
    assert export(capsys, BILINGUAL, "--format", "csv", "--out", str(ours))[0] == 0
    assert export(capsys, BILINGUAL, "--format", "csv", "--out", str(ours))[0] == 0
    assert export(capsys, BILINGUAL, "--format", "csv", "--out", str(foreign), "--force")[0] == 0
    assert (foreign / "cases.csv").read_text(encoding="utf-8").startswith("id,title")


def test_csv_needs_out(capsys) -> None:
    code, out, err = export(capsys, BILINGUAL, "--format", "csv")
    assert code == 2 and out == "" and "--out" in err


def test_no_disk_index_writes_only_the_out_file(tmp_path: Path) -> None:
    cache, work = tmp_path / "cache", tmp_path / "work"
    cache.mkdir()
    work.mkdir()
    env = dict(os.environ, CASEFILE_CACHE=str(cache), TMPDIR=str(tmp_path / "tmp"), HOME=str(tmp_path / "home"))
    done = export_process(BILINGUAL, "--format", "json", "--out", str(work / "x.json"), env=env)
    assert done.returncode == 0, done.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == \
        ["cache", "work", "work/x.json"]


@pytest.mark.parametrize("fmt", ["ftm", "json", "csv"])
def test_hostile_text_reaches_no_output_as_control_characters(tmp_path: Path, fmt: str) -> None:
    folder = hostile.build(tmp_path / "cases", tmp_path / "outside")
    out = tmp_path / "out"
    done = export_process(folder, "--format", fmt, "--out", str(out))
    texts = [p.read_bytes().decode("utf-8") for p in ([*out.iterdir()] if out.is_dir() else [out])]
    assert done.returncode == 0, done.stderr
    assert all(forbidden_in(text) == [] for text in texts)
    assert forbidden_in(done.stderr.decode("utf-8")) == []
    assert all(hostile.SECRET not in text for text in texts)


def test_only_the_ftm_adapter_imports_followthemoney() -> None:
    package = Path(casefile.__file__).parent
    importers = sorted(
        path.relative_to(package).as_posix() for path in package.rglob("*.py")
        if any(line.lstrip().startswith(("import followthemoney", "from followthemoney"))
               for line in path.read_text(encoding="utf-8").splitlines()))
    assert importers == ["core/export/ftm.py"]
