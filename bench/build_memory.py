"""Where a full build's memory goes (issue 14): the parent's and the workers' RSS over the
build, and what the parent holds at its largest (tracemalloc), on a generated corpus.

    python bench/build_memory.py --size 50000 --work /tmp/casefile-scale
    python bench/build_memory.py --cases /work/corpora/c10000 --work /tmp/somewhere --skip-plain

Two builds of a folder never indexed, each `Archive.open(...).refresh(progress)` in a
child process while this one samples the child's process tree (psutil):
1. untraced: RSS of the parent and each worker against the build's progress;
2. traced (tracemalloc in the parent only; workers stop it when forked): a snapshot each
   time the traced heap has grown 15% (checked at progress calls and every 50 ms by a timer
   signal, so the saves between progress calls are seen), the last (largest) one grouped
   by the innermost casefile line that allocated it.
No thread is started in the child: a second thread would make the build spawn its
workers instead of forking them (casefile.core.archive.processes.start_method).
"""

from __future__ import annotations

import argparse
import json
import linecache
import os
import shutil
import signal
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import corpus

FRAMES = 8


def child(cases: Path, index: Path, traced: bool, out: Path) -> None:
    """The build, logging (seconds, done, total, traced MB) at each progress call."""
    from casefile.core.archive.facade import Archive

    if traced:
        os.register_at_fork(after_in_child=tracemalloc.stop)
        tracemalloc.start(FRAMES)
    started, log = time.perf_counter(), []
    kept: dict[str, Any] = {"mb": 0.0, "snapshot": None, "own": 0.0, "busy": False}

    def grown(*_args: object) -> float:
        """The build's traced MB (a kept snapshot's own objects are traced too: not counted)."""
        now = tracemalloc.get_traced_memory()[0] / 2**20 - kept["own"] if traced else 0.0
        if traced and now > 1.15 * kept["mb"] + 20 and not kept["busy"]:
            kept["busy"], kept["snapshot"], kept["own"] = True, None, 0.0  # a timer signal may come meanwhile
            now = tracemalloc.get_traced_memory()[0] / 2**20
            kept["snapshot"] = tracemalloc.take_snapshot()
            kept["mb"], kept["own"] = now, tracemalloc.get_traced_memory()[0] / 2**20 - now
            kept["busy"] = False
        return now

    def progress(done: int, total: int) -> None:
        log.append((time.perf_counter() - started, done, total, grown()))

    shutil.rmtree(index, ignore_errors=True)
    if traced:  # also between progress calls (the saves): a timer signal, not a thread (see above)
        signal.signal(signal.SIGALRM, grown)
        signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
    Archive.open(cases, index).refresh(progress)
    signal.setitimer(signal.ITIMER_REAL, 0)
    result: dict[str, object] = {"log": log, "seconds": time.perf_counter() - started}
    if traced:
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        result["snapshot_mb"] = kept["mb"]
        result["by_line"] = group(kept["snapshot"])  # type: ignore[arg-type]
    out.write_text(json.dumps(result))


def group(snapshot: tracemalloc.Snapshot) -> list[tuple[str, float, int]]:
    """(where, MB, blocks) by the innermost allocating frame inside casefile (else the innermost)."""
    sizes: Counter[str] = Counter()
    blocks: Counter[str] = Counter()
    for stat in snapshot.statistics("traceback"):
        frames = list(reversed(stat.traceback))  # most recent call first
        mine = next((f for f in frames if "/casefile/" in f.filename), frames[0])
        line = linecache.getline(mine.filename, mine.lineno).strip()[:70]
        where = f"{mine.filename.split('/casefile/')[-1]}:{mine.lineno} {line}"
        sizes[where] += stat.size
        blocks[where] += stat.count
    return [(where, size / 2**20, blocks[where]) for where, size in sizes.most_common(25)]


def sample(cases: Path, index: Path, traced: bool, out: Path) -> list[tuple[float, float, list[float]]]:
    """Run one child build; (seconds, parent MB, [worker MB...]) every 0.1 s."""
    build = psutil.Popen([sys.executable, __file__, "--child", "traced" if traced else "plain",
                          str(cases), str(index), str(out)])
    started, samples = time.perf_counter(), []
    while build.poll() is None:
        try:
            own = build.memory_info().rss / 2**20
            workers = [c.memory_info().rss / 2**20 for c in build.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        samples.append((time.perf_counter() - started, own, workers))
        time.sleep(0.1)
    if build.returncode:
        sys.exit(f"child build failed ({build.returncode})")
    return samples


def timeline(samples: list[tuple[float, float, list[float]]], log: list[list[float]]) -> list[str]:
    """RSS at each tenth of the build's time, beside the progress reached then."""
    rows = ["| s | progress | parent MB | workers MB (each) | tree MB |", "| --- | --- | --- | --- | --- |"]
    end = samples[-1][0]
    for tenth in range(11):
        at = min(samples, key=lambda s: abs(s[0] - end * tenth / 10))
        done = max((entry for entry in log if entry[0] <= at[0]), key=lambda e: e[0], default=[0, 0, 1, 0])
        rows.append(f"| {at[0]:.0f} | {done[1]:,}/{done[2]:,} | {at[1]:.0f} | "
                    f"{' + '.join(f'{w:.0f}' for w in at[2]) or '-'} | {at[1] + sum(at[2]):.0f} |")
    peak = max(samples, key=lambda s: s[1] + sum(s[2]))
    rows.append(f"\npeak tree {peak[1] + sum(peak[2]):.0f} MB at {peak[0]:.0f} s (parent {peak[1]:.0f}, "
                f"workers {' + '.join(f'{w:.0f}' for w in peak[2])}); parent max {max(s[1] for s in samples):.0f} MB")
    return rows


def main() -> None:
    """Both builds, then the timeline and the parent's largest holders."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/casefile-scale"))
    parser.add_argument("--cases", type=Path, help="a case folder to build instead of a generated corpus")
    parser.add_argument("--skip-traced", action="store_true")
    parser.add_argument("--skip-plain", action="store_true", help="only the traced build")
    args = parser.parse_args()
    cases = args.cases or corpus(args.work / f"cases-{args.size}", args.size, 1)
    index, out = args.work / f"memory-index-{args.size}", args.work / f"memory-{args.size}.json"
    if not args.skip_plain:
        samples = sample(cases, index, False, out)
        plain = json.loads(out.read_text())
        print(f"## untraced build of {args.size:,} cases: {plain['seconds']:.0f} s\n")
        print("\n".join(timeline(samples, plain["log"])), flush=True)
    if args.skip_traced:
        return
    sample(cases, index, True, out)
    traced = json.loads(out.read_text())
    print(f"\n## traced parent: heap peak {traced['traced_peak_mb']:.0f} MB; largest snapshot "
          f"{traced['snapshot_mb']:.0f} MB, by allocating line\n\n| where | MB | blocks |\n| --- | --- | --- |")
    for where, mb, count in traced["by_line"]:
        print(f"| `{where}` | {mb:.0f} | {count:,} |")
    shutil.rmtree(index, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[2] == "traced", Path(sys.argv[5]))
    else:
        main()
