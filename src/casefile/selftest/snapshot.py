"""A stat-and-hash snapshot of a folder, to prove the self-test changed nothing in it."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

Entry = tuple[int, int, int, int, int, str]
"""mode, size, mtime_ns, ctime_ns, inode, sha256 (regular files only; '' otherwise)."""


def snapshot(folder: Path) -> dict[str, Entry]:
    """Every entry under `folder` (itself included; links not followed) by relative path."""
    found = {".": _entry(str(folder))}
    for parent, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            full = os.path.join(parent, name)
            found[os.path.relpath(full, folder)] = _entry(full)
    return found


def _entry(path: str) -> Entry:
    """One entry's metadata, and its content hash when it is a regular file."""
    info = os.lstat(path)
    digest = _sha256(path) if stat.S_ISREG(info.st_mode) else ""
    return info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, digest


def _sha256(path: str) -> str:
    """The file's SHA-256, read in blocks (never followed: O_NOFOLLOW), or why it could not be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return f"unreadable: {exc.errno}"
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def differences(before: dict[str, Entry], after: dict[str, Entry]) -> list[str]:
    """What changed between two snapshots: added, removed and changed paths."""
    added = [f"added {path}" for path in sorted(after.keys() - before.keys())]
    removed = [f"removed {path}" for path in sorted(before.keys() - after.keys())]
    changed = [f"changed {path}" for path in sorted(before.keys() & after.keys()) if before[path] != after[path]]
    return added + removed + changed
