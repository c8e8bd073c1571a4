"""A/B search benchmark: two checkouts of casefile, each building its own index of the same
corpus, then bench_search's query probe alternating between them (so load drifts hit both).

    python bench/ab_search.py --before /path/to/old/.venv/bin/python --after .venv/bin/python \
        --corpus /work/corpora/c10000 --corpus /work/corpora/c50000 --work /tmp/ab --rounds 3

Prints one table per corpus: build time, then p50 / p95 (ms) per query kind, and the probe's
peak memory, before and after, with the after/before ratio of the medians.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import QUERIES, QUERY_PROBE, rare_words

PROBE = QUERY_PROBE.replace(
    "from casefile.core.archive.facade import Archive",
    "try:\n    from casefile.core.archive.facade import Archive\n"
    "except ImportError:  # a checkout from before the core's folders\n    from casefile.core.archive import Archive")


def build(python: str, cases: Path, index: Path) -> float:
    """Seconds for `casefile index` of a fresh index folder with this interpreter."""
    shutil.rmtree(index, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([python, "-m", "casefile", "index", "--cases", str(cases), "--index", str(index)],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def probe(python: str, cases: Path, index: Path, queries: dict[str, list[str]]) -> dict[str, object]:
    """One run of the query probe (a new process: open, then every query 5 times)."""
    done = subprocess.run([python, "-c", PROBE, str(cases), str(index), json.dumps(queries)],
                          check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout))


def table(cases: Path, builds: dict[str, float], runs: dict[str, list[dict[str, object]]]) -> str:
    """The Markdown table of one corpus."""
    rows = [f"### {cases.name}", "", "| figure | before | after | after / before |", "| --- | --- | --- | --- |",
            f"| full build (s) | {builds['before']:.1f} | {builds['after']:.1f} | "
            f"{builds['after'] / builds['before']:.2f} |"]
    for kind in QUERIES:
        cells, medians = [], []
        for side in ("before", "after"):
            times = sorted(t * 1000 for run in runs[side] for t in run["timings"].get(kind, []))  # type: ignore[attr-defined]
            if not times:
                cells.append("n/a")
                continue
            p50, p95 = statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]
            medians.append(p50)
            cells.append(f"{p50:.0f} / {p95:.0f}")
        ratio = f"{medians[1] / medians[0]:.2f}" if len(medians) == 2 and medians[0] else ""
        rows.append(f"| {kind} p50 / p95 (ms) | {cells[0]} | {cells[1]} | {ratio} |")
    peaks = {side: max(float(run["peak_mb"]) for run in runs[side]) for side in runs}  # type: ignore[arg-type]
    rows.append(f"| query process peak (MB) | {peaks['before']:.0f} | {peaks['after']:.0f} | "
                f"{peaks['after'] / peaks['before']:.2f} |")
    return "\n".join(rows)


def main() -> None:
    """Build with both, probe alternately, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="the old checkout's python")
    parser.add_argument("--after", default=sys.executable, help="this checkout's python")
    parser.add_argument("--corpus", type=Path, action="append", required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="probe the indexes a previous run built")
    args = parser.parse_args()
    queries = {kind: texts for kind, texts in QUERIES.items() if texts}
    queries["rare term"] = rare_words(args.corpus[0])
    for cases in args.corpus:
        sides = {"before": args.before, "after": args.after}
        indexes = {side: args.work / f"{cases.name}-{side}" for side in sides}
        builds = {side: float("nan") if args.reuse and indexes[side].is_dir() else build(python, cases, indexes[side])
                  for side, python in sides.items()}
        runs: dict[str, list[dict[str, object]]] = {"before": [], "after": []}
        for _ in range(args.rounds):
            for side, python in sides.items():
                runs[side].append(probe(python, cases, indexes[side], queries))
        print(table(cases, builds, runs), flush=True)
        print(flush=True)


if __name__ == "__main__":
    main()
