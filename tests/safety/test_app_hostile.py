"""The reader app over the hostile folder: what reaches the terminal is captured at the driver.

A recording driver (Textual's headless driver made to render) keeps every string the
app writes to the terminal. Textual's own sequences (colours, cursor moves, the
pointer shape) are removed by a strict whitelist; what is left must hold no escape,
no control character (but newline and tab) and no bidi override. Limits: a colour
(SGR) or cursor-position sequence coming from a file would look like Textual's own;
every other kind (OSC title/hyperlink/clipboard, DCS, CSI clear/alternate screen, C1)
is caught, and the sanitizer turns ESC into U+FFFD before any of them could form.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.driver import Driver
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot
from textual.widgets import Input, Static

from casefile.config import Config
from casefile.core.text.sanitize import is_clean
from casefile.ui.app import CasefileApp, make_app
from safety import hostile
from safety.helpers import FORBIDDEN

TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;]*[mH]|\x1b\[\?(?:2026|25)[hl]|\x1b\]22;[\w-]*\x07")
SIZE = (140, 45)


def recording_driver(sink: list[str]) -> type[Driver]:
    """A driver that renders like a terminal one but keeps the output in `sink`."""

    class RecordingDriver(HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False  # so the app renders and writes its frames

        def write(self, data: str) -> None:
            sink.append(data)

    return RecordingDriver


def leaks(written: str) -> list[str]:
    """What would reach the terminal that Textual did not write itself."""
    rest = TEXTUAL_OWN.sub("", written)
    found = {repr(m.group()) for m in FORBIDDEN.finditer(rest)}
    found |= {repr(rest[m.start():m.start() + 12]) for m in re.finditer("\x1b", rest)}
    return sorted(found)


def plain(written: str) -> str:
    """The written text without Textual's sequences."""
    return TEXTUAL_OWN.sub("", written)


class _Raw(App[None]):
    """An app that (wrongly) shows raw file text: proves the detector sees leaks."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, markup=False)


@pytest.mark.parametrize("raw", ["\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "a\u202eb", "\x1b]52;c;eA==\x07"])
async def test_the_detector_sees_an_unsanitized_widget(raw: str) -> None:
    sink: list[str] = []
    app = _Raw(f"before {raw} after")
    app.driver_class = recording_driver(sink)
    async with app.run_test(headless=False, size=(60, 10)) as pilot:
        await pilot.pause()
    assert leaks("".join(sink)) != []


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("app")
    return hostile.build(base / "cases", base / "outside")


async def settle(pilot: Pilot[int]) -> None:
    """Let workers finish and their messages be handled."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def readable(folder: Path) -> Iterator[str]:
    refused = {"huge.md", "nul-bytes.md", "symlink-outside.md", "loop-a.md", "loop-b.md", "pipe.md"}
    return (p.name for p in sorted(folder.glob("*.md")) if p.name not in refused and p.name.isprintable())


def app_for(folder: Path, sink: list[str]) -> CasefileApp:
    app = make_app(Config(cases_dir=folder, index_dir=None, in_memory=True), live_interval=None)
    app.driver_class = recording_driver(sink)
    return app


async def test_every_hostile_case_opens_without_leaking(folder: Path) -> None:
    from casefile.ui.widgets.case_view import CaseView

    sink: list[str] = []
    app = app_for(folder, sink)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        await settle(pilot)
        for name in readable(folder):
            sink.clear()
            app.open_case(name, focus=True)
            await settle(pilot)
            written = "".join(sink)
            assert written, name
            assert leaks(written) == [], name
            if name == "rich-markup.md":  # markup shows literally; its quit action never runs
                shown = plain(written)
                assert "[@click=app.quit]quit[/]" in shown and "[reverse]Markup[/reverse]" in shown
        sink.clear()
        for target, kind in [("../outside/secret", "path"), ("outside-folder/secret", "path"),
                             ("symlink-outside", "path"), ("/etc/passwd", "wiki"), ("../../etc/passwd", "wiki")]:
            app.post_message(CaseView.LinkFollowed(target, kind))
            await settle(pilot)
        assert leaks("".join(sink)) == []
        assert app.is_running
    assert hostile.SECRET not in "".join(sink)


async def test_searching_pasting_problems_and_entities_do_not_leak(folder: Path) -> None:
    sink: list[str] = []
    app = app_for(folder, sink)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        await settle(pilot)
        query = app.query_one("#query", Input)
        for text in ("pwned", "\u202eevil", "palabra", "malecon"):
            query.value = text
            await pilot.pause(0.4)
            await settle(pilot)
        assert "GOOD-EN" in plain("".join(sink)) or "Culiac" in plain("".join(sink))
        query.focus()
        query.value = ""
        query.post_message(events.Paste("pal\x1b]0;pwned\x07abra\u202e"))  # pasted text can hold escapes
        await pilot.pause(0.4)
        await settle(pilot)
        assert is_clean(query.value) and query.value.startswith("pal")
        app.action_problems()
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        app.action_entities()
        await settle(pilot)
        written = "".join(sink)
    assert leaks(written) == []
    assert hostile.SECRET not in written
