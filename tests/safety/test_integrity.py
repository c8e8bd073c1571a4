"""SHA-256 manifests: write, check, and the `casefile verify` command."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.model import CasefileError
from casefile.core.read import integrity
from casefile.core.text.sanitize import is_clean


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    (root / "2017").mkdir(parents=True)
    (root / "2017" / "a.md").write_text("# A\n", encoding="utf-8")
    (root / "scan.pdf").write_bytes(b"%PDF-1.4 \x00\x01")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return root


def verify(capsys: pytest.CaptureFixture[str], folder: Path, *extra: str) -> tuple[int, dict]:
    code = main(["verify", "--cases", str(folder), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_every_file_is_hashed(folder: Path) -> None:
    digests = integrity.hash_folder(folder)
    assert list(digests) == [".git/HEAD", "2017/a.md", "scan.pdf"]
    assert digests["scan.pdf"] == hashlib.sha256(b"%PDF-1.4 \x00\x01").hexdigest()


def test_manifest_round_trip_with_hostile_names(folder: Path) -> None:
    for name in (b"esc\x1b]0;x\x07.md", b"nl\nname", b"back\\slash", b"latin1-\xf1", b"bidi\xe2\x80\xae"):
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(name)
    digests = integrity.hash_folder(folder)
    text = integrity.format_manifest(digests)
    assert is_clean(text) and text.count("\n") == len(digests)
    assert integrity.parse_manifest(text) == digests


def test_symlinks_are_recorded_not_followed(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("private", encoding="utf-8")
    (folder / "link").symlink_to(outside)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    before = integrity.hash_folder(folder)
    outside.write_text("changed, but never read", encoding="utf-8")
    assert integrity.hash_folder(folder) == before
    (folder / "link").unlink()
    (folder / "link").symlink_to(tmp_path / "elsewhere")
    assert integrity.compare(before, integrity.hash_folder(folder)).changed == ["link"]


def test_fifo_is_skipped_without_blocking(folder: Path) -> None:
    os.mkfifo(folder / "pipe")
    assert "pipe" not in integrity.hash_folder(folder)


def test_compare_lists_added_removed_changed(folder: Path) -> None:
    before = integrity.hash_folder(folder)
    (folder / "2017" / "a.md").write_text("# A, altered\n", encoding="utf-8")
    (folder / "scan.pdf").unlink()
    (folder / "new.md").write_text("new", encoding="utf-8")
    result = integrity.compare(before, integrity.hash_folder(folder))
    assert (result.added, result.removed, result.changed, result.ok) == (
        ["new.md"], ["scan.pdf"], ["2017/a.md"], False)


@pytest.mark.parametrize("line", ["not a manifest", "abc  file", "g" * 64 + "  x"])
def test_malformed_manifest_is_a_located_error(line: str) -> None:
    with pytest.raises(CasefileError, match="line 2"):
        integrity.parse_manifest("0" * 64 + "  ok\n" + line + "\n")


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU sha256sum")
def test_manifest_is_checked_by_sha256sum(folder: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "m.sha256"
    manifest.write_text(integrity.format_manifest(integrity.hash_folder(folder)), encoding="utf-8")
    done = subprocess.run(["sha256sum", "--check", "--strict", str(manifest)], cwd=folder,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr


def test_verify_writes_then_checks(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = tmp_path / "manifest.sha256"
    code, written = verify(capsys, folder, "--manifest", str(manifest))
    assert (code, written["written"], written["files"]) == (0, True, 3)
    assert manifest.stat().st_mode & 0o777 == 0o600
    code, checked = verify(capsys, folder, "--manifest", str(manifest))
    assert (code, checked["ok"]) == (0, True)
    (folder / "2017" / "a.md").write_text("# tampered\n", encoding="utf-8")
    code, checked = verify(capsys, folder, "--manifest", str(manifest))
    assert (code, checked["ok"], checked["changed"]) == (1, False, ["2017/a.md"])


def test_verify_without_manifest_prints_and_writes_nothing(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in folder.parent.iterdir())
    code, printed = verify(capsys, folder)
    assert code == 0 and [f["path"] for f in printed["files"]] == [".git/HEAD", "2017/a.md", "scan.pdf"]
    assert sorted(p.name for p in folder.parent.iterdir()) == before


def test_verify_refuses_to_write_inside_the_case_folder(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--cases", str(folder), "--manifest", str(folder / "m.sha256")]) == 2
    assert not (folder / "m.sha256").exists()
    assert "outside the case folder" in capsys.readouterr().err


def test_a_manifest_kept_inside_the_folder_is_not_counted(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "MANIFEST").write_text(integrity.format_manifest(integrity.hash_folder(folder)), encoding="utf-8")
    code, checked = verify(capsys, folder, "--manifest", str(folder / "MANIFEST"))
    assert (code, checked["ok"]) == (0, True)
