"""Helpers for the reader's pilot tests (imported by the test modules)."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable
from pathlib import Path
from time import monotonic

from rich.cells import cell_len
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
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


SVG_TEXT = re.compile(r'<text [^>]*?x="(?P<x>[\d.]+)"[^>]*?textLength="(?P<length>[\d.]+)"'
                      r'[^>]*?clip-path="url\(#[\w-]+-line-(?P<line>\d+)\)">(?P<text>.*?)</text>')
"""A run of text in `App.export_screenshot()`'s SVG (Rich's `export_svg`): its cell column is x
divided by the width of one character (textLength / characters), its line is in the clip path."""


def screen_lines(app: App[object]) -> list[str]:
    """The text on screen, one string per terminal line, read from the public SVG screenshot
    (exactly what a snapshot shows; spaces between runs are put back from the columns)."""
    width, height = app.size
    cells, texts = [0] * height, [""] * height
    for run in SVG_TEXT.finditer(app.export_screenshot()):
        # Rich writes a space as &#160;: a no-break space in the text itself stays as it is.
        text = html.unescape(run["text"].replace("&#160;", " "))
        line, column = int(run["line"]), round(float(run["x"]) * len(text) / float(run["length"]))
        texts[line] += " " * (column - cells[line]) + text
        cells[line] = column + cell_len(text)
    return [text + " " * (width - used) for text, used in zip(texts, cells)]


def painted_strips(app: App[object]) -> list[Strip]:
    """The lines every widget on screen paints, with their styles (public `Widget.render_lines`)."""
    strips: list[Strip] = []
    for widget in app.screen.walk_children(with_self=True):
        if isinstance(widget, Widget) and widget.display and widget.region.area:  # on screen now
            strips.extend(widget.render_lines(Region(0, 0, *widget.outer_size)))
    return strips


def freeze_blink(app: CasefileApp) -> None:
    """Stop the cursor blinking so screen text does not depend on timing."""
    for widget in app.query(Input):
        widget.cursor_blink = False


async def wait_until(pilot: Pilot[object], predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Pause in small steps until `predicate()` holds (for the timer-driven folder watch); the
    timeout only bounds a failure, so it is generous for a loaded machine (a pass returns at once)."""
    deadline = monotonic() + timeout
    while not predicate():
        if monotonic() > deadline:
            return False
        await pilot.pause(0.1)
    return True
