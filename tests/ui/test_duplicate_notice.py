"""The reader says when an id names two files, and a path opens exactly the file it names."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import config_for, settle, started

from casefile.ui.app import make_app
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.search_pane import SETTLE_SECONDS


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "one.md").write_text("---\nid: MX-2017-010\ntitle: First\n---\nOne.\n", encoding="utf-8")
    (folder / "b" / "two.md").write_text("---\nid: MX-2017-010\ntitle: Second\nentities:\n  person: [Luis Gil]\n"
                                         "---\nTwo.\n", encoding="utf-8")
    return folder.resolve()


async def test_an_id_of_two_files_is_said_and_a_path_opens_its_own_file(tmp_path: Path) -> None:
    app = make_app(config_for(_folder(tmp_path)), live_interval=None)
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.05)
        await settle(pilot)
        app.open_case("MX-2017-010", focus=True)
        await settle(pilot)
        view = app.query_one(CaseView)
        assert view.case is not None and view.case.path == "a/one.md"
        notices = [str(n.message) for n in app._notifications]
        assert any("a/one.md" in n and "b/two.md" in n for n in notices), notices
        app.open_case("b/two.md", focus=True)
        await settle(pilot)
        assert view.case.path == "b/two.md"
        shown = app.reading.xref.case_xref  # the pane shows this file's cross-reference, not the id's first
        assert shown is not None and shown.path == "b/two.md" and [e.name for e in shown.entities] == ["Luis Gil"]


async def test_a_put_off_cross_reference_is_the_opened_files(tmp_path: Path) -> None:
    app = make_app(config_for(_folder(tmp_path)), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:  # 120 columns: the pane is hidden, its read put off
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.05)
        await settle(pilot)
        app.open_case("b/two.md", focus=True)
        await settle(pilot)
        assert not app.reading.xref_shown
        await pilot.press("f3")
        await settle(pilot)
        shown = app.reading.xref.case_xref
        assert shown is not None and shown.path == "b/two.md"


async def test_back_returns_to_the_file_shown_not_the_first_file_of_its_id(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "c.md").write_text("---\nid: MX-2018-001\ntitle: Third\n---\nThree.\n", encoding="utf-8")
    app = make_app(config_for(folder), live_interval=None)
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.05)
        await settle(pilot)
        view = app.query_one(CaseView)
        for path in ("b/two.md", "c.md"):
            app.open_case(path, focus=True)
            await settle(pilot)
        assert view.case is not None and view.case.path == "c.md"
        await pilot.press("alt+left")  # the history holds paths: an id shared by two files is not enough
        await settle(pilot)
        assert view.case.path == "b/two.md"
        await pilot.press("alt+right")
        await settle(pilot)
        assert view.case.path == "c.md"
