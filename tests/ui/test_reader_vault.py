"""The reader on a vault (issue 13): links followed to the note nearest the linking one,
right-to-left lines kept inside their pane, missing attachments marked in the header."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from pilot_helpers import config_for, screen_lines, settle, started

from casefile.ui.app import CasefileApp, make_app
from casefile.ui.bidi import LRM, has_rtl
from casefile.ui.links import LinkTarget
from casefile.ui.screens.entities import EntitiesScreen
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.outline import Outline
from casefile.ui.widgets.xref_panel import XrefPanel

VAULT = Path(__file__).parent.parent / "data" / "vault"
ARABIC = "هذا سطر عربي طويل عن الصحفيين تحت المراقبة "
RTL_NOTE = f"""# ملاحظة طويلة

{ARABIC * 12}

Latin first, then {ARABIC * 4}

> [!note] عنوان التنبيه
> {ARABIC * 3}

- {ARABIC * 3}

| عمود | column |
|------|--------|
| خلية | cell   |
"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A copy of the vault fixture (the app writes nothing, but never in tests/data)."""
    folder = tmp_path / "vault"
    shutil.copytree(VAULT, folder)
    (folder / "ar" / "طويل.md").write_text(RTL_NOTE, encoding="utf-8")
    return folder


async def follow(pilot: object, app: CasefileApp, path: str, number: int) -> CaseView:
    """Open the note at `path`, follow its `number`th link, and wait for the result."""
    app.open_case(path, focus=True)
    await settle(pilot)
    view = app.query_one(CaseView)
    assert view.case is not None and view.case.path == path
    link = view.body.document.links[number]
    assert isinstance(link, LinkTarget) and link.kind == "wiki"
    view.follow(link)
    await settle(pilot)
    return view


@pytest.mark.parametrize(("path", "number", "opened"), [
    ("de/Hilfe.md", 0, "de/Obsidian URI.md"),  # not ar/Obsidian URI.md, first alphabetically
    ("en/Start.md", 0, "en/Guide.md"),  # not de/Guide.md
])
async def test_a_followed_link_opens_the_same_named_note_nearest_the_linking_one(
        vault: Path, path: str, number: int, opened: str) -> None:
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        view = await follow(pilot, app, path, number)
        assert view.case is not None and view.case.path == opened


async def test_a_followed_link_to_an_entity_page_shows_the_nearest_entity(vault: Path) -> None:
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        await follow(pilot, app, "en/Lab.md", 0)  # [[Marie Curie]]: de/ and en/ both have a page
        shown = app.query_one(XrefPanel).entity_xref
        assert shown is not None and shown.page_id == "en/Marie Curie"


def strong(text: str) -> list[str]:
    """The characters of `text` that set a direction (LRM is a left-to-right one)."""
    return [ch for ch in text if unicodedata.bidirectional(ch) in ("L", "R", "AL")]


async def test_right_to_left_lines_are_marked_left_to_right_at_both_ends(vault: Path) -> None:
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(100, 40)) as pilot:
        await started(pilot)
        app.open_case("ar/طويل.md", focus=True)
        await settle(pilot)
        body = app.query_one(CaseView).body
        rows = ["".join(segment.text for segment in body.render_line(y)) for y in range(body.size.height)]
        arabic = [row for row in rows if has_rtl(row)]
        assert len(arabic) > 10  # the long paragraph wraps over several rows, each checked
        for row in arabic:
            letters = strong(row)
            assert letters[0] == LRM and letters[-1] == LRM, row
        # the marks take no cell: every row still fills the pane exactly
        assert {len(row) - row.count(LRM) for row in rows} == {body.size.width - body.scrollbar_size_vertical}
        # and they reach the terminal: each screen row holding Arabic is left-to-right at both ends
        screen = [row for row in screen_lines(app) if has_rtl(row)]
        assert len(screen) >= len(arabic) and all(row.count(LRM) >= 2 for row in screen)
        assert all(unicodedata.bidirectional(strong(row)[0]) == unicodedata.bidirectional(strong(row)[-1]) == "L"
                   for row in screen)


async def test_outline_and_xref_rows_holding_arabic_are_marked_too(vault: Path) -> None:
    # the cross-reference pane wraps a long Arabic context over several rows: each is marked
    (vault / "ar" / "رابط.md").write_text(f"# رابط\n\n{ARABIC * 3} [[طويل]] {ARABIC * 3}\n", encoding="utf-8")
    (vault / "ar" / "طويل.md").write_text(RTL_NOTE + f"\n## {ARABIC}\n\nنص.\n\n## عنوان ثالث\n\nنص.\n",
                                           encoding="utf-8")
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        app.open_case("ar/طويل.md", focus=True)
        await settle(pilot)
        view = app.query_one(CaseView)
        view.action_toggle_outline()
        await settle(pilot)
        for widget in (view.query_one(Outline), app.query_one(XrefPanel).rows):
            rows = ["".join(segment.text for segment in widget.render_line(y)) for y in range(widget.size.height)]
            arabic = [row for row in rows if has_rtl(row)]
            assert len(arabic) >= 2, (widget, rows)
            assert all(strong(row)[0] == strong(row)[-1] == LRM for row in arabic), (widget, arabic)


async def test_a_missing_attachment_is_marked_missing_in_the_header(vault: Path) -> None:
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(200, 50)) as pilot:
        await started(pilot)
        app.open_case("Home.md", focus=True)
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
    assert "attachments (3): diagram.png, report.pdf, missing.png (dangling)" in screen


async def test_the_entity_browser_tells_same_named_entities_apart_and_opens_the_chosen_one(vault: Path) -> None:
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EntitiesScreen)
        await pilot.press(*"marie")
        rows = [str(screen.listing.get_option_at_index(n).prompt) for n in range(screen.listing.option_count)]
        assert [("de/Marie Curie" in row, "en/Marie Curie" in row) for row in rows] == [(True, False), (False, True)]
        await pilot.press("down", "enter")
        await settle(pilot)
        shown = app.query_one(XrefPanel).entity_xref
        assert shown is not None and shown.page_id == "en/Marie Curie"
