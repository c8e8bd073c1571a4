"""Helpers for the reader's pilot tests (imported by the test modules)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from time import monotonic

from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from casefile.config import Config
from casefile.ui.app import CasefileApp
from casefile.ui.widgets.search_bar import DEBOUNCE_SECONDS


def config_for(cases: Path, editor: str | None = None) -> Config:
    """An in-memory configuration: the tests write nothing but in tmp_path."""
    return Config(cases_dir=cases, index_dir=None, in_memory=True, editor=editor)


async def settle(pilot: Pilot[object], rounds: int = 3) -> None:
    """Let workers finish and their messages be handled (they may start more workers)."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def started(pilot: Pilot[object]) -> None:
    """Wait for the first refresh and the first (empty-query) search."""
    await settle(pilot)


async def type_query(pilot: Pilot[object], text: str, *, keys: bool = False) -> None:
    """Replace the query with `text` (as key presses when `keys`), then wait for the results."""
    query = pilot.app.query_one("#query", Input)
    if keys:
        query.value = ""
        await pilot.press(*[ch if ch != " " else "space" for ch in text])
    else:
        query.value = text
    await pilot.pause(DEBOUNCE_SECONDS + 0.05)
    await settle(pilot)


def screen_lines(app: CasefileApp) -> list[str]:
    """The text on screen, one string per terminal line (what a snapshot would show)."""
    strips = app.screen._compositor.render_strips()  # no public text export in Textual
    return ["".join(segment.text for segment in strip) for strip in strips]


def freeze_blink(app: CasefileApp) -> None:
    """Stop the cursor blinking so screen text does not depend on timing."""
    for widget in app.query(Input):
        widget.cursor_blink = False


async def wait_until(pilot: Pilot[object], predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Pause in small steps until `predicate()` holds (for the timer-driven folder watch)."""
    deadline = monotonic() + timeout
    while not predicate():
        if monotonic() > deadline:
            return False
        await pilot.pause(0.1)
    return True
