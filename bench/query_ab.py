"""A/B of query times by CPU as well as wall time: query_probe.py run alternately with two
interpreters on one index (the index format is the same), per kind p50 / p95 of each.

    python bench/query_ab.py --before /work/main/.venv/bin/python --after .venv/bin/python \\
        --cases /work/corpora/c50000 --index /tmp/ix --rounds 3

On a machine shared with other work, wall times swing with the load; the CPU time of the
query process moves much less.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).resolve().parent / "query_probe.py"


def run(python: str, cases: Path, index: Path, limit: int) -> dict[str, dict[str, list[float]]]:
    """One query_probe run: kind -> wall and CPU seconds of every run."""
    done = subprocess.run([python, str(PROBE), "--cases", str(cases), "--index", str(index), "--limit", str(limit),
                           "--json"], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def cell(values: list[float]) -> str:
    """p50 / p95 in ms."""
    ordered = sorted(v * 1000 for v in values)
    return f"{statistics.median(ordered):.0f} / {ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]:.0f}"


def main() -> None:
    """Alternate the two sides, print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default=sys.executable)
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    found: dict[str, dict[str, dict[str, list[float]]]] = {"before": {}, "after": {}}
    for _ in range(args.rounds):
        for side in ("before", "after"):
            for kind, times in run(getattr(args, side), args.cases, args.index, args.limit).items():
                for what, values in times.items():
                    found[side].setdefault(kind, {}).setdefault(what, []).extend(values)
    print("| kind | wall p50 / p95 before | after | CPU p50 / p95 before | after |\n| --- | --- | --- | --- | --- |")
    for kind in found["before"]:
        b, a = found["before"][kind], found["after"][kind]
        print(f"| {kind} | {cell(b['wall'])} | {cell(a['wall'])} | {cell(b['cpu'])} | {cell(a['cpu'])} |")


if __name__ == "__main__":
    main()
