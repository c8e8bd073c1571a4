"""The status line's progress bar: shown only while files are being indexed."""

from __future__ import annotations

from pilot_helpers import config_for
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import ProgressBar

from casefile.core.archive.facade import RefreshReport
from casefile.ui.messages import IndexDone, IndexProgress
from casefile.ui.widgets.status_bar import StatusBar
from casefile.ui.workers import ArchiveService

CSS_PATH = "../../src/casefile/ui/casefile.tcss"


class StatusApp(App[None]):
    """Only the status line."""

    CSS_PATH = CSS_PATH

    def compose(self) -> ComposeResult:
        yield StatusBar()


async def test_the_bar_shows_while_indexing_and_never_for_nothing_to_index() -> None:
    app = StatusApp()
    async with app.run_test(size=(100, 5)) as pilot:
        status = app.query_one(StatusBar)
        bar = app.query_one(ProgressBar)
        status.set_progress(0, 0)
        await pilot.pause()
        assert not bar.display and "0/0" not in str(app.query_one("#status-index").render())
        status.set_progress(5, 10)
        await pilot.pause()
        assert bar.display and "5/10" in str(app.query_one("#status-index").render())
        status.set_progress(10, 10)  # saving and listing problems follow: no full bar meanwhile
        await pilot.pause()
        assert not bar.display


class FakeArchive:
    """A refresh that finds nothing to read (as after a removal), reported as 0 of 0."""

    def refresh(self, progress, rebuild=False, paths=None):
        progress(0, 0)
        return RefreshReport(0, 0, 0, 3, 0.01, cases=3)

    def problem_count(self) -> int:
        return 0


class Recorder:
    """Stands in for the app: keeps what the worker posts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def post_message(self, message: Message) -> bool:
        self.messages.append(message)
        return True


def test_a_refresh_with_nothing_to_index_posts_no_progress(tmp_path) -> None:
    recorder = Recorder()
    service = ArchiveService(recorder, config_for(tmp_path))  # type: ignore[arg-type]
    service.archive = FakeArchive()  # type: ignore[assignment]
    service._refresh_body(rebuild=False)
    assert not [m for m in recorder.messages if isinstance(m, IndexProgress)]
    assert [m for m in recorder.messages if isinstance(m, IndexDone)]


def test_an_edit_during_a_refresh_is_refreshed_by_path_when_it_ends(tmp_path) -> None:
    asked: list[dict] = []

    class Running:
        is_finished = False

    class App(Recorder):
        def run_worker(self, work, **_options):
            asked.append({"work": work})
            return Running()

    service = ArchiveService(App(), config_for(tmp_path))  # type: ignore[arg-type]
    assert service.refresh()  # a whole refresh starts and runs on
    assert not service.refresh(paths=["a.md"]) and not service.refresh(paths=["b.md", "a.md"])
    Running.is_finished = True
    calls: list[dict] = []
    service._refresh_body = lambda rebuild, paths=None: calls.append({"rebuild": rebuild, "paths": paths})
    service.refresh_pending()
    asked[-1]["work"]()
    assert calls == [{"rebuild": False, "paths": ["a.md", "b.md"]}]
