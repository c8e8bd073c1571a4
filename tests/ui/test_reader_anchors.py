"""Following `[[Note#Heading]]`, `[[Note#^blockid]]` and `[[#Heading]]` opens the note scrolled there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import config_for, settle, started

from casefile.ui.app import CasefileApp, make_app
from casefile.ui.links import LinkTarget
from casefile.ui.widgets.case_view import CaseView

FILLER = "".join(f"Filler paragraph number {n} of the long note.\n\n" for n in range(60))
LONG = f"# Long\n\n{FILLER}## The Deep, Heading!\n\nUnder the deep heading.\n\n{FILLER}" \
       f"The named paragraph at the end. ^far-away\n\n{FILLER}"
FROM = f"""# From

To [[Long#the deep heading]], to [[Long#^far-away]], to [[Long#Nowhere at all]],
to [[#Own place]].

{FILLER}## Own place

Here.

{FILLER}"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A folder with a long note and one that links into it."""
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "Long.md").write_text(LONG, encoding="utf-8")
    (folder / "From.md").write_text(FROM, encoding="utf-8")
    return folder


async def follow(pilot: object, app: CasefileApp, number: int) -> CaseView:
    """Open From.md, follow its `number`th link, and wait for the result on screen."""
    app.open_case("From.md", focus=True)
    await settle(pilot)
    view = app.query_one(CaseView)
    link = view.body.document.links[number]
    assert isinstance(link, LinkTarget)
    view.follow(link)
    await settle(pilot)
    return view


def top_text(view: CaseView) -> str:
    """The text of the block at the top of the body."""
    return view.body.document.blocks[view.body.block_at_top()].text


@pytest.mark.parametrize(("number", "path", "top"), [
    (0, "Long.md", "The Deep, Heading!"),
    (1, "Long.md", "The named paragraph at the end."),
    (3, "From.md", "Own place"),
])
async def test_an_anchor_opens_the_note_scrolled_to_it(vault: Path, number: int, path: str, top: str) -> None:
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = await follow(pilot, app, number)
        assert view.case is not None and view.case.path == path
        assert top_text(view) == top


async def test_a_missing_heading_opens_the_note_at_its_top_with_a_notice(vault: Path) -> None:
    app = make_app(config_for(vault), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = await follow(pilot, app, 2)
        assert view.case is not None and view.case.path == "Long.md"
        assert view.body.scroll_y == 0
        assert any("Nowhere at all" in str(note.message) for note in app._notifications)
        assert 2 not in view.body.dangling
