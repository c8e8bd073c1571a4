"""The self-test's checks of the core: the disk index built by worker processes, problems, search."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casefile.core.archive.facade import Archive
from casefile.core.text.sanitize import is_clean
from casefile.selftest.guards import Watch
from casefile.selftest.sample import EXPECTED, WORDS

WORKERS = 2
"""Worker processes forced for the build, whatever the machine's core count."""


@dataclass
class Built:
    """An archive the self-test built on disk, and what the build showed."""

    archive: Archive
    files: int
    indexed: int


@dataclass
class Checking:
    """What the checks share in the checking process."""

    root: Path
    watch: Watch
    max_bytes: int
    cases: Path | None = None
    user: Path | None = None
    built: dict[str, Built] = field(default_factory=dict)
    """"sample" and "user" (with --cases) -> their archive."""


def build_with_workers(state: Checking, cases: Path, name: str) -> str:
    """Build an on-disk index in the temporary folder, forcing worker processes."""
    index_dir = state.root / f"index-{name}"
    forks, mark = state.watch.processes, len(state.watch.written)
    archive = Archive.open(cases, index_dir, state.max_bytes, parallel_from=1, workers=WORKERS)
    report = archive.refresh()
    forks = state.watch.processes - forks
    state.built[name] = Built(archive, report.total, report.cases + report.entities)
    own = {os.path.basename(path) for event, path in state.watch.written[mark:]
           if event == "open" and path.endswith(".seg")}  # (chmod and rename do not write content)
    segments = {n for n in os.listdir(index_dir) if n.endswith(".seg")}
    assert forks >= WORKERS, f"{forks} process(es) started; the build did not use {WORKERS} workers"
    assert not segments & own, f"{len(segments & own)} segment(s) written here: a worker failed"
    assert len(segments) >= WORKERS, f"{len(segments)} segment(s): not one per worker"
    count = _owner_only(index_dir)
    return (f"{report.total} files, {report.cases} cases + {report.entities} entities indexed; "
            f"{forks} processes started, {len(segments)} segments all written by workers; "
            f"index folder and its {count} files owner-only")


def _owner_only(folder: Path) -> int:
    """How many files the folder holds; fails when it or any of them is not owner-only."""
    count = 0
    for path in (folder, *folder.rglob("*")):
        mode = path.lstat().st_mode
        assert not stat.S_IMODE(mode) & 0o077, f"{path.name} is readable by others ({oct(mode)})"
        count += path.is_file()
    return count


def problems_located(state: Checking) -> str:
    """Every hostile file gets its problem, with a path; the rest of the folder is indexed."""
    built = state.built["sample"]
    problems = built.archive.problems()
    found: dict[str, set[str]] = {}
    for problem in problems:
        assert is_clean(f"{problem.path} {problem.message}"), "a problem's text holds a control character"
        found.setdefault(problem.path, set()).add(problem.code)
    missing = [f"{path}: {', '.join(sorted(expect.codes - found.get(path, set())))}"
               + (f" (pending: {expect.pending})" if expect.pending else "")
               for path, expect in EXPECTED.items() if not expect.codes <= found.get(path, set())]
    assert not missing, "not reported: " + "; ".join(missing)
    refused = sum(1 for path in EXPECTED if _refused(found.get(path, set())))
    assert built.indexed >= built.files - refused, f"only {built.indexed} of {built.files} files indexed"
    return (f"{len(EXPECTED)} hostile files named with their problem ({len(problems)} problems in all); "
            f"{built.indexed} of {built.files} files indexed, {refused} refused")


def _refused(codes: set[str]) -> bool:
    """True when these problems mean the file is not indexed."""
    return bool(codes & {"not-text", "file-too-large", "read-failed", "link-outside", "name-unsafe"})


def search_finds(state: Checking) -> str:
    """A word only each hostile file holds finds that file; every hit's text is clean."""
    archive = state.built["sample"].archive
    for path, word in WORDS.items():
        result = archive.search(word)
        paths = [hit.path for hit in result.hits]
        assert path in paths, f"'{word}' did not find {path}"
        assert all(_clean_hit(hit) for hit in result.hits), f"a hit for '{word}' holds a control character"
    total = archive.search("", limit=None).total
    return f"{len(WORDS)} words found in their hostile files; {total} cases listed, all hits clean"


def _clean_hit(hit: Any) -> bool:
    """True when every string field of a search hit is clean."""
    return all(is_clean(value) for value in vars_of(hit) if isinstance(value, str))


def vars_of(record: Any) -> list[Any]:
    """The field values of a dataclass (slotted or not), strings in lists included."""
    names = getattr(record, "__dataclass_fields__", {})
    values: list[Any] = []
    for name in names:
        value = getattr(record, name)
        values.extend(value if isinstance(value, (list, tuple)) else [value])
    return values


def user_problems(state: Checking) -> str:
    """Your folder's problems are listed with a path and clean text (read-only)."""
    built = state.built["user"]
    problems = built.archive.problems()
    dirty = [p.path for p in problems if not is_clean(f"{p.path} {p.message}")]
    assert not dirty, f"{len(dirty)} problem(s) hold a control character"
    return f"{built.indexed} of {built.files} files indexed; {len(problems)} problem(s) listed, all clean"
