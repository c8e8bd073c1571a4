"""Search benchmark: casefile's Whoosh index against rg and SQLite FTS5 on the same corpus.

    python bench/bench_search.py                 # 10k and 50k cases
    python bench/bench_search.py --sizes 2000    # a quick run

Prints one Markdown table (and writes the raw figures as JSON next to the corpora).
Every timed step that the issue asks "in a new process" runs in a new process.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import expected_files, generate

QUERIES = {
    "common term": ["government", "investigación", "periodistas", "security", "derechos"],
    "rare term": [],  # filled from the corpus
    "two terms": ["surveillance journalists", "fiscalía pruebas", "phone spyware", "derechos humanos",
                  "police evidence"],
    "phrase": ['"human rights"', '"derechos humanos"', '"freedom of expression"', '"de la"',
               '"the government"'],
    "prefix": ["gov*", "inv*", "pe*", "sur*", "de*"],
    "fuzzy": ["survelance~", "goverment~", "periodista~2", "investigacion~", "jounalists~"],
    "tag filter": ["tag:mexico", "tag:surveillance spyware", "tag:privacy", "tag:human-rights police",
                   "tag:leaks"],
    "date range": ["date:[2017-01 TO 2017-06]", "date:2019", "date:>2022-06", "date:[2012 TO 2013] police",
                   "date:2015-03"],
    # what the search bar sends while `p`, `de`, `g`, `police d`, `derechos h` are typed (ui/as_you_type.py)
    "typed 1-2 letters": [f"{head}(title:{w}* OR tag:{w}* OR entity:{w}*)"
                          for head, w in (("", "p"), ("", "de"), ("", "g"), ("police ", "d"), ("derechos ", "h"))],
}
PYTHON = sys.executable
QUERY_PROBE = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from casefile.core.archive.facade import Archive
archive = Archive.open(Path(sys.argv[1]), Path(sys.argv[2]))
limit = int(sys.argv[4]) if len(sys.argv) > 4 else 50
first = archive.search("government", limit=limit)
opened = time.perf_counter() - started
queries = json.loads(sys.argv[3])
timings = {}
for kind, texts in queries.items():
    for text in texts:
        archive.search(text, limit=limit)
        for _ in range(5):
            t = time.perf_counter(); archive.search(text, limit=limit)
            timings.setdefault(kind, []).append(time.perf_counter() - t)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # Linux keeps the parent's ru_maxrss across fork+exec; VmHWM is this process's own
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError, ValueError):
    pass
print(json.dumps({"open": opened, "timings": timings, "peak_mb": peak}))
"""
FRESH_PROBE = """
import sys
from pathlib import Path
from casefile.core.archive.facade import Archive
report = Archive.open(Path(sys.argv[1]), Path(sys.argv[2])).refresh()
assert not report.changed_anything, report
print("whoosh" in sys.modules)
"""
POLL_PROBE = """
import sys, time
from pathlib import Path
from casefile.core.archive.facade import Archive
archive = Archive.open(Path(sys.argv[1]), Path(sys.argv[2]))
started = float(sys.argv[3])
errors = set()
while True:
    try:
        if archive.search("government", limit=5).total:
            print(time.time() - started); break
    except Exception as error:  # an index not built yet must not end the poll; said on stderr
        errors.add(f"{type(error).__name__}: {error}")
    time.sleep(0.2)
if errors:
    print("search failed while polling:", *sorted(errors), file=sys.stderr)
"""


def rare_words(folder: Path, n: int = 5) -> list[str]:
    """Long words seen exactly once in a sample of files: rare across the corpus too."""
    counts: Counter[str] = Counter()
    for path in sorted(folder.rglob("*.md"))[:300]:
        counts.update(re.findall(r"[a-zñáéíóú]{9,}", path.read_text(encoding="utf-8").lower()))
    return sorted(word for word, count in counts.items() if count == 1)[:n]


def percentile(values: list[float], q: float) -> float:
    """q-th percentile (0..1) of the values, in ms."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_process(script: str, *args: str) -> tuple[float, str]:
    """Wall time of a new Python process running `script`, and its output."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", script, *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout.strip()


def bench_casefile(cases: Path, index: Path) -> dict[str, object]:
    """Every casefile figure for one corpus."""
    from casefile.core.archive.facade import Archive
    from casefile.core.read.library import walk

    shutil.rmtree(index, ignore_errors=True)
    out: dict[str, object] = {}
    poller = subprocess.Popen([PYTHON, "-c", POLL_PROBE, str(cases), str(index), str(time.time())],
                              stdout=subprocess.PIPE, text=True)
    archive = Archive.open(cases, index)
    started = time.perf_counter()
    report = archive.refresh()
    out["build_s"] = time.perf_counter() - started
    out["build_rate"] = report.total / out["build_s"]
    out["first_results_s"] = float(poller.communicate(timeout=600)[0])
    started = time.perf_counter()
    archive.finish_merge()  # the build's segments, merged in the background (as the app and `index` do)
    out["merge_s"] = time.perf_counter() - started
    import resource

    out["build_peak_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    checks = [timed_process(FRESH_PROBE, str(cases), str(index)) for _ in range(3)]
    out["fresh_ms"] = 1000 * statistics.median(c[0] for c in checks)
    out["fresh_imports_whoosh"] = checks[0][1]
    t = time.perf_counter()
    walk(cases)
    out["walk_ms"] = 1000 * (time.perf_counter() - t)
    targets = sorted(cases.glob("*/*/*.md"))
    out["one_change_ms"] = 1000 * statistics.median(_one_change(archive, cases, targets[i * 7], False)
                                                    for i in range(8))
    out["one_known_ms"] = 1000 * statistics.median(_one_change(archive, cases, targets[i * 7 + 3], True)
                                                   for i in range(8))
    archive.close()
    _seconds, probe = timed_process(QUERY_PROBE, str(cases), str(index), json.dumps(QUERIES))
    data = json.loads(probe)
    out["open_ms"] = 1000 * data["open"]
    out["peak_mb"] = data["peak_mb"]
    out["queries"] = {kind: (percentile(v, 0.5), percentile(v, 0.95)) for kind, v in data["timings"].items()}
    out["size_mb"] = sum(p.stat().st_size for p in index.iterdir() if p.is_file()) / 2**20
    return out


def _one_change(archive: object, cases: Path, target: Path, known: bool) -> float:
    """refresh() after appending a line to one case (walk, diff, read, index, commit, save);
    with `known`, refresh(paths=[it]) as the reader calls it after $EDITOR (no walk).
    Every eighth small commit also merges the small segments: 8 runs include one."""
    with open(target, "a", encoding="utf-8") as handle:
        handle.write("\nEdited again: surveillance.\n")
    paths = [target.relative_to(cases).as_posix()] if known else None
    started = time.perf_counter()
    report = archive.refresh(paths=paths)  # type: ignore[attr-defined]
    assert report.changed == 1, report
    return time.perf_counter() - started


def bench_rg(cases: Path, queries: dict[str, list[str]] = QUERIES) -> dict[str, object]:
    """rg on the same queries, where rg can express them (files containing the words)."""
    rg = shutil.which("rg") or str(Path(PYTHON).parent / "rg")
    if not Path(rg).exists():
        return {}
    def words(q: str) -> list[list[str]]:
        return [[rg, "-l", "-i", "-w", w, str(cases)] for w in q.split()]
    commands = {
        "common term": lambda q: words(q), "rare term": lambda q: words(q),
        "two terms": lambda q: words(q)[:1],
        "phrase": lambda q: [[rg, "-l", "-i", "-F", q.strip('"'), str(cases)]],
        "prefix": lambda q: [[rg, "-l", "-i", "-w", q.rstrip("*") + r"\w*", str(cases)]],
        "tag filter": lambda q: [[rg, "-l", "-i", "^tags:.*" + q.split()[0].split(":")[1], str(cases)]],
        "date range": lambda q: [[rg, "-l", r"^date: 201[79]", str(cases)]],
        "prefix, 1-2 letters": lambda q: [[rg, "-l", "-i", "-w", q.rstrip("*") + r"\w*", str(cases)]],
        "entity": lambda q: [[rg, "-l", "-i", "-F", q.split(":", 1)[1].strip('"'), str(cases)]],
    }
    out: dict[str, object] = {}
    for kind, build in commands.items():
        samples = []
        for text in queries.get(kind, []):
            for _ in range(3):
                t = time.perf_counter()
                for command in build(text):
                    subprocess.run(command, capture_output=True, check=False)
                samples.append(time.perf_counter() - t)
        out[kind] = (percentile(samples, 0.5), percentile(samples, 0.95))
    return out


FTS_QUERIES = {
    "common term": lambda q: ("body MATCH ?", [q]), "rare term": lambda q: ("body MATCH ?", [q]),
    "two terms": lambda q: ("body MATCH ?", [q]),
    "phrase": lambda q: ("body MATCH ?", [q]),
    "prefix": lambda q: ("body MATCH ?", [q]),
    "tag filter": lambda q: ("body MATCH ?", [" AND ".join(
        f'tags:"{w.split(":")[1]}"' if ":" in w else w for w in q.split())]),
    "prefix, 1-2 letters": lambda q: ("body MATCH ?", [q]),
    "entity": lambda q: ("body MATCH ?", [q.split(":", 1)[1]]),  # the name as a phrase
}


def bench_fts(cases: Path, work: Path, queries: dict[str, list[str]] = QUERIES) -> dict[str, object]:
    """SQLite FTS5 (unicode61, accents removed, no stemming): build, size, query latency."""
    from casefile.core.read.library import read_case, walk

    db_path = work / f"fts-{cases.name}.db"
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, tags, body, "
               "tokenize='unicode61 remove_diacritics 2')")
    started = time.perf_counter()
    files = walk(cases).files
    for stat in files:
        case, _ = read_case(cases, stat)
        if case:
            db.execute("INSERT INTO docs VALUES (?, ?, ?, ?)", (case.path, case.title, " ".join(case.tags), case.body))
    db.commit()
    out: dict[str, object] = {"build_rate": len(files) / (time.perf_counter() - started)}
    for kind, make in FTS_QUERIES.items():
        samples = []
        for text in queries.get(kind, []):
            where, params = make(text.replace("*", "") + ("*" if text.endswith("*") else ""))
            for _ in range(4):
                t = time.perf_counter()
                db.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()
                db.execute(f"SELECT path, snippet(docs, 3, '[', ']', '…', 12) FROM docs WHERE {where} "
                           "ORDER BY rank LIMIT 50", params).fetchall()
                samples.append(time.perf_counter() - t)
        out[kind] = (percentile(samples, 0.5), percentile(samples, 0.95))
    db.close()
    out["size_mb"] = db_path.stat().st_size / 2**20
    return out


def fmt(value: object, digits: int = 0) -> str:
    """A table cell."""
    if value is None or value == "":
        return "n/a"
    if isinstance(value, tuple):
        return f"{value[0]:.0f} / {value[1]:.0f}"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def table(results: dict[int, dict[str, dict[str, object]]]) -> str:
    """The Markdown table of the issue, one casefile column per size plus references."""
    sizes = sorted(results)
    head = ["figure"] + [f"casefile {n // 1000}k" for n in sizes] + [f"rg {n // 1000}k" for n in sizes] \
        + [f"FTS5 {n // 1000}k" for n in sizes]
    rows = [head, ["---"] * len(head)]

    def row(label: str, key: str, digits: int = 0, ref: bool = True) -> None:
        cells = [fmt(results[n]["casefile"].get(key), digits) for n in sizes]
        for tool in ("rg", "fts"):
            cells += [fmt(results[n][tool].get(key), digits) if ref else "n/a" for n in sizes]
        rows.append([label, *cells])

    row("full build (cases/s)", "build_rate", 0)
    row("full build (s)", "build_s", 1, ref=False)
    row("first searchable results (s)", "first_results_s", 1, ref=False)
    row("  then the background merge of its segments (s)", "merge_s", 1, ref=False)
    row("no-change freshness check, new process (ms)", "fresh_ms", 0, ref=False)
    row("  of which: walking the folder (ms)", "walk_ms", 0, ref=False)
    row("re-index one changed file + commit (ms, refresh() incl. walk)", "one_change_ms", 0, ref=False)
    row("  the same, path known: refresh(paths=[file]) (ms)", "one_known_ms", 0, ref=False)
    row("open index in a new process + first query (ms)", "open_ms", 0, ref=False)
    for kind in QUERIES:
        cells = [fmt(results[n]["casefile"]["queries"].get(kind)) for n in sizes]  # type: ignore[union-attr]
        cells += [fmt(results[n]["rg"].get(kind)) for n in sizes]
        cells += [fmt(results[n]["fts"].get(kind)) for n in sizes]
        rows.append([f"query p50 / p95 (ms): {kind}", *cells])
    row("index size (MB)", "size_mb", 1)
    row("query-process peak memory (MB)", "peak_mb", 0, ref=False)
    row("build peak memory, largest process (MB)", "build_peak_mb", 0, ref=False)
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def corpus(folder: Path, size: int, seed: int) -> Path:
    """The corpus of `size` cases, generated again unless a complete one is there already
    (a run killed while generating leaves a folder with fewer files)."""
    found = sum(1 for _ in folder.rglob("*.md")) if folder.is_dir() else 0
    if found != expected_files(size):
        if folder.exists():
            print(f"[{size}] {folder} has {found} files, not {expected_files(size)}: generating it again",
                  file=sys.stderr, flush=True)
            shutil.rmtree(folder)
        generate(folder, size, seed)
    return folder


def main() -> None:
    """Generate corpora as needed, run everything, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/casefile-bench"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results: dict[int, dict[str, dict[str, object]]] = {}
    for size in args.sizes:
        cases = corpus(args.work / f"cases-{size}", size, args.seed)
        QUERIES["rare term"] = rare_words(cases)
        print(f"[{size}] corpus ready; casefile...", file=sys.stderr, flush=True)
        results[size] = {"casefile": bench_casefile(cases, args.work / f"index-{size}")}
        print(f"[{size}] rg...", file=sys.stderr, flush=True)
        results[size]["rg"] = bench_rg(cases)
        print(f"[{size}] FTS5...", file=sys.stderr, flush=True)
        results[size]["fts"] = bench_fts(cases, args.work)
        (args.work / f"results-{size}.json").write_text(json.dumps(results[size], indent=1, default=str))
    print(table(results))


if __name__ == "__main__":
    main()
