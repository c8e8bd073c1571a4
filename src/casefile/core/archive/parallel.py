"""Index a big batch of files in worker processes, each writing segments of its own.

Each worker reads and parses its share of the files and sends back plain data (per file
its catalog entry and what the cross-reference needs: no Case), then indexes them (every
step per file runs there, not only Whoosh's) and writes its segments without the index
lock (index/batch.py). Parsing first lets the parent update the cross-reference, which
needs every name before it looks for mentions, while the workers index. Between the two
the parsed cases wait in a spill file (core/spill.py), so a worker's memory does not grow
with its share. The parent,
which holds the lock, adds the segments to its own commit, so there is no final merge.
A share whose worker fails or dies is indexed again by the parent: no file is lost.

How workers start and end with their parent: core/archive/processes.py. A worker that cannot
start at all (no process can be made) leaves its share to the parent too.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from multiprocessing import connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from casefile.core.archive import catalog, processes
from casefile.core.archive.catalog import Entry
from casefile.core.engine import Segment
from casefile.core.index import STEMMERS
from casefile.core.index.batch import write_segments
from casefile.core.index.documents import document, name_keys
from casefile.core.model import Case, EntityInfo
from casefile.core.read import sniff
from casefile.core.read.library import FileStat, read_case
from casefile.core.spill import Spill
from casefile.core.xref.record import Prepared, Record, bare_record, prepare

if TYPE_CHECKING:  # the fork contexts exist only where fork does
    from multiprocessing.context import ForkContext, ForkServerContext, SpawnContext

BATCH = 50
"""Files per message to the parent (progress moves by this much)."""
SPAWN_FROM = 5000
"""From this many files, workers are spawned even where they could be forked: a forked worker
carries the parent's pages (the walk and sniff of every file: ~43 MB a worker at 10k, ~112 MB
at 100k), a spawned one only its imports (~38 MB, 0.3 s of CPU)."""


@dataclass(frozen=True)
class Job:
    """What a worker needs: where things are, its files, and the entity aliases."""

    index_dir: Path
    cases_dir: Path
    max_bytes: int
    stats: list[FileStat]
    aliases: Mapping[str, EntityInfo]
    known: dict[str, str] = field(default_factory=dict)
    """Old content hash of each changed file (same hash: only touched, not re-indexed)."""


@dataclass(frozen=True)
class Done:
    """One file as a worker left it."""

    stat: FileStat
    entry: Entry | None
    """The catalog entry; None when the file was only touched (same bytes)."""
    record: Record | None = None
    """The file's cross-reference record before mentions are found; None when not indexed."""
    body: str = ""
    scan: Prepared | None = None
    """The body split for the cross-reference (the part of its scan that needs no names)."""


@dataclass
class Share:
    """One worker's part, as the parent follows it."""

    files: list[FileStat]
    entries: list[Entry | None] = field(default_factory=list)
    """The catalog entry of each file parsed so far, in `files`' order (the worker reads them
    in that order): only these are kept of what it sends, not its copies of the stats."""
    segments: list[Segment] | None = None
    failed: str | None = None
    """Why the worker failed: one line, then (from a worker's own error) its traceback."""


def examine(stat: FileStat, case: Case | None, problems: list[Any], old_sha: str | None) -> Entry | None:
    """The catalog entry of a file just read; None when its bytes are the indexed ones."""
    if old_sha is not None and case is not None and old_sha == case.sha256:
        return None
    if case is None:
        return Entry("", stat.path, "skipped", [], None, problems)
    return catalog.entry_for(case, name_keys(case), problems)


Event = tuple[str, Share, Any]
"""("parsed", share, [Done, ...]), ("indexed", share, file count) or ("finished", share, None)."""


def run(job: Job, workers: int) -> Iterator[Event]:
    """Build in `workers` processes, yielding what they report.

    Each worker first reads and parses its share ("parsed": the parent can work on the
    cases meanwhile), then indexes it ("indexed"). A "finished" share has `segments` (to
    adopt) or `failed` (to index again); every share finishes once, after its other events.
    """
    shares = [Share(job.stats[number::workers]) for number in range(workers)]
    method = start_method()
    method = "spawn" if method == "fork" and len(job.stats) >= SPAWN_FROM else method
    readers: dict[Any, int] = {}
    started: dict[int, Any] = {}
    try:
        for number, share in enumerate(shares):
            sub = Job(job.index_dir, job.cases_dir, job.max_bytes, share.files, job.aliases,
                      {s.path: job.known[s.path] for s in share.files if s.path in job.known})
            reader, process = _start(method, sub, readers)
            if process is None:
                share.failed = "could not start a worker process"
                continue
            started[number] = process
            readers[reader] = number
        for share in shares:
            if share.failed:
                yield "finished", share, None
        yield from _follow(shares, started, readers)
    finally:
        for reader in readers:
            reader.close()
        for process in started.values():
            if process.is_alive():
                process.kill()
            process.join()


def start_method() -> str:
    """How workers are started from here (processes.start_method; tests replace this one)."""
    return processes.start_method()


def _start(method: str, job: Job, readers: Mapping[Any, int]) -> tuple[Any, Any]:
    """Start one worker: (the read end of its pipe, its process), or (None, None) when none starts.

    One pipe per worker: a worker that dies can hold no lock the others need, and its end
    closing tells the parent at once. A forked worker inherits every read end opened so
    far (its own too) and closes them (processes.detach).
    """
    context = cast("ForkContext | ForkServerContext | SpawnContext", multiprocessing.get_context(method))
    reader, writer = context.Pipe(duplex=False)
    inherited = [*readers, reader] if method == "fork" else []
    process = context.Process(target=work, args=(job, writer, os.getpid(), inherited), daemon=True)
    try:
        with processes.starting():
            process.start()
    except (OSError, ValueError):  # e.g. no process left, or no usable descriptors to pass
        reader.close()
        return None, None
    finally:
        writer.close()
    return reader, process


def _follow(shares: list[Share], started: Mapping[int, Any], readers: dict[Any, int]) -> Iterator[Event]:
    """Read the workers' messages until every share is finished."""
    while readers:
        for ready in connection.wait(list(readers)):
            reader = cast(connection.Connection, ready)  # wait() returns the pipe ends it was given
            number = readers[reader]
            share = shares[number]
            try:
                kind, payload = reader.recv()
            except (EOFError, OSError):
                started[number].join()
                kind, payload = "failed", f"worker exited with code {started[number].exitcode}"
            if kind == "parsed":
                share.entries.extend(done.entry and done.entry.shared() for done in payload)  # not the xref's
            if kind in ("parsed", "indexed"):
                yield kind, share, payload
                continue
            if kind == "done":
                share.segments = payload
            else:
                share.failed = payload
            del readers[reader]
            reader.close()
            yield "finished", share, None


def work(job: Job, results: Any, parent: int, inherited: list[Any]) -> None:
    """A worker: parse the job's files, report them, index them, then report the segments.

    Nothing escapes it: a failure goes to the parent as one line (which indexes the share
    itself), never as a traceback on a terminal.
    """
    processes.detach(parent, inherited)
    os.umask(0o077)  # segment files are owner-only from the start
    gc.disable()  # postings are many small lists, none in a cycle
    cases: Spill | None = None
    try:
        cases = _parse(job, results)
        outcome: tuple[str, Any] = ("done", _index(job, cases, results))
    except BaseException as error:  # noqa: BLE001 - reported, and the parent indexes the share itself
        outcome = ("failed", f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
    if cases is not None:
        cases.close()
    try:
        results.send(outcome)
    except OSError:
        pass  # the parent has gone: nobody to tell
    finally:
        results.close()


def _parse(job: Job, results: Any) -> Spill:
    """Read every file of the job, reporting them in batches; the cases to index (None: a
    file not to index), spilled to disk until indexed."""
    batch: list[Done] = []
    cases = Spill(job.index_dir, _dump_cases, pickle.loads)
    for stat in job.stats:
        case, problems = read_case(job.cases_dir, stat, job.max_bytes)
        entry = examine(stat, case, problems, job.known.get(stat.path))
        indexed = case if entry is not None else None
        cases.add(indexed)
        batch.append(Done(stat, entry, bare_record(indexed), indexed.body, prepare(indexed.body, indexed.body_line))
                     if indexed is not None else Done(stat, entry))
        if len(batch) >= BATCH or len(cases) == len(job.stats):
            results.send(("parsed", batch))
            batch = []
    return cases


def _dump_cases(cases: list[Case | None]) -> bytes:
    """Pickled cases for the spill file."""
    return pickle.dumps(cases, protocol=pickle.HIGHEST_PROTOCOL)


def _index(job: Job, cases: Iterable[Case | None], results: Any) -> list[Segment]:
    """Index the cases in segments of the worker's own; returns the segments written."""
    count = len(job.stats)

    def documents() -> Iterator[dict[str, Any] | None]:
        for case in cases:
            yield document(case, job.aliases, STEMMERS) if case is not None else None

    def indexed(seen: int) -> None:
        if seen % BATCH == 0 or seen == count:
            results.send(("indexed", (seen - 1) % BATCH + 1))

    return write_segments(job.index_dir, documents(), count, indexed)


def sniff_all(root: Path, stats: list[FileStat], max_bytes: int, workers: int) -> dict[str, EntityInfo | None]:
    """sniff.sniff_entity of every file (all are sniffed before the first results): split
    between forked processes when there are many; a part whose process fails is sniffed here."""
    if workers < 2 or start_method() != "fork":
        return {stat.path: sniff.sniff_entity(root, stat, max_bytes) for stat in stats}
    parts: list[tuple[Any, Any, list[FileStat]]] = []
    found: dict[str, EntityInfo | None] = {}
    try:
        for number in range(workers):
            part = stats[number::workers]
            reader, process = _start_sniffer(root, part, max_bytes, [p[1] for p in parts])
            if process is None:
                found.update((stat.path, sniff.sniff_entity(root, stat, max_bytes)) for stat in part)
            else:
                parts.append((process, reader, part))
        for _process, reader, part in parts:
            try:
                found.update(reader.recv())
            except (EOFError, OSError):
                found.update((stat.path, sniff.sniff_entity(root, stat, max_bytes)) for stat in part)
    finally:
        for process, reader, _part in parts:
            reader.close()
            if process.is_alive():
                process.kill()
            process.join()
    return {stat.path: found.get(stat.path) for stat in stats}


def _start_sniffer(root: Path, part: list[FileStat], max_bytes: int, opened: list[Any]) -> tuple[Any, Any]:
    """Fork one sniffing process: (the read end of its pipe, the process), or (None, None)."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_sniff_part, daemon=True,
                              args=(root, part, max_bytes, writer, os.getpid(), [*opened, reader]))
    try:
        with processes.starting():
            process.start()
    except (OSError, ValueError):
        reader.close()
        return None, None
    finally:
        writer.close()
    return reader, process


def _sniff_part(root: Path, stats: list[FileStat], max_bytes: int, results: Any, parent: int,
                inherited: list[Any]) -> None:
    """A sniffing process: sends {path: EntityInfo} of the entity pages among its files
    (nothing on a failure: the parent sniffs the part itself)."""
    processes.detach(parent, inherited)
    try:
        results.send({stat.path: info for stat in stats if (info := sniff.sniff_entity(root, stat, max_bytes))})
    except BaseException:  # noqa: BLE001 - the closed pipe tells the parent
        pass
    finally:
        results.close()
