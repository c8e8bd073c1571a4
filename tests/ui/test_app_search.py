"""Pilot tests of the search side: typing, Enter, tags, sort, notices, problems, live refresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import config_for, settle, started, type_query, wait_until
from textual import events
from textual.widgets import DataTable, Input

from casefile.ui import workers
from casefile.ui.app import CasefileApp, make_app
from casefile.ui.screens.problems import ProblemsScreen
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.result_list import ResultList
from casefile.ui.widgets.search_bar import SearchBar
from casefile.ui.widgets.status_bar import StatusBar
from casefile.ui.widgets.tag_filter import TagFilter


def hit_ids(app: CasefileApp) -> list[str]:
    """Ids of the hits in the result list, in order."""
    return [hit.id for hit in app.query_one(ResultList).hits]


async def test_query_is_focused_at_launch_and_typing_shows_results(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert app.focused is app.query_one("#query", Input)
        await type_query(pilot, "pegasus", keys=True)
        ids = hit_ids(app)
        assert "MX-2017-004" in ids
        assert "ES-2019-002" not in ids
        total = app.query_one(ResultList).result.total
        assert app.query_one(ResultList).border_title == f"{total:,} result{'s' if total != 1 else ''}"


async def test_results_follow_each_keystroke_and_the_latest_query_wins(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        broad = set(hit_ids(app))
        await pilot.press("space", "h", "a", "c", "k", "i", "n", "g")
        await pilot.pause(0.2)
        await settle(pilot)
        narrow = set(hit_ids(app))
        assert narrow and narrow < broad
        assert app.query_one(ResultList).result.query == "spyware hacking*"  # the last word searched as a prefix


async def test_enter_in_the_query_opens_the_top_result(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "pegasus")
        top = hit_ids(app)[0]
        await pilot.press("enter")
        await settle(pilot)
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.id == top


async def test_enter_before_the_results_arrive_still_opens_the_top_result(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("g", "u", "e", "r", "r", "e", "r", "o", "enter")
        await settle(pilot)
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.id == "ES-2019-002"


async def test_down_from_the_query_moves_into_the_results(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        await pilot.press("down", "down")
        results = app.query_one(ResultList)
        assert app.focused is results and results.cursor == 1


async def test_keys_typed_ahead_go_where_the_earlier_keys_sent_the_focus(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        second = hit_ids(app)[1]
        for key in ("down", "down", "enter"):  # all queued before any is handled, as in a burst
            app.post_message(events.Key(key, None))
        await settle(pilot)
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.id == second


async def test_choosing_a_tag_filters_the_results(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        await pilot.press("ctrl+t")
        tags = app.query_one(TagFilter)
        assert tags.display and "mexico" in tags.tags
        tags.focus()
        tags.highlighted = tags.tags.index("mexico")
        await pilot.press("enter")
        await pilot.pause(0.2)
        await settle(pilot)
        assert "tag:mexico" in app.query_one("#query", Input).value
        hits = app.query_one(ResultList).hits
        assert hits and all("mexico" in hit.tags for hit in hits)


async def test_sort_toggle_orders_by_date(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        await pilot.press("ctrl+o")
        await settle(pilot)
        dates = [hit.date for hit in app.query_one(ResultList).hits if hit.date]
        assert len(dates) >= 2 and dates == sorted(dates, reverse=True)
        assert "sort: date" in str(app.query_one("#status-sort").render())
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.query_one(ResultList).border_subtitle.endswith("by relevance")


async def test_a_query_that_does_not_parse_is_a_notice_not_a_crash(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "date:someday pegasus")
        bar = app.query_one(SearchBar)
        assert bar.has_class("-notice")
        assert str(app.query_one("#search-notice").render()).strip()
        assert app.is_running


async def test_problems_are_counted_and_listed_on_demand(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert app.query_one(StatusBar).has_class("-problems")
        assert "problem" in str(app.query_one("#status-problems").render())
        await pilot.press("escape", "tab")  # leave the query so F8 is not typed text
        await pilot.press("f8")
        await settle(pilot)  # the list is read in a worker when asked for
        assert isinstance(app.screen, ProblemsScreen)
        table = app.screen.query_one(DataTable)
        cells = [str(table.get_row_at(row)[1]) for row in range(table.row_count)]
        assert any(cell.startswith("broken.md") for cell in cells)


async def test_choosing_a_problem_opens_its_file(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        app.action_problems()
        await settle(pilot)
        assert [p for p in app.screen.problems if p.path == "broken.md"]
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=[p.path for p in app.screen.problems].index("broken.md"))
        await pilot.press("enter")
        await settle(pilot)
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.path == "broken.md"


async def test_a_new_file_shows_up_without_restarting(case_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "QUIET_AFTER_SEARCH", 0.0)  # the watch waits for typing pauses
    app = make_app(config_for(case_dir), live_interval=0.2)
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "zanzibar")
        assert hit_ids(app) == []
        (case_dir / "zanzibar.md").write_text("---\nid: ZZ-1\ntitle: Zanzibar ferry\n---\nZanzibar.\n")
        assert await wait_until(pilot, lambda: hit_ids(app) == ["ZZ-1"])


async def test_a_word_still_being_typed_is_searched_as_a_prefix(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "desapar", keys=True)
        assert app.query_one(ResultList).result.query == "desapar*"
        assert hit_ids(app)  # "Desaparición forzada en Guerrero" among them
        await type_query(pilot, "desapar ", keys=True)  # a space: the word is finished, literal
        assert app.query_one(ResultList).result.query == "desapar "


async def test_enter_on_a_word_not_finished_opens_the_top_prefix_hit(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "desapar", keys=True)
        top = hit_ids(app)[0]
        await pilot.press("enter")
        await settle(pilot)
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.id == top


async def test_a_full_title_typed_without_a_space_still_comes_first(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "hacking team contracts in mexico", keys=True)
        assert app.query_one(ResultList).result.query.endswith("*")
        assert app.query_one(ResultList).hits[0].title == "Hacking Team contracts in Mexico"
        await pilot.press("enter")  # literal: the core's exact-title boost decides
        await settle(pilot)
        assert app.query_one(CaseView).case.title == "Hacking Team contracts in Mexico"
