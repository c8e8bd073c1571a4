"""Freshness at scale (issue 14): the no-change check and a one-file refresh.

    python bench/bench_freshness.py [--sizes 10000 50000 100000] [--runs 7] [--parts]
                                    [--corpora /work/corpora] [--work /tmp/casefile-fresh]

For each size, the generated folder `CORPORA/c<size>` is copied to `WORK/c<size>` (the
one-file refresh edits files, so the source is never touched) and indexed once with
`casefile index` (kept between runs; `--rebuild` starts over). Then, medians of `--runs`:

- no-change check, new process: `Archive.open(...).refresh()` in a fresh interpreter,
  timed inside it from before the import of casefile to the report (the walk of the
  folder plus the manifest; Whoosh must stay unimported), and the wall time of the whole
  `casefile index` command (interpreter start included);
- one changed file, path known: one line with a new word appended to a case, then
  `refresh(paths=[it])` and a search for the word, until it is found, in a process that
  has already checked freshness and searched once (as the reader after `$EDITOR`), and
  that froze what its first refresh left alive, as the reader does (gc.freeze). The first
  edit of that process is shown apart (it reads the catalog and opens the index).

With `--parts`, the CPU of each part of a one-file refresh and search (median).
CPU times are shown beside wall times: on a loaded machine they are the steadier figure.
Targets: no-change <= 150 ms at 10k and <= 800 ms at 100k; one file <= 100 ms at every size.
`measure(cases, index, runs)` returns one size's figures for another benchmark's table.
Nothing here is timed in the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PYTHON = sys.executable
NO_CHANGE_PROBE = """
import json, sys, time
started, cpu = time.perf_counter(), time.process_time()
from pathlib import Path
from casefile.core.archive.facade import Archive
report = Archive.open(Path(sys.argv[1]), Path(sys.argv[2])).refresh()
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "changed": report.changed_anything, "files": report.total,
                  "whoosh": "whoosh" in sys.modules}))
"""


def no_change(cases: Path, index: Path, runs: int) -> dict[str, Any]:
    """The no-change check in new processes: inside the process, and `casefile index` whole."""
    inside, cpu, whole, whoosh = [], [], [], False
    for _ in range(runs):
        done = subprocess.run([PYTHON, "-c", NO_CHANGE_PROBE, str(cases), str(index)],
                              capture_output=True, text=True, check=True)
        data = json.loads(done.stdout)
        if data["changed"]:
            raise SystemExit(f"{cases}: the index was not fresh; run once more")
        inside.append(data["seconds"])
        cpu.append(data["cpu"])
        whoosh = whoosh or data["whoosh"]
        started = time.perf_counter()
        subprocess.run([PYTHON, "-m", "casefile", "index", "--cases", str(cases), "--index", str(index)],
                       capture_output=True, check=True, stdin=subprocess.DEVNULL)
        whole.append(time.perf_counter() - started)
    return {"no_change_ms": 1000 * statistics.median(inside), "no_change_cpu_ms": 1000 * statistics.median(cpu),
            "index_cmd_ms": 1000 * statistics.median(whole),
            "imports_whoosh": whoosh}


def word(number: int) -> str:
    """A word no generated case holds, one per edit (letters only: one term, never stemmed apart)."""
    letters = "bcdfghjklmnpqrstvwxz"
    tail = "".join(letters[int(d)] for d in str(number))
    return f"zqxfresh{tail}qz"


def one_edit(archive: Any, cases: Path, target: Path, number: int) -> tuple[float, float, float]:
    """Append a new word to `target`, refresh it by path, search for it: (refresh s, search s, CPU s)."""
    term = word(int(f"{time.time_ns() // 1000}{number}"))  # new on every run of the benchmark
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(f"\nEdited: {term}.\n")
    started, cpu = time.perf_counter(), time.process_time()
    report = archive.refresh(paths=[target.relative_to(cases).as_posix()])
    refreshed = time.perf_counter()
    total = archive.search(term, limit=20).total
    searched = time.perf_counter()
    if report.changed != 1 or total != 1:
        raise SystemExit(f"{target}: changed {report.changed}, found {total} (expected 1 and 1)")
    return refreshed - started, searched - refreshed, time.process_time() - cpu


def one_file(cases: Path, index: Path, runs: int) -> dict[str, Any]:
    """One changed file, path known, until searchable (first edit of the process apart)."""
    from casefile.core.archive.facade import Archive

    targets = sorted(cases.glob("*/*/*.md")) or sorted(cases.rglob("*.md"))
    step = max(1, len(targets) // (runs + 1))
    archive = Archive.open(cases, index)
    try:
        archive.refresh()  # the reader's check at start, then a search: the searcher is open
        archive.search("surveillance", limit=20)
        gc.collect()
        gc.freeze()  # after the first refresh, as the reader does (ui/workers.py): no full collection walks its state
        first = one_edit(archive, cases, targets[0], 0)
        times = [one_edit(archive, cases, targets[(i + 1) * step], i + 1) for i in range(runs)]
    finally:
        archive.close()
    return {"first_edit_ms": 1000 * (first[0] + first[1]),
            "one_file_ms": 1000 * statistics.median(t[0] + t[1] for t in times),
            "one_file_cpu_ms": 1000 * statistics.median(t[2] for t in times),
            "one_file_max_ms": 1000 * max(t[0] + t[1] for t in times),
            "refresh_ms": 1000 * statistics.median(t[0] for t in times),
            "search_ms": 1000 * statistics.median(t[1] for t in times)}


PARTS = [  # (label, module, attribute): where a one-file refresh spends its CPU
    ("catalog and index opened", "casefile.core.archive.indexer", "Indexer._open_for_update"),
    ("index: add", "casefile.core.index.engine", "_Writing.add"),
    ("index: delete", "casefile.core.index.engine", "_Writing.delete"),
    ("index: commit (and merge)", "casefile.core.index.engine", "_Writing.commit"),
    ("cross-reference: update", "casefile.core.xref.store", "XrefStore.take"),
    ("cross-reference: save", "casefile.core.xref.store", "XrefStore.save"),
    ("catalog: save", "casefile.core.archive.catalog_files", "save_catalog"),
    ("catalog: save", "casefile.core.archive.catalog", "save_catalog"),  # before issue 14
    ("manifest: save", "casefile.core.archive.manifest", "save_fresh"),
    ("manifest: save", "casefile.core.archive.catalog", "save_fresh"),  # before issue 14
    ("search: searcher reopened", "casefile.core.index.engine", "WhooshEngine._current"),
    ("search: tag table", "casefile.core.index.engine", "WhooshEngine._tag_table"),
]


def breakdown(cases: Path, index: Path, runs: int) -> dict[str, float]:
    """Median CPU ms of each part of a one-file refresh and search (timers wrap them in this
    process only, while it measures; a part missing from this version of casefile is skipped)."""
    import importlib
    from contextlib import ExitStack
    from unittest import mock

    spent: dict[str, list[float]] = {label: [] for label, _module, _name in PARTS}
    current: dict[str, float] = {}

    def timed(label: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                current[label] = current.get(label, 0.0) + time.process_time() - started
        return wrapper

    with ExitStack() as stack:
        for label, module_name, name in PARTS:
            try:
                owner: Any = importlib.import_module(module_name)
            except ImportError:
                continue
            *outer, attribute = name.split(".")
            for part in outer:
                owner = getattr(owner, part, None)
            if owner is not None and hasattr(owner, attribute):
                stack.enter_context(mock.patch.object(owner, attribute, timed(label, getattr(owner, attribute))))
        from casefile.core.archive.facade import Archive

        targets = sorted(cases.glob("*/*/*.md")) or sorted(cases.rglob("*.md"))
        archive = Archive.open(cases, index)
        try:
            archive.refresh()
            archive.search("surveillance", limit=20)
            gc.collect()
            gc.freeze()  # after the first refresh, as the reader does
            one_edit(archive, cases, targets[1], 0)  # the process's first edit reads the catalog: apart
            for number in range(runs):
                current.clear()
                one_edit(archive, cases, targets[(number + 2) * max(1, len(targets) // (runs + 3))], number + 1)
                for label in spent:
                    spent[label].append(current.get(label, 0.0))
        finally:
            archive.close()
    return {label: 1000 * statistics.median(values) for label, values in spent.items()}


def measure(cases: Path, index: Path, runs: int = 7) -> dict[str, Any]:
    """Every freshness figure for one indexed folder (`cases` is edited: pass a copy)."""
    out = no_change(cases, index, runs)
    out.update(one_file(cases, index, runs))
    no_change(cases, index, 1)  # the edits are indexed: the folder is fresh again
    return out


def prepare(corpora: Path, work: Path, size: int, rebuild: bool) -> tuple[Path, Path, float | None]:
    """A copy of the corpus and its index (built once); the build's seconds when it ran now."""
    source, cases, index = corpora / f"c{size}", work / f"c{size}", work / f"ix{size}"
    if not source.is_dir():
        raise SystemExit(f"no corpus at {source}")
    if not cases.is_dir():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-r", str(source), str(cases)], check=True)
    if rebuild:
        shutil.rmtree(index, ignore_errors=True)
    if index.is_dir():
        return cases, index, None
    started = time.perf_counter()
    subprocess.run([PYTHON, "-m", "casefile", "index", "--cases", str(cases), "--index", str(index)],
                   capture_output=True, check=True, stdin=subprocess.DEVNULL)
    return cases, index, time.perf_counter() - started


def table(results: dict[int, dict[str, Any]]) -> str:
    """The figures as one Markdown table, a column per size."""
    sizes = sorted(results)
    rows = [("files", "files", 0), ("no-change check, new process (ms)", "no_change_ms", 0),
            ("  its CPU (ms)", "no_change_cpu_ms", 0),
            ("`casefile index`, nothing changed, whole process (ms)", "index_cmd_ms", 0),
            ("one file, path known, until searchable: median (ms)", "one_file_ms", 0),
            ("  its CPU (ms)", "one_file_cpu_ms", 0), ("  max (ms)", "one_file_max_ms", 0),
            ("  of which refresh (ms)", "refresh_ms", 0),
            ("  of which search (ms)", "search_ms", 0), ("  first edit of the process (ms)", "first_edit_ms", 0),
            ("no-change check imports Whoosh", "imports_whoosh", 0)]
    rows += [(f"  CPU: {label} (ms)", f"part:{label}", 1) for label in dict.fromkeys(p[0] for p in PARTS)
             if any(f"part:{label}" in results[s] for s in sizes)]
    lines = ["| figure | " + " | ".join(f"{s:,}" for s in sizes) + " |", "|---" * (len(sizes) + 1) + "|"]
    for label, key, digits in rows:
        cells = [results[s].get(key) for s in sizes]
        lines.append(f"| {label} | " + " | ".join(_cell(c, digits) for c in cells) + " |")
    return "\n".join(lines)


def _cell(value: Any, digits: int) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return "" if value is None else str(value)


def main() -> None:
    """Measure every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpora", type=Path, default=Path("/work/corpora"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/casefile-fresh"))
    parser.add_argument("--rebuild", action="store_true", help="index the copies again")
    parser.add_argument("--parts", action="store_true", help="also where a one-file refresh spends its CPU")
    args = parser.parse_args()
    results: dict[int, dict[str, Any]] = {}
    for size in args.sizes:
        cases, index, built = prepare(args.corpora, args.work, size, args.rebuild)
        results[size] = measure(cases, index, args.runs)
        results[size]["files"] = sum(1 for _ in cases.rglob("*.md"))
        if args.parts:
            results[size].update({f"part:{k}": v for k, v in breakdown(cases, index, args.runs).items()})
        print(f"c{size}: {json.dumps(results[size])}" + (f" (built in {built:.0f} s)" if built else ""),
              file=sys.stderr)
    print(table(results))
    print("\ntargets: no-change <= 150 ms at 10k, <= 800 ms at 100k; one file <= 100 ms at every size")


if __name__ == "__main__":
    main()
