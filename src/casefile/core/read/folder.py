"""Walk a case folder: its Markdown files with size and mtime, and what was refused.

The walk never leaves the folder: dot-folders are skipped, folder links are never
descended (so a link loop cannot hang the walk) and a link leading out is reported.
Each folder is opened without following links and must be the folder its parent
listed (same device and inode), so a folder swapped for a link mid-walk is not listed.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from casefile.core.model import Problem, problem
from casefile.core.text.sanitize import clean_line

_OPEN_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
# os.scandir takes a descriptor only where the platform has fdopendir (not Windows).
_BY_DESCRIPTOR = os.scandir in os.supports_fd
Stamps = dict[str, tuple[int, int]]
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
"""Files larger than this are read only this far (`--max-file-bytes`)."""
MAX_ATTACHMENTS = 500_000
"""Names of other files kept (a bound on memory; links past them are reported dangling)."""
Identity = tuple[int, int]
"""(st_dev, st_ino) of a folder as its parent listed it."""


@dataclass(frozen=True, slots=True)
class FileStat:
    """A Markdown file of the folder as the walk saw it."""

    path: str
    """Relative to the folder, `/` separated."""
    size: int
    mtime_ns: int


class Walk:
    """The result of walking a folder: its Markdown files and what was refused."""

    __slots__ = ("_files", "attachments", "only", "problems", "stamps")

    def __init__(self, stamps: Stamps, problems: list[Problem], only: list[str] | None = None,
                 attachments: list[str] | None = None) -> None:
        self.stamps = stamps
        """Relative path -> (size, mtime_ns): compared with the manifest as a whole, in C."""
        self.problems = problems
        self.only = only
        """The paths looked at, when the others were taken from the manifest (`restat`)."""
        self.attachments = attachments
        """Every other file (images, PDFs...), never opened: what links may name; None when not walked."""
        self._files: list[FileStat] | None = None

    @property
    def files(self) -> list[FileStat]:
        """The files sorted by path."""
        if self._files is None:
            self._files = [FileStat(path, *stamp) for path, stamp in sorted(self.stamps.items())]
        return self._files


def walk(root: os.PathLike[str] | str) -> Walk:
    """Every `*.md` file below `root` with its size and mtime, without reading them (and the
    names of the other files, for links to attachments)."""
    base = os.path.realpath(root)
    stamps: Stamps = {}
    problems: list[Problem] = []
    others: list[str] = []
    try:
        top = os.stat(base)
    except OSError as exc:
        return Walk(stamps, [problem(".", None, "read-failed", "cannot read folder: {reason}", "warning",
                                     reason=reason(exc))])
    # An explicit stack, not recursion: a hostile tree can be ~2,000 folders deep.
    pending = [(base, "", (top.st_dev, top.st_ino))]
    while pending:
        directory, prefix, identity = pending.pop()
        pending.extend(_scan(base, directory, prefix, identity, stamps, problems, others))
    problems.sort(key=lambda problem: (problem.path, problem.code))
    return Walk(stamps, problems, attachments=sorted(others)[:MAX_ATTACHMENTS])


def restat(root: os.PathLike[str] | str, known: Mapping[str, tuple[int, int]], paths: Iterable[str],
           problems: list[Problem]) -> Walk | None:
    """The walk a full walk would give if only `paths` changed since `known` was recorded:
    a stat per path instead of one per file. None when a path needs the careful walk
    (a link, a hidden or unsafe name, a folder, anything but a plain Markdown file)."""
    stamps = dict(known)
    base = os.path.realpath(root)
    paths = list(paths)
    for rel in paths:
        parts = rel.split("/")
        if not rel.lower().endswith(".md") or not all(map(_walked_name, parts)):
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


def _walked_name(part: str) -> bool:
    """True for a name the walk looks into: not hidden, no control characters."""
    # isprintable ASCII names are safe; clean_line for the rest (10k calls per walk)
    return bool(part) and not part.startswith(".") and (
        (part.isascii() and part.isprintable()) or clean_line(part) == part)


def _scan(base: str, directory: str, prefix: str, identity: Identity, stamps: Stamps,
          problems: list[Problem], others: list[str]) -> list[tuple[str, str, Identity]]:
    """Add the Markdown files of `directory`; return its sub-folders (one lstat per plain file)."""
    folders = []
    try:
        with _listing(directory, identity) as entries:
            for entry in entries:
                if _plain_markdown(entry.name) and entry.is_file(follow_symlinks=False):  # most: no more checks
                    _add_file(entry, prefix + entry.name, stamps, problems)
                elif (folder := _entry(base, directory, prefix, entry, stamps, problems, others)) is not None:
                    folders.append(folder)
        return folders
    except OSError as exc:
        problems.append(problem(prefix or ".", None, "read-failed", "cannot read folder: {reason}",
                                "warning", reason=reason(exc)))
        return []


def _plain_markdown(name: str) -> bool:
    """True for a name `_entry` would stat at once if a plain file: `*.md`, printable ASCII, not hidden."""
    return name.isascii() and name.isprintable() and name[-3:].lower() == ".md" and not name.startswith(".")


@contextmanager
def _listing(directory: str, identity: Identity) -> Iterator[list[os.DirEntry[str]]]:
    """The entries of `directory`, which must still be the folder its parent listed."""
    if not _BY_DESCRIPTOR:  # Windows: no folder descriptors; compare lstat instead
        info = os.lstat(directory)
        _same(info, identity)
        with os.scandir(directory) as found:
            yield list(found)
        return
    fd = os.open(directory, _OPEN_FOLDER)
    try:
        _same(os.fstat(fd), identity)
        with os.scandir(fd) as found:
            entries = list(found)
        yield entries
    finally:
        os.close(fd)  # after the entries' stat calls: they use this descriptor


def _same(info: os.stat_result, identity: Identity) -> None:
    """OSError unless `info` is the folder the parent listed (swapped for a link since?)."""
    if (info.st_dev, info.st_ino) != identity:
        raise OSError(errno.EAGAIN, "it changed while it was being read")


def _entry(base: str, directory: str, prefix: str, entry: os.DirEntry[str], stamps: Stamps,
           problems: list[Problem], others: list[str]) -> tuple[str, str, Identity] | None:
    """Record one entry of a folder; a sub-folder to walk is returned."""
    name = entry.name
    if name.startswith("."):
        return None
    is_dir = entry.is_dir(follow_symlinks=False)
    is_md = name.lower().endswith(".md")
    if not (is_dir or is_md or entry.is_symlink()):
        if _walked_name(name) and entry.is_file(follow_symlinks=False):  # no stat: the listing's type
            others.append(prefix + name)
        return None
    if not _walked_name(name):
        if is_dir or is_md:
            problems.append(_unsafe_name(prefix + name, is_dir))
    elif is_dir:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:  # gone since the listing
            problems.append(read_failed(prefix + name, exc))
            return None
        return os.path.join(directory, name), f"{prefix}{name}/", (info.st_dev, info.st_ino)
    elif entry.is_symlink():
        _add_link(base, os.path.join(directory, name), prefix + name, stamps, problems)
    else:
        _add_file(entry, prefix + name, stamps, problems)
    return None


def _add_file(entry: os.DirEntry[str], rel: str, stamps: Stamps, problems: list[Problem]) -> None:
    """Stat one plain file."""
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as exc:
        problems.append(read_failed(rel, exc))
        return
    if stat.S_ISREG(info.st_mode):
        stamps[rel] = (info.st_size, info.st_mtime_ns)


def _add_link(base: str, full: str, rel: str, stamps: Stamps, problems: list[Problem]) -> None:
    """A symbolic link: reported when it leads out or to a file indexed by its own path.

    A link to a folder is never descended; a link to a Markdown file the walk would not
    find by its own path (`note.md -> note.txt`) is indexed under the link's name.
    """
    is_md = rel.lower().endswith(".md")
    try:
        target = os.path.realpath(full, strict=True)
        info = os.stat(target)
    except OSError as exc:  # a dangling link or a loop
        if is_md:
            problems.append(read_failed(rel, exc))
        return
    inside = os.path.relpath(target, base).replace(os.sep, "/")
    if inside == ".." or inside.startswith("../"):
        if stat.S_ISDIR(info.st_mode):
            problems.append(problem(rel, None, "link-outside", "symbolic link to a folder outside the "
                                    "case folder; not followed", "warning"))
        elif is_md:
            problems.append(problem(rel, None, "link-outside", "symbolic link to a file outside the "
                                    "case folder; not followed", "warning"))
    elif is_md and stat.S_ISREG(info.st_mode):
        if inside.lower().endswith(".md") and all(map(_walked_name, inside.split("/"))):
            problems.append(problem(rel, None, "symlink-duplicate", "symbolic link to {target}, which is "
                                    "indexed under its own path; the link is not indexed again", "warning",
                                    target=inside))
        else:
            stamps[rel] = (info.st_size, info.st_mtime_ns)


def _unsafe_name(rel: str, is_dir: bool) -> Problem:
    """A name with control characters, bidi overrides or non-UTF-8 bytes is not read.

    Such names could drive the terminal or disguise a file, and break UTF-8 writers.
    """
    if is_dir:
        return problem(rel, None, "name-unsafe", "folder name has control characters, bidi overrides "
                       "or bytes that are not UTF-8; not read (rename it to include it)", "warning")
    return problem(rel, None, "name-unsafe", "file name has control characters, bidi overrides "
                   "or bytes that are not UTF-8; not read (rename it to include it)", "warning")


def read_failed(path: str, exc: BaseException) -> Problem:
    """The problem of a file that could not be read."""
    return problem(path, None, "read-failed", "cannot read: {reason}", reason=reason(exc))


def reason(exc: BaseException) -> str:
    """A short, safe reason for an OS error, without the absolute path."""
    if isinstance(exc, OSError) and exc.strerror:
        return clean_line(exc.strerror)
    return type(exc).__name__
