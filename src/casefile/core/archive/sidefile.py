"""Reading the index folder's side files and the index's own files, without Whoosh.

Side files are marshal data written atomically and owner-only (core/disk.py): at 10k
files JSON cost 90 ms to write the catalog and 70 ms to read it, marshal 6 and 25.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

INDEX_PREFIXES = ("MAIN_", "_MAIN_")


def load(directory: Path | None, name: str) -> Any:
    """The data of a side file, or None when missing or garbled."""
    if directory is None:
        return None
    try:
        return marshal.loads((directory / name).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def stamp(directory: Path | None, name: str) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of a side file: unchanged means not rewritten since (rename = new inode)."""
    try:
        info = os.stat(directory / name) if directory is not None else None
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns) if info else None


def new_generation() -> int:
    """A number naming one written base of a side file (random: no two bases share one)."""
    return int.from_bytes(os.urandom(8), "big")


def index_files(directory: Path) -> dict[str, int]:
    """Name -> size of the Whoosh files in the folder."""
    return {e.name: e.stat().st_size for e in os.scandir(directory)
            if e.name.startswith(INDEX_PREFIXES) and not e.name.endswith("LOCK")
            and e.is_file(follow_symlinks=False)}


def intact(directory: Path, recorded: Mapping[str, int]) -> bool:
    """True when every recorded index file is still there with its size (no truncation)."""
    if not recorded:
        return False
    try:
        return all(os.stat(directory / name).st_size == size for name, size in recorded.items())
    except OSError:
        return False
