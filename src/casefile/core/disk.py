"""Files casefile writes (the index folder's): atomically, readable by their owner only."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def write_private(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a file atomically, readable by its owner only (`data`: bytes, or its parts in order)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:  # created 0600 by os.open itself: no umask change, which would reach other threads
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with open(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a full disk leaves no hidden temporary behind
        raise


@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created meanwhile are owner-only."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def make_private_dir(directory: Path) -> None:
    """Create the index folder (and parents) owner-only; tighten it if it exists."""
    with private_umask():
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)


def tighten(directory: Path) -> None:
    """Make every file in the index folder owner-only (Whoosh creates some itself)."""
    for entry in os.scandir(directory):
        if entry.is_file(follow_symlinks=False):
            os.chmod(entry.path, 0o600)
