"""The reader's first open of a folder big enough for worker processes (the parallel build).

Run in a fresh process (tests/core/build_driver.py `app`): the real app under
`run_test`, whose threads make the build spawn its workers, and whose replaced stderr
once made every spawn fail ("bad value(s) in fds_to_keep": a red toast, and the index
re-read 400 files at a time by each retry).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pilot_helpers import settle
from safety.helpers import offline_env

from casefile.config import Config
from casefile.core.archive.facade import BUSY, Archive
from casefile.core.archive.lock import FolderLock
from casefile.ui.app import make_app

DRIVER = Path(__file__).parents[1] / "core" / "build_driver.py"
FILES = 150


def test_the_first_open_of_a_big_folder_builds_in_workers_without_an_error(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for number in range(FILES):
        (cases / f"case-{number:04d}.md").write_text(f"---\nid: b-{number}\n---\n\nLos periodistas w{number}x.\n")
    done = subprocess.run([sys.executable, str(DRIVER), str(cases), str(tmp_path / "index"), "app"],
                          capture_output=True, text=True, env=offline_env(), timeout=120)
    lines = done.stdout.splitlines()
    assert "state SUCCESS " in lines, done.stdout + done.stderr
    assert "toasts []" in lines
    assert lines.count("share indexed") == 2 and "share failed" not in lines  # both workers did their share
    archive = Archive.open(cases, tmp_path / "index")
    try:
        report = archive.refresh(wait=5)
        assert (report.notice, report.changed_anything) == (None, False)
        assert archive.search("periodistas", limit=None).total == FILES
    finally:
        archive.close()


async def test_the_reader_says_when_another_process_holds_the_index(tmp_path: Path) -> None:
    cases, index = tmp_path / "cases", tmp_path / "index"
    cases.mkdir()
    (cases / "one.md").write_text("---\nid: ONE\n---\n\nLos periodistas.\n", encoding="utf-8")
    Archive.open(cases, index).refresh()
    (cases / "two.md").write_text("---\nid: TWO\n---\n\nOtra vez.\n", encoding="utf-8")
    writer = FolderLock(index)  # as a build in another process holds it
    assert writer.acquire(wait=0)
    try:
        app = make_app(Config(cases_dir=cases, index_dir=index), live_interval=None)
        async with app.run_test() as pilot:
            await settle(pilot)
            toasts = [(n.title, n.message) for n in app._notifications]
    finally:
        writer.release()
    assert toasts == [("index not updated", BUSY)]
