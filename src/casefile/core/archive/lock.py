"""One writer per index folder across processes: a flock that dies with its holder."""

from __future__ import annotations

import fcntl
import os
import time
import weakref
from pathlib import Path
from typing import Any

from casefile.core.disk import make_private_dir, private_umask

LOCK = "casefile.lock"


class FolderLock:
    """One writer per index folder across processes (flock: a dead holder never blocks).

    A forked child closes its copy of a held lock file at once (`_drop_in_child`): a flock
    belongs to the open file, so a child that kept it would hold the lock after its parent
    died, and every later refresh would find the index busy.
    """

    def __init__(self, directory: Path | None) -> None:
        self.path = directory / LOCK if directory else None
        self.handle: Any = None

    def acquire(self, wait: float) -> bool:
        """Try for `wait` seconds; True when held."""
        if self.path is None:
            return True
        make_private_dir(self.path.parent)
        with private_umask():
            self.handle = open(self.path, "a+b")  # noqa: SIM115 - held until release()
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                _HELD.add(self)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self.release()
                    return False
                time.sleep(0.05)

    def release(self) -> None:
        """Let go (closing the file releases the flock)."""
        _HELD.discard(self)
        if self.handle is not None:
            self.handle.close()
            self.handle = None


_HELD: weakref.WeakSet[FolderLock] = weakref.WeakSet()
"""The locks this process holds."""


def _drop_in_child() -> None:
    """After a fork, in the child: close its copies of the held lock files (the parent's stay)."""
    for lock in list(_HELD):
        lock.handle.close()  # only this process's descriptor: the parent keeps the flock
        lock.handle = None
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_in_child)
