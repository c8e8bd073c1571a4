"""A build to kill, run as its own process: `python build_driver.py CASES INDEX [app]`.

The real `casefile index --rebuild` (or, with `app`, the reader under Textual's headless
driver) with small stages, so a folder of a few hundred files takes the parallel path,
and workers slowed down a little, so the tests can kill the build while they run. Prints
"sniffer PID" and "worker PID" for each process it starts, then "done" and the refresh's notice if any.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from casefile.core.archive import parallel, updater
from casefile.core.read import sniff

SLOW = 0.01
"""Seconds each worker spends per file on top of the real work."""


def patch(forked: bool) -> None:
    """Small stages and, when forked (spawned ones import all afresh), slow workers that say who they are."""
    updater.FIRST_STAGE, updater.PARALLEL_FROM = 20, 40
    real_read, real_work, real_run = parallel.read_case, parallel.work, parallel.run

    def slow_read(*args: Any) -> Any:
        time.sleep(SLOW)
        return real_read(*args)

    def announced(*args: Any) -> Any:
        os.write(1, f"worker {os.getpid()}\n".encode())  # one write: both workers print at once
        return real_work(*args)

    def followed(*args: Any) -> Any:
        for event in real_run(*args):
            if event[0] == "finished":
                print("share", "failed" if event[1].failed else "indexed", flush=True)
            yield event

    def slow_sniff(*args: Any) -> Any:
        time.sleep(SLOW / 2)
        return real_sniff(*args)

    def sniffer(*args: Any) -> Any:
        os.write(1, f"sniffer {os.getpid()}\n".encode())
        return real_sniffer(*args)

    real_sniff, real_sniffer = sniff.sniff_entity, parallel._sniff_part
    parallel.run = followed
    if forked:
        parallel.read_case, parallel.work = slow_read, announced
        sniff.sniff_entity, parallel._sniff_part = slow_sniff, sniffer


async def in_app(cases: Path, index: Path) -> None:
    """The reader's first open under run_test, until its refresh ends."""
    from casefile.config import Config
    from casefile.ui.app import make_app

    app = make_app(Config(cases_dir=cases, index_dir=index), live_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        while app.service._refresh_worker is None or not app.service._refresh_worker.is_finished:
            await pilot.pause(0.1)
        worker = app.service._refresh_worker
        print("state", worker.state.name, type(worker.error).__name__ if worker.error else "", flush=True)
        print("toasts", [n.message for n in app._notifications], flush=True)


def main() -> None:
    """Build CASES into INDEX (the CLI, or the app)."""
    cases, index = Path(sys.argv[1]), Path(sys.argv[2])
    # Ctrl-C as in a terminal's foreground: a suite started in the background (`cmd &` without job
    # control, or nohup) hands its children SIGINT ignored, and Python then installs no handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    patch(forked=sys.argv[3:] != ["app"])
    if sys.argv[3:] == ["app"]:
        asyncio.run(in_app(cases, index))
    else:
        from casefile.cli import main as cli

        code = cli(["index", "--rebuild", "--cases", str(cases), "--index", str(index)])
        print("done", code, flush=True)


if __name__ == "__main__":
    main()
