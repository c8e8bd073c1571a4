"""Reading flows through `make_app`, driven by keys: links, history, find, outline, xref, hostile files."""

from __future__ import annotations

import contextlib
from pathlib import Path

from pilot_helpers import config_for
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from casefile.ui.app import CasefileApp, make_app
from casefile.ui.widgets.case_header import CaseHeader
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.find_bar import FindBar
from casefile.ui.widgets.outline import Outline
from casefile.ui.widgets.xref_panel import XrefPanel


async def settle(pilot: Pilot[object], rounds: int = 3) -> None:
    """Let workers finish and their messages be handled; a worker replaced by a newer one is fine."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerCancelled):  # an exclusive worker superseded by the latest request
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


started = settle


async def open_case(pilot: Pilot[object], app: CasefileApp, ref: str) -> CaseView:
    """Open `ref` as a chosen hit and wait until the reader shows it."""
    app.open_case(ref, focus=True)
    await settle(pilot)
    return app.query_one(CaseView)


def body_text(view: CaseView) -> str:
    """What the case body shows now."""
    return "\n".join(view.body.render_line(y).text for y in range(view.body.size.height))


async def test_tab_and_enter_follow_a_wiki_link_and_backspace_returns(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "MX-2017-004")
        assert "Pegasus infections of Mexican journalists" in str(view.query_one(CaseHeader).render())
        assert "Researchers at Citizen Lab found Pegasus" in body_text(view)
        order = view.body.links.order()
        last = next(i for i in order if view.body.document.links[i].target == "MX-2016-001")
        await pilot.press(*["tab"] * (order.index(last) + 1), "enter")
        await settle(pilot)
        assert view.case is not None and view.case.id == "MX-2016-001"
        view.body.focus()
        await pilot.press("backspace")
        await settle(pilot)
        assert view.case.id == "MX-2017-004"


async def test_find_and_outline_in_the_app(app: CasefileApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "MX-2017-004")
        await pilot.press("slash", *"message")
        await pilot.pause()
        count = str(view.query_one(FindBar).query_one("#find-count").render())
        assert count.startswith("1/") and view.body.current_match is not None
        await pilot.press("enter", "n")
        assert count != "1/1" or view.body.current_match is not None
        await pilot.press("escape")
        assert view.body.current_match is None
        await pilot.press("o")
        outline = view.query_one(Outline)
        assert outline.has_focus and [h.title for h in outline.headings] == ["Messages"]
        await pilot.press("enter")
        await pilot.pause()
        line = view.body.line_of(outline.headings[0].block)
        assert view.body.lines[line].block == outline.headings[0].block
        assert view.body.scroll_y == min(line, view.body.max_scroll_y)


async def test_an_entity_from_the_xref_pane_then_one_of_its_cases(app: CasefileApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "MX-2017-004")
        panel = app.query_one(XrefPanel)
        assert panel.display
        panel.focus()
        rows = [str(option.prompt) for option in panel.rows.options]
        panel.rows.highlighted = next(i for i, text in enumerate(rows) if text.startswith("Citizen Lab"))
        await pilot.press("enter")
        await settle(pilot)
        assert panel.entity_xref is not None and panel.entity_xref.name == "Citizen Lab"
        rows = [str(option.prompt) for option in panel.rows.options]
        listed = rows.index(next(text for text in rows if text.startswith("Listed in")))
        panel.rows.highlighted = listed + 1
        await pilot.press("enter")
        await settle(pilot)
        assert view.case is not None and view.case.id == "MX-2017-004"


async def test_a_hostile_file_in_the_app_shows_literally(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "evil.md").write_text(
        "---\ntitle: \"[link=file:///etc/passwd]x[/link] [/\"\n---\n"
        "Body [link=file:///etc/passwd]x[/link] [/ [bold] \x1b[2J\x1b]52;c;ZXZpbA==\x07 and "
        "[click](file:///etc/passwd) [up](../../secret.md)\n\n" + "> " * 10_000 + "deep\n",
        encoding="utf-8")
    app = make_app(config_for(folder.resolve()), live_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        view = await open_case(pilot, app, "evil")
        shown = body_text(view)
        assert "[link=file:///etc/passwd]x[/link] [/ [bold]" in shown
        assert "\x1b" not in shown and "\x07" not in shown
        assert "[link=file:///etc/passwd]x[/link]" in str(view.query_one(CaseHeader).render())
        kinds = {link.kind for link in view.body.document.links}
        assert kinds <= {"blocked"}
