"""Benchmark of `casefile export`: the 10k generated corpus as FtM, JSON and CSV.

    python bench/bench_export.py [--sizes 10000] [--work DIR]

The corpus comes from `bench/corpus.py` (`generate`). The index is built once (its time is
shown apart); then each export runs as the user runs it, `casefile export ...` in a new
process on the up-to-date index (interpreter start, the no-change check, reading every
case and writing included), and as `--no-disk-index` (index built in memory first).
Prints one Markdown table; the target is an export of 10k cases in <= 30 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import expected_files, generate

RUNS = [("ftm", ()), ("json", ()), ("csv", ()), ("ftm", ("--query", "tag:pegasus")),
        ("ftm", ("--no-disk-index",))]


def corpus(work: Path, size: int) -> Path:
    """The generated folder of `size` cases (made once, reused while complete)."""
    folder = work / f"cases-{size}"
    if not folder.is_dir() or sum(1 for _ in folder.rglob("*.md")) != expected_files(size):
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, size)
    return folder


PROBE = ("import resource, sys\nfrom casefile.cli import main\ncode = main(sys.argv[1:])\n"
         "use = resource.getrusage(resource.RUSAGE_SELF)\n"
         "sys.stderr.write(f'PEAK {use.ru_maxrss} {use.ru_utime + use.ru_stime}\\n')\nsys.exit(code)")
"""Runs the command line in a new interpreter and reports that process's own peak memory."""


def casefile(*argv: str) -> tuple[float, float, float]:
    """Run `casefile ARGV` in a new process: (seconds, its CPU seconds, its peak memory in MB)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], check=True, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    peak, cpu = next(line.split()[1:] for line in done.stderr.splitlines() if line.startswith("PEAK "))
    return seconds, float(cpu), int(peak) / 1024


def measure(work: Path, size: int, reuse: bool) -> list[str]:
    """Build the index (unless `reuse` and it is there), run every export, return the table's rows."""
    folder, index = corpus(work, size), work / f"index-{size}"
    if not reuse:
        shutil.rmtree(index, ignore_errors=True)
    base = ("--cases", str(folder), "--index", str(index))
    build, build_cpu, _peak = casefile("index", *base)
    rows = [f"| index {'check' if reuse else 'build'} (once, for scale) | {build:.1f} s | {build_cpu:.1f} s | |"]
    for fmt, extra in RUNS:
        out = work / f"export-{size}-{fmt}"
        shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink(missing_ok=True)
        seconds, cpu, peak = casefile("export", "--format", fmt, "--out", str(out), *base, *extra)
        written = sum(p.stat().st_size for p in out.iterdir()) if out.is_dir() else out.stat().st_size
        label = " ".join(("export", "--format", fmt, *extra))
        rows.append(f"| `{label}` | **{seconds:.1f} s** | {cpu:.1f} s "
                    f"| {written / 1e6:.1f} MB, peak RSS {peak:.0f} MB |")
    return rows


def main() -> None:
    """Run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/casefile-export-bench"))
    parser.add_argument("--reuse-index", action="store_true", help="keep an index built by an earlier run")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        print(f"\n### {size:,} cases ({expected_files(size):,} files)\n")
        print(f"load average before: {os.getloadavg()[0]:.1f}\n")
        print("| run (new process) | wall time | CPU time | output |\n|---|---|---|---|")
        print("\n".join(measure(args.work, size, args.reuse_index)), flush=True)


if __name__ == "__main__":
    main()
