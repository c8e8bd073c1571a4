"""Layout at 80x24, 120x40 and 160x50, checked on regions and on the text on screen."""

from __future__ import annotations

from pilot_helpers import freeze_blink, screen_lines, settle, started, type_query

from casefile.ui.app import CasefileApp
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.result_list import ResultList


def shown(app: CasefileApp, selector: str) -> bool:
    """True when the widget takes room on screen."""
    widget = app.query_one(selector)
    return widget.display and widget.region.area > 0


async def test_80x24_shows_one_pane_at_a_time(app: CasefileApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        freeze_blink(app)
        await type_query(pilot, "pegasus")
        assert app.screen.has_class("-narrow")
        assert app.query_one("#search-pane").region.width == 80
        assert not shown(app, "#reader") and not shown(app, "#xref")
        lines = screen_lines(app)
        assert len(lines) == 24 and all(len(line) <= 80 for line in lines)
        assert any("Pegasus infections of Mexican journalists" in line for line in lines)
        assert "Quit" in lines[-1] and "Help" in lines[-1]
        assert "cases" in lines[-2] and "sort: relevance" in lines[-2]

        top = app.query_one(ResultList).hits[0].title
        await pilot.press("enter")
        await settle(pilot)
        assert shown(app, "#reader") and not shown(app, "#search-pane")
        assert app.query_one("#reader").region.width == 80
        assert any(top in line for line in screen_lines(app)[:6])

        await pilot.press("escape")
        await pilot.pause()
        assert shown(app, "#search-pane") and not shown(app, "#reader")
        assert app.focused is app.query_one("#query")


async def test_80x24_cross_reference_replaces_the_reader_when_asked(app: CasefileApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await type_query(pilot, "pegasus")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert shown(app, "#xref") and not shown(app, "#reader")
        await pilot.press("f3")
        await pilot.pause()
        assert shown(app, "#reader") and not shown(app, "#xref")
        await pilot.press("f3", "escape")  # leave with the pane open...
        await pilot.press("down", "enter")  # ...then the next case opens in the reader
        await settle(pilot)
        assert shown(app, "#reader") and not shown(app, "#xref")


async def test_160x50_uses_three_columns(app: CasefileApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        freeze_blink(app)
        await type_query(pilot, "pegasus")
        await pilot.pause(0.3)  # the highlighted hit is previewed after a short delay
        await settle(pilot)
        search, reader, xref = (app.query_one(s).region for s in ("#search-pane", "#reader", "#xref"))
        assert search.x == 0 < reader.x < xref.x
        assert search.right == reader.x and reader.right == xref.x and xref.right == 160
        assert min(search.width, reader.width, xref.width) >= 30
        view = app.query_one(CaseView)
        assert view.case is not None  # the top hit is previewed without pressing Enter
        top = app.query_one(ResultList).hits[0].title
        assert any(top in line[reader.x:] for line in screen_lines(app))
        await pilot.press("f3")
        await pilot.pause()
        assert not shown(app, "#xref") and app.query_one("#reader").region.right == 160


async def test_120x40_hides_the_cross_reference_until_asked(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert app.screen.has_class("-medium")
        assert shown(app, "#search-pane") and shown(app, "#reader") and not shown(app, "#xref")
        await pilot.press("f3")
        await pilot.pause()
        assert shown(app, "#xref")


async def test_the_screen_is_the_same_twice(case_dir: object, app: CasefileApp) -> None:
    # Nothing on screen may depend on timing once the workers are done (snapshot-safe).
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        freeze_blink(app)
        await type_query(pilot, "spyware")
        first = screen_lines(app)
        await pilot.pause(0.3)
        await settle(pilot)
        assert screen_lines(app) == first


async def test_themes_restyle_the_result_list(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        results = app.query_one(ResultList)
        before = results.get_component_rich_style("result-list--cursor")
        app.theme = "textual-light"
        await pilot.pause()
        after = results.get_component_rich_style("result-list--cursor")
        assert before.bgcolor != after.bgcolor
        assert any("results" in line for line in screen_lines(app))
