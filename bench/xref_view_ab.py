"""`casefile xref NAME` in new processes: a base checkout against this tree, the view absent and present.

    python bench/xref_view_ab.py --cases DIR --index DIR --name NAME [--base-src DIR] [--rounds N]

Each round runs the base (its `src` first on PYTHONPATH, when given), then this tree with the
view files removed (cold: the whole cross-reference is computed, and the view written), then
this tree again (warm: answered from the view). Prints wall and CPU (user + sys) time, peak
RSS and the load average; the index must be up to date (the base reads it as it is).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

Row = tuple[float, float, float]
"""(wall ms, CPU ms, peak RSS MB)."""


def run(cases: str, index: Path, name: str, base_src: str | None) -> Row:
    """One `casefile xref NAME` in a new process."""
    env = dict(os.environ)
    if base_src:
        env["PYTHONPATH"] = base_src
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "casefile", "xref", "--cases", cases, "--index", str(index), name],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(child.pid, 0)
    if status:
        sys.exit(f"casefile xref failed ({status})")
    return (time.perf_counter() - began) * 1000, (usage.ru_utime + usage.ru_stime) * 1000, usage.ru_maxrss / 1024


def main() -> None:
    """Run the rounds and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", required=True)
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--name", required=True)
    parser.add_argument("--base-src", help="the base checkout's src folder")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[Row]] = {"base": [], "cold": [], "warm": []}
    for number in range(args.rounds):
        if args.base_src:
            rows["base"].append(run(args.cases, args.index, args.name, args.base_src))
        for view in args.index.glob("xref-view-*"):
            view.unlink()
        rows["cold"].append(run(args.cases, args.index, args.name, None))
        rows["warm"].append(run(args.cases, args.index, args.name, None))
        print(f"round {number}: load {os.getloadavg()[0]:.1f}", flush=True)
    for kind, found in rows.items():
        if found:
            print(f"{kind}: wall {statistics.median(r[0] for r in found):.0f} ms, "
                  f"cpu {statistics.median(r[1] for r in found):.0f} ms, peak {max(r[2] for r in found):.0f} MB")


if __name__ == "__main__":
    main()
