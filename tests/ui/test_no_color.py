"""NO_COLOR: the reader starts, shows results and a case, and paints no colour."""

from __future__ import annotations

import pytest

from casefile.config import load_config
from casefile.ui.app import make_app


async def test_the_reader_works_with_no_color(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    config = load_config(no_disk_index=True, env={"NO_COLOR": "1", "CASEFILE_CACHE": str(tmp_path)})
    app = make_app(config, live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"pegasus")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.return_code is None and app.is_running
        assert "Pegasus" in app.screen.query_one("CaseHeader").render().plain
