"""Build memory benchmark: peak RSS of the whole `casefile index` process tree, build rate
and first searchable results, on folders never indexed (issue 14). "cases per CPU s x2" is
the rate two free cores would give if the build kept both busy (the machine is shared).

    python bench/build_tree.py /work/corpora/c10000 [/work/corpora/c50000 ...]

Each folder is indexed by `casefile index` in a new process into a new index folder. The
process tree (the CLI and every worker it starts) is sampled in /proc every 50 ms: peak of
the sum of the resident sets, and peak of the parent alone. `/usr/bin/time -v` would only
see the largest single process. A second process polls `Archive.search()` (no refresh)
until it gets a hit: first searchable results. Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = 0.05
LOAD = " ".join(f"{x:.1f}" for x in os.getloadavg())
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
POLL = """
import sys, time
from pathlib import Path
from casefile.core.archive.facade import Archive
started = float(sys.argv[3])
while True:
    try:
        if Archive.open(Path(sys.argv[1]), Path(sys.argv[2])).search("government", limit=5).total:
            print(time.time() - started); break
    except Exception:  # not built yet
        pass
    time.sleep(0.1)
"""


def children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def rss_mb(pid: int) -> float:
    """Resident set of one process in MB (0 when it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB / 1024
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_of(root: int) -> list[int]:
    """`root` and all its descendants."""
    tree, found, todo = children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += tree.get(pid, [])
    return found


def measure(cases: Path) -> dict[str, float]:
    """Index `cases` into a new folder, sampling the tree; the figures."""
    work = Path(tempfile.mkdtemp(prefix="build-memory-"))
    index = work / "ix"
    cli = Path(sys.executable).with_name("casefile")
    started = time.time()
    build = subprocess.Popen([str(cli), "index", "--index", str(index), "--cases", str(cases), "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    poll = subprocess.Popen([sys.executable, "-c", POLL, str(cases), str(index), str(started)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = parent = 0.0
    most = 0
    while not (ended := os.wait4(build.pid, os.WNOHANG))[0]:
        pids = tree_of(build.pid)
        sizes = [rss_mb(pid) for pid in pids]
        peak, parent, most = max(peak, sum(sizes)), max(parent, sizes[0]), max(most, len(pids))
        time.sleep(SAMPLE)
    seconds = time.time() - started
    build.returncode = os.waitstatus_to_exitcode(ended[1])
    cpu = ended[2].ru_utime + ended[2].ru_stime  # the CLI and every worker it waited for
    out = build.stdout.read() if build.stdout else ""
    try:
        first = float(poll.communicate(timeout=60)[0])
    except (subprocess.TimeoutExpired, ValueError):
        poll.kill()
        first = float("nan")
    shutil.rmtree(work, ignore_errors=True)
    files = sum(1 for _ in cases.rglob("*.md"))
    if build.returncode:
        raise SystemExit(f"casefile index failed ({build.returncode}): {out}")
    return {"files": files, "seconds": seconds, "rate": files / seconds, "peak": peak, "parent": parent,
            "processes": most, "first": first, "cpu": cpu}


def main() -> None:
    """Measure each folder; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args()
    rows = [(folder.name, measure(folder)) for folder in args.folders]
    print(f"load average before: {LOAD}")
    print("| corpus | files | build (s) | cases/s | CPU s, tree | cases per CPU s x2 | peak RSS, tree (MB) "
          "| parent (MB) | processes | first results (s) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in rows:
        print(f"| {name} | {r['files']:.0f} | {r['seconds']:.1f} | {r['rate']:.0f} | {r['cpu']:.0f} | "
              f"{2 * r['files'] / r['cpu']:.0f} | {r['peak']:.0f} | {r['parent']:.0f} | {r['processes']:.0f} | "
              f"{r['first']:.1f} |")


if __name__ == "__main__":
    main()
