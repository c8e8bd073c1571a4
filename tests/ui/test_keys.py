"""Pilot tests of what single keys do: typed letters never run a command behind the user's back."""

from __future__ import annotations

import sys
from pathlib import Path

from pilot_helpers import config_for, settle, started, type_query
from textual.pilot import Pilot
from textual.widgets import Input

from casefile.ui.app import CasefileApp, make_app
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.result_list import ResultList
from casefile.ui.widgets.search_pane import SETTLE_SECONDS
from casefile.ui.widgets.tag_filter import TagFilter


def recording_editor(marker: Path) -> str:
    """An $EDITOR that only appends the file it was given to `marker`."""
    script = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + chr(10))"
    return f'{sys.executable} -c "{script}" {marker}'


async def press_text(pilot: Pilot[object], text: str) -> None:
    """Press one key per character, as a typist would."""
    await pilot.press(*[ch if ch != " " else "space" for ch in text])


async def test_letters_typed_in_the_results_go_to_the_query_and_never_start_the_editor(
        case_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "editor-ran"
    app = make_app(config_for(case_dir, editor=recording_editor(marker)), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware", keys=True)
        await pilot.press("down", "down")
        await pilot.pause(SETTLE_SECONDS + 0.1)  # the second hit is previewed: a case is open
        await settle(pilot)
        assert app.query_one(CaseView).case is not None
        await press_text(pilot, " hacking report")
        await settle(pilot)
        assert not marker.exists()
        query = app.query_one("#query", Input)
        assert query.value == "spyware hacking report"
        assert app.focused is query


async def test_j_and_k_in_the_results_are_letters_of_the_query(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware", keys=True)
        await pilot.press("down", "down")
        results = app.query_one(ResultList)
        assert results.cursor == 1
        await pilot.press("j", "k", "backspace")
        assert app.query_one("#query", Input).value == "spywarej"


async def test_letters_typed_in_the_tag_list_go_to_the_query(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware", keys=True)
        await pilot.press("ctrl+t")
        app.set_focus(app.query_one(TagFilter))
        await pilot.pause()
        await press_text(pilot, " x?")
        assert app.query_one("#query", Input).value == "spyware x?"


async def test_the_editor_opens_from_the_reading_pane_with_a_key_that_is_no_letter(
        case_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "editor-ran"
    app = make_app(config_for(case_dir, editor=recording_editor(marker)), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await type_query(pilot, "hacking")
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is app.query_one(CaseView).body
        await pilot.press("e")
        await settle(pilot)
        assert not marker.exists()
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert marker.read_text().strip().endswith("hacking-team.md")
