"""Pilot tests of the command palette: every command offered writes nothing, anywhere."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pilot_helpers import config_for, settle, started
from textual.pilot import Pilot

from casefile.ui.app import CasefileApp, make_app
from casefile.ui.commands import COMMANDS


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def sealed_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty HOME with a Downloads folder, also the working directory."""
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)  # where Textual saves screenshots when it exists
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DOWNLOAD_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(home)
    return home


async def run_every_command(pilot: Pilot[object], app: CasefileApp) -> list[str]:
    """Run each palette command (system ones, then casefile's) but Quit; their titles."""
    system = [c for c in app.get_system_commands(app.screen) if c.title != "Quit"]
    for command in system:
        outcome = command.callback()
        if inspect.isawaitable(outcome):
            await outcome
        await pilot.pause()
    for _name, _help, action in COMMANDS:
        await app.run_action(action)
    for theme in app.available_themes:  # the "Theme" command's choices
        app.theme = theme
    return [c.title for c in system] + [name for name, _help, _action in COMMANDS]


async def test_no_palette_command_writes_a_file(sealed_home: Path, case_dir: Path) -> None:
    before = tree(case_dir)
    app = make_app(config_for(case_dir), live_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.open_case("MX-2017-004")
        await settle(pilot)
        titles = await run_every_command(pilot, app)
        await pilot.pause(0.3)  # a screenshot is delivered from a timer and a thread
        await settle(pilot)
        await app.run_action("screenshot")  # the action itself, reachable from markup or a keymap
        await pilot.pause(0.3)
        await settle(pilot)
    assert tree(sealed_home) == {}
    assert tree(case_dir) == before
    assert "Theme" in titles and "Rebuild index" in titles
    assert "Screenshot" not in titles


async def test_urls_are_never_opened_by_the_app(app: CasefileApp, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *args, **kwargs: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        app.open_url("https://example.org/")
        await pilot.pause()
    assert opened == []
