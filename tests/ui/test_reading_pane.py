"""The reading pane asks for what it needs with every decision in the request (no shared flag)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pilot_helpers import config_for, settle, started
from textual.app import App

from casefile.ui.app import make_app
from casefile.ui.messages import CaseLoaded
from casefile.ui.widgets.search_pane import SETTLE_SECONDS
from casefile.ui.widgets.xref_panel import XrefPanel
from casefile.ui.workers import ArchiveService


class Recorder(App[None]):
    """Collects the answers a worker posts to it."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[CaseLoaded] = []

    def on_case_loaded(self, event: CaseLoaded) -> None:
        self.answers.append(event)


@pytest.mark.parametrize("with_xref", [True, False])
async def test_a_case_comes_with_its_cross_reference_exactly_when_the_request_says(case_dir: Path,
                                                                                   with_xref: bool) -> None:
    recorder = Recorder()
    async with recorder.run_test() as pilot:
        service = ArchiveService(recorder, config_for(case_dir))
        service.refresh()
        await recorder.workers.wait_for_complete()
        service.load_case("MX-2017-004", with_xref=with_xref, reply_to=recorder)
        await recorder.workers.wait_for_complete()
        await pilot.pause()
    [answer] = recorder.answers
    assert answer.bundle is not None and answer.bundle.xref_deferred is not with_xref
    assert (answer.bundle.xref is not None) is with_xref


async def test_the_pane_shown_while_a_case_is_read_without_it_gets_its_cross_reference(case_dir: Path) -> None:
    app = make_app(config_for(case_dir), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:  # 120 columns: the pane starts hidden
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.05)
        await settle(pilot)
        gate, read = threading.Event(), app.service.archive.case
        app.service.archive.case = lambda path: (gate.wait(timeout=5), read(path))[1]
        app.open_case("mexico/pegasus-journalists.md", focus=True)
        await pilot.pause()
        await pilot.press("f3")  # shown while the worker still reads the case
        await pilot.pause()
        assert app.reading.xref_shown and app.reading.current_path != "mexico/pegasus-journalists.md"
        gate.set()
        await settle(pilot)
        xref = app.query_one(XrefPanel)
        assert app.reading.xref_shown and xref.deferred is None
        assert xref.case_xref is not None and xref.case_xref.path == "mexico/pegasus-journalists.md"
