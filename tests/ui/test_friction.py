"""Pilot tests of the small frictions of issue 11: what shows at launch, what the status says."""

from __future__ import annotations

import io
from pathlib import Path

from pilot_helpers import settle, started, type_query
from rich.console import Console
from textual.widgets import DataTable, Static

from casefile.ui.app import CasefileApp
from casefile.ui.messages import CaseBundle, CaseLoaded
from casefile.ui.screens.help import HelpScreen, help_renderable
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.result_list import ResultList
from casefile.ui.widgets.search_pane import SETTLE_SECONDS
from casefile.ui.widgets.tag_filter import TagFilter


def sort_label(app: CasefileApp) -> str:
    """The status line's sort field."""
    return str(app.query_one("#status-sort", Static).render())


async def test_the_highlighted_result_is_previewed_at_launch_when_the_reader_shows(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.1)
        await settle(pilot)
        results = app.query_one(ResultList)
        assert results.current is not None
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.path == results.current.path
        assert app.focused is app.query_one("#query")  # the query keeps the keys


async def test_a_pending_preview_never_replaces_a_case_the_user_opened(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.1)
        await settle(pilot)
        results = app.query_one(ResultList)
        chosen = results.hits[3].path
        await pilot.press("down", "down")  # to the list, then the next hit: its preview waits for a pause...
        app.open_case(chosen)  # ...during which a case is opened (as from F8 while results arrive)
        await pilot.pause(SETTLE_SECONDS + 0.1)
        await settle(pilot)
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.path == chosen
        await pilot.press("down")  # moving on in the results previews again
        await pilot.pause(SETTLE_SECONDS + 0.1)
        await settle(pilot)
        assert results.current is not None and view.case.path == results.current.path != chosen


async def test_an_answer_to_an_earlier_request_never_replaces_the_latest(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.open_case("MX-2017-004", focus=True)
        await settle(pilot)
        view, reading = app.query_one(CaseView), app.reading
        assert view.case is not None and view.case.id == "MX-2017-004"
        assert app.service.archive is not None
        other = app.service.archive.case("MX-2016-001")
        assert other is not None
        late = CaseBundle(other, None, {}, xref_deferred=True)
        reading.post_message(CaseLoaded("MX-2016-001", late, True, "", reading.ticket - 1))  # its worker ended late
        await settle(pilot)
        assert view.case.id == "MX-2017-004"
        reading.post_message(CaseLoaded("MX-2016-001", late, True, "", reading.ticket))  # the latest one's answer
        await settle(pilot)
        assert view.case.id == "MX-2016-001"


async def test_list_and_status_agree_on_the_order(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        results = app.query_one(ResultList)
        assert results.order == "by date"  # no query: every file, newest first
        assert sort_label(app) == "sort: date"
        await type_query(pilot, "spyware")
        assert results.order == "by relevance" and sort_label(app) == "sort: relevance"
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert results.order == "by date" and sort_label(app) == "sort: date"


async def test_ctrl_t_shows_the_tag_list_and_gives_it_the_keys(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        await pilot.press("ctrl+t")
        await pilot.pause()
        tags = app.query_one(TagFilter)
        assert tags.display and app.focused is tags
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.focused is app.query_one("#query")


async def test_help_lists_link_and_scrolling_keys(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(help_renderable(screen.sections, lambda binding: binding.key))
        rows = [(line.split("  ")[0].strip(), line) for line in console.export_text().splitlines()]
        for keys, meaning in (("tab", "Next link"), ("shift+tab", "Previous link"), ("enter", "Follow link"),
                              ("j", "Scroll down"), ("k", "Scroll up"), ("space", "Page down"),
                              ("g", "Top"), ("G", "Bottom"), ("ctrl+e", "Edit")):
            assert any(keys in key.split(", ") and meaning in line for key, line in rows), (keys, meaning)


async def test_choosing_a_problem_opens_its_file_at_the_problem_line(app: CasefileApp, case_dir: Path) -> None:
    filler = "\n\n".join(f"Paragraph {n} about the archive and its many careful entries." for n in range(60))
    (case_dir / "long.md").write_text(f"---\nid: LONG-1\ntitle: Long\n---\n# Long\n\n{filler}\n\n"
                                      "The witness named [[Nobody Named So]] in the end.\n\nLast words.\n",
                                      encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.action_problems()
        await settle(pilot)
        problems = app.screen.problems
        row = next(n for n, p in enumerate(problems) if p.path == "long.md")
        assert problems[row].line and problems[row].line > 100
        app.screen.query_one(DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await settle(pilot)
        body = app.query_one(CaseView).body
        assert app.query_one(CaseView).case.path == "long.md"
        target = next(n for n, b in enumerate(body.document.blocks) if "Nobody Named So" in b.text)
        top = int(body.scroll_y)
        assert top > 0 and top <= body.line_of(target) < top + body.scrollable_content_region.height


async def test_resizing_keeps_the_reading_position(app: CasefileApp, case_dir: Path) -> None:
    paragraphs = "\n\n".join(f"Paragraph {n} of the witness statement." for n in range(22))
    (case_dir / "medium.md").write_text(f"---\nid: MED-1\ntitle: Medium\n---\n{paragraphs}\n", encoding="utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.open_case("MED-1", focus=True)
        await settle(pilot)
        body = app.query_one(CaseView).body
        await pilot.press(*["j"] * 20)
        await pilot.pause()
        reading = body.block_at_top()
        assert reading > 0
        for width, height in ((200, 60), (80, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.2)
            await settle(pilot)
            top = int(body.scroll_y)
            assert top <= body.line_of(reading) < top + body.scrollable_content_region.height
        assert body.block_at_top() == reading
