"""Counts the reader shows are English singular/plural with thousands separators."""

from __future__ import annotations

from types import SimpleNamespace

from textual.app import App, ComposeResult

from casefile.ui.screens.entities import EntitiesScreen
from casefile.ui.widgets.status_bar import StatusBar

CSS_PATH = "../../src/casefile/ui/casefile.tcss"


def test_an_entity_row_says_1_case_and_1_mention() -> None:
    one = SimpleNamespace(name="Ana Ruiz", type="person", cases=1, mentions=1, dangling=False)
    many = SimpleNamespace(name="PGR", type="organization", cases=12_000, mentions=2, dangling=False)
    assert str(EntitiesScreen._row(one).prompt) == "Ana Ruiz  1 case · 1 mention · person"
    assert str(EntitiesScreen._row(many).prompt) == "PGR  12,000 cases · 2 mentions · organization"


class StatusApp(App[None]):
    """Only the status line."""

    CSS_PATH = CSS_PATH

    def compose(self) -> ComposeResult:
        yield StatusBar()


async def test_the_status_bar_says_1_case() -> None:
    app = StatusApp()
    async with app.run_test(size=(100, 5)) as pilot:
        app.query_one(StatusBar).set_ready(1, 1)
        await pilot.pause()
        assert "1 case · 1 entity page" in str(app.query_one("#status-index").render())
        app.query_one(StatusBar).set_ready(10_000, 2)
        await pilot.pause()
        assert "10,000 cases · 2 entity pages" in str(app.query_one("#status-index").render())
