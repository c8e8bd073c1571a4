"""While indexing, the query is searched again at most once a RESEARCH_INTERVAL, and once more
after the last progress report: a first build commits its first files, then is silent for
seconds while it reads the rest (at 50k the reader showed their hits ~10 s late)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pilot_helpers import config_for, settle, started, type_query

from casefile.ui.app import make_app
from casefile.ui.messages import IndexProgress
from casefile.ui.widgets import search_pane

UI_DATA = Path(__file__).resolve().parents[1] / "data" / "ui" / "cases"


async def test_a_report_inside_the_interval_is_searched_when_it_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_pane, "RESEARCH_INTERVAL", 0.4)
    app = make_app(config_for(UI_DATA), live_interval=None)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "zzzqqq")
        await settle(pilot)
        redone: list[int] = []
        monkeypatch.setattr(app.search_pane, "redo", lambda: redone.append(1))
        app.post_message(IndexProgress(150, 52_475))
        await pilot.pause()
        app.post_message(IndexProgress(200, 52_475))  # the first files committed, then silence
        app.post_message(IndexProgress(200, 52_475))
        await pilot.pause()
        assert len(redone) == 1
        await asyncio.sleep(0.6)
        await pilot.pause()
        assert len(redone) == 2  # once more for the last report, not once per report
