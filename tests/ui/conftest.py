"""Fixtures for the reader's pilot tests: a copy of a small case folder, an in-memory app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from casefile.config import Config
from casefile.ui.app import CasefileApp, make_app
from casefile.ui.widgets.search_bar import DEBOUNCE_SECONDS

UI_DATA = Path(__file__).parent.parent / "data" / "ui" / "cases"


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    """A fresh copy of tests/data/ui/cases (tests may add or edit files in it)."""
    target = tmp_path / "cases"
    shutil.copytree(UI_DATA, target)
    return target.resolve()


def config_for(cases: Path, editor: str | None = None) -> Config:
    """An in-memory configuration: the tests write nothing but in tmp_path."""
    return Config(cases_dir=cases, index_dir=None, in_memory=True, editor=editor)


@pytest.fixture
def app(case_dir: Path) -> CasefileApp:
    """The app on the fixture folder, without the folder watch (tests refresh explicitly)."""
    return make_app(config_for(case_dir), live_interval=None)


async def settle(pilot: Pilot[object], rounds: int = 3) -> None:
    """Let workers finish and their messages be handled (they may start more workers)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def started(pilot: Pilot[object]) -> None:
    """Wait for the first refresh and the first (empty-query) search."""
    await settle(pilot)


async def type_query(pilot: Pilot[object], text: str) -> None:
    """Replace the query with `text` as typed keys, then wait for the results."""
    query = pilot.app.query_one("#query", Input)
    query.value = ""
    await pilot.press(*[ch if ch != " " else "space" for ch in text])
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
