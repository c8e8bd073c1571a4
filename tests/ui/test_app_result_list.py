"""The result list on its own: lazy rows, highlighted spans, the cursor, more-loading."""

from __future__ import annotations

import time

from textual.app import App, ComposeResult

from casefile.core.model import SearchHit, SearchResult
from casefile.core.text.spans import Span
from casefile.ui.widgets.result_list import ROW_HEIGHT, ResultList

CSS = """
ResultList { height: 1fr; }
ResultList > .result-list--match { text-style: bold underline; }
"""


def hit(number: int, **fields: object) -> SearchHit:
    """A made-up hit; `fields` override the defaults."""
    values: dict[str, object] = {
        "id": f"C-{number}", "title": f"Case number {number}", "path": f"c{number}.md",
        "kind": "case", "date": "2017-06-19", "tags": ("mexico", "spyware"), "score": 1.0,
        "snippet": "the Pegasus spyware was sent", "spans": (Span(4, 11),),
    }
    values.update(fields)
    return SearchHit(**values)  # type: ignore[arg-type]


def result(count: int, total: int | None = None, query: str = "pegasus") -> SearchResult:
    """`count` hits of a result set of `total`."""
    return SearchResult(query, total if total is not None else count,
                        tuple(hit(i) for i in range(count)))


class ListApp(App[None]):
    """A bare app around one ResultList; records the messages it posts."""

    CSS = CSS

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield ResultList()

    def on_result_list_highlighted(self, event: ResultList.Highlighted) -> None:
        self.messages.append(event)

    def on_result_list_selected(self, event: ResultList.Selected) -> None:
        self.messages.append(event)

    def on_result_list_more_wanted(self, event: ResultList.MoreWanted) -> None:
        self.messages.append(event)


def line_texts(widget: ResultList) -> list[str]:
    """The visible lines as plain text."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_rows_show_title_date_snippet_tags_and_id() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show_result(result(3))
        await pilot.pause()
        lines = line_texts(results)
        assert "Case number 0" in lines[0] and "2017-06-19" in lines[0]
        assert "the Pegasus spyware was sent" in lines[1]
        assert "#mexico #spyware" in lines[2] and "C-0" in lines[2]
        assert "Case number 1" in lines[ROW_HEIGHT]


async def test_matched_span_is_styled_and_nothing_else() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show_result(result(1))
        await pilot.pause()
        segments = list(results.render_line(1))
        styled = "".join(s.text for s in segments if s.style and (s.style.bold and s.style.underline))
        assert styled == "Pegasus"


async def test_twenty_thousand_hits_render_without_a_widget_per_hit() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 20)) as pilot:
        results = app.query_one(ResultList)
        begin = time.perf_counter()
        results.show_result(result(20_000))
        await pilot.pause()
        results.action_jump(-1)
        await pilot.pause()
        elapsed = time.perf_counter() - begin
        assert results.virtual_size.height == 20_000 * ROW_HEIGHT
        assert len(results.children) == 0
        assert "Case number 19999" in "\n".join(line_texts(results))
        assert elapsed < 5  # generous: a widget per hit takes tens of seconds


async def test_cursor_moves_and_enter_selects() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show_result(result(5))
        results.focus()
        await pilot.press("down", "down", "enter")
        selected = [m for m in app.messages if isinstance(m, ResultList.Selected)]
        assert [m.hit.id for m in selected] == ["C-2"]
        highlighted = [m.hit.id for m in app.messages if isinstance(m, ResultList.Highlighted) and m.hit]
        assert highlighted[-1] == "C-2"
        assert results.border_subtitle.startswith("3/5")  # the position, as there is no scrollbar


async def test_click_opens_the_clicked_hit() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show_result(result(3))
        await pilot.pause()
        await pilot.click(ResultList, offset=(5, ROW_HEIGHT + 1))
        selected = [m.hit.id for m in app.messages if isinstance(m, ResultList.Selected)]
        assert selected == ["C-1"]


async def test_more_row_asks_for_more_hits_once() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show_result(result(2, total=500))
        await pilot.pause()
        assert "498 more" in "\n".join(line_texts(results))
        results.refresh()
        await pilot.pause()
        wanted = [m for m in app.messages if isinstance(m, ResultList.MoreWanted)]
        assert len(wanted) == 1 and wanted[0].count > 2 and wanted[0].query == "pegasus"


async def test_extending_keeps_the_cursor() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show_result(result(3, total=10))
        results.cursor = 2
        results.show_result(result(10), keep_cursor=True)
        await pilot.pause()
        assert results.cursor == 2 and not results.has_more


async def test_file_text_is_never_markup_and_control_codes_are_removed() -> None:
    app = ListApp()
    hostile = hit(0, title="[bold red]Markup[/] \x1b]8;;http://evil\x07 title",
                  tags=("[link=x]tag",), snippet="a [red]b[/red] \x1b[2J c", spans=())
    async with app.run_test(size=(70, 12)) as pilot:
        results = app.query_one(ResultList)
        results.show_result(SearchResult("x", 1, (hostile,)))
        await pilot.pause()
        text = "\n".join(line_texts(results))
        assert "[bold red]Markup[/]" in text and "#[link=x]tag" in text
        assert "[red]b[/red]" in text
        assert "\x1b" not in text and "\x07" not in text


async def test_empty_state_shows_the_hint() -> None:
    app = ListApp()
    async with app.run_test(size=(60, 12)) as pilot:
        results = app.query_one(ResultList)
        results.empty_text = "No results."
        results.show_result(SearchResult("zzz", 0, ()))
        await pilot.pause()
        assert any("No results." in line for line in line_texts(results))
        assert results.current is None
