"""First open of a folder never indexed: the reader's build beside `casefile index` (issue 11).

    python bench/bench_first_open.py [--size 10000] [--runs 2] [--work DIR]

For the generated folder (bench/corpus.py, as bench_ui.py makes it), each run times, one
after the other on the same machine:

- `casefile index` on an empty index folder, as its own process (interpreter start
  included): the command-line build, wall and CPU seconds (its workers included);
- the real app under Textual's headless driver (`run_test`, folder watch on, as users
  run it) in a fresh process on another empty index folder, with a query typed at
  launch: time to the first painted non-empty results for it, and to the end of the
  build (the refresh worker's end), both from spawning the process; its CPU seconds;
  whether the build failed or showed a toast; the query's total against the command's.

Medians of the runs; the ratio is the app's full build over `casefile index`'s (target
<= 1.2). Nothing here is timed in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERY = "periodistas"
TARGET_RATIO = 1.2


def cli_build(cases: Path, index: Path) -> dict[str, object]:
    """`casefile index` in its own process; wall seconds and the query's total after it."""
    began, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "casefile", "index", "--cases", str(cases), "--index", str(index)],
                   check=True, stdin=subprocess.DEVNULL, capture_output=True)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "cpu": cpu_seconds(resource.RUSAGE_CHILDREN) - cpu,
            "total": query_total(cases, index)}


def cpu_seconds(who: int) -> float:
    """User + system CPU seconds of this process or of its waited-for children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def query_total(cases: Path, index: Path) -> int:
    """The query's total on a built index (no refresh)."""
    from casefile.core.archive.facade import Archive

    archive = Archive.open(cases, index)
    try:
        return archive.search(QUERY, limit=1).total
    finally:
        archive.close()


async def app_build(cases: Path, index: Path, spawned: float) -> dict[str, object]:
    """Child: the app's first open; seconds to first results and to the full index."""
    from bench_ui import PaintClock
    from textual.widgets import Input

    from casefile.config import Config
    from casefile.ui.app import make_app
    from casefile.ui.as_you_type import typing_query

    clock = PaintClock()
    clock.install()
    app = make_app(Config(cases_dir=cases, index_dir=index))
    origin = time.perf_counter() - (time.time() - spawned)  # the spawn, on the paint clock
    first = None
    async with app.run_test(size=(160, 50)) as pilot:
        app.query_one("#query", Input).value = QUERY
        while (worker := app.service._refresh_worker) is None or not worker.is_finished:
            painted = clock.painted.get(typing_query(QUERY))
            if first is None and painted is not None and painted[1] > 0:
                first = painted[0] - origin
            await pilot.pause(0.05)
        full = time.time() - spawned
        state = worker.state.name
        toasts = [n.message for n in app._notifications]
    cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    return {"first": first, "full": full, "cpu": cpu, "state": state, "toasts": toasts}


def run_app(cases: Path, index: Path) -> dict[str, object]:
    """The app's first open in a fresh process."""
    out = subprocess.run([sys.executable, __file__, "--child", "--cases", str(cases), "--index", str(index),
                          "--spawned", repr(time.time())], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if out.returncode:
        sys.exit(f"the app child failed:\n{out.stderr[-4000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["total"] = query_total(cases, index)
    return result


def table(cli: list[dict[str, object]], app: list[dict[str, object]], size: int, files: int) -> None:
    """Print the Markdown table."""
    def med(runs: list[dict[str, object]], key: str) -> float:
        values = [float(r[key]) for r in runs if r[key] is not None]  # type: ignore[arg-type]
        return statistics.median(values) if values else float("nan")

    ratio = med(app, "full") / med(cli, "seconds")
    rows = [
        ("`casefile index`, empty index (s)", f"{med(cli, 'seconds'):.1f}", ""),
        ("app: first results for the typed query (s)", f"{med(app, 'first'):.1f}", ""),
        ("app: full index (s)", f"{med(app, 'full'):.1f}", ""),
        ("app full / `casefile index`", f"{ratio:.2f}", f"<= {TARGET_RATIO}"),
        ("  the same, per run", ", ".join(f"{float(a['full']) / float(c['seconds']):.2f}"  # type: ignore[arg-type]
                                          for a, c in zip(app, cli)), ""),
        ("CPU s (process and workers), command / app", f"{med(cli, 'cpu'):.1f} / {med(app, 'cpu'):.1f}", ""),
        ("  app / command CPU (load-independent)", f"{med(app, 'cpu') / med(cli, 'cpu'):.2f}", ""),
        ("app: build failed / toasts", f"{[r['state'] for r in app]} / {sum(len(r['toasts']) for r in app)}", ""),
        (f"`{QUERY}` total, app vs command", f"{[r['total'] for r in app]} vs {[r['total'] for r in cli]}", "equal"),
    ]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{size:,} cases ({files:,} files), {len(cli)} runs each, medians (load average now {load}):\n")
    print("| figure | measured | target |\n| --- | --- | --- |")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")


def main() -> None:
    """Parent: the corpus, then command and app builds in turn."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "casefile-ui-bench")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--cases", type=Path)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--spawned", type=float)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    if args.child:
        print(json.dumps(asyncio.run(app_build(args.cases, args.index, args.spawned))))
        return
    from bench_ui import ensure_corpus

    cases = ensure_corpus(args.work, args.size)
    cli, app = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(dir=args.work) as scratch:
            cli.append(cli_build(cases, Path(scratch) / "cli"))
            app.append(run_app(cases, Path(scratch) / "app"))
            shutil.rmtree(scratch, ignore_errors=True)
        print(f"run {run + 1}: command {cli[-1]['seconds']:.1f} s, app {app[-1]['full']:.1f} s", file=sys.stderr)
    table(cli, app, args.size, sum(1 for _ in cases.rglob("*.md")))


if __name__ == "__main__":
    main()
