"""The self-test runs the reader app headless and checks every byte it writes to the terminal.

The app runs under Textual's test pilot with a driver that renders as a terminal driver
does but keeps what it writes. Textual's own sequences (colours, cursor moves, the
synchronised-output and cursor toggles, the pointer shape) are removed by a strict
whitelist; what is left must hold no escape, no control character but newline and
tab, and no bidi override. Limit: a colour or cursor-move sequence coming from a file
would look like Textual's own, but the sanitizer turns ESC into U+FFFD before any
sequence could form, and every other kind is caught.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any

from casefile.config import Config
from casefile.selftest.commands import FORBIDDEN
from casefile.selftest.sample import SECRET

TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;]*[mH]|\x1b\[\?(?:2026|25)[hl]|\x1b\]22;[\w-]*\x07")
SIZE = (120, 40)


@dataclass
class Screen:
    """What the reader wrote, and what it was asked to show."""

    written: list[str] = field(default_factory=list)
    opened: int = 0

    def leaks(self) -> list[str]:
        """What reached the terminal that Textual did not write itself."""
        rest = TEXTUAL_OWN.sub("", "".join(self.written))
        found = {repr(m.group()) for m in FORBIDDEN.finditer(rest)}
        found |= {repr(rest[m.start():m.start() + 12]) for m in re.finditer("\x1b", rest)}
        if SECRET in rest:
            found.add("the secret behind a symbolic link")
        return sorted(found)


def read_headless(config: Config, refs: list[str], links: list[str]) -> str:
    """Open each case of `refs`, follow `links`, open the problems and the entities; fails on a leak."""
    screen = Screen()
    asyncio.run(_drive(config, refs, links, screen))
    found = screen.leaks()
    assert screen.written, "the reader wrote nothing"
    assert not found, f"{len(found)} leak(s) reached the terminal: {', '.join(found[:4])}"
    size = sum(map(len, screen.written))
    return (f"{screen.opened} cases opened, {len(links)} links followed, problems and entities shown: "
            f"{size:,} characters written to the terminal, none a control character or bidi override")


async def _drive(config: Config, refs: list[str], links: list[str], screen: Screen) -> None:
    """Run the app under the pilot and do what a reader would."""
    from casefile.ui.app import make_app
    from casefile.ui.widgets.case_view import CaseView

    app = make_app(config, live_interval=None)
    app.driver_class = _recording_driver(screen.written)
    async with app.run_test(headless=False, size=SIZE) as pilot:
        await _settle(pilot)
        for ref in refs:
            app.open_case(ref, focus=True)
            await _settle(pilot)
            screen.opened += 1
        for target in links:
            app.post_message(CaseView.LinkFollowed(target, "wiki"))
            await _settle(pilot)
        for action in (app.action_problems, app.action_entities):
            action()
            await _settle(pilot)
            await pilot.press("escape")
            await _settle(pilot)
        assert app.is_running, "the reader stopped"


async def _settle(pilot: Any) -> None:
    """Let the app's workers finish and their messages be handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _recording_driver(sink: list[str]) -> type:
    """Textual's headless driver, made to render and keep what it writes in `sink`."""
    from textual.drivers.headless_driver import HeadlessDriver

    class RecordingDriver(HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False  # so the app renders its frames and writes them

        def write(self, data: str) -> None:
            sink.append(data)

    return RecordingDriver
