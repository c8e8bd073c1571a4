"""The measuring steps of bench_scale.py, each through a public entry point (the CLI or
`Archive`), so they survive moves inside casefile.core.

Every step that the issue asks "in a new process" runs in a new process; memory is the
resident set of the processes measured (psutil), never of this one.
"""

from __future__ import annotations

import itertools
import json
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import FRESH_PROBE, POLL_PROBE, PYTHON, QUERY_PROBE, _one_change, percentile, timed_process

CASEFILE = str(Path(PYTHON).parent / "casefile")
SAMPLE_S = 0.05
"""How often the build's process tree is sampled."""
LIST_EVERY = 10
"""Samples between two listings of the tree's processes: a listing reads every process of the
machine (~4 s of CPU over a 10k build when done at each sample, taken from the build on 2 cores)."""


def cli(*args: str) -> list[str]:
    """A casefile command line (the venv's entry point when there is one)."""
    return [CASEFILE, *args] if Path(CASEFILE).exists() else [PYTHON, "-m", "casefile", *args]


def _tree_rss(parent: psutil.Process, children: list[psutil.Process]) -> tuple[int, int, list[int]]:
    """(sum of RSS, parent's RSS, each listed descendant's RSS) now, in bytes."""
    try:
        own = parent.memory_info().rss
    except psutil.NoSuchProcess:
        return 0, 0, []
    sizes = []
    for child in children:
        try:
            sizes.append(child.memory_info().rss)
        except psutil.NoSuchProcess:
            continue
    return own + sum(sizes), own, sizes


def _descendants(parent: psutil.Process) -> list[psutil.Process]:
    """The processes below `parent` now (a scan of every process on the machine: not each sample)."""
    try:
        return parent.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def measure_build(cases: Path, index: Path) -> dict[str, float]:
    """A plain `casefile index` on a folder never indexed, nothing else run beside it: rate,
    CPU (user + sys of the whole tree, workers included) and the tree's peak RSS (sampled
    every SAMPLE_S; parent and workers apart)."""
    shutil.rmtree(index, ignore_errors=True)
    peak = {"tree": 0, "parent": 0, "workers": 0, "worker": 0}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        build = psutil.Popen(cli("index", "--cases", str(cases), "--index", str(index), "--json"),
                             stdout=out, stderr=err)
        children: list[psutil.Process] = []
        for tick in itertools.count():
            if build.poll() is not None:
                break
            if tick % LIST_EVERY == 0:
                children = _descendants(build)
            tree, own, workers = _tree_rss(build, children)
            if tree > peak["tree"]:
                peak["tree"], peak["workers"] = tree, sum(workers)
            peak["parent"] = max(peak["parent"], own)
            peak["worker"] = max([peak["worker"], *workers])
            time.sleep(SAMPLE_S)
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and every worker it reaped
        out.seek(0), err.seek(0)
        if build.returncode:
            sys.exit(f"casefile index failed ({build.returncode}):\n{err.read()[-3000:]}")
        report = json.loads(out.read())
    mb = {f"build_{key}_mb": value / 2**20 for key, value in peak.items()}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"build_s": seconds, "build_rate": report["total"] / seconds, "build_cpu_s": cpu, **mb}


def measure_first_results(cases: Path, index: Path) -> float:
    """Seconds until a second process, polling `Archive.search` from the start, first finds
    results while `casefile index` builds a folder never indexed. A run of its own: the
    poller takes CPU from the build, so the build's rate is measured apart (measure_build);
    the build is interrupted once results are found, and its index removed."""
    shutil.rmtree(index, ignore_errors=True)
    poller = subprocess.Popen([PYTHON, "-c", POLL_PROBE, str(cases), str(index), str(time.time())],
                              stdout=subprocess.PIPE, text=True)
    build = subprocess.Popen(cli("index", "--cases", str(cases), "--index", str(index), "--json"),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        found = float(poller.communicate(timeout=600)[0])
    finally:
        build.send_signal(signal.SIGINT)  # as Ctrl-C: the build stops cleanly
        try:
            build.wait(timeout=120)
        except subprocess.TimeoutExpired:
            build.kill()
            build.wait()
        shutil.rmtree(index, ignore_errors=True)
    return found


def measure_fresh(cases: Path, index: Path, runs: int = 3) -> float:
    """Median ms of a no-change freshness check in a new process (interpreter start included)."""
    return 1000 * statistics.median(timed_process(FRESH_PROBE, str(cases), str(index))[0] for _ in range(runs))


def measure_queries(cases: Path, index: Path, queries: dict[str, list[str]], limit: int) -> dict[str, object]:
    """Every query kind's p50 / p95 (total and tag facets included) in a fresh process,
    and that process's peak RSS."""
    _seconds, probe = timed_process(QUERY_PROBE, str(cases), str(index), json.dumps(queries), str(limit))
    data = json.loads(probe)
    return {"query_peak_mb": data["peak_mb"], "open_ms": 1000 * data["open"],
            "queries": {kind: (percentile(v, 0.5), percentile(v, 0.95)) for kind, v in data["timings"].items()}}


def most_mentioned(cases: Path, index: Path) -> str:
    """The entity with the most cases (listed, linked or mentioned), by `casefile entities`."""
    done = subprocess.run(cli("entities", "--cases", str(cases), "--index", str(index), "--json"),
                          capture_output=True, text=True, check=True)
    rows = json.loads(done.stdout)["entities"]
    return max(rows, key=lambda row: (row["cases"], row["mentions"]))["name"]


def measure_xref(cases: Path, index: Path, runs: int = 3) -> dict[str, object]:
    """`casefile xref NAME` for the most-mentioned entity: median wall ms of new processes."""
    name = most_mentioned(cases, index)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cli("xref", "--cases", str(cases), "--index", str(index), name),
                       capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return {"xref_ms": 1000 * statistics.median(times), "xref_name": name}


def measure_one_change(cases: Path, index: Path, runs: int = 8) -> float:
    """Median ms of `refresh(paths=[file])` after appending to one case, in an open archive
    (as the reader after $EDITOR); the files are put back as they were afterwards."""
    from casefile.core.archive.facade import Archive

    targets = sorted(cases.glob("*/*/*.md"))[3::7][: runs + 1]
    saved = {path: path.read_bytes() for path in targets}
    archive = Archive.open(cases, index)
    try:
        _one_change(archive, cases, targets[0], True)  # warm: the catalog and index are loaded once
        times = [_one_change(archive, cases, path, True) for path in targets[1:]]
    finally:
        archive.close()
        for path, data in saved.items():
            path.write_bytes(data)
    return 1000 * statistics.median(times)


def measure_reader(cases: Path, index: Path, runs: int) -> dict[str, float]:
    """bench_ui's launch in a 160-column terminal (the cross-reference pane shown):
    keystroke -> results p50 / p95 and the app's peak RSS."""
    from bench_ui import combine, run_child
    from bench_ui import percentile as nearest

    launches = [run_child("--child", "measure", "--cases", str(cases), "--index", str(index),
                          "--spawned", repr(time.time()), "--pace", "0.15", "--width", "160")
                for _ in range(runs)]
    both = combine(launches)
    keys = [1000 * v for v in both["latencies"]]  # type: ignore[union-attr]
    return {"key_p50_ms": statistics.median(keys), "key_p95_ms": 1000 * nearest(both["latencies"], 0.95),
            "reader_peak_mb": float(both["peak_mb"]), "key_misses": float(both["misses"])}  # type: ignore[arg-type]
