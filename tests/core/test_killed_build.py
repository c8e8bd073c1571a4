"""A build killed at any moment leaves no process behind, no lock held and no silently partial index.

Each build runs as its own process group (tests/core/build_driver.py: the real `casefile
index --rebuild` with worker processes on a small folder), is killed (the parent only, or
the whole group) at a random moment, and the next refresh and search must give what a
clean build gives.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from safety.helpers import offline_env

from casefile.core.archive.facade import Archive
from casefile.core.archive.lock import FolderLock

DRIVER = Path(__file__).with_name("build_driver.py")
FILES = 240
GONE_WITHIN = 3.0
"""Seconds a worker may outlive its killed parent (it checks every 0.25 s)."""


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FILES cases of ~2 KB, all naming the same word, each with a word of its own (a worker's
    results are then more than a pipe holds: an orphan worker blocks, as on a real folder)."""
    folder = tmp_path_factory.mktemp("killed") / "cases"
    folder.mkdir()
    filler = " ".join(f"palabra{n % 97}" for n in range(200))
    for number in range(FILES):
        (folder / f"case-{number:04d}.md").write_text(
            f"---\nid: k-{number}\ntitle: Case {number}\n---\n\nLos periodistas y w{number}x.\n\n{filler}\n")
    return folder


def start(cases: Path, index: Path, *mode: str) -> subprocess.Popen[str]:
    """The driver, in a process group of its own."""
    return subprocess.Popen([sys.executable, str(DRIVER), str(cases), str(index), *mode], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=offline_env(),
                            start_new_session=True)


def workers_of(proc: subprocess.Popen[str], kind: str = "worker", wanted: int = 2) -> list[int]:
    """Read the driver's output until `wanted` processes of `kind` have started (the first
    stage's workers, or the entity sniffers); their pids."""
    assert proc.stdout is not None
    pids: list[int] = []
    while len(pids) < wanted:
        line = proc.stdout.readline()
        assert line, f"the build ended before {wanted} {kind}s started"
        if line.startswith(f"{kind} "):
            pids.append(int(line.split()[1]))
    return pids


def group_members(group: int) -> list[int]:
    """The running processes of a process group (zombies waiting for a reaper do not count)."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, NotADirectoryError, ProcessLookupError):
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            found.append(int(name))
    return found


def left_after(group: int, seconds: float) -> list[int]:
    """The processes of the group still running after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and group_members(group):
        time.sleep(0.05)
    return group_members(group)


def answer(cases: Path, index: Path) -> tuple[int, int, str | None]:
    """(hits for the common word, hits for one file's own word, the refresh notice) after a refresh."""
    archive = Archive.open(cases, index)
    try:
        report = archive.refresh(wait=10)
        return archive.search("periodistas", limit=None).total, archive.search("w123x").total, report.notice
    finally:
        archive.close()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("group", [False, True], ids=["parent-only", "whole-group"])
def test_a_killed_build_leaves_nothing_running_and_the_next_search_is_complete(
        cases: Path, tmp_path: Path, group: bool) -> None:
    clean = answer(cases, tmp_path / "clean")
    assert clean == (FILES, 1, None)
    moments = random.Random(11 + group)
    for attempt in range(3):
        index = tmp_path / f"index-{attempt}"
        proc = start(cases, index)
        try:
            workers_of(proc)
            time.sleep(moments.uniform(0.0, 1.5))  # workers run ~1.2 s per stage
            os.killpg(proc.pid, signal.SIGKILL) if group else proc.kill()
            proc.wait()
            assert left_after(proc.pid, GONE_WITHIN) == [], "workers outlived their killed parent"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # what is left of this build, if the test failed
        lock = FolderLock(index)
        assert lock.acquire(wait=1.0), "the index folder is still locked after the build was killed"
        lock.release()
        assert answer(cases, index) == clean


def test_a_lock_holder_s_forked_child_does_not_keep_the_lock(tmp_path: Path) -> None:
    code = ("import os, sys, time; from pathlib import Path; from casefile.core.archive.lock import FolderLock\n"
            "lock = FolderLock(Path(sys.argv[1])); assert lock.acquire(1)\n"
            "child = os.fork()\n"
            "if child == 0: time.sleep(30); os._exit(0)\n"
            "print(child, flush=True)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                              env=offline_env())
    assert holder.stdout is not None
    child = int(holder.stdout.readline())
    assert holder.wait(timeout=30) == 0
    try:
        lock = FolderLock(tmp_path)
        assert child in group_members(os.getpgid(child)) and lock.acquire(wait=0.5), \
            "the holder died, but its child kept the lock"
        lock.release()
    finally:
        os.kill(child, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize(("kind", "delay"), [("sniffer", 0.2), ("worker", 0.0), ("worker", 0.6)])
def test_ctrl_c_during_a_build_prints_no_traceback(cases: Path, tmp_path: Path, kind: str, delay: float) -> None:
    proc = start(cases, tmp_path / "index")
    try:
        workers_of(proc, kind)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends the whole foreground group
        out, err = proc.communicate(timeout=30)
        assert left_after(proc.pid, GONE_WITHIN) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in err, err
    assert "done 130" in out.splitlines()  # the command's own exit code for Ctrl-C
