"""Output files of an export: new, owner-only (0600), never inside the case folder.

An existing file is replaced only when the caller says so (`force`), through a temporary
file renamed over it; a CSV folder is used only when it is new, empty, or marked as made
by casefile (a marker file inside). A file left half-written by a failure is removed:
it is one this module just created.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from casefile.core.model import CasefileError
from casefile.core.wording import _

MARKER = ".casefile-export"
MARKER_TEXT = "This folder was made by `casefile export --format csv`; a new export replaces its CSV files.\n"
CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class OutputRefused(CasefileError):
    """The export would write where it must not (inside the case folder, over a file)."""


def refuse_inside(path: Path, cases_dir: Path) -> Path:
    """`path` with symbolic links resolved; refused when it is in (or is) the case folder."""
    target, cases = path.resolve(), cases_dir.resolve()
    if target == cases or cases in target.parents:
        raise OutputRefused(_("{path} is inside the case folder {cases}; casefile never writes there").format(
            path=path, cases=cases_dir))
    return target


@contextmanager
def new_file(path: Path, cases_dir: Path, *, force: bool = False) -> Iterator[TextIO]:
    """A text file to write at `path`, owner-only; an existing one only with `force`."""
    target = refuse_inside(path, cases_dir)
    if os.path.lexists(path) and not force:
        raise OutputRefused(_("{path} exists; casefile did not create it here (use --force to replace it)").format(
            path=path))
    if os.path.isdir(path):
        raise OutputRefused(_("{path} is a folder").format(path=path))
    temporary = target.with_name(f".{target.name}.casefile-{os.getpid()}.tmp")
    written = temporary if os.path.lexists(path) else target
    with _created(written) as stream:
        yield stream
    if written is temporary:
        os.replace(temporary, path)  # replaces a symbolic link itself, never what it points to


@contextmanager
def _created(path: Path) -> Iterator[TextIO]:
    """Create `path` (it must not exist) 0600; removed again if writing fails."""
    try:
        fd = os.open(path, CREATE, 0o600)
    except FileExistsError:
        raise OutputRefused(_("{path} appeared while casefile was about to create it").format(path=path)) from None
    except OSError as exc:
        raise OutputRefused(_("cannot create {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    os.fchmod(fd, 0o600)  # exactly owner-only, whatever the umask
    try:
        with open(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
    except BaseException:
        os.unlink(path)  # made by this function a moment ago
        raise


def prepare_folder(path: Path, cases_dir: Path, *, force: bool = False) -> bool:
    """Make `path` ready for a CSV export; True when files there may be replaced.

    A new folder is created 0700; an empty one is taken; one holding the marker was made
    by casefile. Any other folder is refused unless `force`.
    """
    refuse_inside(path, cases_dir)
    if os.path.lexists(path) and not os.path.isdir(path):
        raise OutputRefused(_("{path} exists and is not a folder").format(path=path))
    if not os.path.lexists(path):
        try:
            os.mkdir(path, 0o700)
        except OSError as exc:
            raise OutputRefused(_("cannot create {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    ours = (path / MARKER).is_file()
    if not ours and any(os.scandir(path)) and not force:
        raise OutputRefused(_("{path} is not empty and was not made by casefile (use --force to write there)")
                            .format(path=path))
    if not ours:
        with _created(path / MARKER) as stream:
            stream.write(MARKER_TEXT)
    return ours or force
