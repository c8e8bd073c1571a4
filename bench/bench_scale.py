"""Scale benchmark (issue 14): every target figure at 10k, 50k and 100k cases in one table,
beside SQLite FTS5 and `rg` on the same corpus in the same run.

    pip install -e '.[bench]'
    python bench/bench_scale.py                                  # 10k, 50k and 100k
    python bench/bench_scale.py --sizes 2000 --skip-ui           # a quick look
    python bench/bench_scale.py --work ~/scale                   # corpora kept for the next run

Corpora (bench/corpus.py) are generated once under --work and reused; indexes are built
again every run. Each casefile cell says whether its target is met (✓ / ✗). The raw
figures go to --work/scale-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_run
from bench_search import QUERIES, bench_fts, bench_rg, corpus, rare_words
from corpus import ORGS, PEOPLE, PLACES

SCALE_QUERIES = {
    **QUERIES,
    "prefix, 1-2 letters": ["p*", "d*", "de*", "ma*", "s*"],
    "entity": [f'entity:"{name}"' for name in (PEOPLE[0], PEOPLE[4], ORGS[0], ORGS[7], PLACES[1])],
}
"""bench_search's kinds, plus body prefixes of one or two letters and entity filters."""
QUERY_P95_MS = 100
RG_RATIO = 20


def fresh_target(size: int) -> float:
    """No-change check bound: 150 ms at 10k, 800 ms at 100k, linear between (and beyond)."""
    return max(150.0, 150 + (size - 10_000) * 650 / 90_000)


ROWS: list[tuple[str, str, str, object, int]] = [
    # label, key, target as printed, check(value, size) -> met, digits
    ("full build (cases/s, 2 cores)", "build_rate", "≥ 500", lambda v, n: v >= 500, 0),
    ("full build (s)", "build_s", "", None, 1),
    ("full build, CPU of the whole tree (s, user + sys)", "build_cpu_s", "", None, 1),
    ("  load average (1 min) when the build started", "build_load", "", None, 1),
    ("build peak RSS, whole tree (MB, sampled)", "build_tree_mb", "≤ 500", lambda v, n: v <= 500, 0),
    ("  of which the parent / the workers at that moment (MB)", "build_split", "", None, 0),
    ("  largest single worker (MB)", "build_worker_mb", "", None, 0),
    ("  peak ÷ the smallest size's peak", "build_flat", "≤ 1.2", lambda v, n: v <= 1.2, 2),
    ("first searchable results, never indexed (s)", "first_results_s", "≤ 5", lambda v, n: v <= 5, 1),
    ("no-change freshness check, new process (ms)", "fresh_ms", "≤ 150 at 10k … ≤ 800 at 100k",
     lambda v, n: v <= fresh_target(n), 0),
    ("one changed file, refresh(paths=...) until searchable (ms)", "one_known_ms", "≤ 100",
     lambda v, n: v <= 100, 0),
    ("open index in a new process + first query (ms)", "open_ms", "", None, 0),
    ("query process peak RSS (MB)", "query_peak_mb", "≤ 250", lambda v, n: v <= 250, 0),
    ("reader: keystroke → results p50 (ms)", "key_p50_ms", "", None, 0),
    ("reader: keystroke → results p95 (ms)", "key_p95_ms", "≤ 150", lambda v, n: v <= 150, 0),
    ("reader: peak RSS, xref pane shown (MB)", "reader_peak_mb", "≤ 400", lambda v, n: v <= 400, 0),
    ("`casefile xref NAME`, most-mentioned entity (ms, new process)", "xref_ms", "≤ 300",
     lambda v, n: v <= 300, 0),
]


def cell(value: object, digits: int, check: object = None, size: int = 0) -> str:
    """One table cell, with ✓ / ✗ when there is a target."""
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    text = f"{value:,.{digits}f}"
    if check is not None:
        text += " ✓" if check(value, size) else " ✗"  # type: ignore[operator]
    return text


def table(results: dict[int, dict[str, dict]], loads: dict[int, str]) -> str:
    """The issue's table: one casefile, rg and FTS5 column per size, a target column."""
    sizes = sorted(results)
    names = [f"{n // 1000}k" for n in sizes]
    head = ["figure", "target", *(f"casefile {s}" for s in names), *(f"rg {s}" for s in names),
            *(f"FTS5 {s}" for s in names)]
    lines = ["load average (1 min) at start / end: " + "; ".join(f"{n // 1000}k {loads[n]}" for n in sizes),
             f"(2 cores; query limit {results[sizes[0]]['casefile']['limit']}, total and tag facets included)", "",
             "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for label, key, target, check, digits in ROWS:
        own = [cell(results[n]["casefile"].get(key), digits, check, n) for n in sizes]
        refs = [cell(results[n][tool].get(key), digits) if key == "build_rate" else "" for tool in ("rg", "fts")
                for n in sizes]
        lines.append("| " + " | ".join([label, target, *own, *refs]) + " |")
    lines += query_rows(results, sizes)
    return "\n".join(lines)


def query_rows(results: dict[int, dict[str, dict]], sizes: list[int]) -> list[str]:
    """p50 / p95 per query kind (target on p95), then rg's p50 over casefile's."""
    def pair(value: object) -> str:
        return f"{value[0]:.0f} / {value[1]:.0f}" if value else "n/a"  # type: ignore[index]

    lines, ratios = [], []
    for kind in SCALE_QUERIES:
        mine = [results[n]["casefile"]["queries"].get(kind) for n in sizes]
        own = [pair(v) + (" ✓" if v[1] <= QUERY_P95_MS else " ✗") for v in mine]
        refs = [pair(results[n][tool].get(kind)) for tool in ("rg", "fts") for n in sizes]
        lines.append("| " + " | ".join([f"query p50 / p95 (ms): {kind}", f"p95 ≤ {QUERY_P95_MS}",
                                         *own, *refs]) + " |")
        rg = [results[n]["rg"].get(kind) for n in sizes]
        if any(rg):
            shown = [f"{r[0] / max(v[0], 0.1):.1f}x" + (" ✓" if r[0] / max(v[0], 0.1) >= RG_RATIO else " ✗")
                     if r else "n/a" for r, v in zip(rg, mine)]
            ratios.append("| " + " | ".join([f"rg ÷ casefile at p50: {kind}", f"≥ {RG_RATIO}x",
                                             *shown, *[""] * (2 * len(sizes))]) + " |")
    return lines + ratios


def measure(size: int, work: Path, seed: int, limit: int, ui_runs: int) -> dict[str, dict]:
    """Every figure for one size: casefile's, then rg's and FTS5's on the same corpus."""
    cases = corpus(work / f"cases-{size}", size, seed)
    index = work / f"index-{size}"
    queries = {**SCALE_QUERIES, "rare term": rare_words(cases)}
    say = lambda what: print(f"[{size}] {what}", file=sys.stderr, flush=True)  # noqa: E731
    say("first results (a build of its own, with a polling search beside it)")
    own: dict[str, object] = {"limit": limit, "first_results_s": scale_run.measure_first_results(cases, index)}
    say("build (plain: nothing else runs beside it)")
    own["build_load"] = os.getloadavg()[0]
    own.update(scale_run.measure_build(cases, index))
    own["build_split"] = f"{own['build_parent_mb']:.0f} / {own['build_workers_mb']:.0f}"
    say("freshness, queries, xref")
    own["fresh_ms"] = scale_run.measure_fresh(cases, index)
    own.update(scale_run.measure_queries(cases, index, queries, limit))
    own.update(scale_run.measure_xref(cases, index))
    if ui_runs:
        say("reader")
        own.update(scale_run.measure_reader(cases, index, ui_runs))
    say("one changed file")
    own["one_known_ms"] = scale_run.measure_one_change(cases, index)
    say("rg, FTS5")
    return {"casefile": own, "rg": bench_rg(cases, queries), "fts": bench_fts(cases, work, queries)}


def main() -> None:
    """Corpora as needed, every size measured, one table printed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,50000,100000", help="comma-separated case counts")
    parser.add_argument("--work", type=Path, default=None, help="keeps corpora between runs (default: a temp dir)")
    parser.add_argument("--skip-ui", action="store_true", help="leave out the reader's rows")
    parser.add_argument("--ui-runs", type=int, default=3, help="reader launches per size")
    parser.add_argument("--limit", type=int, default=20, help="results per query (the CLI's default)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="casefile-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results, loads = {}, {}
    for size in sorted(int(s) for s in args.sizes.split(",")):
        before = os.getloadavg()[0]
        results[size] = measure(size, work, args.seed, args.limit, 0 if args.skip_ui else args.ui_runs)
        loads[size] = f"{before:.1f} / {os.getloadavg()[0]:.1f}"
        (work / "scale-results.json").write_text(json.dumps(  # kept size by size: a long run may be cut short
            {"when": time.ctime(), "loads": loads, "results": results}, indent=1, default=str))
    smallest = results[min(results)]["casefile"]["build_tree_mb"]
    for size in results:
        results[size]["casefile"]["build_flat"] = results[size]["casefile"]["build_tree_mb"] / smallest
    print(table(results, loads))


if __name__ == "__main__":
    main()
