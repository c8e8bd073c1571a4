"""The cross-reference pane and the entity browser, on a real XrefStore of a tiny folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import OptionList

from casefile.core.read.library import load_library
from casefile.core.xref.store import XrefStore
from casefile.ui.screens.entities import EntitiesScreen
from casefile.ui.widgets.xref_panel import MAX_ROWS_PER_SECTION, XrefPanel

CSS_PATH = "../../src/casefile/ui/casefile.tcss"

FILES = {
    "a.md": "---\nid: A\ntitle: Case A\ndate: 2017-01-02\nentities:\n  organization: [Citizen Lab]\n"
            "  person: [Ana Ruiz]\n---\nA links [[B]] and names Citizen Lab.\n",
    "b.md": "---\nid: B\ntitle: Case B\ndate: 2018-05-06\nentities:\n  organization: [Citizen Lab]\n---\n"
            "B is about [[Ana Ruiz]].\n",
    "c.md": "---\nid: C\ntitle: Case C\n---\nA note that mentions Citizen Lab without a link.\n",
    "entities/citizen-lab.md": "---\ntype: organization\nname: Citizen Lab\naliases: [The Citizen Lab]\n---\nA lab.\n",
}


@pytest.fixture
def store(tmp_path: Path) -> XrefStore:
    """The cross-reference of FILES."""
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = load_library(tmp_path)
    xref = XrefStore(None)
    xref.update(library.cases, [], lambda path: None)
    return xref


class PanelApp(App[None]):
    """Mounts an XrefPanel and routes EntityChosen the way the real app does."""

    CSS_PATH = CSS_PATH

    def __init__(self, store: XrefStore) -> None:
        super().__init__()
        self.store = store
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield XrefPanel()

    def on_xref_panel_entity_chosen(self, event: XrefPanel.EntityChosen) -> None:
        self.messages.append(event)
        self.query_one(XrefPanel).show_entity_xref(self.store.entity(event.name))

    def on_xref_panel_case_chosen(self, event: XrefPanel.CaseChosen) -> None:
        self.messages.append(event)


def rows(panel: XrefPanel) -> list[str]:
    """The plain text of every row."""
    options = panel.rows.options
    return [str(option.prompt) for option in options]


def choose(panel: XrefPanel, starting: str) -> int:
    """Index of the first row starting with `starting`."""
    return next(i for i, text in enumerate(rows(panel)) if text.startswith(starting))


async def test_case_xref_lists_entities_backlinks_and_related(store: XrefStore) -> None:
    app = PanelApp(store)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(XrefPanel)
        panel.show_case_xref(store.case("A"))
        await pilot.pause()
        shown = rows(panel)
        assert "Entities (2)" in shown and "Related cases (1)" in shown
        assert any(text.startswith("Citizen Lab") and "organization" in text for text in shown)
        assert any(text.startswith("Case B") and "2 shared" in text for text in shown)
        panel.show_case_xref(store.case("B"))
        assert "Backlinks (1)" in rows(panel)
        assert any(text.startswith("Case A") and "A links B and names" in text for text in rows(panel))


async def test_entity_shows_cases_mentions_cooccurrence_and_timeline_then_navigates(store: XrefStore) -> None:
    app = PanelApp(store)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(XrefPanel)
        panel.show_case_xref(store.case("A"))
        panel.focus()
        panel.rows.highlighted = choose(panel, "Citizen Lab")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.messages[0], XrefPanel.EntityChosen) and app.messages[0].name == "entities/citizen-lab.md"
        shown = rows(panel)
        for header in ("Listed in (2)", "Unlinked mentions", "Co-occurring (1)", "Timeline (2)"):
            assert any(text.startswith(header) for text in shown), header
        assert any("mentions Citizen Lab without a link" in text for text in shown)
        assert any(text.startswith("Ana Ruiz") and "×2" in text for text in shown)
        timeline = shown[choose(panel, "Timeline"):]
        assert timeline[1].startswith("Case A") and timeline[2].startswith("Case B")
        panel.rows.highlighted = choose(panel, "Case C")
        await pilot.press("enter")
        assert isinstance(app.messages[-1], XrefPanel.CaseChosen) and app.messages[-1].case_id == "C"


async def test_left_returns_from_an_entity_to_the_case(store: XrefStore) -> None:
    app = PanelApp(store)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(XrefPanel)
        panel.show_case_xref(store.case("A"))
        panel.focus()
        panel.show_entity_xref(store.entity("Citizen Lab"))
        panel.show_entity_xref(store.entity("Ana Ruiz"))
        await pilot.press("left")
        assert panel.entity_xref is not None and panel.entity_xref.name == "Citizen Lab"
        await pilot.press("left")
        assert panel.entity_xref is None and "Entities (2)" in rows(panel)
        assert not panel.check_action("back", ())


async def test_long_sections_are_capped(store: XrefStore) -> None:
    app = PanelApp(store)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(XrefPanel)
        entity = store.entity("Citizen Lab")
        many = type(entity)(**{**{f: getattr(entity, f) for f in entity.__slots__},
                               "timeline": entity.timeline * (MAX_ROWS_PER_SECTION + 5)})
        panel.show_entity_xref(many)
        await pilot.pause()
        assert any("more" in text and text.startswith("…") for text in rows(panel))


class BrowserApp(App[None]):
    """Pushes the entity browser and keeps what it returns."""

    CSS_PATH = CSS_PATH

    def __init__(self, store: XrefStore) -> None:
        super().__init__()
        self.store = store
        self.chosen: list[str | None] = []

    def on_mount(self) -> None:
        self.push_screen(EntitiesScreen(self.store.entities()), self.chosen.append)


async def test_entity_browser_filters_by_type_and_name_and_returns_a_name(store: XrefStore) -> None:
    app = BrowserApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        types = app.screen.query_one("#entity-types", OptionList)
        assert next(str(o.prompt) for o in types.options).startswith("all")
        person = next(i for i, o in enumerate(types.options) if str(o.prompt).startswith("person"))
        types.highlighted = person
        await pilot.pause()
        listing = app.screen.query_one("#entity-list", OptionList)
        assert [str(o.prompt).split("  ")[0] for o in listing.options] == ["Ana Ruiz"]
        types.highlighted = 0
        app.screen.query_one("#entities-filter").value = "citizen"
        await pilot.pause()
        listing.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == ["Citizen Lab"]


def entity_names(listing: OptionList) -> list[str]:
    """The names in the entity list, in order."""
    return [str(option.prompt).split("  ")[0] for option in listing.options]


async def test_entity_browser_filters_as_soon_as_typing_starts(store: XrefStore) -> None:
    app = BrowserApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"ana")
        await pilot.pause()
        assert entity_names(app.screen.query_one("#entity-list", OptionList)) == ["Ana Ruiz"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == ["Ana Ruiz"]


async def test_entity_browser_arrows_in_the_filter_move_the_list_and_enter_chooses(store: XrefStore) -> None:
    app = BrowserApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one("#entity-list", OptionList)
        second = entity_names(listing)[1]
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one("#entities-filter")
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == [second]


async def test_entity_browser_letters_typed_in_a_list_go_to_the_filter(store: XrefStore) -> None:
    app = BrowserApp(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("tab")  # to the type list
        await pilot.press(*"citx", "backspace")
        await pilot.pause()
        assert app.screen.query_one("#entities-filter").value == "cit"
        assert entity_names(app.screen.query_one("#entity-list", OptionList)) == ["Citizen Lab"]
