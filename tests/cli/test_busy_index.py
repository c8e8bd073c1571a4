"""A command whose refresh cannot run (another process is writing the index) says so on stderr."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from casefile.cli import main
from casefile.core.archive.lock import FolderLock

BILINGUAL = Path(__file__).parents[1] / "data" / "bilingual"


@pytest.mark.parametrize("command", [["search", "periodistas", "--json"], ["check", "--json"]])
def test_a_command_on_a_busy_index_warns_that_results_may_be_missing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]) -> None:
    cases, index = tmp_path / "cases", tmp_path / "ix"
    shutil.copytree(BILINGUAL, cases)
    where = ["--cases", str(cases), "--index", str(index)]
    assert main(["index", *where]) == 0
    (cases / "new-case.md").write_text("---\nid: NEW-1\n---\n\nLos periodistas otra vez.\n", encoding="utf-8")
    capsys.readouterr()
    writer = FolderLock(index)  # as a build in another process holds it
    assert writer.acquire(wait=0)
    try:
        main([*command[:1], *where, *command[1:]])
    finally:
        writer.release()
    captured = capsys.readouterr()
    assert "another casefile process is updating the index" in captured.err
    json.loads(captured.out)  # stdout stays the answer alone
