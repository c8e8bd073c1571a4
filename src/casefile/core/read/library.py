"""Case folder -> files, cases and problems; the only module that reads case files.

The walk (core/read/folder.py) never leaves the folder; reading opens each file without
following a link out of it (confine.open_inside) and is bounded by a size cap.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from casefile.core.model import Case, Problem, problem
from casefile.core.read.confine import open_inside
from casefile.core.read.folder import DEFAULT_MAX_FILE_BYTES, FileStat, Walk, read_failed, restat, walk
from casefile.core.text.sanitize import clean_line

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode file bytes: UTF-8 (with or without BOM), UTF-16/32 with BOM.

    NUL bytes without a UTF-16/32 BOM mean a binary file: a `not-text` problem and
    no text. Invalid UTF-8 is a located warning; the text is still used, with
    replacement characters, so one bad byte never hides a case.
    """
    safe_path = clean_line(path)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), []
            except UnicodeDecodeError:
                return None, [problem(safe_path, None, "not-text", "invalid {encoding} text",
                                      encoding=encoding.upper())]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [problem(safe_path, line, "not-text", "binary file (NUL byte); not indexed")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        found = problem(safe_path, line, "encoding-invalid",
                        "not valid UTF-8; undecodable bytes shown as \ufffd", "warning")
        return data.decode("utf-8", errors="replace"), [found]


def read_case(root: Path, stat: FileStat, max_bytes: int = DEFAULT_MAX_FILE_BYTES,
              ) -> tuple[Case | None, list[Problem]]:
    """Read and parse one file found by `walk`; never raises for a bad file."""
    safe_path = clean_line(stat.path)
    if stat.size > max_bytes:
        return None, [problem(safe_path, None, "file-too-large",
                              "{size} bytes, over the {limit}-byte limit; not indexed",
                              size=stat.size, limit=max_bytes)]
    try:
        data = read_bytes(root, stat.path, max_bytes)
    except OSError as exc:
        return None, [read_failed(stat.path, exc)]
    if len(data) > max_bytes:
        return None, [problem(safe_path, None, "file-too-large",
                              "over the {limit}-byte limit; not indexed", limit=max_bytes)]
    text, problems = decode(data, stat.path)
    if text is None:
        return None, problems
    import hashlib  # here, not at the top: the no-change check walks but never parses

    from casefile.core.read.parse import parse_case

    case, parse_problems = parse_case(text.replace("\r\n", "\n").replace("\r", "\n"), stat.path)
    digest = hashlib.sha256(data).hexdigest()
    return replace(case, sha256=digest, size=len(data), mtime_ns=stat.mtime_ns), problems + parse_problems


def read_case_at(root: Path, path: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Case | None:
    """The case at a relative path as it is on disk now; None when gone or unreadable."""
    try:
        info = os.stat(root / path)
    except OSError:
        return None
    return read_case(root, FileStat(path, info.st_size, info.st_mtime_ns), max_bytes)[0]

def read_bytes(root: Path, path: str, max_bytes: int) -> bytes:
    """Read at most `max_bytes + 1` bytes of a file inside `root`, following no link out of it."""
    return _read_fd(open_inside(str(root), path), max_bytes + 1)


def _read_fd(fd: int, size: int) -> bytes:
    """The first `size` bytes of the open file `fd`, which must be a regular file; closes it."""
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read(size)


def iter_cases(root: Path, files: list[FileStat], max_bytes: int = DEFAULT_MAX_FILE_BYTES,
               ) -> Iterator[tuple[FileStat, Case | None, list[Problem]]]:
    """Read the given files one by one."""
    for found in files:
        case, problems = read_case(root, found, max_bytes)
        yield found, case, problems


@dataclass(frozen=True, slots=True)
class Library:
    """A whole folder read into memory: for small folders, tests and `check`."""

    root: Path
    cases: list[Case]
    problems: list[Problem]


def load_library(root: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Library:
    """Walk and read every file below `root`."""
    root = root.resolve()
    found = walk(root)
    cases: list[Case] = []
    problems = list(found.problems)
    for _stat, case, file_problems in iter_cases(root, found.files, max_bytes):
        problems.extend(file_problems)
        if case is not None:
            cases.append(case)
    problems.extend(duplicate_ids(cases))
    return Library(root, cases, problems)


def duplicate_ids(cases: list[Case]) -> list[Problem]:
    """One `duplicate-id` problem for every case whose id an earlier file already took."""
    first_path: dict[str, str] = {}
    problems = []
    for case in cases:
        key = case.id.casefold()
        if key in first_path:
            problems.append(problem(case.path, 2, "duplicate-id", "id '{id}' is already used by {other}",
                                    id=case.id, other=first_path[key]))
        else:
            first_path[key] = case.path
    return problems


__all__ = ["FileStat", "Library", "Walk", "decode", "duplicate_ids", "iter_cases", "load_library",
           "read_bytes", "read_case", "restat", "walk"]
