"""The case view in a tiny app: header, body, links, history, find, outline, hostile text."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from casefile.core.model import Case
from casefile.core.read.parse import parse_case
from casefile.ui.history import History
from casefile.ui.widgets.case_body import CaseBody
from casefile.ui.widgets.case_header import CaseHeader
from casefile.ui.widgets.case_view import CaseView
from casefile.ui.widgets.find_bar import FindBar
from casefile.ui.widgets.outline import Outline

CSS_PATH = "../../src/casefile/ui/casefile.tcss"

FIRST = """---
id: MX-1
title: Pegasus in Mexico
date: 2017-06-19
status: open
tags: [mexico, spyware]
entities:
  person: [Carmen Aristegui]
  organization: [Citizen Lab]
---
# Pegasus in Mexico

Peña Nieto was president. Read [[MX-2|the second case]] and [[Nobody]].
Also [the report](https://example.org/r) and [a secret](../../etc/passwd.md).
Then PENA again.
"""

SECOND = """---
id: MX-2
title: The second case
---
# The second case

Back to [[MX-1]].
"""


def case(text: str, path: str) -> Case:
    """Parse a case from text."""
    return parse_case(text, path)[0]


def long_case(sections: int = 12) -> Case:
    """A case with many headings and paragraphs."""
    parts = ["# Long case\n"]
    for number in range(1, sections + 1):
        parts.append(f"\n## Part {number}\n\n" + ("filler words go here " * 40) + "\n")
    return case("".join(parts), "long.md")


@dataclass(frozen=True)
class Found:
    """A stand-in for the core's Resolution."""

    kind: str


class ReaderApp(App[None]):
    """Mounts a CaseView and routes its messages the way the real app does."""

    CSS_PATH = CSS_PATH
    BINDINGS = [Binding("alt+left", "back"), Binding("alt+right", "forward")]

    def __init__(self, *cases: Case) -> None:
        super().__init__()
        self.cases = {c.id: c for c in cases}
        self.messages: list[Message] = []
        self.history: History[str] = History()  # the real app's is the ReadingPane's, by path

    def compose(self) -> ComposeResult:
        yield CaseView()

    @property
    def view(self) -> CaseView:
        return self.query_one(CaseView)

    def resolve(self, target: str) -> Found:
        return Found("case" if target in self.cases else "dangling")

    def open(self, case_id: str, record: bool = True) -> None:
        if record:
            self.history.push(case_id)
        self.view.show_case(self.cases[case_id], self.resolve, restore=not record)

    def on_case_view_link_followed(self, event: CaseView.LinkFollowed) -> None:
        self.messages.append(event)
        if event.target in self.cases:
            self.open(event.target)

    def on_case_view_external_link(self, event: CaseView.ExternalLink) -> None:
        self.messages.append(event)

    def on_case_view_rendered(self, event: CaseView.Rendered) -> None:
        self.messages.append(event)

    def action_back(self) -> None:
        if (key := self.history.back()) is not None:
            self.open(key, record=False)

    def action_forward(self) -> None:
        if (key := self.history.forward()) is not None:
            self.open(key, record=False)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        raise AssertionError("the reader must never open a URL")


def screen_text(body: CaseBody) -> str:
    """What the body shows now."""
    return "\n".join(body.render_line(y).text for y in range(body.size.height))


async def test_open_a_case_shows_header_and_body() -> None:
    app = ReaderApp(case(FIRST, "mx/1.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("MX-1")
        await pilot.pause()
        header = str(app.query_one(CaseHeader).render())
        for expected in ("Pegasus in Mexico", "MX-1", "2017-06-19", "open", "#mexico",
                         "person: Carmen Aristegui", "organization: Citizen Lab"):
            assert expected in header
        shown = screen_text(app.view.body)
        assert "Peña Nieto was president. Read the second case and Nobody." in shown
        assert "Pegasus in Mexico" not in shown  # the title heading is in the header only
        assert "[[" not in shown


async def test_dangling_links_are_marked() -> None:
    app = ReaderApp(case(FIRST, "mx/1.md"), case(SECOND, "mx/2.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("MX-1")
        await pilot.pause()
        body = app.view.body
        targets = {body.document.links[i].target for i in body.dangling}
        assert targets == {"Nobody"}


async def test_follow_a_wiki_link_then_back_and_forward() -> None:
    app = ReaderApp(case(FIRST, "mx/1.md"), case(SECOND, "mx/2.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("MX-1")
        app.view.body.focus()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert app.view.case is not None and app.view.case.id == "MX-2"
        assert "Back to MX-1." in screen_text(app.view.body)
        await pilot.press("alt+left")
        assert app.view.case.id == "MX-1"
        await pilot.press("alt+right")
        assert app.view.case.id == "MX-2"


async def test_clicking_a_link_follows_it() -> None:
    app = ReaderApp(case(FIRST, "mx/1.md"), case(SECOND, "mx/2.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("MX-1")
        await pilot.pause()
        body = app.view.body
        row = body.link_line(0)
        assert row is not None
        column = body.render_line(row).text.index("the second case")
        await pilot.click(CaseBody, offset=(column + 1 + 2, row))
        await pilot.pause()
        assert app.view.case.id == "MX-2"


async def test_external_and_refused_links_are_never_opened() -> None:
    app = ReaderApp(case(FIRST, "mx/1.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("MX-1")
        app.view.body.focus()
        await pilot.press("tab", "tab", "tab", "enter")
        await pilot.pause()
        assert [type(m).__name__ for m in app.messages] == ["ExternalLink"]
        assert app.messages[0].url == "https://example.org/r"
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert len(app.messages) == 1
        assert any("never followed" in str(n.message) for n in app._notifications)


async def test_find_in_case_highlights_and_steps() -> None:
    app = ReaderApp(case(FIRST, "mx/1.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("MX-1")
        app.view.body.focus()
        await pilot.press("slash", *"pena")
        await pilot.pause()
        bar = app.query_one(FindBar)
        assert bar.display and str(bar.query_one("#find-count").render()) == "1/2"
        await pilot.press("enter")
        assert app.view.body.has_focus
        body = app.view.body
        first = body.current_match
        await pilot.press("n")
        assert body.current_match != first and str(bar.query_one("#find-count").render()) == "2/2"
        await pilot.press("N")
        assert body.current_match == first
        await pilot.press("escape")
        assert body.current_match is None and not bar.display


async def test_find_reports_no_match() -> None:
    app = ReaderApp(case(FIRST, "mx/1.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("MX-1")
        app.view.body.focus()
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert app.query_one(FindBar).has_class("-no-match")
        assert app.query_one("#find-input", Input).has_focus


async def test_outline_jump_scrolls_the_heading_to_the_top() -> None:
    app = ReaderApp(long_case())
    async with app.run_test(size=(90, 24)) as pilot:
        app.view.show_case(long_case(), app.resolve)
        app.view.body.focus()
        await pilot.press("o")
        outline = app.query_one(Outline)
        assert outline.display and outline.has_focus
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.view.body.render_line(0).text.strip() == "Part 3"
        await pilot.press("end", "enter")
        await pilot.pause()
        assert "Part 12" in screen_text(app.view.body)


async def test_outline_shows_itself_for_long_cases_on_wide_screens() -> None:
    app = ReaderApp(long_case())
    async with app.run_test(size=(140, 30)) as pilot:
        app.view.show_case(long_case(), app.resolve)
        await pilot.pause()
        assert app.query_one(Outline).display


async def test_back_restores_the_reading_position() -> None:
    app = ReaderApp(long_case(), case(SECOND, "mx/2.md"))
    async with app.run_test(size=(90, 24)) as pilot:
        app.open("long")
        await pilot.pause()
        body = app.view.body
        body.scroll_to(y=40, animate=False, immediate=True)
        await pilot.pause()
        top = body.render_line(0).text
        app.open("MX-2")
        await pilot.pause()
        await pilot.press("alt+left")
        await pilot.pause()
        assert body.render_line(0).text == top


async def test_hostile_case_renders_harmlessly() -> None:
    hostile = ("---\ntitle: \"[link=file:///etc/passwd]x[/link] [/\"\ntags: [\"[bold]\"]\n---\n"
               "# [/ [bold]heading\n\n[link=file:///etc/passwd]x[/link] \x1b[31mred\x1b[0m \x1b]8;;http://x\x07y\n\n"
               + "> " * 10_000 + "deep\n\n" + "[" * 5000 + "\n")
    app = ReaderApp(case(hostile, "hostile.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.open("hostile")
        await app.workers.wait_for_complete()  # a body this long renders in a worker
        await pilot.pause()
        shown = screen_text(app.view.body)
        header = str(app.query_one(CaseHeader).render())
        assert "[link=file:///etc/passwd]x[/link]" in shown and "[/ [bold]heading" in shown
        assert "[link=file:///etc/passwd]x[/link]" in header
        assert "\x1b" not in shown and "\x07" not in shown
        app.view.body.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert "deep" in "".join(b.text for b in app.view.body.document.blocks)


async def test_a_long_case_shows_its_start_then_completes() -> None:
    sections = "".join(f"## Part {n}\n\n" + "some words to read here. " * 90 + "\n\n" for n in range(60))
    long = case("# Very long\n\n" + sections + "The end, see [[MX-1]].\n", "very-long.md")
    app = ReaderApp(long, case(FIRST, "mx/1.md"))
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("very-long")
        assert app.view.has_class("-loading") and not app.view.body.document.blocks
        await app.workers.wait_for_complete()
        await pilot.pause()
        parts = [m.document for m in app.messages if isinstance(m, CaseView.Rendered)]
        assert len(parts) == 2 and 0 < len(parts[0].headings) < 60  # the start is shown first
        document = app.view.body.document
        assert len(document.headings) == 60 and document.links[-1].target == "MX-1"
        assert not app.view.body.dangling


async def test_a_huge_case_is_plain_text_laid_out_off_the_ui_thread() -> None:
    huge = case("# Huge\n\n" + ("**not bold** [[not a link]] words " * 8000), "huge.md")
    app = ReaderApp(huge)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open("huge")
        assert app.view.has_class("-loading")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.view.has_class("-loading")
        assert [b.kind for b in app.view.body.document.blocks] == ["plain"]
        assert "**not bold** [[not a link]]" in screen_text(app.view.body)
