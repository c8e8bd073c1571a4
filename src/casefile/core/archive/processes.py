"""Worker processes: how this process starts them, and how they end with it.

Workers are forked when the calling process has a single thread (the command line),
spawned otherwise (the app runs threads, and a fork copies their locks mid-use).
A worker closes what it inherited but must not hold (the read ends of its siblings'
pipes: a write to a pipe whose read end the writer itself holds never fails, it blocks
once the pipe is full), ignores Ctrl-C (the parent ends its workers) and exits as soon
as its parent is gone, so a killed build never leaves workers behind.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

WATCH_SECONDS = 0.25
"""How often a worker checks that its parent still runs."""


def start_method() -> str:
    """fork (fast) unless other threads run here: a fork would copy their locks mid-use."""
    return "fork" if threading.active_count() == 1 else "spawn"


def prepare() -> bool:
    """Start multiprocessing's resource tracker now, while stderr is a real file; True if it runs.

    Every spawned worker needs the tracker, and the tracker is started with this process's
    stderr descriptor. A terminal app replaces sys.stderr with an object whose fileno() is
    -1 (Textual's), and starting the tracker from there fails with "bad value(s) in
    fds_to_keep": call this before such an app starts.
    """
    from multiprocessing import resource_tracker

    try:
        resource_tracker.ensure_running()
    except (OSError, ValueError):
        return False
    return True


@contextmanager
def starting() -> Iterator[None]:
    """Around starting a worker: Ctrl-C waits until the worker ignores it (`detach`), so
    it never interrupts a worker (whose traceback would land on the terminal); this
    process gets it when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def detach(parent: int, inherited: Iterable[Any]) -> None:
    """In a new worker: close the inherited ends, ignore Ctrl-C, and exit with the parent."""
    for end in inherited:
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends its workers on Ctrl-C
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by `starting`
    if os.getppid() != parent:  # the parent died while this process started
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    """Exit this process when its parent has gone (an orphan is re-parented)."""
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)  # at once: its results have nobody to go to, and it may hold files open
