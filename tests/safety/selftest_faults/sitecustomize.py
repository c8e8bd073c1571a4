"""Faults for the self-test's own tests, put into casefile by a child Python process at start.

A process whose PYTHONPATH starts with this folder reads TEST_SELFTEST_FAULTS (a
comma-separated list) and breaks casefile as each names, the way a bad change would:
  network    the index refresh tries to reach a server (and swallows the failure)
  write      the index refresh leaves a trace in $HOME (and swallows the failure)
  worker     the index worker processes crash (their shares get indexed by the parent)
  sanitizer  the sanitizer lets everything through
The self-test must then report a FAIL line for each.
"""

from __future__ import annotations

import contextlib
import os
import socket
from typing import Any

FAULTS = set(filter(None, os.environ.get("TEST_SELFTEST_FAULTS", "").split(",")))


def _break_refresh() -> None:
    """Archive.refresh phones home and/or writes a trace, hiding the failures."""
    from casefile.core.archive.facade import Archive

    real = Archive.refresh

    def refresh(self: Archive, *args: Any, **kwargs: Any) -> Any:
        if "network" in FAULTS:
            with contextlib.suppress(OSError):
                socket.create_connection(("telemetry.example", 443), timeout=1).close()
        if "write" in FAULTS:
            try:
                with open(os.path.join(os.environ["HOME"], "trace.log"), "a", encoding="utf-8") as trace:
                    trace.write("opened a case folder\n")
            except OSError:
                pass
        return real(self, *args, **kwargs)

    Archive.refresh = refresh  # type: ignore[method-assign]


def _break_workers() -> None:
    """Every index worker process dies at once."""
    from casefile.core.archive import parallel

    def work(job: Any, results: Any) -> None:
        os._exit(7)

    parallel.work = work


def _break_sanitizer() -> None:
    """clean() and clean_line() return their input (before any module imports them)."""
    from casefile.core.text import sanitize

    sanitize.clean = lambda text, **_: text
    sanitize.clean_line = lambda text: text


if FAULTS & {"network", "write"}:
    _break_refresh()
if "worker" in FAULTS:
    _break_workers()
if "sanitizer" in FAULTS:
    _break_sanitizer()
