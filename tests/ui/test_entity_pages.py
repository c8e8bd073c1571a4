"""Pilot tests: an entity page shows its entity's cross-reference wherever it is opened."""

from __future__ import annotations

from pathlib import Path

from pilot_helpers import settle, started, type_query
from textual.widgets import Static

from casefile.ui.app import CasefileApp
from casefile.ui.screens.entities import EntitiesScreen
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.search_pane import SETTLE_SECONDS
from casefile.ui.widgets.xref_panel import XrefPanel


def pane_title(app: CasefileApp) -> str:
    """The cross-reference pane's title line."""
    return str(app.query_one("#xref-title", Static).render())


async def test_an_entity_page_from_the_results_shows_its_entity(app: CasefileApp) -> None:
    async with app.run_test(size=(200, 50)) as pilot:  # wide: the pane is on screen
        await started(pilot)
        await type_query(pilot, "interdisciplinary laboratory")
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(CaseView).case.path == "entities/citizen-lab.md"
        panel = app.query_one(XrefPanel)
        assert panel.entity_xref is not None and panel.entity_xref.name == "Citizen Lab"
        assert pane_title(app) == "organization: Citizen Lab"
        assert app.focused is app.query_one(CaseView).body  # the pane does not take the keys


async def test_an_entity_page_read_with_the_pane_hidden_shows_its_entity_when_shown(
        app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:  # medium: the pane is hidden
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.05)
        await settle(pilot)
        app.open_case("entities/citizen-lab.md", focus=True)
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        panel = app.query_one(XrefPanel)
        assert panel.entity_xref is not None and panel.entity_xref.name == "Citizen Lab"
        listed = [case.id for case in panel.entity_xref.cases_listing]
        assert "MX-2017-004" in listed


async def test_a_case_after_an_entity_page_shows_the_case_again(app: CasefileApp) -> None:
    async with app.run_test(size=(200, 50)) as pilot:
        await started(pilot)
        await pilot.pause(SETTLE_SECONDS + 0.05)
        await settle(pilot)
        app.open_case("entities/citizen-lab.md", focus=True)
        await settle(pilot)
        app.open_case("MX-2017-004", focus=True)
        await settle(pilot)
        panel = app.query_one(XrefPanel)
        assert panel.entity_xref is None and panel.case_xref.id == "MX-2017-004"


async def test_dangling_targets_are_not_entities(app: CasefileApp, case_dir: Path) -> None:
    (case_dir / "loose.md").write_text("---\nid: L-1\ntitle: Loose\n---\nSee [[Nobody Named So]].\n", encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntitiesScreen)
        names = [entity.name for entity in screen.entities]
        assert "Citizen Lab" in names and "Nobody Named So" not in names
        assert str(screen.query_one("#entities-title", Static).render()) == f"Entities ({len(names)})"
        assert not [entity for entity in screen.entities if entity.type == "unknown"]
        status = str(app.query_one("#status-index", Static).render())
        assert "1 entity page" in status  # what the status counts: pages, not entities
