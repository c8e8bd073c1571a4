"""Which folder may hold an index, and which of its files casefile may delete.

casefile deletes only what it can prove it created. An index folder carries a marker
file of its own; a folder that is neither empty nor marked is refused, and so are the
case folder, anything inside it and anything that contains it (after resolving
symbolic links). Inside a marked folder, only files whose names casefile itself
writes are ever removed: never a sub-folder, a symbolic link or another name.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from casefile.core.disk import make_private_dir, write_private
from casefile.core.model import CasefileError
from casefile.core.wording import _

MARKER = "casefile-index.marker"
MARKER_FORMAT = 1
_MARKER_TEXT = f"casefile index folder\nformat {MARKER_FORMAT}\n" \
    "casefile may delete the files it wrote here; nothing else.\n"
_MARKER_HEAD = "casefile index folder\n"
OWN_NAME = re.compile(
    r"""(?x)
    (?: fresh(?:-recent)? | catalog(?:-\d\d|-recent)? | xref-[a-z0-9.-]+ ) \.marshal   # side files
    | casefile\.lock
    | _?MAIN_[A-Za-z0-9_.]+                                       # Whoosh's files (INDEX_NAME "MAIN")
    """
)
"""Names casefile writes in an index folder (a test checks every file a build leaves)."""
_TEMPORARY = re.compile(r"\.(?P<name>[^/]+)\.\d+\.\d+\.tmp")
"""disk.write_private's temporaries: `.{name}.{pid}.{thread}.tmp`."""
_DEFAULT_LAYOUT = re.compile(r"[0-9a-f]{16}")
"""config.default_index_dir names a folder `indexes/<16 hex digits>` in casefile's cache."""


class IndexFolderRefused(CasefileError):
    """The index folder chosen is not one casefile may write to."""


def is_own(name: str) -> bool:
    """True for a file name casefile writes in an index folder (the marker excepted)."""
    temporary = _TEMPORARY.fullmatch(name)
    return bool(OWN_NAME.fullmatch(temporary["name"] if temporary else name))


def check(index_dir: Path, cases_dir: Path) -> None:
    """Raise IndexFolderRefused unless casefile may keep its index in `index_dir` (reads only)."""
    index, cases = _real(index_dir), _real(cases_dir)
    if index == cases or index.is_relative_to(cases):
        raise IndexFolderRefused(_(
            "refusing index folder {index}: it is inside the case folder {cases}, "
            "and casefile never writes there; choose a folder outside it").format(index=index_dir, cases=cases_dir))
    if cases.is_relative_to(index):
        raise IndexFolderRefused(_(
            "refusing index folder {index}: it contains the case folder {cases}; "
            "choose an empty folder of its own").format(index=index_dir, cases=cases_dir))
    if not os.path.lexists(index):
        return
    if not index.is_dir():
        raise IndexFolderRefused(_("refusing index folder {index}: it exists and is not a folder").format(
            index=index_dir))
    if not _is_marked(index) and not _adoptable(index):
        raise IndexFolderRefused(_(
            "refusing index folder {index}: it is not empty and casefile did not create it "
            "(no {marker}); casefile deletes only files it made, so choose an empty or new folder").format(
            index=index_dir, marker=MARKER))


def claim(index_dir: Path, cases_dir: Path) -> None:
    """Check `index_dir`, create it owner-only if needed, and mark it as casefile's."""

    check(index_dir, cases_dir)
    make_private_dir(index_dir)
    if not _is_marked(index_dir):
        write_private(index_dir / MARKER, _MARKER_TEXT.encode("ascii"))


def remove_own_files(index_dir: Path, keep: frozenset[str] = frozenset()) -> list[str]:
    """Delete the files casefile wrote in a marked index folder (not those in `keep`);
    return their names. Anything else in the folder is left alone."""
    if not _is_marked(index_dir):
        raise IndexFolderRefused(_("refusing to clear {index}: it carries no {marker}").format(
            index=index_dir, marker=MARKER))
    removed = []
    for entry in os.scandir(index_dir):
        if entry.name in keep or not is_own(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        os.unlink(entry.path)
        removed.append(entry.name)
    return removed


def _real(path: Path) -> Path:
    """The absolute path with every symbolic link resolved (missing parts kept as given)."""
    return Path(os.path.realpath(os.path.abspath(os.path.expanduser(path))))


def _is_marked(directory: Path) -> bool:
    """True when the folder holds casefile's marker (a regular file, not a link)."""
    try:  # no link followed, and a FIFO under that name cannot block the open
        fd = os.open(directory / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        return handle.read(len(_MARKER_HEAD)) == _MARKER_HEAD.encode("ascii")


def _adoptable(directory: Path) -> bool:
    """True when the folder is empty, or an index that an earlier casefile (before markers)
    made at the default place in its cache, holding only files of casefile's names."""
    # another process claiming the folder this instant: its marker is still a temporary file
    entries = [e for e in os.scandir(directory)
               if (temporary := _TEMPORARY.fullmatch(e.name)) is None or temporary["name"] != MARKER]
    if not entries:
        return True
    default_place = directory.parent.name == "indexes" and _DEFAULT_LAYOUT.fullmatch(directory.name)
    return bool(default_place) and all(is_own(e.name) and e.is_file(follow_symlinks=False) for e in entries)
