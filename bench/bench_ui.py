"""Reader benchmark: launch to first results, keystroke to updated results, peak memory.

    python bench/bench_ui.py [--sizes 10000 50000] [--work DIR] [--pace 0.15]

For each size: generate the corpus once (bench/corpus.py), bring an on-disk index
up to date in a child process, then launch the app headless (Textual pilot) in a
fresh child process and measure:

- first results: from spawning the process to the first painted, non-empty result
  list for a query set at launch (the index is up to date; the app's own freshness
  check runs meanwhile, as at every launch);
- keystroke: from a key press to the result list painted with that query's answer,
  for every key of a scripted query sequence typed at a human pace (`--pace`
  seconds between keys; the next key waits for the previous answer);
  the same keystrokes are split into the time spent in `Archive.search` (the core)
  and the rest (the UI: key handling, worker hop, result list paint);
- peak memory: the app process's maximum resident set size.

Each size is launched `--runs` times (default 3): window and first results are
medians, keystroke percentiles pool every run, peak memory is the highest.

Prints a table; nothing is timed in the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_QUERY = "journalists"
QUERIES = (
    "police",
    "surveillance army",
    "desaparición",
    '"human rights"',
    "investig*",
    "tag:mexico spyware",
    "date:2017 protest",
    "periodistas amenazas",
    "pegasus OR predator",
)
KEY_NAMES = {" ": "space", '"': "quotation_mark", "*": "asterisk", ":": "colon"}
TARGETS = {10_000: (1.5, 100), 50_000: (3.0, 150)}
PEAK_TARGET_MB = 400


def ensure_corpus(work: Path, size: int) -> Path:
    """The generated folder of `size` cases (generated once, then reused)."""
    folder = work / f"corpus-{size}"
    done = folder / ".complete"
    if not done.exists():
        sys.path.insert(0, str(HERE))
        from corpus import generate

        began = time.perf_counter()
        generate(folder, size, seed=1)
        done.write_text("ok")
        print(f"generated {size:,} cases in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    return folder


def run_child(*args: str) -> dict[str, object]:
    """Run this script in a child mode; its last output line is a JSON object."""
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"child {args[1]} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def prepare(cases: Path, index: Path) -> dict[str, object]:
    """Child: bring the on-disk index up to date."""
    from casefile.core.archive.facade import Archive
    from casefile.core.read.folder import DEFAULT_MAX_FILE_BYTES

    began = time.perf_counter()
    archive = Archive.open(cases, index, DEFAULT_MAX_FILE_BYTES)
    archive.refresh()
    return {"seconds": time.perf_counter() - began}


class PaintClock:
    """Records when the result list is first painted after each new answer."""

    def __init__(self) -> None:
        self.painted: dict[str, tuple[float, int]] = {}
        self._waiting: tuple[str, int] | None = None
        self._event = asyncio.Event()

    def install(self) -> None:
        """Wrap ResultList.show_result and render_line."""
        from casefile.ui.widgets.result_list import ResultList

        show, render = ResultList.show_result, ResultList.render_line
        clock = self

        def show_result(widget: ResultList, result: object, **kwargs: object) -> None:
            show(widget, result, **kwargs)  # type: ignore[arg-type]
            if result is not None:
                clock._waiting = (result.query, result.total)  # type: ignore[attr-defined]

        def render_line(widget: ResultList, y: int) -> object:
            if clock._waiting is not None:
                query, total = clock._waiting
                clock.painted[query] = (time.perf_counter(), total)
                clock._waiting = None
                clock._event.set()
            return render(widget, y)

        ResultList.show_result, ResultList.render_line = show_result, render_line  # type: ignore[method-assign]

    async def wait(self, query: str, since: float, timeout: float = 15.0) -> float | None:
        """Seconds from `since` until `query`'s answer was painted (None on timeout)."""
        deadline = time.perf_counter() + timeout
        while (left := deadline - time.perf_counter()) > 0:
            stamp = self.painted.get(query)
            if stamp is not None and stamp[0] >= since:
                return stamp[0] - since
            self._event.clear()  # woken by the paint hook: no polling to compete with the search thread
            try:
                await asyncio.wait_for(self._event.wait(), left)
            except TimeoutError:
                break
        return None


async def measure_app(cases: Path, index: Path, spawned: float, pace: float,
                      width: int = 160) -> dict[str, object]:
    """Child: launch the app on an up-to-date index and time it."""
    from textual.widgets import Input

    from casefile.config import Config
    from casefile.ui.app import make_app
    from casefile.ui.as_you_type import typing_query  # what the search bar sends while typing

    clock = PaintClock()
    clock.install()
    core = time_core_searches()
    app = make_app(Config(cases_dir=cases, index_dir=index))  # with the folder watch, as users run it
    latencies: list[float] = []
    core_times: list[float] = []
    misses = 0
    async with app.run_test(size=(width, 50)) as pilot:
        window = time.time() - spawned
        query = app.query_one("#query", Input)
        mark = time.perf_counter()
        query.value = FIRST_QUERY
        first = await clock.wait(typing_query(FIRST_QUERY), mark)
        first_total = clock.painted.get(typing_query(FIRST_QUERY), (0.0, 0))[1]
        first_results = time.time() - spawned if first is not None else None
        await app.workers.wait_for_complete()
        for text in QUERIES:
            query.value = ""
            await clock.wait("", time.perf_counter())
            typed = ""
            for char in text:
                typed += char
                began = time.perf_counter()
                await pilot.press(KEY_NAMES.get(char, char))
                took = await clock.wait(typing_query(typed), began)
                if took is None:
                    misses += 1
                else:
                    latencies.append(took)
                    core_times.append(core.get(typing_query(typed), 0.0))
                await asyncio.sleep(max(0.0, pace - (time.perf_counter() - began)))
    peak_kb = peak_rss_kb()
    return {"window": window, "first_results": first_results, "first_total": first_total,
            "latencies": latencies, "core": core_times, "misses": misses, "peak_mb": peak_kb / 1024}


def time_core_searches() -> dict[str, float]:
    """Record how long `Archive.search` takes per query (to tell core time from UI time)."""
    from casefile.core.archive.facade import Archive

    spent: dict[str, float] = {}
    search = Archive.search

    def timed(archive: Archive, query: str, **kwargs: object) -> object:
        began = time.perf_counter()
        try:
            return search(archive, query, **kwargs)  # type: ignore[arg-type]
        finally:
            spent[query] = time.perf_counter() - began

    Archive.search = timed  # type: ignore[method-assign,assignment]
    return spent


def peak_rss_kb() -> int:
    """This process's peak resident set (VmHWM; ru_maxrss can carry a parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile of `values` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def combine(runs: list[dict[str, object]]) -> dict[str, object]:
    """Several launches as one: median window and first results, all keystrokes, highest peak."""
    firsts = [r["first_results"] for r in runs if isinstance(r["first_results"], float)]
    return {
        "window": statistics.median(float(r["window"]) for r in runs),  # type: ignore[arg-type]
        "first_results": statistics.median(firsts) if firsts else None,
        "latencies": [v for r in runs for v in r["latencies"]],  # type: ignore[attr-defined]
        "core": [v for r in runs for v in r["core"]],  # type: ignore[attr-defined]
        "misses": sum(int(r["misses"]) for r in runs),  # type: ignore[call-overload]
        "peak_mb": max(float(r["peak_mb"]) for r in runs),  # type: ignore[arg-type]
    }


def row(size: int, prepared: dict[str, object], measured: dict[str, object]) -> list[str]:
    """One table row."""
    lat = [v * 1000 for v in measured["latencies"]]  # type: ignore[union-attr]
    core = [v * 1000 for v in measured["core"]]  # type: ignore[union-attr]
    ui = [total - inside for total, inside in zip(lat, core, strict=True)]
    first = measured["first_results"]
    first_target, key_target = TARGETS.get(size, (None, None))
    return [
        f"{size:,}", f"{prepared['seconds']:.1f} s", f"{measured['window']:.2f} s",
        f"{first:.2f} s" if isinstance(first, float) else "timeout",
        f"≤ {first_target} s" if first_target else "",
        f"{statistics.median(lat):.0f} ms" if lat else "-",
        f"{percentile(lat, 0.95):.0f} ms" if lat else "-",
        f"≤ {key_target} ms" if key_target else "",
        f"{percentile(core, 0.95):.0f} ms" if core else "-",
        f"{statistics.median(ui):.0f} / {percentile(ui, 0.95):.0f} ms" if ui else "-",
        f"{len(lat)}" + (f" ({measured['misses']} lost)" if measured["misses"] else ""),
        f"{measured['peak_mb']:.0f} MB", f"≤ {PEAK_TARGET_MB} MB",
    ]


HEADER = ["cases", "index to date", "window", "first results", "target", "key p50", "key p95",
          "target", "of which search p95", "UI p50 / p95", "keys", "peak RSS", "target"]


def print_table(rows: list[list[str]]) -> None:
    """A Markdown table."""
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    """Parent: corpora, indexes, one app process per size, the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "casefile-ui-bench")
    parser.add_argument("--pace", type=float, default=0.15, help="seconds between two keys")
    parser.add_argument("--width", type=int, default=160,
                        help="terminal columns (under 150 the cross-reference pane is hidden)")
    parser.add_argument("--runs", type=int, default=3, help="app launches per size (medians reported)")
    parser.add_argument("--child", choices=["prepare", "measure"])
    parser.add_argument("--cases", type=Path)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--spawned", type=float)
    args = parser.parse_args()
    if args.child == "prepare":
        print(json.dumps(prepare(args.cases, args.index)))
        return
    if args.child == "measure":
        print(json.dumps(asyncio.run(measure_app(args.cases, args.index, args.spawned, args.pace, args.width))))
        return
    rows = []
    for size in args.sizes:
        cases = ensure_corpus(args.work, size)
        index = args.work / f"index-{size}"
        prepared = run_child("--child", "prepare", "--cases", str(cases), "--index", str(index))
        runs = [run_child("--child", "measure", "--cases", str(cases), "--index", str(index),
                          "--spawned", repr(time.time()), "--pace", str(args.pace), "--width", str(args.width))
                for _ in range(args.runs)]
        rows.append(row(size, prepared, combine(runs)))
        print(f"{size:,} done", file=sys.stderr)
    print_table(rows)


if __name__ == "__main__":
    main()
