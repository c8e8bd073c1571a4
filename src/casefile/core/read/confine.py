"""Links are confined to the case folder: `../`, absolute paths and `file:` never leave it.

`open_inside` is how a file of the folder is opened: no link on its path is followed.

The parser uses `leaves_folder` to report such links; a reader that wants to follow a
relative Markdown link asks `resolve_inside_link`, which answers None for anything
that is external (shown, never opened) or outside the folder (never opened at all).
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{0,31}:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _target_part(href: str) -> str:
    """The path of a link without its `#fragment` or `?query`, percent-decoded."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    return unquote(path).replace("\\", "/").strip()


def is_external(href: str) -> bool:
    """True for a URL with a scheme other than `file:` (http, https, mailto...)."""
    text = href.strip()
    return bool(_SCHEME.match(text)) and not is_local_url(text) and not _DRIVE.match(text)


def is_local_url(href: str) -> bool:
    """True for `file:` URLs, which would open the reader's own disk."""
    return href.strip().lower().startswith("file:")


def _absolute(path: str) -> bool:
    """True for `/x`, `~/x`, `C:\\x` and UNC paths."""
    return path.startswith(("/", "~")) or bool(_DRIVE.match(path))


def leaves_folder(href: str, from_path: str) -> bool:
    """True when a Markdown link in the file `from_path` points outside the case folder."""
    if is_local_url(href):
        return True
    if is_external(href):
        return False
    target = _target_part(href)
    if _absolute(target) or _absolute(href.strip()):
        return True
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target))
    return joined == ".." or joined.startswith("../")


def wiki_target_leaves(target: str) -> bool:
    """True when a wiki-link target is written as a path outside the folder (`../x`, `/etc`)."""
    text = target.replace("\\", "/").strip()
    return is_local_url(text) or _absolute(text) or ".." in text.split("/")


def resolve_inside_link(root: Path, from_path: str, href: str) -> Path | None:
    """The file inside `root` a relative link points at, or None (external or outside)."""
    if is_external(href) or leaves_folder(href, from_path):
        return None
    target = _target_part(href)
    if not target:
        return None
    base = root.resolve()
    full = (base / posixpath.dirname(from_path) / target).resolve()
    return full if full.is_relative_to(base) else None  # a symlink may still lead out


# Reading a file opens each folder on its path relative to the one before, never
# following a link, so a folder swapped for a link between the walk and the read
# cannot lead out of the case folder (openat with O_NOFOLLOW, as `find` does).
_SAFE_OPEN = os.open in os.supports_dir_fd and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY")
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
# O_NONBLOCK: a FIFO swapped in since the walk must not block the reader forever.
FILE_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)


def open_inside(root: str, rel: str) -> int:
    """A read-only descriptor of the file `rel` (`/` separated) below the folder `root`.

    No link on the way is followed; a path through a link is resolved once and opened
    only when its real path lies inside `root`, again one link-free part at a time.
    """
    if not _SAFE_OPEN:  # no openat here (Windows): the resolved path is checked instead
        return os.open(_resolved_inside(root, rel), FILE_FLAGS)
    try:
        return _open_parts(root, rel)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
    real = _resolved_inside(root, rel)  # e.g. `note.md -> notes/real.md`
    return _open_parts(root, os.path.relpath(real, os.path.realpath(root)).replace(os.sep, "/"))


def _open_parts(root: str, rel: str) -> int:
    """Open `rel` below `root` one part at a time, following no link (ELOOP/ENOTDIR if one is met)."""
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise PermissionError(errno.EACCES, "not a plain path inside the case folder")
    folder = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, _FOLDER_FLAGS, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(parts[-1], FILE_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)


def _resolved_inside(root: str, rel: str) -> str:
    """The real path of `rel` below `root`; PermissionError if it leaves the folder."""
    base = os.path.realpath(root)
    full = os.path.realpath(os.path.join(base, rel))
    if full != base and not full.startswith(base.rstrip(os.sep) + os.sep):
        raise PermissionError(errno.EACCES, "outside the case folder")
    return full
