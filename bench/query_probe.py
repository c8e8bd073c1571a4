"""Per-query timings of Archive.search in one persistent process, for work on the evaluator.

    python bench/query_probe.py --cases /work/corpora/c10000 --index /tmp/ix [--limit 20]
        [--kind phrase --kind prefix] [--profile phrase]

Prints p50 / p95 (ms, wall) and CPU ms per query of bench_scale's SCALE_QUERIES (rare terms
taken from the corpus), and with --profile the cProfile of that kind's queries.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import SCALE_QUERIES
from bench_search import rare_words

from casefile.core.archive.facade import Archive


def timings(archive: Archive, text: str, limit: int, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run (after one warm-up)."""
    archive.search(text, limit=limit)
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        archive.search(text, limit=limit)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def main() -> None:
    """Open once, time every query, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kind", action="append", help="only these kinds (default: all)")
    parser.add_argument("--profile", help="cProfile this kind's queries")
    parser.add_argument("--json", action="store_true", help="print every run's wall and CPU seconds per kind")
    args = parser.parse_args()
    queries = dict(SCALE_QUERIES, **{"rare term": rare_words(args.cases)})
    archive = Archive.open(args.cases, args.index)
    archive.search("government", limit=args.limit)
    raw: dict[str, dict[str, list[float]]] = {}
    if not args.json:
        print("| kind | query | p50 | p95 | CPU ms/run |\n| --- | --- | --- | --- | --- |")
    for kind, texts in queries.items():
        if args.kind and kind not in args.kind:
            continue
        for text in texts:
            walls, cpus = timings(archive, text, args.limit, args.runs)
            raw.setdefault(kind, {"wall": [], "cpu": []})["wall"].extend(walls)
            raw[kind]["cpu"].extend(cpus)
            ordered = sorted(w * 1000 for w in walls)
            p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
            if not args.json:
                print(f"| {kind} | `{text}` | {statistics.median(ordered):.0f} | {p95:.0f} | "
                      f"{sum(cpus) * 1000 / args.runs:.0f} |", flush=True)
    if args.json:
        print(json.dumps(raw))
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for text in queries[args.profile]:
            archive.search(text, limit=args.limit)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
