"""An empty result list while files are being indexed says that more may come."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import config_for, screen_lines, settle, started, type_query

from casefile.ui.app import make_app
from casefile.ui.messages import IndexProgress

UI_DATA = Path(__file__).resolve().parents[1] / "data" / "ui" / "cases"


async def test_an_empty_answer_while_indexing_says_more_may_come() -> None:
    app = make_app(config_for(UI_DATA), live_interval=None)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(pilot)
        app.post_message(IndexProgress(400, 52_475))  # as a first build's refresh worker reports
        await type_query(pilot, "zzzqqq")
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
        assert "No results yet: still indexing." in screen and "No results." not in screen
        app.post_message(IndexProgress(52_475, 52_475))  # every file indexed: the answer is final
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
        assert "No results." in screen and "No results yet: still indexing." not in screen
