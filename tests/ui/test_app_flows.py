"""Pilot tests of routing and app-wide features: links, history, editor, help, palette, failures."""

from __future__ import annotations

import sys
from pathlib import Path

from pilot_helpers import config_for, settle, started, type_query, wait_until
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from casefile.core.model import CasefileError
from casefile.ui.app import CasefileApp, make_app
from casefile.ui.screens.entities import EntitiesScreen
from casefile.ui.screens.external_link import ExternalLinkScreen
from casefile.ui.screens.help import HelpScreen
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.result_list import ResultList
from casefile.ui.widgets.xref_panel import XrefPanel


async def open_case(pilot: Pilot[object], app: CasefileApp, ref: str) -> CaseView:
    """Open `ref` as the app does for a chosen hit, and wait until it is shown."""
    app.open_case(ref, focus=True)  # a preview pending from the launch never replaces it
    await settle(pilot)
    return app.query_one(CaseView)


async def test_following_a_wiki_link_navigates_and_back_returns(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "MX-2017-004")
        view.post_message(CaseView.LinkFollowed("MX-2016-001"))
        await settle(pilot)
        assert view.case is not None and view.case.id == "MX-2016-001"
        await pilot.press("alt+left")
        await settle(pilot)
        assert view.case.id == "MX-2017-004"
        await pilot.press("alt+right")
        await settle(pilot)
        assert view.case.id == "MX-2016-001"


async def test_a_dangling_link_is_reported_not_followed(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "MX-2017-004")
        view.post_message(CaseView.LinkFollowed("Nobody At All"))
        await settle(pilot)
        assert view.case.id == "MX-2017-004"
        assert any("Nobody At All" in n.message for n in app._notifications)


async def test_external_links_are_shown_never_opened(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "MX-2017-004")
        view.post_message(CaseView.ExternalLink("https://example.org/report"))
        await pilot.pause()
        assert isinstance(app.screen, ExternalLinkScreen)
        assert app.screen.url == "https://example.org/report"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExternalLinkScreen)


async def test_ctrl_e_edits_the_case_and_the_change_shows(case_dir: Path) -> None:
    # the editor also writes a file beside it: the refresh after the editor looks at the edited file only
    editor = (f"{sys.executable} -c \"import sys, pathlib;"
              f" open(sys.argv[1], 'a').write('Edited paragraph. Zebrafinch.');"
              f" pathlib.Path(sys.argv[1]).with_name('beside.md').write_text('Word okapiword.')\"")
    app = make_app(config_for(case_dir, editor=editor), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await open_case(pilot, app, "MX-2016-001")
        await pilot.press("ctrl+e")
        view = app.query_one(CaseView)
        assert await wait_until(pilot, lambda: view.case is not None and "Edited paragraph." in view.case.body)
        assert view.case.id == "MX-2016-001"
        assert "Edited paragraph." in (case_dir / "mexico" / "hacking-team.md").read_text()
        service = app.service
        assert await wait_until(pilot, lambda: not service.refreshing and service.archive.search("zebrafinch").total)
        assert service.archive.search("okapiword").total == 0  # not looked at until the next whole check


async def test_help_lists_the_keys_of_every_pane(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(title for title, _ in app.screen.sections)
        assert "Everywhere" in text and "Results" in text and "Case" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_palette_offers_casefile_commands(app: CasefileApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await type_query(pilot, "spyware")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"sort by date")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(ResultList).border_subtitle.endswith("by date")


async def test_an_archive_that_cannot_open_is_a_message_not_a_crash(app: CasefileApp) -> None:
    def refuse(*_args: object) -> object:
        raise CasefileError("index folder is not writable")

    app.service._opener = refuse
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert app.is_running
        assert any("not writable" in n.message for n in app._notifications)
        assert "not available" in str(app.query_one("#status-index").render())


async def test_an_entity_from_the_cross_reference_pane_shows_and_its_page_opens(app: CasefileApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "MX-2017-004")
        xref = app.query_one(XrefPanel)
        xref.post_message(XrefPanel.EntityChosen("Citizen Lab"))
        await settle(pilot)
        assert xref.entity_xref is not None and xref.entity_xref.name == "Citizen Lab"
        assert "MX-2017-004" in [ref.id for ref in xref.entity_xref.cases_listing]
        xref.post_message(XrefPanel.CaseChosen(xref.entity_xref.page_id))
        await settle(pilot)
        assert view.case is not None and view.case.is_entity and view.case.title == "Citizen Lab"


async def test_the_entity_browser_shows_the_chosen_entity(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, EntitiesScreen)
        await pilot.press(*"citizen")  # the filter has the keys at once
        await pilot.press("enter")
        await settle(pilot)
        xref = app.query_one(XrefPanel)
        assert xref.display and xref.entity_xref is not None and xref.entity_xref.name == "Citizen Lab"


async def test_answers_arriving_under_a_dialog_go_to_the_main_screen(app: CasefileApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        app.main.query_one("#query", Input).value = "pegasus"  # a search finishes under the dialog
        app.action_refresh_index()
        await pilot.pause(0.5)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, HelpScreen)
        assert app.main.query_one(ResultList).result.query == "pegasus*"  # typed, not submitted: a prefix


async def test_with_the_pane_hidden_a_case_opens_without_the_cross_reference(case_dir: Path) -> None:
    (case_dir / "nowhere.md").write_text("---\nid: NW-1\ntitle: Nowhere\n---\n"
                                         "See [[Nobody At All]] and [[MX-2016-001]].\n")
    app = make_app(config_for(case_dir), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:  # 120 columns: the pane is hidden
        await started(pilot)
        view = await open_case(pilot, app, "NW-1")
        assert view.case is not None and view.case.id == "NW-1" and not app.reading.xref_shown
        assert app.service.archive.xref._xref is None  # no cross-reference computed from every record
        assert {view.body.document.links[i].target for i in view.body.dangling} == {"Nobody At All"}
        xref = app.query_one(XrefPanel)
        assert xref.deferred == "NW-1" and xref.case_xref is None
        await pilot.press("f3")  # shown: read now
        await settle(pilot)
        assert xref.deferred is None and xref.case_xref is not None and xref.case_xref.title == "Nowhere"


async def test_with_the_pane_shown_a_case_comes_with_its_cross_reference(app: CasefileApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:  # 160 columns: three panes
        await started(pilot)
        await open_case(pilot, app, "MX-2017-004")
        xref = app.query_one(XrefPanel)
        assert app.reading.xref_shown and xref.deferred is None and xref.case_xref is not None


async def test_an_entity_chosen_before_the_put_off_case_xref_arrives_stays_on_view(case_dir: Path) -> None:
    app = make_app(config_for(case_dir), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:  # the pane is hidden: the case xref is put off
        await started(pilot)
        await open_case(pilot, app, "MX-2017-004")
        xref = app.query_one(XrefPanel)
        assert xref.deferred == "MX-2017-004"
        xref.post_message(XrefPanel.EntityChosen("Citizen Lab"))  # shows the pane, then the entity
        await settle(pilot)
        assert xref.entity_xref is not None and xref.entity_xref.name == "Citizen Lab"
        assert xref.case_xref is not None and xref.deferred is None
        await pilot.press("left")  # back to the case's cross-reference
        await pilot.pause()
        assert xref.entity_xref is None and xref.case_xref.title
