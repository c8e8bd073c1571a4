"""Case folder -> files, cases and problems; the only module that reads case files.

The walk never leaves the folder: dot-folders are skipped, symbolic links are only
followed when they resolve inside the folder, and folder links are never descended
(so a link loop cannot hang the walk). Reading is bounded by a size cap.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from casefile.core.model import Case, Problem
from casefile.core.sanitize import clean_line

DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class FileStat:
    """A Markdown file of the folder as the walk saw it."""

    path: str
    """Relative to the folder, `/` separated."""
    size: int
    mtime_ns: int


class Walk:
    """The result of walking a folder: its Markdown files and what was refused."""

    __slots__ = ("stamps", "problems", "only", "_files")

    def __init__(self, stamps: dict[str, tuple[int, int]], problems: list[Problem],
                 only: list[str] | None = None) -> None:
        self.stamps = stamps
        """Relative path -> (size, mtime_ns): compared with the manifest as a whole, in C."""
        self.problems = problems
        self.only = only
        """The paths looked at, when the others were taken from the manifest (`restat`)."""
        self._files: list[FileStat] | None = None

    @property
    def files(self) -> list[FileStat]:
        """The files sorted by path."""
        if self._files is None:
            self._files = [FileStat(path, *stamp) for path, stamp in sorted(self.stamps.items())]
        return self._files


def walk(root: Path) -> Walk:
    """Every `*.md` file below `root` with its size and mtime, without reading them."""
    root = root.resolve()
    stamps: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    # An explicit stack, not recursion: a hostile tree can be ~2,000 folders deep.
    pending = [(str(root), "")]
    while pending:
        directory, prefix = pending.pop()
        pending.extend(_scan(root, directory, prefix, stamps, problems))
    problems.sort(key=lambda problem: (problem.path, problem.code))
    return Walk(stamps, problems)


def restat(root: Path, known: Mapping[str, tuple[int, int]], paths: Iterable[str],
           problems: list[Problem]) -> Walk | None:
    """The walk a full walk would give if only `paths` changed since `known` was recorded:
    a stat per path instead of one per file. None when a path needs the careful walk
    (a link, a hidden or unsafe name, a folder, anything but a plain Markdown file)."""
    stamps = dict(known)
    base = os.path.realpath(root)
    paths = list(paths)
    for rel in paths:
        parts = rel.split("/")
        if not rel.lower().endswith(".md") or any(
                not part or part.startswith(".") or not ((part.isascii() and part.isprintable())
                                                         or clean_line(part) == part) for part in parts):
            return None
        full = os.path.join(base, *parts)
        try:
            info = os.lstat(full)
        except FileNotFoundError:
            stamps.pop(rel, None)
            continue
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or os.path.realpath(full) != full:  # links: the walk decides
            return None
        stamps[rel] = (info.st_size, info.st_mtime_ns)
    return Walk(stamps, list(problems), paths)


def _scan(root: Path, directory: str, prefix: str, stamps: dict[str, tuple[int, int]],
          problems: list[Problem]) -> list[tuple[str, str]]:
    """Add the Markdown files of `directory`; return its sub-folders (one lstat per plain file)."""
    try:
        with os.scandir(directory) as found:
            entries = list(found)
    except OSError as exc:
        problems.append(Problem(clean_line(prefix or "."), None, "read-failed",
                                f"cannot read folder: {_reason(exc)}", "warning"))
        return []
    folders = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        is_dir = entry.is_dir(follow_symlinks=False)
        if not (is_dir or name.lower().endswith(".md")):
            continue
        # isprintable ASCII names are safe; clean_line for the rest (10k calls per walk)
        if not (name.isascii() and name.isprintable()) and clean_line(name) != name:
            problems.append(_unsafe_name(prefix + name, is_dir))
        elif is_dir:
            folders.append((entry.path, f"{prefix}{name}/"))
        else:
            _add_file(root, entry, prefix + name, stamps, problems)
    return folders


def _unsafe_name(rel: str, is_dir: bool) -> Problem:
    """A name with control characters, bidi overrides or non-UTF-8 bytes is not read.

    Such names could drive the terminal or disguise a file, and break UTF-8 writers.
    """
    what = "folder" if is_dir else "file"
    return Problem(clean_line(rel), None, "name-unsafe",
                   f"{what} name has control characters, bidi overrides or bytes that are not "
                   f"UTF-8; not read (rename it to include it)", "warning")


def _add_file(root: Path, entry: os.DirEntry[str], rel: str, stamps: dict[str, tuple[int, int]],
              problems: list[Problem]) -> None:
    """Stat one file; symbolic links take the careful path."""
    if entry.is_symlink():
        found = _stat_inside(root, Path(entry.path))
        if isinstance(found, Problem):
            problems.append(found)
        elif found is not None:
            stamps[rel] = (found.size, found.mtime_ns)
        return
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as exc:
        problems.append(_read_failed(rel, exc))
        return
    if stat.S_ISREG(info.st_mode):
        stamps[rel] = (info.st_size, info.st_mtime_ns)


def _read_failed(path: str, exc: BaseException) -> Problem:
    """The problem of a file that could not be read."""
    return Problem(clean_line(path), None, "read-failed", f"cannot read: {_reason(exc)}")


def _relative(root: Path, path: Path) -> str:
    """`path` relative to `root`, `/` separated."""
    return path.relative_to(root).as_posix()


def _stat_inside(root: Path, path: Path) -> FileStat | Problem | None:
    """Stat a regular file, refusing links that lead outside `root`."""
    rel = _relative(root, path)
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(root):
                return Problem(clean_line(rel), None, "link-outside",
                               "symbolic link to a file outside the case folder; not read", "warning")
        info = path.stat()
    except (OSError, RuntimeError) as exc:
        return _read_failed(rel, exc)
    if not os.path.isfile(path):
        return None
    return FileStat(rel, info.st_size, info.st_mtime_ns)


def _reason(exc: BaseException) -> str:
    """A short, safe reason for an OS error, without the absolute path."""
    if isinstance(exc, OSError) and exc.strerror:
        return clean_line(exc.strerror)
    return type(exc).__name__


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
                return None, [Problem(safe_path, None, "not-text", f"invalid {encoding.upper()} text")]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [Problem(safe_path, line, "not-text", "binary file (NUL byte); not indexed")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Problem(safe_path, line, "encoding-invalid",
                          "not valid UTF-8; undecodable bytes shown as \ufffd", "warning")
        return data.decode("utf-8", errors="replace"), [problem]


def read_case(root: Path, stat: FileStat, max_bytes: int = DEFAULT_MAX_FILE_BYTES,
              ) -> tuple[Case | None, list[Problem]]:
    """Read and parse one file found by `walk`; never raises for a bad file."""
    safe_path = clean_line(stat.path)
    if stat.size > max_bytes:
        return None, [Problem(safe_path, None, "file-too-large",
                              f"{stat.size:,} bytes, over the {max_bytes:,}-byte limit; not indexed")]
    try:
        data = read_bytes(root, stat.path, max_bytes)
    except OSError as exc:
        return None, [_read_failed(stat.path, exc)]
    if len(data) > max_bytes:
        return None, [Problem(safe_path, None, "file-too-large",
                              f"over the {max_bytes:,}-byte limit; not indexed")]
    text, problems = decode(data, stat.path)
    if text is None:
        return None, problems
    import hashlib  # here, not at the top: the no-change check walks but never parses

    from casefile.core.parse import parse_case

    case, parse_problems = parse_case(text.replace("\r\n", "\n").replace("\r", "\n"), stat.path)
    digest = hashlib.sha256(data).hexdigest()
    return replace(case, sha256=digest, size=len(data), mtime_ns=stat.mtime_ns), problems + parse_problems


def read_bytes(root: Path, path: str, max_bytes: int) -> bytes:
    """Read at most `max_bytes + 1` bytes of a file inside `root`."""
    return read_head(str(resolve_inside(root, path)), max_bytes + 1)


def read_head(full: str, size: int) -> bytes:
    """The first `size` bytes of a regular file (OSError for anything else)."""
    # O_NONBLOCK: a FIFO swapped in since the walk must not block the reader forever.
    fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read(size)


def resolve_inside(root: Path, path: str) -> Path:
    """The absolute path of `path` below `root`; OSError if it leaves the folder."""
    # os.path.realpath: pathlib's resolve() cost 0.2 ms a call, paid twice per search hit
    base = os.path.realpath(root)
    full = os.path.realpath(os.path.join(base, path))
    if full != base and not full.startswith(base.rstrip(os.sep) + os.sep):
        raise PermissionError(f"outside the case folder: {clean_line(path)}")
    return Path(full)


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
            problems.append(Problem(clean_line(case.path), 2, "duplicate-id",
                                    clean_line(f"id '{case.id}' is already used by {first_path[key]}")))
        else:
            first_path[key] = case.path
    return problems
