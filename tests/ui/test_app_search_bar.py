"""The search bar on its own: when keystrokes become searches, notices, added terms."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from casefile.ui.widgets import search_bar
from casefile.ui.widgets.search_bar import SearchBar
from casefile.ui.widgets.tag_filter import tag_term


class BarApp(App[None]):
    """One SearchBar; records the queries it asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield SearchBar()

    def on_mount(self) -> None:
        self.query_one(SearchBar).focus_query()

    def on_search_bar_query_changed(self, event: SearchBar.QueryChanged) -> None:
        self.queries.append(event.query)

    def on_search_bar_submitted(self, event: SearchBar.Submitted) -> None:
        self.submitted.append(event.query)


async def test_a_key_after_a_pause_searches_at_once_and_a_burst_searches_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = 0.4  # wider than the real one, so a slow machine still types a "burst"
    monkeypatch.setattr(search_bar, "DEBOUNCE_SECONDS", window)
    app = BarApp()
    async with app.run_test() as pilot:
        await pilot.press("p")
        assert app.queries == ["p"]  # no waiting for the first key
        await pilot.press("e", "g", "a")
        await pilot.pause(window * 2)
        assert app.queries == ["p", "pega"]  # the burst became one search


async def test_enter_flushes_a_pending_query_before_submitting() -> None:
    app = BarApp()
    async with app.run_test() as pilot:
        await pilot.press("a", "b", "enter")
        assert app.queries[-1] == "ab" and app.submitted == ["ab"]


async def test_notice_line_shows_only_with_a_notice() -> None:
    app = BarApp()
    async with app.run_test() as pilot:
        bar = app.query_one(SearchBar)
        bar.show_notice("Could not parse \x1b[31m( : searched as words")
        await pilot.pause()
        notice = app.query_one("#search-notice")
        assert bar.has_class("-notice") and "\x1b" not in str(notice.render())
        bar.show_notice(None)
        assert not bar.has_class("-notice")


async def test_added_tag_term_is_not_repeated() -> None:
    app = BarApp()
    async with app.run_test():
        bar = app.query_one(SearchBar)
        bar.set_query("spyware")
        bar.add_term(tag_term("mexico"))
        bar.add_term(tag_term("mexico"))
        bar.add_term(tag_term("human rights"))
        assert bar.typed == 'spyware tag:mexico tag:"human rights"'
